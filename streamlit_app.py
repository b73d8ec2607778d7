"""The browser app's router: page config and navigation only; pages live in app_pages/."""
import streamlit as st

st.set_page_config(page_title="frame-remix", page_icon="🖼️", layout="wide")
page = st.navigation([st.Page("app_pages/make.py", title="Make", icon="✏️", default=True)])
page.run()
