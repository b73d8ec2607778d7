"""Gallery: published remixes, newest first, with filters, search and a page per remix. (Being built.)"""
import streamlit as st

st.title("Gallery")
