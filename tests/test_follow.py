"""Following peers: the allowlist, pinned keys, bounded polls, what is kept, deletes that arrive,
blocks and reports. Peers are real HTTP servers on 127.0.0.1 signing with real keys
(benchmarks/signed_peer.py); the gallery is a real SQLite database."""
from __future__ import annotations

import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from benchmarks.signed_peer import SignedPeer
from frames.signing import PublicKey, generate_key
from gallery.db import Store
from gallery.errors import GalleryError, WrongKeyError
from gallery.federation.follow import (
    PollLimits,
    add_peer,
    block_peer,
    confirm_key,
    get_peer,
    import_from_peer,
    list_peers,
    peer_url,
    poll_all,
    poll_peer,
    trust_peer,
)
from gallery.federation.records import seal
from gallery.federation.remote import (
    block_key,
    hide_remote,
    recheck,
    remote_children,
    remote_queue,
    remote_remixes,
    remote_thumb,
    report_remote,
)
from gallery.framestore import get_frame, install_bundled
from tests.test_gallery_support import BUS, bus


@pytest.fixture
def peer() -> Iterator[SignedPeer]:
    with SignedPeer() as p:
        yield p


@pytest.fixture
def home(store: Store, admin: str) -> Store:
    """A gallery that holds the bus frame (so remixes of it from peers are kept)."""
    install_bundled(store, bus())
    return store


def rows(store: Store, table: str) -> int:
    return store.read().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def followed(store: Store, peer: SignedPeer, admin: str, *, trusted: bool = True) -> None:
    add_peer(store, peer.url, key=admin)
    if trusted:
        trust_peer(store, peer.url, key=admin)


# --- the allowlist ---------------------------------------------------------------------------------


def test_add_peer_pins_the_well_known_key_and_waits_as_new(home: Store, admin: str, peer: SignedPeer) -> None:
    added = add_peer(home, peer.url + "/", key=admin)
    assert added.url == peer.url and added.state == "new"
    assert added.key == peer.secret.public.text() and added.key_id == peer.secret.public.id_hex
    assert [p.url for p in list_peers(home)] == [peer.url]
    with pytest.raises(GalleryError, match="already on the allowlist"):
        add_peer(home, peer.url, key=admin)


def test_managing_peers_needs_the_admin_key(home: Store, admin: str, peer: SignedPeer) -> None:
    with pytest.raises(WrongKeyError, match=r"^managing peers needs the instance admin key$"):
        add_peer(home, peer.url, key="not-the-key")
    assert rows(home, "peers") == 0
    add_peer(home, peer.url, key=admin)
    for call in (trust_peer, block_peer, confirm_key):
        with pytest.raises(WrongKeyError):
            call(home, peer.url, key=None)
    assert get_peer(home, peer.url).state == "new"


@pytest.mark.parametrize("url", ["ftp://example.org", "example.org", "https://example.org/gallery", "https://u:p@example.org"])
def test_a_peer_is_an_instance_address(url: str) -> None:
    with pytest.raises(GalleryError, match=r"instance|path"):
        peer_url(url)


def test_a_peer_that_names_another_instance_is_refused(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.instance_name = "https://elsewhere.example"
    with pytest.raises(GalleryError, match=re.escape("says it is 'https://elsewhere.example'; an instance must name its own address")):
        add_peer(home, peer.url, key=admin)
    assert rows(home, "peers") == 0


def test_a_server_that_is_not_an_instance_is_refused(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.well_known = lambda: {"software": "something-else"}  # type: ignore[method-assign]
    with pytest.raises(GalleryError, match="does not answer as a frame-remix instance"):
        add_peer(home, peer.url, key=admin)


# --- polling: what is kept, pending until trusted ----------------------------------------------------


def test_a_new_peers_remixes_wait_until_the_operator_trusts_it(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.remix(BUS, "remix-one")
    peer.remix("a-frame-we-never-saw", "remix-two")
    followed(home, peer, admin, trusted=False)
    result = poll_peer(home, peer.url)
    assert (result.stored, result.ignored, result.refused, result.error) == (1, 1, 0, "")
    assert remote_remixes(home) == []  # pending: not in the gallery
    assert [r.remix_id for r in remote_queue(home, key=admin)] == ["remix-one"]
    trust_peer(home, peer.url, key=admin)
    shown = remote_remixes(home, frame_id=BUS)
    assert [(r.remix_id, r.maker, r.host) for r in shown] == [("remix-one", "Ana", peer.url.split("//")[1])]
    assert shown[0].page == f"{peer.url}/gallery?remix=remix-one"
    assert rows(home, "remote_remixes") == 1


def test_thumbnails_are_made_here_small_and_without_metadata(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.thumb = __import__("benchmarks.signed_peer", fromlist=["x"]).thumbnail_jpeg((2000, 1000))
    peer.remix(BUS, "remix-one")
    followed(home, peer, admin)
    assert poll_peer(home, peer.url).thumbs == 1
    data = remote_thumb(home, peer.url, "remix-one")
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and max(image.size) == 480 and image.size == (480, 240)
    assert not image.getexif() and "exif" not in image.info and len(data) <= 200 * 1024
    assert image.getpixel((240, 120))[0] > 150  # the peer's colour, re-encoded


def test_a_thumbnail_our_checks_refuse_leaves_the_record_without_one(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.thumb = b"<html>not an image</html>"
    peer.remix(BUS, "remix-one")
    followed(home, peer, admin)
    assert poll_peer(home, peer.url).stored == 1
    with pytest.raises(GalleryError, match="no thumbnail"):
        remote_thumb(home, peer.url, "remix-one")


def test_polls_follow_the_cursor_and_the_etag(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.page_size = 10
    for n in range(25):
        peer.remix(BUS, f"remix-{n:03d}")
    followed(home, peer, admin)
    first = poll_peer(home, peer.url, PollLimits(pages=2))
    assert (first.pages, first.stored) == (2, 20) and get_peer(home, peer.url).cursor == 20
    second = poll_peer(home, peer.url)
    assert (second.pages, second.stored) == (1, 5) and get_peer(home, peer.url).cursor == 25
    third = poll_peer(home, peer.url)  # nothing new: the empty page's ETag is kept
    assert (third.pages, third.stored, third.not_modified) == (1, 0, False)
    fourth = poll_peer(home, peer.url)
    assert fourth.not_modified and fourth.pages == 0
    assert [r for r in peer.requests if "feed.json" in r][-2:] == ["GET /federation/feed.json?after=25"] * 2
    assert rows(home, "remote_remixes") == 25


def test_forks_of_our_frames_announced_by_a_peer_bring_their_remixes(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.fork("bus-lisboa", BUS, "https://organizer.example")
    peer.remix("bus-lisboa", "remix-fork")
    peer.remix("unrelated-frame", "remix-other")
    followed(home, peer, admin)
    result = poll_peer(home, peer.url)
    assert (result.forks, result.stored, result.ignored) == (1, 1, 1)
    assert [r.remix_id for r in remote_remixes(home, frame_id=BUS)] == ["remix-fork"]
    assert remote_remixes(home, frame_id="bus-lisboa")[0].frame_title == "Frame bus-lisboa"


def test_remixes_of_our_remixes_show_as_children(home: Store, admin: str, peer: SignedPeer) -> None:
    home.settings = home.settings.__class__(**{**home.settings.__dict__, "public_url": "https://organizer.example"})
    peer.remix("unrelated-frame", "child", remix_of=("our-remix", "https://organizer.example"))
    peer.remix(BUS, "grandchild", remix_of=("child", peer.url))
    followed(home, peer, admin)
    poll_peer(home, peer.url)
    # no local remix 'our-remix' exists, so the child of an unknown frame was not kept; the grandchild was
    assert [r.remix_id for r in remote_remixes(home)] == ["grandchild"]
    assert remote_children(home, "child", instance=peer.url)[0].remix_id == "grandchild"
    assert remote_children(home, "child") == []  # 'child' is not a remix of this instance


# --- refusals ---------------------------------------------------------------------------------------------


def test_forged_and_foreign_records_are_refused_counted_and_never_stored(home: Store, admin: str, peer: SignedPeer) -> None:
    stranger = generate_key()
    honest = peer.remix(BUS, "honest")
    peer.entries.clear()
    peer.append(seal(stranger, honest))  # signed by someone else
    forged = dict(seal(peer.secret, honest))
    forged["record"] = {**forged["record"], "maker": "Mallory"}  # changed after signing
    peer.append(forged)
    peer.remix(BUS, "elsewhere", instance="https://victim.example")  # signed by the peer, speaking for another host
    peer.append({"record": "nonsense", "signature": "x"})
    peer.append(None)
    followed(home, peer, admin)
    result = poll_peer(home, peer.url)
    assert (result.refused, result.stored) == (5, 0)
    error = get_peer(home, peer.url).last_error or ""
    assert error.startswith("refused 5 items: the record's signature does not check")
    assert "speaks for https://victim.example" in " ".join(result.refusals)
    assert rows(home, "remote_remixes") == 0 and get_peer(home, peer.url).cursor == 5  # refused items are not read again


def test_a_page_that_is_not_a_feed_stores_nothing(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.remix(BUS, "remix-one")
    peer.feed_page = lambda after: {"items": "everything"}  # type: ignore[method-assign]
    followed(home, peer, admin)
    result = poll_peer(home, peer.url)
    assert result.error.endswith("answered with something that is not a JSON Feed; nothing was stored")
    assert rows(home, "remote_remixes") == 0 and get_peer(home, peer.url).cursor is None
    assert get_peer(home, peer.url).last_error == result.error


def test_a_next_page_on_another_host_is_not_followed(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.page_size = 1
    peer.remix(BUS, "remix-one")
    peer.remix(BUS, "remix-two")
    original = peer.feed_page
    peer.feed_page = lambda after: {**original(after), "next_url": "http://127.0.0.2:9/federation/feed.json?after=1"}  # type: ignore[method-assign]
    followed(home, peer, admin)
    result = poll_peer(home, peer.url)
    assert "names a next page elsewhere or backwards" in result.error
    assert result.pages == 1 and rows(home, "remote_remixes") == 1


def test_a_changed_key_is_held_until_the_operator_confirms(home: Store, admin: str, peer: SignedPeer) -> None:
    followed(home, peer, admin)
    old = peer.secret.public
    peer.rotate_key()
    peer.remix(BUS, "after-rotation")
    result = poll_peer(home, peer.url)
    assert result.held and result.error == (f"{peer.url} now shows the key {peer.secret.public.id_hex} instead of the "
                                            f"pinned {old.id_hex}; nothing is read from it until the operator confirms the change")
    held = get_peer(home, peer.url)
    assert (held.key_id, held.pending_key_id) == (old.id_hex, peer.secret.public.id_hex)
    assert rows(home, "remote_remixes") == 0 and not any("feed.json" in r for r in peer.requests)
    confirm_key(home, peer.url, key=admin)
    assert get_peer(home, peer.url).key == peer.secret.public.text()
    assert poll_peer(home, peer.url).stored == 1


# --- deletes that arrive ---------------------------------------------------------------------------------------


def test_tombstones_purge_and_are_remembered(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.remix(BUS, "soon-gone")
    followed(home, peer, admin)
    poll_peer(home, peer.url)
    assert rows(home, "remote_remixes") == 1
    peer.tombstone("soon-gone")
    assert poll_peer(home, peer.url).tombstones == 1
    assert rows(home, "remote_remixes") == 0 and rows(home, "tombstones") == 1
    peer.append(peer.record_of("soon-gone"))  # the old record again, replayed at a later number
    peer.tombstone("soon-gone")  # and the tombstone replayed
    peer.tombstone("never-held")  # a delete of something never held here is not remembered
    replay = poll_peer(home, peer.url)
    assert (replay.stored, replay.ignored, replay.tombstones, replay.error) == (0, 1, 0, "")
    assert rows(home, "remote_remixes") == 0 and rows(home, "tombstones") == 1


def test_recheck_drops_what_is_gone_at_its_home(home: Store, admin: str, peer: SignedPeer) -> None:
    for name in ("kept", "hidden-there", "deleted-there"):
        peer.remix(BUS, name)
    followed(home, peer, admin)
    poll_peer(home, peer.url, PollLimits(rechecks=0))
    peer.gone["hidden-there"] = 404
    peer.tombstone("deleted-there")
    peer.entries.pop()  # the tombstone never reaches the feed (say it was lost); the recheck sees the 410
    assert recheck(home, 10) == 2
    assert [r.remix_id for r in remote_remixes(home)] == ["kept"]
    assert home.read().execute("SELECT remix_id FROM tombstones").fetchall() == [("deleted-there",)]


# --- blocks, hides, reports ---------------------------------------------------------------------------------------


def test_blocking_a_peer_removes_all_its_items_at_once(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.fork("bus-lisboa", BUS, "https://organizer.example")
    for n in range(3):
        peer.remix(BUS, f"remix-{n}")
    followed(home, peer, admin)
    poll_peer(home, peer.url)
    assert len(remote_remixes(home)) == 3
    block_peer(home, peer.url, key=admin)
    assert remote_remixes(home) == [] and rows(home, "remote_remixes") == 0 and rows(home, "remote_frames") == 0
    after = poll_peer(home, peer.url)
    assert after.error == f"{peer.url} is blocked; it is not polled" and poll_all(home) == []


def test_blocking_a_key_blocks_every_peer_pinned_to_it(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.remix(BUS, "remix-one")
    followed(home, peer, admin)
    poll_peer(home, peer.url)
    assert block_key(home, peer.secret.public.text(), key=admin) == peer.secret.public.id_hex
    assert remote_remixes(home) == [] and get_peer(home, peer.url).state == "blocked"
    with pytest.raises(GalleryError, match=f"the key {peer.secret.public.id_hex} is blocked on this instance"):
        trust_peer(home, peer.url, key=admin)
    with pytest.raises(GalleryError, match="not a public key"):
        block_key(home, "hello", key=admin)


def test_hide_one_remote_remix(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.remix(BUS, "remix-one")
    peer.remix(BUS, "remix-two")
    followed(home, peer, admin)
    poll_peer(home, peer.url)
    hide_remote(home, peer.url, "remix-one", key=admin)
    assert [r.remix_id for r in remote_remixes(home)] == ["remix-two"]
    peer.append(peer.record_of("remix-one"))  # seen again in the feed: stays hidden
    poll_peer(home, peer.url)
    assert [r.remix_id for r in remote_remixes(home)] == ["remix-two"]


def test_reports_go_to_the_remixes_home(home: Store, admin: str, peer: SignedPeer) -> None:
    peer.remix(BUS, "remix-one")
    followed(home, peer, admin)
    poll_peer(home, peer.url)
    report_remote(home, peer.url, "remix-one", "  hateful   words ")
    assert peer.reports == [{"remix": "remix-one", "reason": "hateful words"}]
    with pytest.raises(GalleryError, match="say what is wrong"):
        report_remote(home, peer.url, "remix-one", " ")
    with pytest.raises(GalleryError, match="there is no remix 'nope'"):
        report_remote(home, peer.url, "nope", "spam")


def test_a_peer_that_does_not_answer_is_named_in_last_error(home: Store, admin: str, peer: SignedPeer) -> None:
    followed(home, peer, admin)
    peer.close()
    result = poll_peer(home, peer.url, PollLimits(seconds=5))
    assert result.error and get_peer(home, peer.url).last_error == result.error
    assert get_peer(home, peer.url).last_poll


def test_the_servers_poller_polls_on_its_own_and_stops(home: Store, admin: str, peer: SignedPeer) -> None:
    from gallery.federation.poller import start_poller

    assert start_poller(home, 0) is None  # FRAME_REMIX_POLL_SECONDS=0: off
    peer.remix(BUS, "remix-one")
    followed(home, peer, admin)
    lines: list[str] = []
    poller = start_poller(home, 0.05, log=lines.append)
    assert poller is not None and start_poller(home, 0.05) is poller  # one per database
    deadline = time.monotonic() + 10
    while not lines and time.monotonic() < deadline:
        time.sleep(0.02)
    poller.stop()
    assert lines and lines[0].startswith(f"frame-remix: polled {peer.url}: 1 kept, 0 deletes, 0 refused")
    assert not poller.thread.is_alive() and rows(home, "remote_remixes") == 1


# --- packs from a followed peer -----------------------------------------------------------------------------


@pytest.fixture
def signed_pack(tmp_path: Path) -> tuple[str, bytes, str]:
    """A frame published on another gallery, packed and signed there: (pack id, zip, frame key text)."""
    from gallery import Settings, close_store, open_store, publish_frame
    from gallery.packs import ensure_signed, pack_frame
    from tests.test_gallery_support import variant

    other = open_store(settings=Settings(data_dir=tmp_path / "other"))
    publish_frame(other, variant("far-frame"))
    data = pack_frame(other, "far-frame")
    stored = ensure_signed(other, get_frame(other, "far-frame"))
    close_store(other)
    return stored.pack_id, data, json.loads(stored.manifest)["key"]


def test_import_a_signed_pack_from_a_followed_peer(home: Store, admin: str, peer: SignedPeer, signed_pack) -> None:
    pack_id, data, key = signed_pack
    peer.packs[pack_id] = data
    peer.frame_keys.append({"frame": "far-frame", "key": key})
    followed(home, peer, admin)
    result = import_from_peer(home, peer.url, pack_id, key=admin)
    assert (result.id, result.signed_by) == ("far-frame", PublicKey.from_text(key).id_hex)


def test_a_pack_under_another_id_or_key_is_refused(home: Store, admin: str, peer: SignedPeer, signed_pack) -> None:
    pack_id, data, _ = signed_pack
    other_id = "sha256-" + "0" * 64
    peer.packs[other_id] = data
    peer.packs[pack_id] = data
    followed(home, peer, admin)
    with pytest.raises(GalleryError, match=re.escape(f"{peer.url} answered with another pack than {other_id[:20]}...")):
        import_from_peer(home, peer.url, other_id, key=admin)
    with pytest.raises(GalleryError, match=f"is signed by a key {re.escape(peer.url)} does not name for 'far-frame'"):
        import_from_peer(home, peer.url, pack_id, key=admin)  # the well-known document lists no key for it
    with pytest.raises(GalleryError, match="is not a pack id"):
        import_from_peer(home, peer.url, "../../etc/passwd", key=admin)
    assert rows(home, "frames") == 1  # the bus frame only


def test_a_kept_remix_keeps_its_record_and_signature(home: Store, admin: str, peer: SignedPeer) -> None:
    from frames.signing import verify
    from gallery.federation.records import canonical_json

    peer.remix(BUS, "remix-one")
    followed(home, peer, admin)
    poll_peer(home, peer.url)
    record, signature = home.read().execute("SELECT record_json, signature FROM remote_remixes").fetchone()
    assert verify(peer.secret.public, canonical_json(json.loads(record)), signature) == "frame-remix remix remix-one"
