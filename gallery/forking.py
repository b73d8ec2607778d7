"""Rewriting a manifest for a fork: new id, version 1, and `[derived_from]` naming the source.

The edit goes through the one manifest writer (`frames.tomledit`), so the organizer's comments
survive and strings are escaped one way; then it is proven safe: the result is parsed again
and must equal the source in every key except id, version and derived_from.
"""
from __future__ import annotations

from typing import Any

from frames.errors import FrameError
from frames.manifest import load_toml
from frames.tomledit import write_manifest
from gallery.errors import GalleryError
from gallery.models import FrameSource

_EDITED = ("id", "version", "derived_from")


def fork_manifest(data: bytes, new_id: str, source: FrameSource) -> bytes:
    """The source manifest with a new id, version 1 and derived_from; raises GalleryError if unsafe."""
    original = load_toml(data)
    wanted = {"id": new_id, "version": 1, **{k: v for k, v in original.items() if k not in _EDITED},
              "derived_from": _derived_table(source)}
    try:
        rewritten = write_manifest(wanted, data)
    except FrameError:
        rewritten = b""
    _check_same(original, load_toml(rewritten) if rewritten else {}, new_id)
    return rewritten


def _derived_table(source: FrameSource) -> dict[str, Any]:
    table: dict[str, Any] = {"id": source.id, "version": int(source.version)}
    if source.title:
        table["title"] = source.title[:100]
    if source.organizer:
        table["organizer"] = source.organizer[:100]
    if source.instance:
        table["instance"] = source.instance
    return table


def _check_same(before: dict, after: dict, new_id: str) -> None:
    kept_before = {k: v for k, v in before.items() if k not in _EDITED}
    kept_after = {k: v for k, v in after.items() if k not in _EDITED}
    if kept_before != kept_after or after.get("id") != new_id or after.get("version") != 1:
        raise GalleryError("this frame's manifest could not be rewritten safely for a fork; "
                           "export the pack, change id and derived_from by hand, and import it")
