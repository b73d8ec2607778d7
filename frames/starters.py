"""Starters: frame packs made to be copied into a new frame, each good enough to publish as it is.

They are not gallery frames (nobody remixes a starter); the Organize page offers them, with a
thumbnail, as the first step of a new frame. Their headlines say `{{ title }}` and their colours
and fonts come from the `[brand]` kit, so a new organizer changes the words and colours once.
"""
from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from frames.errors import FrameError
from frames.pack import Frame, load_pack

STARTERS_DIR = Path(__file__).parent / "starters"


@lru_cache(maxsize=1)
def starter_ids() -> tuple[str, ...]:
    """The starters shipped in the package, in the order they are offered."""
    order = ("photo-frame", "quote-card", "statement", "event-poster", "round-badge", "rtl-first")
    found = {p.name for p in STARTERS_DIR.iterdir() if (p / "frame.toml").is_file()}
    return tuple(i for i in order if i in found) + tuple(sorted(found - set(order)))


@cache
def starter_frame(starter_id: str) -> Frame:
    """One starter by id (loaded and validated once per process)."""
    if starter_id not in starter_ids():
        raise FrameError(f"there is no starter '{starter_id}'; use one of: {', '.join(starter_ids())}")
    return load_pack(STARTERS_DIR / starter_id)
