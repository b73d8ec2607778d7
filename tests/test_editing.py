"""frames.editing: an organizer's edits applied to manifest tables, written as TOML, validated like a pack."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from frames import FrameError, bundled_frame, bundled_frames, bundled_ids
from frames.editing import (
    BACKGROUND_ASSET,
    OVERLAY_ASSET,
    add_text_field,
    apply_edits,
    asset_png,
    build_frame,
    get_path,
    manifest_data,
    problems_at,
    remove_field,
    set_background_image,
    set_overlay,
    starter_data,
    used_assets,
)
from frames.errors import Problem
from frames.manifest import load_toml
from frames.tomledit import write_manifest
from tests.samples import phone_jpeg


@pytest.mark.parametrize("frame_id", bundled_ids())
def test_every_bundled_manifest_round_trips_through_the_writer(frame_id: str) -> None:
    frame = bundled_frame(frame_id)
    data = manifest_data(frame)
    assert load_toml(write_manifest(data)) == data
    assert build_frame(data, frame.assets).manifest == frame.manifest


@pytest.mark.parametrize("text", ["plain", 'quote " and \\ back', "two\nlines\ttab", "emoji 🚌 and ع", "del\x7f", "ctl\x01"])
def test_strings_survive_toml(text: str) -> None:
    data = {"title": text, "organizer": {"name": text}, "list": [{"a": text}]}
    assert load_toml(write_manifest(data)) == data


def test_odd_keys_are_quoted() -> None:
    data = {"translations": {"pt-BR": {"title": "x"}, "a b": {"title": "y"}}}
    assert load_toml(write_manifest(data)) == data


def test_starter_gets_new_identity_and_drops_translations() -> None:
    data = starter_data(bundled_frame("clean-air"), "my-air", "Air Now")
    assert (data["id"], data["version"], data["organizer"]) == ("my-air", 1, {"name": "Air Now"})
    assert "translations" not in data and "derived_from" not in data
    assert build_frame(data, bundled_frame("clean-air").assets).id == "my-air"


def test_apply_edits_sets_nested_places_and_removes_with_none() -> None:
    base = manifest_data(bundled_frame("care-counts"))
    edited = apply_edits(base, {"title": "Care is work", "formats.square.layers[2].box.x": 0.1,
                                "fields[1].max_length": None})
    assert edited["title"] == "Care is work"
    assert get_path(edited, "formats.square.layers[2].box.x") == 0.1
    assert "max_length" not in edited["fields"][1]
    assert base["title"] == "Care counts"  # the input is not changed


def test_box_outside_the_canvas_is_reported_at_its_place() -> None:
    frame = bundled_frame("care-counts")
    data = apply_edits(manifest_data(frame), {"formats.square.layers[2].box.x": 0.5})
    with pytest.raises(FrameError) as info:
        build_frame(data, frame.assets)
    places = [p.place for p in info.value.problems]
    assert places == ["formats.square.layers[2].box"]
    assert "right edge" in info.value.problems[0].message


def test_bad_template_is_reported_at_its_place() -> None:
    frame = bundled_frame("care-counts")
    data = apply_edits(manifest_data(frame), {"formats.card.layers[2].template": "{{ nope }}"})
    with pytest.raises(FrameError) as info:
        build_frame(data, frame.assets)
    assert [p.place for p in info.value.problems] == ["formats.card.layers[2].template"]


def test_add_and_remove_fields() -> None:
    frame = bundled_frame("care-counts")
    data = add_text_field(manifest_data(frame), "street", "Your street")
    assert build_frame(data, {}).manifest.field("street").label == "Your street"
    with pytest.raises(FrameError) as info:  # the templates still use 'quote'
        build_frame(remove_field(data, 0), {})
    assert any("quote" in p.message for p in info.value.problems)


def test_uploaded_images_become_clean_pngs_placed_in_every_format() -> None:
    frame = bundled_frame("care-counts")
    png = asset_png(phone_jpeg(3000, 2000, orientation=6))
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and max(image.size) == 2048 and image.size[1] > image.size[0]  # upright
    assert not image.info.get("exif") and not image.getexif()
    data = set_overlay(set_background_image(manifest_data(frame)))
    built = build_frame(data, {BACKGROUND_ASSET: png, OVERLAY_ASSET: png, "assets/unused.png": png})
    assert set(built.assets) == {BACKGROUND_ASSET, OVERLAY_ASSET}
    for fmt in built.manifest.formats.values():
        kinds = [(layer.kind, getattr(layer, "image", None)) for layer in fmt.layers]
        assert kinds[0] == ("background", BACKGROUND_ASSET) and kinds[1] == ("image", OVERLAY_ASSET)


def test_bad_upload_is_one_sentence() -> None:
    with pytest.raises(FrameError) as info:
        asset_png(b"not an image" * 10, what="the image x.png")
    assert str(info.value).startswith("the image x.png is not a JPEG, PNG or WebP image")


def test_unused_assets_are_left_out() -> None:
    frame = bundled_frame("ride-the-bus")
    assert used_assets(manifest_data(frame), {**frame.assets, "assets/old.png": b"x"}) == dict(frame.assets)


def test_problems_at_matches_whole_steps() -> None:
    problems = [Problem("fields[1].name", "a"), Problem("fields[10]", "b"), Problem("title", "c"), Problem("titles", "d")]
    assert [p.message for p in problems_at(problems, "fields[1]", "title")] == ["a", "c"]


def test_every_bundled_frame_builds_from_its_tables() -> None:
    for frame in bundled_frames():
        assert build_frame(manifest_data(frame), frame.assets).digest


def test_uploaded_art_goes_through_the_photo_colour_path() -> None:
    import io

    from PIL import Image

    from frames.editing import asset_png

    cmyk = Image.new("CMYK", (64, 64), (0, 255, 255, 0))  # red
    buf = io.BytesIO()
    cmyk.save(buf, "JPEG")
    out = Image.open(io.BytesIO(asset_png(buf.getvalue())))
    assert out.mode == "RGB" and out.info.get("icc_profile") is None
    r, g, b = out.getpixel((32, 32))
    assert r > 200 and g < 60 and b < 60
