"""A remix whose parent lives on another instance, as the gallery page and the credits show it."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from frames import bundled_frame
from gallery import get_remix, open_store, publish_remix

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import streamlit as st

    monkeypatch.setenv("FRAME_REMIX_DATA", str(tmp_path))
    monkeypatch.setenv("FRAME_REMIX_PUBLIC_URL", "https://remix.example")
    st.cache_resource.clear()
    st.cache_data.clear()
    return tmp_path


def test_a_remote_parent_is_linked_to_its_own_instance(data_dir: Path) -> None:
    store = open_store(data_dir / "gallery.db")
    child = publish_remix(store, bundled_frame("ride-the-bus"), {"city": "Lyon", "story": "Le 7."}, consent=True,
                          remix_of="Par3nt_id", remix_of_instance="https://chapter.example")
    assert get_remix(store, child.id).credits.line.endswith("based on a remix on chapter.example")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["remix"] = child.id
    at.switch_page("app_pages/gallery.py").run()
    assert not at.exception
    links = [e.proto for e in at.get("link_button")]
    assert [(b.label.replace("\\", ""), b.url) for b in links] == \
        [("Based on: a remix on chapter.example", "https://chapter.example/share/Par3nt_id")]
