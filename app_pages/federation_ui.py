"""Federation in the app: the operator's Peers section on Organize, and remixes made on followed
instances in the Gallery (cards credited to their maker and home, linked there; children in a
remix's lineage). A thin shell: every action is one call of `gallery.federation.follow` or
`.remote`, every sentence from the core is shown as it comes (one sentence, no traceback).
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable

import streamlit as st

from app_pages import caching
from app_pages.i18n import N_, t
from app_pages.ui import plain, show_error
from frames import FrameRemixError
from gallery.federation.follow import Peer, add_peer, block_peer, confirm_key, list_peers, poll_peer, trust_peer
from gallery.federation.remote import (
    RemoteRemix,
    hide_remote,
    remote_children,
    remote_queue,
    remote_remixes,
    remote_thumb,
    report_remote,
)
from gallery.keys import is_admin

STATES = {"new": N_("new: its remixes wait here until you trust it"), "trusted": N_("trusted"),
          "blocked": N_("blocked")}
REMOTE_COLUMNS = 4
REMOTE_PAGE = 12
DELETE_REACH = N_("Instances that follow this gallery delete their copy the next time they check. Copies on hosts "
                  "outside their allowlist cannot be forced to delete.")


# --- Organize: Peers (instance admin) ----------------------------------------------------------------


def peers_section() -> None:
    """Follow other instances by address, trust them, confirm a key change, block, poll now."""
    with st.expander(t("Peers: other instances this gallery follows (instance admin)")):
        key = st.text_input(t("Instance admin key"), type="password", key="fed_admin_key").strip()
        if not key:
            st.caption(t("Following is by allowlist only: nothing comes from an instance you did not add."))
            return
        if not is_admin(key, caching.settings().admin_key):
            st.error(t("That is not this instance's admin key."))
            return
        _add_form(key)
        peers = list_peers(caching.store())
        if not peers:
            st.caption(t("No peers yet."))
        for peer in peers:
            _peer_panel(peer, key)
        _queue(key)
        _shown(key)


def _add_form(key: str) -> None:
    with st.form("fed_add", clear_on_submit=True, border=False):
        url = st.text_input(t("Instance address"), placeholder="https://remix.example.org", key="fed_add_url")
        if st.form_submit_button(t("Follow")):
            try:
                peer = add_peer(caching.store(), url, key=key)
            except FrameRemixError as exc:
                show_error(exc)
            else:
                st.success(plain(t("Following {host}; its key {key} is pinned. Trust it to show its remixes.")
                                 .format(host=peer.host, key=peer.key_id)))


def _peer_panel(peer: Peer, key: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{plain(peer.host)}** · {plain(t(STATES[peer.state]))}")
        st.caption(plain(t("key {key} · {shown} shown, {waiting} waiting, {hidden} hidden · last poll: {when}").format(
            key=peer.key_id, shown=peer.published, waiting=peer.pending, hidden=peer.hidden,
            when=peer.last_poll or t("never"))))
        if peer.last_error:
            st.caption(plain(t("Last error: {error}").format(error=peer.last_error)))
        if peer.pending_key_id:
            st.warning(plain(t("This instance now shows another key: {old} before, {new} now. Nothing is taken from it "
                               "until you confirm. Confirm only if its operator told you the key changed.")
                             .format(old=peer.key_id, new=peer.pending_key_id)))
        _peer_buttons(peer, key)


def _peer_buttons(peer: Peer, key: str) -> None:
    cols = st.columns(4)
    slug = peer.host.replace(":", "_").replace(".", "_")
    actions: list[tuple[str, Callable[..., Peer], str]] = []
    if peer.pending_key_id:
        actions.append((t("Confirm new key"), confirm_key, f"fed_confirm_{slug}"))
    if peer.state != "trusted":
        actions.append((t("Trust"), trust_peer, f"fed_trust_{slug}"))
    if peer.state != "blocked":
        actions.append((t("Block"), block_peer, f"fed_block_{slug}"))
    for col, (label, action, widget) in zip(cols, actions):
        if col.button(label, key=widget):
            _run(action, peer.url, key)
    if peer.state != "blocked" and cols[len(actions)].button(t("Poll now"), key=f"fed_poll_{slug}"):
        with st.spinner(t("Reading its feed…")):
            result = poll_peer(caching.store(), peer.url)
        st.session_state["fed_polled"] = (peer.url, result.stored, result.tombstones, result.error)
        st.rerun()
    polled = st.session_state.get("fed_polled")
    if polled and polled[0] == peer.url:
        st.caption(plain(t("Polled: {kept} kept, {deleted} deleted.").format(kept=polled[1], deleted=polled[2])
                         + (" " + polled[3] if polled[3] else "")))


def _run(action: Callable[..., Peer], url: str, key: str) -> None:
    try:
        action(caching.store(), url, key=key)
    except FrameRemixError as exc:
        show_error(exc)
    else:
        st.rerun()


def _queue(key: str) -> None:
    waiting = remote_queue(caching.store(), key=key)
    if waiting:
        st.markdown("**" + plain(t("Waiting until you trust their instance")) + "**")
        _remote_cards(waiting, thumbs=False)


def _shown(key: str) -> None:
    """The newest remote remixes shown in the gallery, each with Hide (here only; Report tells its home)."""
    shown = remote_remixes(caching.store(), limit=REMOTE_PAGE)
    if shown:
        st.markdown("**" + plain(t("Shown in the gallery from other instances")) + "**")
        _remote_cards(shown, thumbs=False, admin_key=key)


# --- Gallery ----------------------------------------------------------------------------------------------


def remote_grid(frame_id: str | None) -> None:
    """Remixes made on followed instances (of this gallery's frames and their forks), newest first,
    a page at a time (a new frame filter starts again at the first page)."""
    if st.session_state.get("fed_grid_frame") != frame_id:
        st.session_state["fed_grid_frame"], st.session_state["fed_grid_offset"] = frame_id, 0
    offset = st.session_state.get("fed_grid_offset", 0)
    items = remote_remixes(caching.store(), frame_id=frame_id, limit=REMOTE_PAGE + 1, offset=offset)
    if not items:
        return
    st.subheader(t("Made on other instances"))
    _remote_cards(items[:REMOTE_PAGE])
    left, right = st.columns(2)
    if offset and left.button(t("← Newer"), key="fed_grid_newer"):
        st.session_state["fed_grid_offset"] = max(0, offset - REMOTE_PAGE)
        st.rerun()
    if len(items) > REMOTE_PAGE and right.button(t("Older →"), key="fed_grid_older"):
        st.session_state["fed_grid_offset"] = offset + REMOTE_PAGE
        st.rerun()


def _remote_cards(items: list[RemoteRemix], *, thumbs: bool = True, admin_key: str | None = None) -> None:
    for start in range(0, len(items), REMOTE_COLUMNS):
        for col, item in zip(st.columns(REMOTE_COLUMNS), items[start:start + REMOTE_COLUMNS]):
            with col.container(border=True):
                if thumbs and item.has_thumb:
                    with contextlib.suppress(FrameRemixError):  # purged since the list was read
                        st.image(remote_thumb(caching.store(), item.instance, item.remix_id), width="stretch",
                                 alt=f"{item.frame_title} · {item.credit_name}")
                st.caption(plain(f"{item.credit_name} · {item.place or '…'} · {item.frame_title}"))
                st.caption(plain(t("on {host}").format(host=item.host)))
                st.link_button(t("Open on {host}").format(host=item.host), item.page, type="tertiary")
                if admin_key:
                    _hide_button(item, admin_key)
                elif thumbs:
                    _report_popover(item)


def _slug(item: RemoteRemix) -> str:
    return f"{item.host}_{item.remix_id}".replace(":", "_").replace(".", "_")


def _hide_button(item: RemoteRemix, key: str) -> None:
    if st.button(t("Hide here"), key=f"fed_hide_{_slug(item)}"):
        try:
            hide_remote(caching.store(), item.instance, item.remix_id, key=key)
        except FrameRemixError as exc:
            show_error(exc)
        else:
            st.rerun()


def _report_popover(item: RemoteRemix) -> None:
    """Anyone may tell a remix's home what is wrong with it; its home decides."""
    with st.popover(t("Report")):
        reason = st.text_input(t("What is wrong with it?"), key=f"fed_reason_{_slug(item)}", max_chars=300)
        if st.button(t("Send to {host}").format(host=item.host), key=f"fed_report_{_slug(item)}"):
            try:
                report_remote(caching.store(), item.instance, item.remix_id, reason)
            except FrameRemixError as exc:
                show_error(exc)
            else:
                st.success(t("Sent to {host}. Its organizers will review it.").format(host=item.host))


def remote_children_lines(remix_id: str) -> int:
    """'Remixed on <host> by <maker>' lines in a remix's lineage, linked to their home; returns how many."""
    children = remote_children(caching.store(), remix_id)
    for child in children:
        label = t("Remixed on {host} by {maker}").format(host=child.host, maker=child.credit_name)
        st.link_button(plain(label), child.page, type="tertiary")
    return len(children)


def delete_reach_note() -> None:
    """What a delete can and cannot reach, said plainly where people decide to delete."""
    st.caption(t(DELETE_REACH))
