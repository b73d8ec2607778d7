"""The bundled fonts organizers may choose from, by family name, with their fallback chains.

Organizers never upload fonts (font files are an attack surface); a family here is an ordered
list of bundled files, and text is drawn with the first file in the chain that covers each
character (emoji sequences go to the colour emoji font). Never opens the files itself: loading
and caching belong to the renderer. `scripts/build_fonts.py` says how the files were made.
"""
from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).parent / "fonts"

_SANS = ("NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "NotoSansBengali", "NotoSansTamil", "NotoSansThai")
_SERIF = ("NotoNaskhArabic", "NotoSerifHebrew", "NotoSerifDevanagari", "NotoSerifBengali", "NotoSerifTamil", "NotoSerifThai")
# One CJK file (regular weight, simplified-Chinese default forms, `locl` for ja/ko/zh-Hant) serves
# every family: a second weight or a serif design would add ~5 MB each.
CJK = "NotoSansCJKsc-Regular-Subset.otf"
EMOJI = "NotoColorEmoji.ttf"


def _chain(first: str, rest: tuple[str, ...], weight: str) -> tuple[str, ...]:
    return (*(f"{name}-{weight}.ttf" for name in (first, *rest)), CJK, EMOJI)


FAMILIES: dict[str, tuple[str, ...]] = {
    "sans": _chain("NotoSans", _SANS, "Regular"),
    "sans-bold": _chain("NotoSans", _SANS, "Bold"),
    "serif": _chain("NotoSerif", _SERIF, "Regular"),
    "serif-bold": _chain("NotoSerif", _SERIF, "Bold"),
}
FAMILY_NAMES: tuple[str, ...] = tuple(FAMILIES)
# Files that stand in for a bold weight they do not have: the renderer emboldens them.
REGULAR_ONLY = frozenset({CJK})


def synthetic_bold(family: str, path: Path) -> bool:
    """True when `path` is drawn in a bold family without a bold file of its own."""
    return family.endswith("-bold") and path.name in REGULAR_ONLY


def font_paths(family: str) -> tuple[Path, ...]:
    """The files of a family, primary first; raises KeyError for a name not in FAMILIES."""
    return tuple(FONT_DIR / name for name in FAMILIES[family])
