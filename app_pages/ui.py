"""Small helpers every page shares: showing participant text safely, links, one-sentence errors.

Participant text must never be interpreted as Markdown or HTML, yet st.markdown, st.caption
and st.info all parse Markdown; `plain` escapes it so the text shows exactly as typed.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

import streamlit as st

from remix.qr import public_url

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$<&:])")


def plain(text: str) -> str:
    """Text for st.markdown/st.caption that renders exactly as typed (no Markdown, HTML or LaTeX)."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "  \n")


def app_link(page: str = "", **params: str) -> str:
    """An absolute link into this instance (FRAME_REMIX_PUBLIC_URL), e.g. app_link("gallery", remix=id)."""
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
