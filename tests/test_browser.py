"""User journeys in a real browser: the real `streamlit run` server driven by headless Chromium.

1. A participant arrives by a deep link, uploads a photo, downloads an image, copies the post
   text, publishes, and finds the remix in the gallery.
2. A visitor opens a shared remix link (the Open Graph page forwards to the gallery) and uses
   "Remix this"; the new remix records where it came from.
"""
from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest
from PIL import Image

from tests.samples import phone_jpeg

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "out" / "screenshots"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def settled(page) -> None:
    """Wait until the server has finished the script run in progress.

    Why the download journey failed ~3 runs in 10: the new words appear (alt text, caption)
    before the same run has redrawn the download buttons below them, and each run replaces
    the buttons' deferred-download addresses; a click on a button of the previous run asks for
    an address the server just dropped, and no download comes. The app's own sign that the run
    is over is the `data-test-script-state` of its root element.
    """
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()


def publish(page) -> str:
    """Tick consent, publish, and return the new remix's id from its share link."""
    page.get_by_text("Show my remix publicly in the gallery").click()
    page.get_by_role("button", name="Publish").click()
    done, anyway = page.get_by_text("Published! Your remix is in the gallery."), page.get_by_role("button", name="Publish without a photo")
    done.or_(anyway).wait_for()  # a photo frame without a photo asks first
    if anyway.is_visible():
        anyway.click()
    done.wait_for()
    share = page.locator("code", has_text="/share/").first.inner_text()
    return share.strip().rsplit("/", 1)[1]


@pytest.mark.parametrize("page", [390, 1280], indirect=True)
def test_participant_makes_and_publishes_a_remix(server: str, page, tmp_path: Path) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page.goto(f"{server}/?frame=ride-the-bus")
    page.get_by_text("Why I ride the bus").first.wait_for()

    photo = tmp_path / "me.jpg"
    photo.write_bytes(phone_jpeg(1600, 1200, orientation=6))
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_text("Uploaded me.jpg").wait_for()

    city = page.get_by_role("textbox", name="Your town or city")
    city.fill("Valparaíso")
    city.press("Enter")
    story = page.get_by_role("textbox", name="Why you ride")
    story.fill("The 612 climbs the hills so my mother can reach the market.")
    story.press("Control+Enter")
    page.get_by_text("Why I ride the bus in Valparaíso").first.wait_for()
    page.locator("code", has_text="The 612 climbs the hills").first.wait_for()  # the last field's run has drawn
    settled(page)  # the download buttons of the run that drew this text are on the page now

    with page.expect_download() as info:
        page.get_by_role("button", name="Download square").click()
    saved = tmp_path / "square.jpg"
    info.value.save_as(saved)
    image = Image.open(saved)
    assert image.size == (1080, 1080) and not image.getexif()
    assert b"GPS" not in saved.read_bytes()

    post = page.locator("[data-testid='stCode']", has_text="Why I ride the bus in Valparaíso").first
    post.hover()
    post.get_by_role("button", name="Copy to clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Why I ride the bus in Valparaíso") and "#RideTheBus" in copied

    shoot(page, "make")
    remix_id = publish(page)
    page.get_by_text("Keep this private link").wait_for()

    page.goto(f"{server}/gallery")
    page.get_by_text("Valparaíso · Why I ride the bus").first.wait_for()
    shoot(page, "gallery")
    assert "Traceback" not in page.content()

    with urllib.request.urlopen(f"{server}/share/{remix_id}", timeout=10) as r:
        html = r.read().decode()
    assert f'<meta property="og:image" content="{server}/share/{remix_id}/image">' in html
    assert 'property="og:description" content="A photo from a bus in Valparaíso' in html
    with urllib.request.urlopen(f"{server}/share/{remix_id}/image", timeout=10) as r:
        assert r.headers["Content-Type"] == "image/jpeg" and r.read(3) == b"\xff\xd8\xff"


def test_visitor_opens_a_shared_link_and_remixes_it(server: str, page) -> None:
    page.goto(f"{server}/?frame=clean-air")
    page.get_by_role("textbox", name="Your town or city").fill("Lagos")
    hope = page.get_by_role("textbox", name="What would clean air change for you?")
    hope.fill("Market mornings without the haze.")
    hope.press("Control+Enter")
    page.get_by_text("Clean air for Lagos").first.wait_for()
    parent = publish(page)

    visitor = page.context.browser.new_context(viewport={"width": 390, "height": 900}).new_page()
    visitor.set_default_timeout(30_000)
    visitor.goto(f"{server}/share/{parent}")  # forwards to the gallery view
    visitor.wait_for_url(re.compile(rf".*/gallery\?remix={parent}"))
    visitor.get_by_role("button", name="Remix this").wait_for()
    shoot(visitor, "remix-view")
    visitor.get_by_role("button", name="Remix this").click()
    visitor.get_by_text("You are remixing someone's remix").wait_for()
    assert visitor.get_by_role("textbox", name="Your town or city").input_value() == "Lagos"
    mine = visitor.get_by_role("textbox", name="What would clean air change for you?")
    mine.fill("Cycling to school, my lungs intact.")
    mine.press("Control+Enter")
    child = publish(visitor)
    assert child != parent

    visitor.goto(f"{server}/gallery?remix={child}")
    visitor.get_by_text("Based on: remix by anonymous").wait_for()
    visitor.context.close()
