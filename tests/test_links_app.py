"""The app's side of the way back: a QR link with `&lang=` opens the Make page in that language."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import streamlit as st

    monkeypatch.setenv("FRAME_REMIX_DATA", str(tmp_path))
    monkeypatch.setenv("FRAME_REMIX_PUBLIC_URL", "https://remix.example")
    st.cache_resource.clear()
    st.cache_data.clear()
    return tmp_path


def test_a_link_with_lang_opens_the_frame_in_that_language() -> None:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["frame"] = "clean-air"
    at.query_params["lang"] = "es"
    at.run()
    assert not at.exception
    assert at.selectbox(key="make_lang_clean-air").value == "es"
    code = [c.value for c in at.code]
    assert any("https://remix.example/?frame=clean-air&lang=es" in c for c in code), code


def test_an_unknown_lang_is_ignored() -> None:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["frame"] = "clean-air"
    at.query_params["lang"] = "xx"
    at.run()
    assert not at.exception and at.selectbox(key="make_lang_clean-air").value == "en"
