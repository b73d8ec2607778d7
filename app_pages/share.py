"""Share pages served next to the app: `/share/<remix id>` is a tiny HTML page whose Open Graph
tags (image, title, description = alt text) make a pasted link show the remix's picture, and
which forwards people to the remix in the gallery. `/share/<remix id>/image` serves that picture.

Streamlit pages cannot set `<meta property="og:...">`, hence plain Starlette routes. Only
published remixes are shown; everything else is a plain 404 page. Autoescape is on: every
value in the page is participant text.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from frames import FrameRemixError
from gallery import get_remix, image, open_store
from gallery.site import environment
from remix.qr import public_url

_MISSING = "<!doctype html><title>Not found</title><p>This remix is not in the gallery (any more).</p>"
PREFERRED = ("card", "square")


def share_routes() -> list[Route]:
    return [Route("/share/{remix_id}", share_page), Route("/share/{remix_id}/image", share_image)]


def _best_format(formats: list[str]) -> str:
    return next((f for f in PREFERRED if f in formats), formats[0])


def share_page(request: Request) -> Response:
    remix_id = request.path_params["remix_id"]
    try:
        detail = get_remix(open_store(), remix_id)
    except FrameRemixError:
        return HTMLResponse(_MISSING, status_code=404)
    fmt = _best_format([i.format for i in detail.images])
    base = public_url()
    s = detail.summary
    html = environment().get_template("share.html").render(
        lang=s.language, title=f"{s.frame_title} · remix by {s.credit_name}",
        description=detail.alt.get(fmt, ""), image_url=f"{base}/share/{remix_id}/image",
        page_url=f"{base}/share/{remix_id}", gallery_url=f"{base}/gallery?remix={remix_id}",
    )
    return HTMLResponse(html, headers={"Cache-Control": "public, max-age=300"})


def share_image(request: Request) -> Response:
    remix_id = request.path_params["remix_id"]
    try:
        store = open_store()
        detail = get_remix(store, remix_id)
        stored = image(store, remix_id, _best_format([i.format for i in detail.images]))
    except FrameRemixError:
        return HTMLResponse(_MISSING, status_code=404)
    return Response(stored.data, media_type=stored.media_type, headers={"Cache-Control": "public, max-age=300"})
