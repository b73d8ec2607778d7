"""What every page of the app gets around it: the language (app_pages/i18n.py) and style fixes.

Captions: Streamlit draws them in a faded grey that axe-core measures below WCAG AA's 4.5:1 on
white; they take the text colour at 80 % instead (about 7:1 in the light theme and still
readable in the dark one, as it follows the theme's own text colour).
"""
from __future__ import annotations

import streamlit as st

from app_pages import i18n

_CSS = """
<style>
[data-testid=stCaptionContainer], [data-testid=stWidgetLabel] [data-testid=stCaptionContainer] {
  color: inherit; opacity: .8; }
</style>
"""


def setup() -> None:
    """Style shared by every page (a style element only; it takes no room), and the language."""
    st.html(_CSS)
    i18n.begin()


def finish() -> None:
    """After the page ran: give <html> the language it was drawn in (and rtl for Arabic)."""
    i18n.mark_page()
