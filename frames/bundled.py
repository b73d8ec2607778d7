"""The example frames shipped inside the package: ready to remix, and the test fixtures."""
from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from frames.errors import FrameError
from frames.model import Frame
from frames.pack import load_pack

BUNDLED_DIR = Path(__file__).parent / "bundled"
# The project's sample photo (an illustration made for frame-remix, CC0; frames/samples/LICENCE.md):
# what `--sample` renders and previews without an upload show in a photo box.
SAMPLE_PHOTO = Path(__file__).parent / "samples" / "sample-photo.jpg"


@lru_cache(maxsize=1)
def bundled_ids() -> tuple[str, ...]:
    """The ids of the frames shipped in the package (read from disk once per process)."""
    return tuple(sorted(p.name for p in BUNDLED_DIR.iterdir() if (p / "frame.toml").is_file()))


@cache
def bundled_frame(frame_id: str) -> Frame:
    """One bundled frame by id (loaded and validated once per process)."""
    if frame_id not in bundled_ids():
        raise FrameError(f"there is no bundled frame '{frame_id}'; use one of: {', '.join(bundled_ids())}")
    return load_pack(BUNDLED_DIR / frame_id)


def bundled_frames() -> list[Frame]:
    return [bundled_frame(i) for i in bundled_ids()]


def load_frame(path_or_id: str | Path) -> Frame:
    """A frame from a folder, a .zip, or a bundled id (a path that exists wins over an id)."""
    path = Path(path_or_id)
    if path.exists():
        return load_pack(path)
    if isinstance(path_or_id, str) and path_or_id in bundled_ids():
        return bundled_frame(path_or_id)
    raise FrameError(f"'{path_or_id}' is neither a frame pack on disk nor a bundled frame id ({', '.join(bundled_ids())})")
