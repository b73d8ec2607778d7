"""The federation's HTTP face, served next to the app: thin Starlette routes over `gallery.federation`.

Each route maps a request to one function of the core and its answer to JSON or bytes; nothing
here decides anything a follower or an operator relies on.
"""
from __future__ import annotations

from starlette.routing import Route

from gallery import Settings


def federation_routes(settings: Settings) -> list[Route]:
    """The routes other instances call (well-known document, feed, records, packs, reports)."""
    return []
