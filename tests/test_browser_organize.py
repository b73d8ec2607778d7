"""An organizer's journey in a real browser: fork a frame, publish a version, approve a pending remix."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gallery import get_frame, get_remix, open_store, publish_remix
from remix import RenderOptions

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "out" / "screenshots"


def pick(page, label: str, option: str) -> None:
    """Choose an option of a Streamlit selectbox by its visible label."""
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option).click()


def full_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main container, so grow the viewport to the content before shooting."""
    width = page.viewport_size["width"]
    height = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain] *, [data-testid=stMain]')]"
                           ".map(e => e.scrollHeight))")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 9000)})
    page.wait_for_timeout(500)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def type_in(page, label: str, text: str) -> None:
    box = page.get_by_role("textbox", name=label)
    box.fill(text)
    box.press("Enter")


@pytest.mark.parametrize("page", [390, 1280], indirect=True)
def test_organizer_forks_publishes_and_approves(server: str, server_data: Path, page) -> None:
    width = page.viewport_size["width"]
    fork_id = f"care-fork-{width}"
    page.goto(f"{server}/organize")
    page.get_by_role("tab", name="Fork a frame").click()
    pick(page, "Frame to fork", "Care counts (care-counts)")
    type_in(page, "Id of your fork", fork_id)
    page.get_by_role("button", name="Fork", exact=True).click()
    page.get_by_text("It is shown only now").wait_for()
    assert len(page.locator("[data-testid=stCode]").first.inner_text().strip()) >= 30
    page.get_by_text(f"?frame={fork_id}").first.wait_for()

    page.get_by_role("tab", name="Words").click()
    type_in(page, "Title", "Care counts in Leeds")
    page.get_by_role("button", name="Publish version 2").click()
    page.get_by_text(f"Published '{fork_id}' version 2.").wait_for()

    store = open_store(server_data / "gallery.db")
    values = {"quote": "Twelve-hour shifts and a smile at the end.", "role": "nurse", "city": "Leeds"}
    remix = publish_remix(store, get_frame(store, fork_id), values, consent=True, options=RenderOptions(maker="Ana"), place="Leeds")
    assert remix.status == "pending"

    page.get_by_role("button", name="Check for new remixes").click()
    page.get_by_text(values["quote"], exact=True).wait_for()
    page.get_by_role("img").first.wait_for()
    type_in(page, "Reason (kept in the moderation log)", "welcome words")
    full_screenshot(page, SHOTS / f"organize-{width}.png")
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("The remix by Ana is published now.").wait_for()
    assert get_remix(store, remix.id).summary.status == "published"

    page.get_by_role("tab", name="Reach").click()
    page.get_by_text("remixes per day").first.wait_for()

    page.get_by_role("tab", name="Frame pack").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the frame pack (version 2)").click()
    with zipfile.ZipFile(info.value.path()) as pack:
        assert "Care counts in Leeds" in pack.read("frame.toml").decode()
    assert "Traceback" not in page.content()
