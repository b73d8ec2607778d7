"""Frames in the gallery: every published version with its manifest and assets, owners, forks.

A frame id is created by publishing, forking or importing it; the caller gets an owner key once
(only its hash is stored). Later versions need that key or the admin key. A fork's source is a
trusted local record; `derived_from` inside a manifest someone else wrote is only a claim.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from sqlite_utils import Database

from frames.bundled import bundled_frame, bundled_ids
from frames.errors import FrameError
from frames.manifest import MANIFEST_NAME
from frames.model import Frame
from frames.pack import frame_from_files
from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError, WrongKeyError
from gallery.forking import fork_manifest
from gallery.keys import hash_key, is_admin, key_matches, new_key
from gallery.models import FrameInfo, FrameSource, PublishedFrame

CACHED_FRAMES = 32  # parsed frame versions kept per process (assets included), least recently used out
_cache: OrderedDict[str, Frame] = OrderedDict()
_cache_lock = threading.Lock()


def publish_frame(store: Store, frame: Frame, key: str | None = None) -> PublishedFrame:
    """Publish a new frame (returns its owner key) or a new version of one (needs its owner or admin key)."""
    refuse_bundled_id(frame)
    if is_bundled(frame):
        install_bundled(store, frame)
        return PublishedFrame(frame.id, frame.version, unchanged=True)
    with store.write() as db:
        row = frame_row(db, frame.id)
        if row is None:
            owner_key = new_key()
            insert_frame(db, frame, origin="local", owner_key=owner_key)
            _sign(db, store, frame)
            return PublishedFrame(frame.id, frame.version, owner_key)
        if not key:
            raise GalleryError(f"a frame with the id '{frame.id}' already exists here; choose another id, "
                               "or give its owner key to publish a new version")
        authorize_frame(db, frame.id, key, store.settings.admin_key)
        published = add_version(db, frame, row)
        _sign(db, store, frame)
        return published


def _sign(db: Database, store: Store, frame: Frame) -> None:
    """Sign the version's pack now, in the same transaction, so its pack id is fixed at publish."""
    from gallery.packs import ensure_pack  # gallery.packs builds on this module

    ensure_pack(db, store, frame)


def fork_frame(store: Store, source_id: str, new_id: str, *, version: int | None = None,
               instance: str | None = None) -> PublishedFrame:
    """Copy a frame under a new id (version 1) recording where it came from; anyone may fork."""
    if source_id in bundled_ids():
        install_bundled(store, bundled_frame(source_id))
    source = get_frame(store, source_id, version)
    origin = FrameSource(source.id, source.version, instance or store.settings.base_url(), source.title, source.manifest.organizer.name)
    try:
        forked = frame_from_files({MANIFEST_NAME: fork_manifest(source.manifest_bytes, new_id, origin), **source.assets},
                                  f"fork of {source.id}")
    except FrameError as exc:
        raise GalleryError(f"the fork id is not usable: {exc.problems[0]}") from None
    refuse_bundled_id(forked)
    owner_key = new_key()
    with store.write() as db:
        if frame_row(db, new_id) is not None:
            raise GalleryError(f"a frame with the id '{new_id}' already exists here; choose another id for your fork")
        insert_frame(db, forked, origin="local", owner_key=owner_key, trusted_source=origin)
        _sign(db, store, forked)  # signs the parent's pack first: the fork's pack.json names it and its key
    return PublishedFrame(new_id, 1, owner_key)


def authorize_frame(db: Database, frame_id: str, key: str | None, admin_key: str) -> str:
    """'admin' or 'owner' when the key opens this frame (`admin_key`: the instance's); raises WrongKeyError otherwise."""
    if is_admin(key, admin_key):
        return "admin"
    row = frame_row(db, frame_id)
    if row is None:
        raise GalleryError(f"there is no frame '{frame_id}' in this gallery")
    if key_matches(key, row["owner_key_hash"]):
        return "owner"
    raise WrongKeyError(f"that key does not open the frame '{frame_id}'; use its owner key or the instance's admin key")


def add_version(db: Database, frame: Frame, row: dict[str, Any]) -> PublishedFrame:
    """Store a further version of an existing frame (the caller has checked the key)."""
    stored = db.execute("SELECT digest FROM frame_versions WHERE frame_id = ? AND version = ?",
                        [frame.id, frame.version]).fetchone()
    if stored is not None:
        if stored[0] == frame.digest:
            return PublishedFrame(frame.id, frame.version, unchanged=True)
        raise GalleryError(f"version {frame.version} of '{frame.id}' is already published with other content; "
                           f"set version = {row['latest_version'] + 1} in frame.toml")
    if frame.version < row["latest_version"]:
        raise GalleryError(f"'{frame.id}' is already at version {row['latest_version']}; "
                           f"set version = {row['latest_version'] + 1} in frame.toml")
    _insert_version(db, frame)
    db.execute("""UPDATE frames SET latest_version = ?, title = ?, organizer = ?, moderation = ?,
                  claimed_derived_from = ? WHERE id = ?""",
               [frame.version, frame.title, frame.manifest.organizer.name, frame.manifest.moderation,
                _claimed(frame), frame.id])
    return PublishedFrame(frame.id, frame.version)


def ensure_installed(db: Database, frame: Frame) -> None:
    """Inside a write: make sure this exact frame version is stored (bundled frames install themselves)."""
    stored = db.execute("SELECT digest FROM frame_versions WHERE frame_id = ? AND version = ?",
                        [frame.id, frame.version]).fetchone()
    if stored is not None:
        if stored[0] != frame.digest:
            raise GalleryError(f"this copy of '{frame.id}' v{frame.version} differs from the published one; reload the frame")
        return
    if not is_bundled(frame):
        raise GalleryError(f"the frame '{frame.id}' v{frame.version} is not published in this gallery; publish it first")
    row = frame_row(db, frame.id)
    if row is None:
        insert_frame(db, frame, origin="bundled", owner_key=None)
    else:
        add_version(db, frame, row)


def install_bundled(store: Store, frame: Frame) -> None:
    """Store a frame that ships with frame-remix (owned by the admin key only); idempotent."""
    with store.write() as db:
        ensure_installed(db, frame)


def install_bundled_frames(store: Store) -> None:
    """Every frame that ships with frame-remix, in the gallery; reads first, so a started gallery costs no write."""
    db = store.read()
    stored = {(r[0], r[1]) for r in db.execute("SELECT frame_id, digest FROM frame_versions")}
    for frame_id in bundled_ids():
        frame = bundled_frame(frame_id)
        if (frame.id, frame.digest) not in stored:
            install_bundled(store, frame)


def is_bundled(frame: Frame) -> bool:
    return frame.id in bundled_ids() and bundled_frame(frame.id).digest == frame.digest


def get_frame(store: Store, frame_id: str, version: int | None = None) -> Frame:
    """A stored frame version (the latest by default), validated once and cached by content digest."""
    db = store.read()
    if version is None:
        row = db.execute("SELECT latest_version FROM frames WHERE id = ?", [frame_id]).fetchone()
        if row is None:
            raise GalleryError(f"there is no frame '{frame_id}' in this gallery")
        version = row[0]
    found = db.execute("SELECT manifest, digest FROM frame_versions WHERE frame_id = ? AND version = ?",
                       [frame_id, version]).fetchone()
    if found is None:
        raise GalleryError(f"the frame '{frame_id}' has no version {version} here")
    digest = found[1]
    if frame_id in bundled_ids() and bundled_frame(frame_id).digest == digest:
        return bundled_frame(frame_id)  # the package's own copy: one parse, one set of render caches
    with _cache_lock:
        if digest in _cache:
            _cache.move_to_end(digest)
            return _cache[digest]
    frame = _load(db, frame_id, version, found[0])
    with _cache_lock:
        _cache[digest] = frame
        while len(_cache) > CACHED_FRAMES:
            _cache.popitem(last=False)
    return frame


def _load(db: Database, frame_id: str, version: int, manifest: bytes) -> Frame:
    files = {MANIFEST_NAME: bytes(manifest)}
    for name, data in db.execute("""SELECT fa.name, a.data FROM frame_assets fa JOIN assets a ON a.hash = fa.hash
                                    WHERE fa.frame_id = ? AND fa.version = ?""", [frame_id, version]):
        files[name] = bytes(data)
    return frame_from_files(files, f"gallery:{frame_id}@v{version}")


def list_frames(store: Store) -> list[FrameInfo]:
    """Every frame in the gallery, newest first. This is a read-only operation."""
    db = store.read()
    versions: dict[str, list[int]] = {}
    for frame_id, version in db.execute("SELECT frame_id, version FROM frame_versions ORDER BY frame_id, version"):
        versions.setdefault(frame_id, []).append(version)
    rows = db.query("SELECT * FROM frames ORDER BY created DESC, id")
    return [_info(db, row, versions.get(row["id"], [])) for row in rows]


def frame_info(store: Store, frame_id: str) -> FrameInfo:
    db = store.read()
    row = frame_row(db, frame_id)
    if row is None:
        raise GalleryError(f"there is no frame '{frame_id}' in this gallery")
    return _info(db, row)


def _info(db: Database, row: dict[str, Any], versions: list[int] | None = None) -> FrameInfo:
    if versions is None:
        versions = [v for (v,) in db.execute(
            "SELECT version FROM frame_versions WHERE frame_id = ? ORDER BY version", [row["id"]])]
    return FrameInfo(row["id"], row["latest_version"], tuple(versions), row["title"], row["organizer"],
                     row["moderation"], row["origin"], row["created"], frame_source(row))


def frame_source(row: dict[str, Any]) -> FrameSource | None:
    """The trusted local source of a fork, or else what an imported manifest claims."""
    if row["derived_from_id"]:
        return FrameSource(row["derived_from_id"], row["derived_from_version"], row["derived_from_instance"] or "")
    if row["claimed_derived_from"]:
        claim = json.loads(row["claimed_derived_from"])
        return FrameSource(claim["id"], claim["version"], claim.get("instance") or "", claim.get("title", ""),
                           claim.get("organizer", ""), claimed=True)
    return None


def frame_row(db: Database, frame_id: str) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM frames WHERE id = ?", [frame_id]), None)


def insert_frame(db: Database, frame: Frame, *, origin: str, owner_key: str | None,
                  trusted_source: FrameSource | None = None) -> None:
    m = frame.manifest
    db.execute(
        """INSERT INTO frames (id, owner_key_hash, origin, latest_version, title, organizer, moderation,
           derived_from_id, derived_from_version, derived_from_instance, claimed_derived_from, created)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [frame.id, hash_key(owner_key) if owner_key else None, origin, frame.version, frame.title,
         m.organizer.name, m.moderation, trusted_source.id if trusted_source else None,
         trusted_source.version if trusted_source else None, trusted_source.instance if trusted_source else None,
         None if trusted_source else _claimed(frame), now_iso()],
    )
    _insert_version(db, frame)


def _insert_version(db: Database, frame: Frame) -> None:
    db.execute("INSERT INTO frame_versions VALUES (?, ?, ?, ?, ?, ?)",
               [frame.id, frame.version, frame.manifest_bytes, frame.digest, frame.title, now_iso()])
    for name, data in sorted(frame.assets.items()):
        digest = hashlib.sha256(data).hexdigest()
        db.execute("INSERT OR IGNORE INTO assets VALUES (?, ?, ?)", [digest, data, len(data)])
        db.execute("INSERT INTO frame_assets VALUES (?, ?, ?, ?)", [frame.id, frame.version, name, digest])


def _claimed(frame: Frame) -> str | None:
    source = frame.manifest.derived_from
    return json.dumps(source.model_dump(), ensure_ascii=False) if source else None


def refuse_bundled_id(frame: Frame) -> None:
    if frame.id in bundled_ids() and not is_bundled(frame):
        raise GalleryError(f"the id '{frame.id}' belongs to a frame that comes with frame-remix; "
                           "fork it or choose another id")
