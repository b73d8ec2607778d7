"""Bulk rendering from a CSV: one remix per row, on every core, one row's error never stops the batch.

Workers are processes (two processes give ~2x on two cores; threads ~1.6x), each loading the
frame once and staying warm for all its rows.
"""
from __future__ import annotations

import csv
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from frames.bundled import load_frame
from frames.errors import FrameRemixError
from frames.images import MAX_BYTES
from frames.model import Frame
from remix.pipeline import make_remix, write_remix
from remix.render import RenderOptions

MAX_ROWS = 100_000
MAX_CSV_BYTES = 50 * 1024 * 1024
PHOTO_COLUMN = "photo"


@dataclass(frozen=True)
class Row:
    number: int  # 1-based data row (the header is row 0)
    values: dict[str, str]
    photo: str


@dataclass(frozen=True)
class RowResult:
    number: int
    ok: bool
    out_dir: str
    message: str


def read_rows(csv_path: Path, frame: Frame) -> list[Row]:
    """Rows of a UTF-8 CSV whose header names fields (and optionally `photo`)."""
    if csv_path.stat().st_size > MAX_CSV_BYTES:
        raise FrameRemixError(f"'{csv_path.name}' is larger than 50 MB; split it into smaller files")
    try:
        text = csv_path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise FrameRemixError(f"'{csv_path.name}' is not UTF-8 text; save the CSV as UTF-8") from None
    reader = csv.DictReader(text.splitlines())
    _check_header(reader.fieldnames or [], frame, csv_path.name)
    rows = []
    for number, record in enumerate(reader, start=1):
        if number > MAX_ROWS:
            raise FrameRemixError(f"'{csv_path.name}' has more than {MAX_ROWS} rows; split it")
        photo = (record.pop(PHOTO_COLUMN, "") or "").strip()
        values = {k: v or "" for k, v in record.items() if k is not None}
        rows.append(Row(number, values, photo))
    return rows


def _check_header(header: Sequence[str], frame: Frame, name: str) -> None:
    known = {f.name for f in frame.manifest.fields if f.kind != "photo"} | {PHOTO_COLUMN}
    unknown = [h for h in header if h not in known]
    if not header:
        raise FrameRemixError(f"'{name}' has no header row; the first row must name the fields")
    if unknown:
        raise FrameRemixError(
            f"'{name}' has columns this frame does not know: {', '.join(unknown)}; "
            f"use: {', '.join(sorted(known))}"
        )


_FRAME: Frame | None = None
_OPTIONS = RenderOptions()


def _init_worker(path_or_id: str, options: RenderOptions) -> None:
    global _FRAME, _OPTIONS
    _FRAME, _OPTIONS = load_frame(path_or_id), options


def render_row(row: Row, base_dir: str, out_dir: str) -> RowResult:
    """Render one row into out_dir/row-NNNNN/; errors become a message, never an exception."""
    assert _FRAME is not None, "render_row runs in a pool whose initializer (_init_worker) loaded the frame"
    target = Path(out_dir) / f"row-{row.number:05d}"
    try:
        photo = _read_photo(Path(base_dir), row.photo) if row.photo else None
        result = make_remix(_FRAME, row.values, photo, None, _OPTIONS, strict=True)
        write_remix(result, target)
        return RowResult(row.number, True, str(target), "ok")
    except FrameRemixError as exc:
        return RowResult(row.number, False, "", str(exc).replace("\n", "; "))
    except OSError as exc:
        return RowResult(row.number, False, "", f"could not read or write a file: {exc.strerror or exc}")


def _read_photo(base: Path, name: str) -> bytes:
    path = (base / name).resolve()
    if not path.is_file():
        raise FrameRemixError(f"photo '{name}' was not found next to the CSV")
    if path.stat().st_size > MAX_BYTES:
        raise FrameRemixError(f"photo '{name}' is larger than {MAX_BYTES // 2**20} MB; use a smaller photo")
    return path.read_bytes()


def run_bulk(
    path_or_id: str, rows: list[Row], base_dir: Path, out_dir: Path, *, jobs: int | None = None,
    options: RenderOptions = RenderOptions(), progress: Callable[[int, int], None] | None = None,
) -> list[RowResult]:
    """Render every row with `jobs` worker processes (default: every core); results in row order."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, 32, max(1, len(rows))))
    results: list[RowResult] = []
    with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(path_or_id, options)) as pool:
        bases, outs = [str(base_dir)] * len(rows), [str(out_dir)] * len(rows)
        for result in pool.map(render_row, rows, bases, outs, chunksize=4):
            results.append(result)
            if progress:
                progress(len(results), len(rows))
    return results


def write_report(results: list[RowResult], out_dir: Path) -> Path:
    """report.csv: one line per row with its status and message."""
    path = out_dir / "report.csv"
    out_dir.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["row", "status", "output", "message"])
        for r in results:
            writer.writerow([r.number, "ok" if r.ok else "error", r.out_dir, r.message])
    return path
