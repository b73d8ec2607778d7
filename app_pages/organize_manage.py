"""Organize, after editing: publish a version, keep the owner key, moderate remixes, see reach, get the pack.

Everything here reads or writes the gallery; the session only carries the key that opens the frame.
"""
from __future__ import annotations

from typing import Literal

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import caching
from app_pages.i18n import N_, t
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
STATUS_NAMES = {"pending": N_("pending"), "reported": N_("reported"), "hidden": N_("hidden"), "published": N_("published")}
NONE = {"pending": N_("No pending remixes."), "reported": N_("No reported remixes."), "hidden": N_("No hidden remixes."),
        "published": N_("No published remixes.")}
NONE_ON_PAGE = {"pending": N_("No pending remixes on this page."), "reported": N_("No reported remixes on this page."),
                "hidden": N_("No hidden remixes on this page."), "published": N_("No published remixes on this page.")}
ACTION_NAMES = {"approve": N_("Approve"), "hide": N_("Hide"), "restore": N_("Restore")}
VALUE_AXIS = N_("remixes")  # the charts' value axis (the data column), translated where drawn
PAGE = 20


def _status_name(status: str) -> str:
    """A remix status in the app's language (one the app does not know, as stored)."""
    return t(STATUS_NAMES[status]) if status in STATUS_NAMES else status


def key_banner() -> None:
    """The owner key of a frame just created, shown once: only its hash is stored."""
    shown = st.session_state.get(NEW_KEY)
    if not shown:
        return
    frame_id, key = shown
    with st.container(border=True):
        st.warning(t("This is the owner key of '{frame}'. It is shown only now: copy it and keep it somewhere "
                     "safe. Without it nobody can publish new versions or moderate this frame's remixes.").format(frame=frame_id))
        st.code(key, language=None, wrap_lines=True)
        link = frame_link(public_url(), frame_id)
        st.markdown(t("Share your frame: {link}").format(link=f"[{link}]({link})"))
        if st.button(t("I have saved my key"), key="org_key_saved"):
            del st.session_state[NEW_KEY]
            st.rerun()


def publish_panel(draft: Draft, frame: Frame | None) -> None:
    st.subheader(t("Publish"))
    show_flash("publish")
    if frame is None:
        st.caption(t("Fix the problems above to publish."))
        return
    if frame.id in bundled_ids():
        st.caption(t("This frame comes with frame-remix and cannot take new versions here; fork it to change it."))
        return
    if not draft.changed:
        st.caption(t("Nothing has changed since version {version}; edit something to publish a new version.").format(
            version=frame.version - 1))
        return
    if draft.in_gallery and not owner_key():  # a draft found again by its link: the key was not kept with it
        typed = st.text_input(t("Owner key of this frame (to publish a new version)"), type="password", key="org_pub_key")
        if typed.strip():
            st.session_state[KEY] = typed.strip()
    label = t("Publish version {version}").format(version=frame.version) if draft.in_gallery else t("Publish this frame")
    st.caption(t("Remixes made earlier keep pointing at the version they used."))
    if st.button(label, type="primary", key="org_publish"):
        with sentences():
            _publish(draft, frame)


def _publish(draft: Draft, frame: Frame) -> None:
    if not draft.in_gallery and frame.id in {i.id for i in caching.frames()}:
        raise GalleryError(t("a frame with the id '{frame}' already exists here; this draft cannot take it").format(frame=frame.id))
    published = publish_frame(caching.store(), frame, None if not draft.in_gallery else owner_key())
    if published.owner_key:
        st.session_state[NEW_KEY] = (published.id, published.owner_key)
        st.session_state[KEY] = published.owner_key
    draft.in_gallery = True
    draft.mark_published()
    draft.data["version"] = published.version + 1
    bump()
    flash(t("Published '{frame}' version {version}.").format(frame=published.id, version=published.version), "publish")
    st.rerun()


def manage_panel(frame_id: str) -> None:
    """Moderation (with the key), reach and the frame pack of a frame in the gallery."""
    info = frame_info(caching.store(), frame_id)
    st.header(t("'{frame}' in the gallery").format(frame=frame_id))
    appear = t("remixes appear after approval") if info.moderation == "approve" else t("remixes appear at once")
    st.text(f"{info.title} · " + t("version {version}").format(version=info.latest_version) + f" · {appear}")
    moderation, reach, pack = st.tabs([t("Moderation"), t("Reach"), t("Frame pack")])
    with moderation, sentences():
        _moderation(frame_id, info.moderation)
    with reach, sentences():
        _reach(frame_id)
    with pack, sentences():
        _pack(frame_id, info.latest_version)


def _moderation(frame_id: str, mode: str) -> None:
    key = owner_key()
    waits = waiting(caching.store(), frame_id, key)
    st.markdown(t("Waiting for you: {counts}").format(
        counts=" · ".join(f"**{n}** {_status_name(status)}" for status, n in waits.items())))
    status = st.selectbox(t("Show remixes that are"), STATUSES, index=0 if mode == "approve" else 3, key="org_mod_status",
                          format_func=lambda s: f"{_status_name(s)} ({waits[s]})" if s in waits else _status_name(s))
    st.button(t("Check for new remixes"), key="org_mod_refresh")
    show_flash("moderation")
    cursors: list[int | None] = st.session_state.setdefault(f"org_mod_pages_{status}", [None])
    page = list_remixes(caching.store(), frame=frame_id, status=status, key=key, limit=PAGE, cursor=cursors[-1])
    if not page.items:
        st.caption(t(NONE_ON_PAGE[status] if len(cursors) > 1 else NONE[status]))
    for remix in page.items:
        _remix_card(remix, key)
    back, forward = st.columns(2)
    if len(cursors) > 1 and back.button(t("Newer"), key="org_mod_newer"):
        cursors.pop()
        st.rerun()
    if page.next_cursor is not None and forward.button(t("Older"), key="org_mod_older"):
        cursors.append(page.next_cursor)
        st.rerun()
    with st.expander(t("Moderation log")):
        entries = moderation_log(caching.store(), frame_id, key, limit=50)
        st.dataframe(pd.DataFrame([(e.created[:16], e.action, e.reason, e.actor) for e in entries],
                                  columns=[t("when"), t("action"), t("reason"), t("by")]), hide_index=True)


def _remix_card(remix, key: str | None) -> None:
    with st.container(border=True):
        thumb_column, words = st.columns([1, 2])
        with thumb_column, sentences():
            thumb = caching.remix_thumbnail(remix.id, key=key)
            if thumb:
                st.image(thumb[0], alt=thumb[1] or t("a remix"), width=180)
        with words:
            st.text(remix.story or t("(no text)"))
            st.text(t("by {name}").format(name=remix.credit_name)
                    + f" · {remix.place or t('no place')} · {remix.language} · {remix.created[:16]}")
            if remix.status == "reported":
                for reason in open_reports(caching.store(), remix.id, key):
                    st.text(t("Reported: {reason}").format(reason=reason))
            reason = st.text_input(t("Reason (kept in the moderation log)"), key=f"org_reason_{remix.id}")
            allowed = [action for action in ACTIONS if remix.status in ACTIONS[action][0]]
            for column, action in zip(st.columns(len(allowed)), allowed):
                kind: Literal["primary", "secondary"] = "primary" if action != "hide" else "secondary"
                pressed = column.button(t(ACTION_NAMES[action]), key=f"org_{action}_{remix.id}", type=kind, width="stretch")
                if pressed:
                    with sentences():  # the error stays in this card; the rest of the queue still shows
                        new = moderate(caching.store(), remix.id, action, key, reason)
                        flash(t("The remix by {name} is {status} now.").format(name=remix.credit_name, status=_status_name(new)),
                              "moderation")
                        st.rerun()


def _reach(frame_id: str) -> None:
    """The participation ladder at a glance: how many, where, in which languages, and who took it further."""
    c = counts(caching.store(), frame_id)
    up = ladder(caching.store(), frame_id)
    cells = st.columns(5)
    for cell, (label, value) in zip(cells, ((t("Remixes"), c.remixes), (t("Places"), c.places),
                                            (t("Languages"), len(c.languages)),
                                            (t("Remixes of remixes"), up.remixes_of_remixes),
                                            (t("Forks by other chapters"), len(up.forks)))):
        cell.metric(label, value)
    if not c.remixes:
        st.caption(t("No published remixes yet."))
    else:
        per_day = pd.DataFrame(list(reversed(c.per_day)), columns=["day", "remixes"])
        st.altair_chart(_bars(per_day, "day", "remixes", t("Remixes per day")), width="stretch")
        left, right = st.columns(2)
        if c.top_places:
            left.altair_chart(_bars(pd.DataFrame(list(c.top_places), columns=["place", "remixes"]), "place", "remixes",
                                    t("Places"), horizontal=True), width="stretch")
        else:
            left.caption(t("No remix names its place yet."))
        right.altair_chart(_bars(pd.DataFrame(list(c.languages.items()), columns=["language", "remixes"]), "language",
                                 "remixes", t("Languages"), horizontal=True), width="stretch")
    if up.forks:
        st.caption(t("Forked as: {frames}").format(frames=", ".join(up.forks)))


def _bars(frame: pd.DataFrame, category: str, value: str, title: str, *, horizontal: bool = False) -> alt.Chart:
    """One small bar chart with a title, readable on a phone (labels never rotated)."""
    kind = "O" if category == "day" else "N"  # days in order, one bar each
    cat = (alt.Y(f"{category}:{kind}", sort="-x", title=None) if horizontal
           else alt.X(f"{category}:{kind}", title=None, axis=alt.Axis(labelAngle=0)))
    num = alt.X(f"{value}:Q", title=t(value)) if horizontal else alt.Y(f"{value}:Q", title=t(value))
    chart = alt.Chart(frame, title=title).mark_bar(color="#d6336c")
    return chart.encode(cat, num, tooltip=[f"{category}:{kind}", f"{value}:Q"]).properties(height=220)


def _pack(frame_id: str, version: int) -> None:
    st.caption(t("A frame pack (frame.toml and its images) moves this frame to another frame-remix instance."))
    st.download_button(t("Download the frame pack (version {version})").format(version=version), lambda: pack_frame(caching.store(), frame_id, version),
                       file_name=f"{frame_id}-v{version}.zip", mime="application/zip", key="org_pack")
