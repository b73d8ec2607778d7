"""Organize: create, fork, edit and publish frames; moderate; see reach. (Being built.)"""
import streamlit as st

st.title("Organize")
st.info("The organizer tools are being built.")
