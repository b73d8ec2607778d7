"""Errors the gallery raises for a caller's request; each carries one sentence a person can act on."""
from __future__ import annotations

from frames.errors import FrameRemixError


class GalleryError(FrameRemixError):
    """A gallery request cannot be done (unknown remix, bad state, bad input); nothing was changed."""


class WrongKeyError(GalleryError):
    """The key given does not open this frame or remix; nothing was changed."""
