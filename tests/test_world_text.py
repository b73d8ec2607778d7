"""Text for the whole world: every script, emoji, mixed directions, in every bundled frame.

Golden images are drawn with Pillow's RAQM layout engine (HarfBuzz shaping, named in their file
names) and compared with a tolerance; a missing golden fails. To (re)write them after looking
at the change: FRAME_REMIX_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_world_text.py
"""
from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFont, ImageOps, ImageStat, features

import remix.layers
from frames import bundled_frames
from frames.localize import has_words, languages, missing_strings, words
from frames.model import TextLayer, Translation
from remix import RenderOptions, encode, render
from remix.fonts import chain, cjk_language, clusters, coverage, font_runs, is_emoji, strike
from remix.posttext import platform_length
from remix.render import mirrored
from remix.textlayout import draw_fit, fit_text, line_runs, split_tokens, thai_breaks
from remix.textnorm import grapheme_count, normalize_text
from remix.values import clean_values

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FRAME_REMIX_UPDATE_GOLDEN") == "1"
ZH_PARAGRAPH = (
    "我们每天早上七点坐公交车去上班，因为这是城市里最便宜也最环保的交通方式。"
    "司机认识每一位乘客，下雨的时候会多等一会儿。孩子们在车上做作业，老人们聊天。"
) * 5
ZH_PARAGRAPH = ZH_PARAGRAPH[:300]

CORPUS = {
    "latin": "Ana from Kraków rides the 7 to the market every Saturday, rain or shine.",
    "cyrillic": "Я езжу на автобусе, потому что это дёшево и удобно для всей семьи.",
    "greek": "Παίρνω το λεωφορείο γιατί είναι φθηνό και γρήγορο.",
    "arabic": "أركب الحافلة في القاهرة لأنها الطريقة الوحيدة للوصول إلى العمل",
    "hebrew": "אני נוסעת באוטובוס כי זה הדרך היחידה להגיע לעבודה",
    "devanagari": "मैं बस से जाता हूँ क्योंकि यह सस्ता और तेज़ है",
    "bengali": "আমি বাসে যাই কারণ এটা সস্তা এবং দ্রুত",
    "tamil": "நான் பேருந்தில் பயணம் செய்கிறேன், ஏனெனில் அது மலிவானது",
    "thai": "ฉันนั่งรถเมล์ไปทำงานทุกวันเพราะมันถูกและเร็ว",
    "chinese simplified": "我每天坐公交车去上班，因为又便宜又环保。",
    "chinese traditional": "我每天坐公車去上班，因為又便宜又環保。",
    "japanese": "毎朝バスで通勤しています。安くて、環境にも優しいからです。",
    "korean": "저는 매일 버스를 타고 출근합니다. 싸고 친환경적이기 때문입니다.",
    "mixed rtl": "أركب الحافلة مع Ana في 2024 من Kraków",
    "mixed ltr": "I said שלום עולם to Ana and مرحبا to Omar in 2024",
    "emoji": "Ride with us 🚌 👨‍👩‍👧‍👦 🇩🇪 🇧🇷 👍🏽 👩🏿‍🦽 ❤️ #️⃣ 🏳️‍🌈",
    "symbols": "Good buses ☺ ✈ ☀ ♥ ✔ ⚠ ♻ → ↔ © ™ № €",
    "everything": "Ana from Kraków 🚲 مرحبا 你好 नमस्ते שלום こんにちは 안녕 สวัสดี",
    "chinese paragraph": ZH_PARAGRAPH,
    "german compound": "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt",
    "url": "https://example.org/ride-the-bus/stories/2024/krakow/a-very-long-path-without-any-spaces",
}
# Characters a line must not start with (closing punctuation, small kana, iteration marks).
_NO_START = set("、。，．,.!?！？:;：；)]}）」』】〉》〕〗〙〛»”’‐‑–—ー・ゝゞ々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ%‰")
JOINERS = {"\u200c", "\u200d", "\ufe0e", "\ufe0f"}


def ink_bbox(img: Image.Image) -> tuple[int, int, int, int] | None:
    return ImageOps.invert(img.convert("L")).point(lambda v: 255 if v > 40 else 0).getbbox()


def uncovered(family: str, text: str, rtl: bool = False) -> set[str]:
    """Characters drawn with a font that has no glyph for them (would be tofu boxes)."""
    paths = chain(family)
    missing = set()
    for run in line_runs(family, text, rtl):
        cov = coverage(paths[run.font_index])
        missing |= {
            c for c in run.text
            if c not in JOINERS and not c.isspace() and unicodedata.category(c) != "Cf" and ord(c) not in cov
        }
    return missing


# --- fonts and runs --------------------------------------------------------------------------


@pytest.mark.parametrize("family", ["sans", "sans-bold", "serif", "serif-bold"])
@pytest.mark.parametrize("name", CORPUS)
def test_every_character_is_drawn_with_a_font_that_covers_it(family: str, name: str) -> None:
    text = normalize_text(CORPUS[name])
    assert not uncovered(family, text, rtl=name == "mixed rtl")


def test_each_script_gets_its_own_font() -> None:
    runs = font_runs("sans", "Ana 🚲 مرحبا 你好 নমস্কার வணக்கம் สวัสดี")
    names = [chain("sans")[i].name.split("-")[0].split(".")[0] for t, i in runs if t.strip()]
    assert names == [
        "NotoSans", "NotoColorEmoji", "NotoSansArabic", "NotoSansCJKsc", "NotoSansBengali", "NotoSansTamil", "NotoSansThai",
    ]


@pytest.mark.parametrize("sequence", ["👨‍👩‍👧‍👦", "🇩🇪", "👍🏽", "👩🏿‍🦽", "❤️", "#️⃣", "🏳️‍🌈", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"])
def test_emoji_sequences_are_one_cluster_one_glyph_one_character(sequence: str) -> None:
    assert clusters(sequence) == [sequence] and is_emoji(sequence)
    assert grapheme_count(sequence) == 1
    [(_run, idx)] = font_runs("sans", sequence)
    assert strike(chain("sans")[idx]) == 109
    img = Image.new("RGB", (300, 200), "white")
    fit = fit_text(sequence, "sans", 280, 180, min_size=20, max_size=60)
    draw_fit(img, fit, "sans", (10, 10, 290, 190))
    left, top, right, bottom = ink_bbox(img)
    assert right - left <= 1.4 * fit.size, "a sequence rendered as several glyphs"
    assert bottom - top <= 1.4 * fit.size


def test_text_presentation_selector_keeps_outline_font() -> None:
    assert not is_emoji("❤\ufe0e") and not is_emoji("1") and not is_emoji("©")


def test_emoji_are_sized_with_the_text_and_in_colour() -> None:
    sizes = []
    for size in (20, 40, 80):
        img = Image.new("RGB", (400, 200), "white")
        fit = fit_text("🚌", "sans", 380, 180, min_size=size, max_size=size)
        draw_fit(img, fit, "sans", (10, 10, 390, 190))
        left, _, right, _ = ink_bbox(img)
        sizes.append(right - left)
        r, g, b = ImageStat.Stat(img.crop(ink_bbox(img))).mean
        assert max(r, g, b) - min(r, g, b) > 20, "emoji came out grey"
    assert sizes[0] < sizes[1] < sizes[2]
    assert abs(sizes[2] / sizes[1] - 2) < 0.15


def test_emoji_survive_jpeg_in_colour() -> None:
    frame = next(f for f in bundled_frames() if f.id == "ride-the-bus")
    values = clean_values(frame.manifest, {"city": "🇺🇦🇺🇦🇺🇦🇺🇦🇺🇦🇺🇦", "story": "🚌"})
    img = render(frame, values, None, "square", RenderOptions(public_url="https://frames.example"))
    jpeg = Image.open(io.BytesIO(encode(img, frame, "square"))).convert("RGB")
    headline = next(l for l in frame.manifest.formats["square"].layers if isinstance(l, TextLayer) and l.id == "headline")
    crop = jpeg.crop(headline.box.pixels(*jpeg.size))
    blue = sum(1 for r, g, b in crop.get_flattened_data() if b > 150 and r < 80)
    yellow = sum(1 for r, g, b in crop.get_flattened_data() if r > 200 and g > 180 and b < 80)
    assert blue > 200 and yellow > 200, "the flags lost their colours"


# --- line breaking ---------------------------------------------------------------------------


def test_chinese_paragraph_of_300_characters_wraps_between_characters() -> None:
    assert len(ZH_PARAGRAPH) == 300 and " " not in ZH_PARAGRAPH
    fit = fit_text(ZH_PARAGRAPH, "sans", 600, 400, min_size=12, max_size=60)
    assert not fit.clipped and len(fit.lines) > 5
    assert "".join(t for t, _ in fit.lines) == ZH_PARAGRAPH
    assert not any(t[0] in _NO_START for t, _ in fit.lines), "a line starts with closing punctuation"


def test_no_line_starts_with_closing_punctuation_even_when_narrow() -> None:
    text = "你好，世界。我们一起坐公交！「东京」、大阪。" * 3
    for width in range(120, 400, 17):
        fit = fit_text(text, "sans", width, 2000, min_size=24, max_size=24, max_lines=40)
        assert not any(t[0] in _NO_START for t, _ in fit.lines), width


def test_thai_breaks_between_words() -> None:
    text = CORPUS["thai"]
    tokens = split_tokens(text)
    assert tokens[:5] == ["ฉัน", "นั่ง", "รถเมล์", "ไป", "ทำงาน"]  # รถเมล์ (bus) is one word: ICU's dictionary
    assert "".join(tokens) == text
    fit = fit_text(text, "sans", 220, 400, min_size=28, max_size=28)
    words = set(tokens)
    for line, _ in fit.lines:
        assert all(part in words for part in split_tokens(line)), line


def test_thai_break_offsets_are_cluster_boundaries() -> None:
    text = "สวัสดีครับ ผมชื่อสมชาย"
    starts, pos = set(), 0
    for cl in clusters(text):
        starts.add(pos)
        pos += len(cl)
    assert thai_breaks(text) and thai_breaks(text) <= starts


@pytest.mark.parametrize("name", ["german compound", "url", "chinese paragraph"])
def test_long_words_break_instead_of_overflowing(name: str) -> None:
    img = Image.new("RGB", (400, 400), "white")
    fit = fit_text(CORPUS[name], "sans", 300, 300, min_size=24, max_size=48)
    placed = draw_fit(img, fit, "sans", (50, 50, 350, 350))
    assert all(x0 >= 50 - 0.5 and x1 <= 350 + 0.5 for x0, _, x1, _ in placed)
    left, _, right, _ = ink_bbox(img)
    assert left >= 48 and right <= 352


# --- bidi ------------------------------------------------------------------------------------


def test_mixed_arabic_line_in_visual_order() -> None:
    runs = [r.text.strip() for r in line_runs("sans", "أركب الحافلة مع Ana في 2024", True)]
    assert [r for r in runs if r] == ["2024", "في", "Ana", "أركب الحافلة مع"]


def test_mixed_latin_line_keeps_hebrew_run_right_to_left() -> None:
    runs = line_runs("sans", "I said שלום עולם to Ana", False)
    assert [(r.text.strip(), r.level) for r in runs if r.text.strip()] == [("I said", 0), ("שלום עולם", 1), ("to Ana", 0)]


def test_numbers_inside_hebrew_read_left_to_right() -> None:
    runs = [(r.text.strip(), r.level) for r in line_runs("sans", "מחיר: 12.50 ₪ בלבד", True) if r.text.strip()]
    assert runs[0] == ("בלבד", 1) and ("12.50", 2) in runs and runs[-1] == ("מחיר", 1)


@pytest.mark.parametrize("name", ["arabic", "hebrew", "mixed rtl"])
def test_rtl_paragraphs_are_right_aligned_unless_the_layer_says_otherwise(name: str) -> None:
    fit = fit_text(CORPUS[name], "sans", 600, 200, min_size=14, max_size=40)
    img = Image.new("RGB", (640, 240), "white")
    right = draw_fit(img, fit, "sans", (20, 20, 620, 220))
    assert all(abs(x1 - 620) < 1 for _, _, x1, _ in right)
    left = draw_fit(img, fit, "sans", (20, 20, 620, 220), align="left")
    assert all(abs(x0 - 20) < 1 for x0, _, _, _ in left)


def test_mirror_flips_boxes_and_left_right_alignment() -> None:
    layer = TextLayer(kind="text", template="x", box={"x": 0.1, "y": 0.2, "w": 0.3, "h": 0.4}, align="left")
    flipped = mirrored(layer)
    assert (flipped.box.x, flipped.box.y, flipped.box.w, flipped.box.h) == pytest.approx((0.6, 0.2, 0.3, 0.4))
    assert flipped.align == "right" and mirrored(flipped).box.x == pytest.approx(0.1)
    assert mirrored(layer.model_copy(update={"align": "start"})).align == "start"


def _mirror_frame(frame, on: bool):
    formats = {k: v.model_copy(update={"mirror_rtl": on}) for k, v in frame.manifest.formats.items()}
    return type(frame)(frame.manifest.model_copy(update={"formats": formats}), frame.assets, frame.digest + str(on), frame.manifest_bytes)


def test_mirror_rtl_format_flips_the_layout_only_in_rtl_languages() -> None:
    frame = next(f for f in bundled_frames() if "ar" in f.manifest.translations)
    values = clean_values(frame.manifest, {f.name: f.sample for f in frame.manifest.fields if f.kind != "photo"})
    fmt = next(iter(frame.manifest.formats))
    opts = {lang: RenderOptions(lang=lang, public_url="https://frames.example") for lang in ("ar", frame.manifest.language)}
    plain_ar = render(_mirror_frame(frame, False), values, None, fmt, opts["ar"])
    mirror_ar = render(_mirror_frame(frame, True), values, None, fmt, opts["ar"])
    plain_own = render(_mirror_frame(frame, False), values, None, fmt, opts[frame.manifest.language])
    mirror_own = render(_mirror_frame(frame, True), values, None, fmt, opts[frame.manifest.language])
    assert plain_own.tobytes() == mirror_own.tobytes()
    assert plain_ar.tobytes() != mirror_ar.tobytes()
    qr = next(l for l in frame.manifest.formats[fmt].layers if l.kind == "qr")
    box = qr.box.pixels(*plain_ar.size)
    flipped = mirrored(qr).box.pixels(*plain_ar.size)
    assert flipped != box
    moved = ImageChops.difference(plain_ar.crop(box).convert("L"), mirror_ar.crop(flipped).convert("L"))
    assert ImageStat.Stat(moved).mean[0] < 5, "the QR code did not move to the mirrored box"


# --- length limits ---------------------------------------------------------------------------


def test_emoji_count_as_one_character_each() -> None:
    text = "👨‍👩‍👧‍👦🇩🇪👍🏽❤️#️⃣"
    assert len(text) > 15 and grapheme_count(text) == 5
    assert platform_length(text, "bluesky") == 5
    assert platform_length("नमस्ते", "mastodon") == 3
    assert platform_length("see https://example.org/" + "a" * 100, "x") == 4 + 23


def test_field_limits_count_graphemes() -> None:
    frame = next(f for f in bundled_frames() if f.id == "ride-the-bus")
    city = frame.manifest.field("city")
    values = clean_values(frame.manifest, {"city": "👨‍👩‍👧‍👦" * city.limit})
    assert grapheme_count(values["city"]) == city.limit


# --- every bundled frame, every format -------------------------------------------------------


def _fill(frame, text: str) -> dict[str, str]:
    raw = {}
    for spec in frame.manifest.fields:
        if spec.kind in ("text", "long_text"):
            raw[spec.name] = "".join(clusters(normalize_text(text, multiline=spec.kind == "long_text"))[: spec.limit]).strip()
        elif spec.kind == "choice":
            raw[spec.name] = spec.options[0].value
    return clean_values(frame.manifest, raw)


class Recorder:
    """Wraps draw_fit: checks every text layer's lines for glyphs and for staying in the box."""

    def __init__(self) -> None:
        self.calls = 0
        self.problems: list[str] = []

    def __call__(self, draw, fit, family, box, **kw):
        self.calls += 1
        placed = draw_fit(draw, fit, family, box, **kw)
        left, top, right, bottom = box
        for x0, _y0, x1, _y1 in placed:
            if x0 < left - 0.5 or x1 > right + 0.5:
                self.problems.append(f"line {x0:.1f}..{x1:.1f} outside {left}..{right}")
        if fit.height > bottom - top:
            self.problems.append(f"block height {fit.height} > box {bottom - top}")
        for line, rtl in fit.lines:
            if missing := uncovered(family, line, rtl):
                self.problems.append(f"no glyph for {sorted(missing)}")
        scratch = Image.new("RGB", draw.size, "white")
        draw_fit(scratch, fit, family, box, **{**kw, "fill": (0, 0, 0), "stroke": 0})
        ink = ink_bbox(scratch)
        if ink and (ink[0] < left - 3 or ink[2] > right + 3 or ink[1] < top - 3 or ink[3] > bottom + 3):
            self.problems.append(f"ink {ink} outside box {box}")
        return placed


FRAMES = bundled_frames()


@pytest.mark.parametrize("frame", FRAMES, ids=[f.id for f in FRAMES])
@pytest.mark.parametrize("name", CORPUS)
def test_corpus_renders_into_every_format_of_every_bundled_frame(frame, name: str, monkeypatch) -> None:
    recorder = Recorder()
    monkeypatch.setattr(remix.layers, "draw_fit", recorder)
    values = _fill(frame, CORPUS[name])
    for fmt in frame.manifest.formats:
        image = render(frame, values, None, fmt, RenderOptions(public_url="https://frames.example"))
        assert image.size == (frame.manifest.formats[fmt].width, frame.manifest.formats[fmt].height)
    assert recorder.calls > 0
    assert not recorder.problems, recorder.problems[:5]


@pytest.mark.parametrize("frame", FRAMES, ids=[f.id for f in FRAMES])
def test_every_translation_renders_with_real_glyphs(frame, monkeypatch) -> None:
    recorder = Recorder()
    monkeypatch.setattr(remix.layers, "draw_fit", recorder)
    for lang in languages(frame.manifest):
        w = words(frame.manifest, lang)
        values = clean_values(frame.manifest, {f.name: w.sample(f) for f in frame.manifest.fields if f.kind not in ("photo", "choice")})
        for fmt in frame.manifest.formats:
            render(frame, values, None, fmt, RenderOptions(lang=lang, public_url="https://frames.example"))
    assert not recorder.problems, recorder.problems[:5]


# --- golden images ---------------------------------------------------------------------------

GOLDEN_TEXTS = {
    "arabic": "أركب الحافلة في القاهرة لأنها الطريقة الوحيدة للوصول إلى العمل مع Ana في 2024",
    "hindi": "मैं बस से जाता हूँ क्योंकि यह सस्ता और तेज़ है। हमारी बस, हमारा शहर।",
    "chinese": "我每天坐公交车去上班，因为又便宜又环保。我們一起坐公車！",
    "emoji": "Ride with us 🚌 👨‍👩‍👧‍👦 🇩🇪 🇧🇷 👍🏽 ❤️ 🏳️‍🌈",
}


def golden_render(text: str) -> Image.Image:
    img = Image.new("RGB", (600, 200), "white")
    fit = fit_text(text, "sans", 560, 160, min_size=14, max_size=44)
    draw_fit(img, fit, "sans", (20, 20, 580, 180), fill=(20, 20, 20))
    return img


@pytest.mark.parametrize("name", GOLDEN_TEXTS)
def test_golden_image(name: str) -> None:
    assert features.check("raqm") and ImageFont.core.HAVE_RAQM, "goldens are drawn with the RAQM layout engine"
    path = GOLDEN / f"{name}-raqm.png"
    actual = golden_render(GOLDEN_TEXTS[name])
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        actual.save(path, optimize=True)
    assert path.exists(), f"missing golden {path.name}: look at it, then write it with FRAME_REMIX_UPDATE_GOLDEN=1"
    expected = Image.open(path).convert("RGB")
    assert expected.size == actual.size
    mean = sum(ImageStat.Stat(ImageChops.difference(expected, actual)).mean) / 3
    assert mean < 1.5, f"{name}: mean absolute difference {mean:.2f} from the golden"


def test_combining_marks_normalized_before_layout() -> None:
    text = normalize_text("e" + "\u0301" * 20 + " café")
    assert unicodedata.is_normalized("NFC", text)
    assert not uncovered("sans", text)


# --- translated frames -----------------------------------------------------------------------


def _ride_with(translations: dict) -> object:
    frame = next(f for f in bundled_frames() if f.id == "ride-the-bus")
    trs = {lang: Translation(**tr) for lang, tr in translations.items()}
    return frame.manifest.model_copy(update={"translations": trs})


def test_translated_post_and_alt_beat_the_originals_per_platform_and_format_ones() -> None:
    manifest = _ride_with({"ar": {"post": "أركب الحافلة في {{ city }}", "alt": "صورة من {{ city }}"}})
    assert manifest.texts.platforms["x"]  # the original has its own X post, in English
    ar = words(manifest, "ar")
    assert ar.post_template("x") == "أركب الحافلة في {{ city }}"
    assert ar.alt_template("square") == "صورة من {{ city }}"
    assert words(manifest, "en").post_template("x") == manifest.texts.platforms["x"]


def test_missing_strings_name_platform_posts_and_skip_layers_without_words() -> None:
    manifest = _ride_with({"ar": {"title": "لماذا أركب الحافلة", "post": "…", "alt": "…"}})
    missing = missing_strings(manifest, "ar")
    assert "platforms.x" in missing and "layers.headline" in missing
    assert "layers.story" not in missing  # "{{ story }}" has no words of its own
    assert not has_words("{{ story }}") and not has_words("“") and has_words("in {{ city }}")


@pytest.mark.parametrize("frame", [f for f in FRAMES if f.manifest.translations], ids=lambda f: f.id)
def test_bundled_translations_are_complete_and_rtl_ones_right_aligned(frame) -> None:
    for lang in frame.manifest.translations:
        assert missing_strings(frame.manifest, lang) == [], lang
    if "ar" in frame.manifest.translations:
        assert words(frame.manifest, "ar").rtl
        headline = next(
            (l for f in frame.manifest.formats.values() for l in f.layers if isinstance(l, TextLayer) and l.id in frame.manifest.translations["ar"].layers),
            None,
        )
        if headline is not None:
            text = frame.manifest.translations["ar"].layers[headline.id]
            fit = fit_text(normalize_text(re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text)), headline.font, 600, 200, min_size=14, max_size=40)
            assert all(rtl for _, rtl in fit.lines)


@pytest.mark.parametrize(
    "line, language",
    [("我每天坐公交车去上班", None), ("我每天坐公車去上班", "zh-Hant"), ("毎朝バスで通勤", "ja"), ("버스 최고", "ko"), ("Kraków", None)],
)
def test_han_glyph_forms_follow_the_line_language(line: str, language: str | None) -> None:
    assert cjk_language(line) == language


def test_japanese_and_chinese_lines_draw_han_in_their_own_forms() -> None:
    def han(line: str) -> Image.Image:
        img = Image.new("L", (400, 120), 255)
        fit = fit_text(line, "sans", 380, 100, min_size=60, max_size=60)
        draw_fit(img, fit, "sans", (10, 10, 390, 110), fill=0)
        return img.crop((10, 0, 75, 120))  # the first character only

    zh, ja = han("直接坐车"), han("直すバス")
    assert ImageStat.Stat(ImageChops.difference(zh, ja)).mean[0] > 1, "the locl forms were not applied"


def test_bold_families_embolden_the_regular_only_cjk_font() -> None:
    def ink(family: str) -> float:
        img = Image.new("L", (400, 120), 255)
        fit = fit_text("我们坐公交", family, 380, 100, min_size=48, max_size=48)
        placed = draw_fit(img, fit, family, (10, 10, 390, 110), fill=0)
        assert all(x0 >= 10 - 0.5 and x1 <= 390.5 for x0, _, x1, _ in placed)
        return 255 - ImageStat.Stat(img).mean[0]

    assert ink("sans-bold") > 1.2 * ink("sans")


# --- packaging and the benchmark -------------------------------------------------------------


def test_every_font_of_every_family_ships_with_the_package() -> None:
    import tomllib

    from frames.fontbook import FAMILIES, FONT_DIR

    globs = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["frames"]
    for name in {n for chain_ in FAMILIES.values() for n in chain_}:
        assert (FONT_DIR / name).is_file(), name
        assert any(Path("fonts", name).match(g) for g in globs), f"{name} is not in package-data"
    assert "OFL" in (FONT_DIR / "OFL.txt").read_text()
    total = sum(p.stat().st_size for p in FONT_DIR.iterdir() if p.suffix in (".ttf", ".otf"))
    assert total < 25_000_000, f"fonts grew to {total / 1e6:.1f} MB"


def test_text_benchmark_runs_and_fallback_stays_cheap() -> None:
    from benchmarks.text import bench_text

    latin_ms, mixed_ms = bench_text(repeat=9)  # both through Pillow's full shaping path
    assert mixed_ms < 3 * latin_ms  # the benchmark's target is 2x; loose here for a busy CI machine
