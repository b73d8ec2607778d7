"""Share pages served next to the app: plain HTML with Open Graph tags (being built)."""
from __future__ import annotations


def share_routes() -> list:
    return []
