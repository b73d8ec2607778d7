"""Who is reporting a remix: a random per-browser token kept in a cookie, and the client's address.

`id(st.session_state)` is the same object id in every session of a process and the User-Agent
is whatever the browser says, so neither tells people apart. The token is made on the server
(`secrets`), kept in this session, and written to a first-party cookie by a tiny component
(only if the browser has none yet), so the same browser keeps its token on later visits; the
address is the connection's peer, or the last X-Forwarded-For address (the one the proxy appended)
when the operator says a reverse proxy sets it (FRAME_REMIX_TRUSTED_PROXY). The gallery core counts and limits
reports per address (`gallery.report_remix`), so a fresh token alone changes nothing.
"""
from __future__ import annotations

import re
import secrets

import streamlit as st

from app_pages import caching
from gallery import client_address

COOKIE = "frame_remix_reporter"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{24,64}$")
_SET_COOKIE_JS = """
export default function ({ data }) {
  const name = data.name;
  if (!document.cookie.split("; ").some((c) => c.startsWith(name + "="))) {
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = `${name}=${data.token}; Max-Age=31536000; Path=/; SameSite=Lax${secure}`;
  }
}
"""
_set_cookie = st.components.v2.component("frame_remix_reporter_cookie", js=_SET_COOKIE_JS)


def reporter_identity() -> tuple[str, str]:
    """(token, address) of the person in this session; mounts the cookie writer when needed."""
    token = _text(st.context.cookies.get(COOKIE))
    if not _TOKEN.match(token):
        token = st.session_state.setdefault("gal_reporter_token", secrets.token_urlsafe(32))
        _set_cookie(data={"name": COOKIE, "token": token}, key="gal_reporter_cookie")
    peer, forwarded = _text(st.context.ip_address), _text(st.context.headers.get("X-Forwarded-For"))
    return token, client_address(peer or None, forwarded or None, trust_proxy=caching.settings().trust_proxy)


def _text(value: object) -> str:
    """A context value as text ('' when absent, or not text as under AppTest)."""
    return value if isinstance(value, str) else ""
