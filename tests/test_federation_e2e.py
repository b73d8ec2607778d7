"""Federation end to end: real instances following each other, and hostile peers refused.

The journeys run real instances: separate data folders, each its own `streamlit run` server on a
free 127.0.0.1 port (marked slow), driven the way an operator's CLI and a participant's publish
drive them (the same gallery calls the app makes). Hostile peers are part B's harness
(tests/peers.py): each mode is refused within bounded time and memory, and nothing is stored.
"""
from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from frames.signing import SecretKey, generate_key
from gallery.db import Store
from gallery.errors import GalleryError
from gallery.federation.follow import PollLimits, add_peer, get_peer, poll_peer, trust_peer
from gallery.federation.records import FEED_EXTENSION, FrameRef, RemixRecord, TombstoneRecord, seal
from gallery.framestore import install_bundled
from tests.peers import HostilePeer, Reply, Request, gzip_bomb
from tests.test_gallery_support import BUS, bus

WELL_KNOWN = "/.well-known/frame-remix.json"
FEED = "/federation/feed.json"
TABLES = ("remote_remixes", "tombstones", "remote_frames")
LIMITS = PollLimits(seconds=4, request_seconds=2, page_bytes=2 * 1024 * 1024, bytes=8 * 1024 * 1024, pages=5)
STAMP = "2026-12-01T08:00:00Z"
HASH = "sha256-" + "cd" * 32


# --- hostile peers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    peer: HostilePeer
    secret: SecretKey
    store: Store


@pytest.fixture
def hostile(store: Store, admin: str) -> Iterator[Hostile]:
    """A hostile peer the operator followed and trusted (its well-known document is sound; its
    key is `secret`), and a gallery that holds the bus frame."""
    install_bundled(store, bus())
    secret = generate_key()
    with HostilePeer(lifetime_s=60) as peer:
        peer.serve_json(WELL_KNOWN, {"software": "frame-remix", "protocol": 1, "instance": peer.url,
                                     "key": secret.public.text(), "key_id": secret.public.id_hex,
                                     "feed": peer.url + FEED, "frame_keys": [], "revoked": []})
        add_peer(store, peer.url, key=admin)
        trust_peer(store, peer.url, key=admin)
        yield Hostile(peer, secret, store)


def remix_record(peer: HostilePeer, remix_id: str, instance: str | None = None) -> RemixRecord:
    home = instance or peer.url
    return RemixRecord(id=remix_id, instance=home, frame=FrameRef(id=BUS, version=1), frame_title="Bus",
                       images={"square": HASH}, thumbnail=f"{home}/federation/remixes/{remix_id}/thumb.jpg",
                       page=f"{home}/gallery?remix={remix_id}", maker="Mallory", created=STAMP)


def feed(peer: HostilePeer, envelopes: list[Any], *, start: int = 1, next_url: str | None = None) -> dict[str, Any]:
    items = [{"id": f"{peer.url}/federation/outbox/{start + n}", FEED_EXTENSION: e} for n, e in enumerate(envelopes)]
    page: dict[str, Any] = {"version": "https://jsonfeed.org/version/1.1", "title": "hostile", "items": items}
    if next_url:
        page["next_url"] = next_url
    return page


def refused_within_bounds(store: Store, peer: HostilePeer, limits: PollLimits = LIMITS) -> Any:
    """Poll the peer and prove the bounds: under the time limit (plus slack for a loaded machine),
    under 64 MB of Python allocations, nothing stored. Returns the poll's result."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = poll_peer(store, peer.url, limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert elapsed < limits.seconds + 3, f"the poll took {elapsed:.1f} s"
    assert peak < 64 * 1024 * 1024, f"the poll allocated {peak / 2**20:.0f} MB"
    assert {t: store.read().execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES} == dict.fromkeys(TABLES, 0)
    return result


@pytest.mark.parametrize(("mode", "sentence"), [
    ("endless", "sent more than the 2 MiB a peer may send; nothing was kept"),
    ("gigabyte", "announced a body of 1,073,741,824 bytes, more than the 2 MiB a peer may send; nothing was kept"),
    ("gigabyte-unsized", "sent more than the 2 MiB a peer may send; nothing was kept"),
    ("slow-loris", "did not finish answering within 2 seconds; nothing was kept"),
    ("slow-body", "did not finish answering within 2 seconds; nothing was kept"),
    ("silent", "did not finish answering within 2 seconds; nothing was kept"),
    ("redirect-away", "redirected to another host"),
    ("redirect-loop", "redirected more than 3 times"),
    ("malformed", "sent malformed JSON"),
    ("deep", "sent JSON nested deeper than 64 levels"),
    ("nan", "sent JSON with NaN or Infinity"),
    ("gzip-bomb", "-compressed body although none was asked for"),
    ("wrong-type", "answered with text/html where JSON was expected"),
    ("error-500", "answered 500 Internal Server Error"),
])
def test_a_hostile_feed_is_refused_within_bounds(hostile: Hostile, mode: str, sentence: str) -> None:
    if mode == "gzip-bomb":
        gzip_bomb()  # built once per session (seconds), before the clock starts
    hostile.peer.serve_mode(FEED, mode)
    result = refused_within_bounds(hostile.store, hostile.peer)
    assert sentence in result.error
    assert sentence in (get_peer(hostile.store, hostile.peer.url).last_error or "")


def test_forged_malformed_and_foreign_records_are_refused(hostile: Hostile) -> None:
    peer, secret = hostile.peer, hostile.secret
    stranger = generate_key()
    honest = remix_record(peer, "honest")
    changed = dict(seal(secret, honest))
    changed["record"] = {**changed["record"], "maker": "Someone else"}
    envelopes = [seal(stranger, honest), changed, seal(secret, remix_record(peer, "far", "https://victim.example")),
                 {"record": {"type": "remix"}, "signature": "untrusted comment: x\nnope"}, "a string", None,
                 {"record": {"type": "remix", "id": "x" * 10_000}, "signature": ""}]
    peer.serve_json(FEED, feed(peer, envelopes), content_type="application/feed+json")
    result = refused_within_bounds(hostile.store, peer)
    assert (result.refused, result.stored) == (len(envelopes), 0)
    assert result.refusals[0].startswith("the record's signature does not check")


def test_replayed_tombstones_store_nothing(hostile: Hostile) -> None:
    peer, secret = hostile.peer, hostile.secret
    tomb = seal(secret, TombstoneRecord(id="never-here", instance=peer.url, deleted=STAMP))
    peer.serve_json(FEED, feed(peer, [tomb] * 200), content_type="application/feed+json")
    result = refused_within_bounds(hostile.store, peer)
    assert (result.tombstones, result.refused, result.error) == (0, 0, "")


def test_a_feed_whose_pages_never_end_stops_at_the_page_limit(hostile: Hostile) -> None:
    peer = hostile.peer
    stranger = generate_key()
    forged = seal(stranger, remix_record(peer, "forged"))

    def page(request: Request) -> Reply:
        after = int(request.path.partition("after=")[2] or 0)
        body = feed(peer, [forged] * 500, start=after + 1, next_url=f"{peer.url}{FEED}?after={after + 500}")
        return Reply(200, json.dumps(body).encode(), "application/feed+json")

    peer.serve(FEED, page)
    result = refused_within_bounds(hostile.store, peer)
    assert result.pages == LIMITS.pages and result.refused == 500 * LIMITS.pages
    assert peer.asked(FEED) == LIMITS.pages


def test_a_well_known_document_that_redirects_elsewhere_is_refused(store: Store, admin: str) -> None:
    with HostilePeer(lifetime_s=30) as peer:
        peer.serve_mode(WELL_KNOWN, "redirect-away")
        with pytest.raises(GalleryError, match="redirected to another host"):
            add_peer(store, peer.url, key=admin)
    assert store.read().execute("SELECT count(*) FROM peers").fetchone()[0] == 0

