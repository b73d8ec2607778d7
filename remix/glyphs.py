"""A glyph cache for simple runs: FreeType draws each glyph once per font and size, not per render.

Pillow rasterizes every glyph of every string it draws (about 60 µs a glyph on this machine),
so most of a render's text time went into redrawing the same letters. Text in scripts that
HarfBuzz maps one character to one glyph (Latin, Greek, Cyrillic, Chinese, Japanese kana,
Korean syllables and their punctuation, precomposed), drawn left to right without an outline,
is spaced by the font's advances and pair kerning; such a run is pasted here from cached glyph
masks (at eighth-pixel phases, keyed by the language whose CJK glyph forms it takes) at the
same positions. Everything else (scripts that shape, marks, right-to-left, outlines, synthetic
bold, emoji) goes through Pillow's full RAQM path in `remix.textlayout`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from remix.fonts import advance, font, kerning

_SIMPLE = (  # code point ranges shaped one character to one glyph, with no marks or joining
    (0x0020, 0x007E), (0x00A0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x2010, 0x2027),
    (0x2030, 0x205E), (0x20A0, 0x20BF), (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3), (0xFF01, 0xFF60),
)


@lru_cache(maxsize=4096)
def _simple(char: str) -> bool:
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _SIMPLE)


def cacheable(text: str, size: int = 0) -> bool:
    """True for runs this module draws like Pillow: characters that each are one glyph, at a
    size whose masks stay small (a few big headline glyphs are cheap to draw anyway)."""
    return ENABLED and size <= MAX_SIZE and simple_run(text)


def simple_run(text: str) -> bool:
    """True when every character of `text` is one glyph the shaper places by advance and pair kerning."""
    return bool(text) and ((text.isascii() and text.isprintable()) or all(_simple(c) for c in text))


ENABLED = True  # benchmarks turn it off to time Pillow's full path for the same text
MAX_SIZE = 128  # px; with at most 8,192 cached masks the cache stays under ~100 MB
PHASES = 8  # subpixel positions per pixel: glyph edges anti-alias as where Pillow would put them


@lru_cache(maxsize=8192)
def glyph(path: Path, size: int, char: str, phase: int = 0, language: str | None = None) -> tuple[Image.Image, int, int] | None:
    """(mask, dx, dy) of one character drawn `phase / PHASES` px right of a pixel's edge,
    relative to its baseline origin; None when it has no ink."""
    f = font(path, size)
    # Pillow types the box as floats (a fractional stroke width); with no stroke it is whole pixels.
    x0, y0, x1, y1 = (int(v) for v in f.getbbox(char, anchor="ls", language=language))
    if x1 <= x0 or y1 <= y0:
        return None
    mask = Image.new("L", (x1 - x0 + 1, y1 - y0), 0)
    ImageDraw.Draw(mask).text((-x0 + phase / PHASES, -y0), char, font=f, anchor="ls", fill=255, language=language)
    return mask, x0, y0



def known_width(path: Path, size: int, text: str) -> float | None:
    """A simple run's advance from the characters and pairs already measured at this size for
    drawing (their advances plus pair kerning, as `positions` places them); None when any is new."""
    if not simple_run(text):
        return None
    measured = _strike(path, size)
    try:
        return (sum(measured._advance[c] for c in text)
                + sum(measured._kerning[text[i:i + 2]] for i in range(len(text) - 1)))
    except KeyError:
        return None


def positions(path: Path, size: int, text: str) -> list[float]:
    """Each character's pen position from the run's start, as the shaper places it."""
    return _strike(path, size).positions(text)


class _Strike:
    """One font at one size: advances, kerning and glyph masks in plain dictionaries, so a
    run's characters cost a dictionary look-up each (the functions above, keyed by a Path,
    hash it on every call: most of a cached run's time went there). Masks are held as
    (core image, width, height, dx, dy); `_HELD` bounds how many all strikes keep together."""

    __slots__ = ("_advance", "_kerning", "_masks", "path", "size")

    def __init__(self, path: Path, size: int) -> None:
        self.path, self.size = path, size
        self._advance: dict[str, float] = {}
        self._kerning: dict[str, float] = {}
        self._masks: dict[tuple[str, int, str | None], tuple[Any, int, int, int, int] | None] = {}

    def positions(self, text: str) -> list[float]:
        out, x, previous = [], 0.0, ""
        for char in text:
            if previous:
                pair = previous + char
                kern = self._kerning.get(pair)
                if kern is None:
                    kern = self._kerning[pair] = kerning(self.path, self.size, pair)
                x += self._width(previous) + kern
            out.append(x)
            previous = char
        if previous:
            self._width(previous)  # the run's full advance is then known (`known_width`)
        return out

    def _width(self, char: str) -> float:
        width = self._advance.get(char)
        if width is None:
            width = self._advance[char] = advance(self.path, char, self.size)
        return width

    def mask(self, char: str, phase: int, language: str | None) -> tuple[Any, int, int, int, int] | None:
        key = (char, phase, language)
        if key in self._masks:
            return self._masks[key]
        found = glyph(self.path, self.size, char, phase, language)
        entry = None if found is None else (found[0].im, found[0].width, found[0].height, found[1], found[2])
        if _HELD[0] >= MAX_HELD:
            _strike.cache_clear()
            _HELD[0] = 0
        _HELD[0] += 1
        self._masks[key] = entry
        return entry


MAX_HELD = 8192  # masks all strikes hold together, as many as the glyph cache itself
_HELD = [0]


@lru_cache(maxsize=256)
def _strike(path: Path, size: int) -> _Strike:
    return _Strike(path, size)


def draw_run(canvas: Image.Image, path: Path, size: int, text: str, origin: tuple[float, float],
             fill: tuple[int, ...], language: str | None = None) -> None:
    """Paste a cacheable run's glyphs in `fill` with its baseline starting at `origin`."""
    x0, baseline = origin
    top = int(baseline)
    canvas.load()
    canvas._ensure_mutable()  # what Image.paste does first (a canvas shared read-only is copied)
    core = canvas.im
    strike = _strike(path, size)
    for char, x in zip(text, strike.positions(text)):
        whole, phase = divmod(round((x0 + x) * PHASES), PHASES)
        found = strike.mask(char, phase, language)
        if found is not None:
            mask, width, height, dx, dy = found
            # Pillow's core paste, as Image.paste(fill, (left, y), mask) ends up calling it: that
            # wrapper's checks cost more than pasting a glyph (~150 glyphs a render).
            left, y = whole + dx, top + dy
            core.paste(fill, (left, y, left + width, y + height), mask)
