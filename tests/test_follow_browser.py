"""The operator's follow journey in real Chromium on a phone (390 px): Organize -> Peers, the admin
key, follow a peer by its address, poll it, trust it; then the Gallery shows its remix credited to
its home, and neither page has a serious or critical axe-core violation. The peer is a signed
server on 127.0.0.1 (benchmarks/signed_peer.py); the app is the session's real streamlit server."""
from __future__ import annotations

import pytest

from benchmarks.signed_peer import SignedPeer, thumbnail_jpeg
from tests.conftest import ADMIN_KEY
from tests.test_browser_a11y import AXE, serious
from tests.test_browser_phone import PHONE
from tests.test_gallery_support import BUS

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (package.json) first")
    context = browser.new_context(**PHONE)
    context.set_default_timeout(45_000)
    yield context.new_page()
    context.close()


def test_operator_follows_a_peer_and_the_gallery_shows_its_remix(server: str, phone) -> None:
    with SignedPeer() as peer:
        peer.thumb = thumbnail_jpeg((600, 600), (20, 120, 90))
        peer.remix(BUS, "browser-afar", maker="Amaru 🌄")
        host = peer.url.split("//")[1]
        phone.goto(f"{server}/organize")
        phone.get_by_text("Peers: other instances this gallery follows").click()
        phone.get_by_label("Instance admin key").fill(ADMIN_KEY)
        phone.get_by_label("Instance admin key").press("Enter")
        phone.get_by_label("Instance address").fill(peer.url)
        phone.get_by_role("button", name="Follow", exact=True).click()
        phone.get_by_text(f"Following {host}; its key {peer.secret.public.id_hex} is pinned").wait_for()
        phone.get_by_role("button", name="Poll now").click()
        phone.get_by_text("Polled: 1 kept, 0 deleted.").wait_for()
        phone.get_by_role("button", name="Trust").click()
        phone.get_by_text(f"{host} · trusted").wait_for()
        assert serious(phone, "peers") == []
        phone.goto(f"{server}/gallery")
        phone.get_by_text("Made on other instances").wait_for()
        card = phone.get_by_role("link", name=f"Open on {host}")
        assert card.get_attribute("href") == f"{peer.url}/gallery?remix=browser-afar"
        phone.get_by_role("img", name="Frame ride-the-bus · Amaru 🌄").wait_for()
        assert serious(phone, "remote-gallery") == []
