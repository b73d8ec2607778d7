"""Text fitting and drawing: real fonts, real Pillow, text always inside its box."""
from __future__ import annotations

import pytest
from PIL import Image

from remix import bidi
from remix.fonts import covers, font_runs
from remix.textlayout import clusters, draw_fit, fit_text, split_tokens

BOX = (40, 60, 640, 360)

TEXTS = {
    "latin": "Why I ride the bus in Kraków: the 7 gets my grandmother and me to the market every Saturday.",
    "cyrillic": "Я езжу на автобусе, потому что это дёшево и удобно для всей семьи.",
    "greek": "Παίρνω το λεωφορείο γιατί είναι φθηνό και γρήγορο.",
    "arabic": "أركب الحافلة في القاهرة لأنها الطريقة الوحيدة للوصول إلى العمل",
    "hebrew": "אני נוסעת באוטובוס כי זה הדרך היחידה להגיע לעבודה",
    "devanagari": "मैं बस से जाता हूँ क्योंकि यह सस्ता और तेज़ है",
    "mixed": "أركب الحافلة مع Ana في 2024 — नमस्ते and שלום",
    "long word": "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt" * 3,
    "url": "https://example.org/a/very/long/path/that/keeps/going/and/going/without/spaces/at/all",
    "newlines": "line\n" * 2000,
    "one char": "x",
}


def draw(text: str, **kw) -> tuple[Image.Image, list[tuple[float, float, float, float]], object]:
    img = Image.new("RGB", (680, 420), "white")
    fit = fit_text(text, "sans", BOX[2] - BOX[0], BOX[3] - BOX[1], min_size=kw.pop("min_size", 14), max_size=kw.pop("max_size", 80), **kw)
    placed = draw_fit(img, fit, "sans", BOX, fill=(0, 0, 0))
    return img, placed, fit


def ink_bbox(img: Image.Image) -> tuple[int, int, int, int] | None:
    return Image.eval(img.convert("L"), lambda v: 255 - v).point(lambda v: 255 if v > 40 else 0).getbbox()


@pytest.mark.parametrize("name", TEXTS)
def test_text_stays_inside_its_box(name: str) -> None:
    img, placed, _fit = draw(TEXTS[name])
    ink = ink_bbox(img)
    assert ink is not None, "nothing was drawn"
    left, top, right, bottom = ink
    assert left >= BOX[0] - 2 and right <= BOX[2] + 2, (name, ink)
    assert top >= BOX[1] - 2 and bottom <= BOX[3] + 2, (name, ink)
    for x0, _, x1, _ in placed:
        assert BOX[0] - 0.5 <= x0 and x1 <= BOX[2] + 0.5


@pytest.mark.parametrize("name", ["latin", "cyrillic", "greek", "arabic", "hebrew", "devanagari", "mixed"])
def test_every_character_has_a_glyph(name: str) -> None:
    missing = {c for c in TEXTS[name] if not c.isspace() and not covers("sans", c)}
    assert not missing


def test_short_text_grows_to_max_size_and_long_text_shrinks() -> None:
    assert draw("Hi")[2].size == 80
    long = draw(TEXTS["latin"] * 3)[2]
    assert 14 <= long.size < 40


def test_overflowing_text_is_clipped_with_an_ellipsis() -> None:
    _, _, fit = draw(TEXTS["latin"] * 30, max_size=30, min_size=20)
    assert fit.clipped and fit.lines[-1][0].endswith("…")
    assert fit.height <= BOX[3] - BOX[1]


def test_max_lines_is_respected() -> None:
    _, _, fit = draw(TEXTS["latin"], max_lines=2, min_size=10, max_size=80)
    assert len(fit.lines) <= 2


def test_rtl_paragraph_is_right_aligned_by_default() -> None:
    _, placed, fit = draw(TEXTS["arabic"], max_size=40)
    assert fit.lines[0][1] is True
    assert all(abs(x1 - BOX[2]) < 1 for _, _, x1, _ in placed)


def test_ltr_paragraph_is_left_aligned_by_default() -> None:
    _, placed, _ = draw(TEXTS["latin"], max_size=40)
    assert all(abs(x0 - BOX[0]) < 1 for x0, _, _, _ in placed)


def test_fallback_runs_pick_the_covering_font() -> None:
    runs = font_runs("sans", "Ana مرحبا שלום नमस्ते")
    assert [i for _, i in runs] == [0, 1, 2, 3]


def test_marks_stay_with_their_base() -> None:
    assert clusters("नमस्ते") == ["न", "म", "स्ते"]  # a conjunct is one grapheme (UAX #29, GB9c)
    assert len(clusters("e" + "\u0301" * 5)) == 1


def test_cjk_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    tokens = split_tokens("我们一起坐公交。你好，世界")
    assert "。" not in tokens and tokens[0] == "我"
    assert any(t.endswith("。") for t in tokens)


@pytest.mark.parametrize(
    "text, rtl, expected",
    [
        ("abc", False, [0, 0, 0]),
        ("אבג", False, [1, 1, 1]),
        ("אב 12", True, [1, 1, 1, 2, 2]),
        ("ab אב", False, [0, 0, 0, 1, 1]),
    ],
)
def test_bidi_levels(text: str, rtl: bool, expected: list[int]) -> None:
    assert list(bidi.levels(text, rtl)) == expected


def test_visual_order_reverses_rtl_runs() -> None:
    assert bidi.visual_order([1, 1, 1]) == [2, 1, 0]
    assert bidi.visual_order([1, 2, 1]) == [2, 1, 0]
    assert bidi.visual_order([0, 1, 1, 0]) == [0, 2, 1, 3]


def test_layout_is_deterministic() -> None:
    a = draw(TEXTS["mixed"])[0].tobytes()
    b = draw(TEXTS["mixed"])[0].tobytes()
    assert a == b


def test_random_texts_never_leave_their_box_even_when_clipped() -> None:
    """Fits of random mixed text into random small boxes: every line's ink and the block fit."""
    import random

    from remix.textlayout import line_width

    rng = random.Random(7)
    alphabet = list("abcdefghij WXYZ-/.,") + list("जीकीमस्ते") + list("مرحبا") + list("我们一起") + ["👍🏽", "🇵🇱"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 120)))
        width, height = rng.randint(40, 400), rng.randint(20, 200)
        lo = rng.randint(8, 30)
        fit = fit_text(text, "sans", width, height, min_size=lo, max_size=lo + rng.randint(0, 40),
                       max_lines=rng.randint(1, 8))
        assert fit.height <= height, (text, width, height, fit)
        for line, rtl in fit.lines:
            assert line_width("sans", line, fit.size, rtl) <= width + 0.01, (text, width, line)
