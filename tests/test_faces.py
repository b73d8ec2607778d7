"""Face-aware default crops: a real photo's face stays whole in every bundled format.

The photo is scikit-image's `astronaut` (Eileen Collins, a NASA photo in the public domain,
shipped inside scikit-image, a test dependency only).
"""
from __future__ import annotations

import pytest

from benchmarks.support import astronaut_jpeg
from frames import bundled_frames
from frames.model import PhotoLayer
from remix import RenderOptions, load_photo
from remix.faces import face_focal, faces
from remix.layers import cover_crop
from remix.pipeline import photo_box
from tests.samples import jpeg_bytes, photo_image

# Her head, hair included, in the 512 x 512 original (found by eye; the detector's box is tighter).
HEAD = (150, 28, 300, 205)


CASES = [
    (frame, fmt, layer)
    for frame in bundled_frames()
    for fmt, spec in frame.manifest.formats.items()
    for layer in spec.layers
    if isinstance(layer, PhotoLayer) and layer.fit == "cover"
]


def _head_inside(crop: tuple[float, float, float, float], size: tuple[int, int]) -> bool:
    k = size[0] / 512
    left, top, right, bottom = (v * k for v in HEAD)
    return crop[0] <= left and crop[1] <= top and right <= crop[2] and bottom <= crop[3]


def test_the_detector_finds_her_face() -> None:
    photo = load_photo(astronaut_jpeg())
    found = faces(photo)
    assert len(found) == 1
    f = found[0]
    x, y, w, h = (v * 512 for v in (f.x, f.y, f.w, f.h))
    assert HEAD[0] <= x and x + w <= HEAD[2] and HEAD[1] <= y and y + h <= HEAD[3]


@pytest.mark.parametrize("frame, fmt, layer", CASES, ids=[f"{f.id}-{fmt}" for f, fmt, _ in CASES])
def test_the_face_stays_whole_in_every_default_crop(frame, fmt: str, layer: PhotoLayer) -> None:
    spec = frame.manifest.formats[fmt]
    photo = load_photo(astronaut_jpeg(), fit_within=photo_box(frame, [fmt]))
    left, top, right, bottom = layer.box.pixels(spec.width, spec.height)
    focal, zoom = RenderOptions().photo_crop(layer, photo)
    crop = cover_crop(photo.size, (right - left, bottom - top), focal, zoom)
    assert _head_inside(crop, photo.size), (crop, photo.size)


def test_without_faces_the_crop_could_cut_her_head() -> None:
    """The test above can fail: the layers' own focal points cut the head in some format."""
    cut = []
    for frame, fmt, layer in CASES:
        spec = frame.manifest.formats[fmt]
        photo = load_photo(astronaut_jpeg(), fit_within=photo_box(frame, [fmt]))
        left, top, right, bottom = layer.box.pixels(spec.width, spec.height)
        crop = cover_crop(photo.size, (right - left, bottom - top), (layer.focal.x, layer.focal.y))
        cut.append(not _head_inside(crop, photo.size))
    assert any(cut)


def test_the_participants_focus_wins_over_the_faces() -> None:
    _, _, layer = CASES[0]
    photo = load_photo(astronaut_jpeg())
    assert RenderOptions(focal=(0.9, 0.8)).photo_crop(layer, photo)[0] == (0.9, 0.8)
    assert RenderOptions().photo_crop(layer, photo)[0] == face_focal(photo)


def test_no_face_falls_back_to_the_layers_focal_point() -> None:
    _, _, layer = CASES[0]
    photo = load_photo(jpeg_bytes(photo_image(1200, 900)))
    assert faces(photo) == ()
    assert RenderOptions().photo_crop(layer, photo)[0] == (layer.focal.x, layer.focal.y)


def test_faces_are_found_once_per_photo() -> None:
    photo = load_photo(astronaut_jpeg())
    assert faces(photo) is faces(photo)


def test_a_photo_of_the_boxs_shape_is_not_searched() -> None:
    frame, fmt, layer = CASES[0]
    spec = frame.manifest.formats[fmt]
    left, top, right, bottom = layer.box.pixels(spec.width, spec.height)
    same_shape = load_photo(jpeg_bytes(photo_image(right - left, bottom - top)))
    RenderOptions().photo_crop(layer, same_shape, (spec.width, spec.height))
    from remix.faces import _cache
    assert same_shape not in _cache  # no detection ran: the crop could not move
