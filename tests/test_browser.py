"""A participant's journey in a real browser: deep link, upload a photo, preview, download."""
from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from tests.samples import phone_jpeg

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "out" / "screenshots"


@pytest.mark.parametrize("page", [390, 1280], indirect=True)
def test_participant_makes_a_remix_from_a_deep_link(server: str, page, tmp_path: Path) -> None:
    width = page.viewport_size["width"]
    page.goto(f"{server}/?frame=ride-the-bus")
    page.get_by_text("Make your own").wait_for()
    page.get_by_role("img").first.wait_for()

    photo = tmp_path / "me.jpg"
    photo.write_bytes(phone_jpeg(1600, 1200, orientation=6))
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_text("Uploaded me.jpg").wait_for()

    city = page.get_by_role("textbox", name="Your town or city")
    city.fill("Valparaíso")
    city.press("Enter")
    page.get_by_text("Why I ride the bus in Valparaíso").first.wait_for()

    with page.expect_download() as info:
        page.get_by_role("button", name="Download square").click()
    saved = tmp_path / "square.jpg"
    info.value.save_as(saved)
    image = Image.open(saved)
    assert image.size == (1080, 1080) and not image.getexif()
    assert b"GPS" not in saved.read_bytes()

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"make-{width}.png"), full_page=True)
    assert "Traceback" not in page.content()
