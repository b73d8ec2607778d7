"""Share pages served next to the app: `/share/<remix id>` is a tiny HTML page whose Open Graph
tags (image, title, description = alt text) make a pasted link show the remix's picture, and
which forwards people to the remix in the gallery. `/share/<remix id>/image` serves that picture.

Streamlit pages cannot set `<meta property="og:...">`, hence plain Starlette routes. Only
published remixes are shown; everything else is a plain 404 page. Autoescape is on: every
value in the page is participant text. Links use the configured public URL, else the host the
page was asked on (through a proxy's X-Forwarded-Proto/Host), so the page forwards to the
instance people actually reached.
"""
from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from frames import FrameRemixError
from gallery import Settings, get_remix, image, open_store
from gallery.config import request_base_url
from gallery.remixes import best_format
from gallery.site import environment
from remix.credits import remix_by

_MISSING = "<!doctype html><title>Not found</title><p>This remix is not in the gallery (any more).</p>"
_VARY = "Host, X-Forwarded-Host, X-Forwarded-Proto"  # the page's links follow the host it was asked on


def share_routes(settings: Settings) -> list[Route]:
    """The share routes for an instance configured by `settings` (built once at the app's entry)."""
    return [Route("/share/{remix_id}", partial(share_page, settings=settings)),
            Route("/share/{remix_id}/image", partial(share_image, settings=settings))]


def base_url(request: Request, settings: Settings) -> str:
    """The configured public URL, else the address this request was made on."""
    headers = request.headers if settings.trust_proxy else {}  # a proxy's forwarded host only when one is trusted
    return settings.base_url(request_base_url(str(request.base_url), headers))


def share_page(request: Request, settings: Settings) -> Response:
    remix_id = request.path_params["remix_id"]
    try:
        detail = get_remix(open_store(settings=settings), remix_id)
    except FrameRemixError:
        return HTMLResponse(_MISSING, status_code=404)
    fmt = best_format([i.format for i in detail.images])
    base = base_url(request, settings)
    s = detail.summary
    html = environment().get_template("share.html").render(
        lang=s.language, title=f"{s.frame_title} · {remix_by(s.maker, s.language)}",
        description=detail.alt.get(fmt, ""), image_url=f"{base}/share/{remix_id}/image",
        page_url=f"{base}/share/{remix_id}", gallery_url=f"{base}/gallery?remix={remix_id}",
    )
    return HTMLResponse(html, headers={"Cache-Control": "public, max-age=300", "Vary": _VARY})


def share_image(request: Request, settings: Settings) -> Response:
    remix_id = request.path_params["remix_id"]
    try:
        store = open_store(settings=settings)
        detail = get_remix(store, remix_id)
        stored = image(store, remix_id, best_format([i.format for i in detail.images]))
    except FrameRemixError:
        return HTMLResponse(_MISSING, status_code=404)
    return Response(stored.data, media_type=stored.media_type, headers={"Cache-Control": "public, max-age=300"})
