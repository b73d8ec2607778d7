"""Instances that follow each other: keys, signed records, feeds, following and deletes that arrive.

See docs/federation.md for the design (v1 here; v2 on ActivityPub on paper). Nothing here imports
streamlit; the app's routes and the CLI are thin shells over these modules.
"""
