"""The one Jinja2 environment for the exported site: package templates, autoescape on everywhere.

Autoescape is on for every template (HTML and the Atom XML alike), and undefined names fail
loudly, so a participant's `<script>` is always shown as text and a template typo never ships. Every
value passes `carryable` on its way out, so no stored character can make a page or feed malformed.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

from frames.textnorm import DROP


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("gallery", "templates"), autoescape=True, finalize=carryable,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def carryable(value: object) -> object:
    """Text without the characters HTML and XML cannot carry. Text is cleaned when it is stored;
    this keeps rows stored before those rules from making a page or the feed malformed."""
    if not isinstance(value, str):
        return value
    return type(value)(DROP.sub("", value))  # keeps Markup (a macro's output) marked safe
