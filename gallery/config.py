"""Where the gallery lives and who administers it, read from environment variables with defaults."""
from __future__ import annotations

import os
from pathlib import Path

DB_NAME = "gallery.db"
DEFAULT_REPORT_THRESHOLD = 3
DEFAULT_REPORTS_PER_HOUR = 5


def data_dir() -> Path:
    """FRAME_REMIX_DATA, default `data/` in the working directory."""
    return Path(os.environ.get("FRAME_REMIX_DATA") or "data")


def db_path(directory: Path | None = None) -> Path:
    return (directory or data_dir()) / DB_NAME


def admin_key() -> str:
    """FRAME_REMIX_ADMIN_KEY; empty means the instance has no admin key (nobody is admin)."""
    return os.environ.get("FRAME_REMIX_ADMIN_KEY", "").strip()


def report_threshold() -> int:
    """How many distinct reports hide a remix pending review (FRAME_REMIX_REPORT_THRESHOLD, default 3)."""
    raw = os.environ.get("FRAME_REMIX_REPORT_THRESHOLD", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_REPORT_THRESHOLD


def reports_per_hour() -> int:
    """How many reports one network address may send an hour (FRAME_REMIX_REPORTS_PER_HOUR, default 5)."""
    raw = os.environ.get("FRAME_REMIX_REPORTS_PER_HOUR", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_REPORTS_PER_HOUR


def trust_forwarded_for() -> bool:
    """FRAME_REMIX_TRUSTED_PROXY=1 when the app runs behind a reverse proxy that sets
    X-Forwarded-For; only then is that header's first address taken as the client's."""
    return os.environ.get("FRAME_REMIX_TRUSTED_PROXY", "").strip().lower() in ("1", "true", "yes")
