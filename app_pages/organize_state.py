"""Organize's session state: the draft being edited and the key that opened it; nothing durable.

Frames, versions, remixes and moderation live in the gallery. A session only holds the draft
until it is published, the key the organizer typed (or was just given), and one-shot notices.
Every key is prefixed `org_`.
"""
from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from app_pages.ui import plain
from frames import FrameRemixError

DRAFT, KEY, NEW_KEY, GEN, FLASH = "org_draft", "org_key", "org_new_key", "org_gen", "org_flash"
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
        strip = lambda d: {k: v for k, v in d.items() if k != "version"}
        return not self.in_gallery or strip(self.data) != strip(self.base) or self.assets != self.base_assets

    def mark_published(self) -> None:
        """What is in the draft now is what the gallery holds."""
        self.base, self.base_assets = copy.deepcopy(self.data), dict(self.assets)


def draft() -> Draft | None:
    return st.session_state.get(DRAFT)


def set_draft(d: Draft, key: str | None = None) -> None:
    """Start editing `d` (forgetting the previous draft's widgets); `key` is what opens it in the gallery."""
    d.mark_published()
    st.session_state[DRAFT] = d
    st.session_state.pop(LAST_GOOD, None)
    if key is not None:
        st.session_state[KEY] = key
    bump()


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
