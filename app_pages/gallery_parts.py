"""The Gallery page's pieces: the filtered grid with keyset paging, and one remix's view.

Reads go through the gallery core; the page only lays them out. Participant words are shown
with `plain` (never as Markdown or HTML).
"""
from __future__ import annotations

import streamlit as st

from app_pages import caching
from app_pages.federation_ui import delete_reach_note, remote_children_lines
from app_pages.i18n import N_, t
from app_pages.reporter import reporter_identity
from app_pages.ui import plain, share_link, show_error
from frames import FrameRemixError
from gallery import delete_remix, list_remixes, remix_lineage, report_remix, search
from gallery.models import Page, RemixDetail, RemixRef, RemixSummary
from gallery.packs import lineage_statuses

COLUMNS = 4
PAGE = 24
ADAPTED_STATUS = {"verified": N_("verified"), "claimed": N_("claimed")}  # gallery.packs.adapted_from_status


def grid() -> None:
    """Filters, search, a page of cards, and next/previous buttons (cursor stack in the session)."""
    frame, place, lang, query = _filters()
    signature = (frame, place, lang, query)
    if st.session_state.get("gal_filters") != signature:
        st.session_state["gal_filters"], st.session_state["gal_cursors"] = signature, [None]
    cursors: list[int | None] = st.session_state["gal_cursors"]
    try:
        page = _page(frame, place, lang, query, cursors[-1])
    except FrameRemixError as exc:
        show_error(exc)
        return
    if not page.items:
        st.info(t("No remixes here yet. Be the first: open Make and publish yours."))
        return
    _cards(page.items)
    _pager(page, cursors)


def _filters() -> tuple[str | None, str, str | None, str]:
    frames = {f.id: f.title for f in caching.frames()}
    wanted = st.query_params.get("frame")
    options = [None, *frames]
    cols = st.columns([2, 2, 1])
    frame = cols[0].selectbox("Frame", options, index=options.index(wanted) if wanted in frames else 0,
                              format_func=lambda i: "All frames" if i is None else frames[i], key="gal_frame")
    place = cols[1].text_input("Place", key="gal_place", placeholder="e.g. Lisbon")
    lang = cols[2].selectbox("Language", [None, *caching.gallery_languages()], key="gal_lang",
                             format_func=lambda v: "Any" if v is None else v)
    query = st.text_input("Search the stories", key="gal_query", placeholder="a word from a story, a title or a place")
    return frame, place.strip(), lang, query.strip()


def _page(frame: str | None, place: str, lang: str | None, query: str, cursor: int | None) -> Page:
    store = caching.store()
    if query:
        return search(store, query, frame=frame, place=place or None, lang=lang, cursor=cursor, limit=PAGE)
    return list_remixes(store, frame=frame, place=place or None, lang=lang, cursor=cursor, limit=PAGE)


def _cards(items: tuple[RemixSummary, ...]) -> None:
    for start in range(0, len(items), COLUMNS):
        for col, item in zip(st.columns(COLUMNS), items[start:start + COLUMNS]):
            with col.container(border=True):
                thumb = caching.remix_thumbnail(item.id)
                if thumb:
                    st.image(thumb[0], alt=thumb[1], width="stretch")
                st.caption(plain(f"{item.credit_name} · {item.place or 'somewhere'} · {item.frame_title}"))
                open_button(t("Open"), item.id, key=f"gal_open_{item.id}")


def open_button(label: str, remix_id: str, key: str, kind: str = "secondary") -> None:
    """Open a remix on this page *through the address bar* (`?remix=ID`).

    A page_link to the page it is on shows the remix once but leaves the address at /gallery, so
    the next click (Remix this, Send report) reran without `remix` and fell back to the grid.
    Setting st.query_params writes the address, so every later rerun, a reload, a copied
    address and the browser's back button all see the remix.
    """
    st.button(label, key=key, type=kind, on_click=_show_remix, args=(remix_id,))  # type: ignore[arg-type]


def _show_remix(remix_id: str) -> None:
    st.query_params.clear()
    st.query_params["remix"] = remix_id


def _pager(page: Page, cursors: list[int | None]) -> None:
    left, right = st.columns(2)
    if len(cursors) > 1 and left.button("← Newer", key="gal_prev"):
        cursors.pop()
        st.rerun()
    if page.next_cursor is not None and right.button("Older →", key="gal_next"):
        cursors.append(page.next_cursor)
        st.rerun()


def remix_view(remix_id: str, delete_key: str | None) -> None:
    """One remix: images with alt text, post texts, credits, lineage, share, remix this, report."""
    st.button(t("← Back to the gallery"), key="gal_back", type="tertiary", on_click=st.query_params.clear)
    try:
        detail = caching.remix_detail(remix_id)
    except FrameRemixError as exc:
        st.title("Gallery")
        st.warning(plain(str(exc)[:1].upper() + str(exc)[1:]))
        if delete_key:  # waiting for approval, reported or hidden: its maker can still delete it
            _delete_box(remix_id, delete_key, [])
        return
    s = detail.summary
    st.title(plain(s.frame_title))
    st.caption(plain(detail.credits.line))
    if delete_key:
        _delete_box(remix_id, delete_key, [i.format for i in detail.images])
    left, right = st.columns([3, 2], gap="large")
    with left:
        _images(detail)
    with right:
        _actions(detail)
        _texts(detail)
        _lineage(remix_id)
        _report(remix_id)


def _images(detail: RemixDetail) -> None:
    tabs = st.tabs([i.format for i in detail.images])
    for tab, info in zip(tabs, detail.images):
        with tab:
            data = caching.remix_image(detail.summary.id, info.format)
            st.image(data, alt=info.alt, width="stretch")
            st.caption("Alt text: " + plain(info.alt))


def _actions(detail: RemixDetail) -> None:
    s = detail.summary
    st.caption(t("Share link"))
    st.code(share_link(s.id), language=None, wrap_lines=True)
    if st.button(t("Remix this"), type="primary", key="gal_remix_this"):
        st.switch_page("app_pages/make.py", query_params={"remix": s.id})


def _texts(detail: RemixDetail) -> None:
    with st.expander(t("Post text")):
        for platform, text in detail.post.items():
            st.caption(platform)
            st.code(text, language=None, wrap_lines=True)


def _lineage(remix_id: str) -> None:
    try:
        lineage = remix_lineage(caching.store(), remix_id)
    except FrameRemixError:
        return
    st.subheader("Lineage")
    for ref in lineage.ancestors:
        _ref_line("Based on", ref)
    frame_line = f"Frame: {lineage.frame_id} v{lineage.frame_version}"
    statuses = lineage_statuses(caching.store(), lineage.frame_id, lineage.frame_version, lineage.frame_ancestors)
    for source, status in zip(lineage.frame_ancestors, statuses):
        verb = "says it adapts" if source.claimed else "adapted from"
        frame_line += f" · {verb} “{source.title or source.id}” v{source.version}"
        frame_line += f" ({t(ADAPTED_STATUS[status])})" if status else ""
    st.caption(plain(frame_line))
    st.page_link("app_pages/make.py", label="Make your own with this frame", query_params={"frame": lineage.frame_id})
    for ref in lineage.descendants:
        _ref_line("Remixed by", ref)
    elsewhere = remote_children_lines(remix_id)  # remixes of it made on followed instances
    if not lineage.ancestors and not lineage.descendants and not elsewhere:
        st.caption("No remixes of this one yet.")


def _ref_line(prefix: str, ref: RemixRef) -> None:
    if ref.removed:
        st.caption(f"{prefix}: a removed remix")
    elif ref.page_url:  # on another instance: linked there, not opened here
        st.link_button(plain(f"{prefix}: {ref.label}"), ref.page_url, type="tertiary")
    else:
        open_button(plain(f"{prefix}: {ref.label}"), ref.id, key=f"gal_ref_{ref.id}", kind="tertiary")


def _delete_box(remix_id: str, key: str, formats: list[str]) -> None:
    """Delete only after a second, explicit yes: the link may be opened by a stray tap."""
    st.warning(t("This is your private delete link. Deleting removes the images, words, name and place for good."))
    delete_reach_note()
    if st.session_state.get("gal_delete_asked") != remix_id:
        st.button(t("Delete my remix"), key="gal_delete", on_click=_ask_delete, args=(remix_id,))
        return
    st.markdown("**" + plain(t("Delete this remix for good? This cannot be undone.")) + "**")
    yes, no = st.columns(2)
    no.button(t("Keep it"), key="gal_delete_no", on_click=_ask_delete, args=(None,))
    if yes.button(t("Yes, delete it"), key="gal_delete_yes", type="primary"):
        try:
            delete_remix(caching.store(), remix_id, key)
        except FrameRemixError as exc:
            show_error(exc)
            return
        caching.forget_remix(remix_id, formats)  # its bytes leave this process's caches too
        st.session_state.pop("gal_delete_asked", None)
        st.success(t("Deleted. Nothing of it is shown any more."))
        st.stop()


def _ask_delete(remix_id: str | None) -> None:
    st.session_state["gal_delete_asked"] = remix_id


def _report(remix_id: str) -> None:
    with st.expander(t("Report this remix")):
        reporter, address = reporter_identity()
        reason = st.text_input(t("What is wrong with it?"), key="gal_report_reason", max_chars=300)
        if st.button(t("Send report"), key="gal_report"):
            try:
                report_remix(caching.store(), remix_id, reporter, reason, address=address)
            except FrameRemixError as exc:
                show_error(exc)
            else:
                st.success(t("Thank you. The organizer will review it."))
