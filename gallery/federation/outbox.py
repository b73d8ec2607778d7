"""This instance's outbox: what it tells its followers, in order, one signed record per change.

A remix that becomes published (published at once, approved, restored) appends a RemixRecord; a
delete by its maker or the admin appends a TombstoneRecord; a frame version with a signed pack
appends a FrameRecord. Each is appended by the caller IN THE SAME write transaction as the change
it describes, so the feed never announces what was rolled back and never misses what was committed.
Moderation's hide appends nothing: the feed leaves out remixes that are not published now, and a
follower's recheck of the record URL (404) drops them.

Append-only, with two purges privacy asks for: a remix's newer record replaces its older one,
and a delete removes the remix's record before appending its tombstone, so a deleted maker's name
and place are served to nobody any more. `seq` never comes back (AUTOINCREMENT), so a follower's
cursor stays valid across purges. A remix that was never announced (pending, then deleted)
leaves no tombstone: it never left this instance.

The instance's address. Records must carry absolute URLs, and an instance without
FRAME_REMIX_PUBLIC_URL answers on whatever address it is reached on (as the share pages do).
So records are stored with the instance address left as `{base}`: with a public URL configured,
they are signed for it once, when appended, and the feed serves that signature; without one,
the feed fills in the address it is served on and signs then, keeping the signatures in memory
per (record, address); one thread signs at a time, so feeds asked for on many made-up Host names
cost at most one core. Operators who federate should set the public URL: the instance then has
one name in every record, and serving the feed signs nothing (benchmarks.federation_feed
measures both ways).
"""
from __future__ import annotations

import hashlib
import json
import threading
import tomllib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlite_utils import Database

from frames.signing import SecretKey
from gallery.clock import now_iso
from gallery.config import Settings
from gallery.federation.identity import instance_key
from gallery.federation.records import FrameRecord, RemixRecord, TombstoneRecord, seal

BASE = "{base}"  # the instance's address in a stored record, filled in when the record is served
CHECK_BASE = "https://instance.invalid"  # an address to check a record's shape with before it is stored
SIGNATURE_CACHE = 20_000  # signatures kept in memory for feeds served on an address no record was signed for
DEFAULT_LICENCE = "CC-BY-4.0"  # frames.model.Manifest's default

AnyRecord = RemixRecord | TombstoneRecord | FrameRecord
_URL_FIELDS = ("instance", "thumbnail", "page", "pack_url")
_NESTED = ("remix_of", "adapted_from")  # their `instance` may be this one (BASE) or another
_MODELS: dict[str, type[AnyRecord]] = {"remix": RemixRecord, "tombstone": TombstoneRecord, "frame": FrameRecord}
_signatures: OrderedDict[tuple[str, int, bytes], str] = OrderedDict()
_signatures_lock = threading.Lock()
_signing = threading.Lock()


def frame_pack_id(db: Database, frame_id: str, version: int) -> str | None:
    """The id of a frame version's signed pack ("sha256-..."), or None while it has none.

    Part A (signed packs, m007) fills this in; until then remix records name no pack."""
    return None


def append_remix(db: Database, settings: Settings, remix_id: str) -> int | None:
    """Inside a write: announce a remix that is published now (its previous record is replaced).
    Returns the new outbox seq, or None when the remix is not published."""
    row = db.execute("SELECT status FROM remixes WHERE id = ?", [remix_id]).fetchone()
    if row is None or row[0] != "published":
        return None
    template = remix_template(db, remix_id)
    db.execute("DELETE FROM outbox WHERE kind = 'remix' AND subject_id = ?", [remix_id])
    return _append(db, settings, "remix", remix_id, template)


def append_tombstone(db: Database, settings: Settings, remix_id: str) -> int | None:
    """Inside a write, with the delete: purge the remix's record and announce its deletion.
    Returns the tombstone's seq, or None when the remix was never announced."""
    announced = db.execute("SELECT kind, seq FROM outbox WHERE subject_id = ? AND kind IN ('remix', 'tombstone')",
                           [remix_id]).fetchall()
    if not announced:
        return None
    db.execute("DELETE FROM outbox WHERE kind = 'remix' AND subject_id = ?", [remix_id])
    earlier = next((seq for kind, seq in announced if kind == "tombstone"), None)
    if earlier is not None:
        return int(earlier)
    template = {"type": "tombstone", "id": remix_id, "instance": BASE, "deleted": now_iso()}
    return _append(db, settings, "tombstone", remix_id, template)


def append_frame(db: Database, settings: Settings, frame_id: str, version: int, *, pack: str, key: str,
                 adapted_from: Mapping[str, Any] | None = None) -> int:
    """Inside a write, with the frame version's publish: announce its signed pack.

    The hook for part A's packs: call it where a frame version gets its pack (`pack` = pack id,
    `key` = the owner's public key text, `adapted_from` = the manifest's field, its `instance`
    set to `BASE` when the parent is on this instance)."""
    row = db.execute("""SELECT v.title, f.organizer, v.published FROM frame_versions v JOIN frames f ON f.id = v.frame_id
                        WHERE v.frame_id = ? AND v.version = ?""", [frame_id, version]).fetchone()
    if row is None:
        raise ValueError(f"frame {frame_id} v{version} is not stored; append its record in the transaction that stores it")
    template = {"type": "frame", "id": frame_id, "version": version, "instance": BASE, "pack": pack,
                "pack_url": f"{BASE}/federation/packs/{pack}.zip", "key": key, "title": row[0][:200],
                "organizer": row[1][:100], "adapted_from": dict(adapted_from) if adapted_from else None,
                "published": row[2]}
    return _append(db, settings, "frame", frame_id, template)


def announce_published(db: Database) -> int:
    """Inside a write (the migration that made the outbox): announce every remix published before
    it, oldest first, unsigned (the feed signs them for the address it is served on)."""
    announced = 0
    for (remix_id,) in db.execute("SELECT id FROM remixes WHERE status = 'published' ORDER BY seq").fetchall():
        try:
            template = canonical_template(remix_template(db, remix_id))
        except ValidationError:
            continue  # a row this version cannot describe stays unannounced rather than stop the upgrade
        _insert(db, "remix", remix_id, template, None, None)
        announced += 1
    return announced


def remix_template(db: Database, remix_id: str) -> dict[str, Any]:
    """A remix's record with the instance address left as `BASE`: metadata and image hashes only."""
    r = db.execute("""SELECT seq, frame_id, frame_version, frame_title, maker, place, language, created, remix_of,
                             remix_of_instance FROM remixes WHERE id = ?""", [remix_id]).fetchone()
    images = {fmt: "sha256-" + hashlib.sha256(data).hexdigest()
              for fmt, data in db.execute("SELECT format, data FROM remix_images WHERE remix_seq = ? ORDER BY rowid", [r[0]])}
    return {
        "type": "remix", "id": remix_id, "instance": BASE,
        "frame": {"id": r[1], "version": r[2], "pack": frame_pack_id(db, r[1], r[2])},
        "frame_title": r[3][:200], "remix_of": {"id": r[8], "instance": r[9] or BASE} if r[8] else None,
        "images": images, "thumbnail": f"{BASE}/federation/remixes/{remix_id}/thumb.jpg",
        "page": f"{BASE}/share/{remix_id}", "maker": r[4][:80], "place": r[5][:100], "language": r[6][:16],
        "licence": _licence(db, r[1], r[2])[:100], "created": r[7],
    }


def record_for(template: Mapping[str, Any], base: str) -> AnyRecord:
    """The record a stored template says, on the instance at `base` (checked field by field)."""
    filled = _fill(template, base.rstrip("/"))
    return _MODELS[filled["type"]].model_validate(filled)


@dataclass(frozen=True)
class Signer:
    """The instance key and what its signatures are made for at one address, worked out once per
    request (deriving the public key costs more than serving a record)."""

    key: SecretKey
    base: str
    made_for: str

    @classmethod
    def at(cls, key: SecretKey, base: str) -> Signer:
        return cls(key, base.rstrip("/"), signed_for(key, base))


def envelope(signer: Signer, seq: int, record_json: str, stored: tuple[str | None, str | None]) -> dict[str, Any]:
    """The feed extension object of outbox entry `seq` served at `signer.base`: the stored signature
    when it was made for this key and address (`stored` = (signature, signed_for)), else a fresh
    one (kept in memory, keyed by the stored text too). Stored templates are already in the
    record's canonical shape (`_append` stores them so), so serving one only fills in the address."""
    template = json.loads(record_json)
    body = _fill(template, signer.base)
    signature, made_for = stored
    if signature and made_for == signer.made_for:
        return {"record": body, "signature": signature}
    slot = (signer.made_for, seq, hashlib.blake2b(record_json.encode(), digest_size=16).digest())
    with _signatures_lock:
        cached = _signatures.get(slot)
        if cached is not None:
            _signatures.move_to_end(slot)
            return {"record": body, "signature": cached}
    with _signing:  # one thread signs at a time: feeds asked on many made-up hosts use one core, not all
        sealed = seal(signer.key, record_for(template, signer.base))
    with _signatures_lock:
        _signatures[slot] = sealed["signature"]
        while len(_signatures) > SIGNATURE_CACHE:
            _signatures.popitem(last=False)
    return {"record": body, "signature": sealed["signature"]}  # the same bytes, first time or cached


def signed_for(key: SecretKey, base: str) -> str:
    """What a stored signature was made for: the key (a new instance key invalidates it) and the address."""
    return f"{key.public.id_hex} {base.rstrip('/')}"


def _append(db: Database, settings: Settings, kind: str, subject: str, template: dict[str, Any]) -> int:
    canonical = canonical_template(template)  # a malformed record fails here, with the change it describes
    base = settings.public_url.rstrip("/")
    if not base:
        return _insert(db, kind, subject, canonical, None, None)
    key = instance_key(settings.data_dir)
    sealed = seal(key, record_for(canonical, base))
    return _insert(db, kind, subject, canonical, sealed["signature"], signed_for(key, base))


def canonical_template(template: Mapping[str, Any]) -> dict[str, Any]:
    """A template checked and in its record's exact shape (every field, defaults included), so
    that filling in an address gives the very body that is signed. Raises ValidationError."""
    body = record_for(template, CHECK_BASE).model_dump(mode="json")
    return _fill(body, BASE, CHECK_BASE)


def _insert(db: Database, kind: str, subject: str, template: dict[str, Any], signature: str | None,
            made_for: str | None) -> int:
    cur = db.execute("""INSERT INTO outbox (kind, subject_id, record_json, signature, signed_for, created)
                        VALUES (?, ?, ?, ?, ?, ?)""",
                     [kind, subject, json.dumps(template, ensure_ascii=False, sort_keys=True), signature, made_for,
                      now_iso()])
    return int(cur.lastrowid or 0)


def _fill(template: Mapping[str, Any], base: str, placeholder: str = BASE) -> dict[str, Any]:
    """The record with `placeholder` at the start of its own-instance URL fields replaced by `base`
    (only those fields: a maker may well be called "{base}")."""
    out = dict(template)
    for name in _URL_FIELDS:
        value = out.get(name)
        if isinstance(value, str) and value.startswith(placeholder):
            out[name] = base + value[len(placeholder):]
    for name in _NESTED:
        inner = out.get(name)
        if isinstance(inner, dict):
            out[name] = _fill(inner, base, placeholder)
    return out


def _licence(db: Database, frame_id: str, version: int) -> str:
    """The frame version's licence, read from its stored manifest (the manifest's default when unset)."""
    row = db.execute("SELECT manifest FROM frame_versions WHERE frame_id = ? AND version = ?", [frame_id, version]).fetchone()
    try:
        value = tomllib.loads(bytes(row[0]).decode("utf-8")).get("licence", DEFAULT_LICENCE) if row else DEFAULT_LICENCE
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT_LICENCE
    return value if isinstance(value, str) else DEFAULT_LICENCE
