"""No empty images: a photo box without a photo shows the frame's no-photo design (an organizer
image or a brand pattern), and sample renders use the project's sample photo."""
from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from frames.bundled import SAMPLE_PHOTO, bundled_frame, bundled_frames
from frames.errors import FrameError
from frames.localize import words
from frames.model import PhotoLayer
from frames.pack import frame_from_files
from remix.photo import sample_photo
from remix.render import RenderOptions, render
from remix.values import clean_values

ROOT = Path(__file__).resolve().parent.parent
PHOTO_CASES = [(f.id, fmt) for f in bundled_frames() for fmt, spec in f.manifest.formats.items()
               if any(isinstance(lay, PhotoLayer) for lay in spec.layers)]


def photo_region(frame_id: str, fmt: str, image: Image.Image) -> Image.Image:
    """The photo box's pixels (for a circle, the square inside it)."""
    spec = bundled_frame(frame_id).manifest.formats[fmt]
    layer = next(lay for lay in spec.layers if isinstance(lay, PhotoLayer))
    left, top, right, bottom = layer.box.pixels(*image.size)
    if layer.shape == "circle":
        inset = round((right - left) * 0.15)
        left, top, right, bottom = left + inset, top + inset, right - inset, bottom - inset
    return image.crop((left, top, right, bottom))


def flat_tiles(region: Image.Image, n: int = 4) -> int:
    """How many of the n x n tiles of a region are flat (one colour, give or take JPEG noise)."""
    grey = region.convert("L")
    w, h = grey.size
    tiles = [grey.crop((i * w // n, j * h // n, (i + 1) * w // n, (j + 1) * h // n)) for i in range(n) for j in range(n)]
    return sum(ImageStat.Stat(t).stddev[0] < 3 for t in tiles)


def rendered(frame_id: str, fmt: str, photo=None) -> Image.Image:
    frame = bundled_frame(frame_id)
    values = clean_values(frame.manifest, words(frame.manifest).samples())
    return render(frame, values, photo, fmt, RenderOptions(public_url="https://remix.example.org"))


def test_there_are_bundled_photo_frames_to_check() -> None:
    assert {f for f, _ in PHOTO_CASES} == {"ride-the-bus", "clean-air"} and len(PHOTO_CASES) == 6


@pytest.mark.parametrize(("frame_id", "fmt"), PHOTO_CASES)
def test_a_bundled_photo_frame_without_a_photo_has_no_flat_photo_box(frame_id: str, fmt: str) -> None:
    region = photo_region(frame_id, fmt, rendered(frame_id, fmt))
    assert ImageStat.Stat(region.convert("L")).stddev[0] > 15
    assert flat_tiles(region) == 0


@pytest.mark.parametrize("frame_id", ["ride-the-bus", "clean-air"])
def test_every_bundled_photo_layer_says_how_it_looks_without_a_photo(frame_id: str) -> None:
    layers = [lay for spec in bundled_frame(frame_id).manifest.formats.values() for lay in spec.layers
              if isinstance(lay, PhotoLayer)]
    assert layers and all(lay.empty is not None for lay in layers)
    assert {lay.empty.kind for lay in layers} == ({"image"} if frame_id == "ride-the-bus" else {"pattern"})


def _bus_variant(old: str, new: str, assets: dict[str, bytes] | None = None):
    source = bundled_frame("ride-the-bus")
    text = source.manifest_bytes.decode()
    assert old in text
    return frame_from_files({"frame.toml": text.replace(old, new).encode(), **(assets or source.assets)}, "variant")


def test_a_photo_layer_without_a_no_photo_design_still_draws_a_pattern() -> None:
    frame = _bus_variant('empty = { kind = "image", image = "assets/no-photo.png" }\n', "")
    values = clean_values(frame.manifest, words(frame.manifest).samples())
    region = render(frame, values, None, "square").crop((0, 0, 1080, 600))
    assert ImageStat.Stat(region.convert("L")).stddev[0] > 5 and flat_tiles(region) == 0


def test_no_photo_designs_are_checked_with_one_sentence_each() -> None:
    with pytest.raises(FrameError) as caught:
        _bus_variant('image = "assets/no-photo.png" }', 'image = "assets/no-phot.png" }')
    assert str(caught.value.problems[0]) == (
        "formats.square.layers[1].empty.image: there is no asset 'assets/no-phot.png' (did you mean 'assets/no-photo.png'?)")
    with pytest.raises(FrameError) as caught:
        _bus_variant('empty = { kind = "image", image = "assets/no-photo.png" }',
                     'empty = { kind = "pattern", colors = ["#2f6b57"] }')
    assert "formats.square.layers[1].empty.colors" in str(caught.value.problems[0])


def test_the_sample_photo_is_the_projects_illustration_with_a_licence_note() -> None:
    assert "CC0" in (SAMPLE_PHOTO.parent / "LICENCE.md").read_text()
    picture = sample_photo().image
    assert picture.size == (1600, 1200)
    small = picture.convert("RGB").resize((160, 120), Image.Resampling.BOX).quantize(32)
    assert len(small.getcolors()) <= 32 and ImageStat.Stat(picture.convert("L")).stddev[0] > 30  # flat shapes, not noise


def test_sample_renders_use_the_sample_photo(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, str(ROOT / "frame_remix_cli.py"), "render", "ride-the-bus", "--sample",
                          "--format", "square", "--out", str(tmp_path)], capture_output=True, text=True, timeout=120, check=False,
                         env={"PATH": "/usr/bin:/bin", "FRAME_REMIX_PUBLIC_URL": "https://remix.example.org"})
    assert run.returncode == 0, run.stderr
    cli = Image.open(tmp_path / "square.jpg").convert("RGB")
    expected = rendered("ride-the-bus", "square", sample_photo())
    box = (0, 0, 1080, 600)
    assert _mean_difference(cli.crop(box), expected.crop(box)) < 4
    assert _mean_difference(cli.crop(box), rendered("ride-the-bus", "square").crop(box)) > 20


def _mean_difference(a: Image.Image, b: Image.Image) -> float:
    from PIL import ImageChops

    return sum(ImageStat.Stat(ImageChops.difference(a, b.convert("RGB"))).mean) / 3


def test_a_published_remix_without_a_photo_shows_the_no_photo_design(tmp_path: Path) -> None:
    from gallery import image, open_store, publish_remix

    store = open_store(tmp_path / "gallery.db")
    remix = publish_remix(store, bundled_frame("ride-the-bus"), {"city": "Lyon", "story": "x"}, consent=True)
    square = Image.open(io.BytesIO(image(store, remix.id, "square").data)).convert("RGB")
    assert _mean_difference(square.crop((0, 0, 1080, 600)), rendered("ride-the-bus", "square").crop((0, 0, 1080, 600))) < 4
