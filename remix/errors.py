"""Errors the engine raises for a participant's input; each carries one sentence to show."""
from __future__ import annotations

from frames.errors import FrameRemixError


class RemixError(FrameRemixError):
    """Something in a participant's input cannot be used (values, photo, options)."""


class PhotoError(RemixError):
    """The uploaded photo cannot be used; the sentence says why and what to do."""
