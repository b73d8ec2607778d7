"""What every page of the app gets around it: the language (app_pages/i18n.py) and style fixes
(caption contrast, and the collapsed sidebar in right-to-left pages).

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
/* Right to left (Arabic): Streamlit hides a collapsed sidebar by sliding it a sidebar's width to
   the left, which with dir=rtl slides it over the page (its links sat on the page's title). */
html[dir=rtl] [data-testid=stSidebar][data-collapsed=true] { visibility: hidden; }
/* Streamlit aligns headings and Markdown text to the left itself; with dir=rtl they start at the right. */
html[dir=rtl] :is(h1, h2, h3, h4, h5, h6, [data-testid=stMarkdownContainer] :is(p, li), [data-testid=stCaptionContainer]) {
  text-align: start; }
</style>
"""


def setup() -> None:
    """Style shared by every page (a style element only; it takes no room), and the language."""
    st.html(_CSS)
    i18n.begin()


def finish() -> None:
    """After the page ran: give <html> the language it was drawn in (and rtl for Arabic)."""
    i18n.mark_page()
