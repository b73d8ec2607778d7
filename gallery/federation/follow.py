"""Following other instances, by allowlist only: peers, their pinned keys, and bounded polls of their feeds.

An operator adds a peer by URL (`add_peer`): its well-known document is fetched and its instance
key pinned; the peer starts in state 'new', and what it sends waits as 'pending' until the
operator trusts it. Nothing is ever taken from an instance that is not on the list, and nothing
is followed automatically. Every poll first reads the peer's well-known document again: a key
other than the pinned one is kept as `pending_key` and the peer is not read any further until
the operator confirms the change (`confirm_key`).

A poll (`poll_peer`) walks the feed from the peer's cursor, page by page, with If-None-Match,
bounded in pages, bytes and time (`PollLimits`). Every byte comes through the bounded fetch of
`gallery.federation.fetch`. Each item's envelope is opened against the pinned key and the peer's
origin (`records.open_envelope`); forged or malformed items are refused, counted and named in
`last_error`, never stored. Of the remixes, only those of frames this instance holds, of forks of
them that a followed peer announced, or of remixes held here are kept, as metadata plus a
thumbnail re-encoded here (`gallery.federation.remote`). Tombstones purge and are remembered, so
an id deleted at its home is never taken again. Each page is one transaction: a refused page
stores nothing. Thumbnails are fetched before that transaction, so the writer is never held
while a peer answers.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlite_utils import Database

from frames.pack import MAX_TOTAL_BYTES, read_zip
from frames.packsign import PACK_MANIFEST
from frames.signing import PublicKey, SignatureError
from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError
from gallery.federation.fetch import FetchLimits, PeerError, fetch, fetch_json, parse_peer_json
from gallery.federation.records import (
    FEED_EXTENSION,
    FrameRecord,
    RecordError,
    RemixRecord,
    TombstoneRecord,
    open_envelope,
    origin,
)
from gallery.federation.remote import forget_peer_items, local_thumbnail, purge_remote, recheck, require_admin
from gallery.models import PublishedFrame
from gallery.packs import import_pack

WELL_KNOWN = "/.well-known/frame-remix.json"
FEED_PATH = "/federation/feed.json"
MAX_FEED_ITEMS = 1000  # the contract says 500 a page; a page with more is refused whole
_OUTBOX_ID = re.compile(r"/federation/outbox/(\d{1,18})$")
_PACK_ID = re.compile(r"^sha256-[0-9a-f]{64}$")


@dataclass(frozen=True)
class PollLimits:
    """How much one poll of one peer may take: pages, bytes, seconds, thumbnails, rechecks."""

    pages: int = 40
    seconds: float = 60.0
    bytes: int = 64 * 1024 * 1024
    page_bytes: int = 4 * 1024 * 1024  # a page of 500 records is ~0.5 MB; 4 MiB of dense JSON parses to ~100 MB at worst
    well_known_bytes: int = 256 * 1024
    thumbs: int = 200
    thumb_bytes: int = 512 * 1024
    thumb_seconds: float = 5.0  # a healthy peer sends a 480 px JPEG in well under a second
    rechecks: int = 20
    request_seconds: float = 15.0


@dataclass(frozen=True)
class Peer:
    """One instance on the allowlist, as the operator sees it."""

    url: str
    key: str
    key_id: str
    state: str
    pending_key: str | None = None
    pending_key_id: str | None = None
    cursor: int | None = None
    last_poll: str | None = None
    last_error: str | None = None
    added: str = ""
    published: int = 0
    pending: int = 0
    hidden: int = 0

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc


@dataclass
class PollResult:
    """What one poll of one peer did; `error` is the sentence that stopped it ('' when none)."""

    url: str
    pages: int = 0
    stored: int = 0
    tombstones: int = 0
    forks: int = 0
    refused: int = 0
    ignored: int = 0
    purged: int = 0
    thumbs: int = 0
    bytes: int = 0
    not_modified: bool = False
    held: bool = False
    error: str = ""
    refusals: list[str] = field(default_factory=list)
    tried: set[str] = field(default_factory=set, repr=False)  # thumbnail URLs asked for in this poll (once each)


# --- the allowlist ---------------------------------------------------------------------------------


def peer_url(url: str) -> str:
    """The canonical form of a peer's address (its origin); refuses what is not an http(s) URL."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise GalleryError(f"'{url}' is not an instance address; give one like https://remix.example.org")
    if parts.path.strip("/") or parts.query or parts.fragment:
        raise GalleryError(f"'{url}' has a path; give the instance's address only, like {origin(url)}")
    return origin(url)


def add_peer(store: Store, url: str, *, key: str | None, limits: PollLimits = PollLimits()) -> Peer:
    """Put an instance on the allowlist in state 'new', pinning the key its well-known document names."""
    require_admin(store, key)
    url = peer_url(url)
    if store.settings.public_url and origin(store.settings.public_url) == url:
        raise GalleryError(f"{url} is this instance itself; add another instance's address")
    known = _peer_row(store.read(), url)
    if known is not None:
        raise GalleryError(f"{url} is already on the allowlist (state: {known['state']})")
    pinned = _well_known_key(url, limits)
    with store.write() as db:
        _refuse_blocked_key(db, pinned)
        if _peer_row(db, url) is not None:
            raise GalleryError(f"{url} is already on the allowlist")
        db.execute("INSERT INTO peers (url, key, state, added) VALUES (?, ?, 'new', ?)", [url, pinned.text(), now_iso()])
    return get_peer(store, url)


def list_peers(store: Store) -> list[Peer]:
    """Every peer on the allowlist, oldest first, with how many of its remixes are shown, waiting or hidden."""
    db = store.read()
    return [_peer(db, row) for row in db.query("SELECT * FROM peers ORDER BY id")]


def get_peer(store: Store, url: str) -> Peer:
    db = store.read()
    row = _peer_row(db, peer_url(url))
    if row is None:
        raise GalleryError(f"{peer_url(url)} is not on the allowlist; add it first")
    return _peer(db, row)


def trust_peer(store: Store, url: str, *, key: str | None) -> Peer:
    """Trust a peer: what it sent so far leaves the moderation queue; a blocked peer is read again from the start."""
    require_admin(store, key)
    url = peer_url(url)
    with store.write() as db:
        row = _existing(db, url)
        _refuse_blocked_key(db, PublicKey.from_text(row["key"]))
        restart = ", cursor = NULL, etag = NULL" if row["state"] == "blocked" else ""
        db.execute(f"UPDATE peers SET state = 'trusted'{restart} WHERE id = ?", [row["id"]])
        db.execute("UPDATE remote_remixes SET status = 'published' WHERE peer_id = ? AND status = 'pending'", [row["id"]])
    return get_peer(store, url)


def block_peer(store: Store, url: str, *, key: str | None) -> Peer:
    """Block a peer: all its remixes and announced forks are gone at once, and it is not polled any more."""
    require_admin(store, key)
    url = peer_url(url)
    with store.write() as db:
        row = _existing(db, url)
        db.execute("UPDATE peers SET state = 'blocked', pending_key = NULL WHERE id = ?", [row["id"]])
        forget_peer_items(db, row["id"])
    return get_peer(store, url)


def confirm_key(store: Store, url: str, *, key: str | None) -> Peer:
    """Accept the key change a poll saw: the new key is pinned and polls go on."""
    require_admin(store, key)
    url = peer_url(url)
    with store.write() as db:
        row = _existing(db, url)
        if not row["pending_key"]:
            raise GalleryError(f"{url} has no key change waiting for confirmation")
        _refuse_blocked_key(db, PublicKey.from_text(row["pending_key"]))
        db.execute("UPDATE peers SET key = pending_key, pending_key = NULL, last_error = NULL WHERE id = ?", [row["id"]])
    return get_peer(store, url)


def _existing(db: Database, url: str) -> dict[str, Any]:
    row = _peer_row(db, url)
    if row is None:
        raise GalleryError(f"{url} is not on the allowlist; add it first")
    return row


def _peer_row(db: Database, url: str) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM peers WHERE url = ?", [url]), None)


def _peer(db: Database, row: dict[str, Any]) -> Peer:
    counts = dict(db.execute("SELECT status, count(*) FROM remote_remixes WHERE peer_id = ? GROUP BY status",
                             [row["id"]]).fetchall())
    pending = row["pending_key"]
    return Peer(row["url"], row["key"], _key_id(row["key"]), row["state"], pending, _key_id(pending) if pending else None,
                row["cursor"], row["last_poll"], row["last_error"], row["added"], counts.get("published", 0),
                counts.get("pending", 0), counts.get("hidden", 0))


def _key_id(text: str) -> str:
    try:
        return PublicKey.from_text(text).id_hex
    except (SignatureError, ValueError):
        return "?"


def _refuse_blocked_key(db: Database, key: PublicKey) -> None:
    if db.execute("SELECT 1 FROM blocked_keys WHERE key_id = ?", [key.id_hex]).fetchone():
        raise GalleryError(f"the key {key.id_hex} is blocked on this instance; it cannot be followed")


# --- frame packs from a followed peer ------------------------------------------------------------------


def import_from_peer(store: Store, url: str, pack_id: str, *, key: str | None,
                     limits: PollLimits = PollLimits()) -> PublishedFrame:
    """Import the signed pack `pack_id` from a followed peer (admin): fetched within the pack size
    cap, its pack.json must hash to the id asked for (content addressing) and be signed by a key
    the peer's well-known document names for that frame (or the peer's instance key); then the
    pack's own checks (every file's hash, the signature) run as for any import."""
    require_admin(store, key)
    url = peer_url(url)
    row = _existing(store.read(), url)
    if row["state"] == "blocked" or row["pending_key"]:
        raise GalleryError(f"{url} is blocked or waits for a key confirmation; nothing is taken from it now")
    if not _PACK_ID.match(pack_id or ""):
        raise GalleryError(f"'{str(pack_id)[:80]}' is not a pack id (sha256- and 64 hex digits)")
    data = fetch(f"{url}/federation/packs/{pack_id}.zip",
                 limits=FetchLimits(deadline_s=limits.request_seconds, max_bytes=MAX_TOTAL_BYTES)).body
    files = read_zip(data)
    manifest = files.get(PACK_MANIFEST, b"")
    if "sha256-" + hashlib.sha256(manifest).hexdigest() != pack_id:
        raise GalleryError(f"{url} answered with another pack than {pack_id[:20]}...; it was not imported")
    _check_pack_key(url, manifest, row["key"], limits)
    return import_pack(store, data, key=key, source=f"{url} pack {pack_id[:20]}", expected_pack=pack_id)


def _check_pack_key(url: str, manifest: bytes, pinned: str, limits: PollLimits) -> None:
    """The pack's signer must speak for the peer: a frame key its well-known document lists for
    that frame, or its pinned instance key (bundled frames are signed by it)."""
    try:
        claimed = parse_peer_json(manifest, url)
        frame, signer = str(claimed["frame"]), str(claimed["key"])
    except (PeerError, KeyError, TypeError):
        raise GalleryError(f"the pack from {url} has no readable pack.json; it was not imported") from None
    doc = _get_json(url + WELL_KNOWN, None, limits.well_known_bytes, limits.request_seconds).data
    listed = {(str(k.get("frame")), str(k.get("key"))) for k in (doc or {}).get("frame_keys", []) if isinstance(k, dict)}
    if signer != pinned and (frame, signer) not in listed:
        raise GalleryError(f"the pack from {url} is signed by a key {url} does not name for '{frame}'; it was not imported")


# --- the well-known document -------------------------------------------------------------------------


def _well_known_key(url: str, limits: PollLimits, deadline: float | None = None) -> PublicKey:
    """The instance key a peer's well-known document names, after checking that it speaks for `url`."""
    doc = _get_json(url + WELL_KNOWN, None, limits.well_known_bytes, _seconds(limits, deadline)).data
    if not isinstance(doc, dict) or doc.get("software") != "frame-remix" or doc.get("protocol") != 1:
        raise PeerError(f"{url} does not answer as a frame-remix instance (protocol 1)")
    if not isinstance(doc.get("instance"), str) or origin(doc["instance"]) != url:
        raise PeerError(f"{url} says it is {str(doc.get('instance'))[:100]!r}; an instance must name its own address")
    feed = doc.get("feed")
    if feed is not None and (not isinstance(feed, str) or origin(feed) != url):
        raise PeerError(f"{url} names a feed on another host; only its own feed is read")
    try:
        return PublicKey.from_text(str(doc.get("key", ""))[:200])
    except (SignatureError, ValueError):
        raise PeerError(f"{url} names no usable instance key in its well-known document") from None


# --- polling ---------------------------------------------------------------------------------------------


def poll_all(store: Store, limits: PollLimits = PollLimits()) -> list[PollResult]:
    """Poll every peer that is not blocked, one after the other (each bounded by `limits`)."""
    urls = [r[0] for r in store.read().execute("SELECT url FROM peers WHERE state != 'blocked' ORDER BY last_poll, id")]
    return [poll_peer(store, url, limits) for url in urls]


def poll_peer(store: Store, url: str, limits: PollLimits = PollLimits()) -> PollResult:
    """Read what a peer published since the last poll, within `limits`; never raises for the peer's faults."""
    url = peer_url(url)
    result = PollResult(url)
    deadline = time.monotonic() + limits.seconds
    row = _existing(store.read(), url)
    if row["state"] == "blocked":
        result.error = f"{url} is blocked; it is not polled"
        return result
    try:
        if _check_key(store, row, limits, deadline, result):
            _poll_pages(store, row, limits, deadline, result)
            _fill_thumbs(store, row["id"], limits, deadline, result)
            result.purged += recheck(store, limits.rechecks, peer_id=row["id"], deadline=deadline,
                                           limits=_fetch_limits(limits.page_bytes, limits, deadline))
    except (PeerError, RecordError) as exc:
        result.error = str(exc)
    _finish(store, row["id"], result)
    return result


def _check_key(store: Store, row: dict[str, Any], limits: PollLimits, deadline: float, result: PollResult) -> bool:
    """True when the peer still shows the key pinned for it; else its new key waits for the operator."""
    seen = _well_known_key(row["url"], limits, deadline)
    if seen.text() == row["key"]:
        if row["pending_key"]:  # the peer went back to the pinned key: nothing to confirm any more
            with store.write() as db:
                db.execute("UPDATE peers SET pending_key = NULL WHERE id = ?", [row["id"]])
        return True
    pinned = PublicKey.from_text(row["key"])
    with store.write() as db:
        db.execute("UPDATE peers SET pending_key = ? WHERE id = ?", [seen.text(), row["id"]])
    result.held = True
    result.error = (f"{row['url']} now shows the key {seen.id_hex} instead of the pinned {pinned.id_hex}; "
                    "nothing is read from it until the operator confirms the change")
    return False


@dataclass(frozen=True)
class _Page:
    items: list[tuple[int, Any]]
    next_url: str | None
    stop: str = ""  # why the poll reads no further than this page (a next page elsewhere, say)


@dataclass
class _Json:
    data: Any
    status: int
    etag: str | None
    size: int


def _poll_pages(store: Store, row: dict[str, Any], limits: PollLimits, deadline: float, result: PollResult) -> None:
    """Walk the feed from the peer's cursor, a page per transaction, until it ends or a limit is reached."""
    key = PublicKey.from_text(row["key"])
    cursor = int(row["cursor"] or 0)
    url: str | None = feed_url(row["url"], cursor)
    etag = row["etag"]
    while url and result.pages < limits.pages and result.bytes < limits.bytes:
        budget = min(limits.page_bytes, limits.bytes - result.bytes)
        got = _get_json(url, etag, budget, _seconds(limits, deadline))
        result.bytes += got.size
        if got.status == 304:
            result.not_modified = True
            return
        page = parse_feed(got.data, row["url"], cursor)
        result.pages += 1
        opened, signatures = _open_items(page.items, key, row["url"], result)
        new_cursor = page.items[-1][0] if page.items else cursor
        page_etag = got.etag if not page.items else None  # the ETag answers `after=<cursor>`, so only an empty page's counts
        result.stored += _ingest_page(store, row, (opened, signatures), (cursor, new_cursor, page_etag), limits, deadline,
                                      result)
        cursor, etag = new_cursor, None
        url = page.next_url
        result.error = result.error or page.stop


def feed_url(peer: str, cursor: int) -> str:
    return f"{peer}{FEED_PATH}?after={cursor}"


def parse_feed(data: Any, peer: str, cursor: int) -> _Page:
    """The items of one JSON Feed page with outbox numbers above `cursor` (ascending; replays and
    items without a number on the peer's host are skipped); refuses a page that is not a feed."""
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/1"):
        raise PeerError(f"{peer} answered with something that is not a JSON Feed; nothing was stored")
    items = data.get("items")
    if not isinstance(items, list) or len(items) > MAX_FEED_ITEMS:
        raise PeerError(f"{peer}'s feed page has no item list or more than {MAX_FEED_ITEMS} items; nothing was stored")
    numbered: list[tuple[int, Any]] = []
    last = cursor
    for item in items:
        seq = _seq(item, peer)
        if seq is not None and seq > last:
            numbered.append((seq, item.get(FEED_EXTENSION)))
            last = seq
    try:
        return _Page(numbered, _next_url(data.get("next_url"), peer, cursor, last))
    except PeerError as exc:  # the page itself is sound: keep it, read no further
        return _Page(numbered, None, str(exc))


def _seq(item: Any, peer: str) -> int | None:
    """The outbox number in an item's id (on the peer's own host), else None: such an item is skipped."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or len(item["id"]) > 300:
        return None
    match = _OUTBOX_ID.search(item["id"])
    if match is None or origin(item["id"]) != peer:
        return None
    return int(match.group(1))


def _next_url(value: Any, peer: str, asked: int, last: int) -> str | None:
    """The next page, only on the peer's own feed and only forward; a page that brought nothing new
    ends the poll (a feed that points at itself forever ends here)."""
    if value is None or last == asked:
        return None
    if not isinstance(value, str) or len(value) > 400:
        raise PeerError(f"{peer}'s feed names a next page that is not a link; nothing more was read")
    parts = urlsplit(value)
    after = parse_qs(parts.query).get("after", [""])[0]
    if origin(value) != peer or parts.path != FEED_PATH or not after.isdigit() or int(after) < last:
        raise PeerError(f"{peer}'s feed names a next page elsewhere or backwards; nothing more was read")
    return value


def _open_items(items: Iterable[tuple[int, Any]], key: PublicKey, peer: str,
                result: PollResult) -> tuple[list[Any], dict[int, str]]:
    """The page's records that open against the pinned key, and each one's signature (by the
    record's id()), kept with the record so it can be checked again later."""
    opened: list[Any] = []
    signatures: dict[int, str] = {}
    for _seq_no, envelope in items:
        try:
            opened.append(open_envelope(envelope, key, peer))
            signatures[id(opened[-1])] = str(envelope["signature"])
        except RecordError as exc:
            result.refused += 1
            if len(result.refusals) < 5:
                result.refusals.append(str(exc))
    return opened, signatures


# --- storing one page ----------------------------------------------------------------------------------


@dataclass
class _Interest:
    """What makes a peer's remix worth keeping here: frames held here (by id, and by the packs
    held here), forks of them a followed peer announced, and remixes held here (as parents)."""

    frames: set[str]
    forks: set[tuple[str, str]]
    packs: set[str]

    @classmethod
    def load(cls, db: Database) -> _Interest:
        return cls({r[0] for r in db.execute("SELECT id FROM frames")},
                   {(r[0], r[1]) for r in db.execute("SELECT instance, frame_id FROM remote_frames")},
                   {r[0] for r in db.execute("SELECT pack_id FROM packs UNION SELECT pack FROM remote_frames")})

    def takes_fork(self, record: FrameRecord) -> bool:
        source = record.adapted_from
        if source is None:
            return False
        return source.frame in self.frames or source.pack in self.packs or any(f == source.frame for _, f in self.forks)

    def takes_remix(self, db: Database, record: RemixRecord) -> bool:
        frame = record.frame
        if frame.id in self.frames or (origin(record.instance), frame.id) in self.forks or (frame.pack in self.packs):
            return True
        parent = record.remix_of
        if parent is None:
            return False
        return bool(db.execute("SELECT 1 FROM remixes WHERE id = ? UNION ALL SELECT 1 FROM remote_remixes WHERE remix_id = ?",
                               [parent.id, parent.id]).fetchone())


def _ingest_page(store: Store, row: dict[str, Any], page: tuple[list[Any], dict[int, str]], moves: tuple[int, int, str | None],
                 limits: PollLimits, deadline: float, result: PollResult) -> int:
    """Store one page's records and move the cursor in one transaction (thumbnails fetched before
    it); returns the number of remixes kept. `moves` is (cursor asked, new cursor, new ETag)."""
    cursor, new_cursor, etag = moves
    records, signatures = page
    wanted = _wanted(store.read(), records, result)
    chosen = {id(r) for r in wanted}
    thumbs = _thumbs_for(store.read(), wanted, limits, deadline, result)
    kept = 0
    with store.write() as db:
        current = _existing(db, row["url"])
        if current["key"] != row["key"] or current["state"] == "blocked" or int(current["cursor"] or 0) != cursor:
            raise PeerError(f"{row['url']} changed while it was polled; this page was not stored")
        for record in records:
            if isinstance(record, TombstoneRecord):
                result.tombstones += _tombstone(db, record)
            elif isinstance(record, FrameRecord) and id(record) in chosen:
                _remember_fork(db, row["id"], record)
                result.forks += 1
            elif isinstance(record, RemixRecord) and id(record) in chosen:
                kept += _store_remix(db, row, record, thumbs.get(record.id), signatures.get(id(record), ""))
        db.execute("UPDATE peers SET cursor = ?, etag = ? WHERE id = ?", [new_cursor, etag, row["id"]])
    return kept


def _wanted(db: Database, records: list[Any], result: PollResult) -> list[Any]:
    """The page's forks and remixes this instance keeps, in page order (a fork announced earlier on
    the page makes later remixes of it count)."""
    interest = _Interest.load(db)
    tombstoned = {r.id for r in records if isinstance(r, TombstoneRecord)}
    wanted: list[Any] = []
    for record in records:
        if isinstance(record, FrameRecord) and interest.takes_fork(record):
            interest.forks.add((origin(record.instance), record.id))
            interest.packs.add(record.pack)
            wanted.append(record)
        elif isinstance(record, RemixRecord):
            if record.id in tombstoned or _is_tombstoned(db, record.instance, record.id):
                result.ignored += 1
            elif interest.takes_remix(db, record):
                wanted.append(record)
            else:
                result.ignored += 1
    return wanted


def _is_tombstoned(db: Database, instance: str, remix_id: str) -> bool:
    return db.execute("SELECT 1 FROM tombstones WHERE instance = ? AND remix_id = ?",
                      [origin(instance), remix_id]).fetchone() is not None


def _thumbs_for(db: Database, wanted: list[Any], limits: PollLimits, deadline: float, result: PollResult) -> dict[str, bytes]:
    """Local thumbnails for the page's new remixes, within the poll's thumbnail budget; a thumbnail
    that cannot be fetched or read is left for a later poll (the record is kept without it)."""
    out: dict[str, bytes] = {}
    for record in wanted:
        if not isinstance(record, RemixRecord) or result.thumbs >= limits.thumbs or time.monotonic() >= deadline:
            continue
        held = db.execute("SELECT thumb IS NOT NULL FROM remote_remixes WHERE instance = ? AND remix_id = ?",
                          [origin(record.instance), record.id]).fetchone()
        if held and held[0]:
            continue
        thumb = fetch_thumb(record.thumbnail, limits, deadline, result)
        if thumb is not None:
            out[record.id] = thumb
    return out


def fetch_thumb(url: str, limits: PollLimits, deadline: float, result: PollResult) -> bytes | None:
    """A peer's thumbnail, fetched within a small cap and re-encoded here; None when refused."""
    result.thumbs += 1
    result.tried.add(url)
    try:
        seconds = min(limits.thumb_seconds, _seconds(limits, deadline))
        got = fetch(url, limits=FetchLimits(deadline_s=seconds, max_bytes=limits.thumb_bytes))
        result.bytes += len(got.body)
        return local_thumbnail(got.body)
    except GalleryError:  # PeerError, or an image our checks refuse
        return None


def _tombstone(db: Database, record: TombstoneRecord) -> int:
    """Purge a deleted remix and remember its id (1), or nothing for an id never held here (0):
    a delete of something this instance never had needs no memory, and a peer cannot fill the
    table with tombstones of ids nobody here ever saw."""
    if purge_remote(db, origin(record.instance), record.id) == 0:
        return 0
    db.execute("INSERT OR IGNORE INTO tombstones (instance, remix_id, deleted) VALUES (?, ?, ?)",
               [origin(record.instance), record.id, record.deleted])
    return 1


def _remember_fork(db: Database, peer_id: int, record: FrameRecord) -> None:
    source = record.adapted_from
    assert source is not None  # only forks are wanted
    db.execute("""INSERT INTO remote_frames (peer_id, instance, frame_id, version, pack, title, adapted_frame, adapted_instance,
                  adapted_pack, record_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT (instance, frame_id) DO UPDATE SET version = excluded.version, pack = excluded.pack,
                  title = excluded.title, adapted_frame = excluded.adapted_frame, adapted_instance = excluded.adapted_instance,
                  adapted_pack = excluded.adapted_pack, record_json = excluded.record_json
                  WHERE excluded.version >= remote_frames.version""",
               [peer_id, origin(record.instance), record.id, record.version, record.pack, record.title, source.frame,
                source.instance and origin(source.instance), source.pack, json.dumps(record.model_dump(mode="json"))])


def _store_remix(db: Database, row: dict[str, Any], record: RemixRecord, thumb: bytes | None, signature: str) -> int:
    """Insert or refresh one remote remix; a hidden one stays hidden, a pending one waits for trust."""
    status = "published" if row["state"] == "trusted" else "pending"
    body = record.model_dump(mode="json")
    parent = record.remix_of
    db.execute("""INSERT INTO remote_remixes (peer_id, instance, remix_id, record_json, signature, frame_id, frame_version,
                  frame_title, frame_pack, remix_of_id, remix_of_instance, maker, place, language, licence, page, thumb_url,
                  created, thumb, status, checked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                  ON CONFLICT (instance, remix_id) DO UPDATE SET record_json = excluded.record_json,
                  signature = excluded.signature,
                  frame_id = excluded.frame_id, frame_version = excluded.frame_version, frame_title = excluded.frame_title,
                  frame_pack = excluded.frame_pack, remix_of_id = excluded.remix_of_id,
                  remix_of_instance = excluded.remix_of_instance, maker = excluded.maker, place = excluded.place,
                  language = excluded.language, licence = excluded.licence, page = excluded.page,
                  thumb_url = excluded.thumb_url, created = excluded.created,
                  thumb = coalesce(excluded.thumb, remote_remixes.thumb), checked = excluded.checked
                  WHERE remote_remixes.peer_id = excluded.peer_id""",
               [row["id"], origin(record.instance), record.id, json.dumps(body, ensure_ascii=False), signature, record.frame.id,
                record.frame.version, record.frame_title, record.frame.pack, parent.id if parent else None,
                origin(parent.instance) if parent else None, record.maker, record.place, record.language, record.licence,
                record.page, record.thumbnail, record.created, thumb, status, now_iso()])
    return 1


def _fill_thumbs(store: Store, peer_id: int, limits: PollLimits, deadline: float, result: PollResult) -> None:
    """Fetch thumbnails an earlier poll had no budget or luck for, within what is left of this poll's budget."""
    left = limits.thumbs - result.thumbs
    if left <= 0:
        return
    rows = store.read().execute("""SELECT instance, remix_id, thumb_url FROM remote_remixes WHERE peer_id = ? AND thumb IS NULL
                                   ORDER BY checked LIMIT ?""", [peer_id, left]).fetchall()
    for instance, remix_id, url in rows:
        if time.monotonic() >= deadline:
            return
        if url in result.tried:  # already refused in this poll: a later poll tries again
            continue
        thumb = fetch_thumb(url, limits, deadline, result)
        if thumb is not None:
            with store.write() as db:
                db.execute("UPDATE remote_remixes SET thumb = ? WHERE instance = ? AND remix_id = ? AND peer_id = ?",
                           [thumb, instance, remix_id, peer_id])


def _finish(store: Store, peer_id: int, result: PollResult) -> None:
    """Remember when the peer was polled and what went wrong (the first refusals, named)."""
    problems = [result.error] if result.error else []
    if result.refused:
        problems.append(f"refused {result.refused} item{'s' if result.refused != 1 else ''}: " + "; ".join(result.refusals[:3]))
    with store.write() as db:
        db.execute("UPDATE peers SET last_poll = ?, last_error = ? WHERE id = ?",
                   [now_iso(), " | ".join(problems)[:1000] or None, peer_id])


# --- fetching ------------------------------------------------------------------------------------------------


def _seconds(limits: PollLimits, deadline: float | None) -> float:
    left = limits.request_seconds if deadline is None else deadline - time.monotonic()
    if left <= 0:
        raise PeerError("the poll ran out of time; the rest waits for the next poll")
    return min(limits.request_seconds, left)


def _fetch_limits(max_bytes: int, limits: PollLimits, deadline: float | None) -> FetchLimits:
    return FetchLimits(deadline_s=_seconds(limits, deadline), max_bytes=max_bytes)


def _get_json(url: str, etag: str | None, max_bytes: int, seconds: float) -> _Json:
    """One JSON document from a peer through the bounded fetch (304 when `etag` still holds)."""
    data, got = fetch_json(url, etag=etag, limits=FetchLimits(deadline_s=seconds, max_bytes=max_bytes))
    if got.status == 304:
        return _Json(None, 304, etag, 0)
    return _Json(data, got.status, got.etag, len(got.body))
