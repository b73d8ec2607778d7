"""Normalizing participant text before it is measured, drawn, counted or stored.

NFC; every line ending becomes `\\n` (Pillow's RAQM layout fails on `\\r`); control characters
and bidi embedding/override/isolate controls are removed (they would let one name reverse the
text around it); runs of combining marks are capped (a "Zalgo" string cannot grow forever);
the number of lines and characters is bounded. Lengths are counted in grapheme clusters, as
people and platforms count them: a family emoji or a flag is one character.
"""
from __future__ import annotations

import re
import unicodedata

import regex

MAX_MARKS = 4
MAX_LINES = 40
MAX_NAME = 60
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_DROP = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI_CONTROLS}\\ufeff\\ufff9-\\ufffb\\U000e0001]")
_MARK_RUN = regex.compile(r"(\p{M}{%d})\p{M}+" % MAX_MARKS)
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")


_CLUSTER = regex.compile(r"\X")


def graphemes(text: str) -> list[str]:
    """Extended grapheme clusters (UAX #29): what a reader counts as one character."""
    if text.isascii() and "\r" not in text:  # no other ASCII pair forms a cluster
        return list(text)
    return _CLUSTER.findall(text)


def grapheme_count(text: str) -> int:
    """User-perceived characters: a family emoji, a flag or a conjunct's cluster counts once."""
    return len(graphemes(text))


def _cut(text: str, max_chars: int) -> str:
    """At most `max_chars` code points, never ending inside a cluster (no dangling joiner)."""
    if len(text) <= max_chars:
        return text
    out, used = [], 0
    for cluster in graphemes(text[: max_chars + 64]):
        if used + len(cluster) > max_chars:
            break
        out.append(cluster)
        used += len(cluster)
    return "".join(out)


def normalize_text(text: str, *, multiline: bool = True, max_chars: int = 5000) -> str:
    """Clean text for drawing and storing; the result never contains `\\r` or control characters."""
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text))
    text = _DROP.sub("", text.replace("\t", " "))
    text = _MARK_RUN.sub(r"\1", text)
    if not multiline:
        return _cut(_SPACES.sub(" ", text.replace("\n", " ")).strip(), max_chars)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        text = "\n".join(lines[: MAX_LINES - 1] + [" ".join(lines[MAX_LINES - 1:])])
    return _cut(text, max_chars)


def normalize_name(name: str) -> str:
    """A display name: one line, no controls or direction overrides, at most 60 characters."""
    return "".join(graphemes(normalize_text(name, multiline=False, max_chars=1000))[:MAX_NAME]).strip()
