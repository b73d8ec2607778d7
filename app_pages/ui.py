"""Small helpers every page shares: showing participant text safely, links, one-sentence errors.

Participant text must never be interpreted as Markdown or HTML, yet st.markdown, st.caption
and st.info all parse Markdown; `plain` escapes it so the text shows exactly as typed.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

import streamlit as st

from app_pages import caching
from gallery.config import request_base_url

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$<&:])")


def plain(text: str) -> str:
    """Text for st.markdown/st.caption that renders exactly as typed (no Markdown, HTML or LaTeX)."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "  \n")


PAGE_PATHS = ("gallery", "organize")  # the url_path of every page but the default one (streamlit_app.py)


def public_url() -> str:
    """This instance's address: FRAME_REMIX_PUBLIC_URL when set, else the address the browser is
    using, so links work on any host and port. `st.context.url` ends with the page being shown
    (`/gallery`), which is not part of the instance's address; a proxy's X-Forwarded-Proto/Host
    count only when FRAME_REMIX_TRUSTED_PROXY says a proxy sets them (else anyone could pick
    the address baked into published QR codes)."""
    settings = caching.settings()
    try:
        headers = dict(st.context.headers) if settings.trust_proxy else {}
        here = request_base_url(st.context.url or "", headers)
    except Exception:  # noqa: BLE001 - no browser request (AppTest, a bare script run): use the default
        here = ""
    return settings.base_url(strip_page(here))


def strip_page(url: str) -> str:
    """'https://host/sub/gallery' -> 'https://host/sub': the instance's address without the page."""
    for path in PAGE_PATHS:
        if url.endswith("/" + path):
            return url[: -len(path) - 1]
    return url


def app_link(page: str = "", **params: str) -> str:
    """An absolute link into this instance (see `public_url`), e.g. app_link("gallery", remix=id)."""
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{public_url()}/{page}" + (f"?{query}" if query else "")


def share_link(remix_id: str) -> str:
    """The link to paste into social apps: a small page with the remix's preview image."""
    return f"{public_url()}/share/{remix_id}"


def show_error(error: Exception | str) -> None:
    """One sentence per problem in a red box, shown as typed (error sentences may quote input).

    Participants see the sentences without their places (`story:`): the field is right there.
    """
    problems = getattr(error, "problems", None)
    lines = [p.message for p in problems] if problems else [str(error)]
    st.error(plain("\n".join(line[:1].upper() + line[1:] for line in lines)))
