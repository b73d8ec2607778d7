"""The federation's HTTP face, served next to the app: thin Starlette routes over `gallery.federation`.

Each route maps a request to one function of the core and its answer to JSON or bytes; nothing
here decides anything a follower or an operator relies on.
"""
from __future__ import annotations

import re
from functools import partial

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from app_pages.share import base_url
from frames import FrameRemixError
from gallery import Settings, open_store
from gallery.federation.wellknown import WELL_KNOWN_PATH, well_known
from gallery.packs import pack_zip

_PACK_ID = re.compile(r"^sha256-[0-9a-f]{64}$")
_VARY = "Host, X-Forwarded-Host, X-Forwarded-Proto"  # the document's URLs follow the host it was asked on


def federation_routes(settings: Settings) -> list[Route]:
    """The routes other instances call (well-known document, feed, records, packs, reports)."""
    return [
        Route(WELL_KNOWN_PATH, partial(well_known_document, settings=settings)),
        Route("/federation/packs/{pack_id}.zip", partial(pack_download, settings=settings)),
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
