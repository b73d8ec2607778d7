"""The instance admin key: FRAME_REMIX_ADMIN_KEY when the operator sets it, else a key file made
on first start, so a default install can moderate the bundled frames that wait for approval.

The file (`<data folder>/admin.key`, owner-only) is written under a temporary name and linked
into place: `link` fails when the name exists, like `O_EXCL`, so two processes starting at once
(the app and an operator's CLI) end up with one key, and nobody ever reads a half-written file.
Deleting the file and restarting makes a new key (rotation). Never imports streamlit; the edges
(the CLI's `main`, the app's entry) call `gallery.instance.open_instance` once, which
resolves the key here and puts it into the store's Settings.
"""
from __future__ import annotations

import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from gallery.errors import GalleryError

KEY_FILE = "admin.key"


@dataclass(frozen=True)
class AdminKey:
    """The instance's admin key and where it came from (`path` is None for the environment)."""

    key: str
    path: Path | None
    created: bool = False


def admin_key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def resolve_admin_key(data_dir: Path, env_key: str = "") -> AdminKey:
    """The environment's key when set (it wins), else the data folder's key file, made if missing."""
    if env_key.strip():
        return AdminKey(env_key.strip(), None)
    path = admin_key_path(data_dir)
    created = _create(path)
    return AdminKey(_read(path), path, created)


def ensure_admin_key(data_dir: Path) -> str:
    """The data folder's admin key, creating the owner-only key file on first use."""
    return resolve_admin_key(data_dir).key


def _create(path: Path) -> bool:
    """Make the key file unless it exists; True when this call made it."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(24) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.link(tmp, path)  # atomic, and refuses to replace a key another process made first
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)


def _read(path: Path) -> str:
    key = path.read_text(encoding="utf-8", errors="replace").strip()
    if len(key) < 16:
        raise GalleryError(f"the admin key file '{path}' is empty or too short; delete it and start again to make a new key")
    return key
