"""The gallery's one notion of time: UTC, ISO 8601 to the second, so text order is time order."""
from __future__ import annotations

from datetime import UTC, datetime


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
