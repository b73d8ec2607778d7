"""The instance's address, always right: the app started on a random port WITHOUT
FRAME_REMIX_PUBLIC_URL bakes the address the browser used into the QR code (decoded), the post
text, the share and delete links, and the share page's og:image and forward link."""
from __future__ import annotations

import os
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from tests.conftest import running_app
from tests.test_browser import publish, settled

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def unset_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`streamlit run` on a free port with no public URL configured; yields (base URL, log file)."""
    log = tmp_path_factory.mktemp("unset") / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if k != "FRAME_REMIX_PUBLIC_URL"}
    env["FRAME_REMIX_DATA"] = str(tmp_path_factory.mktemp("data"))
    with running_app(env, log) as base:
        yield base, log


def test_links_follow_the_address_the_app_is_served_on(unset_server, page, tmp_path: Path) -> None:
    base, log = unset_server
    assert "FRAME_REMIX_PUBLIC_URL is not set" in log.read_text()
    page.goto(f"{base}/?frame=ride-the-bus")
    city = page.get_by_role("textbox", name="Your town or city")
    city.fill("Lyon")
    city.press("Enter")
    story = page.get_by_role("textbox", name="Why you ride")
    story.fill("The C3 crosses the river before the sun is up.")
    story.press("Control+Enter")
    page.get_by_text("Why I ride the bus in Lyon").first.wait_for()
    settled(page)  # the download buttons of the run that drew this text are on the page now
    page.locator("code", has_text=f"{base}/?frame=ride-the-bus").first.wait_for()  # the post texts, once drawn

    with page.expect_download() as info:
        page.get_by_role("button", name="Download square").click()
    info.value.save_as(tmp_path / "square.jpg")
    square = Image.open(tmp_path / "square.jpg")
    small = square.resize((360, 360), Image.Resampling.LANCZOS)
    assert [r.text for r in zxingcpp.read_barcodes(small)] == [f"{base}/?frame=ride-the-bus"]

    publish(page)  # through the "Add a photo?" question: this remix has none
    share = page.locator("code", has_text="/share/").first.inner_text().strip()
    assert re.fullmatch(re.escape(base) + r"/share/[\w-]+", share), share
    delete_link = page.locator("code", has_text=f"{base}/gallery?remix=")
    delete_link.first.wait_for()
    assert delete_link.count() == 1  # the private delete link
    remix_id = share.rsplit("/", 1)[1]
    with urllib.request.urlopen(share, timeout=10) as response:
        html = response.read().decode()
    assert f'<meta property="og:image" content="{base}/share/{remix_id}/image">' in html
    assert f"url={base}/gallery?remix={remix_id}" in html
