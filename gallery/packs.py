"""Frame packs between instances: export a stored frame as a signed .zip, import one atomically.

Export: each frame version has one signed pack here (`packs` table), made at publish, fork or
first packing and then kept, so the same version always gives the same pack id, signature and
zip bytes. Its pack.json names the owner's key and, for a fork, the parent's pack id and key
(frames.packsign). A pack imported with a good signature is kept and served as it came, so a
pack id means the same bytes on every instance.

Import reads the zip only into memory (`frames.pack.read_zip` refuses traversal, links,
duplicates, encryption, odd compression, too many or too large entries, bombs and overlaps),
checks a signed pack whole (every member against its hash, the signature, a revoked key,
pack.json against frame.toml) and validates the manifest whole (NaN, duplicate keys, deep
nesting, unknown schema versions; assets can only be members of the zip, so there is no URL to
fetch). A pack without pack.json still imports, as unsigned. Credits and `derived_from` in an
imported manifest are kept as the pack's claim, never as this instance's own record; whether
the claim is verified is `adapted_from_status`. An import never replaces a version this
instance already holds.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlite_utils import Database

from frames.errors import FrameRemixError
from frames.model import Frame
from frames.pack import MAX_TOTAL_BYTES, read_pack, read_zip, write_zip
from frames.packsign import AdaptedFrom, SignedPack, build_manifest, check_signature, pack_id, parse_manifest, sign_manifest
from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError, WrongKeyError
from gallery.federation.keyring import is_revoked, signing_key
from gallery.framestore import (
    add_version,
    authorize_frame,
    frame_row,
    get_frame,
    insert_frame,
    is_bundled,
    refuse_bundled_id,
)
from gallery.keys import new_key
from gallery.models import FrameSource, PublishedFrame

MAX_ADAPTED_DEPTH = 10  # parents signed on the way to a fork's pack (a cycle in claims ends here)
AdaptedStatus = Literal["verified", "claimed"]


@dataclass(frozen=True)
class StoredPack:
    """One signed pack of a frame version: pack.json's bytes, its signature and what it names."""

    pack_id: str
    frame_id: str
    version: int
    manifest: bytes
    signature: str
    key: str
    adapted_from_pack: str | None
    adapted_from_key: str | None

    @property
    def adapted_from(self) -> AdaptedFrom | None:
        """What pack.json says the frame adapts (parent pack, key, frame, version, instance)."""
        return parse_manifest(self.manifest).adapted_from

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> StoredPack:
        return cls(row["pack_id"], row["frame_id"], row["version"], bytes(row["manifest"]), row["signature"],
                   row["key"], row["adapted_from_pack"], row["adapted_from_key"])


def pack_frame(store: Store, frame_id: str, version: int | None = None) -> bytes:
    """A stored frame version (latest by default) as signed frame pack .zip bytes; the first
    packing of a version signs it and keeps the signature, later ones return the same bytes."""
    frame = get_frame(store, frame_id, version)
    pack = ensure_signed(store, frame)
    return write_zip(frame, (pack.manifest, pack.signature))


def frame_pack(store: Store, frame_id: str, version: int | None = None) -> StoredPack:
    """The signed pack of a stored frame version (latest by default): its id, key and pack.json,
    as a feed's FrameRecord names them. Signs it on first use, like `pack_frame`."""
    return ensure_signed(store, get_frame(store, frame_id, version))


def pack_zip(store: Store, the_pack_id: str) -> bytes:
    """The pack with this id as .zip bytes (what `/federation/packs/<id>.zip` serves). Read-only.
    A pack signed by a revoked key is not served."""
    db = store.read()
    row = next(db.query("SELECT * FROM packs WHERE pack_id = ?", [the_pack_id]), None)
    if row is None or is_revoked(db, row["key"]):
        raise GalleryError(f"there is no pack '{the_pack_id[:80]}' in this gallery")
    pack = StoredPack.from_row(row)
    return write_zip(get_frame(store, pack.frame_id, pack.version), (pack.manifest, pack.signature))


def ensure_signed(store: Store, frame: Frame) -> StoredPack:
    """The signed pack this instance gives for `frame`, made and stored on first use."""
    found = served_pack(store.read(), frame.id, frame.version)
    if found is not None:
        return found
    with store.write() as db:
        return ensure_pack(db, store, frame)


def served_pack(db: Database, frame_id: str, version: int) -> StoredPack | None:
    """The first stored pack of this version whose key is not revoked (None: none yet). Read-only."""
    for row in db.query("SELECT * FROM packs WHERE frame_id = ? AND version = ? ORDER BY rowid", [frame_id, version]):
        if not is_revoked(db, row["key"]):
            return StoredPack.from_row(row)
    return None


def ensure_pack(db: Database, store: Store, frame: Frame, depth: int = 0) -> StoredPack:
    """Inside a write: the signed pack of a stored `frame` version, signing it (and the local
    parent it adapts, first) with the frame's key when there is none yet."""
    found = served_pack(db, frame.id, frame.version)
    if found is not None:
        return found
    parent = _adapted_from(db, store, frame, depth)
    secret = signing_key(store.settings.data_dir, frame.id, bundled=is_bundled(frame))
    data = build_manifest(frame, secret.public, parent)
    signature = sign_manifest(secret, data)
    pack = StoredPack(pack_id(data), frame.id, frame.version, data, signature, secret.public.text(),
                      parent.pack if parent else None, parent.key if parent else None)
    _insert_pack(db, pack)
    return pack


def _adapted_from(db: Database, store: Store, frame: Frame, depth: int) -> AdaptedFrom | None:
    """The parent pack a fork names: the pack of the frame version its derived_from names, when
    this instance holds that version (signed here first if it has no pack yet)."""
    claim = frame.manifest.derived_from
    if claim is None or depth >= MAX_ADAPTED_DEPTH or claim.id == frame.id:
        return None
    if db.execute("SELECT 1 FROM frame_versions WHERE frame_id = ? AND version = ?", [claim.id, claim.version]).fetchone() is None:
        return None
    parent = ensure_pack(db, store, get_frame(store, claim.id, claim.version), depth + 1)
    instance = claim.instance if claim.instance and claim.instance.startswith(("http://", "https://")) else None
    return AdaptedFrom(pack=parent.pack_id, key=parent.key, frame=claim.id, version=claim.version, instance=instance)


def _insert_pack(db: Database, pack: StoredPack) -> None:
    db.execute("""INSERT OR IGNORE INTO packs (pack_id, frame_id, version, manifest, signature, key, adapted_from_pack,
                  adapted_from_key, verified, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)""",
               [pack.pack_id, pack.frame_id, pack.version, pack.manifest, pack.signature, pack.key,
                pack.adapted_from_pack, pack.adapted_from_key, now_iso()])


def _from_signed(signed: SignedPack) -> StoredPack:
    m, parent = signed.manifest, signed.manifest.adapted_from
    return StoredPack(signed.pack_id, m.frame, m.version, signed.data, signed.signature, m.key,
                      parent.pack if parent else None, parent.key if parent else None)


def import_pack(store: Store, data: bytes, *, key: str | None = None, source: str = "pack.zip",
                expected_pack: str | None = None) -> PublishedFrame:
    """Add a frame pack to the gallery in one transaction, or change nothing.

    A signed pack is checked whole first (hashes, signature, revoked key, pack.json against
    frame.toml) and kept as it came; an unsigned one imports as unsigned. A new id is created as
    'imported' and its owner key returned; the same version with the same content is a no-op (a
    signed pack of it is kept beside ours); a newer version needs the owner or admin key; other
    content under a version this gallery already holds is refused. `expected_pack`: the pack id a
    peer's record named; any other pack (or an unsigned one) is refused.
    """
    if len(data) > MAX_TOTAL_BYTES:
        raise GalleryError(f"the pack is larger than {MAX_TOTAL_BYTES // 2**20} MB; it was not imported")
    frame, signed = read_pack(read_zip(data), source)
    if expected_pack is not None and (signed is None or signed.pack_id != expected_pack):
        raise GalleryError(f"the pack is not the one that was named ({expected_pack[:80]}); the pack was refused")
    refuse_bundled_id(frame)
    with store.write() as db:
        if signed is not None and is_revoked(db, signed.manifest.key):
            raise GalleryError(f"the pack is signed by key {signed.key.id_hex}, which this instance has revoked; "
                               "the pack was refused")
        result = _store_frame(db, store, frame, key)
        if signed is not None:
            _insert_pack(db, _from_signed(signed))
        elif result.owner_key and not is_bundled(frame):
            signing_key(store.settings.data_dir, frame.id, bundled=False)  # the new frame's own key, for its packs here
    if signed is None:
        return result
    return PublishedFrame(result.id, result.version, result.owner_key, result.unchanged, signed_by=signed.key.id_hex,
                          pack_id=signed.pack_id)


def _store_frame(db: Database, store: Store, frame: Frame, key: str | None) -> PublishedFrame:
    row = frame_row(db, frame.id)
    if row is None:
        owner_key = None if is_bundled(frame) else new_key()
        insert_frame(db, frame, origin="bundled" if owner_key is None else "imported", owner_key=owner_key)
        return PublishedFrame(frame.id, frame.version, owner_key)
    stored = db.execute("SELECT digest FROM frame_versions WHERE frame_id = ? AND version = ?",
                        [frame.id, frame.version]).fetchone()
    if stored is not None and stored[0] == frame.digest:
        return PublishedFrame(frame.id, frame.version, unchanged=True)
    if stored is not None:
        raise GalleryError(f"this gallery already holds '{frame.id}' v{frame.version} with other content and keeps its own; "
                           "fork the frame under a new id instead")
    try:
        authorize_frame(db, frame.id, key, store.settings.admin_key)
    except WrongKeyError:
        raise WrongKeyError(f"'{frame.id}' already exists here; adding version {frame.version} needs its owner key "
                            "or the admin key") from None
    return add_version(db, frame, row)


def adapted_from_status(store: Store, frame_id: str, version: int) -> AdaptedStatus | None:
    """Whether a frame version's "adapted from" is 'verified' (its pack names a parent pack that
    is stored here, whose signature checks under the named key, which is not revoked) or only
    'claimed'; None when the version adapts nothing or is not here. Read-only."""
    db = store.read()
    try:
        frame = get_frame(store, frame_id, version)
    except GalleryError:
        return None
    if frame.manifest.derived_from is None:
        return None
    pack = served_pack(db, frame_id, version)
    if pack is None or not pack.adapted_from_pack or not pack.adapted_from_key:
        return "claimed"
    return "verified" if _parent_checks(db, pack.adapted_from_pack, pack.adapted_from_key) else "claimed"


def lineage_statuses(store: Store, frame_id: str, version: int,
                     sources: Sequence[FrameSource]) -> list[AdaptedStatus | None]:
    """`adapted_from_status` for each hop of a frame's lineage (`frame_lineage(...).ancestors`):
    the first is what the frame version itself adapts, each next one what the previous source adapts."""
    statuses: list[AdaptedStatus | None] = []
    child = (frame_id, version)
    for source in sources:
        statuses.append(adapted_from_status(store, *child))
        child = (source.id, source.version)
    return statuses


def _parent_checks(db: Database, parent_id: str, parent_key: str) -> bool:
    row = next(db.query("SELECT manifest, signature, key FROM packs WHERE pack_id = ?", [parent_id]), None)
    if row is None or row["key"] != parent_key or is_revoked(db, parent_key):
        return False
    data = bytes(row["manifest"])
    if pack_id(data) != parent_id:
        return False
    try:
        check_signature(parse_manifest(data), data, row["signature"], parent_id)
    except FrameRemixError:
        return False
    return True
