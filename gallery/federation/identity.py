"""The instance's signing keys, kept in the data folder and nowhere else.

`DATA/keys/instance.key` signs this instance's feed records and tombstones; frame owners' keys
live beside it (`DATA/keys/frames/<frame id>.key`). Files are created once, exclusively and
readable by the owner only (0600), so two processes starting at once end up with one key.
"""
from __future__ import annotations

import os
from pathlib import Path

from frames.signing import SecretKey, generate_key

KEYS_DIR = "keys"
INSTANCE_KEY = "instance.key"


def keys_dir(data_dir: Path) -> Path:
    return data_dir / KEYS_DIR


def instance_key(data_dir: Path) -> SecretKey:
    """The instance's key pair, made on first use."""
    return load_or_create_key(keys_dir(data_dir) / INSTANCE_KEY)


def load_or_create_key(path: Path) -> SecretKey:
    """Read the key file at `path`, or create it (0600, exclusive) with a fresh key pair."""
    try:
        return SecretKey.from_file_text(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = generate_key()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.file_text())
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(tmp, path)  # fails if another process made the key first: theirs wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return SecretKey.from_file_text(path.read_text(encoding="ascii"))
