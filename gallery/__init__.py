"""The collection of published remixes: storage, credits, lineage, moderation, export.

Never imports streamlit.
"""
