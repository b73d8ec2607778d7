"""Fitting text into a box and drawing it: wrap, shrink, balance, bidi, font fallback per run.

Why not `PIL.ImageText.Text.wrap`: it takes one font, and a participant's story may mix Latin,
Arabic and Devanagari in one line; here each run is drawn with the bundled font that covers it.
Words are measured once at a reference size and scaled (fast size search), then the chosen
lines are measured for real, ink overhang included, so the promise holds: text never leaves
its box. Breaks fall where ICU's line breaker (UAX #14) allows them, never inside a grapheme
cluster; bidi levels come from the Rust unicode-bidi crate (`remix.bidi`); emoji are pasted in colour, scaled from the emoji font's one bitmap size.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex
from icu4py.breakers import LineBreaker
from PIL import Image, ImageDraw

from frames.fontbook import CJK
from remix import bidi, glyphs
from remix.fonts import (
    advance,
    chain,
    cjk_language,
    clusters,
    embolden,
    font,
    font_runs,
    metrics,
    scale,
    strike,
)

REF = 100
ELLIPSIS = "…"
BREAK_LOCALE = "en"  # ICU picks the Thai, Lao, Khmer and Burmese dictionaries by script, not locale
_THAI = regex.compile(r"[\u0E00-\u0E7F]")


@dataclass(frozen=True)
class Fit:
    """The chosen size and lines; `clipped` is True when the text had to be cut."""

    size: int
    lines: tuple[tuple[str, bool], ...]  # (logical text, paragraph is right-to-left)
    pitch: int
    ascent: int
    descent: int
    clipped: bool

    @property
    def height(self) -> int:
        return (len(self.lines) - 1) * self.pitch + self.ascent + self.descent if self.lines else 0


@dataclass(frozen=True)
class Token:
    text: str
    width: float  # at REF, without trailing spaces
    space: float  # width of the trailing spaces at REF
    rtl: bool


@lru_cache(maxsize=4096)
def _line_segments(paragraph: str) -> tuple[str, ...]:
    """ICU's line breaker (full UAX #14, with dictionaries for Thai, Lao, Khmer and Burmese)."""
    return tuple(LineBreaker(paragraph, BREAK_LOCALE))


def thai_breaks(paragraph: str) -> frozenset[int]:
    """Offsets inside runs of Thai letters where a word ends, so a line may break there."""
    out, pos = set(), 0
    for segment in _line_segments(paragraph)[:-1]:
        pos += len(segment)
        if _THAI.match(paragraph, pos) and _THAI.match(paragraph, pos - 1):
            out.add(pos)
    return frozenset(out)


def split_tokens(paragraph: str) -> list[str]:
    """Pieces of a paragraph between line-break opportunities, each with its trailing spaces.

    The opportunities are ICU's (UAX #14): never inside a number (`1,000,000`, `-5`), a hashtag
    (`#Budget2026`) or a word, never before closing or after opening punctuation, between
    Chinese and Japanese characters, and between Thai words found by ICU's dictionary. A
    piece is also never cut inside a grapheme cluster (a conjunct, a flag, a family emoji).
    """
    if not paragraph:
        return []
    out: list[str] = []
    starts, pos = _cluster_starts(paragraph), 0
    for segment in _line_segments(paragraph):
        if out and pos not in starts:
            out[-1] += segment  # a break ICU allows inside a cluster: keep the cluster whole
        else:
            out.append(segment)
        pos += len(segment)
    return out


@lru_cache(maxsize=4096)
def _cluster_starts(paragraph: str) -> frozenset[int]:
    starts, pos = set(), 0
    for cl in clusters(paragraph):
        starts.add(pos)
        pos += len(cl)
    return frozenset(starts)


@lru_cache(maxsize=65536)
def measure(family: str, text: str, size: int = REF) -> float:
    """Advance width of a logical string drawn with the family's fallback fonts."""
    paths = chain(family)
    return sum(advance(paths[i], run, size) for run, i in font_runs(family, text) if run)


@lru_cache(maxsize=65536)
def token(family: str, text: str) -> Token:
    word = text.rstrip(" ")
    rtl = bidi.base_is_rtl(word)
    return Token(text, measure(family, word), measure(family, text[len(word):]) if word != text else 0.0, rtl)


def _hard_split(family: str, tok: Token, limit: float) -> list[Token]:
    """Break a word wider than the line into pieces that fit (long words, URLs, CJK runs).

    Between grapheme clusters, and where possible not inside a number: `#Budget2026` becomes
    `#Budget` + `2026`, not `#Budget20` + `26`.
    """
    pieces: list[str] = []
    current: list[str] = []
    for cl in clusters(tok.text.rstrip(" ")):
        if current and measure(family, "".join(current) + cl) > limit:
            cut = _cut_outside_number(current, cl)
            pieces.append("".join(current[:cut]))
            current = current[cut:]
        current.append(cl)
    pieces.append("".join(current) + tok.text[len(tok.text.rstrip(" ")):])
    return [token(family, p) for p in pieces]


def _cut_outside_number(current: list[str], following: str) -> int:
    """Where to end the piece: before the number a cut here would split (digits with their
    `,` `.` separators), unless the piece is nothing but that number."""
    if not (current[-1][-1].isdigit() and following[0].isdigit()):
        return len(current)
    cut = len(current)
    while cut > 0 and (current[cut - 1][-1].isdigit() or (current[cut - 1] in ",." and cut > 1 and current[cut - 2][-1].isdigit())):
        cut -= 1
    return cut or len(current)


def wrap(family: str, tokens: list[Token], limit: float) -> list[list[Token]]:
    """Greedy line filling at reference size; every line's width (sans trailing space) <= limit."""
    lines: list[list[Token]] = []
    line: list[Token] = []
    width = 0.0
    queue = list(tokens)
    while queue:
        tok = queue.pop(0)
        if line and width + line[-1].space + tok.width <= limit:
            width += line[-1].space + tok.width
            line.append(tok)
            continue
        if line:
            lines.append(line)
        if tok.width > limit and len(clusters(tok.text.rstrip(" "))) > 1:
            queue[:0] = _hard_split(family, tok, limit)
            line, width = [], 0.0
            continue
        line, width = [tok], tok.width
    if line:
        lines.append(line)
    return lines


def _metrics(family: str, text: str) -> tuple[float, float]:
    """Ascent and descent at REF over the fonts the text actually uses."""
    paths = chain(family)
    used = {i for _, i in font_runs(family, text)} or {0}
    pairs = [metrics(paths[i], REF) for i in used]
    return max(a for a, _ in pairs), max(d for _, d in pairs)


@dataclass(frozen=True)
class Paragraphs:
    family: str
    items: tuple[tuple[tuple[Token, ...], bool], ...]
    ascent: float
    descent: float


def prepare(family: str, text: str, rtl: bool | None = None, prefer_rtl: bool = False) -> Paragraphs:
    """Tokenize and measure once; every size tried afterwards only scales these numbers.

    `rtl` fixes every paragraph's direction (None: from the text, `remix.bidi.paragraph_rtl`;
    `prefer_rtl` for a render in a right-to-left language).
    """
    default_rtl = bidi.paragraph_rtl(text, prefer_rtl)
    items = []
    for para in text.split("\n"):
        tokens = tuple(token(family, t) for t in split_tokens(para))
        items.append((tokens, bidi.paragraph_rtl(para, prefer_rtl, default_rtl) if rtl is None else rtl))
    asc, desc = _metrics(family, text)
    return Paragraphs(family, tuple(items), asc, desc)


def _lines_at(p: Paragraphs, limit: float) -> list[tuple[list[Token], bool]]:
    out: list[tuple[list[Token], bool]] = []
    for tokens, rtl in p.items:
        if not tokens:
            out.append(([], rtl))
            continue
        out.extend((line, rtl) for line in wrap(p.family, list(tokens), limit))
    return out


def _block_height(p: Paragraphs, n: int, size: int, line_height: float) -> float:
    scale = size / REF
    return (n - 1) * round(size * line_height) + (p.ascent + p.descent) * scale


def _feasible(p: Paragraphs, size: int, w: int, h: int, max_lines: int, lh: float) -> bool:
    lines = _lines_at(p, w * REF / size)
    return len(lines) <= max_lines and _block_height(p, len(lines), size, lh) <= h


def _largest_size(p: Paragraphs, w: int, h: int, lo: int, hi: int, max_lines: int, lh: float) -> int | None:
    if not _feasible(p, lo, w, h, max_lines, lh):
        return None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _feasible(p, mid, w, h, max_lines, lh):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _balanced_limit(p: Paragraphs, size: int, w: int) -> float:
    """The narrowest line width that keeps the same number of lines: evens out ragged lines."""
    full = w * REF / size
    count = len(_lines_at(p, full))
    if count < 2:
        return full
    widest = max((t.width for tokens, _ in p.items for t in tokens if t.width <= full), default=0.0)
    lo, hi = max(full * 0.5, widest), full  # never so narrow that a word which fits gets cut
    for _ in range(10):
        mid = (lo + hi) / 2
        if len(_lines_at(p, mid)) <= count:
            hi = mid
        else:
            lo = mid
    return hi


def fit_text(
    text: str, family: str, width: int, height: int, *, min_size: int, max_size: int,
    max_lines: int = 12, line_height: float = 1.2, balance: bool = True, rtl: bool | None = None,
    prefer_rtl: bool = False,
) -> Fit:
    """Largest size in [min_size, max_size] at which the text fits; else min_size, clipped.

    `rtl` fixes the paragraphs' direction (the credit line's wording is left-to-right whatever
    script a title quoted in it uses); None takes it from the text, and `prefer_rtl` (a render in
    a right-to-left language) makes every paragraph with a right-to-left letter right-to-left.
    """
    p = prepare(family, text, rtl, prefer_rtl)
    size = _largest_size(p, width, height, min_size, max_size, max_lines, line_height)
    while size is not None:
        limit = _balanced_limit(p, size, width) if balance else width * REF / size
        fit = _make_fit(p, size, _lines_at(p, limit), line_height, clipped=False)
        if _fits_for_real(fit, family, width, height) or size == min_size:
            if _fits_for_real(fit, family, width, height):
                return fit
            break
        size -= 1
    return _clipped_fit(p, family, text, width, height, min_size, max_lines, line_height)


def _make_fit(p: Paragraphs, size: int, lines: list[tuple[list[Token], bool]], lh: float, clipped: bool) -> Fit:
    texts = tuple(("".join(t.text for t in toks).rstrip(" "), rtl) for toks, rtl in lines)
    scale = size / REF
    return Fit(size, texts, round(size * lh), round(p.ascent * scale + 0.5), round(p.descent * scale + 0.5), clipped)


def line_width(family: str, text: str, size: int, rtl: bool = False) -> float:
    """Width the line's ink needs: its advance plus any overhang at either end."""
    before, after = overhang(family, text, rtl, size)
    return measure(family, text, size) + before + after


@lru_cache(maxsize=4096)
def overhang(family: str, text: str, rtl: bool, size: int) -> tuple[float, float]:
    """How far ink reaches left of the line's start and right of its advance (a Devanagari
    headline, an italic tail): the line is moved and measured so that ink stays in the box."""
    runs = line_runs(family, text, rtl)
    if not runs:
        return 0.0, 0.0
    return _ink_beyond(family, runs[0], size)[0], _ink_beyond(family, runs[-1], size)[1]


def _ink_beyond(family: str, run: Run, size: int) -> tuple[float, float]:
    """Overhang of a run's left and right ends, measured on the word at each end (cheap)."""
    path = chain(family)[run.font_index]
    if strike(path):
        return 0.0, 0.0
    rtl = bool(run.level % 2)
    bold = embolden(family, path, size)
    words = run.text.split(" ")
    first, last = (words[-1], words[0]) if rtl else (words[0], words[-1])
    left = _word_ink(path, size, first, rtl)[0] - bold if first else 0
    right = _word_ink(path, size, last, rtl)[1] + bold if last else 0
    return max(0.0, -left), max(0.0, right)


@lru_cache(maxsize=16384)
def _word_ink(path: Path, size: int, word: str, rtl: bool) -> tuple[float, float]:
    """Where a word's ink starts left of its origin and ends right of its advance, measured
    once per word and size (FreeType lays the word out for each, ~0.1 ms). Measured on the
    whole word, not from its characters' ink: hinting places ink by up to a pixel differently
    in context, enough to move a centred line."""
    face, direction = font(path, size), "rtl" if rtl else "ltr"
    box = face.getbbox(word, anchor="ls", direction=direction)
    return box[0], box[2] - face.getlength(word, direction=direction)


def _fits_for_real(fit: Fit, family: str, width: int, height: int) -> bool:
    return fit.height <= height and all(line_width(family, t, fit.size, rtl) <= width for t, rtl in fit.lines)


def _clipped_fit(p: Paragraphs, family: str, text: str, width: int, height: int, min_size: int, max_lines: int, lh: float) -> Fit:
    """Last resort: the smallest size, as many lines as fit, cut with an ellipsis.

    Lines and height are checked as drawn (ink overhang, rounded metrics), not as estimated,
    so the promise holds here too: nothing leaves the box.
    """
    size = min_size
    while size > 6 and _make_fit(p, size, [([], False)], lh, clipped=True).height > height:
        size -= 1  # even one line is too tall: go below min_size rather than out of the box
    lines = _lines_at(p, width * REF / size)
    fit = _make_fit(p, size, lines[:max(1, max_lines)], lh, clipped=len(lines) > max_lines)
    kept = list(fit.lines)
    while len(kept) > 1 and Fit(size, tuple(kept), fit.pitch, fit.ascent, fit.descent, True).height > height:
        kept.pop()
    clipped = fit.clipped or len(kept) < len(fit.lines)
    kept = [(_within(family, t, size, width, rtl, ellipsis=False), rtl) for t, rtl in kept]
    if clipped:
        last, rtl = kept[-1]
        kept[-1] = (_within(family, last, size, width, rtl, ellipsis=True), rtl)
    return Fit(size, tuple(kept), fit.pitch, fit.ascent, fit.descent, clipped or kept != list(fit.lines))


def _within(family: str, line: str, size: int, width: int, rtl: bool, *, ellipsis: bool) -> str:
    """The line cut (between clusters) until its ink fits `width`, ending in an ellipsis if asked."""
    tail = ELLIPSIS if ellipsis else ""
    if not ellipsis and line_width(family, line, size, rtl) <= width:
        return line
    parts = clusters(line)
    while parts and line_width(family, "".join(parts).rstrip() + tail, size, rtl) > width:
        parts.pop()
    return "".join(parts).rstrip() + tail if parts else ""


# --- drawing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    text: str
    font_index: int
    level: int


def line_runs(family: str, text: str, rtl: bool) -> list[Run]:
    """Logical runs of one level and one font, returned in visual (left-to-right) order."""
    if not rtl and text.isascii() and font_runs(family, text) == [(text, 0)]:
        return [Run(text, 0, 0)]  # the common case: plain Latin, one font, left to right
    levels = bidi.levels(text, rtl)
    runs: list[Run] = []
    pos = 0
    for piece, idx in font_runs(family, text):
        for cl in clusters(piece):
            level = levels[pos]
            if runs and runs[-1].font_index == idx and runs[-1].level == level:
                runs[-1] = Run(runs[-1].text + cl, idx, level)
            else:
                runs.append(Run(cl, idx, level))
            pos += len(cl)
    order = bidi.visual_order([r.level for r in runs])
    return [runs[i] for i in order]


def _start_x(align: str, rtl: bool, left: int, right: int, width: float) -> float:
    if align == "start":
        align = "right" if rtl else "left"
    elif align == "end":
        align = "left" if rtl else "right"
    if align == "left":
        return left
    if align == "right":
        return right - width
    return left + (right - left - width) / 2


def draw_fit(
    canvas: Image.Image, fit: Fit, family: str, box: tuple[int, int, int, int], *,
    align: str = "start", valign: str = "top", fill: tuple[int, ...] = (0, 0, 0),
    stroke: int = 0, stroke_fill: tuple[int, ...] | None = None,
) -> list[tuple[float, float, float, float]]:
    """Draw the fitted lines inside box; returns each line's (left, top, right, bottom).

    Emoji are pasted in colour onto the canvas (JPEG and PNG outputs alike).
    """
    draw = ImageDraw.Draw(canvas)
    left, top, right, bottom = box
    offset = {"top": 0, "middle": (bottom - top - fit.height) / 2, "bottom": bottom - top - fit.height}[valign]
    paths = chain(family)
    placed = []
    for i, (text, rtl) in enumerate(fit.lines):
        runs = line_runs(family, text, rtl)
        widths = [advance(paths[r.font_index], r.text, fit.size) for r in runs]
        before, after = overhang(family, text, rtl, fit.size)
        x = _start_x(align, rtl, left, right, before + sum(widths) + after)
        baseline = top + offset + fit.ascent + i * fit.pitch
        placed.append((x, baseline - fit.ascent, x + before + sum(widths) + after, baseline + fit.descent))
        x += before
        language = cjk_language(text)
        for run, w in zip(runs, widths):
            path = paths[run.font_index]
            if run.text.isspace() and not stroke:
                pass  # nothing to draw; one Pillow call per run is what mixed lines cost
            elif strike(path):
                _draw_emoji(canvas, path, run, (x, baseline), fit.size)
            elif not stroke and not run.level % 2 and glyphs.cacheable(run.text, fit.size) and not embolden(family, path, fit.size):
                forms = language if path.name == CJK else None  # only the CJK font has per-language glyphs
                glyphs.draw_run(canvas, path, fit.size, run.text, (x, baseline), fill, forms)
            else:
                bold = 0 if stroke else embolden(family, path, fit.size)
                draw.text(
                    (x, baseline), run.text, font=font(path, fit.size), anchor="ls",
                    direction="rtl" if run.level % 2 else "ltr", fill=fill,
                    stroke_width=stroke or bold, stroke_fill=stroke_fill if stroke else fill, language=language,
                )
            x += w
    return placed


def _draw_emoji(canvas: Image.Image, path: Path, run: Run, origin: tuple[float, float], size: int) -> None:
    """Paste each emoji sequence of a run, left to right (reversed on a right-to-left level)."""
    x, baseline = origin
    sequences = clusters(run.text)
    for cluster in reversed(sequences) if run.level % 2 else sequences:
        image, ascent = emoji_image(path, cluster, size)
        canvas.paste(image, (round(x), round(baseline - ascent)), image)
        x += advance(path, cluster, size)


def emoji_image(path: Path, cluster: str, size: int) -> tuple[Image.Image, int]:
    """One emoji sequence in colour scaled to `size` (RGBA), with its ascent in pixels at `size`.

    The strike-size bitmap is drawn once per sequence; scaled copies are cached only up to the
    glyph cache's size limit, so big emoji cannot fill memory.
    """
    return _scaled_emoji(path, cluster, size) if size <= glyphs.MAX_SIZE else _scale_emoji(path, cluster, size)


@lru_cache(maxsize=512)
def _emoji_strike(path: Path, cluster: str) -> tuple[Image.Image, int]:
    face = font(path, strike(path) or 0)
    ascent, descent = face.getmetrics()
    layer = Image.new("RGBA", (max(1, math.ceil(face.getlength(cluster))), ascent + descent), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((0, ascent), cluster, font=face, anchor="ls", embedded_color=True)
    return layer, ascent


@lru_cache(maxsize=512)
def _scaled_emoji(path: Path, cluster: str, size: int) -> tuple[Image.Image, int]:
    return _scale_emoji(path, cluster, size)


def _scale_emoji(path: Path, cluster: str, size: int) -> tuple[Image.Image, int]:
    layer, ascent = _emoji_strike(path, cluster)
    k = scale(path, size)
    scaled = layer.resize((max(1, round(layer.width * k)), max(1, round(layer.height * k))), Image.Resampling.LANCZOS)
    return scaled, round(ascent * k)
