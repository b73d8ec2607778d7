"""Normalizing participant text before it is measured, drawn, counted or stored.

The character rules are `frames.textnorm.clean_chars`, shared with organizer text: NFC, every
line ending `\\n` (Pillow's RAQM layout fails on `\\r`), and no control, bidi override/isolate,
noncharacter or lone surrogate (nothing HTML, XML or JSON cannot carry). Runs of combining
marks are capped (a "Zalgo" string cannot grow forever); the number of lines and characters is bounded. Lengths are counted in grapheme clusters, as
people and platforms count them: a family emoji or a flag is one character.
"""
from __future__ import annotations

import re

import regex

from frames.textnorm import clean_chars

MAX_MARKS = 4
MAX_LINES = 40
MAX_NAME = 60
_MARK_RUN = regex.compile(rf"(\p{{M}}{{{MAX_MARKS}}})\p{{M}}+")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")


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
    text = _MARK_RUN.sub(r"\1", clean_chars(text))
    if not multiline:
        return _cut(_SPACES.sub(" ", text.replace("\n", " ")).strip(), max_chars)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        text = "\n".join([*lines[:MAX_LINES - 1], " ".join(lines[MAX_LINES - 1:])])
    return _cut(text, max_chars)


def normalize_name(name: str) -> str:
    """A display name: one line, no controls or direction overrides, at most 60 characters."""
    return "".join(graphemes(normalize_text(name, multiline=False, max_chars=1000))[:MAX_NAME]).strip()
