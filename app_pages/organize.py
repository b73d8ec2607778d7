"""Organize: create, fork or open a frame, edit it with a live preview, publish; moderate, see reach, get the pack."""
import streamlit as st

from app_pages import organize_state as state
from app_pages.federation_ui import peers_section
from app_pages.i18n import t
from app_pages.organize_edit import editor
from app_pages.organize_manage import key_banner, manage_panel, publish_panel
from app_pages.organize_start import start_panel


@st.fragment
def edit(draft: state.Draft) -> None:
    """Editor, preview and publish rerun alone while the organizer types; the gallery parts stay put."""
    edited = editor(draft)
    with state.sentences():
        state.keep(draft)  # a reload, a lost connection or a restarted server finds it again (?draft=KEY)
    with edited.side:
        publish_panel(draft, edited.frame)


st.title(t("Organize"))
st.caption(t("Make a frame people can remix: start from an example or fork one, edit it, publish it."))
state.show_flash()
key_banner()

draft = state.draft()
if draft is None:
    start_panel()
else:
    with st.expander(t("Start another frame or open one you own")):
        start_panel(thumbnails=False)
    st.header(t("Editing '{frame}'").format(frame=draft.frame_id))
    edit(draft)
    if draft.in_gallery:
        with state.sentences():
            manage_panel(draft.frame_id)

peers_section()  # the instance admin's allowlist of followed instances
