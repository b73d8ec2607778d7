"""Loading bundled fonts once and choosing, per grapheme cluster, the font of a family that covers it.

`truetype()` on every measurement is what makes naive renderers slow, so fonts are cached per
(file, size) and character maps per file. Only files from `frames.fontbook` are ever opened.
Colour bitmap fonts (Noto Color Emoji, CBDT) exist at one pixel size only: they are loaded at
that strike size and every width and height taken from them is scaled to the text size.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import regex
from fontTools.ttLib import TTFont
from PIL import ImageFont

from frames.fontbook import font_paths, synthetic_bold
from remix.textnorm import graphemes

EMOJI_SCALE = 0.9
_ATTACHING = {"Mn", "Mc", "Me"}
_JOINERS = {0x200C, 0x200D, 0xFE0E, 0xFE0F}
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")
_EMOJI_PARTS = regex.compile(r"[\uFE0F\u20E3\U0001F1E6-\U0001F1FF\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F]")
_KANA = regex.compile(r"[\u3040-\u30FF\u31F0-\u31FF\uFF66-\uFF9F]")
_HAN = regex.compile(r"\p{Han}")
_HANGUL = regex.compile(r"[\uAC00-\uD7A3\u1100-\u11FF\u3130-\u318F]")


@lru_cache(maxsize=64)
def chain(family: str) -> tuple[Path, ...]:
    return font_paths(family)


@lru_cache(maxsize=64)
def coverage(path: Path) -> frozenset[int]:
    """The code points a font file has glyphs for (read once per process, only when needed)."""
    with TTFont(str(path), lazy=True) as tt:
        return frozenset(tt.getBestCmap() or {})


@lru_cache(maxsize=64)
def strike(path: Path) -> int | None:
    """The only pixel size a colour bitmap font can be drawn at; None for outline fonts."""
    with TTFont(str(path), lazy=True) as tt:
        if "CBLC" not in tt:
            return None
        data = tt.getTableData("CBLC")  # raw: decompiling the table would walk every glyph
    return data[8 + 45]  # first BitmapSize record (after an 8-byte header), its ppemY byte


def font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """The cached font at `size`; a bitmap font is always loaded at its strike size (once)."""
    return _loaded(path, strike(path) or size)


@lru_cache(maxsize=1024)
def _loaded(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def scale(path: Path, size: int) -> float:
    """Factor from the loaded font's pixels to the text size's (1 for outline fonts).

    Noto Color Emoji's bitmaps are 1.17 em tall at their design size; drawn at 90 % of it an
    emoji stands a little above capital height, and lines of emoji keep apart at line height 1.2.
    """
    native = strike(path)
    return EMOJI_SCALE * size / native if native else 1.0


@lru_cache(maxsize=16384)
def advance(path: Path, text: str, size: int) -> float:
    """Advance width of one run at `size` (emoji runs measured one sequence at a time).

    A run of a script the shaper maps one character to one glyph, all of whose characters
    and pairs the glyph cache has already measured at this size (`remix.glyphs.known_width`),
    is summed from those: a new line of known words then costs no layout by HarfBuzz (~1 M
    instructions a call, most of a render's text cost). Anything new is laid out once.
    """
    if strike(path):
        f = font(path, size)
        return sum(f.getlength(c) for c in clusters(text)) * scale(path, size)
    if len(text) > 2 and (known := _known_width(path, size, text)) is not None:
        return known
    return font(path, size).getlength(text)


@lru_cache(maxsize=65536)
def kerning(path: Path, size: int, pair: str) -> float:
    """How much the shaper moves the second character of a pair (negative: closer)."""
    return font(path, size).getlength(pair) - advance(path, pair[0], size) - advance(path, pair[1], size)


def _known_width(path: Path, size: int, text: str) -> float | None:
    from remix.glyphs import known_width

    return known_width(path, size, text)


@lru_cache(maxsize=256)
def embolden(family: str, path: Path, size: int) -> int:
    """Stroke width (px) that fakes a bold weight for a regular-only file in a bold family."""
    return max(1, round(size / 30)) if synthetic_bold(family, path) else 0


def metrics(path: Path, size: int) -> tuple[float, float]:
    """Ascent and descent at `size`."""
    ascent, descent = font(path, size).getmetrics()
    factor = scale(path, size)
    return ascent * factor, descent * factor


def attaches(char: str) -> bool:
    """Marks, joiners and variation selectors belong to the character before them."""
    return ord(char) in _JOINERS or unicodedata.category(char) in _ATTACHING


clusters = graphemes  # the one grapheme splitter lives in remix.textnorm; layout code calls it `clusters`


@lru_cache(maxsize=8192)
def is_emoji(cluster: str) -> bool:
    """True for a cluster meant to be shown as a colour emoji (sequences included)."""
    if "\ufe0e" in cluster:  # text presentation explicitly asked for
        return False
    if "\u20e3" in cluster or (_EMOJI_PARTS.search(cluster) and not cluster[0].isascii()):
        return True  # keycap, emoji-style selector, flag, skin tone or tag sequence
    if _EMOJI_PRESENTATION.match(cluster):
        return True
    return "\u200d" in cluster and _EMOJI_PRESENTATION.search(cluster) is not None


@lru_cache(maxsize=65536)
def font_index(family: str, cluster: str) -> int:
    """Index in the family's chain of the font for a cluster (0 if none covers it).

    Emoji go to the colour bitmap font; anything else to the first outline font that covers
    every character of the cluster, or failing that its first character, or failing that to
    the colour font (in colour, rather than a box).
    """
    if is_emoji(cluster) and (colour := _colour_font(family, ord(cluster[0]))) is not None:
        return colour
    needed = [ord(c) for c in cluster if ord(c) not in _JOINERS] or [ord(cluster[0])]
    for wanted in (needed, needed[:1]):
        for i, path in enumerate(chain(family)):
            if not strike(path) and all(c in coverage(path) for c in wanted):
                return i
    colour = _colour_font(family, ord(cluster[0]))  # a text-style symbol (☺ ✈ ⚠) only it has
    return 0 if colour is None else colour


def _colour_font(family: str, code: int) -> int | None:
    return next((i for i, p in enumerate(chain(family)) if strike(p) and code in coverage(p)), None)


def covers(family: str, char: str) -> bool:
    """True when some font of the family has a glyph for `char` (no tofu box)."""
    return any(ord(char) in coverage(p) for p in chain(family))


@lru_cache(maxsize=64)
def _ascii_primary(family: str) -> bool:
    return all(c in coverage(chain(family)[0]) for c in range(0x20, 0x7F))


def font_runs(family: str, text: str) -> list[tuple[str, int]]:
    """Split text into (substring, font index) runs; spaces and punctuation stay with their neighbour."""
    if text.isascii() and _ascii_primary(family):
        return [(text, 0)] if text else []
    runs: list[list] = []
    for cluster in clusters(text):
        idx = _index_in_context(family, cluster, runs[-1][1] if runs else None)
        if runs and runs[-1][1] == idx:
            runs[-1][0] += cluster
        else:
            runs.append([cluster, idx])
    return [(t, i) for t, i in runs]


def _index_in_context(family: str, cluster: str, current: int | None) -> int:
    if current is not None and _is_common(cluster) and not is_emoji(cluster):
        path = chain(family)[current]
        if not strike(path) and ord(cluster[0]) in coverage(path):
            return current
    return font_index(family, cluster)


@lru_cache(maxsize=4096)
def _is_common(cluster: str) -> bool:
    char = cluster[0]
    return unicodedata.category(char)[0] in "ZPN" or char in "+-=<>|~^`'\"*&%$#@!?"


@lru_cache(maxsize=1024)
def cjk_language(text: str) -> str | None:
    """The language whose glyph forms Han characters in this line should take (the CJK font's
    `locl`): Japanese next to kana, Korean next to hangul, traditional Chinese when a character
    exists only in traditional script, else the font's own simplified Chinese."""
    if text.isascii():
        return None
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if any(_traditional_only(c) for c in _HAN.findall(text)):
        return "zh-Hant"
    return None


@lru_cache(maxsize=8192)
def _traditional_only(char: str) -> bool:
    """A hanzi in Big5 but not in GB 2312 (e.g. 們, 車, 環)."""
    try:
        char.encode("gb2312")
        return False
    except UnicodeEncodeError:
        pass
    try:
        char.encode("big5")
        return True
    except UnicodeEncodeError:
        return False
