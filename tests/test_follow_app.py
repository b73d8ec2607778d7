"""Federation in the app through the entrypoint (AppTest): the Peers section of Organize (admin key,
follow, poll, trust, a key change shown with both key ids and confirmed, block), remote remixes in
the Gallery with their home, remote children in a remix's lineage, and what a delete cannot reach.
The peer is a signed server on 127.0.0.1 (benchmarks/signed_peer.py)."""
from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from benchmarks.signed_peer import SignedPeer
from gallery import Settings, open_store
from tests.test_gallery_support import BUS, publish

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "test-admin-key-peers-0123"
HOME = "https://organizer.example"


@pytest.fixture
def peer() -> Iterator[SignedPeer]:
    with SignedPeer() as p:
        yield p


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    import streamlit as st

    monkeypatch.setenv("FRAME_REMIX_DATA", str(tmp_path))
    monkeypatch.setenv("FRAME_REMIX_ADMIN_KEY", ADMIN)
    monkeypatch.setenv("FRAME_REMIX_PUBLIC_URL", HOME)
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    return at


def shown(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value.replace("**", ""))


def texts(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.warning, *at.success, *at.error, *at.info]
    return "\n".join(shown(p.value) for p in parts)


def organize_as_admin(at: AppTest) -> AppTest:
    at.switch_page("app_pages/organize.py").run()
    at.text_input(key="fed_admin_key").set_value(ADMIN).run()
    assert not at.exception
    return at


def test_follow_poll_trust_and_see_remote_remixes(app: AppTest, peer: SignedPeer) -> None:
    peer.remix(BUS, "from-afar", maker="Ngozi")
    at = organize_as_admin(app)
    at.text_input(key="fed_add_url").set_value(peer.url)
    at.button[[b.label for b in at.button].index("Follow")].click().run()
    host = peer.url.split("//")[1]
    assert f"Following {host}; its key {peer.secret.public.id_hex} is pinned" in texts(at)
    assert f"{host} · new: its remixes wait here until you trust it" in texts(at)
    at.button(key=f"fed_poll_{host.replace(':', '_').replace('.', '_')}").click().run()
    assert "Polled: 1 kept, 0 deleted." in texts(at) and "Ngozi · Lisboa · Frame ride-the-bus" in texts(at)
    at.button(key=f"fed_trust_{host.replace(':', '_').replace('.', '_')}").click().run()
    assert f"{host} · trusted" in texts(at) and "1 shown, 0 waiting, 0 hidden" in texts(at)
    at.switch_page("app_pages/gallery.py").run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Made on other instances"]
    assert f"on {host}" in texts(at) and "Ngozi · Lisboa · Frame ride-the-bus" in texts(at)
    at.query_params["lang"] = "es"
    at.run()
    assert [s.value for s in at.subheader] == ["Hechas en otras instancias"] and f"en {host}" in texts(at)


def test_a_key_change_shows_both_key_ids_until_confirmed(app: AppTest, peer: SignedPeer) -> None:
    at = organize_as_admin(app)
    at.text_input(key="fed_add_url").set_value(peer.url)
    at.button[[b.label for b in at.button].index("Follow")].click().run()
    old = peer.secret.public.id_hex
    peer.rotate_key()
    slug = peer.url.split("//")[1].replace(":", "_").replace(".", "_")
    at.button(key=f"fed_poll_{slug}").click().run()
    assert (f"This instance now shows another key: {old} before, {peer.secret.public.id_hex} now. "
            "Nothing is taken from it until you confirm.") in texts(at)
    at.button(key=f"fed_confirm_{slug}").click().run()
    assert "now shows another key" not in texts(at) and f"key {peer.secret.public.id_hex}" in texts(at)
    at.button(key=f"fed_block_{slug}").click().run()
    assert "· blocked" in texts(at) and not any(b.key == f"fed_poll_{slug}" for b in at.button)


def test_the_peers_section_needs_the_admin_key(app: AppTest) -> None:
    at = app.switch_page("app_pages/organize.py").run()
    at.text_input(key="fed_admin_key").set_value("not the key").run()
    assert "That is not this instance's admin key." in texts(at)
    assert not any(t.key == "fed_add_url" for t in at.text_input)


def test_lineage_shows_remote_children_and_delete_says_what_it_cannot_reach(app: AppTest, peer: SignedPeer) -> None:
    store = open_store(settings=Settings.from_env(os.environ))
    ours = publish(store)
    peer.remix("some-fork", "child-afar", maker="Aiko", remix_of=(ours.id, HOME))
    at = organize_as_admin(app)
    at.text_input(key="fed_add_url").set_value(peer.url)
    at.button[[b.label for b in at.button].index("Follow")].click().run()
    slug = peer.url.split("//")[1].replace(":", "_").replace(".", "_")
    at.button(key=f"fed_trust_{slug}").click().run()
    at.button(key=f"fed_poll_{slug}").click().run()
    at.switch_page("app_pages/gallery.py")
    at.query_params["remix"] = ours.id
    at.query_params["delete"] = ours.delete_key
    at.run()
    assert not at.exception
    link = [b for b in at.get("link_button") if "Remixed on" in b.proto.label]
    assert [shown(b.proto.label) for b in link] == [f"Remixed on {peer.url.split('//')[1]} by Aiko"]  # as a person reads it
    assert link[0].proto.url == f"{peer.url}/gallery?remix=child-afar"
    assert ("Copies on hosts outside their allowlist cannot be forced to delete." in
            " ".join(c.value for c in at.caption))


def test_hide_a_remote_remix_and_report_one_to_its_home(app: AppTest, peer: SignedPeer) -> None:
    peer.remix(BUS, "to-hide", maker="Hana")
    peer.remix(BUS, "to-report", maker="Rui")
    at = organize_as_admin(app)
    at.text_input(key="fed_add_url").set_value(peer.url)
    at.button[[b.label for b in at.button].index("Follow")].click().run()
    slug = peer.url.split("//")[1].replace(":", "_").replace(".", "_")
    at.button(key=f"fed_trust_{slug}").click().run()
    at.button(key=f"fed_poll_{slug}").click().run()
    at.button(key=f"fed_hide_{slug}_to-hide").click().run()
    assert not at.exception
    at.switch_page("app_pages/gallery.py").run()
    assert "Rui · Lisboa" in texts(at) and "Hana" not in texts(at)
    at.text_input(key=f"fed_reason_{slug}_to-report").set_value("hateful words").run()
    at.button(key=f"fed_report_{slug}_to-report").click().run()
    assert f"Sent to {peer.url.split('//')[1]}. Its organizers will review it." in texts(at)
    assert peer.reports == [{"remix": "to-report", "reason": "hateful words"}]


def test_the_gallerys_remote_section_pages(app: AppTest, peer: SignedPeer) -> None:
    for n in range(14):
        peer.remix(BUS, f"remix-{n:02d}", maker=f"Maker {n:02d}")
    at = organize_as_admin(app)
    at.text_input(key="fed_add_url").set_value(peer.url)
    at.button[[b.label for b in at.button].index("Follow")].click().run()
    slug = peer.url.split("//")[1].replace(":", "_").replace(".", "_")
    at.button(key=f"fed_trust_{slug}").click().run()
    at.button(key=f"fed_poll_{slug}").click().run()
    at.switch_page("app_pages/gallery.py").run()
    first = texts(at).count("· Lisboa ·")
    at.button(key="fed_grid_older").click().run()
    assert (first, texts(at).count("· Lisboa ·")) == (12, 2)
    assert not any(b.key == "fed_grid_older" for b in at.button)
    at.button(key="fed_grid_newer").click().run()
    assert texts(at).count("· Lisboa ·") == 12
