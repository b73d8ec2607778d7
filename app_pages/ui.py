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


def public_url() -> str:
    """This instance's address: FRAME_REMIX_PUBLIC_URL when set, else the address the browser is
    using (through a proxy's X-Forwarded-Proto/Host), so links work on any host and port."""
    try:
        here = request_base_url(st.context.url or "", dict(st.context.headers))
    except Exception:  # noqa: BLE001 - no browser request (AppTest, a bare script run): use the default
        here = ""
    return caching.settings().base_url(here)


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
