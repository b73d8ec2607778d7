"""One call from a participant's raw input to finished files: the path the CLI, the bulk
renderer, the gallery's publish and the app's previews share, so they cannot drift apart.

Everything is rendered in memory first; files are written only when every part succeeded,
each through a temporary name and an atomic rename, so a failure leaves nothing half-written.
"""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from frames.localize import words
from frames.model import Frame
from remix.photo import Photo, load_photo
from remix.posttext import Texts, build_texts
from remix.render import RenderOptions, encode, extension, format_spec, render
from remix.values import clean_values


@dataclass(frozen=True)
class Remix:
    """Encoded images by format name, their file names, and the texts."""

    images: dict[str, bytes]
    names: dict[str, str]
    texts: Texts


def formats_for(frame: Frame, fmt: str | None) -> list[str]:
    """`None` or 'all' means every format of the frame."""
    if fmt in (None, "all"):
        return list(frame.manifest.formats)
    format_spec(frame, fmt)
    return [fmt]


def photo_box(frame: Frame, fmt_names: list[str]) -> tuple[int, int] | None:
    """The largest photo box among the formats: how big a decoded photo must stay."""
    sizes = [
        layer.box.pixels(spec.width, spec.height)
        for name in fmt_names
        for spec in [frame.manifest.formats[name]]
        for layer in spec.layers
        if layer.kind == "photo"
    ]
    if not sizes:
        return None
    return max(r - left for left, _, r, _ in sizes), max(b - t for _, t, _, b in sizes)


def make_remix(
    frame: Frame, raw_values: Mapping[str, str], photo: Photo | bytes | None = None,
    fmt: str | None = None, options: RenderOptions = RenderOptions(), *, strict: bool = False,
) -> Remix:
    """Validate values, decode the photo (if bytes), render and encode each requested format."""
    values = clean_values(frame.manifest, raw_values, strict=strict, require=True)
    return render_remix(frame, values, photo, formats_for(frame, fmt), options)


def render_remix(frame: Frame, values: Mapping[str, str], photo: Photo | bytes | None, names: list[str],
                 options: RenderOptions) -> Remix:
    """Render values already cleaned by `clean_values` into the named formats, with their texts."""
    if isinstance(photo, bytes):
        photo = load_photo(photo, fit_within=photo_box(frame, names))
    images = {n: render_format(frame, values, photo, n, options) for n in names}
    files = {n: f"{n}.{extension(frame, n)}" for n in names}
    return Remix(images, files, build_texts(frame, values, options))


def render_format(frame: Frame, values: Mapping[str, str], photo: Photo | None, fmt: str,
                  options: RenderOptions | None = None) -> bytes:
    """One format rendered and encoded: the one path for published images, previews and samples."""
    return encode(render(frame, values, photo, fmt, options or RenderOptions()), frame, fmt)


def sample_values(frame: Frame, lang: str | None = None) -> dict[str, str]:
    """The frame's example words (in `lang`), cleaned: what frame cards and organizer previews show."""
    return clean_values(frame.manifest, words(frame.manifest, lang).samples())


def write_remix(result: Remix, out_dir: Path) -> list[Path]:
    """Write images and texts.json into out_dir atomically (file by file); returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [atomic_write(out_dir / result.names[n], data) for n, data in result.images.items()]
    texts = json.dumps(result.texts.as_json(), ensure_ascii=False, indent=2).encode()
    written.append(atomic_write(out_dir / "texts.json", texts))
    return written


def atomic_write(path: Path, data: bytes) -> Path:
    """Write through a temporary file in the same folder and rename: readers see all or nothing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
