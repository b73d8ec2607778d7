"""What every page of the app gets before it runs: style fixes that hold on every page.

Captions: Streamlit draws them in a faded grey that axe-core measures below WCAG AA's 4.5:1 on
white; they take the text colour at 80 % instead (about 7:1 in the light theme and still
readable in the dark one, as it follows the theme's own text colour).
"""
from __future__ import annotations

import streamlit as st

_CSS = """
<style>
[data-testid=stCaptionContainer], [data-testid=stWidgetLabel] [data-testid=stCaptionContainer] {
  color: inherit; opacity: .8; }
</style>
"""


def setup() -> None:
    """Style shared by every page (a style element only; it takes no room)."""
    st.html(_CSS)
