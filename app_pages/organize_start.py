"""Organize, first step: a new frame from a bundled starter, a fork of a gallery frame, or a frame you own."""
from __future__ import annotations

import re

import streamlit as st

from app_pages import caching
from app_pages.i18n import N_, t
from app_pages.organize_state import NEW_KEY, Draft, flash, sentences, set_draft
from app_pages.ui import public_url
from frames import Frame
from frames.bundled import bundled_frame, bundled_ids
from frames.editing import manifest_data, starter_data
from frames.starters import starter_frame, starter_ids
from gallery import GalleryError, fork_frame, get_frame
from gallery.framestore import authorize_frame

_FRAME_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
ID_HELP = N_("2 to 63 lowercase letters, digits and '-'; it becomes the frame's link (?frame=ID).")


def start_panel(thumbnails: bool = True) -> None:
    """Three ways to get a draft to edit (the starters' thumbnails only where no draft is open)."""
    new, fork, mine = st.tabs([t("New from a starter"), t("Fork a frame"), t("Open my frame")])
    with new:
        _from_starter(thumbnails)
    with fork:
        _fork()
    with mine:
        _open()


def _starter(starter_id: str) -> Frame:
    """A starter, or one of the bundled example frames (they make good starters too)."""
    return starter_frame(starter_id) if starter_id in starter_ids() else bundled_frame(starter_id)


def _from_starter(thumbnails: bool) -> None:
    ids = [*starter_ids(), *bundled_ids()]
    with st.container(key="org_starter_grid"):
        for column, starter_id in zip(st.columns(3) * 2 if thumbnails else [], starter_ids()):
            frame = starter_frame(starter_id)
            column.image(caching.starter_thumbnail(starter_id), caption=frame.title, width=220,
                         alt=t("The starter '{title}': {description}").format(title=frame.title,
                                                                               description=frame.manifest.description))
    starter = st.selectbox(t("Starter"), ids, format_func=lambda i: _starter(i).title, key="org_starter")
    new_id = st.text_input(t("Id of your new frame"), placeholder="my-campaign", help=t(ID_HELP), key="org_new_id")
    organizer = st.text_input(t("Organizer name"), placeholder=t("Your group's name"), key="org_organizer")
    if st.button(t("Start editing"), key="org_start"):
        with sentences():
            frame_id = _free_id(new_id)
            source = _starter(starter)
            set_draft(Draft(starter_data(source, frame_id, organizer), dict(source.assets), in_gallery=False,
                            source=source.manifest_bytes))
            st.rerun()


def _fork() -> None:
    infos = caching.frames()
    titles = {i.id: i.title for i in infos}
    source = st.selectbox(t("Frame to fork"), list(titles), format_func=lambda i: f"{titles[i]} ({i})", key="org_fork_src")
    new_id = st.text_input(t("Id of your fork"), placeholder="my-fork", help=t(ID_HELP), key="org_fork_id")
    st.caption(t("Forking publishes a copy under your id at once, credits the original and gives you its owner key."))
    if st.button(t("Fork"), key="org_fork") and source:
        with sentences():
            published = fork_frame(caching.store(), source, _free_id(new_id), instance=public_url())
            st.session_state[NEW_KEY] = (published.id, published.owner_key)
            _open_frame(published.id, published.owner_key or "")
            flash(t("Forked '{source}' as '{frame}'. Edit it below and publish version 2 when ready.").format(
                source=source, frame=published.id))
            st.rerun()


def _open() -> None:
    titles = {i.id: i.title for i in caching.frames()}
    frame_id = st.selectbox(t("Your frame"), list(titles), format_func=lambda i: f"{titles[i]} ({i})", key="org_open_id")
    key = st.text_input(t("Owner key (or the instance's admin key)"), type="password", key="org_open_key")
    if st.button(t("Open"), key="org_open") and frame_id:
        with sentences():
            if not key.strip():
                raise GalleryError(t("paste the owner key you got when the frame was published"))
            authorize_frame(caching.store().read(), frame_id, key.strip(), caching.settings().admin_key)
            _open_frame(frame_id, key.strip())
            st.rerun()


def _open_frame(frame_id: str, key: str) -> None:
    """Edit the latest version of a stored frame; publishing the draft makes the next version."""
    frame = get_frame(caching.store(), frame_id)
    data = manifest_data(frame)
    draft = Draft(data, dict(frame.assets), in_gallery=True, source=frame.manifest_bytes)
    set_draft(draft, key)
    draft.data["version"] = frame.version + 1


def _free_id(raw: str) -> str:
    frame_id = raw.strip().lower()
    if not _FRAME_ID.match(frame_id):
        raise GalleryError(t("give your frame an id of 2 to 63 lowercase letters, digits and '-', like my-campaign"))
    if frame_id in bundled_ids() or frame_id in {i.id for i in caching.frames()}:
        raise GalleryError(t("a frame with the id '{frame}' already exists here; choose another id").format(frame=frame_id))
    return frame_id
