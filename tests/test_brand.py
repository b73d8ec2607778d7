"""frames.brand: a kit named once reaches every format; unknown names are one sentence at their place."""
from __future__ import annotations

import pytest

from frames import FrameError, bundled_frame, bundled_ids
from frames.brand import adopt_kit, resolve_brand, uses
from frames.editing import apply_edits, build_frame, manifest_data
from frames.localize import words
from frames.manifest import load_toml, parse_manifest
from frames.tomledit import write_manifest
from remix import RenderOptions, clean_values, render


def sample_render(frame, fmt: str):
    values = clean_values(frame.manifest, words(frame.manifest).samples())
    return render(frame, values, None, fmt, RenderOptions())


@pytest.mark.parametrize("frame_id", bundled_ids())
def test_bundled_frames_use_their_kit(frame_id: str) -> None:
    data = manifest_data(bundled_frame(frame_id))
    assert data["brand"]["colors"] and data["brand"]["fonts"]
    assert uses(data, "colors", "background")  # the background of every format comes from the kit


def test_one_kit_colour_changes_every_format() -> None:
    frame = bundled_frame("clean-air")
    data = apply_edits(manifest_data(frame), {"brand.colors.background": "#ff0000"})
    changed = build_frame(data, frame.assets)
    for fmt in ("square", "story", "card"):
        before, after = sample_render(frame, fmt), sample_render(changed, fmt)
        assert before.getpixel((3, 3))[:3] == (0xEA, 0xF5, 0xF1)
        assert after.getpixel((3, 3))[:3] == (255, 0, 0)


def test_a_format_can_override_a_kit_colour() -> None:
    frame = bundled_frame("clean-air")
    data = apply_edits(manifest_data(frame), {"formats.story.brand.colors.background": "#00ff00"})
    changed = build_frame(data, frame.assets)
    assert sample_render(changed, "story").getpixel((3, 3))[:3] == (0, 255, 0)
    assert sample_render(changed, "square").getpixel((3, 3))[:3] == (0xEA, 0xF5, 0xF1)


def test_a_layer_with_its_own_colour_keeps_it() -> None:
    frame = bundled_frame("clean-air")
    data = apply_edits(manifest_data(frame), {"formats.square.layers[0].color": "#123456",
                                              "brand.colors.background": "#ff0000"})
    built = build_frame(data, frame.assets)
    assert sample_render(built, "square").getpixel((3, 3))[:3] == (0x12, 0x34, 0x56)
    assert sample_render(built, "card").getpixel((3, 3))[:3] == (255, 0, 0)


def test_the_title_reaches_a_layer_that_says_title() -> None:
    frame = bundled_frame("care-counts")
    data = apply_edits(manifest_data(frame), {"formats.square.layers[4].template": "{{ title }}"})
    a = sample_render(build_frame(data, frame.assets), "square")
    b = sample_render(build_frame(apply_edits(data, {"title": "Pay carers now"}), frame.assets), "square")
    assert a.tobytes() != b.tobytes()


@pytest.mark.parametrize(("edit", "place", "sentence"), [
    ({"formats.square.layers[0].color": "brand.backgrund"}, "formats.square.layers[0].color",
     "there is no brand colour 'backgrund' (did you mean 'brand.background'?)"),
    ({"formats.square.layers[3].font": "brand.title"}, "formats.square.layers[3].font",
     "there is no brand font 'title'; add it to [brand] fonts first"),
    ({"formats.square.layers[3].template": "brand.light", "formats.square.layers[3].max_lines": "brand.x"},
     "formats.square.layers[3].max_lines", "'brand.x' names the brand kit, but max_lines cannot come from it"),
    ({"brand.colors.primary": "navy"}, "brand.colors.primary",
     "'navy' is not a colour; write it as #RRGGBB or #RRGGBBAA"),
])
def test_bad_names_are_one_sentence_at_their_place(edit: dict, place: str, sentence: str) -> None:
    frame = bundled_frame("clean-air")
    with pytest.raises(FrameError) as exc:
        build_frame(apply_edits(manifest_data(frame), edit), frame.assets)
    assert [(p.place, p.message) for p in exc.value.problems if p.place == place] == [(place, sentence)]
    assert len([p for p in exc.value.problems if p.place == place]) == 1


def test_the_kit_is_bounded() -> None:
    frame = bundled_frame("clean-air")
    colours = {**manifest_data(frame)["brand"]["colors"], **{f"c{i}": "#000000" for i in range(11)}}
    with pytest.raises(FrameError, match=r"brand\.colors: has 17 entries; the most allowed is 16"):
        build_frame(apply_edits(manifest_data(frame), {"brand.colors": colours}), frame.assets)


@pytest.mark.parametrize("frame_id", bundled_ids())
def test_adopting_a_kit_keeps_the_look(frame_id: str) -> None:
    frame = bundled_frame(frame_id)
    flat, _ = resolve_brand(load_toml(frame.manifest_bytes))  # concrete colours everywhere
    flat.pop("brand")
    adopted = adopt_kit(flat)
    assert any(uses(adopted, "colors", name) for name in adopted["brand"]["colors"])
    assert parse_manifest(write_manifest(adopted)).formats == frame.manifest.formats
