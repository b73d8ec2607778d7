"""Gallery: published remixes, newest first, with filters and search; ?remix=ID opens one,
with its images, texts, credits and lineage, a share link and "remix this"."""
import streamlit as st

from app_pages import gallery_parts
from app_pages.federation_ui import remote_grid
from app_pages.i18n import t

remix_id = st.query_params.get("remix")
if remix_id:
    gallery_parts.remix_view(remix_id, st.query_params.get("delete"))
else:
    st.title(t("Gallery"))
    gallery_parts.grid()
    remote_grid(st.session_state.get("gal_frame"))  # made on followed instances, linked to their home
