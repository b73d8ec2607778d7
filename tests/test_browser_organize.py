"""An organizer's journey in a real browser: fork a frame, publish a version, approve a pending remix."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from playwright.sync_api import expect

from gallery import get_frame, get_remix, open_store, publish_remix
from gallery.config import db_path
from gallery.drafts import load_draft
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


# ---- The studio: a starter, the brand kit, layout by hand, plain checks, drafts, translations --------

STUDIO_SHOTS = Path(__file__).resolve().parent.parent / "shots"


def studio_shot(page, step: str) -> None:
    """A screenshot of the whole page for a person to look at (shots/, not committed)."""
    full_screenshot(page, STUDIO_SHOTS / f"studio-{page.viewport_size['width']}-{step}.png")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": 900})


def previews(page) -> list[bytes]:
    """The three format previews as PNG bytes of what the browser shows, once all three are there."""
    images = page.locator(".st-key-org_preview img")
    images.nth(2).wait_for()
    return [images.nth(i).screenshot() for i in range(3)]


def changed(before: bytes, after: bytes) -> float:
    """Share of pixels that differ between two screenshots of the same element."""
    a, b = (Image.open(io.BytesIO(x)).convert("RGB").resize((96, 96), Image.Resampling.BOX) for x in (before, after))
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 24 else 0)
    return sum(diff.histogram()[255:]) / (a.width * a.height)


def wait_for_new_previews(page, old: list[bytes], share: float = 0.01) -> list[bytes]:
    """Previews after an edit: polls the server-rendered images until all three changed (bounded)."""
    shares: list[float] = []
    for _ in range(60):
        new = previews(page)
        shares = [changed(a, b) for a, b in zip(old, new)]
        if all(s > share for s in shares):
            return new
        page.wait_for_timeout(500)
    studio_shot(page, "failed")
    raise AssertionError(f"the previews did not all change: {shares}")


def choose_colour(page, label: str, hex_colour: str) -> None:
    page.get_by_role("button", name=f"{label} color picker").click()
    field = page.get_by_role("dialog").locator("input").first
    field.fill(hex_colour)
    field.press("Enter")
    page.keyboard.press("Escape")


@pytest.mark.parametrize("page", [390, 1280], indirect=True)
def test_studio_journey(server: str, server_data: Path, page, browser) -> None:
    width = page.viewport_size["width"]
    frame_id = f"street-{width}"
    page.goto(f"{server}/organize")
    page.get_by_role("img", name=re.compile("^The starter ")).nth(5).wait_for()  # all six thumbnails
    studio_shot(page, "1-starters")
    expect(page.get_by_role("combobox", name="Starter")).to_have_value("Our street, our say")  # the first starter
    page.get_by_role("textbox", name="Id of your new frame").fill(frame_id)
    type_in(page, "Organizer name", "Porto riders")
    page.get_by_role("button", name="Start editing").click()
    first = previews(page)
    studio_shot(page, "2-editing")

    # one brand colour, every format
    page.get_by_role("tab", name="Look").click()
    choose_colour(page, "Background", "#ff3366")
    recoloured = wait_for_new_previews(page, first)
    studio_shot(page, "3-brand-colour")

    # the title is the headline
    page.get_by_role("tab", name="Words").click()
    page.get_by_text("after I approve them").click()
    type_in(page, "Title", "Porto walks")
    retitled = wait_for_new_previews(page, recoloured, share=0.002)
    assert changed(recoloured[0], retitled[0]) < 0.2  # the headline changed, not the whole picture
    studio_shot(page, "4-title")

    # layout by hand: drag the headline box right, and the manifest's box follows
    page.get_by_role("tab", name="Layout").click()
    pick(page, "Layer", "text layer 3 'headline'")
    headline = page.locator(".bx.sel[data-index='3']")  # drawn again by the server with the headline chosen
    headline.wait_for()
    headline.scroll_into_view_if_needed()
    box = headline.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 15, box["y"] + box["height"] / 2 + 10, steps=5)
    page.mouse.up()
    x_input = page.get_by_role("spinbutton", name="x")
    for _ in range(60):
        if x_input.count() and float(x_input.input_value()) > 0.065:
            break
        page.wait_for_timeout(500)
    assert float(x_input.input_value()) > 0.065  # was 0.06
    draft_key = page.evaluate("new URL(location.href).searchParams.get('draft')")
    saved = load_draft(open_store(db_path(server_data)), draft_key)
    assert saved.data["formats"]["square"]["layers"][3]["box"]["x"] == pytest.approx(float(x_input.input_value()), abs=1e-3)
    studio_shot(page, "5-dragged")

    # a box past the edge: the sentence beside it, the last good preview dimmed
    type_in_number(page, "w", "0.99")
    sentence = "The headline box in the square reaches past the right edge: make it narrower or move it left."
    page.get_by_text(sentence).wait_for()
    stale = page.locator(".st-key-org_stale_preview [data-testid=stImage]")
    expect(stale).to_have_count(3)
    for i in range(3):
        expect(stale.nth(i)).to_have_css("opacity", "0.45")  # the last good preview, dimmed
    studio_shot(page, "6-problem")
    type_in_number(page, "w", "0.6")
    page.get_by_text(sentence).wait_for(state="detached")

    # reload: the draft is still there
    page.reload()
    page.get_by_text(f"Editing '{frame_id}'").wait_for()
    expect(page.get_by_role("textbox", name="Title", exact=True)).to_have_value("Porto walks")
    studio_shot(page, "7-reloaded")

    # an Arabic translation beside the original
    page.get_by_role("tab", name="Translations").click()
    type_in(page, "Add a language (a code like ar, es or pt-BR)", "ar")
    page.get_by_role("button", name="Add translation").click()
    page.get_by_text("Still missing: title").wait_for()
    type_in(page, "Title (ar)", "مشي في بورتو")
    page.get_by_text("Still missing: message").wait_for()
    studio_shot(page, "8-arabic")

    page.get_by_role("button", name="Publish this frame").click()
    page.get_by_text("It is shown only now").wait_for()
    owner = page.locator("[data-testid=stCode]").first.inner_text().strip()
    assert get_frame(open_store(db_path(server_data)), frame_id).manifest.translations["ar"].title == "مشي في بورتو"
    studio_shot(page, "9-published")

    # a participant opens the new frame and makes a remix; it waits for approval
    participant = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    participant.set_default_timeout(30_000)
    participant.goto(f"{server}/?frame={frame_id}")
    participant.get_by_text("Porto walks").first.wait_for()
    line = participant.get_by_role("textbox", name="One line about it")
    line.fill("The stairs down to the river, every evening.")
    line.press("Enter")
    participant.get_by_text("Show my remix publicly in the gallery").click()
    participant.get_by_role("button", name="Publish").click()
    done = participant.get_by_text(re.compile("approv|Published")).first
    anyway = participant.get_by_role("button", name="Publish without a photo")
    done.or_(anyway).wait_for()  # a photo frame without a photo asks first
    if anyway.is_visible():
        anyway.click()
    done.wait_for()
    participant.screenshot(path=str(STUDIO_SHOTS / f"studio-{width}-10-participant.png"), full_page=True)
    participant.context.close()

    # the organizer approves it and sees it in the charts
    page.get_by_role("button", name="I have saved my key").click()
    page.get_by_role("button", name="Check for new remixes").click()
    page.get_by_text("The stairs down to the river, every evening.", exact=True).wait_for()
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("is published now.").wait_for()
    page.get_by_role("tab", name="Reach").click()
    expect(page.locator("[data-testid=stMetricValue]").first).to_have_text("1")  # polls until the rerun shows it
    page.locator("[data-testid=stVegaLiteChart], [data-testid=stArrowVegaLiteChart]").first.wait_for()
    studio_shot(page, "11-reach")
    assert owner and "Traceback" not in page.content()


def type_in_number(page, label: str, value: str) -> None:
    box = page.get_by_role("spinbutton", name=label)
    box.fill(value)
    box.press("Enter")
