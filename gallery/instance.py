"""A gallery ready for its first visitor: the store opened and migrated, the bundled frames in it,
and the instance admin key resolved and in use. The CLI's `main` and the app's entry call
`open_instance` once; nothing below them reads where the data lives.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gallery.adminkey import AdminKey, resolve_admin_key
from gallery.config import db_path
from gallery.db import Store, open_store
from gallery.framestore import install_bundled_frames
from gallery.keys import use_admin_key


@dataclass(frozen=True)
class Instance:
    """The process's store and its admin key (`admin.created` is true on the start that made the key file)."""

    store: Store
    admin: AdminKey


def open_instance(data_dir: Path, env_admin_key: str = "") -> Instance:
    """Open the gallery in `data_dir`, install the bundled frames, make or read the admin key and use it."""
    store = open_store(db_path(Path(data_dir)))
    install_bundled_frames(store)
    admin = resolve_admin_key(Path(data_dir), env_admin_key)
    use_admin_key(admin.key)
    return Instance(store, admin)


def admin_notice(admin: AdminKey, public_url: str) -> str:
    """What the server prints at start: the key itself only on the start that created it."""
    organize = f"{public_url.rstrip('/')}/organize"
    if admin.path is None:
        return f"frame-remix: the admin key is FRAME_REMIX_ADMIN_KEY; moderate at {organize}"
    if admin.created:
        return (f"frame-remix: created the instance admin key {admin.key}\n"
                f"  It is kept in {admin.path} (readable by you only) and shown only now.\n"
                f"  Moderate any frame at {organize}: 'Open my frame', paste the key.\n"
                f"  To rotate it, delete {admin.path} and restart (or set FRAME_REMIX_ADMIN_KEY).")
    return f"frame-remix: the instance admin key is in {admin.path}; moderate any frame at {organize}"
