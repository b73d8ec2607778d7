"""The cost of font fallback and shaping: a mixed-script story against a Latin one.

    .venv/bin/python -m benchmarks.text

Both stories have the same number of characters and are fitted (wrap, shrink, balance) and
drawn into the same 860 x 400 box, timed alternately; every run edits the text (rotates its
words and adds a counter), as a participant typing does, so the caches see new lines each time.
"""
from __future__ import annotations

import itertools
import sys
from collections.abc import Callable
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import paired_ms  # noqa: E402
from remix.textlayout import draw_fit, fit_text  # noqa: E402

BOX = (40, 40, 900, 440)
LATIN = (
    "Because the 7 gets my grandmother and me to the market every Saturday, and nobody in our "
    "family drives. The driver knows every stop by heart and waits when it rains."
)
MIXED = (
    "Ana from Kraków 🚲 rides with مرحبا يا جدتي every Saturday; नमस्ते दादी जी! 我们一起坐公交车 "
    "去市场。 שלום לכולם 👨‍👩‍👧‍👦 and 🇵🇱 — バスが好き, 버스 최고, สวัสดีครับ ভালো বাস 2024."
)


def same_length(text: str, length: int) -> str:
    """Repeat or cut `text` to exactly `length` characters."""
    return (text * (length // len(text) + 1))[:length].strip()


def fit_and_draw(story: str) -> Callable[[], object]:
    """A job that fits and draws the story, its words rotated and numbered anew each run."""
    words = story.split(" ")
    canvas = Image.new("RGB", (940, 480), "white")
    counter = itertools.count()

    def job() -> object:
        n = next(counter)
        k = n % len(words)
        text = " ".join(words[k:] + words[:k]) + f" {n}"
        width, height = BOX[2] - BOX[0], BOX[3] - BOX[1]
        fit = fit_text(text, "sans", width, height, min_size=18, max_size=72, max_lines=12)
        return draw_fit(canvas, fit, "sans", BOX)

    return job


def bench_text(repeat: int = 40) -> tuple[float, float]:
    """(Latin through Pillow's full shaping path, mixed-script) medians; prints both ratios.

    The cost of fallback and shaping is the mixed story against the same-length Latin story
    drawn through the same full path; the glyph cache (remix.glyphs) then makes Latin and the
    other one-glyph-per-character scripts faster still, which the second ratio shows.
    """
    from remix import glyphs

    length = max(len(LATIN), len(MIXED))
    latin, mixed = same_length(LATIN, length), same_length(MIXED, length)
    latin_ms, mixed_ms = paired_ms(fit_and_draw(latin), fit_and_draw(mixed), repeat)
    glyphs.ENABLED = False
    try:
        full_ms, mixed_full_ms = paired_ms(fit_and_draw(latin), fit_and_draw(mixed), repeat)
    finally:
        glyphs.ENABLED = True
    print(f"text fit + draw into an 860x400 box, {length} characters, new text each run, median of {repeat}")
    print(f"  latin story, glyph cache       {latin_ms:8.2f} ms")
    print(f"  latin story, full shaping path {full_ms:8.2f} ms")
    print(f"  mixed-script story             {mixed_ms:8.2f} ms   (Latin, Arabic, Hebrew, Devanagari, Bengali, Thai, CJK, emoji;"
          f" {mixed_full_ms:.2f} ms without the glyph cache)")
    print(f"  fallback + shaping cost: mixed / latin on the same path  {mixed_full_ms / full_ms:5.2f}x   (target: under 2x)")
    print(f"  mixed / latin with the glyph cache                       {mixed_ms / latin_ms:5.2f}x")
    return full_ms, mixed_full_ms


if __name__ == "__main__":
    bench_text()
