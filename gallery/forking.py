"""Rewriting a manifest for a fork: new id, version 1, and `[derived_from]` naming the source.

The edit is textual (so the organizer's comments survive), then proven safe: the result is
parsed again and must equal the source in every key except id, version and derived_from.
"""
from __future__ import annotations

import json
import re

from frames.manifest import load_toml
from gallery.errors import GalleryError
from gallery.models import FrameSource

_TOP_KEY = re.compile(r"^\s*(id|version|derived_from)\s*=")
_HEADER = re.compile(r"^\s*\[")
_DERIVED_HEADER = re.compile(r"^\s*\[\s*derived_from\s*\]\s*(#.*)?$")
_EDITED = ("id", "version", "derived_from")


def fork_manifest(data: bytes, new_id: str, source: FrameSource) -> bytes:
    """The source manifest with a new id, version 1 and derived_from; raises GalleryError if unsafe."""
    original = load_toml(data)
    lines = _without_identity(data.decode("utf-8").splitlines())
    text = "\n".join([f"id = {_toml(new_id)}", "version = 1", *lines, "", *_derived_table(source)]) + "\n"
    rewritten = text.encode("utf-8")
    _check_same(original, load_toml(rewritten), new_id)
    return rewritten


def _without_identity(lines: list[str]) -> list[str]:
    out: list[str] = []
    top, skipping = True, False
    for line in lines:
        if _HEADER.match(line):
            top = False
            skipping = bool(_DERIVED_HEADER.match(line))
        if skipping or (top and _TOP_KEY.match(line)):
            continue
        out.append(line)
    return out


def _derived_table(source: FrameSource) -> list[str]:
    rows = ["[derived_from]", f"id = {_toml(source.id)}", f"version = {int(source.version)}"]
    if source.title:
        rows.append(f"title = {_toml(source.title[:100])}")
    if source.organizer:
        rows.append(f"organizer = {_toml(source.organizer[:100])}")
    if source.instance:
        rows.append(f"instance = {_toml(source.instance)}")
    return rows


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are a subset of TOML's)."""
    return json.dumps(value, ensure_ascii=True)


def _check_same(before: dict, after: dict, new_id: str) -> None:
    kept_before = {k: v for k, v in before.items() if k not in _EDITED}
    kept_after = {k: v for k, v in after.items() if k not in _EDITED}
    if kept_before != kept_after or after.get("id") != new_id or after.get("version") != 1:
        raise GalleryError("this frame's manifest could not be rewritten safely for a fork; "
                           "export the pack, change id and derived_from by hand, and import it")
