"""The app's side of the way back: a QR link with `&lang=` opens the Make page in that language."""
from __future__ import annotations

import pytest

from tests.drive import app_test

pytestmark = pytest.mark.usefixtures("app_env")


def test_a_link_with_lang_opens_the_frame_in_that_language() -> None:
    at = app_test()
    at.query_params["frame"] = "clean-air"
    at.query_params["lang"] = "es"
    at.run()
    assert not at.exception
    assert at.selectbox(key="make_lang_clean-air").value == "es"
    code = [c.value for c in at.code]
    assert any("https://remix.example/?frame=clean-air&lang=es" in c for c in code), code


def test_an_unknown_lang_is_ignored() -> None:
    at = app_test()
    at.query_params["frame"] = "clean-air"
    at.query_params["lang"] = "xx"
    at.run()
    assert not at.exception and at.selectbox(key="make_lang_clean-air").value == "en"
