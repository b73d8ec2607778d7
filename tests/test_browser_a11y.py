"""Accessibility in a real browser: axe-core (npm, injected into the page) finds no serious or
critical violation on Make, Gallery and a remix page, on a phone (390) and a desktop (1280);
the fields' accessible names carry no stray characters; the photo pad takes the keyboard."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_browser_phone import DESKTOP, PHONE, SHOTS, seed

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(params=["phone", "desktop"])
def page(browser, request):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (package.json) first")
    context = browser.new_context(**(PHONE if request.param == "phone" else DESKTOP))
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def serious(page, name: str) -> list[str]:
    """Run axe-core on the page as it is; the serious and critical violations, one line each."""
    page.locator("[data-testid=stApp][data-test-script-state=notRunning]").wait_for()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"a11y-{name}-{page.viewport_size['width']}.png"))
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def test_make_page_has_no_serious_violations_and_clean_names(server: str, page) -> None:
    page.goto(f"{server}/?frame=ride-the-bus")
    city = page.get_by_role("textbox", name="Your town or city", exact=True)  # no " *" or "\\*" in the name
    city.wait_for()
    page.locator(".fr-pad img").first.wait_for()
    assert serious(page, "make") == []


def test_frame_cards_have_no_serious_violations(server: str, page) -> None:
    page.goto(server)
    page.get_by_role("button", name="Make yours").first.wait_for()
    assert serious(page, "cards") == []


def test_gallery_and_a_remix_page_have_no_serious_violations(server: str, server_data: Path, page) -> None:
    remix_id = seed(server_data, f"Lima {page.viewport_size['width']}")
    page.goto(f"{server}/gallery")
    page.get_by_role("button", name="Open").first.wait_for()
    assert serious(page, "gallery") == []
    page.goto(f"{server}/gallery?remix={remix_id}")
    page.get_by_role("button", name="Remix this").wait_for()
    assert serious(page, "remix") == []


def test_keyboard_reaches_the_fields_and_the_photo_pad(server: str, page) -> None:
    page.goto(f"{server}/?frame=ride-the-bus")
    city = page.get_by_role("textbox", name="Your town or city", exact=True)
    city.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("(() => { let a = document.activeElement; while (a && a.shadowRoot && a.shadowRoot.activeElement)"
                            " a = a.shadowRoot.activeElement; return [a.tagName, getComputedStyle(a).outlineStyle]; })()")
    assert focused == ["TEXTAREA", "solid"]  # the next field, with a visible focus ring
