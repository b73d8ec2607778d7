"""Organize's session state: the draft being edited and the key that opened it; nothing durable.

Frames, versions, remixes and moderation live in the gallery. A session only holds the draft
until it is published, the key the organizer typed (or was just given), and one-shot notices.
Every key is prefixed `org_`.
"""
from __future__ import annotations

import contextlib
import copy
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from app_pages import caching
from app_pages.i18n import t
from app_pages.ui import plain
from frames import FrameRemixError
from gallery.drafts import SavedDraft, load_draft, save_draft
from gallery.keys import new_key

DRAFT, KEY, NEW_KEY, GEN, FLASH = "org_draft", "org_key", "org_new_key", "org_gen", "org_flash"
DRAFT_PARAM, DRAFT_KEY, SAVED = "draft", "org_draft_key", "org_saved"  # link parameter, its key, what was saved
LAST_GOOD = "org_last_good"  # the draft's last version without problems: its preview stays, dimmed, meanwhile


@dataclass
class Draft:
    """A frame being edited: manifest tables, asset bytes, and what was last published of it."""

    data: dict[str, Any]
    assets: dict[str, bytes]
    in_gallery: bool
    source: bytes = b""  # the manifest it started from: its comments and layout are kept when written
    base: dict[str, Any] = field(default_factory=dict)
    base_assets: dict[str, bytes] = field(default_factory=dict)

    @property
    def frame_id(self) -> str:
        return str(self.data.get("id", ""))

    @property
    def changed(self) -> bool:
        """True when there is something to publish (a draft not yet in the gallery always has)."""
        def strip(d):
            return {k: v for k, v in d.items() if k != "version"}
        return not self.in_gallery or strip(self.data) != strip(self.base) or self.assets != self.base_assets

    def mark_published(self) -> None:
        """What is in the draft now is what the gallery holds."""
        self.base, self.base_assets = copy.deepcopy(self.data), dict(self.assets)


def draft() -> Draft | None:
    """The draft of this session, or the one the page's link names (after a reload or a lost connection)."""
    current = st.session_state.get(DRAFT)
    link_key = st.query_params.get(DRAFT_PARAM)
    if current is None and link_key:
        saved = load_draft(caching.store(), link_key)
        if saved is None:
            st.warning(t("That draft link is unknown or too old: start a new frame or open one you own."))
            del st.query_params[DRAFT_PARAM]
            return None
        current = Draft(saved.data, dict(saved.assets), saved.in_gallery, saved.source)
        _start(current, link_key)
        if saved.in_gallery:
            current.base = {}  # what the gallery holds is not known here: offer to publish it
        st.session_state[SAVED] = _fingerprint(current)
    return current


def set_draft(d: Draft, key: str | None = None) -> None:
    """Start editing `d` (forgetting the previous draft's widgets); `key` is what opens it in the gallery.

    The draft gets its own draft key, put in the page's link, and is kept in the gallery at once.
    """
    _start(d, new_key())
    keep(d)
    if key is not None:
        st.session_state[KEY] = key


def _start(d: Draft, draft_key: str) -> None:
    d.mark_published()
    st.session_state[DRAFT] = d
    st.session_state[DRAFT_KEY] = draft_key
    st.query_params[DRAFT_PARAM] = draft_key
    st.session_state.pop(LAST_GOOD, None)
    bump()


def keep(d: Draft) -> None:
    """Save the draft in the gallery when it changed since it was last saved (one small write)."""
    fingerprint = _fingerprint(d)
    if st.session_state.get(SAVED) == fingerprint or not st.session_state.get(DRAFT_KEY):
        return
    save_draft(caching.store(), st.session_state[DRAFT_KEY], SavedDraft(d.data, d.source, d.in_gallery, d.assets))
    st.session_state[SAVED] = fingerprint


def _fingerprint(d: Draft) -> str:
    digest = hashlib.sha256(json.dumps(d.data, sort_keys=True, ensure_ascii=False).encode())
    for name in sorted(d.assets):
        digest.update(name.encode() + hashlib.sha256(d.assets[name]).digest())
    digest.update(b"1" if d.in_gallery else b"0")
    return digest.hexdigest()


def bump() -> None:
    """New widget keys: after a structural change the widgets are rebuilt from the draft."""
    st.session_state[GEN] = st.session_state.get(GEN, 0) + 1


def wkey(place: str) -> str:
    return f"org_{st.session_state.get(GEN, 0)}_{place}"


def owner_key() -> str | None:
    return st.session_state.get(KEY)


def flash(text: str, where: str = "top") -> None:
    """A success notice for the next run (after st.rerun), shown where the organizer acted."""
    st.session_state[FLASH] = (where, text)


def show_flash(where: str = "top") -> None:
    if st.session_state.get(FLASH, ("", ""))[0] == where:
        st.success(plain(st.session_state.pop(FLASH)[1]))


@contextlib.contextmanager
def sentences() -> Iterator[None]:
    """Show a FrameRemixError as one st.error per problem (each one sentence, never Markdown); nothing else escapes."""
    try:
        yield
    except FrameRemixError as exc:
        for problem in exc.problems:
            st.error(plain(str(problem)))
