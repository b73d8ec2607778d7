"""Loading bundled fonts once and choosing, per character, the font of a family that covers it.

`truetype()` on every measurement is what makes naive renderers slow, so fonts are cached per
(file, size) and character maps per file. Only files from `frames.fontbook` are ever opened.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

from frames.fontbook import font_paths

_ATTACHING = {"Mn", "Mc", "Me"}
_JOINERS = {0x200C, 0x200D, 0xFE0E, 0xFE0F}


@lru_cache(maxsize=64)
def chain(family: str) -> tuple[Path, ...]:
    return font_paths(family)


@lru_cache(maxsize=64)
def coverage(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for (read once per process)."""
    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


@lru_cache(maxsize=1024)
def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def attaches(char: str) -> bool:
    """Marks, joiners and variation selectors belong to the character before them."""
    return ord(char) in _JOINERS or unicodedata.category(char) in _ATTACHING


@lru_cache(maxsize=65536)
def font_index(family: str, char: str) -> int:
    """Index in the family's chain of the first font that covers `char` (0 if none does)."""
    code = ord(char)
    for i, path in enumerate(chain(family)):
        if code in coverage(path):
            return i
    return 0


def covers(family: str, char: str) -> bool:
    """True when some font of the family has a glyph for `char` (no tofu box)."""
    return any(ord(char) in coverage(p) for p in chain(family))


def font_runs(family: str, text: str) -> list[tuple[str, int]]:
    """Split text into (substring, font index) runs; spaces and marks stay with their neighbour."""
    runs: list[list] = []
    for char in text:
        idx = _index_in_context(family, char, runs[-1][1] if runs else None)
        if runs and runs[-1][1] == idx:
            runs[-1][0] += char
        else:
            runs.append([char, idx])
    return [(t, i) for t, i in runs]


def _index_in_context(family: str, char: str, current: int | None) -> int:
    if current is not None and (attaches(char) or (_is_common(char) and ord(char) in coverage(chain(family)[current]))):
        return current
    return font_index(family, char)


@lru_cache(maxsize=4096)
def _is_common(char: str) -> bool:
    return unicodedata.category(char)[0] in "ZPN" or char in "+-=<>|~^`'\"*&%$#@!?"
