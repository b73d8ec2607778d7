"""Participant text: normalized, bounded, free of controls; lengths counted as people count."""
from __future__ import annotations

import pytest
from PIL import Image

from frames import bundled_frame
from frames.localize import words
from remix import RemixError, clean_values, render
from remix.credits import frame_credit_line as credit_line
from remix.textlayout import draw_fit, fit_text
from remix.textnorm import grapheme_count, normalize_name, normalize_text


def test_line_endings_become_newlines() -> None:
    assert normalize_text("a\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert "\r" not in normalize_text("x\r" * 50)


def test_single_line_fields_fold_newlines_into_spaces() -> None:
    assert normalize_text("Rio\r\nde   Janeiro\t", multiline=False) == "Rio de Janeiro"


def test_nul_and_control_characters_are_removed() -> None:
    assert normalize_text("a\x00b\x07c\x1bd\x7f") == "abcd"


def test_bidi_overrides_are_removed_from_names() -> None:
    name = normalize_name("\u202eAna\u202c \u2067evil\u2069")
    assert name == "Ana evil"
    frame = bundled_frame("ride-the-bus")
    line = credit_line(frame, words(frame.manifest), name)
    assert "\u202e" not in line and line.endswith("remix by Ana evil")


def test_2000_newlines_are_bounded() -> None:
    text = normalize_text("line\n" * 2000)
    assert text.count("\n") == 39
    assert normalize_text("a" + "\n" * 2000 + "b") == "a\n\nb"


def test_500_combining_marks_are_capped() -> None:
    text = normalize_text("e" + "\u0301" * 500)
    assert text == "é" + "\u0301" * 4 or text == "e" + "\u0301" * 4
    assert grapheme_count(text) == 1


def test_nfc() -> None:
    assert normalize_text("Krako\u0301w") == "Kraków"


@pytest.mark.parametrize("text, count", [("👩‍👩‍👧‍👦", 1), ("🇵🇱🇧🇷", 2), ("👍🏽", 1), ("नमस्ते", 3), ("Kraków", 6)])
def test_graphemes_are_counted_as_one(text: str, count: int) -> None:
    assert grapheme_count(text) == count


def test_names_are_capped_at_60_graphemes() -> None:
    assert grapheme_count(normalize_name("👍🏽" * 100)) == 60


def test_too_long_story_is_one_clear_sentence() -> None:
    frame = bundled_frame("ride-the-bus")
    with pytest.raises(RemixError) as info:
        clean_values(frame.manifest, {"city": "x", "story": "w" * 5000})
    assert str(info.value) == "story: 'Why you ride' is 5000 characters long; the limit is 280, please shorten it"


def test_a_5000_character_word_stays_in_its_box() -> None:
    img = Image.new("RGB", (700, 400), "white")
    box = (50, 50, 650, 350)
    fit = fit_text("W" * 5000, "sans", 600, 300, min_size=14, max_size=60)
    draw_fit(img, fit, "sans", box)
    ink = Image.eval(img.convert("L"), lambda v: 255 - v).point(lambda v: 255 if v > 40 else 0).getbbox()
    assert fit.clipped and ink is not None
    assert ink[0] >= 48 and ink[1] >= 48 and ink[2] <= 652 and ink[3] <= 352


def test_a_280_character_word_renders_inside_the_story_box() -> None:
    frame = bundled_frame("ride-the-bus")
    values = clean_values(frame.manifest, {"city": "Llanfairpwllgwyngyll", "story": "x" * 280})
    image = render(frame, values, None, "square")
    # Nothing is drawn right of the story box except the QR code's own column.
    strip = image.crop((int(0.70 * 1080) + 2, int(0.71 * 1080), int(0.745 * 1080) - 2, int(0.89 * 1080)))
    assert strip.getcolors() == [(strip.width * strip.height, (11, 61, 46))]


def test_cutting_to_a_length_never_splits_a_cluster() -> None:
    assert normalize_text("aaaa👨‍👩‍👧‍👦 and more", max_chars=6) == "aaaa"
    assert normalize_text("Kraków", multiline=False, max_chars=3) == "Kra"
