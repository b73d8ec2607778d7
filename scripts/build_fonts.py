"""How the non-Latin fonts in frames/fonts/ were made (run by hand, never at run time).

    apt-get install fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
    .venv/bin/python scripts/build_fonts.py

Bengali, Tamil and Thai are copied as Debian ships them (small already). Noto Sans CJK is cut
down from ~19 MB to the characters people commonly type: GB 2312 (simplified Chinese), the
Big5 level-1 common hanzi (traditional), JIS X 0208 levels 1 and 2 (Japanese kanji and kana),
the 2,350 Hangul syllables of KS X 1001 (Korean), plus CJK punctuation, full-width forms,
compatibility jamo and bopomofo; its `locl` feature is kept so Japanese, traditional Chinese
and Korean get their own glyph forms when the layout passes a language. Noto Color Emoji
(CBDT colour bitmaps) is copied whole: every emoji sequence must render.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

HERE = Path(__file__).resolve().parent.parent / "frames" / "fonts"
NOTO = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FACE = "Noto Sans CJK SC"
COPIED = [
    f"Noto{style}{script}-{weight}.ttf"
    for style in ("Sans", "Serif") for script in ("Bengali", "Tamil", "Thai") for weight in ("Regular", "Bold")
] + ["NotoColorEmoji.ttf"]
CJK_OUT = "NotoSansCJKsc-Regular-Subset.otf"
CJK_RANGES = [
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x3130, 0x318F),  # hangul compatibility jamo
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0xFF00, 0xFFEF),  # half-width and full-width forms
    (0x2010, 0x2027),  # general punctuation used in CJK text
    (0x3200, 0x32FF),  # enclosed CJK letters
]


def _double_byte(codec: str, leads: range, trails: range) -> set[int]:
    out: set[int] = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            out.update(ord(c) for c in text)
    return out


def cjk_codepoints() -> set[int]:
    """Common characters of the four national standards, plus punctuation and kana."""
    chars = _double_byte("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))
    chars |= _double_byte("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    chars |= _double_byte("euc_jp", range(0xA1, 0xF5), range(0xA1, 0xFF))
    chars |= {c for c in _double_byte("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF)) if 0xAC00 <= c <= 0xD7A3}
    for lo, hi in CJK_RANGES:
        chars.update(range(lo, hi + 1))
    return {c for c in chars if c > 0x7F}


def build_cjk() -> None:
    collection = TTCollection(str(CJK))
    font = next(f for f in collection.fonts if f["name"].getDebugName(4) == CJK_FACE)
    options = subset.Options()
    options.layout_features = ["ccmp", "locl", "vert", "vrt2", "liga", "calt", "kern", "palt", "halt"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    cmap = font.getBestCmap()
    subsetter.populate(unicodes=[c for c in cjk_codepoints() if c in cmap])
    subsetter.subset(font)
    font.save(str(HERE / CJK_OUT))


def main() -> None:
    for name in COPIED:
        shutil.copyfile(NOTO / name, HERE / name)
    build_cjk()
    for path in sorted(HERE.iterdir()):
        print(f"{path.stat().st_size:>10,}  {path.name}")


if __name__ == "__main__":
    sys.exit(main())
