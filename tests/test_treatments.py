"""Photo treatments an organizer chooses per photo layer: a duotone in two brand colours and a
scrim (a gradient under the text), checked on real pixels, and their friendly validation."""
from __future__ import annotations

import pytest
from PIL import Image

from frames.pack import frame_from_files
from remix import RenderOptions, load_photo, render
from tests.samples import jpeg_bytes, photo_image
from tests.test_manifest import problems

FRAME = """
id = "treated"
title = "Treated"
[organizer]
name = "Org"
[texts]
post = "x"
alt = "alt"
[[fields]]
name = "photo"
kind = "photo"
label = "Photo"
[formats.square]
width = 400
height = 400
[[formats.square.layers]]
kind = "background"
color = "#ffffff"
[[formats.square.layers]]
kind = "photo"
box = { x = 0.0, y = 0.0, w = 1.0, h = 1.0 }
"""
DARK, LIGHT = (20, 30, 90), (250, 200, 60)


def drawn(extra: str = "") -> Image.Image:
    frame = frame_from_files({"frame.toml": (FRAME + extra).encode()}, "test")
    photo = load_photo(jpeg_bytes(photo_image(800, 800)))
    return render(frame, {}, photo, "square", RenderOptions(public_url="https://x.example"))


def test_duotone_maps_every_pixel_between_the_two_brand_colours() -> None:
    image = drawn('duotone = { dark = "#141e5a", light = "#fac83c" }')
    plain = drawn()
    for xy in [(10, 10), (200, 100), (300, 250), (100, 350), (390, 390)]:
        r, g, b = image.getpixel(xy)
        t = (r - DARK[0]) / (LIGHT[0] - DARK[0])
        expected = [d + t * (li - d) for d, li in zip(DARK, LIGHT)]
        assert all(abs(v - e) <= 3 for v, e in zip((r, g, b), expected)), (xy, (r, g, b), expected)
    assert image.getpixel((200, 100)) != plain.getpixel((200, 100))


def test_scrim_darkens_towards_its_side_and_leaves_the_rest() -> None:
    plain = drawn()
    image = drawn('scrim = { color = "#0b3d2e", side = "bottom", strength = 0.8, extent = 0.5 }')
    assert image.getpixel((200, 50)) == plain.getpixel((200, 50))  # above the scrim: untouched
    bottom, original = image.getpixel((200, 399)), plain.getpixel((200, 399))
    expected = [round(o * 0.2 + c * 0.8) for o, c in zip(original, (11, 61, 46))]
    assert all(abs(v - e) <= 3 for v, e in zip(bottom, expected)), (bottom, expected)
    middle = image.getpixel((200, 300))
    assert middle != plain.getpixel((200, 300)) and middle != bottom  # a ramp, not a band


def test_duotone_then_scrim_compose() -> None:
    both = drawn('duotone = { dark = "#141e5a", light = "#fac83c" }\nscrim = { color = "#000000", side = "top", strength = 1.0, extent = 0.3 }')
    assert both.getpixel((200, 0)) == (0, 0, 0)


@pytest.mark.parametrize(
    "layer, expected",
    [
        ('duotone = { dark = "#fac83c", light = "#141e5a" }',
         "formats.square.layers[1].duotone: dark #fac83c is lighter than light #141e5a; swap them (shadows take dark, highlights light)"),
        ('scrim = { strength = 3 }', "formats.square.layers[1].scrim.strength: 3 is too large; the most allowed is 1"),
        ('scrim = { side = "middle" }', "formats.square.layers[1].scrim.side"),
        ('duotone = { dark = "#000000" }', "formats.square.layers[1].duotone.light: is missing; add it"),
    ],
)
def test_treatments_are_validated_with_a_sentence(layer: str, expected: str) -> None:
    assert any(expected in p for p in problems(FRAME + layer)), problems(FRAME + layer)
