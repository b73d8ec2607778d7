"""Federation end to end: real instances following each other, and hostile peers refused.

The journeys run real instances: separate data folders, each its own `streamlit run` server on a
free 127.0.0.1 port (marked slow), driven the way an operator's CLI and a participant's publish
drive them (the same gallery calls the app makes). Hostile peers are part B's harness
(tests/peers.py): each mode is refused within bounded time and memory, and nothing is stored.
"""
from __future__ import annotations

import io
import json
import os
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from benchmarks.support import free_port
from frames.errors import FrameRemixError
from frames.signing import PublicKey, SecretKey, generate_key
from gallery import Settings, close_store, delete_remix, fork_frame, get_frame, get_remix, publish_frame, remix_lineage
from gallery.db import Store
from gallery.errors import GalleryError
from gallery.federation.fetch import fetch_json
from gallery.federation.follow import (
    PollLimits,
    add_peer,
    block_peer,
    confirm_key,
    get_peer,
    import_from_peer,
    list_peers,
    poll_peer,
    trust_peer,
)
from gallery.federation.keyring import revoke_key
from gallery.federation.records import FEED_EXTENSION, FrameRef, RemixRecord, TombstoneRecord, seal
from gallery.federation.remote import remote_children, remote_queue, remote_remixes, remote_thumb
from gallery.framestore import install_bundled
from gallery.instance import open_instance
from gallery.packs import adapted_from_status, ensure_signed
from remix.render import RenderOptions
from tests.conftest import running_app
from tests.peers import HostilePeer, Reply, Request, gzip_bomb
from tests.test_gallery_support import BUS, bus, publish, variant

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


def refused_within_bounds(store: Store, peer: HostilePeer, limits: PollLimits = LIMITS, *,
                          memory: int = 64 * 1024 * 1024) -> Any:
    """Poll the peer and prove the bounds: under the time limit (plus slack for a loaded machine),
    under `memory` bytes of Python allocations (64 MB), nothing stored. Returns the poll's result."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        result = poll_peer(store, peer.url, limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.monotonic() - started
    assert elapsed < limits.seconds + 3, f"the poll took {elapsed:.1f} s"
    assert peak < memory, f"the poll allocated {peak / 2**20:.0f} MB"
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


@pytest.mark.parametrize("shape", ["objects", "lists"])
def test_the_densest_json_a_page_may_hold_stays_bounded(hostile: Hostile, shape: str) -> None:
    """A page at the default byte cap of the smallest JSON values (the most objects per byte a
    parser can be made to build) is parsed and refused within 128 MB of allocations."""
    budget = PollLimits().page_bytes - 64
    if shape == "objects":
        keys = (f'"k{n}":0' for n in range(budget // 6))
        body = ("{" + ",".join(keys) + "}").encode()[:budget - 1]
        body = body[:body.rfind(b",")] + b"}"
    else:
        body = ("[" + ",".join(["[]"] * (budget // 3)) + "]").encode()
    hostile.peer.serve_bytes(FEED, body, content_type="application/feed+json")
    result = refused_within_bounds(hostile.store, hostile.peer, PollLimits(seconds=20, request_seconds=15),
                                   memory=128 * 1024 * 1024)
    assert "is not a JSON Feed" in result.error


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


@pytest.mark.parametrize(("mode", "sentence"), [
    ("redirect-away", "redirected to another host"),
    ("gigabyte", "more than the 262,144 bytes a peer may send"),
    ("malformed", "sent malformed JSON"),
    ("wrong-type", "where JSON was expected"),
])
def test_a_hostile_well_known_document_is_refused(store: Store, admin: str, mode: str, sentence: str) -> None:
    with HostilePeer(lifetime_s=30) as peer:
        peer.serve_mode(WELL_KNOWN, mode)
        started = time.monotonic()
        with pytest.raises(GalleryError, match=sentence):
            add_peer(store, peer.url, key=admin)
        assert time.monotonic() - started < PollLimits().request_seconds + 3
    assert store.read().execute("SELECT count(*) FROM peers").fetchone()[0] == 0


@pytest.mark.parametrize("mode", ["gigabyte", "slow-body", "wrong-type"])
def test_a_hostile_thumbnail_leaves_the_record_without_one_within_bounds(hostile: Hostile, mode: str) -> None:
    """The record is sound and signed, so it is kept; its thumbnail is refused within the poll's
    limits and the gallery shows the remix without a picture until a later poll gets one."""
    peer = hostile.peer
    envelope = seal(hostile.secret, remix_record(peer, "sound"))
    peer.serve_json(FEED, feed(peer, [envelope]), content_type="application/feed+json")
    peer.serve_json("/federation/remixes/sound.json", envelope)  # the recheck finds it still published
    peer.serve_mode("/federation/remixes/sound/thumb.jpg", mode)
    tracemalloc.start()
    started = time.monotonic()
    result = poll_peer(hostile.store, peer.url, LIMITS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.monotonic() - started < LIMITS.seconds + 3 and peak < 64 * 1024 * 1024
    assert (result.stored, result.thumbs, result.error) == (1, 1, "")
    row = hostile.store.read().execute("SELECT thumb FROM remote_remixes WHERE remix_id = 'sound'").fetchone()
    assert row == (None,)



# --- real instances ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Instance:
    """A running instance: its address, data folder, admin key and the operator's store on it
    (the CLI's view: another process on the same database, as on a real server)."""

    name: str
    url: str
    data: Path
    admin: str
    store: Store


@pytest.fixture(scope="module")
def instances(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Instance]]:
    """Instances A and B: each its own `streamlit run` on a free loopback port and data folder."""
    with ExitStack() as stack:
        running: dict[str, Instance] = {}
        for name in ("a", "b"):
            port = free_port()
            url, data, admin = f"http://127.0.0.1:{port}", tmp_path_factory.mktemp(f"instance-{name}"), f"admin-{name}-0123456789abcdef"
            env = {**os.environ, "FRAME_REMIX_PUBLIC_URL": url, "FRAME_REMIX_DATA": str(data), "FRAME_REMIX_ADMIN_KEY": admin,
                   "FRAME_REMIX_POLL_SECONDS": "0"}
            stack.enter_context(running_app(env, data.parent / f"{name}.log", port))
            store = open_instance(Settings(public_url=url, data_dir=data, admin_key=admin)).store
            stack.callback(close_store, store)
            running[name] = Instance(name, url, data, admin, store)
        yield running


def follow(follower: Instance, peer: Instance) -> None:
    if not any(p.url == peer.url for p in list_peers(follower.store)):
        add_peer(follower.store, peer.url, key=follower.admin)
        trust_peer(follower.store, peer.url, key=follower.admin)


def shown(instance: Instance, **kw: Any) -> list[str]:
    return [r.remix_id for r in remote_remixes(instance.store, **kw)]


@pytest.mark.slow
def test_one_campaign_across_two_instances(instances: dict[str, Instance]) -> None:
    a, b = instances["a"], instances["b"]
    # A publishes a frame, and an organizer's remix of it
    publish_frame(a.store, variant("climate-a", title="Climate A"))
    ours = publish(a.store, get_frame(a.store, "climate-a"), city="Porto", options=RenderOptions(maker="Ola", public_url=a.url))
    pack = ensure_signed(a.store, get_frame(a.store, "climate-a")).pack_id
    # B follows A, imports the signed pack from A's route, forks it
    add_peer(b.store, a.url, key=b.admin)
    assert get_peer(b.store, a.url).state == "new" and get_peer(b.store, a.url).key == well_known_key(a)
    trust_peer(b.store, a.url, key=b.admin)
    imported = import_from_peer(b.store, a.url, pack, key=b.admin)
    assert (imported.id, imported.signed_by) == ("climate-a", _frame_key(a, "climate-a"))
    fork_frame(b.store, "climate-a", "climate-b")
    assert adapted_from_status(b.store, "climate-b", 1) == "verified"
    # a participant on B remixes A's remix with the fork
    theirs = publish(b.store, get_frame(b.store, "climate-b"), city="Faro", remix_of=ours.id, remix_of_instance=a.url,
                     options=RenderOptions(maker="Bea 🌍", public_url=b.url))
    parent = remix_lineage(b.store, theirs.id).ancestors[0]
    assert (parent.id, parent.status, parent.instance) == (ours.id, "remote", a.url)  # lineage on B: the parent on A
    assert poll_peer(b.store, a.url).stored == 1  # B keeps A's remix of the frame it imported: now it can name its maker
    assert remix_lineage(b.store, theirs.id).ancestors[0].label == "remix by Ola"
    assert "based on remix by Ola" in get_remix(b.store, theirs.id).credits.line
    # A follows B: the remix waits as pending until A trusts B, then shows credited to B, linked there
    add_peer(a.store, b.url, key=a.admin)
    first = poll_peer(a.store, b.url)
    assert (first.stored, first.refused, first.error) == (1, 0, "")
    assert shown(a) == [] and [r.remix_id for r in remote_queue(a.store, key=a.admin)] == [theirs.id]
    trust_peer(a.store, b.url, key=a.admin)
    (remix,) = remote_remixes(a.store, frame_id="climate-a")
    assert (remix.remix_id, remix.maker, remix.host, remix.frame_id) == (theirs.id, "Bea 🌍", b.url.split("//")[1], "climate-b")
    assert remix.page.startswith(b.url) and (remix.remix_of_id, remix.remix_of_instance) == (ours.id, a.url)
    assert [c.remix_id for c in remote_children(a.store, ours.id)] == [theirs.id]  # lineage on A: the child on B
    thumb = Image.open(io.BytesIO(remote_thumb(a.store, b.url, theirs.id)))
    assert thumb.format == "JPEG" and max(thumb.size) <= 480 and not thumb.getexif()
    assert poll_peer(a.store, b.url).not_modified is False and poll_peer(a.store, b.url).not_modified  # ETag: 304
    # the participant deletes it on B: A no longer shows it after the next poll, and remembers the delete
    delete_remix(b.store, theirs.id, theirs.delete_key)
    gone = poll_peer(a.store, b.url)
    assert (gone.tombstones, gone.error) == (1, "")
    assert shown(a) == [] and remote_children(a.store, ours.id) == [] and _count(a, "remote_remixes") == 0
    assert _count(a, "tombstones") == 1
    # B's instance key changes: A holds B until its operator confirms
    revoke_key(b.store, get_peer(a.store, b.url).key_id, b.admin)
    held = poll_peer(a.store, b.url)
    assert held.held and get_peer(a.store, b.url).pending_key == well_known_key(b)
    again = publish(b.store, get_frame(b.store, "climate-b"), remix_of=ours.id, remix_of_instance=a.url,
                    options=RenderOptions(maker="Caio", public_url=b.url))
    assert poll_peer(a.store, b.url).held and shown(a) == []
    confirm_key(a.store, b.url, key=a.admin)
    assert poll_peer(a.store, b.url).stored == 1 and shown(a, frame_id="climate-a") == [again.id]
    # A blocks B: its items are gone at once
    block_peer(a.store, b.url, key=a.admin)
    assert shown(a) == [] and remote_children(a.store, ours.id) == [] and _count(a, "remote_remixes") == 0


@pytest.mark.slow
def test_a_pack_changed_after_signing_is_refused_through_the_real_route(instances: dict[str, Instance]) -> None:
    a, b = instances["a"], instances["b"]
    publish_frame(a.store, variant("tampered-a", title="Tampered"))
    frame = get_frame(a.store, "tampered-a")
    pack = ensure_signed(a.store, frame).pack_id
    name, data = next((n, d) for n, d in sorted(frame.assets.items()) if n.endswith(".png"))
    changed = _recolour(data)
    with a.store.write() as db:  # the host's copy of the image changes after signing (a break-in, a bad disk)
        db.execute("UPDATE assets SET data = ? WHERE hash = (SELECT hash FROM frame_assets WHERE frame_id = ? AND name = ?)",
                   [changed, "tampered-a", name])
    follow(b, a)
    with pytest.raises(FrameRemixError) as refused:
        import_from_peer(b.store, a.url, pack, key=b.admin)
    assert str(refused.value) == f"'{name}' does not match its hash in pack.json (changed after signing?); the pack was refused"
    assert b.store.read().execute("SELECT count(*) FROM frames WHERE id = 'tampered-a'").fetchone()[0] == 0


def well_known_key(instance: Instance) -> str:
    data, _ = fetch_json(instance.url + WELL_KNOWN)
    return data["key"]


def _frame_key(instance: Instance, frame_id: str) -> str:
    data, _ = fetch_json(instance.url + WELL_KNOWN)
    return next(PublicKey.from_text(k["key"]).id_hex for k in data["frame_keys"] if k["frame"] == frame_id)


def _count(instance: Instance, table: str) -> int:
    return instance.store.read().execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _recolour(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    image.paste((255, 0, 0, 255), (0, 0, 8, 8))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.slow
def test_the_servers_own_poller_reads_followed_peers(tmp_path: Path) -> None:
    """FRAME_REMIX_POLL_SECONDS=1: the app's entry starts the poller, which keeps a peer's remix
    without anyone pressing Poll now."""
    from benchmarks.signed_peer import SignedPeer

    admin = "admin-poller-0123456789abcdef"
    store = open_instance(Settings(data_dir=tmp_path, admin_key=admin)).store
    with SignedPeer() as peer:
        peer.remix(BUS, "polled-by-the-server", maker="Sol")
        add_peer(store, peer.url, key=admin)
        trust_peer(store, peer.url, key=admin)
        env = {**os.environ, "FRAME_REMIX_DATA": str(tmp_path), "FRAME_REMIX_ADMIN_KEY": admin, "FRAME_REMIX_POLL_SECONDS": "1"}
        with running_app(env, tmp_path / "server.log"):
            deadline = time.monotonic() + 30
            while not remote_remixes(store) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert [r.remix_id for r in remote_remixes(store)] == ["polled-by-the-server"]
        assert f"polled {peer.url}: 1 kept" in (tmp_path / "server.log").read_text()
    close_store(store)
