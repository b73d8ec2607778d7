"""The app's own words in the participant's language: gettext catalogues, chosen per session.

Catalogues: app_pages/locale/<lang>/LC_MESSAGES/app.po (edited by translators) and the
compiled app.mo next to it (read at run time by the standard library's gettext). Babel
extracts and compiles them (a dev/test dependency):

    .venv/bin/pybabel extract -k t -k N_ --no-location -o app_pages/locale/app.pot app_pages streamlit_app.py
    .venv/bin/pybabel update -D app -i app_pages/locale/app.pot -d app_pages/locale
    .venv/bin/pybabel compile -D app -d app_pages/locale

The language: `?lang=` when it names one we have, else the frame language the participant
picked on the Make page, else the browser's (st.context.locale), else English. The page's
<html> gets `lang`, and `dir="rtl"` for Arabic, so screen readers and the layout follow.
Frame words (labels, help, titles) come from the frame's own translations, not from here;
the render's credit words have their own `render` domain under remix/.
"""
from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

import streamlit as st

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "app"
LANGUAGES = ("en", "ar", "es", "hi")
RTL = frozenset({"ar", "he", "fa", "ur"})
SESSION_KEY = "app_lang"

_set_page_lang = st.components.v2.component(
    "frame_remix.page_lang",
    js="""export default function ({ data }) {
  document.documentElement.lang = data.lang;
  document.documentElement.dir = data.dir;
}""",
)


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)


def _supported(lang: str | None) -> str | None:
    base = (lang or "").replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


PAGE_KEY = "app_lang_page"


def choose(frame_lang: str | None = None) -> str:
    """Pick this session's language (see the module docstring) and remember it.

    A frame language the participant picked wins (when we have it), then `?lang=`, then the
    session's earlier choice, then the browser's.
    """
    lang = (_supported(frame_lang) or _supported(st.query_params.get("lang"))
            or _supported(st.session_state.get(SESSION_KEY)) or _supported(_browser_locale()) or "en")
    st.session_state[SESSION_KEY] = lang
    return lang


def begin() -> str:
    """At the start of a whole-page run: choose the language the page is drawn in."""
    frame_lang = st.session_state.get(f"make_lang_{st.query_params.get('frame')}")
    st.session_state[PAGE_KEY] = lang = choose(frame_lang)
    return lang


def current_page() -> str:
    """The language this page was drawn in (a fragment rerun may have chosen another since)."""
    return st.session_state.get(PAGE_KEY) or "en"


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except (AttributeError, RuntimeError):  # no browser (AppTest, bare mode)
        return None


def current() -> str:
    return st.session_state.get(SESSION_KEY) or "en"


def N_(message: str) -> str:  # gettext's own name for "mark only"
    """Mark a sentence for the catalogue where it is defined; translate it with t() where shown."""
    return message


def t(message: str) -> str:
    """The app's sentence in the session's language (English when it has no translation yet)."""
    return _catalogue(current()).gettext(message)


def mark_page() -> None:
    """Give the page's <html> the session's lang and direction."""
    lang = current()
    _set_page_lang(key="app_page_lang", data={"lang": lang, "dir": "rtl" if lang in RTL else "ltr"})
