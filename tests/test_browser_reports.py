"""Reporting in the real app: a per-browser token in a cookie plus the client's address (behind a
trusted proxy, X-Forwarded-For). Three people from three addresses hide a remix; one person
with fresh browsers from one address cannot."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import gallery
from frames import bundled_frame
from gallery import close_store, open_store
from tests.conftest import running_app

pytestmark = pytest.mark.browser
LIMIT = "Your network has already sent 1 report in the last hour, the most allowed; please try again later"


@pytest.fixture(scope="module")
def reports_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The app behind a (pretend) trusted proxy: threshold 3, one report per address an hour."""
    data = tmp_path_factory.mktemp("reports-data")
    env = {**os.environ, "FRAME_REMIX_DATA": str(data), "FRAME_REMIX_TRUSTED_PROXY": "1",
           "FRAME_REMIX_REPORT_THRESHOLD": "3", "FRAME_REMIX_REPORTS_PER_HOUR": "1"}
    with running_app(env, data / "streamlit.log") as base:
        yield base, data


def _publish(data: Path, city: str) -> str:
    store = open_store(data / "gallery.db")
    try:
        return gallery.publish_remix(store, bundled_frame("ride-the-bus"), {"city": city, "story": "Bus."},
                                     consent=True).id
    finally:
        close_store(store)


def _status(data: Path, remix_id: str) -> str:
    store = open_store(data / "gallery.db")
    try:
        return gallery.remix_ref(store, remix_id).status
    finally:
        close_store(store)


def _report(browser, base: str, remix_id: str, address: str, user_agent: str) -> tuple[str, str]:
    """Report from a fresh browser (new cookies) at `address`; returns (cookie token, what the app said)."""
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": address}, user_agent=user_agent)
    context.set_default_timeout(45_000)
    try:
        page = context.new_page()
        page.goto(f"{base}/gallery?remix={remix_id}")
        page.get_by_text("Report this remix").click()
        page.wait_for_function("document.cookie.includes('frame_remix_reporter=')")
        token = next(c["value"] for c in context.cookies() if c["name"] == "frame_remix_reporter")
        page.get_by_role("textbox", name="What is wrong with it?").fill("hateful")
        page.get_by_role("button", name="Send report").click()
        said = page.get_by_text("Thank you. The organizer will review it.").or_(page.get_by_text("Your network has already sent"))
        said.first.wait_for()
        return token, said.first.inner_text()
    finally:
        context.close()


def test_three_people_count_one_person_with_new_tokens_does_not(reports_server, browser) -> None:
    base, data = reports_server
    target = _publish(data, "Lisbon")
    tokens = []
    for i in (1, 2, 3):
        token, said = _report(browser, base, target, f"198.51.100.{i}", "Mozilla/5.0 same browser")
        assert said == "Thank you. The organizer will review it."
        tokens.append(token)
    assert len(set(tokens)) == 3 and all(len(t) >= 24 for t in tokens)
    assert _status(data, target) == "reported"

    other = _publish(data, "Porto")
    first_token, said = _report(browser, base, other, "203.0.113.7", "Browser A")
    assert said == "Thank you. The organizer will review it."
    second_token, said = _report(browser, base, other, "203.0.113.7", "Browser B")
    assert second_token != first_token
    assert LIMIT in said
    assert _status(data, other) == "published"


def test_the_cookie_token_is_kept_across_visits(reports_server, browser) -> None:
    base, data = reports_server
    remix_id = _publish(data, "Faro")
    context = browser.new_context(extra_http_headers={"X-Forwarded-For": "192.0.2.44"})
    context.set_default_timeout(45_000)
    try:
        page = context.new_page()
        page.goto(f"{base}/gallery?remix={remix_id}")
        page.get_by_text("Report this remix").click()
        page.wait_for_function("document.cookie.includes('frame_remix_reporter=')")
        first = [c for c in context.cookies() if c["name"] == "frame_remix_reporter"]
        page.reload()
        page.get_by_text("Report this remix").click()
        page.get_by_role("button", name="Send report").wait_for()
        assert [c for c in context.cookies() if c["name"] == "frame_remix_reporter"] == first
        assert first[0]["sameSite"] == "Lax" and first[0]["path"] == "/"
    finally:
        context.close()
