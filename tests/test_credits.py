"""Credits you can read: one credit line (remix.credits) worded in the render's language from a
gettext catalogue, capitals at least 24 px tall on a 1080 px canvas, a plate over busy pixels."""
from __future__ import annotations

import gettext
import random
import re

import pytest
from babel.messages.pofile import read_po
from PIL import Image, ImageChops, ImageStat

from frames.bundled import bundled_frame, bundled_frames
from frames.errors import FrameError
from frames.localize import languages, words
from frames.model import CREDIT_CAP_PX, CreditLayer, credit_size
from frames.pack import frame_from_files
from remix import credits, layers
from remix.credits import LOCALE_DIR, CreditFacts, credit_line, frame_credit_line
from remix.fonts import chain, font
from remix.render import RenderOptions, render
from remix.textlayout import fit_text
from remix.values import clean_values

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
FAMILIES = ("sans", "sans-bold", "serif", "serif-bold")
FACTS = CreditFacts("Clean air", "Breathe Together", "CC0-1.0", "Ana", "Aire", "Madres")


@pytest.mark.parametrize("width", [1080, 1200, 630, 2160])
@pytest.mark.parametrize("family", FAMILIES)
def test_credit_capitals_are_at_least_24_px_on_1080_scaled_with_the_width(family: str, width: int) -> None:
    _, top, _, bottom = font(chain(family)[0], credit_size(width)).getbbox("H", anchor="ls")
    assert bottom - top >= CREDIT_CAP_PX * width / 1080


@pytest.mark.parametrize(("width", "height"), [(1080, 1080), (1080, 1920), (1200, 630)])
def test_a_drawn_credit_has_24_px_capitals_even_when_the_layer_asks_for_less(width: int, height: int) -> None:
    canvas = Image.new("RGB", (width, height), "#0b3d2e")
    layer = CreditLayer(kind="credit", box={"x": 0.05, "y": 0.8, "w": 0.9, "h": 0.15}, max_size=12, color="#ffffff")
    layers.draw_credit(canvas, layer, "HHHH")
    ink = ImageChops.difference(canvas, Image.new("RGB", canvas.size, "#0b3d2e")).convert("L").point(lambda v: 255 * (v > 128))
    _, top, _, bottom = ink.getbbox()
    assert bottom - top >= CREDIT_CAP_PX * width / 1080


def _noise(size: tuple[int, int]) -> Image.Image:
    rng = random.Random(7)
    small = Image.new("RGB", (size[0] // 8, size[1] // 8))
    small.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(small.width * small.height)])
    return small.resize(size, Image.Resampling.NEAREST)


def test_a_credit_over_busy_pixels_gets_a_plate_in_the_layout_colour_and_none_on_a_calm_one() -> None:
    layer = CreditLayer(kind="credit", box={"x": 0.05, "y": 0.85, "w": 0.9, "h": 0.12}, color="#ffffff")
    busy = _noise((1080, 1080))
    before = ImageStat.Stat(busy.crop((60, 930, 1020, 1040)).convert("L")).stddev[0]
    layers.draw_credit(busy, layer, "“Why I ride the bus” by Transit Riders Union · CC BY 4.0", plate="#0b3d2e")
    corner = busy.crop((45, 1005, 53, 1040))  # left of the text, inside the plate's padding
    assert ImageStat.Stat(corner.convert("L")).stddev[0] < before / 3
    r, g, b = (round(c) for c in ImageStat.Stat(corner).mean)
    assert g > r and g > b  # the plate is the layout's green, shining through a little
    calm = Image.new("RGB", (1080, 1080), "#0b3d2e")
    layers.draw_credit(calm, layer, "HHHH", plate="#ff0000")
    assert calm.getpixel((1000, 1040)) == (11, 61, 46) and calm.getcolors(1 << 16) is not None
    assert not any(c[1][0] > 200 and c[1][1] < 50 for c in calm.getcolors(1 << 16))  # no red plate


def test_a_credit_in_a_colour_close_to_its_backdrop_gets_a_plate() -> None:
    low = Image.new("RGB", (1080, 1080), "#7a7a7a")
    layer = CreditLayer(kind="credit", box={"x": 0.05, "y": 0.85, "w": 0.9, "h": 0.12}, color="#8a8a8a")
    layers.draw_credit(low, layer, "HHHH", plate="#7a7a7a")  # the layout's colour would not help: black or white
    assert low.getpixel((60, 1040)) != (122, 122, 122)


@pytest.mark.parametrize(("lang", "expected"), [
    (None, "“Clean air” by Breathe Together · CC0 (public domain) · adapted from “Aire” by Madres · remix by Ana"),
    ("es", "«Clean air» de Breathe Together · CC0 (dominio público) · adaptado de «Aire» de Madres · remix de Ana"),
    ("ar", "«Clean air» من Breathe Together · CC0 (ملكية عامة) · مقتبس من «Aire» لـMadres · ريمكس من Ana"),
    ("hi", "“Clean air” — Breathe Together द्वारा · CC0 (सार्वजनिक डोमेन) · Madres के “Aire” से रूपांतरित · Ana का रीमिक्स"),
    ("pt-BR", "“Clean air” by Breathe Together · CC0 (public domain) · adapted from “Aire” by Madres · remix by Ana"),
])
def test_the_credit_line_is_worded_in_the_render_language(lang: str | None, expected: str) -> None:
    assert credit_line(FACTS, lang) == expected
    assert credits.remix_by("", lang) in {"remix by anonymous", "remix de anónimo", "ريمكس من مجهول", "गुमनाम का रीमिक्स"}


def test_renders_in_a_translation_carry_its_credit_words() -> None:
    frame = bundled_frame("clean-air")
    line = frame_credit_line(frame, words(frame.manifest, "es"), "Ana")
    assert line.startswith("«") and line.endswith("remix de Ana")
    values = clean_values(frame.manifest, words(frame.manifest).samples())
    box = next(lay for lay in frame.manifest.formats["square"].layers if lay.kind == "credit").box.pixels(1080, 1080)
    en = render(frame, values, None, "square", RenderOptions(public_url="https://x.example", maker="Ana")).crop(box)
    es = render(frame, values, None, "square", RenderOptions(lang="es", public_url="https://x.example", maker="Ana")).crop(box)
    assert en.tobytes() != es.tobytes()


@pytest.mark.parametrize("lang", credits.languages())
def test_compiled_catalogues_match_their_po_files(lang: str) -> None:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    with (folder / "render.po").open("rb") as fh:
        po = read_po(fh)
    with (folder / "render.mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    used = {credits.TITLE_BY, credits.ADAPTED_FROM, credits.ADAPTED_FROM_BY, credits.REMIX_BY, credits.ANONYMOUS,
            *credits.LICENCE_NAMES.values()}
    entries = {m.id: m.string for m in po if m.id}
    assert set(entries) == used, "the .po file and remix/credits.py name different messages; update the .po"
    for msgid, msgstr in entries.items():
        assert msgstr, f"{lang}: '{msgid}' is not translated"
        assert mo.gettext(msgid) == msgstr, f"{lang}: render.mo is older than render.po; run pybabel compile"
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), f"{lang}: '{msgid}'"


def test_the_catalogue_has_every_bundled_translation() -> None:
    wanted = {lang for f in bundled_frames() for lang in languages(f.manifest)} - {"en"}
    assert wanted <= set(credits.languages()) and {"ar", "es", "hi"} <= set(credits.languages())


@pytest.mark.parametrize("frame", bundled_frames(), ids=lambda f: f.id)
def test_bundled_credits_fit_whole_in_every_format_and_language(frame) -> None:
    for lang in languages(frame.manifest):
        w = words(frame.manifest, lang)
        text = frame_credit_line(frame, w, "Ana Sofía Martínez")
        for name, spec in frame.manifest.formats.items():
            for layer in (lay for lay in spec.layers if lay.kind == "credit"):
                left, top, right, bottom = layer.box.pixels(spec.width, spec.height)
                size = credit_size(spec.width)
                fit = fit_text(text, layer.font, right - left, bottom - top, min_size=size, max_size=size, max_lines=6,
                               line_height=1.15, balance=False, rtl=w.rtl)
                assert not fit.clipped, f"{name} in {lang}: the credit line is cut"


def test_a_credit_box_too_short_for_two_lines_is_refused_in_one_sentence() -> None:
    source = bundled_frame("care-counts")
    text = source.manifest_bytes.decode().replace("box = { x = 0.09, y = 0.905, w = 0.82, h = 0.085 }",
                                                  "box = { x = 0.09, y = 0.935, w = 0.82, h = 0.04 }", 1)
    with pytest.raises(FrameError) as caught:
        frame_from_files({"frame.toml": text.encode(), **source.assets}, "short credit")
    credit = next(i for i, layer in enumerate(source.manifest.formats["square"].layers) if layer.kind == "credit")
    assert [str(p) for p in caught.value.problems] == [(
        f"formats.square.layers[{credit}].box: the credit line needs room for two lines of readable text; "
        "make the box at least 88 px tall (h >= 0.081)")]
