"""Golden images of the bundled frames: a rendering change that moves pixels fails here.

Compared downscaled, with two tolerances, since a FreeType or libjpeg update may move an
edge by a pixel: the mean absolute difference, and the share of pixels that differ by more
than 40 (where a changed word or a moved box shows up even when the mean barely moves). Layout engine: RAQM (Pillow's wheels ship it).
A missing golden fails; write them with FRAME_REMIX_UPDATE_GOLDEN=1 and look at them first.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat, features

from frames import bundled_frame
from frames.localize import words
from remix import RenderOptions, clean_values, load_photo, render
from tests.samples import jpeg_bytes, photo_image

GOLDEN = Path(__file__).resolve().parent / "golden" / "frames"
SIZE = 360
MEAN_TOLERANCE = 0.5  # mean absolute difference per channel, 0..255
SHARE_TOLERANCE = 0.0005  # share of pixels differing by more than 40
CASES = [("ride-the-bus", "square", None), ("ride-the-bus", "story", None), ("care-counts", "square", None),
         ("care-counts", "card", None), ("clean-air", "square", None), ("clean-air", "square", "ar"),
         ("clean-air", "card", "hi")]
# The campaign look and the typesetting, each on the words that show it (name: frame, format,
# language, values over the samples).
SPECIAL = {
    "scrim": ("ride-the-bus", "card", None, {}),
    "duotone": ("clean-air", "story", None, {}),
    "curly-quotes": ("care-counts", "square", None, {"quote": "\"Care isn't a favour,\" my mum says. She's right: it's work, and it's 1,000,000 nights a year."}),
    "arabic-punctuation": ("clean-air", "square", "ar", {"city": "COP30", "hope": "COP30 في بيليم - 2026. أريد هواءً نظيفاً لـ 1,000,000 طفل."}),
    "thai": ("ride-the-bus", "square", None, {"city": "กรุงเทพ", "story": "ฉันนั่งรถเมล์ไปทำงานทุกวันเพราะมันถูกและเร็ว รัฐบาลต้องลงทุนในระบบขนส่งสาธารณะเพื่อทุกคน"}),
}


def difference(a: Image.Image, b: Image.Image) -> tuple[float, float]:
    """(mean absolute difference, share of pixels differing by more than 40)."""
    diff = ImageChops.difference(a, b)
    far = diff.convert("L").point(lambda v: 255 if v > 40 else 0)
    return sum(ImageStat.Stat(diff).mean) / 3, ImageStat.Stat(far).mean[0] / 255


def rendered(frame_id: str, fmt: str, lang: str | None, **overrides: str) -> Image.Image:
    frame = bundled_frame(frame_id)
    w = words(frame.manifest, lang)
    raw = w.samples()
    values = clean_values(frame.manifest, {**raw, **overrides})
    photo = load_photo(jpeg_bytes(photo_image(1200, 900)))
    options = RenderOptions(lang=lang, public_url="https://frames.example", maker="Ana")
    image = render(frame, values, photo, fmt, options)
    return image.resize((SIZE, round(SIZE * image.height / image.width)), Image.Resampling.LANCZOS)


@pytest.mark.parametrize("frame_id, fmt, lang", CASES)
def test_matches_golden(frame_id: str, fmt: str, lang: str | None) -> None:
    check(f"{frame_id}-{fmt}{'-' + lang if lang else ''}", rendered(frame_id, fmt, lang))


@pytest.mark.parametrize("name", SPECIAL)
def test_campaign_look_and_typesetting_match_golden(name: str) -> None:
    frame_id, fmt, lang, values = SPECIAL[name]
    check(name, rendered(frame_id, fmt, lang, **values))


def check(name: str, image: Image.Image) -> None:
    assert features.check("raqm"), "these goldens were drawn with the RAQM layout engine"
    path = GOLDEN / f"{name}.png"
    if os.environ.get("FRAME_REMIX_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        image.save(path)
    assert path.exists(), f"missing golden {path.name}: run with FRAME_REMIX_UPDATE_GOLDEN=1 and review it"
    golden = Image.open(path).convert("RGB")
    assert golden.size == image.size
    mean, share = difference(golden, image)
    assert mean <= MEAN_TOLERANCE and share <= SHARE_TOLERANCE, f"{path.name}: mean {mean:.3f}, share {share:.5f}"


def test_a_changed_word_fails_the_comparison() -> None:
    golden = Image.open(GOLDEN / "ride-the-bus-square.png").convert("RGB")
    _mean, share = difference(golden, rendered("ride-the-bus", "square", None, city="Lisbon"))
    assert share > SHARE_TOLERANCE
