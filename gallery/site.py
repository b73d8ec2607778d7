"""The one Jinja2 environment for the exported site: package templates, autoescape on everywhere.

Autoescape is on for every template (HTML and the Atom XML alike), and undefined names fail
loudly, so a participant's `<script>` is always shown as text and a template typo never ships.
"""
from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(loader=PackageLoader("gallery", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
