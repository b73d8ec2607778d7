"""Rendering real frames with real photos: sizes, pixels, metadata, determinism, every format."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from frames import bundled_frame, bundled_frames
from frames.localize import words
from remix import RenderOptions, clean_values, encode, load_photo, render
from remix.credits import frame_credit_line as credit_line
from remix.pipeline import make_remix, photo_box
from tests.samples import phone_jpeg

FRAMES = [f.id for f in bundled_frames()]


def sample_values(frame_id: str, lang: str | None = None) -> dict[str, str]:
    frame = bundled_frame(frame_id)
    w = words(frame.manifest, lang)
    raw = {f.name: w.sample(f) or (f.options[0].value if f.options else "x") for f in frame.manifest.fields if f.kind != "photo"}
    return clean_values(frame.manifest, raw)


@pytest.fixture(scope="module")
def photo():
    return load_photo(phone_jpeg(2400, 1800), fit_within=(1080, 1080))


@pytest.mark.parametrize("frame_id", FRAMES)
def test_every_format_renders_at_its_size(frame_id: str, photo) -> None:
    frame = bundled_frame(frame_id)
    for fmt, spec in frame.manifest.formats.items():
        image = render(frame, sample_values(frame_id), photo, fmt)
        assert image.size == (spec.width, spec.height) and image.mode == "RGB"
        data = encode(image, frame, fmt)
        decoded = Image.open(io.BytesIO(data))
        assert decoded.size == (spec.width, spec.height)
        assert not decoded.getexif() and "icc_profile" not in decoded.info and "exif" not in decoded.info


@pytest.mark.parametrize("frame_id", FRAMES)
def test_translations_render(frame_id: str, photo) -> None:
    frame = bundled_frame(frame_id)
    for lang in frame.manifest.translations:
        for fmt in frame.manifest.formats:
            image = render(frame, sample_values(frame_id, lang), photo, fmt, RenderOptions(lang=lang))
            assert image.getbbox() is not None


def test_render_is_deterministic(photo) -> None:
    frame = bundled_frame("ride-the-bus")
    values = sample_values("ride-the-bus")
    a = encode(render(frame, values, photo, "square"), frame, "square")
    b = encode(render(frame, values, photo, "square"), frame, "square")
    assert a == b


@pytest.mark.parametrize("frame_id", FRAMES)
def test_text_drawn_again_from_its_kept_mask_looks_the_same(frame_id: str, photo) -> None:
    """The first render draws text glyph by glyph; from the second, an unchanged fit is pasted
    from one kept mask (remix.layers.draw_lines): the pixels must not change."""
    frame = bundled_frame(frame_id)
    values = sample_values(frame_id) | {f: "Nobody drove here before 1999" for f in ("story", "hope", "quote") if f in sample_values(frame_id)}
    for fmt in frame.manifest.formats:
        options = RenderOptions(maker=f"Ana {fmt} {frame_id}")  # a credit line no earlier test drew
        first, _second, third = (render(frame, values, photo, fmt, options) for _ in range(3))
        diff = ImageChops.difference(first, third)
        assert diff.getbbox() is None or max(hi for _, hi in diff.getextrema()) <= 2, (fmt, diff.getbbox())


def test_photo_lands_in_its_box_and_text_changes_pixels(photo) -> None:
    frame = bundled_frame("ride-the-bus")
    values = sample_values("ride-the-bus")
    with_photo = render(frame, values, photo, "square")
    without = render(frame, values, None, "square")
    # The photo box is the top 56%: pixels differ there, and the text area below is the same.
    top = (0, 300, 1080, 560)
    assert with_photo.crop(top).tobytes() != without.crop(top).tobytes()
    bottom = (0, 680, 800, 1000)
    assert with_photo.crop(bottom).tobytes() == without.crop(bottom).tobytes()
    changed = render(frame, {**values, "city": "Timbuktu and beyond"}, photo, "square")
    assert changed.crop((0, 660, 1080, 800)).tobytes() != with_photo.crop((0, 660, 1080, 800)).tobytes()


def test_qr_code_points_to_this_instance(photo) -> None:
    frame = bundled_frame("ride-the-bus")
    a = render(frame, sample_values("ride-the-bus"), photo, "square", RenderOptions(public_url="https://a.example"))
    b = render(frame, sample_values("ride-the-bus"), photo, "square", RenderOptions(public_url="https://b.example"))
    qr_box = (853, 820, 1015, 983)
    assert a.crop(qr_box).tobytes() != b.crop(qr_box).tobytes()
    assert a.crop((0, 0, 800, 800)).tobytes() == b.crop((0, 0, 800, 800)).tobytes()


def test_credit_line_names_frame_organizer_licence_and_maker() -> None:
    frame = bundled_frame("ride-the-bus")
    line = credit_line(frame, words(frame.manifest), "Ana")
    assert line == "“Why I ride the bus” by Transit Riders Union · CC BY 4.0 · remix by Ana"


def test_make_remix_from_raw_phone_jpeg_strips_gps() -> None:
    frame = bundled_frame("ride-the-bus")
    result = make_remix(frame, {"city": "Kraków", "story": "Every day."}, phone_jpeg(2000, 1500, orientation=6))
    assert set(result.images) == set(frame.manifest.formats)
    for data in result.images.values():
        assert b"GPS" not in data and b"Exif" not in data and b"shot at home" not in data


def test_photo_box_is_the_largest_box() -> None:
    frame = bundled_frame("ride-the-bus")
    assert photo_box(frame, ["square"]) == (1080, 605)
    assert photo_box(frame, list(frame.manifest.formats)) == (1080, 1056)


@pytest.mark.parametrize("text", [
    "AVATAR To Wa: the 7 gets us there (by 9:40), every day!", "office fluffy affine", "Kraków, Zürich, Ærøskøbing",
    "Москва и Αθήνα — «вместе»", "我们一起坐公交车去市场。", "Nairobi 2026 #RideTheBus",
])
@pytest.mark.parametrize("size", [18, 34, 60, 88])
def test_a_runs_width_from_its_characters_and_pairs_is_the_shapers(text: str, size: int) -> None:
    """remix.fonts.advance sums a simple run from the characters and pairs the glyph cache has
    measured (no HarfBuzz layout per new line of known words)."""
    from remix.fonts import font, font_runs
    from remix.glyphs import known_width, positions
    from remix.textlayout import chain

    for run, index in font_runs("sans", text):
        path = chain("sans")[index]
        positions(path, size, run)  # what drawing the run measures
        width = known_width(path, size, run)
        assert width is not None and abs(width - font(path, size).getlength(run)) < 0.5, (run, size)

