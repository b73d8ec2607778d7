"""The Make page on one screen: on a phone the preview (format switch, photo pad, Share) stays
pinned at the top while the participant types below it; on a wide screen the fields and the
preview sit side by side, the preview following the scroll.

Streamlit's columns stack on a phone with the preview a screen away from the fields, and a
sticky element only sticks inside its own parent, so the page puts the preview and the fields
in one keyed container (`make_stage`) and lays it out with CSS keyed on those containers (on the wrappers Streamlit puts around
them, which are the grid's and the sticky element's real boxes).
"""
from __future__ import annotations

import streamlit as st

PHONE_MAX = 640  # px: Streamlit stacks columns below this width too



def _wrapper(key: str) -> str:
    """The element Streamlit wraps a keyed container in: the one that must stick or be placed."""
    return f"[data-testid=stLayoutWrapper]:has(> .st-key-{key})"


_CSS = f"""
<style>
@media (max-width: {PHONE_MAX}px) {{
  /* a field scrolled to (focus, typing) lands below the pinned preview, not under it */
  html, [data-testid=stMain], [data-testid=stAppViewContainer] {{ scroll-padding-top: 25rem; }}
  {_wrapper("make_preview")} {{ position: sticky; top: 3.5rem; z-index: 20; gap: .25rem;
    background: var(--st-background-color, #fff); padding: .25rem 0 .35rem;
    box-shadow: 0 8px 8px -8px rgba(0, 0, 0, .35); }}
}}
@media (min-width: {PHONE_MAX + 1}px) {{
  .st-key-make_stage {{ display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr);
    column-gap: 2.5rem; align-items: start; }}
  {_wrapper("make_inputs")} {{ grid-column: 1; grid-row: 1; }}
  {_wrapper("make_preview")} {{ grid-column: 2; grid-row: 1; position: sticky; top: 3.5rem; z-index: 2; }}
}}
/* Every typed word reruns the Make page's fragment: nothing in it dims while it reruns (on a slow
   connection the very field being typed in would fade). */
.st-key-make_stage [data-stale=true] {{ opacity: 1 !important; transition: none !important; }}
</style>
"""


def one_screen() -> None:
    """Add the Make page's layout rules (a style element only; it takes no room on the page)."""
    st.html(_CSS)
