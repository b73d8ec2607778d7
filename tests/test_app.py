"""The Streamlit app through its entrypoint (AppTest): pages render, errors are one sentence."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.samples import phone_jpeg

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def app() -> AppTest:
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["frame"] = "ride-the-bus"
    return at


def test_make_page_shows_a_preview_for_every_format(app: AppTest) -> None:
    app.run()
    assert not app.exception and not app.error
    assert [t.label for t in app.tabs] == ["square", "story", "card"]
    assert len(app.image) == 3
    assert any("#RideTheBus" in c.value for c in app.code)


def test_deep_link_picks_the_frame(app: AppTest) -> None:
    app.query_params["frame"] = "ride-the-bus"
    app.run()
    assert app.selectbox(key="make_frame").value == "ride-the-bus"


def test_unknown_deep_link_warns_and_falls_back(app: AppTest) -> None:
    app.query_params["frame"] = "nope"
    app.run()
    assert "There is no frame 'nope' here" in app.warning[0].value
    assert not app.exception


def test_empty_required_field_still_previews(app: AppTest) -> None:
    app.run()
    app.text_input(key="make_ride-the-bus_city").set_value("").run()
    assert not app.exception and len(app.image) == 3


def test_bad_photo_is_one_sentence(app: AppTest) -> None:
    app.run()
    app.file_uploader(key="make_ride-the-bus_photo").set_value(("me.jpg", b"not a photo" * 50, "image/jpeg")).run()
    assert not app.exception
    assert len(app.error) == 1 and "\n" not in app.error[0].value
    assert "JPEG, PNG or WebP" in app.error[0].value


def test_good_photo_is_accepted(app: AppTest) -> None:
    app.run()
    app.file_uploader(key="make_ride-the-bus_photo").set_value(("me.jpg", phone_jpeg(1200, 900), "image/jpeg")).run()
    assert not app.exception and not app.error
    assert "Uploaded me.jpg" in app.success[0].value
