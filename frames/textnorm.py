"""The one set of character rules for every text, an organizer's and a participant's alike.

Everything we write ends up in HTML, XML (the Atom feed), JSON, SQLite and Pillow's RAQM
layout, so a character any of them cannot carry must go before anything is stored:
C0 and C1 controls (a tab becomes a space, every line ending `\\n`; RAQM fails on `\\r`),
lone surrogates (what Python makes of bytes that are not UTF-8; no UTF-8 file can hold them),
noncharacters (U+FFFE, U+FFFF, U+FDD0..U+FDEF and the last two code points of every plane),
the byte-order mark, interlinear annotation controls, the language tag, and the bidi
embedding/override/isolate controls (they let one name reverse the text around it).
`remix.textnorm` builds participant normalization on these rules; `frames.manifest` applies
them to every string of a manifest when it is parsed.
"""
from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
DROP = re.compile(
    f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{BIDI_CONTROLS}\\ufeff\\ufff9-\\ufffb\\U000e0001"
    f"\\ud800-\\udfff{_NONCHARACTERS}]"
)
LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u3000]+")


def clean_chars(text: str) -> str:
    """NFC, line endings as `\\n`, tabs as spaces, and none of the characters above. Spacing and
    line structure are otherwise kept (templates and messages may mean them)."""
    text = DROP.sub("", LINE_BREAKS.sub("\n", text).replace("\t", " "))
    return unicodedata.normalize("NFC", text)


def clean_line(text: str) -> str:
    """`clean_chars` for one-line text (a title, a name, a label): one line, single spaces, trimmed."""
    return _SPACES.sub(" ", clean_chars(text).replace("\n", " ")).strip()
