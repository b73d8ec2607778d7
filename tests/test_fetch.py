"""The bounded fetch against hostile peers on loopback: every refusal is one exact sentence, comes
within the deadline (plus a margin for a loaded machine) and costs well under twice the byte cap."""
from __future__ import annotations

import json
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.support import free_port
from gallery.errors import GalleryError
from gallery.federation.fetch import USER_AGENT, Fetched, FetchLimits, PeerError, fetch, fetch_json, json_depth, parse_peer_json
from tests.peers import NORMAL, HostilePeer, Reply, gzip_bomb, never_accepting, self_signed

MiB = 1024 * 1024
MARGIN_S = 1.5  # scheduling slack on a shared machine; the bounds under test are seconds apart from it
SHORT = FetchLimits(deadline_s=2.0)


@pytest.fixture(scope="module")
def peer() -> Iterator[HostilePeer]:
    with HostilePeer(lifetime_s=300) as p:
        yield p


@pytest.fixture(scope="module")
def bystander() -> Iterator[HostilePeer]:
    """Another host (another port): a redirect must never reach it."""
    with HostilePeer(lifetime_s=300) as p:
        yield p


def measured(call: Callable[[], Any]) -> tuple[Any, float, int]:
    """(result or raised PeerError, seconds, peak bytes allocated by Python during the call)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.monotonic()
    try:
        result: Any = call()
    except PeerError as exc:
        result = exc
    finally:
        elapsed = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, elapsed, peak


def refused(call: Callable[[], Any], limits: FetchLimits | None = None) -> str:
    """The refusal's sentence, after checking it came in bounded time and memory."""
    limits = limits or FetchLimits()
    result, elapsed, peak = measured(call)
    assert isinstance(result, PeerError), f"expected a refusal, got {result!r}"
    assert elapsed < limits.deadline_s + MARGIN_S, f"refused after {elapsed:.2f} s"
    assert peak < 2 * limits.max_bytes, f"peak {peak:,} bytes"
    return str(result)


# --- what works ---------------------------------------------------------------------------------

def test_normal_json_comes_back_with_its_answer(peer: HostilePeer) -> None:
    (value, answer), _, peak = measured(lambda: fetch_json(peer.url + "/json"))
    assert value == NORMAL
    assert answer == Fetched(peer.url + "/json", 200, json.dumps(NORMAL, ensure_ascii=False).encode(), None, "application/json")
    assert peak < 256 * 1024


def test_request_says_who_we_are_and_asks_for_no_compression(peer: HostilePeer) -> None:
    fetch_json(peer.url + "/json")
    sent = [r for r in peer.requests if r.path == "/json"][-1].headers
    assert sent["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("frame-remix/") and USER_AGENT.endswith(" (+federation)")
    assert sent["accept-encoding"] == "identity"
    assert "cookie" not in sent


def test_etag_then_304_with_empty_body(peer: HostilePeer) -> None:
    value, first = fetch_json(peer.url + "/etag")
    assert value == NORMAL and first.status == 200 and first.etag == '"v1"'
    value, again = fetch_json(peer.url + "/etag", etag=first.etag)
    assert value is None
    assert (again.status, again.body, again.etag) == (304, b"", '"v1"')
    assert [r for r in peer.requests if r.path == "/etag"][-1].headers["if-none-match"] == '"v1"'


def test_post_sends_a_small_json_body(peer: HostilePeer) -> None:
    peer.serve("/federation/reports", lambda r: Reply(202, b'{"ok": true}'))
    answer = fetch(peer.url + "/federation/reports", method="POST", json_body={"remix": "r1", "reason": "spam ✋ سبام"})
    assert answer.status == 202
    request = [r for r in peer.requests if r.path == "/federation/reports"][-1]
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"remix": "r1", "reason": "spam ✋ سبام"}


def test_post_takes_ready_json_bytes_too(peer: HostilePeer) -> None:
    peer.serve("/reports-bytes", lambda r: Reply(202, b"{}"))
    fetch(peer.url + "/reports-bytes", method="POST", body=b'{"remix":"r2"}')
    assert [r for r in peer.requests if r.path == "/reports-bytes"][-1].json() == {"remix": "r2"}


def test_statuses_the_caller_reads_come_back_with_their_body(peer: HostilePeer) -> None:
    """A recheck reads a 410 (its signed tombstone) and a 404 itself, under the same bounds."""
    peer.serve_json("/federation/remixes/gone.json", {"record": {"type": "tombstone"}}, status=410)
    answer = fetch(peer.url + "/federation/remixes/gone.json", accept_status={404, 410})
    assert (answer.status, json.loads(answer.body)) == (410, {"record": {"type": "tombstone"}})
    assert fetch(peer.url + "/not-found", accept_status={404, 410}).status == 404
    assert refused(lambda: fetch(peer.url + "/federation/remixes/gone.json")) == \
        f"The peer {peer.url} answered 410 Gone for /federation/remixes/gone.json."
    block = b"x" * 65536  # made here, not in the server thread: tracemalloc counts every thread
    peer.serve("/gone-big", lambda r: Reply(410, iter([block] * 100)))
    small = FetchLimits(max_bytes=64 * 1024)
    assert refused(lambda: fetch(peer.url + "/gone-big", accept_status={410}, limits=small), small) == \
        f"The peer {peer.url} sent more than the 65,536 bytes a peer may send; nothing was kept."


def test_three_same_origin_redirects_are_followed(peer: HostilePeer) -> None:
    value, answer = fetch_json(peer.url + "/redirect-chain")
    assert value == NORMAL
    assert answer.url == peer.url + "/json"


def test_json_feed_and_plus_json_types_are_json(peer: HostilePeer) -> None:
    peer.serve_json("/feed.json", {"version": "https://jsonfeed.org/version/1.1"}, content_type="application/feed+json")
    peer.serve_json("/ld.json", {"a": 1}, content_type="application/activity+json; charset=utf-8")
    assert fetch_json(peer.url + "/feed.json")[0] == {"version": "https://jsonfeed.org/version/1.1"}
    assert fetch_json(peer.url + "/ld.json")[1].content_type == "application/activity+json"


def test_query_routes_first_then_path(peer: HostilePeer) -> None:
    peer.serve_json("/page.json", {"page": "first"})
    peer.serve_json("/page.json?after=500", {"page": "second"})
    assert fetch_json(peer.url + "/page.json?after=500")[0] == {"page": "second"}
    assert fetch_json(peer.url + "/page.json?after=9")[0] == {"page": "first"}


def test_proxies_in_the_environment_are_ignored(peer: HostilePeer, bystander: HostilePeer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, bystander.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    before = len(bystander.requests)
    assert fetch_json(peer.url + "/json")[0] == NORMAL
    assert len(bystander.requests) == before


# --- hostile peers --------------------------------------------------------------------------------

def test_never_ending_chunked_body_is_cut_at_the_cap(peer: HostilePeer) -> None:
    assert refused(lambda: fetch(peer.url + "/endless")) == \
        f"The peer {peer.url} sent more than the 4 MiB a peer may send; nothing was kept."


def test_gigabyte_with_its_length_is_refused_before_reading(peer: HostilePeer) -> None:
    result, elapsed, peak = measured(lambda: fetch(peer.url + "/gigabyte"))
    assert str(result) == (f"The peer {peer.url} announced a body of 1,073,741,824 bytes, "
                           "more than the 4 MiB a peer may send; nothing was kept.")
    assert peak < 256 * 1024  # not a byte of the body was kept
    assert elapsed < MARGIN_S


def test_gigabyte_without_length_is_cut_at_the_cap(peer: HostilePeer) -> None:
    assert refused(lambda: fetch_json(peer.url + "/gigabyte-unsized")) == \
        f"The peer {peer.url} sent more than the 4 MiB a peer may send; nothing was kept."


def test_a_smaller_cap_is_kept_too(peer: HostilePeer) -> None:
    small = FetchLimits(max_bytes=100_000)
    assert refused(lambda: fetch(peer.url + "/gigabyte-unsized", limits=small), small) == \
        f"The peer {peer.url} sent more than the 100,000 bytes a peer may send; nothing was kept."


@pytest.mark.slow  # waits out the deadline, by design
@pytest.mark.parametrize("mode", ["slow-loris", "slow-body", "silent"])
def test_slow_peers_are_cut_at_the_deadline(peer: HostilePeer, mode: str) -> None:
    """A byte every 0.5 s (from the status line, or after the headers) or nothing at all: a
    per-read timeout would wait forever, the deadline over the exchange does not."""
    result, elapsed, _ = measured(lambda: fetch_json(f"{peer.url}/{mode}", limits=SHORT))
    assert str(result) == f"The peer {peer.url} did not finish answering within 2 seconds; nothing was kept."
    assert SHORT.deadline_s - 0.1 < elapsed < SHORT.deadline_s + MARGIN_S


@pytest.mark.slow  # waits out the connect timeout, by design
def test_a_peer_that_never_accepts_is_cut_at_the_connect_timeout() -> None:
    quick = FetchLimits(connect_timeout_s=1.0)
    with never_accepting() as url:
        result, elapsed, _ = measured(lambda: fetch(url + "/x", limits=quick))
    assert str(result) == f"The peer {url} did not accept a connection within 1 second."
    assert 0.9 < elapsed < 1.0 + MARGIN_S


@pytest.mark.parametrize(("mode", "sentence"), [
    ("endless-headers", "sent an answer that is not well-formed HTTP"),
    ("endless-continue", "sent more than 64 KiB before the body of its answer; nothing was kept"),
    ("huge-header", "sent more than 64 KiB before the body of its answer; nothing was kept"),
    ("not-http", "sent an answer that is not well-formed HTTP"),
])
def test_headers_are_bounded_too(peer: HostilePeer, mode: str, sentence: str) -> None:
    """Headers that never end, interim 100 answers forever, a megabyte header, not HTTP at all."""
    result, elapsed, peak = measured(lambda: fetch(f"{peer.url}/{mode}"))
    assert str(result) == f"The peer {peer.url} {sentence}."
    assert elapsed < MARGIN_S
    assert peak < 512 * 1024


def test_redirect_to_another_port_is_refused_and_never_followed(peer: HostilePeer, bystander: HostilePeer) -> None:
    peer.redirect("/away", bystander.url + "/json")
    assert refused(lambda: fetch_json(peer.url + "/away")) == \
        f"The peer {peer.url} redirected to another host ({bystander.url}), which is refused."
    assert bystander.asked("/json") == 0


@pytest.mark.parametrize(("location", "target"), [
    ("http://localhost:{port}/json", "http://localhost:{port}"),
    ("//localhost:{port}/json", "http://localhost:{port}"),
    ("https://127.0.0.1:{port}/json", "https://127.0.0.1:{port}"),
])
def test_redirect_to_another_host_name_or_scheme_is_refused(peer: HostilePeer, location: str, target: str) -> None:
    peer.redirect("/elsewhere", location.format(port=peer.port))
    assert refused(lambda: fetch_json(peer.url + "/elsewhere")) == \
        f"The peer {peer.url} redirected to another host ({target.format(port=peer.port)}), which is refused."


def test_redirect_loop_stops_after_three(peer: HostilePeer) -> None:
    before = peer.asked("/redirect-loop")
    assert refused(lambda: fetch(peer.url + "/redirect-loop")) == f"The peer {peer.url} redirected more than 3 times."
    assert peer.asked("/redirect-loop") - before == 4  # the first request and three redirects


def test_redirect_to_a_file_url_is_refused(peer: HostilePeer) -> None:
    peer.redirect("/to-file", "file:///etc/passwd")
    assert refused(lambda: fetch(peer.url + "/to-file")) == \
        f"The peer {peer.url} redirected to an address that is not a plain http or https URL."


def test_malformed_json_is_refused(peer: HostilePeer) -> None:
    assert refused(lambda: fetch_json(peer.url + "/malformed")) == \
        f"The peer {peer.url} sent malformed JSON (line 1, column 17: Expecting value)."


def test_deeply_nested_json_is_refused_without_recursion(peer: HostilePeer) -> None:
    assert refused(lambda: fetch_json(peer.url + "/deep")) == f"The peer {peer.url} sent JSON nested deeper than 64 levels."


def test_gzip_bomb_is_refused_without_inflating(peer: HostilePeer) -> None:
    assert len(gzip_bomb()) < 2 * MiB  # built (once) before the clock starts
    result, elapsed, peak = measured(lambda: fetch_json(peer.url + "/gzip-bomb"))
    assert str(result) == f"The peer {peer.url} sent a gzip-compressed body although none was asked for; nothing was kept."
    assert elapsed < MARGIN_S
    assert peak < 2 * MiB  # the ~64 KB compressed body (64 MiB inflated) is never even read


def test_wrong_content_type_is_refused(peer: HostilePeer) -> None:
    assert refused(lambda: fetch_json(peer.url + "/wrong-type")) == \
        f"The peer {peer.url} answered with text/html where JSON was expected."


@pytest.mark.parametrize(("mode", "words"), [("error-500", "500 Internal Server Error"), ("not-found", "404 Not Found")])
def test_error_status_is_named(peer: HostilePeer, mode: str, words: str) -> None:
    assert refused(lambda: fetch(f"{peer.url}/{mode}")) == f"The peer {peer.url} answered {words} for /{mode}."


def test_a_closed_port_is_refused() -> None:
    port = free_port()
    assert refused(lambda: fetch(f"http://127.0.0.1:{port}/x")) == f"The peer http://127.0.0.1:{port} refused the connection."


def test_a_body_shorter_than_announced_is_refused(peer: HostilePeer) -> None:
    peer.serve("/short", lambda r: Reply(200, b'{"a": 1}', length=100))
    assert refused(lambda: fetch(peer.url + "/short")) == f"The peer {peer.url} closed the connection before the end of its answer."


@pytest.mark.parametrize(("url", "sentence"), [
    ("file:///etc/passwd", "The peer address file:///etc/passwd is not an http or https URL."),
    ("ftp://127.0.0.1/x", "The peer address ftp://127.0.0.1/x is not an http or https URL."),
    ("http://user:pw@127.0.0.1/x", "The peer address http://127.0.0.1 carries a user name or password, which is refused."),
    ("http:///x", "The peer address http:///x names no host."),
    ("http://127.0.0.1:99999/x", "The peer address http://127.0.0.1:99999/x is not a valid URL."),
])
def test_only_plain_http_addresses(url: str, sentence: str) -> None:
    assert refused(lambda: fetch(url)) == sentence


def test_peer_error_is_a_gallery_error() -> None:
    assert issubclass(PeerError, GalleryError)


def test_limits_are_frozen() -> None:
    limits = FetchLimits()
    assert (limits.deadline_s, limits.connect_timeout_s, limits.max_bytes) == (10.0, 3.0, 4 * MiB)
    with pytest.raises(AttributeError):
        limits.max_bytes = 1  # type: ignore[misc]


# --- JSON from a peer --------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "sentence"), [
    (b'{"x": NaN}', "sent JSON with NaN or Infinity, which JSON does not allow"),
    (b'[-Infinity]', "sent JSON with NaN or Infinity, which JSON does not allow"),
    (b'[1e999]', "sent a JSON number too large to be finite"),
    (b'{"a": 1, "a": 2}', "sent a JSON object with a repeated key"),
    (b'"\xff"', "sent JSON that is not UTF-8"),
    (b"[" + b"1" * 5000 + b"]", "sent JSON with a number too long to read"),
    (b"[" * 65 + b"]" * 65, "sent JSON nested deeper than 64 levels"),
    (b'{"a": ' * 65 + b"1" + b"}" * 65, "sent JSON nested deeper than 64 levels"),
    (b'"unterminated \\', "sent malformed JSON (line 1, column 1: Unterminated string starting at)"),
])
def test_json_refusals(body: bytes, sentence: str) -> None:
    with pytest.raises(PeerError) as caught:
        parse_peer_json(body, "http://peer.example")
    assert str(caught.value) == f"The peer http://peer.example {sentence}."


def test_sixty_four_levels_and_brackets_in_strings_are_fine() -> None:
    assert parse_peer_json(b"[" * 64 + b"]" * 64, "p") == json.loads("[" * 64 + "]" * 64)
    tricky = json.dumps({"s": "[[[[{{{{" * 100 + '\\"]]', "t": ["\\", "\"[", "]"]}).encode()
    assert json_depth(tricky.decode()) == 2
    assert parse_peer_json(tricky, "p") == json.loads(tricky)


def test_depth_scan_is_linear_on_hostile_strings() -> None:
    """Many quotes and escapes with no end: a naive regex backtracks quadratically here."""
    text = '"' + '\\"' * 1_000_000 + '['
    start = time.monotonic()
    assert json_depth(text) == 0
    assert time.monotonic() - start < 2.0


# --- https ----------------------------------------------------------------------------------------

def test_https_peer_with_an_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    with HostilePeer(tls=self_signed(tmp_path)) as tls_peer:
        assert refused(lambda: fetch_json(tls_peer.url + "/json")) == \
            f"The peer {tls_peer.url} presented a certificate that does not check."


@pytest.mark.slow  # waits out the deadline of a slow peer over TLS
def test_https_peer_with_a_trusted_certificate_works_and_stays_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cert, key = self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # OpenSSL reads it when the default context loads its roots
    with HostilePeer(tls=(cert, key)) as tls_peer:
        assert fetch_json(tls_peer.url + "/json")[0] == NORMAL
        assert refused(lambda: fetch(tls_peer.url + "/endless")) == \
            f"The peer {tls_peer.url} sent more than the 4 MiB a peer may send; nothing was kept."
        result, elapsed, _ = measured(lambda: fetch(tls_peer.url + "/slow-loris", limits=SHORT))
        assert str(result) == f"The peer {tls_peer.url} did not finish answering within 2 seconds; nothing was kept."
        assert elapsed < SHORT.deadline_s + MARGIN_S
