"""Backups: a consistent copy of the live database through SQLite's backup API, then checked.

The copy is written under a temporary name and renamed only after `PRAGMA integrity_check`
says ok, so a backup file that exists is a good one.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from gallery.db import Store
from gallery.errors import GalleryError


def backup(store: Store, dest: Path) -> str:
    """Copy the gallery to `dest` (a new file) and return its integrity_check result ('ok')."""
    dest = Path(dest)
    if dest.exists():
        raise GalleryError(f"'{dest}' already exists; choose a new file name for the backup")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.partial")
    tmp.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{store.path}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        result = integrity_check(tmp)
        if result != "ok":
            raise GalleryError(f"the backup failed its integrity check ({result}); the database needs attention")
        os.replace(tmp, dest)
    finally:
        source.close()
        tmp.unlink(missing_ok=True)
    return result


def integrity_check(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return "; ".join(r[0] for r in rows)
