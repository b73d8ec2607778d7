"""Bidirectional text for one line: embedding levels and visual order of runs (UAX #9, lite).

Implements the implicit part of the Unicode Bidirectional Algorithm (rules W1-W7, N1-N2,
I1-I2, L2) without explicit embeddings: participant text has override and embedding controls
removed before it gets here (`remix.textnorm`), so the implicit rules are the whole story.
Shaping inside a run is left to HarfBuzz (Pillow's RAQM layout); this module only decides
which runs are right-to-left and in which order they stand on the line.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Sequence

_STRONG_R = {"R", "AL"}
_NEUTRAL = {"B", "S", "WS", "ON", "BN", "ES", "ET", "CS", "LRI", "RLI", "FSI", "PDI"}


@lru_cache(maxsize=4096)
def bidi_class(char: str) -> str:
    return unicodedata.bidirectional(char) or "L"


def base_is_rtl(text: str, default: bool = False) -> bool:
    """Paragraph direction from its first strong character (rules P2-P3)."""
    for char in text:
        cls = bidi_class(char)
        if cls == "L":
            return False
        if cls in _STRONG_R:
            return True
    return default


def levels(text: str, rtl: bool) -> list[int]:
    """The resolved embedding level of every character of one line (even = LTR, odd = RTL)."""
    if not text:
        return []
    types = _weak_types([bidi_class(c) for c in text], "R" if rtl else "L")
    types = _neutral_types(types, "R" if rtl else "L")
    base = 1 if rtl else 0
    return [_implicit_level(base, t) for t in types]


def _weak_types(types: list[str], sos: str) -> list[str]:
    out = list(types)
    prev, strong = sos, sos
    for i, t in enumerate(out):
        if t == "NSM":  # W1
            t = out[i] = prev if prev not in ("LRI", "RLI", "FSI", "PDI") else "ON"
        if t == "EN" and strong == "AL":  # W2
            t = out[i] = "AN"
        if t in ("L", "R", "AL"):
            strong = t
        if t == "AL":  # W3
            t = out[i] = "R"
        prev = t
    _separators_between_numbers(out)
    _terminators_next_to_numbers(out)
    strong = sos
    for i, t in enumerate(out):
        if t in ("ES", "ET", "CS"):  # W6
            out[i] = "ON"
        elif t in ("L", "R"):
            strong = t
        elif t == "EN" and strong == "L":  # W7
            out[i] = "L"
    return out


def _separators_between_numbers(out: list[str]) -> None:
    """W4: a single ES/CS between two European (or CS between two Arabic) numbers joins them."""
    for i in range(1, len(out) - 1):
        before, here, after = out[i - 1], out[i], out[i + 1]
        if here == "ES" and before == after == "EN":
            out[i] = "EN"
        elif here == "CS" and before == after and before in ("EN", "AN"):
            out[i] = before


def _terminators_next_to_numbers(out: list[str]) -> None:
    """W5: a sequence of ETs next to a European number becomes part of it."""
    i = 0
    while i < len(out):
        if out[i] != "ET":
            i += 1
            continue
        j = i
        while j < len(out) and out[j] == "ET":
            j += 1
        if (i > 0 and out[i - 1] == "EN") or (j < len(out) and out[j] == "EN"):
            out[i:j] = ["EN"] * (j - i)
        i = j


def _neutral_types(types: list[str], embedding: str) -> list[str]:
    """N1-N2: neutrals between two same-direction strongs take it; others the embedding's."""
    out = list(types)
    i = 0
    while i < len(out):
        if out[i] not in _NEUTRAL and out[i] != "ON":
            i += 1
            continue
        j = i
        while j < len(out) and (out[j] in _NEUTRAL or out[j] == "ON"):
            j += 1
        before = _strong_dir(out[i - 1]) if i > 0 else embedding
        after = _strong_dir(out[j]) if j < len(out) else embedding
        out[i:j] = [before if before == after else embedding] * (j - i)
        i = j
    return out


def _strong_dir(t: str) -> str:
    return "R" if t in ("R", "EN", "AN") else "L"


def _implicit_level(base: int, t: str) -> int:
    """I1-I2."""
    if base % 2 == 0:
        return base + (1 if t == "R" else 2 if t in ("AN", "EN") else 0)
    return base + (1 if t in ("L", "EN", "AN") else 0)


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
