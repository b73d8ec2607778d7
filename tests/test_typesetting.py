"""Campaign typesetting: ICU line breaks (numbers, hashtags, Thai words), bidi punctuation in
right-to-left renders, typographic quotes and pinned text sizes."""
from __future__ import annotations

import re

import pytest
from PIL import Image, ImageChops

from frames import bundled_frame
from frames.manifest import parse_manifest
from remix.layers import draw_text
from remix.textlayout import fit_text, line_runs, split_tokens
from remix.typography import curly_quotes
from tests.test_manifest import BASE, problems


@pytest.mark.parametrize("width", range(180, 520, 23))
def test_no_line_break_inside_a_number_or_a_hashtag(width: int) -> None:
    text = "Join #Budget2026 with 1,000,000 people at -5 degrees and 12.50 € each, state-of-the-art"
    fit = fit_text(text, "sans", width, 2000, min_size=30, max_size=30, max_lines=40)
    lines = [t for t, _ in fit.lines]
    assert all(n in {"2026", "1,000,000", "5", "12.50"} for line in lines for n in re.findall(r"\d[\d,.]*\d|\d", line)), lines
    for whole in ("1,000,000", "-5", "12.50"):
        assert any(whole in line for line in lines), (width, whole, lines)
    if width >= 200:  # the hashtag fits on a line: it stays whole (narrower, it breaks before its number)
        assert any("#Budget2026" in line for line in lines), (width, lines)


def test_break_opportunities_follow_uax14() -> None:
    assert split_tokens("Join #Budget2026 now, 1,000,000 people!") == ["Join ", "#Budget2026 ", "now, ", "1,000,000 ", "people!"]
    assert split_tokens("it is -5 degrees") == ["it ", "is ", "-5 ", "degrees"]
    assert split_tokens("state-of-the-art") == ["state-", "of-", "the-", "art"]


@pytest.mark.parametrize("width", range(120, 420, 19))
def test_thai_breaks_only_between_words(width: int) -> None:
    text = "รัฐบาลต้องลงทุนในระบบขนส่งสาธารณะเพื่อทุกคน"
    words = ["รัฐบาล", "ต้อง", "ลงทุน", "ใน", "ระบบ", "ขนส่ง", "สาธารณะ", "เพื่อ", "ทุก", "คน"]
    assert split_tokens(text) == words
    fit = fit_text(text, "sans", width, 2000, min_size=28, max_size=28, max_lines=40)
    for line, _ in fit.lines:
        assert line in "".join(words) and all(w in words for w in split_tokens(line)), (width, line)


def _visual(text: str, rtl: bool) -> list[str]:
    return [r.text.strip() for r in line_runs("sans", text, rtl) if r.text.strip()]


def test_period_and_hyphen_stay_on_the_arabic_side_of_latin_and_numbers() -> None:
    # visual order, left to right: the final period is the leftmost thing on the line
    assert _visual("مرحبا Kraków-2026.", True) == [".", "Kraków-2026", "مرحبا"]
    assert _visual("السعر 1,000,000 دولار - اليوم.", True) == ["دولار - اليوم.", "1,000,000", "السعر"]


def test_an_arabic_render_lays_a_latin_first_paragraph_right_to_left() -> None:
    text = "COP30 في بيليم."
    assert fit_text(text, "sans", 800, 100, min_size=30, max_size=30).lines[0][1] is False  # UAX #9 alone
    fit = fit_text(text, "sans", 800, 100, min_size=30, max_size=30, prefer_rtl=True)
    assert fit.lines[0][1] is True
    assert _visual(text, True) == ["في بيليم.", "COP30"]  # the period ends the sentence at its left


def test_english_paragraphs_keep_their_first_strong_direction_in_an_arabic_render() -> None:
    fit = fit_text("Hello world.", "sans", 800, 100, min_size=30, max_size=30, prefer_rtl=True)
    assert fit.lines[0][1] is False


@pytest.mark.parametrize(
    "lang, typed, expected",
    [
        ("en", '"Care is work," she said. Don\'t stop.', "“Care is work,” she said. Don’t stop."),
        ("en", "In the '90s we rode 'the 7'.", "In the ’90s we rode ‘the 7’."),
        ("en", "the workers' rights", "the workers’ rights"),
        ("es", '"Hola", dijo. \'sí\'', "«Hola», dijo. “sí”"),
        ("fr", 'Il a dit "l\'air pur".', "Il a dit «\u202fl’air pur\u202f»."),
        ("de", '("Ja")', "(„Ja“)"),
        ("ar", '"مرحبا"', "«مرحبا»"),
        ("xx", '"a"', "“a”"),
    ],
)
def test_curly_quotes_follow_the_language(lang: str, typed: str, expected: str) -> None:
    assert curly_quotes(typed, lang) == expected


def _layer(**extra: object):
    lines = "\n".join(f"{k} = {v!r}".replace("'", '"') for k, v in extra.items())
    m = parse_manifest(BASE.replace('template = "{{ city }}"', 'template = "{{ city }}"\n' + lines).encode())
    return m.formats["square"].layers[1]


def test_a_curly_quote_layer_draws_typographic_quotes() -> None:
    from frames.pack import frame_from_files
    from remix import RenderOptions, clean_values, render

    curly = BASE.replace('template = "{{ city }}"', 'template = "{{ city }}"\ntypography = "curly"')
    plain = parse_manifest(BASE.encode())
    typed = clean_values(plain, {"city": '"Don\'t stop"'})
    pre_curled = clean_values(plain, {"city": "“Don’t stop”"})

    def draw(text: str, values: dict[str, str]) -> Image.Image:
        frame = frame_from_files({"frame.toml": text.encode()}, "test")
        return render(frame, values, None, "square", RenderOptions(public_url="https://x.example"))
    assert ImageChops.difference(draw(curly, typed), draw(BASE, pre_curled)).getbbox() is None
    assert ImageChops.difference(draw(curly, typed), draw(BASE, typed)).getbbox() is not None


def test_a_pinned_size_does_not_move_between_remixes() -> None:
    layer = _layer(size=48)
    assert layer.size_range == (48, 48)
    canvas = Image.new("RGB", (1080, 1080), "white")
    sizes = set()
    for text in ("Ede", "Why I ride the bus in Kraków", "A much longer town name, Llanfairpwllgwyngyll"):
        lo, hi = layer.size_range
        sizes.add(fit_text(text, "sans", 860, 300, min_size=lo, max_size=hi).size)
        draw_text(canvas, layer, text)
    assert sizes == {48}


def test_a_pinned_size_shrinks_only_text_that_cannot_fit_down_to_min_size() -> None:
    layer = _layer(size=60, min_size=30)
    assert layer.size_range == (30, 60)
    lo, hi = layer.size_range
    assert fit_text("Ede", "sans", 860, 300, min_size=lo, max_size=hi).size == 60  # never grows
    long = "Why I ride the bus in Llanfairpwllgwyngyll, Ynys Môn, Wales, the United Kingdom"
    fit = fit_text(long, "sans", 860, 150, min_size=lo, max_size=hi, max_lines=2)
    assert 30 <= fit.size < 60 and not fit.clipped


def test_pinned_size_with_a_max_size_or_a_larger_min_size_is_refused() -> None:
    text = BASE.replace('template = "{{ city }}"', 'template = "{{ city }}"\nsize = 48\nmax_size = 60')
    assert "formats.square.layers[1]: size 48 pins the text size, so max_size does not apply; remove max_size" in problems(text)
    text = BASE.replace('template = "{{ city }}"', 'template = "{{ city }}"\nsize = 48\nmin_size = 60')
    assert "formats.square.layers[1]: min_size 60 is larger than size 48; min_size is how far text that does not fit may shrink" in problems(text)
    assert _layer(size=48, max_size=48).size == 48


def test_pinned_size_is_bounded() -> None:
    text = BASE.replace('template = "{{ city }}"', 'template = "{{ city }}"\nsize = 900')
    assert "formats.square.layers[1].size: 900 is too large; the most allowed is 400" in problems(text)


def test_bundled_quote_frame_uses_curly_quotes() -> None:
    frame = bundled_frame("care-counts")
    quote_layers = [la for la in frame.manifest.formats["square"].layers if getattr(la, "id", None) == "quote"]
    assert quote_layers and quote_layers[0].typography == "curly"
