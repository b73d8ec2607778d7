"""A gallery ready for its first visitor: the store opened and migrated, the bundled frames in it,
and the instance admin key resolved and in use. The CLI's `main` and the app's entry call
`open_instance` once; nothing below them reads where the data lives.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from gallery.adminkey import AdminKey, resolve_admin_key
from gallery.config import Settings
from gallery.db import Store, open_store
from gallery.framestore import install_bundled_frames


@dataclass(frozen=True)
class Instance:
    """The process's store, its admin key (`admin.created` is true on the start that made the key
    file) and the settings with that key filled in (what the store carries)."""

    store: Store
    admin: AdminKey
    settings: Settings


def open_instance(settings: Settings) -> Instance:
    """Open the gallery in `settings.data_dir`, make or read the admin key (the variable wins, else
    the key file), give the store the settings with that key, and install the bundled frames."""
    admin = resolve_admin_key(settings.data_dir, settings.admin_key)  # first: the store never goes without it
    resolved = replace(settings, admin_key=admin.key)
    store = open_store(settings=resolved)
    install_bundled_frames(store)
    return Instance(store, admin, resolved)


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
