"""Organize, after editing: publish a version, keep the owner key, moderate remixes, see reach, get the pack.

Everything here reads or writes the gallery; the session only carries the key that opens the frame.
"""
from __future__ import annotations

from typing import Literal

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import caching
from app_pages.organize_state import (
    KEY,
    NEW_KEY,
    Draft,
    bump,
    flash,
    owner_key,
    sentences,
    show_flash,
)
from app_pages.ui import public_url
from frames import Frame
from frames.bundled import bundled_ids
from gallery import (
    GalleryError,
    counts,
    frame_info,
    list_remixes,
    moderate,
    moderation_log,
    open_reports,
    pack_frame,
    publish_frame,
)
from gallery.moderation import ACTIONS
from gallery.reach import ladder, waiting
from remix.qr import frame_link

STATUSES = ("pending", "reported", "hidden", "published")
PAGE = 20


def key_banner() -> None:
    """The owner key of a frame just created, shown once: only its hash is stored."""
    shown = st.session_state.get(NEW_KEY)
    if not shown:
        return
    frame_id, key = shown
    with st.container(border=True):
        st.warning(f"This is the owner key of '{frame_id}'. It is shown only now: copy it and keep it somewhere "
                   "safe. Without it nobody can publish new versions or moderate this frame's remixes.")
        st.code(key, language=None, wrap_lines=True)
        link = frame_link(public_url(), frame_id)
        st.markdown(f"Share your frame: [{link}]({link})")
        if st.button("I have saved my key", key="org_key_saved"):
            del st.session_state[NEW_KEY]
            st.rerun()


def publish_panel(draft: Draft, frame: Frame | None) -> None:
    st.subheader("Publish")
    show_flash("publish")
    if frame is None:
        st.caption("Fix the problems above to publish.")
        return
    if frame.id in bundled_ids():
        st.caption("This frame comes with frame-remix and cannot take new versions here; fork it to change it.")
        return
    if not draft.changed:
        st.caption(f"Nothing has changed since version {frame.version - 1}; edit something to publish a new version.")
        return
    if draft.in_gallery and not owner_key():  # a draft found again by its link: the key was not kept with it
        typed = st.text_input("Owner key of this frame (to publish a new version)", type="password", key="org_pub_key")
        if typed.strip():
            st.session_state[KEY] = typed.strip()
    label = f"Publish version {frame.version}" if draft.in_gallery else "Publish this frame"
    st.caption("Remixes made earlier keep pointing at the version they used.")
    if st.button(label, type="primary", key="org_publish"):
        with sentences():
            _publish(draft, frame)


def _publish(draft: Draft, frame: Frame) -> None:
    if not draft.in_gallery and frame.id in {i.id for i in caching.frames()}:
        raise GalleryError(f"a frame with the id '{frame.id}' already exists here; this draft cannot take it")
    published = publish_frame(caching.store(), frame, None if not draft.in_gallery else owner_key())
    if published.owner_key:
        st.session_state[NEW_KEY] = (published.id, published.owner_key)
        st.session_state[KEY] = published.owner_key
    draft.in_gallery = True
    draft.mark_published()
    draft.data["version"] = published.version + 1
    bump()
    flash(f"Published '{published.id}' version {published.version}.", "publish")
    st.rerun()


def manage_panel(frame_id: str) -> None:
    """Moderation (with the key), reach and the frame pack of a frame in the gallery."""
    info = frame_info(caching.store(), frame_id)
    st.header(f"'{frame_id}' in the gallery")
    st.text(f"{info.title} · version {info.latest_version} · remixes appear "
            + ("after approval" if info.moderation == "approve" else "at once"))
    moderation, reach, pack = st.tabs(["Moderation", "Reach", "Frame pack"])
    with moderation, sentences():
        _moderation(frame_id, info.moderation)
    with reach, sentences():
        _reach(frame_id)
    with pack, sentences():
        _pack(frame_id, info.latest_version)


def _moderation(frame_id: str, mode: str) -> None:
    key = owner_key()
    waits = waiting(caching.store(), frame_id, key)
    st.markdown(" · ".join(f"**{n}** {status}" for status, n in waits.items()) + " waiting for you")
    status = st.selectbox("Show remixes that are", STATUSES, index=0 if mode == "approve" else 3, key="org_mod_status",
                          format_func=lambda s: f"{s} ({waits[s]})" if s in waits else s)
    st.button("Check for new remixes", key="org_mod_refresh")
    show_flash("moderation")
    cursors: list[int | None] = st.session_state.setdefault(f"org_mod_pages_{status}", [None])
    page = list_remixes(caching.store(), frame=frame_id, status=status, key=key, limit=PAGE, cursor=cursors[-1])
    if not page.items:
        st.caption(f"No {status} remixes" + (" on this page." if len(cursors) > 1 else "."))
    for remix in page.items:
        _remix_card(remix, key)
    back, forward = st.columns(2)
    if len(cursors) > 1 and back.button("Newer", key="org_mod_newer"):
        cursors.pop()
        st.rerun()
    if page.next_cursor is not None and forward.button("Older", key="org_mod_older"):
        cursors.append(page.next_cursor)
        st.rerun()
    with st.expander("Moderation log"):
        entries = moderation_log(caching.store(), frame_id, key, limit=50)
        st.dataframe(pd.DataFrame([(e.created[:16], e.action, e.reason, e.actor) for e in entries],
                                  columns=["when", "action", "reason", "by"]), hide_index=True)


def _remix_card(remix, key: str | None) -> None:
    with st.container(border=True):
        thumb_column, words = st.columns([1, 2])
        with thumb_column, sentences():
            thumb = caching.remix_thumbnail(remix.id, key=key)
            if thumb:
                st.image(thumb[0], alt=thumb[1] or "a remix", width=180)
        with words:
            st.text(remix.story or "(no text)")
            st.text(f"by {remix.credit_name} · {remix.place or 'no place'} · {remix.language} · {remix.created[:16]}")
            if remix.status == "reported":
                for reason in open_reports(caching.store(), remix.id, key):
                    st.text(f"Reported: {reason}")
            reason = st.text_input("Reason (kept in the moderation log)", key=f"org_reason_{remix.id}")
            allowed = [action for action in ACTIONS if remix.status in ACTIONS[action][0]]
            for column, action in zip(st.columns(len(allowed)), allowed):
                kind: Literal["primary", "secondary"] = "primary" if action != "hide" else "secondary"
                pressed = column.button(action.capitalize(), key=f"org_{action}_{remix.id}", type=kind, width="stretch")
                if pressed:
                    with sentences():  # the error stays in this card; the rest of the queue still shows
                        new = moderate(caching.store(), remix.id, action, key, reason)
                        flash(f"The remix by {remix.credit_name} is {new} now.", "moderation")
                        st.rerun()


def _reach(frame_id: str) -> None:
    """The participation ladder at a glance: how many, where, in which languages, and who took it further."""
    c = counts(caching.store(), frame_id)
    up = ladder(caching.store(), frame_id)
    cells = st.columns(5)
    for cell, (label, value) in zip(cells, (("Remixes", c.remixes), ("Places", c.places),
                                            ("Languages", len(c.languages)),
                                            ("Remixes of remixes", up.remixes_of_remixes),
                                            ("Forks by other chapters", len(up.forks)))):
        cell.metric(label, value)
    if not c.remixes:
        st.caption("No published remixes yet.")
    else:
        per_day = pd.DataFrame(list(reversed(c.per_day)), columns=["day", "remixes"])
        st.altair_chart(_bars(per_day, "day", "remixes", "Remixes per day"), width="stretch")
        left, right = st.columns(2)
        if c.top_places:
            left.altair_chart(_bars(pd.DataFrame(list(c.top_places), columns=["place", "remixes"]), "place", "remixes",
                                    "Places", horizontal=True), width="stretch")
        else:
            left.caption("No remix names its place yet.")
        right.altair_chart(_bars(pd.DataFrame(list(c.languages.items()), columns=["language", "remixes"]), "language",
                                 "remixes", "Languages", horizontal=True), width="stretch")
    if up.forks:
        st.caption("Forked as: " + ", ".join(up.forks))


def _bars(frame: pd.DataFrame, category: str, value: str, title: str, *, horizontal: bool = False) -> alt.Chart:
    """One small bar chart with a title, readable on a phone (labels never rotated)."""
    kind = "O" if category == "day" else "N"  # days in order, one bar each
    cat = (alt.Y(f"{category}:{kind}", sort="-x", title=None) if horizontal
           else alt.X(f"{category}:{kind}", title=None, axis=alt.Axis(labelAngle=0)))
    num = alt.X(f"{value}:Q", title=value) if horizontal else alt.Y(f"{value}:Q", title=value)
    chart = alt.Chart(frame, title=title).mark_bar(color="#d6336c")
    return chart.encode(cat, num, tooltip=[f"{category}:{kind}", f"{value}:Q"]).properties(height=220)


def _pack(frame_id: str, version: int) -> None:
    st.caption("A frame pack (frame.toml and its images) moves this frame to another frame-remix instance.")
    st.download_button(f"Download the frame pack (version {version})", lambda: pack_frame(caching.store(), frame_id, version),
                       file_name=f"{frame_id}-v{version}.zip", mime="application/zip", key="org_pack")
