"""Bidirectional text for one line: paragraph direction, embedding levels and the visual order
of runs, from the Rust `unicode-bidi` crate (through `python-bidi`).

The crate resolves the Unicode Bidirectional Algorithm (UAX #9) for us; this module only asks
it for the levels and orders the runs (rule L2), because text is drawn run by run (one font and
one direction per run, shaped by HarfBuzz) rather than as one reordered string.

`python-bidi` exposes the levels only through its debug output (`get_display(..., debug=True)`
returns the crate's `BidiInfo` printed with `{:#?}`, one level per UTF-8 byte). That format is
pinned by the version range in pyproject.toml and checked by tests/test_textlayout.py; if a
release changes it, `levels` raises instead of guessing.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from bidi import get_base_level
from bidi.bidi import get_display_inner

_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
_RTL_CLASSES = frozenset({"R", "AL"})


def base_is_rtl(text: str, default: bool = False) -> bool:
    """Paragraph direction from its first strong character (rules P2-P3); `default` when none."""
    if not has_rtl(text):
        return False if any(unicodedata.bidirectional(c) == "L" for c in text) else default
    return get_base_level(text.replace("\n", " ")) == 1  # the first strong of the whole text


def has_rtl(text: str) -> bool:
    """True when some character is strongly right-to-left (Arabic, Hebrew, Syriac, Thaana...)."""
    return not text.isascii() and any(unicodedata.bidirectional(c) in _RTL_CLASSES for c in text)


def paragraph_rtl(text: str, prefer_rtl: bool, default: bool = False) -> bool:
    """The direction a paragraph is laid out in.

    UAX #9 takes it from the first strong character, so "COP30 في بيليم." would be a
    left-to-right paragraph with its period at the right end. In a right-to-left render
    (`prefer_rtl`: an Arabic or Hebrew translation) a paragraph with any right-to-left letter is
    right-to-left, as the higher-level protocol rule HL1 allows; elsewhere the first strong wins.
    """
    if prefer_rtl and has_rtl(text):
        return True
    return base_is_rtl(text, default)


@lru_cache(maxsize=4096)
def levels(text: str, rtl: bool) -> tuple[int, ...]:
    """The resolved embedding level of every character of one line (even = LTR, odd = RTL)."""
    if not text:
        return ()
    if not has_rtl(text) and not rtl:
        return (0,) * len(text)
    dump = get_display_inner(text, "R" if rtl else "L", True)
    start, end = dump.find("levels:"), dump.find("paragraphs:")
    per_byte = [int(v) for v in _LEVEL.findall(dump, start, end)] if 0 <= start < end else []
    if len(per_byte) != len(text.encode("utf-8")):
        raise RuntimeError("python-bidi's debug output changed; check the version pinned in pyproject.toml")
    out, i = [], 0
    for char in text:
        out.append(per_byte[i])
        i += len(char.encode("utf-8"))
    return tuple(_trailing_whitespace(text, out, 1 if rtl else 0))


def _trailing_whitespace(text: str, out: list[int], base: int) -> list[int]:
    """Rule L1: whitespace at the end of a line takes the paragraph's level."""
    i = len(text)
    while i > 0 and text[i - 1].isspace():
        i -= 1
        out[i] = base
    return out


def visual_order(run_levels: Sequence[int]) -> list[int]:
    """L2: indices of runs (each of one level) in left-to-right display order."""
    order = list(range(len(run_levels)))
    if not run_levels:
        return order
    top = max(run_levels)
    lowest_odd = min((lv for lv in run_levels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if run_levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and run_levels[order[j]] >= level:
                j += 1
            order[i:j] = reversed(order[i:j])
            i = j
    return order
