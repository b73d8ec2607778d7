"""The glyph cache draws simple runs like Pillow's full path, and refuses what needs shaping."""
from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat

from frames.fontbook import font_paths
from remix import glyphs
from remix.fonts import font

LATIN = font_paths("sans")[0]
CJK = next(p for p in font_paths("sans") if "CJK" in p.name)


def both(path, size: int, text: str, language: str | None = None) -> tuple[Image.Image, Image.Image]:
    pillow, cached = Image.new("RGB", (900, 140), "white"), Image.new("RGB", (900, 140), "white")
    ImageDraw.Draw(pillow).text((10.4, 100), text, font=font(path, size), anchor="ls", fill=(20, 20, 20), language=language)
    glyphs.draw_run(cached, path, size, text, (10.4, 100), (20, 20, 20), language)
    return pillow, cached


def ink(image: Image.Image) -> tuple[int, int, int, int] | None:
    return ImageChops.invert(image.convert("L")).point(lambda v: 255 if v > 40 else 0).getbbox()


@pytest.mark.parametrize(
    "path, size, text, language",
    [
        (LATIN, 38, "AVATAR To Wa: the 7 gets us there (by 9:40), every day!", None),
        (LATIN, 64, "Kraków, Zürich, Ærøskøbing", None),
        (LATIN, 20, "Москва и Αθήνα — «вместе»", None),
        (CJK, 40, "我们一起坐公交车去市场。", None),
        (CJK, 40, "バスが好き、毎日の道。", "ja"),
    ],
)
def test_cached_runs_look_like_pillows(path, size: int, text: str, language: str | None) -> None:
    assert glyphs.cacheable(text)
    pillow, cached = both(path, size, text, language)
    a, b = ink(pillow), ink(cached)
    assert a is not None and b is not None
    assert all(abs(p - q) <= 1 for p, q in zip(a, b)), (a, b)
    assert sum(ImageStat.Stat(ImageChops.difference(pillow, cached)).mean) / 3 < 1.0


def test_kerning_is_kept() -> None:
    positions = glyphs.positions(LATIN, 64, "AVA")
    width = positions[-1] + font(LATIN, 64).getlength("A")
    assert abs(width - font(LATIN, 64).getlength("AVA")) < 0.5
    assert positions[1] < font(LATIN, 64).getlength("A")  # V tucks under A


@pytest.mark.parametrize("text", ["مرحبا", "नमस्ते", "שלום", "e\u0301", "👍🏽", "a\u200db", "สวัสดี", ""])
def test_runs_that_need_shaping_are_not_cached(text: str) -> None:
    assert not glyphs.cacheable(text)
