"""What this instance serves to the instances that follow it: the outbox as a JSON Feed, a
remix's record for rechecks, its thumbnail, and reports sent by peers.

Read-only except `receive_report`. Everything here speaks for the address `base` the caller
serves it on (the configured public URL, else the request's; see gallery.federation.outbox for
why records are filled in and signed for that address). Only what is public leaves: published
remixes' metadata and image hashes, tombstones, frame records; never a key, a delete link, a
reporter or a hidden remix.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from PIL import Image

from gallery.db import Store
from gallery.errors import GalleryError
from gallery.federation.identity import instance_key
from gallery.federation.outbox import Signer, envelope
from gallery.federation.records import FEED_EXTENSION, origin
from gallery.moderation import MAX_REASON, report_remix
from gallery.queries import image
from gallery.remixes import best_format
from remix.credits import remix_by

FEED_LIMIT = 500
JSON_FEED = "https://jsonfeed.org/version/1.1"
FEED_PATH = "/federation/feed.json"
THUMB_SIZE = 480
THUMB_QUALITY = 82
MAX_REPORT_BYTES = 4 * 1024
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_PEER = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
_PAGE_SQL = """SELECT o.seq, o.kind, o.record_json, o.signature, o.signed_for, o.created FROM outbox o
               LEFT JOIN remixes r ON o.kind = 'remix' AND r.id = o.subject_id
               WHERE o.seq > ? AND (o.kind != 'remix' OR r.status = 'published') ORDER BY o.seq LIMIT ?"""


class NotServed(GalleryError):
    """What a peer asked for is not public here (unknown, pending, hidden): answered as 404."""


def feed_page(store: Store, base_url: str, after: int = 0, limit: int = FEED_LIMIT) -> dict[str, Any]:
    """One page of the outbox after seq `after`, oldest first, as a JSON Feed 1.1 object; `next_url`
    when more follow. Remixes not published now are left out (a hidden one stays in the outbox and
    comes back if restored). Read-only."""
    base = base_url.rstrip("/")
    limit = max(1, min(int(limit), FEED_LIMIT))
    signer = Signer.at(instance_key(store.settings.data_dir), base)
    rows = store.read().execute(_PAGE_SQL, [max(0, int(after)), limit + 1]).fetchall()
    items = [_item(base, row, envelope(signer, row[0], row[2], (row[3], row[4]))) for row in rows[:limit]]
    feed: dict[str, Any] = {
        "version": JSON_FEED, "title": f"frame-remix at {urlsplit(base).netloc or base}",
        "home_page_url": f"{base}/gallery", "feed_url": base + FEED_PATH, "items": items,
    }
    if len(rows) > limit:
        feed["next_url"] = f"{base}{FEED_PATH}?after={rows[limit - 1][0]}"
    return feed


def _item(base: str, row: tuple[Any, ...], sealed: dict[str, Any]) -> dict[str, Any]:
    record = sealed["record"]
    item: dict[str, Any] = {"id": f"{base}/federation/outbox/{row[0]}", "date_published": row[5]}
    if row[1] == "remix":
        item.update(url=record["page"], image=record["thumbnail"],
                    content_text=f"{record['frame_title']} · {remix_by(record['maker'], record['language'] or None)}")
    elif row[1] == "tombstone":
        item.update(url=f"{base}/federation/remixes/{record['id']}.json", content_text="A remix was deleted on its home instance.")
    else:
        item.update(url=record["pack_url"], content_text=f"{record['title']} v{record['version']}")
    item[FEED_EXTENSION] = sealed
    return item


def feed_bytes(feed: Mapping[str, Any]) -> bytes:
    """The feed as sent: compact UTF-8 JSON."""
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def strong_etag(body: bytes) -> str:
    """A strong validator: the hash of the exact bytes (signatures are deterministic, so an
    unchanged page keeps its tag; a remix hidden or restored changes it)."""
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def etag_matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header names `tag` (or `*`); weak tags compare by their value."""
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or tag in tags


def remix_envelope(store: Store, base_url: str, remix_id: str) -> tuple[int, dict[str, Any]]:
    """(200, the record's envelope) for a published remix, (410, its tombstone's) for a deleted
    one that followers were told about; NotServed otherwise. Read-only."""
    db = store.read()
    row = db.execute("SELECT status FROM remixes WHERE id = ?", [remix_id]).fetchone()
    kind = {"published": "remix", "deleted": "tombstone"}.get(row[0]) if row else None
    entry = db.execute("""SELECT seq, record_json, signature, signed_for FROM outbox WHERE subject_id = ? AND kind = ?
                          ORDER BY seq DESC LIMIT 1""", [remix_id, kind]).fetchone() if kind else None
    if entry is None:
        raise NotServed(f"there is no published remix '{remix_id[:64]}' on this instance")
    sealed = envelope(Signer.at(instance_key(store.settings.data_dir), base_url), entry[0], entry[1],
                      (entry[2], entry[3]))
    return (200 if kind == "remix" else 410), sealed


def remix_thumbnail(store: Store, remix_id: str) -> bytes:
    """A JPEG of at most THUMB_SIZE px on its long side of a published remix's best format (the one
    its share page shows), without metadata. NotServed when the remix is not published. Read-only."""
    db = store.read()
    formats = [f for (f,) in db.execute("""SELECT i.format FROM remix_images i JOIN remixes r ON r.seq = i.remix_seq
                                            WHERE r.id = ? AND r.status = 'published' ORDER BY i.rowid""", [remix_id])]
    if not formats:
        raise NotServed(f"there is no published remix '{remix_id[:64]}' on this instance")
    stored = image(store, remix_id, best_format(formats))
    with Image.open(io.BytesIO(stored.data)) as im:
        im.draft("RGB", (THUMB_SIZE, THUMB_SIZE))  # a JPEG decodes straight at a smaller scale
        picture = im.convert("RGB")
    picture.thumbnail((THUMB_SIZE, THUMB_SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=THUMB_QUALITY, optimize=True)
    return out.getvalue()


def receive_report(store: Store, body: bytes, *, peer_origin: str | None, address: str) -> int:
    """Store a peer's report `{"remix": ID, "reason": TEXT}` through gallery.moderation.report_remix,
    as reporter 'peer:<origin>' from network `address` (rate limits apply). Returns the number of
    distinct addresses reporting the remix. GalleryError (one sentence) on bad input, NotServed
    when the remix is not shown here."""
    remix_id, reason = _parse_report(body)
    row = store.read().execute("SELECT status FROM remixes WHERE id = ?", [remix_id]).fetchone()
    if row is None or row[0] != "published":
        raise NotServed(f"there is no published remix '{remix_id}' on this instance")
    reporter = "peer:" + (origin(peer_origin) if peer_origin and _PEER.match(peer_origin.strip()) else "unknown")
    return report_remix(store, remix_id, reporter, reason, address=address)


def _parse_report(body: bytes) -> tuple[str, str]:
    if len(body) > MAX_REPORT_BYTES:
        raise GalleryError(f"a report is at most {MAX_REPORT_BYTES // 1024} KB of JSON")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise GalleryError('a report is a JSON object like {"remix": "ID", "reason": "what is wrong"}') from None
    if not isinstance(data, dict) or set(data) != {"remix", "reason"}:
        raise GalleryError('a report is a JSON object with exactly two keys, "remix" and "reason"')
    remix_id, reason = data["remix"], data["reason"]
    if not isinstance(remix_id, str) or not _ID.match(remix_id):
        raise GalleryError("the report's remix is not a remix id")
    if not isinstance(reason, str) or not reason.strip():
        raise GalleryError("the report needs a reason: say what is wrong with the remix")
    if len(reason) > MAX_REASON:
        raise GalleryError(f"the report's reason is longer than {MAX_REASON} characters")
    return remix_id, reason

