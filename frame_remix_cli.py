"""`frame-remix`: the command line for organizers and operators, a thin shell over the core.

Exit 0 on success; exit 2 with one plain line per problem on stderr for bad input; never a
traceback for bad input.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from frames.bundled import bundled_frames, load_frame
from frames.errors import FrameRemixError, Problem
from frames.schema import manifest_schema
from gallery.config import Settings, is_loopback

USER_ERROR = 2


class CliError(Exception):
    """A user error found by the shell itself (a missing file, a malformed --set)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.settings = Settings.from_env(os.environ)  # the one read of the configuration
    if getattr(args, "data", None):
        args.settings = replace(args.settings, data_dir=args.data)
    try:
        _check_utf8(args)
        return args.handler(args)
    except FrameRemixError as exc:
        for problem in exc.problems:
            print(f"error: {in_cli_words(problem)}", file=sys.stderr)
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
    except sqlite3.Error as exc:
        print(f"error: the gallery database cannot be used ({exc}); check FRAME_REMIX_DATA or --data", file=sys.stderr)
    except OSError as exc:
        print(f"error: {exc.strerror or exc} ({exc.filename or 'file'})", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    return USER_ERROR


def in_cli_words(problem: Problem) -> str:
    """A problem as the command line says it: what to pass, not what to tick or fill in."""
    if problem.code == "consent":
        return "publishing needs the maker's consent: pass --consent to agree that the gallery shows this remix"
    if problem.code == "idempotency":
        return "this --idempotency-key was already used for a different remix; use a new key for a new remix"
    if problem.code == "required":
        what = problem.message.rsplit("; ", 1)[0]  # "'Why you ride' is required"
        return f"{problem.place}: {what}; pass --set {problem.place}=... (or --sample for the frame's example)"
    return str(problem)


def plural(count: int, word: str, words: str | None = None) -> str:
    """'1 remix', '2 remixes', '0 remixes'."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def _check_utf8(args: argparse.Namespace) -> None:
    """Refuse arguments that are not valid UTF-8 at the edge (Python carries such bytes as lone
    surrogates, which no file, JSON or database can hold), before anything reads or writes."""
    for value in vars(args).values():
        for item in value if isinstance(value, list) else [value]:
            text = str(item) if isinstance(item, (str, Path)) else ""
            if any("\ud800" <= ch <= "\udfff" for ch in text):
                shown = text.encode("utf-8", "surrogateescape").decode("ascii", "backslashreplace")
                raise CliError(f"the argument '{shown}' is not valid UTF-8 text (typed in a terminal set to "
                               "another encoding, such as Latin-1?); switch the terminal to UTF-8 and try again")


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
    _add_data(p)


def cmd_list(args: argparse.Namespace) -> int:
    rows = [frame_summary(f) for f in [*bundled_frames(), *_gallery_only_frames(args)]]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        names = ", ".join(x["name"] for x in r["fields"])
        print(f"{r['id']:<24} v{r['version']:<4} {r['title']}")
        print(f"{'':<30}formats: {', '.join(r['formats'])}; fields: {names}; languages: {', '.join(r['languages'])}")
    return 0


def _gallery_only_frames(args: argparse.Namespace) -> list:
    """The latest version of every frame published in this gallery, when there is one (listing never creates it)."""
    from frames.bundled import bundled_ids
    from gallery.framestore import get_frame, list_frames

    if not args.settings.db_path.exists():
        return []
    store = _store(args)
    return [get_frame(store, info.id) for info in list_frames(store) if info.id not in bundled_ids()]


def frame_summary(frame) -> dict:
    """Everything a script needs to fill a frame: each field's kind, label, limit and options, and the languages."""
    from frames.localize import languages

    m = frame.manifest
    return {
        "id": frame.id, "version": frame.version, "title": frame.title, "organizer": m.organizer.name,
        "moderation": m.moderation, "formats": list(m.formats), "languages": languages(m),
        "fields": [_field_summary(spec) for spec in m.fields],
    }


def _field_summary(spec) -> dict:
    field = {"name": spec.name, "kind": spec.kind, "label": spec.label, "required": spec.required,
             "help": spec.help, "sample": spec.sample}
    if spec.kind in ("text", "long_text"):
        field["max_length"] = spec.limit
    if spec.kind == "choice":
        field["options"] = [{"value": o.value, "label": o.label} for o in spec.options]
    return field


# --- validate -------------------------------------------------------------------------------


def _setup_validate(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="a frame folder, frame.toml or .zip")


def cmd_validate(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        raise CliError(f"no file or folder at '{args.path}'")
    frame = load_frame(path)
    print(f"ok: {frame.id} v{frame.version}")
    from frames.contrast import contrast_problems

    for problem in contrast_problems(frame.manifest):  # advice: the frame is valid all the same
        print(f"warning: {problem}", file=sys.stderr)
    return 0


# --- render ---------------------------------------------------------------------------------


def _add_remix_inputs(p: argparse.ArgumentParser) -> None:
    """What `render` and `publish` both take: the frame, the values, the photo, language and maker."""
    p.add_argument("frame", metavar="PATH_OR_ID", help="a frame folder, .zip, or the id of a bundled or gallery frame")
    p.add_argument("--set", dest="values", action="append", default=[], metavar="FIELD=VALUE", help="a field value (repeatable)")
    p.add_argument("--sample", action="store_true",
                   help="fill fields you did not --set with the frame's sample values (and the sample photo)")
    p.add_argument("--photo", type=Path, help="a JPEG, PNG or WebP photo")
    p.add_argument("--lang", help="a language code the frame is translated into")
    p.add_argument("--maker", default="", help="display name for the credit line")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    _add_data(p)


def _remix_inputs(args: argparse.Namespace, frame, *, sample_photo: bool = True) -> tuple[dict[str, str], bytes | None]:
    """The --set values (over the samples with --sample) and the photo's bytes; checks --lang and --photo."""
    from frames.localize import words

    _check_lang(frame, args.lang)
    values = _parse_sets(args.values)
    if args.sample:
        values = words(frame.manifest, args.lang).samples() | values
    if args.photo and not any(f.kind == "photo" for f in frame.manifest.fields):
        raise CliError(f"the frame '{frame.id}' has no photo field; leave out --photo")
    if args.photo:
        return values, _read_file(args.photo, "photo")
    if sample_photo and args.sample and any(f.kind == "photo" for f in frame.manifest.fields):
        from frames.bundled import SAMPLE_PHOTO

        return values, SAMPLE_PHOTO.read_bytes()  # the project's sample photo, like the sample words
    return values, None


def _setup_render(p: argparse.ArgumentParser) -> None:
    _add_remix_inputs(p)
    p.add_argument("--format", default="all", metavar="NAME", help="a format name, or 'all' (default)")
    p.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out)")


def cmd_render(args: argparse.Namespace) -> int:
    from remix.pipeline import make_remix, write_remix
    from remix.render import RenderOptions

    frame = _any_frame(args)
    values, photo = _remix_inputs(args, frame)
    options = RenderOptions(lang=args.lang, maker=args.maker, public_url=_baked_url(args))
    start = time.perf_counter()
    result = make_remix(frame, values, photo, args.format, options, strict=True)
    written = write_remix(result, args.out)
    _warn_if_loopback(args, frame)
    summary = {"frame": frame.id, "version": frame.version, "files": [str(p) for p in written],
               "ms": round((time.perf_counter() - start) * 1000, 1)}
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else "\n".join(summary["files"]))
    return 0


_warned_loopback: set[str] = set()


def _baked_url(args: argparse.Namespace) -> str:
    """The public URL that QR codes and post texts get (FRAME_REMIX_PUBLIC_URL, else the default)."""
    return args.settings.base_url()


def _warn_if_loopback(args: argparse.Namespace, frame) -> None:
    """Once per process, after images were made: a loopback address in a QR code reaches nobody."""
    url = _baked_url(args)
    has_qr = any(layer.kind == "qr" for spec in frame.manifest.formats.values() for layer in spec.layers)
    if has_qr and is_loopback(url) and url not in _warned_loopback:
        _warned_loopback.add(url)
        print(f"warning: the QR codes point at {url}, which only works on this computer; "
              "set FRAME_REMIX_PUBLIC_URL to the address people reach your instance on", file=sys.stderr)


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
    from frames.images import MAX_BYTES

    if path.stat().st_size > MAX_BYTES:
        raise CliError(f"the {what} '{path.name}' is larger than {MAX_BYTES // 2**20} MB; use a smaller file")
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
                       options=RenderOptions(lang=args.lang, public_url=_baked_url(args)), progress=_progress_bar())
    report = write_report(results, args.out)
    if any(r.ok for r in results):
        _warn_if_loopback(args, frame)
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


# --- serve ----------------------------------------------------------------------------------

# The checkout's .streamlit/config.toml, as flags: an installed wheel has no such file beside it.
SAFE_SERVER_FLAGS = (
    "--server.maxUploadSize", "15", "--server.enableXsrfProtection", "true", "--server.enableStaticServing", "false",
    "--server.fileWatcherType", "none", "--server.headless", "true", "--client.showErrorDetails", "none",
    "--client.toolbarMode", "viewer", "--browser.gatherUsageStats", "false", "--runner.magicEnabled", "false",
    "--runner.postScriptGC", "false",
)


def _setup_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=8501, help="the port to listen on (default 8501)")
    p.add_argument("--address", default="", help="the address to listen on (default: every interface)")
    _add_data(p)


def cmd_serve(args: argparse.Namespace) -> int:
    """Replace this process with `streamlit run` on the app that ships in the package."""
    import importlib.util
    import os

    if not 1 <= args.port <= 65535:
        raise CliError(f"--port must be between 1 and 65535, got {args.port}")
    spec = importlib.util.find_spec("streamlit_app")
    if spec is None or spec.origin is None:
        raise CliError("the app is not installed with this frame-remix; reinstall the package")
    argv = [sys.executable, "-m", "streamlit", "run", spec.origin, "--server.port", str(args.port), *SAFE_SERVER_FLAGS]
    if args.address:
        argv += ["--server.address", args.address]
    if args.data:
        os.environ["FRAME_REMIX_DATA"] = str(args.data.resolve())
    sys.stdout.flush()
    os.execv(sys.executable, argv)
    return 0  # not reached: execv does not return


# --- gallery: shared options -----------------------------------------------------------------


def _add_data(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", type=Path, metavar="DIR", help="the data directory (default: $FRAME_REMIX_DATA or ./data)")


def _instance(args: argparse.Namespace):
    """The gallery in --data (else FRAME_REMIX_DATA, else ./data), opened once per command: bundled
    frames installed, the instance admin key (FRAME_REMIX_ADMIN_KEY, else the key file) in use."""
    from gallery.instance import open_instance

    if getattr(args, "instance", None) is None:
        args.instance = open_instance(args.settings)
    return args.instance


def _store(args: argparse.Namespace):
    return _instance(args).store


def _key(args: argparse.Namespace) -> str | None:
    """--key, else the instance admin key (an operator at the shell is the admin)."""
    return getattr(args, "key", None) or _instance(args).settings.admin_key or None


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable))


def _jsonable(value: object) -> object:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return str(value)


# --- pack / import ---------------------------------------------------------------------------


def _setup_pack(p: argparse.ArgumentParser) -> None:
    p.add_argument("frame_id", metavar="ID", help="a frame id in the gallery")
    p.add_argument("-o", "--out", type=Path, required=True, metavar="FILE.zip", help="where to write the pack")
    p.add_argument("--version", type=int, help="a published version (default: the latest)")
    _add_data(p)


def cmd_pack(args: argparse.Namespace) -> int:
    from gallery.packs import pack_frame
    from remix.pipeline import atomic_write

    if not args.out.parent.is_dir():
        raise CliError(f"no folder '{args.out.parent}' to write the pack into; create it first")
    data = pack_frame(_store(args), args.frame_id, args.version)
    atomic_write(args.out, data)
    print(f"wrote {args.out} ({len(data) // 1024} KiB)")
    return 0


def _setup_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("zip", type=Path, metavar="FILE.zip", help="a frame pack exported by any frame-remix")
    p.add_argument("--key", help="owner key, to add a new version of a frame you own (default: the admin key)")
    _add_data(p)


def cmd_import(args: argparse.Namespace) -> int:
    from frames.pack import MAX_TOTAL_BYTES
    from gallery.packs import import_pack

    if args.zip.is_dir():
        raise CliError(f"'{args.zip}' is a folder; publish it with `frame-remix gallery publish-frame {args.zip}` "
                       f"(import takes a frame pack .zip)")
    if not args.zip.is_file():
        raise CliError(f"no file at '{args.zip}'")
    if args.zip.stat().st_size > MAX_TOTAL_BYTES:
        raise CliError(f"'{args.zip.name}' is larger than {MAX_TOTAL_BYTES // 2**20} MB; a frame pack must be smaller")
    result = import_pack(_store(args), args.zip.read_bytes(), key=_key(args), source=args.zip.name)
    _report_frame(result, "imported")
    if not result.unchanged:
        print(f"signed by key {result.signed_by}" if result.signed_by else "unsigned (the pack has no pack.json)")
    return 0


def _report_frame(result, verb: str) -> None:
    if result.unchanged:
        print(f"unchanged: {result.id} v{result.version} is already in the gallery")
        return
    print(f"{verb}: {result.id} v{result.version}")
    if result.owner_key:
        print(f"owner key (shown once, keep it secret): {result.owner_key}")


# --- publish (a remix) -----------------------------------------------------------------------


def _setup_publish(p: argparse.ArgumentParser) -> None:
    _add_remix_inputs(p)
    p.add_argument("--place", default="", help="the maker's town or city (default: the frame's city field)")
    p.add_argument("--remix-of", help="the id of the remix this one is based on")
    p.add_argument("--remix-of-instance", help="the address of the instance that remix lives on, when it is not this one")
    p.add_argument("--consent", action="store_true", help="the maker agrees that the gallery shows this remix")
    p.add_argument("--idempotency-key", help="a retry with the same key stores one remix")


def cmd_publish(args: argparse.Namespace) -> int:
    from gallery.remixes import publish_remix
    from remix.render import RenderOptions

    store = _store(args)
    frame = _any_frame(args)
    values, photo = _remix_inputs(args, frame, sample_photo=False)  # a published remix never wears the sample photo
    result = publish_remix(store, frame, values, consent=args.consent, photo=photo,
                           options=RenderOptions(lang=args.lang, maker=args.maker, public_url=_baked_url(args)),
                           place=args.place, remix_of=args.remix_of, idempotency_key=args.idempotency_key,
                           strict=True, remix_of_instance=args.remix_of_instance)
    _warn_if_loopback(args, frame)
    if args.json:
        _print_json(result)
    else:
        print(f"{result.status}: {result.id}{' (already published)' if result.duplicate else ''}")
        print(f"delete key (shown once, keep it secret): {result.delete_key}")
    return 0


def _any_frame(args: argparse.Namespace):
    """A frame pack on disk or a bundled id, else the latest version of a frame in the gallery
    (opened only then, so rendering a pack or a bundled frame touches no data folder)."""
    from frames.errors import FrameError
    from gallery.errors import GalleryError
    from gallery.framestore import get_frame

    try:
        return load_frame(args.frame)
    except FrameError:
        if Path(args.frame).exists():
            raise
    try:
        if args.command == "render" and not args.settings.db_path.exists():
            raise GalleryError("no gallery here")  # rendering never creates a gallery
        return get_frame(_store(args), args.frame)
    except GalleryError:
        raise CliError(f"'{args.frame}' is not a frame pack on disk, a bundled frame or a frame in the gallery; "
                       "see `frame-remix gallery frames`") from None


# --- export-site -----------------------------------------------------------------------------


def _setup_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write the site into")
    p.add_argument("--site-url", default="", help="where the site will be hosted (makes feed links absolute)")
    p.add_argument("--title", default="frame-remix gallery", help="the site's title")
    _add_data(p)


def cmd_export_site(args: argparse.Namespace) -> int:
    from gallery.export import export_site

    result = export_site(_store(args), args.out, site_url=args.site_url, title=args.title)
    counted = ", ".join([plural(result.remixes, "remix", "remixes"), plural(result.frames, "frame"),
                         plural(result.pages, "page"), plural(result.images, "image")])
    print(f"wrote {result.out_dir}: {counted}; open {result.out_dir / 'index.html'}")
    return 0


# --- gallery list|show|frames|moderate|delete|publish-frame|backup ---------------------------


def _setup_gallery(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="gallery_command", required=True, metavar="ACTION")
    for name, helptext, setup, handler in GALLERY_COMMANDS:
        cmd = sub.add_parser(name, help=helptext, description=helptext)
        setup(cmd)
        _add_data(cmd)
        cmd.set_defaults(handler=handler)  # overrides the `gallery` command's own default


def _setup_glist(p: argparse.ArgumentParser) -> None:
    p.add_argument("--frame", help="only this frame id")
    p.add_argument("--place", help="only this place")
    p.add_argument("--lang", help="only this language")
    p.add_argument("--status", default="published", help="published (default), pending, reported, hidden or deleted")
    p.add_argument("--search", help="full-text search of stories, titles and places")
    p.add_argument("--cursor", type=int, help="the next-page cursor printed by the previous page")
    p.add_argument("--limit", type=int, default=48, help="remixes per page (default 48)")
    p.add_argument("--key", help="owner key, for unpublished remixes of your frame (default: the admin key)")
    p.add_argument("--json", action="store_true", help="print JSON")


def cmd_glist(args: argparse.Namespace) -> int:
    from gallery.queries import MAX_PAGE, list_remixes, search

    if not 1 <= args.limit <= MAX_PAGE:
        raise CliError(f"--limit must be between 1 and {MAX_PAGE}, got {args.limit}")
    store = _store(args)
    if args.search:
        if args.status != "published":
            raise CliError("--search looks only at published remixes; leave out --status to search")
        page = search(store, args.search, frame=args.frame, place=args.place, lang=args.lang, cursor=args.cursor,
                      limit=args.limit)
    else:
        page = list_remixes(store, frame=args.frame, place=args.place, lang=args.lang, status=args.status,
                            cursor=args.cursor, limit=args.limit, key=_key(args))
    if args.json:
        _print_json({"items": page.items, "next_cursor": page.next_cursor})
        return 0
    for r in page.items:
        print(f"{r.id}  {r.created}  {r.status:<9} {r.frame_id} v{r.frame_version}  {r.credit_name}"
              f"{' · ' + r.place if r.place else ''}")
    print(plural(len(page.items), "remix", "remixes") + (f"; next page: --cursor {page.next_cursor}" if page.next_cursor else ""))
    return 0


def _add_remix_id(p: argparse.ArgumentParser, key_help: str) -> None:
    p.add_argument("remix_id", metavar="ID", help="a remix id")
    p.add_argument("--key", help=key_help)


def _setup_gshow(p: argparse.ArgumentParser) -> None:
    _add_remix_id(p, "a delete, owner or admin key, for an unpublished remix")
    p.add_argument("--json", action="store_true", help="print JSON")


def cmd_gshow(args: argparse.Namespace) -> int:
    from gallery.lineage import remix_lineage
    from gallery.queries import get_remix

    store = _store(args)
    detail = get_remix(store, args.remix_id, key=_key(args))
    lineage = remix_lineage(store, args.remix_id)
    if args.json:
        _print_json({"remix": detail, "lineage": lineage})
        return 0
    s = detail.summary
    print(f"{s.id} ({s.status}), {s.created}, {s.language}")
    print(f"credits: {detail.credits.line}")
    for name, value in detail.values.items():
        print(f"{name}: {value}")
    print("images: " + ", ".join(f"{i.format} ({i.media_type})" for i in detail.images))
    chain = [a.label for a in lineage.ancestors] + [f"frame {lineage.frame_id} v{lineage.frame_version}"]
    print("lineage: " + " <- ".join(chain))
    if lineage.descendants:
        print(f"remixed by: {', '.join(d.id for d in lineage.descendants)}")
    return 0


def _setup_gframes(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def cmd_gframes(args: argparse.Namespace) -> int:
    from gallery.framestore import list_frames
    from gallery.packs import adapted_from_status
    from gallery.queries import counts

    store = _store(args)
    frames = list_frames(store)
    if args.json:
        _print_json([{"frame": f, "counts": counts(store, f.id),
                      "adapted_from": adapted_from_status(store, f.id, f.latest_version)} for f in frames])
        return 0
    for f in frames:
        c = counts(store, f.id)
        source = f" (from {f.derived_from.id} v{f.derived_from.version}, {adapted_from_status(store, f.id, f.latest_version)})" \
            if f.derived_from else ""
        print(f"{f.id:<28} v{f.latest_version:<3} {f.origin:<8} {plural(c.remixes, 'remix', 'remixes')}, "
              f"{plural(c.places, 'place')}, {plural(len(c.languages), 'language')}{source}")
    return 0


def _setup_gmoderate(p: argparse.ArgumentParser) -> None:
    _add_remix_id(p, "the frame's owner key (default: the admin key)")
    p.add_argument("action", choices=["approve", "hide", "restore"], help="what to do")
    p.add_argument("--reason", default="", help="why (required to hide or restore; kept in the log)")


def cmd_gmoderate(args: argparse.Namespace) -> int:
    from gallery.moderation import moderate

    status = moderate(_store(args), args.remix_id, args.action, _key(args), args.reason)
    print(f"{args.remix_id}: {status}")
    return 0


def _setup_gdelete(p: argparse.ArgumentParser) -> None:
    _add_remix_id(p, "the remix's delete key (default: the admin key)")


def cmd_gdelete(args: argparse.Namespace) -> int:
    from gallery.remixes import delete_remix

    delete_remix(_store(args), args.remix_id, _key(args) or "")
    print(f"{args.remix_id}: deleted")
    return 0


def _setup_gpublish_frame(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", metavar="PATH", help="a frame folder, frame.toml or .zip")
    p.add_argument("--key", help="the frame's owner key, for a new version (default: the admin key)")


def cmd_gpublish_frame(args: argparse.Namespace) -> int:
    from gallery.framestore import publish_frame

    if not Path(args.path).exists():
        raise CliError(f"no file or folder at '{args.path}'")
    _report_frame(publish_frame(_store(args), load_frame(Path(args.path)), key=_key(args)), "published")
    return 0


def _setup_gbackup(p: argparse.ArgumentParser) -> None:
    p.add_argument("dest", type=Path, metavar="FILE", help="a new file for the copy")


def cmd_gbackup(args: argparse.Namespace) -> int:
    from gallery.backup import backup

    result = backup(_store(args), args.dest)
    print(f"wrote {args.dest}; integrity_check: {result}")
    return 0


GALLERY_COMMANDS = [
    ("list", "list remixes newest first (filters, search, pages)", _setup_glist, cmd_glist),
    ("show", "show one remix with its credits and lineage", _setup_gshow, cmd_gshow),
    ("frames", "list the gallery's frames with their counts", _setup_gframes, cmd_gframes),
    ("moderate", "approve, hide or restore a remix (owner or admin key)", _setup_gmoderate, cmd_gmoderate),
    ("delete", "delete a remix with its delete key (or the admin key)", _setup_gdelete, cmd_gdelete),
    ("publish-frame", "publish a frame pack, or a new version of one you own", _setup_gpublish_frame,
     cmd_gpublish_frame),
    ("backup", "copy the database with SQLite's backup API and check its integrity", _setup_gbackup, cmd_gbackup),
]


# --- peers add|list|trust|confirm-key|block|block-key|poll ---------------------------------------------------


def _setup_peers(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="peers_command", required=True, metavar="ACTION")
    for name, helptext, setup, handler in PEERS_COMMANDS:
        cmd = sub.add_parser(name, help=helptext, description=helptext)
        setup(cmd)
        _add_data(cmd)
        cmd.set_defaults(handler=handler)


def _add_peer_url(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", metavar="URL", help="the instance's address, e.g. https://remix.example.org")
    _add_admin_key(p)


def _add_admin_key(p: argparse.ArgumentParser) -> None:
    p.add_argument("--admin-key", help="the instance admin key (default: FRAME_REMIX_ADMIN_KEY, else the data folder's key file)")


def _admin_key(args: argparse.Namespace) -> str | None:
    """--admin-key, else the instance admin key (an operator at the shell is the admin)."""
    return args.admin_key or _instance(args).settings.admin_key or None


def _peer_line(peer) -> str:
    waiting = f"; key change waiting: {peer.pending_key_id} (confirm with `frame-remix peers confirm-key {peer.url}`)" \
        if peer.pending_key_id else ""
    counts = f"{peer.published} shown, {peer.pending} waiting, {peer.hidden} hidden"
    return f"{peer.url}  {peer.state:<8} key {peer.key_id}  {counts}; last poll {peer.last_poll or 'never'}{waiting}"


def cmd_peers_add(args: argparse.Namespace) -> int:
    from gallery.federation.follow import add_peer

    peer = add_peer(_store(args), args.url, key=_admin_key(args))
    print(f"added: {peer.url} (key {peer.key_id} pinned, state new)")
    print(f"its remixes wait in the moderation queue until `frame-remix peers trust {peer.url}`")
    return 0


def _setup_peers_list(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def cmd_peers_list(args: argparse.Namespace) -> int:
    from gallery.federation.follow import list_peers

    peers = list_peers(_store(args))
    if args.json:
        _print_json(peers)
        return 0
    for peer in peers:
        print(_peer_line(peer))
        if peer.last_error:
            print(f"{'':<4}last error: {peer.last_error}")
    print(plural(len(peers), "peer"))
    return 0


def cmd_peers_trust(args: argparse.Namespace) -> int:
    from gallery.federation.follow import trust_peer

    peer = trust_peer(_store(args), args.url, key=_admin_key(args))
    print(f"trusted: {peer.url}; {plural(peer.published, 'remix', 'remixes')} shown in the gallery")
    return 0


def cmd_peers_confirm_key(args: argparse.Namespace) -> int:
    from gallery.federation.follow import confirm_key, get_peer

    store = _store(args)
    before = get_peer(store, args.url)
    peer = confirm_key(store, args.url, key=_admin_key(args))
    print(f"confirmed: {peer.url} now pinned to key {peer.key_id} (was {before.key_id})")
    return 0


def cmd_peers_block(args: argparse.Namespace) -> int:
    from gallery.federation.follow import block_peer

    peer = block_peer(_store(args), args.url, key=_admin_key(args))
    print(f"blocked: {peer.url}; its remixes are gone from this gallery and it is not polled any more")
    return 0


def _setup_peers_block_key(p: argparse.ArgumentParser) -> None:
    p.add_argument("key_text", metavar="KEY", help="a public key as the well-known document or `minisign -P` shows it")
    _add_admin_key(p)


def cmd_peers_block_key(args: argparse.Namespace) -> int:
    from gallery.federation.remote import block_key

    key_id = block_key(_store(args), args.key_text, key=_admin_key(args))
    print(f"blocked key {key_id}; peers pinned to it are blocked and their remixes gone")
    return 0


def _setup_peers_poll(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", metavar="URL", nargs="?", help="one peer (default: every peer that is not blocked)")


def cmd_peers_poll(args: argparse.Namespace) -> int:
    from gallery.federation.follow import poll_all, poll_peer
    from gallery.federation.poller import summary

    store = _store(args)
    results = [poll_peer(store, args.url)] if args.url else poll_all(store)
    for result in results:
        print(summary(result).removeprefix("frame-remix: "))
    failed = [r for r in results if r.error]
    for result in failed:
        print(f"error: {result.url}: {result.error}", file=sys.stderr)
    if not results:
        print("no peers to poll; add one with `frame-remix peers add URL`")
    return USER_ERROR if failed else 0


def _setup_peers_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", metavar="URL", help="a followed instance's address")
    p.add_argument("pack_id", metavar="PACK_ID", help="the pack's id (sha256-...), as its feed or page names it")
    _add_admin_key(p)


def cmd_peers_import(args: argparse.Namespace) -> int:
    from gallery.federation.follow import import_from_peer

    result = import_from_peer(_store(args), args.url, args.pack_id, key=_admin_key(args))
    _report_frame(result, "imported")
    print(f"signed by key {result.signed_by}" if result.signed_by else "unsigned (the pack has no pack.json)")
    return 0


def _setup_peers_remix(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", metavar="URL", help="the remix's home instance")
    p.add_argument("remix_id", metavar="ID", help="the remix's id at its home")


def _setup_peers_hide(p: argparse.ArgumentParser) -> None:
    _setup_peers_remix(p)
    _add_admin_key(p)


def cmd_peers_hide(args: argparse.Namespace) -> int:
    from gallery.federation.remote import hide_remote

    hide_remote(_store(args), args.url, args.remix_id, key=_admin_key(args))
    print(f"{args.remix_id} from {args.url}: hidden here (its home is not told; `peers report` does that)")
    return 0


def _setup_peers_report(p: argparse.ArgumentParser) -> None:
    _setup_peers_remix(p)
    p.add_argument("--reason", required=True, help="what is wrong with it (sent to its home, at most 500 characters)")


def cmd_peers_report(args: argparse.Namespace) -> int:
    from gallery.federation.remote import report_remote

    report_remote(_store(args), args.url, args.remix_id, args.reason)
    print(f"{args.remix_id}: reported to {args.url}; its organizers decide")
    return 0


PEERS_COMMANDS = [
    ("add", "follow an instance: fetch its well-known document and pin its key (admin)", _add_peer_url, cmd_peers_add),
    ("list", "list followed instances: state, key, counts, last poll and error", _setup_peers_list, cmd_peers_list),
    ("trust", "trust a peer: its remixes leave the moderation queue (admin)", _add_peer_url, cmd_peers_trust),
    ("confirm-key", "accept the new key a peer showed (admin)", _add_peer_url, cmd_peers_confirm_key),
    ("block", "block a peer: its remixes are gone at once (admin)", _add_peer_url, cmd_peers_block),
    ("block-key", "block an instance key: every peer pinned to it is blocked (admin)", _setup_peers_block_key,
     cmd_peers_block_key),
    ("poll", "read what followed peers published since the last poll", _setup_peers_poll, cmd_peers_poll),
    ("import", "import a signed frame pack from a followed instance by its id (admin)", _setup_peers_import,
     cmd_peers_import),
    ("hide", "hide one remote remix in this gallery (admin)", _setup_peers_hide, cmd_peers_hide),
    ("report", "send a report about a remote remix to its home instance", _setup_peers_report, cmd_peers_report),
]


# --- keys show|revoke ---------------------------------------------------------------------------


def _setup_keys(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    for name, helptext, setup, handler in KEYS_COMMANDS:
        cmd = sub.add_parser(name, help=helptext, description=helptext)
        setup(cmd)
        _add_data(cmd)
        cmd.set_defaults(handler=handler)


def _setup_kshow(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON")


def cmd_kshow(args: argparse.Namespace) -> int:
    from gallery.federation.keyring import show_keys

    keys = show_keys(_store(args))
    if args.json:
        _print_json({"instance": {"key_id": keys.instance.id_hex, "key": keys.instance.text()},
                     "frames": [{"frame": k.frame, "key_id": k.key.id_hex, "key": k.key.text()} for k in keys.frames],
                     "revoked": keys.revoked})
        return 0
    print(f"instance key {keys.instance.id_hex}: {keys.instance.text()}")
    for k in keys.frames:
        print(f"frame {k.frame} key {k.key.id_hex}: {k.key.text()}")
    for r in keys.revoked:
        print(f"revoked {r.revoked} key {r.key_id}: {r.key}")
    return 0


def _setup_krevoke(p: argparse.ArgumentParser) -> None:
    p.add_argument("key", metavar="KEY_ID_OR_TEXT", help="a key id (16 hex digits) or a public key's text")
    p.add_argument("--admin-key", help="the instance admin key (default: FRAME_REMIX_ADMIN_KEY, else the key file)")


def cmd_krevoke(args: argparse.Namespace) -> int:
    from gallery.federation.keyring import revoke_key

    store = _store(args)
    revoked = revoke_key(store, args.key, args.admin_key or _instance(args).settings.admin_key)
    print(f"revoked key {revoked.key_id} ({revoked.revoked}); the well-known document lists it, "
          "and packs it signed no longer count as verified")
    return 0


KEYS_COMMANDS = [
    ("show", "print the instance key and the frame keys (public halves) and the revoked keys", _setup_kshow, cmd_kshow),
    ("revoke", "revoke a key (admin): listed as revoked; a revoked key of this instance is replaced", _setup_krevoke,
     cmd_krevoke),
]


COMMANDS = [
    ("list", "list the bundled and gallery frames with everything a script needs to fill them", _setup_list,
     cmd_list),
    ("validate", "check a frame pack (folder or .zip) and report every problem", _setup_validate, cmd_validate),
    ("render", "render a remix: one image per format plus texts.json", _setup_render, cmd_render),
    ("bulk", "render one remix per CSV row on every core", _setup_bulk, cmd_bulk),
    ("schema", "print the frame manifest's JSON Schema", lambda p: None, cmd_schema),
    ("publish", "render a remix and publish it to the gallery", _setup_publish, cmd_publish),
    ("pack", "write a gallery frame as a frame pack .zip", _setup_pack, cmd_pack),
    ("import", "import a frame pack .zip into the gallery (atomic)", _setup_import, cmd_import),
    ("export-site", "export the published gallery as a static site with feeds", _setup_export, cmd_export_site),
    ("serve", "start the browser app (the Make, Gallery and Organize pages)", _setup_serve, cmd_serve),
    ("gallery", "operate the gallery: list, show, frames, moderate, delete, publish-frame, backup", _setup_gallery,
     None),
    ("keys", "show the instance's and frames' public keys, or revoke one", _setup_keys, None),
    ("peers", "follow other instances: add, list, trust, confirm-key, block, block-key, poll, import, hide, report",
     _setup_peers, None),
]


if __name__ == "__main__":
    sys.exit(main())
