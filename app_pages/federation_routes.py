"""The federation's HTTP face, served next to the app: thin Starlette routes over `gallery.federation`.

Each route maps a request to one function of the core and its answer to JSON or bytes; nothing
here decides anything a follower or an operator relies on. Addresses in records and links follow
the share pages' rule (`app_pages.share.base_url`): the configured public URL, else the request's.
"""
from __future__ import annotations

import hashlib
import re
from functools import partial
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from app_pages.share import base_url
from frames import FrameRemixError
from gallery import GalleryError, Settings, client_address, open_store
from gallery.federation.feed import (
    MAX_REPORT_BYTES,
    NotServed,
    etag_matches,
    feed_bytes,
    feed_page,
    receive_report,
    remix_envelope,
    remix_thumbnail,
    strong_etag,
)
from gallery.federation.wellknown import WELL_KNOWN_PATH, well_known
from gallery.moderation import TooManyReports
from gallery.packs import pack_zip

_PACK_ID = re.compile(r"^sha256-[0-9a-f]{64}$")
_VARY = "Host, X-Forwarded-Host, X-Forwarded-Proto"  # records, links and keys follow the host they were asked on
_MAX_AFTER = 18  # digits: a seq fits in SQLite's 64-bit integer


def federation_routes(settings: Settings) -> list[Route]:
    """The routes other instances call (well-known document, feed, records, packs, reports)."""
    return [
        Route(WELL_KNOWN_PATH, partial(well_known_document, settings=settings)),
        Route("/federation/packs/{pack_id}.zip", partial(pack_download, settings=settings)),
        Route("/federation/feed.json", partial(feed, settings=settings)),
        Route("/federation/remixes/{remix_id}.json", partial(remix_record, settings=settings)),
        Route("/federation/remixes/{remix_id}/thumb.jpg", partial(remix_thumb, settings=settings)),
        Route("/federation/reports", partial(peer_report, settings=settings), methods=["POST"]),
    ]


def well_known_document(request: Request, settings: Settings) -> Response:
    document = well_known(open_store(settings=settings), base_url(request, settings))
    return JSONResponse(document, headers={"Cache-Control": "public, max-age=300", "Vary": _VARY,
                                           "Access-Control-Allow-Origin": "*"})


def pack_download(request: Request, settings: Settings) -> Response:
    """A signed pack by its id: content-addressed, so it never changes and may be cached for good."""
    pack_id = request.path_params["pack_id"]
    if not _PACK_ID.match(pack_id):
        return PlainTextResponse("not a pack id", status_code=404)
    try:
        data = pack_zip(open_store(settings=settings), pack_id)
    except FrameRemixError:
        return PlainTextResponse("there is no such pack here", status_code=404)
    return Response(data, media_type="application/zip",
                    headers={"Cache-Control": "public, max-age=31536000, immutable",
                             "Content-Disposition": f'attachment; filename="{pack_id[:20]}.zip"'})


def feed(request: Request, settings: Settings) -> Response:
    """`GET /federation/feed.json?after=N`: a page of the outbox, with a strong ETag (304 on a match)."""
    after = request.query_params.get("after", "0")
    if not (after.isascii() and after.isdigit()) or len(after) > _MAX_AFTER:  # '²'.isdigit() is True
        return _error(400, "the feed's 'after' must be a whole number of zero or more")
    body = feed_bytes(feed_page(open_store(settings=settings), base_url(request, settings), int(after)))
    tag = strong_etag(body)
    headers = {"ETag": tag, "Cache-Control": "no-cache", "Vary": _VARY}
    if etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/feed+json", headers=headers)


def remix_record(request: Request, settings: Settings) -> Response:
    """`GET /federation/remixes/<id>.json`: 200 its record, 410 its tombstone, 404 anything else."""
    try:
        status, sealed = remix_envelope(open_store(settings=settings), base_url(request, settings),
                                        request.path_params["remix_id"])
    except GalleryError as exc:
        return _error(404, str(exc))
    return JSONResponse(sealed, status_code=status, headers={"Cache-Control": "no-cache", "Vary": _VARY})  # a delete (410) must reach the next recheck


def remix_thumb(request: Request, settings: Settings) -> Response:
    """`GET /federation/remixes/<id>/thumb.jpg`: a <= 480 px JPEG of a published remix."""
    try:
        data = remix_thumbnail(open_store(settings=settings), request.path_params["remix_id"])
    except GalleryError as exc:
        return _error(404, str(exc))
    tag = '"' + hashlib.sha256(data).hexdigest()[:40] + '"'
    headers = {"ETag": tag, "Cache-Control": "no-cache"}  # revalidated by ETag: a deleted remix's thumbnail goes at once
    if etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="image/jpeg", headers=headers)


async def peer_report(request: Request, settings: Settings) -> Response:
    """`POST /federation/reports` with `{"remix": ID, "reason": TEXT}` (JSON, <= 4 KB): 202 when stored."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return _error(415, "send the report as application/json")  # a cross-site form cannot, without a preflight
    body = await _bounded_body(request, MAX_REPORT_BYTES)
    if body is None:
        return _error(413, f"a report is at most {MAX_REPORT_BYTES // 1024} KB of JSON")
    address = client_address(request.client.host if request.client else None,
                             request.headers.get("x-forwarded-for"), trust_proxy=settings.trust_proxy)
    try:
        await run_in_threadpool(receive_report, open_store(settings=settings), body,
                                peer_origin=request.headers.get("origin"), address=address)
    except NotServed as exc:
        return _error(404, str(exc))
    except TooManyReports as exc:
        return _error(429, str(exc))
    except GalleryError as exc:
        return _error(400, str(exc))
    return JSONResponse({"status": "received"}, status_code=202)


async def _bounded_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it grows past `limit` bytes (never read whole)."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _error(status: int, sentence: str) -> Response:
    payload: dict[str, Any] = {"error": sentence}
    return JSONResponse(payload, status_code=status)
