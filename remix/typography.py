"""Typographic quotes and apostrophes: straight `"` and `'` typed on a phone become the quotation
marks of the text's language, for text layers that ask for it (`typography = "curly"`).

Pure string work, applied after the template is filled and before layout. Rules:
- an apostrophe inside a word or before a digit (`don't`, `l'eau`, `'90s`) is `’`;
- a quote at the start, or after a space, an opening bracket or a dash, opens; any other closes;
- double quotes take the language's primary marks, single quotes its secondary ones; French puts
  a narrow no-break space inside « » (so a line never breaks between the mark and the word).
Quotes already typographic are left alone.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Marks:
    """(open, close) for double and single quotes, and the space French sets inside guillemets."""

    double: tuple[str, str]
    single: tuple[str, str]
    inner_space: str = ""


_ENGLISH = Marks(("“", "”"), ("‘", "’"))
MARKS: dict[str, Marks] = {
    "en": _ENGLISH,
    "es": Marks(("«", "»"), ("“", "”")),  # RAE: angular quotes first, English ones inside them
    "fr": Marks(("«", "»"), ("“", "”"), "\u202f"),
    "pt": Marks(("«", "»"), ("“", "”")),
    "it": Marks(("«", "»"), ("“", "”")),
    "de": Marks(("„", "“"), ("‚", "‘")),
    "pl": Marks(("„", "”"), ("«", "»")),
    "ru": Marks(("«", "»"), ("„", "“")),
    "uk": Marks(("«", "»"), ("„", "“")),
    "ar": Marks(("«", "»"), ("“", "”")),
}
APOSTROPHE = "’"
_OPENS_AFTER = set(" \t\n([{«“‘„‚—–-/\u00a0\u202f")


def marks_for(lang: str | None) -> Marks:
    """The language's marks (by its primary subtag); English marks for any other language."""
    return MARKS.get((lang or "en").split("-")[0].lower(), _ENGLISH)


def curly_quotes(text: str, lang: str | None = None) -> str:
    """`text` with straight quotes and apostrophes replaced by the language's typographic ones."""
    if '"' not in text and "'" not in text:
        return text
    marks = marks_for(lang)
    out: list[str] = []
    for i, char in enumerate(text):
        if char not in "\"'":
            out.append(char)
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if char == "'" and _is_apostrophe(before, after):
            out.append(APOSTROPHE)
            continue
        opening = not before or before in _OPENS_AFTER
        pair = marks.double if char == '"' else marks.single
        out.append(_mark(pair, opening, marks.inner_space if char == '"' else ""))
    return "".join(out)


def _is_apostrophe(before: str, after: str) -> bool:
    """Inside a word (don't, l'eau), or eliding a year's century ('90s)."""
    return (before.isalnum() and after.isalpha()) or (not before.isalnum() and after.isdigit())


def _mark(pair: tuple[str, str], opening: bool, space: str) -> str:
    return pair[0] + space if opening else space + pair[1]
