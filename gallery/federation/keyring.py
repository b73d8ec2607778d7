"""Which key signs what, and which keys this instance no longer trusts.

Each frame made, forked or imported as new here signs its packs with its own key
(`DATA/keys/frames/<frame id>.key`); frames that ship with frame-remix are signed by the
instance key. Revoking a key lists it (table `revoked_keys`, and the well-known document);
when the key is one of ours its file is moved aside, so the next signature makes a new one.
Packs signed by a revoked key no longer count as verified and are never served again: the
next packing signs the version anew. Secret keys are read here and never leave the data folder.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from frames.signing import PublicKey, SecretKey, SignatureError
from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError, WrongKeyError
from gallery.federation.identity import INSTANCE_KEY, instance_key, keys_dir, load_or_create_key
from gallery.keys import is_admin

FRAME_KEYS = "frames"
_KEY_ID = re.compile(r"^[0-9A-Fa-f]{16}$")


@dataclass(frozen=True)
class FrameKey:
    frame: str
    key: PublicKey


@dataclass(frozen=True)
class RevokedKey:
    key_id: str
    key: str
    revoked: str


@dataclass(frozen=True)
class Keys:
    """What `frame-remix keys show` prints: public halves only."""

    instance: PublicKey
    frames: tuple[FrameKey, ...]
    revoked: tuple[RevokedKey, ...]


def frame_key_path(data_dir: Path, frame_id: str) -> Path:
    return keys_dir(data_dir) / FRAME_KEYS / f"{frame_id}.key"


def signing_key(data_dir: Path, frame_id: str, *, bundled: bool) -> SecretKey:
    """The key that signs this frame's packs here (made on first use): the frame's own, or the
    instance key for a frame that ships with frame-remix."""
    if bundled:
        return instance_key(data_dir)
    return load_or_create_key(frame_key_path(data_dir, frame_id))


def frame_keys(data_dir: Path) -> tuple[FrameKey, ...]:
    """The public halves of the frame keys this instance holds, by frame id. Read-only."""
    folder = keys_dir(data_dir) / FRAME_KEYS
    if not folder.is_dir():
        return ()
    found = []
    for path in sorted(folder.glob("*.key")):
        try:
            found.append(FrameKey(path.stem, SecretKey.from_file_text(path.read_text(encoding="ascii")).public))
        except (OSError, UnicodeDecodeError, SignatureError):
            continue  # a damaged file signs nothing; `load_or_create_key` reports it when it is used
    return tuple(found)


def show_keys(store: Store) -> Keys:
    data_dir = store.settings.data_dir
    return Keys(instance_key(data_dir).public, frame_keys(data_dir), revoked_keys(store))


def revoked_keys(store: Store) -> tuple[RevokedKey, ...]:
    """Every key this instance revoked, oldest first. Read-only."""
    rows = store.read().execute("SELECT key_id, key, revoked FROM revoked_keys ORDER BY revoked, key_id").fetchall()
    return tuple(RevokedKey(*row) for row in rows)


def is_revoked(db: Database, key_text: str) -> bool:
    """True when the key's id or its Ed25519 half was revoked here (the same key under another
    id is the same key)."""
    try:
        key = PublicKey.from_text(key_text)
    except SignatureError:
        return True  # a key we cannot even read vouches for nothing
    for key_id, text in db.execute("SELECT key_id, key FROM revoked_keys"):
        if key_id == key.id_hex or PublicKey.from_text(text).raw == key.raw:
            return True
    return False


def revoke_key(store: Store, key_id_or_text: str, admin_key: str | None) -> RevokedKey:
    """Revoke a key (given by its 16-hex id or its public key text) with the instance admin key.

    Listed in the well-known document from now on; a key of ours is moved aside so a new one
    replaces it. Revoking a revoked key again changes nothing and returns the first revocation.
    """
    if not is_admin(admin_key, store.settings.admin_key):
        raise WrongKeyError("revoking a key needs the instance's admin key")
    key = _find_key(store, key_id_or_text.strip())
    with store.write() as db:
        row = db.execute("SELECT key_id, key, revoked FROM revoked_keys WHERE key_id = ?", [key.id_hex]).fetchone()
        if row is not None:
            return RevokedKey(*row)
        stamp = now_iso()
        db.execute("INSERT INTO revoked_keys VALUES (?, ?, ?)", [key.id_hex, key.text(), stamp])
        _retire_own_key(store.settings.data_dir, key)
    return RevokedKey(key.id_hex, key.text(), stamp)


def _find_key(store: Store, given: str) -> PublicKey:
    if not _KEY_ID.match(given):
        try:
            return PublicKey.from_text(given)
        except SignatureError:
            raise GalleryError("give a key id (16 hexadecimal digits) or a public key's text, as "
                               "`frame-remix keys show` prints them") from None
    wanted = given.upper()
    for key in _known_keys(store):
        if key.id_hex == wanted:
            return key
    raise GalleryError(f"no key with the id {wanted} is known here; give the public key's text instead")


def _known_keys(store: Store) -> list[PublicKey]:
    data_dir = store.settings.data_dir
    known = [instance_key(data_dir).public, *(k.key for k in frame_keys(data_dir))]
    for (text,) in store.read().execute("SELECT DISTINCT key FROM packs"):
        try:
            known.append(PublicKey.from_text(text))
        except SignatureError:
            continue
    return known


def _retire_own_key(data_dir: Path, key: PublicKey) -> None:
    """Move our key file for `key` aside (kept for the record, never used again)."""
    candidates = [keys_dir(data_dir) / INSTANCE_KEY, *sorted((keys_dir(data_dir) / FRAME_KEYS).glob("*.key"))]
    for path in candidates:
        try:
            secret = SecretKey.from_file_text(path.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError, SignatureError):
            continue
        if secret.key_id == key.key_id and secret.public.raw == key.raw:
            os.replace(path, path.with_name(f"{path.name}.revoked-{key.id_hex}"))
