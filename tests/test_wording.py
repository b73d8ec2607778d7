"""frames.wording: problems said about what the organizer sees, with what to do; the CLI's wording stays."""
from __future__ import annotations

import pytest

from frames import FrameError, bundled_frame
from frames.editing import apply_edits, build_frame, manifest_data
from frames.wording import contrast_advice, organizer_sentence


def at(fmt: str, layer_id: str) -> str:
    """The place of a clean-air layer by its id (layer positions move when a design adds layers)."""
    layers = bundled_frame("clean-air").manifest.formats[fmt].layers
    return f"formats.{fmt}.layers[{next(i for i, la in enumerate(layers) if getattr(la, 'id', None) == layer_id)}]"


def credit_at(fmt: str) -> str:
    layers = bundled_frame("clean-air").manifest.formats[fmt].layers
    return f"formats.{fmt}.layers[{next(i for i, la in enumerate(layers) if la.kind == 'credit')}]"


CASES = [
    ({at("square", "headline") + ".box.x": 0.5}, at("square", "headline") + ".box",
     "The headline box in the square reaches past the right edge: make it narrower or move it left."),
    ({at("story", "hope") + ".box.y": 0.95}, at("story", "hope") + ".box",
     "The hope box in the story reaches past the bottom edge: make it shorter or move it up."),
    ({at("card", "hope") + ".min_size": 90}, at("card", "hope"),
     "The smallest text size of the hope in the card (90) is larger than its largest (34): swap them."),
    ({at("card", "headline") + ".min_size": 90}, at("card", "headline"),
     ("The smallest text size of the headline in the card (90) is larger than its fixed size (52): make it smaller, "
     "or the fixed size larger.")),
    ({"formats.card.layers[0].color": "brand.bakground"}, "formats.card.layers[0].color",
     ("The colour of the background in the card uses the kit colour 'bakground', which the brand kit does not have: "
      "choose 'background' or add it to the kit.")),
    ({"brand.colors.primary": "navy"}, "brand.colors.primary",
     "The kit colour 'primary' is not a colour: pick one with the colour picker."),
    ({"fields[0].label": ""}, "fields[0].label", "The label of the field 'city' is empty: write something there."),
    ({"title": "x" * 120}, "title", "The title is 120 characters long: shorten it to 100 or fewer."),
    ({"formats.square.layers[1].box.w": 0}, "formats.square.layers[1].box.w",
     "The width of the logo box in the square is 0: make it more than 0.0."),
]


@pytest.mark.parametrize(("edit", "place", "sentence"), CASES)
def test_each_problem_is_one_sentence_about_what_the_organizer_sees(edit: dict, place: str, sentence: str) -> None:
    frame = bundled_frame("clean-air")
    data = apply_edits(manifest_data(frame), edit)
    with pytest.raises(FrameError) as exc:
        build_frame(data, frame.assets)
    problems = [p for p in exc.value.problems if p.place == place]
    assert [organizer_sentence(p, data) for p in problems] == [sentence]
    assert str(problems[0]).startswith(place + ": ")  # the CLI's place-prefixed wording is unchanged


def test_a_broken_kit_colour_is_one_problem_not_one_per_layer() -> None:
    frame = bundled_frame("clean-air")
    with pytest.raises(FrameError) as exc:
        build_frame(apply_edits(manifest_data(frame), {"brand.colors.primary": "navy"}), frame.assets)
    assert [p.place for p in exc.value.problems] == ["brand.colors.primary"]


def test_contrast_advice_names_the_text_and_the_colour_under_it() -> None:
    frame = bundled_frame("clean-air")
    data = apply_edits(manifest_data(frame), {"brand.colors.muted": "#1d3b4f"})
    advice = dict(contrast_advice(build_frame(data, frame.assets).manifest, data))
    assert advice[credit_at("square")] == (
        "The credit line in the square (kit colour 'muted' #1d3b4f) on kit colour 'primary' #0f2b3d is hard to read "
        "(1.2:1, at least 4.5:1 is needed): make one of them lighter or darker.")
    assert len(advice) == 3  # one per format: the credit line of each
    assert not list(contrast_advice(frame.manifest, manifest_data(frame)))
