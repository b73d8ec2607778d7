"""`frame-remix`: the command line for organizers and operators, a thin shell over the core.

Exit 0 on success; exit 2 with one plain line per problem on stderr for bad input; never a
traceback for bad input.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

from frames.bundled import bundled_frames, load_frame
from frames.errors import FrameRemixError
from frames.schema import manifest_schema

USER_ERROR = 2


class CliError(Exception):
    """A user error found by the shell itself (a missing file, a malformed --set)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except FrameRemixError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return USER_ERROR


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="frame-remix", description="Frames organizers publish and participants remix.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, helptext, setup, handler in COMMANDS:
        cmd = sub.add_parser(name, help=helptext, description=helptext)
        setup(cmd)
        cmd.set_defaults(handler=handler)
    return parser


# --- list ---------------------------------------------------------------------------------


def _setup_list(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def cmd_list(args: argparse.Namespace) -> int:
    rows = [
        {
            "id": f.id, "version": f.version, "title": f.title,
            "formats": list(f.manifest.formats), "fields": [x.name for x in f.manifest.fields],
            "languages": [f.manifest.language, *sorted(f.manifest.translations)],
        }
        for f in bundled_frames()
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        print(f"{r['id']:<24} v{r['version']:<4} {r['title']}")
        print(f"{'':<30}formats: {', '.join(r['formats'])}; fields: {', '.join(r['fields'])}; languages: {', '.join(r['languages'])}")
    return 0


# --- validate -------------------------------------------------------------------------------


def _setup_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="a frame folder, frame.toml or .zip")


def cmd_validate(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        raise CliError(f"no file or folder at '{args.path}'")
    frame = load_frame(path)
    print(f"ok: {frame.id} v{frame.version}")
    return 0


# --- render ---------------------------------------------------------------------------------


def _setup_render(p: argparse.ArgumentParser) -> None:
    p.add_argument("frame", metavar="PATH_OR_ID", help="a frame folder, .zip, or a bundled frame id")
    p.add_argument("--set", dest="values", action="append", default=[], metavar="FIELD=VALUE", help="a field value (repeatable)")
    p.add_argument("--sample", action="store_true", help="fill fields you did not --set with the frame's sample values")
    p.add_argument("--photo", type=Path, help="a JPEG, PNG or WebP photo")
    p.add_argument("--format", default="all", metavar="NAME", help="a format name, or 'all' (default)")
    p.add_argument("--lang", help="a language code the frame is translated into")
    p.add_argument("--maker", default="", help="display name for the credit line")
    p.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")
    p.add_argument("--json", action="store_true", help="print a JSON summary of what was written")


def cmd_render(args: argparse.Namespace) -> int:
    from frames.localize import words
    from remix.pipeline import make_remix, write_remix
    from remix.render import RenderOptions

    frame = load_frame(args.frame)
    values = _parse_sets(args.values)
    if args.sample:
        w = words(frame.manifest, args.lang)
        values = {f.name: w.sample(f) for f in frame.manifest.fields if f.kind != "photo"} | values
    photo = _read_file(args.photo, "photo") if args.photo else None
    options = RenderOptions(lang=args.lang, maker=args.maker)
    _check_lang(frame, args.lang)
    start = time.perf_counter()
    result = make_remix(frame, values, photo, args.format, options, strict=True)
    written = write_remix(result, args.out)
    summary = {"frame": frame.id, "version": frame.version, "files": [str(p) for p in written],
               "ms": round((time.perf_counter() - start) * 1000, 1)}
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else "\n".join(summary["files"]))
    return 0


def _check_lang(frame, lang: str | None) -> None:
    from frames.localize import languages

    if lang and lang not in languages(frame.manifest):
        raise CliError(f"this frame is not translated into '{lang}'; it has: {', '.join(languages(frame.manifest))}")


def _parse_sets(items: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--set takes FIELD=VALUE, got '{item}'")
        values[name.strip()] = value
    return values


def _read_file(path: Path, what: str) -> bytes:
    if not path.is_file():
        raise CliError(f"no {what} file at '{path}'")
    if path.stat().st_size > 15 * 1024 * 1024:
        raise CliError(f"the {what} '{path.name}' is larger than 15 MB; use a smaller file")
    return path.read_bytes()


# --- bulk -----------------------------------------------------------------------------------


def _setup_bulk(p: argparse.ArgumentParser) -> None:
    p.add_argument("frame", metavar="PATH_OR_ID", help="a frame folder, .zip, or a bundled frame id")
    p.add_argument("csv", type=Path, metavar="ROWS.csv", help="UTF-8 CSV: one row per remix, columns = field names (+ optional 'photo' path)")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core)")
    p.add_argument("--lang", help="a language code the frame is translated into")


def cmd_bulk(args: argparse.Namespace) -> int:
    from remix.bulk import read_rows, run_bulk, write_report
    from remix.render import RenderOptions

    frame = load_frame(args.frame)
    _check_lang(frame, args.lang)
    if not args.csv.is_file():
        raise CliError(f"no CSV file at '{args.csv}'")
    if args.jobs is not None and args.jobs < 1:
        raise CliError("--jobs must be 1 or more")
    rows = read_rows(args.csv, frame)
    if not rows:
        raise CliError(f"'{args.csv.name}' has a header but no rows")
    start = time.perf_counter()
    results = run_bulk(args.frame, rows, args.csv.parent, args.out, jobs=args.jobs,
                       options=RenderOptions(lang=args.lang), progress=_progress_bar())
    report = write_report(results, args.out)
    return _bulk_summary(results, report, time.perf_counter() - start)


def _progress_bar() -> Callable[[int, int], None]:
    interactive = sys.stderr.isatty()

    def show(done: int, total: int) -> None:
        if interactive:
            filled = int(30 * done / total)
            print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True)
            if done == total:
                print(file=sys.stderr)
        elif done == total or done % max(1, total // 10) == 0:
            print(f"rendered {done}/{total}", file=sys.stderr, flush=True)

    return show


def _bulk_summary(results, report: Path, seconds: float) -> int:
    failed = [r for r in results if not r.ok]
    for r in failed:
        print(f"row {r.number}: {r.message}", file=sys.stderr)
    ok = len(results) - len(failed)
    print(f"{ok} rendered, {len(failed)} failed in {seconds:.1f} s ({len(results) / max(seconds, 1e-9):.1f} rows/s); report: {report}")
    return 0 if not failed else USER_ERROR


# --- schema ---------------------------------------------------------------------------------


def cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(manifest_schema(), indent=2, ensure_ascii=False))
    return 0


COMMANDS = [
    ("list", "list the bundled frames", _setup_list, cmd_list),
    ("validate", "check a frame pack (folder or .zip) and report every problem", _setup_validate, cmd_validate),
    ("render", "render a remix: one image per format plus texts.json", _setup_render, cmd_render),
    ("bulk", "render one remix per CSV row on every core", _setup_bulk, cmd_bulk),
    ("schema", "print the frame manifest's JSON Schema", lambda p: None, cmd_schema),
]


if __name__ == "__main__":
    sys.exit(main())
