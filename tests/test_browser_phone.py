"""The participant's flow on a phone (390 x 844, touch) and a desktop (1280), in a real browser.

Gallery navigation keeps the remix in the address, so "Remix this" and "Send report" work from
a grid-opened remix as from a deep link. Screenshots go to shots/ (not committed).
"""
from __future__ import annotations

import base64
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from frames import bundled_frames
from gallery import get_frame, install_bundled, open_store, publish_remix
from gallery.config import db_path
from remix import RenderOptions
from tests.samples import phone_jpeg

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).resolve().parent.parent / "shots"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SHARE_STUB = ("navigator.canShare = () => true; navigator.share = async d => { const files = d.files || [];"
              " const sizes = await Promise.all(files.map(f => createImageBitmap(f).then(b => [b.width, b.height])));"
              " window.__shared = {files: files.map((f, i) => [f.type, f.name, f.size, sizes[i]]), text: d.text}; };")


@pytest.fixture(params=["phone", "desktop"])
def page(browser, request) -> Iterator:
    """A fresh browser context (a new Streamlit session) on a phone or a desktop, Web Share stubbed."""
    context = browser.new_context(**(PHONE if request.param == "phone" else DESKTOP))
    context.add_init_script(SHARE_STUB)
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def shoot(page, name: str) -> None:
    """Save what the participant sees (Streamlit scrolls inside its main block, so grow the viewport)."""
    size = page.viewport_size
    height = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain] *')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 6000)})
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(size)


def seed(server_data: Path, place: str, hope: str = "Market mornings without the haze.") -> str:
    """A published clean-air remix, stored as an operator's script would."""
    store = open_store(db_path(server_data))
    for frame in bundled_frames():  # the app installs them on its first page; the seed may come first
        install_bundled(store, frame)
    values = {"city": place, "hope": hope}
    return publish_remix(store, get_frame(store, "clean-air"), values, consent=True, options=RenderOptions(maker="Ana"),
                         place=place).id


def rows(server_data: Path, sql: str, *args: str) -> list[tuple]:
    with sqlite3.connect(db_path(server_data)) as db:
        return db.execute(sql, args).fetchall()


def publish(page) -> None:
    """Consent and publish; a photo frame without a photo asks first ("Add a photo?"): go on."""
    page.get_by_text("Show my remix publicly in the gallery").click()
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Add a photo?").wait_for()
    shoot(page, "make-add-a-photo")
    page.get_by_role("button", name="Publish without a photo").click()
    page.get_by_text("Published! Your remix is in the gallery.").wait_for()


def open_from_grid(page, server: str, place: str, remix_id: str) -> None:
    page.goto(f"{server}/gallery")
    card = page.locator("[data-testid=stVerticalBlock]", has_text=f"Ana · {place} ·").last
    card.get_by_role("button", name="Open").click()
    page.get_by_role("button", name="Remix this").wait_for()
    page.wait_for_url(f"**/gallery?remix={remix_id}")


def test_remix_this_from_a_grid_opened_remix_records_its_parent(server: str, server_data: Path, page) -> None:
    width = page.viewport_size["width"]
    place = f"Lagos {width}"
    parent = seed(server_data, place)
    open_from_grid(page, server, place, parent)
    shoot(page, "gallery-remix")
    page.get_by_role("button", name="Remix this").click()
    page.get_by_text("You are remixing someone's remix").wait_for()
    publish(page)
    shoot(page, "make-remix-published")
    [(child, values)] = rows(server_data, "SELECT id, values_json FROM remixes WHERE remix_of = ?", parent)
    assert place in values and child != parent


def test_report_from_a_grid_opened_remix_is_stored(server: str, server_data: Path, page) -> None:
    width = page.viewport_size["width"]
    place = f"Accra {width}"
    remix_id = seed(server_data, place)
    open_from_grid(page, server, place, remix_id)
    page.get_by_text("Report this remix").click()
    page.get_by_role("textbox", name="What is wrong with it?").fill("Not about clean air.")
    page.get_by_role("button", name="Send report").click()
    page.get_by_text("Thank you. The organizer will review it.").wait_for()
    assert page.url.endswith(f"/gallery?remix={remix_id}")
    reasons = rows(server_data, "SELECT r.reason FROM reports r JOIN remixes m ON m.seq = r.remix_seq WHERE m.id = ?",
                   remix_id)
    assert reasons == [("Not about clean air.",)]
    page.get_by_role("button", name="← Back to the gallery").click()
    page.get_by_role("textbox", name="Search the stories").wait_for()
    page.wait_for_url("**/gallery")
    page.go_back()  # the browser's own back button returns to the remix
    page.get_by_role("button", name="Remix this").wait_for()
    page.wait_for_url(f"**/gallery?remix={remix_id}")


FOCUSED_VALUE = ("(() => { let a = document.activeElement;"
                 " while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;"
                 " return a && a.value; })()")


PREVIEW = ".fr-pad img"  # the preview pad's image (Playwright's CSS locators reach into its shadow root)


def preview_src(page) -> str:
    image = page.locator(PREVIEW).first
    image.wait_for()
    page.wait_for_function("el => el.src.startsWith('data:image/')", arg=image.element_handle())
    return image.get_attribute("src") or ""


def wait_new_preview(page, before: str) -> str:
    """Wait for the server's new preview image (the pad's image changes with every render)."""
    image = page.locator(PREVIEW).first
    page.wait_for_function("([el, old]) => el.src !== old && el.src.startsWith('data:image/')",
                           arg=[image.element_handle(), before])
    return image.get_attribute("src") or ""


def pixels(src: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")


def differs(a: Image.Image, b: Image.Image, box: tuple[float, float, float, float]) -> float:
    """Mean absolute difference of two previews inside a box given as fractions of the image."""
    w, h = a.size
    crop = (round(box[0] * w), round(box[1] * h), round(box[2] * w), round(box[3] * h))
    diff = ImageChops.difference(a.crop(crop), b.crop(crop)).convert("L")
    return ImageStat.Stat(diff).mean[0]


def test_the_preview_follows_typing_without_enter_or_leaving_the_field(server: str, page) -> None:
    page.goto(f"{server}/?frame=ride-the-bus")
    city = page.get_by_role("textbox", name="Your town or city")
    before = preview_src(page)
    city.click()
    page.keyboard.type("Valpar", delay=60)  # like a person; no Enter, no blur
    page.locator("[data-testid=stCode]", has_text="Valpar").first.wait_for()  # a run answers mid-word...
    page.keyboard.type("aíso 🚌", delay=60)  # ...and its late echo must not undo what follows
    wait_new_preview(page, before)
    page.locator("[data-testid=stCode]", has_text="Why I ride the bus in Valparaíso 🚌").first.wait_for()  # post text too
    page.get_by_text("12/40", exact=True).wait_for()  # graphemes: the bus emoji is one
    assert page.evaluate(FOCUSED_VALUE) == "Valparaíso 🚌"  # focus and text stay put
    story = page.get_by_role("textbox", name="Why you ride")
    before = preview_src(page)
    story.click()
    page.keyboard.type("<b>Night buses</b> & 'quotes'", delay=30)
    wait_new_preview(page, before)
    page.get_by_text("<b>Night buses</b> & 'quotes'").first.wait_for()  # shown as typed, never as HTML
    assert page.locator("b", has_text="Night buses").count() == 0
    shoot(page, "make-live-typing")


def upload(page, tmp_path: Path) -> None:
    photo = tmp_path / "me.jpg"
    photo.write_bytes(phone_jpeg(1600, 1200, orientation=6))  # a portrait phone photo, EXIF-rotated
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_text("Uploaded me.jpg").wait_for()


def drag(page, dx: float, dy: float) -> None:
    """A finger (or mouse) drag across the middle of the preview's photo box."""
    page.locator(PREVIEW).first.scroll_into_view_if_needed()
    box = page.locator(PREVIEW).first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.3
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 9):
        page.mouse.move(x + dx * i / 8, y + dy * i / 8)
    page.mouse.up()


def test_the_photo_is_placed_by_dragging_zooming_and_keys(server: str, page, tmp_path: Path) -> None:
    page.goto(f"{server}/?frame=ride-the-bus")
    start = preview_src(page)
    upload(page, tmp_path)
    placed = wait_new_preview(page, start)
    # A portrait photo fills the square's wide box sideways: it can only move up and down.
    page.get_by_text("Drag the photo up or down to move it").wait_for()
    photo_box, text_band = (0.0, 0.0, 1.0, 0.55), (0.0, 0.62, 1.0, 0.8)
    drag(page, 0, 120)
    moved = wait_new_preview(page, placed)
    assert differs(pixels(placed), pixels(moved), photo_box) > 5  # the photo moved
    assert differs(pixels(placed), pixels(moved), text_band) < 1  # the words did not
    pad = page.locator(PREVIEW).first
    pad.scroll_into_view_if_needed()
    pad.hover()
    page.mouse.wheel(0, -400)  # zoom in: now it can move sideways too
    page.get_by_text("Drag the photo to move it, pinch or scroll to zoom").wait_for()
    zoomed = wait_new_preview(page, moved)
    pad.focus()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    keyed = wait_new_preview(page, zoomed)
    assert differs(pixels(zoomed), pixels(keyed), photo_box) > 3
    shoot(page, "make-photo-placed")


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_one_screen_share_in_one_tap_and_post_texts_in_tabs(server: str, page, tmp_path: Path) -> None:
    page.goto(f"{server}/?frame=ride-the-bus")
    before = preview_src(page)
    upload(page, tmp_path)
    before = wait_new_preview(page, before)
    page.get_by_role("textbox", name="Your town or city").fill("Kraków")
    page.get_by_role("textbox", name="Why you ride").fill("The 7 takes us to the market.")
    page.locator("[data-testid=stCode]", has_text="The 7 takes us to the market.").first.wait_for()
    before = preview_src(page)
    name = page.get_by_role("textbox", name="Your name for the credit line (optional)")
    name.click()
    page.keyboard.type("Ana", delay=40)
    wait_new_preview(page, before)
    share = page.get_by_role("button", name="Share", exact=True)
    # The field being typed, the preview and the Share button are on screen together.
    assert in_view(page, name) and in_view(page, page.locator(PREVIEW).first) and in_view(page, share)
    if page.viewport_size["width"] < 640:  # stacked: the pinned preview must not cover the field
        pinned = page.locator(".st-key-make_preview").bounding_box()
        assert name.bounding_box()["y"] >= pinned["y"] + pinned["height"] - 1
    shoot_view(page, "make-one-screen")
    share.click()
    page.wait_for_function("() => window.__shared !== undefined")
    shared = page.evaluate("window.__shared")
    [(mime, file_name, size, pixels_wide_high)] = shared["files"]  # one full-size file, not the small preview
    assert (mime, file_name, pixels_wide_high) == ("image/jpeg", "ride-the-bus-square.jpg", [1080, 1080]) and size > 100_000
    assert pixels(preview_src(page)).size == (540, 540)  # the page itself shows a screen-sized preview
    assert shared["text"].startswith("Why I ride the bus in Kraków") and "#RideTheBus" in shared["text"]
    tabs = page.get_by_role("tab")
    assert [t.inner_text() for t in tabs.all()][-4:] == ["X", "Bluesky", "Mastodon", "Instagram"]
    posts = page.locator("[data-testid=stCode]", has_text="#RideTheBus")
    assert sum(p.is_visible() for p in posts.all()) == 1  # one text, one copy button at a time
    page.get_by_role("tab", name="Mastodon").click()
    assert "500 characters" in page.get_by_text("/500 characters").inner_text()


def shoot_view(page, name: str) -> None:
    """What is on the screen right now (not the whole page)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"))


def test_links_after_publishing_are_whole_and_delete_asks_first(server: str, server_data: Path, page) -> None:
    width = page.viewport_size["width"]
    page.goto(f"{server}/?frame=clean-air")
    city = page.get_by_role("textbox", name="Your town or city")
    city.click()
    page.keyboard.type(f"Quito {width}")
    page.get_by_role("textbox", name="What would clean air change for you?").fill("Children breathing freely.")
    page.locator("[data-testid=stCode]", has_text="Children breathing freely.").first.wait_for()
    publish(page)
    page.get_by_text("Keep this private link").wait_for()
    share = page.locator("[data-testid=stCode]", has_text="/share/")
    delete = page.locator("[data-testid=stCode]", has_text="&delete=")
    for link in (share, delete):
        link.scroll_into_view_if_needed()
        box, code = link.bounding_box(), link.locator("code")
        assert box["x"] >= 0 and box["x"] + box["width"] <= width  # on the screen, wrapped, not cut off
        assert code.evaluate("el => el.scrollWidth <= el.clientWidth + 1")
        link.hover()
        link.get_by_role("button", name="Copy to clipboard").wait_for(state="attached")
    shoot(page, "make-published-links")
    address = delete.inner_text().strip()
    remix_id = address.split("remix=")[1].split("&")[0]
    assert "&delete=" in address and share.inner_text().strip().endswith(f"/share/{remix_id}")
    page.goto(address)
    page.get_by_role("button", name="Delete my remix").click()
    page.get_by_text("Delete this remix for good?").wait_for()
    stored = "SELECT status, (SELECT count(*) FROM remix_images i WHERE i.remix_seq = seq) FROM remixes WHERE id = ?"
    assert rows(server_data, stored, remix_id) == [("published", 3)]  # asked, not deleted
    shoot(page, "gallery-delete-asks")
    page.get_by_role("button", name="Yes, delete it").click()
    page.get_by_text("Deleted. Nothing of it is shown any more.").wait_for()
    assert rows(server_data, stored, remix_id) == [("deleted", 0)]  # a tombstone, its images gone


def test_the_app_speaks_arabic_right_to_left(server: str, page) -> None:
    page.goto(f"{server}/?frame=clean-air&lang=ar")
    page.get_by_text("اعرض عملي علنًا في المعرض").wait_for()  # the consent sentence, translated
    page.wait_for_function("() => document.documentElement.dir === 'rtl' && document.documentElement.lang === 'ar'")
    page.get_by_role("button", name="مشاركة").wait_for()  # Share, on the preview
    title = page.get_by_role("heading", name="اصنع نسختك")
    assert title.is_visible() and title.evaluate("h => getComputedStyle(h).textAlign") in ("start", "right")
    make = page.get_by_role("link", name="اصنع", exact=True)  # the page names speak Arabic too
    if page.viewport_size["width"] < 640:  # the sidebar is collapsed: none of it lies over the title
        assert not make.is_visible()
        page.get_by_test_id("stExpandSidebarButton").click()
    make.wait_for()
    assert page.get_by_role("link", name="المعرض").is_visible()
    shoot(page, "make-arabic")


def test_the_browser_language_is_the_default(browser, server: str) -> None:
    context = browser.new_context(**PHONE, locale="es-ES")
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{server}/?frame=ride-the-bus")
    page.get_by_role("heading", name="Crea la tuya").wait_for()
    page.wait_for_function("() => document.documentElement.lang === 'es' && document.documentElement.dir === 'ltr'")
    context.close()


def test_share_and_download_wait_for_the_required_words(server: str, page) -> None:
    """The preview shows the frame's example words as a hint; Share and Download hand out only the participant's."""
    fetched = []
    page.on("response", lambda r: fetched.append((r.status, r.headers.get("cache-control"))) if "/draft-image/" in r.url else None)
    page.goto(f"{server}/?frame=ride-the-bus")
    preview_src(page)
    sentence = "Fill in “Your town or city”, “Why you ride” first: until then the image shows example words, not yours."
    share = page.get_by_role("button", name="Share", exact=True)
    share.click()
    page.get_by_role("status").filter(has_text=sentence).wait_for()
    assert page.evaluate("window.__shared") is None
    assert page.get_by_role("button", name="Download square").is_disabled()
    page.get_by_role("textbox", name="Your town or city").fill("Lviv")
    page.get_by_role("textbox", name="Why you ride").fill("The tram is warm in winter.")
    page.get_by_role("button", name="Download square").and_(page.locator(":enabled")).wait_for()  # the run has drawn
    page.get_by_role("status").filter(has_text=sentence).wait_for(state="detached")
    share.click()
    page.wait_for_function("() => window.__shared !== undefined")
    shared = page.evaluate("window.__shared")
    assert shared["files"][0][3] == [1080, 1080] and shared["text"].startswith("Why I ride the bus in Lviv")
    assert (200, "no-store, private") in fetched  # the full-size draft came from its private address, uncached


def test_an_unknown_draft_image_address_is_one_sentence(server: str) -> None:
    """Only a live session's own random token finds its full-size draft."""
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(f"{server}/draft-image/not-a-token", timeout=10)
    assert gone.value.code == 404
    assert gone.value.read().decode() == "This preview is gone (the page was closed or changed); press Share again."
