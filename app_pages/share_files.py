"""The full-size image behind the Make page's Share button, rendered only when it is asked for.

The preview on the page is a small JPEG (what a phone shows at 27 % of its height does not need
1080 px), so every keystroke sends tens of kilobytes instead of a full render. Share must still
hand the phone's share sheet the very file Download and Publish make; the pad fetches it from
`/draft-image/<token>` when Share is about to be pressed, and this route renders it then
through the same pipeline (`remix.pipeline.render_format`).

Why the registry holds weak references: a `DraftImage` lives in its Streamlit session's state
(it holds the participant's decoded photo), so it is freed with the session; the route only
finds images whose session is still alive. Tokens are random and never shown to anyone else:
a draft is private until it is published.
"""
from __future__ import annotations

import secrets
import threading
import weakref
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

PATH = "draft-image"
_GONE = "This preview is gone (the page was closed or changed); press Share again."


class DraftImage:
    """One encoded format of a participant's draft, rendered when first fetched, then kept."""

    __slots__ = ("__weakref__", "_data", "_lock", "_render", "mime", "token")

    def __init__(self, render: Callable[[], bytes], mime: str) -> None:
        self._render, self.mime, self.token = render, mime, secrets.token_urlsafe(18)
        self._data: bytes | None = None
        self._lock = threading.Lock()

    def data(self) -> bytes:
        with self._lock:  # a double tap renders once
            if self._data is None:
                self._data = self._render()
            return self._data

    @property
    def path(self) -> str:
        """Relative to the app's address (the page's base URL), so it works under a path prefix."""
        return f"{PATH}/{self.token}"


_OFFERED: weakref.WeakValueDictionary[str, DraftImage] = weakref.WeakValueDictionary()
_LOCK = threading.Lock()


def offer(image: DraftImage) -> DraftImage:
    """Make `image` fetchable while something (the session's state) keeps it alive."""
    with _LOCK:
        _OFFERED[image.token] = image
    return image


def draft_image(request: Request) -> Response:
    """GET /draft-image/<token>: the full-size file, never cached by the browser or a proxy."""
    with _LOCK:
        image = _OFFERED.get(request.path_params["token"])
    if image is None:
        return PlainTextResponse(_GONE, status_code=404)
    return Response(image.data(), media_type=image.mime, headers={"Cache-Control": "no-store, private"})


def draft_routes() -> list[Route]:
    return [Route(f"/{PATH}/{{token}}", draft_image)]
