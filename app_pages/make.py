"""Make: pick a frame (or arrive by ?frame= / ?remix=), fill it in, add a photo, preview every
format, download, copy the post text, and publish to the gallery with consent."""
import streamlit as st

from app_pages import make_parts
from app_pages.i18n import t

st.title(t("Make your own"))
choice = make_parts.chosen_frame()
if choice is None:
    make_parts.frame_cards()
else:
    make_parts.editor(*choice)
