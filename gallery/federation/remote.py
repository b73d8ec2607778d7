"""Remote remixes: what followed peers made of this instance's frames, as the gallery shows them.

A remote remix is kept as its signed record's metadata plus a thumbnail made here (decoded with
our photo checks, re-encoded at most 480 px and 200 KB, metadata gone); the full images stay at
home and are linked there. Shown are only remixes that are 'published' here, from a peer the
operator trusts and whose key is not blocked, so blocking a peer or a key hides all its items
at once. `recheck` asks a remix's home whether it is still there (gone there means gone here).
The operator (admin key) can hide one remix, block a key, and anyone here can report one to
its home instance.
"""
from __future__ import annotations

import io
import time
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, urlsplit

from PIL import Image
from sqlite_utils import Database

from frames.errors import FrameRemixError
from frames.images import open_untrusted
from frames.signing import PublicKey, SignatureError
from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError, WrongKeyError
from gallery.federation.fetch import FetchLimits, PeerError, fetch, parse_peer_json
from gallery.federation.records import RecordError, RemixRecord, TombstoneRecord, open_envelope, origin
from gallery.keys import is_admin
from gallery.moderation import MAX_REASON
from remix.photo import load_photo

THUMB_SIDE = 480
THUMB_MAX_BYTES = 200 * 1024
THUMB_MAX_PIXELS = 4096 * 4096  # a thumbnail never needs more; checked before decoding
MAX_PAGE = 100
RECORD_PATH = "/federation/remixes/{id}.json"
REPORTS_PATH = "/federation/reports"
_VISIBLE = """r.status = 'published' AND p.state = 'trusted'
              AND NOT EXISTS (SELECT 1 FROM blocked_keys b WHERE b.key = p.key)"""
_COLUMNS = """r.instance, r.remix_id, r.frame_id, r.frame_version, r.frame_title, r.maker, r.place, r.language, r.licence,
              r.created, r.page, r.status, r.remix_of_id, r.remix_of_instance, r.thumb IS NOT NULL"""


@dataclass(frozen=True)
class RemoteRemix:
    """A remix made on another instance: credited to its maker and its home, linked there."""

    instance: str
    remix_id: str
    frame_id: str
    frame_version: int
    frame_title: str
    maker: str
    place: str
    language: str
    licence: str
    created: str
    page: str
    status: str
    remix_of_id: str | None
    remix_of_instance: str | None
    has_thumb: bool

    @property
    def host(self) -> str:
        """Where it lives, as people read it: 'remix.example.org' ('on <host>')."""
        return urlsplit(self.instance).netloc

    @property
    def credit_name(self) -> str:
        return self.maker or "anonymous"


def _remote(row: Any) -> RemoteRemix:
    values: list[Any] = [*row[:-1], bool(row[-1])]  # the last column says whether a thumbnail is held
    return RemoteRemix(*values)


def require_admin(store: Store, key: str | None) -> None:
    """Following, trusting and blocking peers is the operator's: it needs the instance admin key."""
    if not is_admin(key, store.settings.admin_key):
        raise WrongKeyError("managing peers needs the instance admin key")


# --- reading ---------------------------------------------------------------------------------------------


def remote_remixes(store: Store, *, frame_id: str | None = None, limit: int = 48, offset: int = 0) -> list[RemoteRemix]:
    """Shown remote remixes, newest first; with `frame_id`, those of that frame and of its forks
    (local forks and forks a followed peer announced), and remixes of this instance's remixes of
    them (whatever frame they were made with). Read-only."""
    limit, offset = max(1, min(int(limit), MAX_PAGE)), max(0, int(offset))
    where, params = _VISIBLE, []
    if frame_id is not None:
        where += """ AND (r.frame_id IN (SELECT id FROM family)
                          OR (r.instance, r.frame_id) IN (SELECT instance, frame_id FROM remote_family)
                          OR r.remix_of_id IN (SELECT id FROM remixes WHERE frame_id IN (SELECT id FROM family)))"""
    sql = f"""{_family_sql() if frame_id is not None else ''}
              SELECT {_COLUMNS} FROM remote_remixes r JOIN peers p ON p.id = r.peer_id
              WHERE {where} ORDER BY r.created DESC, r.remix_id LIMIT ? OFFSET ?"""
    if frame_id is not None:
        params = [frame_id]
    return [_remote(row) for row in store.read().execute(sql, [*params, limit, offset])]


def _family_sql() -> str:
    """A frame and its forks, a few generations deep: local forks (`frames.derived_from_id`) and
    forks followed peers announced (`remote_frames.adapted_frame`)."""
    return """WITH RECURSIVE family(id, depth) AS (
                  SELECT ?, 0
                  UNION SELECT f.id, family.depth + 1 FROM frames f JOIN family ON f.derived_from_id = family.id
                  WHERE family.depth < 5),
              remote_family(instance, frame_id, depth) AS (
                  SELECT instance, frame_id, 1 FROM remote_frames WHERE adapted_frame IN (SELECT id FROM family)
                  UNION SELECT rf.instance, rf.frame_id, remote_family.depth + 1 FROM remote_frames rf
                  JOIN remote_family ON rf.adapted_frame = remote_family.frame_id WHERE remote_family.depth < 5)"""


def remote_children(store: Store, remix_id: str, *, instance: str | None = None) -> list[RemoteRemix]:
    """Shown remote remixes based on the remix `remix_id` (on `instance`, by default this one). Read-only."""
    home = origin(instance) if instance else (origin(store.settings.public_url) if store.settings.public_url else None)
    sql = f"""SELECT {_COLUMNS} FROM remote_remixes r JOIN peers p ON p.id = r.peer_id
              WHERE {_VISIBLE} AND r.remix_of_id = ? {'AND r.remix_of_instance = ?' if home else ''}
              ORDER BY r.created, r.remix_id LIMIT ?"""
    params: list[Any] = [remix_id, *([home] if home else []), MAX_PAGE]
    return [_remote(row) for row in store.read().execute(sql, params)]


def remote_remix(store: Store, instance: str, remix_id: str) -> RemoteRemix | None:
    """One shown remote remix (the parent of a local one, say), or None. Read-only."""
    row = store.read().execute(f"""SELECT {_COLUMNS} FROM remote_remixes r JOIN peers p ON p.id = r.peer_id
                                   WHERE {_VISIBLE} AND r.instance = ? AND r.remix_id = ?""",
                               [origin(instance), remix_id]).fetchone()
    return _remote(row) if row else None


def shown_maker(db: Database, instance: str, remix_id: str) -> str:
    """The maker a followed peer named for one of its remixes shown here ('' when none is shown):
    what a local remix's lineage and credits say of a parent on another instance."""
    row = db.execute(f"""SELECT r.maker FROM remote_remixes r JOIN peers p ON p.id = r.peer_id
                         WHERE {_VISIBLE} AND r.instance = ? AND r.remix_id = ?""", [origin(instance), remix_id]).fetchone()
    return row[0] if row else ""


def remote_queue(store: Store, *, key: str | None, limit: int = 48) -> list[RemoteRemix]:
    """Remote remixes waiting for their peer to be trusted (the operator's moderation queue)."""
    require_admin(store, key)
    rows = store.read().execute(f"""SELECT {_COLUMNS} FROM remote_remixes r JOIN peers p ON p.id = r.peer_id
                                    WHERE r.status = 'pending' AND p.state = 'new' ORDER BY r.created DESC LIMIT ?""",
                                [max(1, min(limit, MAX_PAGE))])
    return [_remote(row) for row in rows]


def remote_thumb(store: Store, instance: str, remix_id: str) -> bytes:
    """The local thumbnail (JPEG) of a shown remote remix; raises GalleryError when there is none."""
    row = store.read().execute(f"""SELECT r.thumb FROM remote_remixes r JOIN peers p ON p.id = r.peer_id
                                   WHERE {_VISIBLE} AND r.instance = ? AND r.remix_id = ?""",
                               [origin(instance), remix_id]).fetchone()
    if row is None or row[0] is None:
        raise GalleryError("this remote remix has no thumbnail here (yet)")
    return bytes(row[0])


# --- moderation ----------------------------------------------------------------------------------------------


def hide_remote(store: Store, instance: str, remix_id: str, *, key: str | None) -> None:
    """Hide one remote remix here (its home is not told; `report_remote` does that)."""
    require_admin(store, key)
    with store.write() as db:
        cur = db.execute("UPDATE remote_remixes SET status = 'hidden' WHERE instance = ? AND remix_id = ?",
                         [origin(instance), remix_id])
        if cur.rowcount == 0:
            raise GalleryError(f"there is no remix '{remix_id}' from {origin(instance)} here")


def block_key(store: Store, key_text: str, *, key: str | None) -> str:
    """Block an instance key: peers pinned to it are blocked and their items gone at once; returns its id."""
    require_admin(store, key)
    try:
        public = PublicKey.from_text(key_text.strip())
    except (SignatureError, ValueError):
        raise GalleryError("that is not a public key; paste the key text a well-known document or `minisign -P` shows") from None
    with store.write() as db:
        db.execute("INSERT OR IGNORE INTO blocked_keys (key_id, key, created) VALUES (?, ?, ?)",
                   [public.id_hex, public.text(), now_iso()])
        for (peer_id,) in db.execute("SELECT id FROM peers WHERE key = ?", [public.text()]).fetchall():
            db.execute("UPDATE peers SET state = 'blocked' WHERE id = ?", [peer_id])
            forget_peer_items(db, peer_id)
        db.execute("UPDATE peers SET pending_key = NULL WHERE pending_key = ?", [public.text()])
    return public.id_hex


def report_remote(store: Store, instance: str, remix_id: str, reason: str, *, limits: FetchLimits | None = None) -> None:
    """Send a report about a shown remote remix to its home instance (which decides; nothing changes here)."""
    reason = " ".join(reason.split())[:MAX_REASON]
    if not reason:
        raise GalleryError("say what is wrong with this remix; the reason goes to its home instance")
    if remote_remix(store, instance, remix_id) is None:
        raise GalleryError(f"there is no remix '{remix_id}' from {origin(instance)} shown here")
    fetch(origin(instance) + REPORTS_PATH, method="POST", json_body={"remix": remix_id, "reason": reason},
          limits=limits or FetchLimits(deadline_s=10, max_bytes=64 * 1024))


# --- storage helpers the poll uses ----------------------------------------------------------------------------


def local_thumbnail(data: bytes) -> bytes:
    """A peer's thumbnail made ours: size checked before decoding, decoded with the photo checks,
    re-encoded as a <= 480 px JPEG of at most 200 KB with no metadata. Raises GalleryError."""
    what = "the peer's thumbnail"
    image = open_untrusted(data, what=what, error=GalleryError)
    if image.width * image.height > THUMB_MAX_PIXELS:
        raise GalleryError(f"{what} is {image.width}x{image.height} pixels, more than a thumbnail needs")
    try:
        photo = load_photo(data, fit_within=(THUMB_SIDE, THUMB_SIDE))
    except FrameRemixError as exc:
        raise GalleryError(f"{what} could not be read: {exc}") from None
    picture = photo.image.convert("RGB")
    picture.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    for quality in (82, 70, 55, 40):
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality, optimize=True)
        if out.tell() <= THUMB_MAX_BYTES:
            return out.getvalue()
    raise GalleryError(f"{what} does not fit in {THUMB_MAX_BYTES // 1024} KB")


def purge_remote(db: Database, instance: str, remix_id: str) -> int:
    """Forget one remote remix (record and thumbnail); returns how many rows went."""
    return db.execute("DELETE FROM remote_remixes WHERE instance = ? AND remix_id = ?", [instance, remix_id]).rowcount


def forget_peer_items(db: Database, peer_id: int) -> None:
    db.execute("DELETE FROM remote_remixes WHERE peer_id = ?", [peer_id])
    db.execute("DELETE FROM remote_frames WHERE peer_id = ?", [peer_id])


# --- rechecks -----------------------------------------------------------------------------------------------------


def recheck(store: Store, limit: int = 20, *, peer_id: int | None = None, deadline: float | None = None,
            limits: FetchLimits | None = None) -> int:
    """Ask the homes of the `limit` least recently checked remote remixes whether each is still
    published there: 404 or 410 (deleted) purges it here, a 410 with a signed tombstone is
    remembered. Returns how many were purged. A peer that does not answer keeps its items."""
    where = "p.state != 'blocked'" + (" AND r.peer_id = ?" if peer_id is not None else "")
    rows = store.read().execute(f"""SELECT r.instance, r.remix_id, p.key, p.url FROM remote_remixes r JOIN peers p ON p.id = r.peer_id
                                    WHERE {where} ORDER BY r.checked, r.remix_id LIMIT ?""",
                                [*([peer_id] if peer_id is not None else []), max(0, limit)]).fetchall()
    purged = 0
    for instance, remix_id, key_text, peer in rows:
        if deadline is not None and time.monotonic() >= deadline:
            break
        purged += _recheck_one(store, instance, remix_id, PublicKey.from_text(key_text), peer, limits or FetchLimits())
    return purged


def _recheck_one(store: Store, instance: str, remix_id: str, key: PublicKey, peer: str, limits: FetchLimits) -> int:
    url = instance + RECORD_PATH.format(id=quote(remix_id, safe=""))
    try:
        got = fetch(url, limits=replace(limits, max_bytes=min(limits.max_bytes, 64 * 1024)), accept_status=(404, 410))
        status = got.status
        tombstone = _tombstone_in(got.body, key, peer, remix_id) if status == 410 else None
        still = status == 200 and _same_remix(got.body, key, peer, remix_id)
    except PeerError:
        status, tombstone, still = 0, None, False
    with store.write() as db:
        if status in (404, 410):
            if tombstone is not None:
                db.execute("INSERT OR IGNORE INTO tombstones (instance, remix_id, deleted) VALUES (?, ?, ?)",
                           [instance, remix_id, tombstone.deleted])
            return purge_remote(db, instance, remix_id)
        db.execute("UPDATE remote_remixes SET checked = ? WHERE instance = ? AND remix_id = ?", [now_iso(), instance, remix_id])
        if status == 200 and not still:
            db.execute("UPDATE peers SET last_error = ? WHERE url = ?",
                       [f"the record of {remix_id} at its home does not check against the pinned key", peer])
    return 0


def _record_in(body: bytes, key: PublicKey, peer: str) -> Any:
    try:
        return open_envelope(parse_peer_json(body, peer), key, peer)
    except (PeerError, RecordError):
        return None


def _tombstone_in(body: bytes, key: PublicKey, peer: str, remix_id: str) -> TombstoneRecord | None:
    record = _record_in(body, key, peer)
    return record if isinstance(record, TombstoneRecord) and record.id == remix_id else None


def _same_remix(body: bytes, key: PublicKey, peer: str, remix_id: str) -> bool:
    record = _record_in(body, key, peer)
    return isinstance(record, RemixRecord) and record.id == remix_id
