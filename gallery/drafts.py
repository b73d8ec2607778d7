"""Organizers' drafts that survive a reload, a lost connection or a restarted server.

A draft is kept behind its own secret draft key (in the organizer's link, `?draft=KEY`; only
the key's hash is stored), as the manifest's plain tables (JSON), the manifest it started
from (so its comments are kept when it is written) and its assets (in the content-addressed
asset table the frames use). A draft is not a frame: nobody sees it, and publishing still
checks the frame's owner key. Drafts untouched for `KEEP_DAYS` are dropped.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError
from gallery.keys import hash_key

KEEP_DAYS = 30
MAX_DRAFT_BYTES = 512 * 1024  # the tables as JSON; a manifest is at most 256 KiB as TOML
MAX_DRAFT_ASSETS = 16


@dataclass(frozen=True)
class SavedDraft:
    """An unpublished draft as stored: the manifest tables, the manifest it started from, its assets."""

    data: dict[str, Any]
    source: bytes = b""
    in_gallery: bool = False
    assets: dict[str, bytes] = field(default_factory=dict)


def save_draft(store: Store, key: str, draft: SavedDraft) -> None:
    """Store (or replace) the draft behind `key` in one transaction; refuses oversize drafts whole."""
    text = json.dumps(draft.data, ensure_ascii=False, allow_nan=False)
    if len(text.encode()) > MAX_DRAFT_BYTES or len(draft.assets) > MAX_DRAFT_ASSETS:
        raise GalleryError("this draft is too large to keep; remove some fields, layers or images")
    key_hash = hash_key("draft:" + key)
    with store.write() as db:
        db.execute("DELETE FROM draft_assets WHERE key_hash = ?", [key_hash])
        db.execute("INSERT OR REPLACE INTO drafts VALUES (?, ?, ?, ?, ?, ?)",
                   [key_hash, str(draft.data.get("id", "")), int(draft.in_gallery), text, draft.source, now_iso()])
        for name, blob in draft.assets.items():
            digest = hashlib.sha256(blob).hexdigest()
            db.execute("INSERT OR IGNORE INTO assets VALUES (?, ?, ?)", [digest, blob, len(blob)])
            db.execute("INSERT INTO draft_assets VALUES (?, ?, ?)", [key_hash, name, digest])
        _prune(db)


def load_draft(store: Store, key: str) -> SavedDraft | None:
    """The draft behind `key`, or None (a wrong, old or deleted key finds nothing). Read-only."""
    db = store.read()
    key_hash = hash_key("draft:" + key)
    row = db.execute("SELECT data, source, in_gallery FROM drafts WHERE key_hash = ?", [key_hash]).fetchone()
    if row is None:
        return None
    assets = {name: bytes(blob) for name, blob in db.execute(
        "SELECT d.name, a.data FROM draft_assets d JOIN assets a ON a.hash = d.hash WHERE d.key_hash = ?", [key_hash])}
    return SavedDraft(json.loads(row[0]), bytes(row[1]), bool(row[2]), assets)


def delete_draft(store: Store, key: str) -> None:
    key_hash = hash_key("draft:" + key)
    with store.write() as db:
        db.execute("DELETE FROM draft_assets WHERE key_hash = ?", [key_hash])
        db.execute("DELETE FROM drafts WHERE key_hash = ?", [key_hash])


def _prune(db: Any) -> None:
    cutoff = (datetime.now(UTC) - timedelta(days=KEEP_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")
    old = "SELECT key_hash FROM drafts WHERE updated < ?"
    db.execute(f"DELETE FROM draft_assets WHERE key_hash IN ({old})", [cutoff])
    db.execute("DELETE FROM drafts WHERE updated < ?", [cutoff])
