"""The only way bytes come from a peer: one bounded HTTP exchange, refused with one sentence.

A peer is another instance an operator chose to follow, but its answers are still untrusted
input: it may be slow on purpose, send a body that never ends, redirect us elsewhere, or send
JSON built to exhaust a parser. So every exchange here keeps four bounds, whatever the peer does:

- **time**: one deadline over the whole exchange (name lookup, connect, TLS, request, headers,
  body, and every redirect), checked before each socket read and write; the socket's timeout is
  re-armed to what is left, so a peer that drips a byte every half second is cut at the deadline
  (a per-read timeout would wait forever);
- **bytes**: the status line and headers (interim 1xx answers included) get 64 KiB; a
  Content-Length above the cap is refused before any body is read; a chunked or unsized body is
  counted while it is read and cut at the cap; chunk framing is capped with everything the
  socket receives;
- **where**: http and https only, at most 3 redirects and only to the same origin (scheme, host,
  port); no cookies, no proxies from the environment (http.client reads none);
- **shape**: `Accept-Encoding: identity`, and a compressed body is refused (no decompression
  bombs); JSON is parsed only after a linear scan proved its nesting is at most 64 levels (the
  parser recurses, a deep document would hit RecursionError), without NaN, Infinity or repeated keys.

Built on the standard library (http.client over a socket we connect ourselves) rather than a
client library: httpx and requests time out per operation (connect, each read), not over a
whole exchange, and both read proxy settings from the environment unless told not to. Name lookup runs in a
helper thread so a resolver that hangs cannot outlast the deadline either.
"""
from __future__ import annotations

import http.client
import io
import json
import math
import re
import socket
import ssl
import threading
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from itertools import accumulate
from typing import Any
from urllib.parse import urljoin, urlsplit

from gallery.errors import GalleryError

MiB = 1024 * 1024
HEADER_ALLOWANCE = 64 * 1024  # for the status line and headers (and interim answers); again for chunk framing
MAX_URL = 2000
MAX_ETAG = 256
MAX_REQUEST_BODY = 64 * 1024  # what we POST (a report) is small; refuse to send more
JSON_TYPES = frozenset({"application/json", "application/feed+json"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_READ = 64 * 1024


def _user_agent() -> str:
    try:
        return f"frame-remix/{version('frame-remix')} (+federation)"
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "frame-remix/0 (+federation)"


USER_AGENT = _user_agent()


class PeerError(GalleryError):
    """A peer could not be reached or answered something we refuse; nothing from it was kept."""


@dataclass(frozen=True)
class FetchLimits:
    """The bounds of one exchange with a peer (redirects included)."""

    deadline_s: float = 10.0
    connect_timeout_s: float = 3.0
    max_bytes: int = 4 * MiB
    max_redirects: int = 3
    max_depth: int = 64


@dataclass(frozen=True)
class Fetched:
    """A peer's answer: the final URL (after same-origin redirects), the status (2xx or 304),
    the body (empty on 304), the ETag if any, and the media type in lower case without
    parameters ("application/json"; "" when the peer sent none)."""

    url: str
    status: int
    body: bytes
    etag: str | None
    content_type: str


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, what goes on the request line
    origin: str


class _Deadline:
    """Seconds left in one exchange; raises TimeoutError once none are."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline")
        return left


class _TooMuch(Exception):
    """The socket received more than the exchange's byte budget; carries what to tell."""


class _BoundedSocket:
    """A connected socket whose every read and write waits at most until the deadline and whose
    reads stop at a byte budget. http.client only needs sendall, recv_into (through makefile)
    and close, so this is the whole surface it sees."""

    def __init__(self, sock: socket.socket, deadline: _Deadline, budget: int, over: str) -> None:
        self._sock = sock
        self._deadline = deadline
        self.received = 0
        self.allow(budget, over)
        self._readers = 0
        self._closed = False

    def allow(self, budget: int, over: str) -> None:
        """From now on, at most `budget` bytes in all may arrive; past that, refuse with `over`."""
        self._budget, self._over = budget, over

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.left())
        self._sock.sendall(data)

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        self._sock.settimeout(self._deadline.left())
        n = self._sock.recv_into(buffer, nbytes or len(buffer), flags)
        self.received += n
        if self.received > self._budget:
            raise _TooMuch(self._over)
        return n

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        """A reader over this socket; like socket.makefile, the socket stays open while it lives
        (http.client closes the connection object as soon as the answer says Connection: close)."""
        self._readers += 1
        return io.BufferedReader(socket.SocketIO(self, "rb"))  # type: ignore[arg-type]

    def _decref_socketios(self) -> None:
        self._readers -= 1
        if self._closed and self._readers <= 0:
            self._sock.close()

    def close(self) -> None:
        self._closed = True
        if self._readers <= 0:
            self._sock.close()

    def close_now(self) -> None:
        """End the exchange whatever still holds a reader."""
        self._closed = True
        self._sock.close()


def _say(peer: str, what: str) -> PeerError:
    return PeerError(f"The peer {peer} {what}.")


def _seconds(x: float) -> str:
    return f"{x:g} second" + ("" if x == 1 else "s")


def _size(n: int) -> str:
    return f"{n // MiB} MiB" if n % MiB == 0 else f"{n:,} bytes"


def _target(url: str) -> _Target:
    """The parts of a peer URL, refusing anything but a plain http(s) address."""
    if len(url) > MAX_URL:
        raise PeerError(f"The peer address is longer than {MAX_URL} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise PeerError(f"The peer address {url[:200]} is not a valid URL.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise PeerError(f"The peer address {url[:200]} is not an http or https URL.")
    if not parts.hostname:
        raise PeerError(f"The peer address {url[:200]} names no host.")
    if parts.username is not None or parts.password is not None:
        raise PeerError(f"The peer address {scheme}://{parts.hostname} carries a user name or password, which is refused.")
    port = port or (443 if scheme == "https" else 80)
    host = parts.hostname.lower()
    shown = f"[{host}]" if ":" in host else host
    default = port == (443 if scheme == "https" else 80)
    origin = f"{scheme}://{shown}" + ("" if default else f":{port}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(scheme, host, port, path, origin)


def _resolve(t: _Target, deadline: _Deadline, timeout: float) -> list[tuple[Any, ...]]:
    """getaddrinfo in a helper thread: the C resolver has no timeout of its own."""
    found: list[Any] = []

    def lookup() -> None:
        try:
            found.append(socket.getaddrinfo(t.host, t.port, type=socket.SOCK_STREAM))
        except OSError as exc:
            found.append(exc)

    worker = threading.Thread(target=lookup, name="peer-dns", daemon=True)
    worker.start()
    worker.join(min(timeout, deadline.left()))
    if not found:
        raise _say(t.origin, f"has a name that did not resolve within {_seconds(timeout)}")
    if isinstance(found[0], OSError):
        raise _say(t.origin, "has a name that does not resolve")
    return list(found[0])


def _connect(t: _Target, deadline: _Deadline, limits: FetchLimits) -> socket.socket:
    """A connected (and for https, TLS-verified) socket to `t`, within the connect timeout."""
    timeout = min(limits.connect_timeout_s, deadline.left())
    connect_end = time.monotonic() + timeout
    error: OSError | None = None
    for family, kind, proto, _, address in _resolve(t, deadline, timeout):
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(max(0.001, connect_end - time.monotonic()))
            sock.connect(address)
            break
        except OSError as exc:
            sock.close()
            error = exc
    else:
        if isinstance(error, TimeoutError):
            raise _say(t.origin, f"did not accept a connection within {_seconds(limits.connect_timeout_s)}")
        if isinstance(error, ConnectionRefusedError):
            raise _say(t.origin, "refused the connection")
        raise _say(t.origin, "could not be reached")
    if t.scheme == "https":
        sock.settimeout(deadline.left())
        try:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=t.host)
        except ssl.SSLCertVerificationError:
            sock.close()
            raise _say(t.origin, "presented a certificate that does not check") from None
        except (ssl.SSLError, OSError):
            sock.close()
            raise
    return sock


def _request_headers(ask: _Ask) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT, "Accept": ask.accept, "Accept-Encoding": "identity", "Connection": "close"}
    if ask.etag:
        headers["If-None-Match"] = ask.etag
    if ask.body is not None:
        headers["Content-Type"] = "application/json"
    return headers


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _status_words(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _read_body(resp: http.client.HTTPResponse, t: _Target, limits: FetchLimits) -> bytes:
    """The body, refused before reading when its announced length is above the cap, and cut at
    the cap while reading when its length is unknown (chunked or until close)."""
    encoding = (resp.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise _say(t.origin, f"sent a {encoding[:20]}-compressed body although none was asked for; nothing was kept")
    if resp.length is not None and resp.length > limits.max_bytes:
        raise _say(t.origin, f"announced a body of {resp.length:,} bytes, more than the {_size(limits.max_bytes)} a peer may send; nothing was kept")
    if (length := resp.length) is not None:
        body = resp.read(length)
        if len(body) < length:
            raise _say(t.origin, "closed the connection before the end of its answer")
        return body
    chunks: list[bytes] = []
    total = 0
    while chunk := resp.read(min(_READ, limits.max_bytes + 1 - total)):
        total += len(chunk)
        if total > limits.max_bytes:
            raise _say(t.origin, f"sent more than the {_size(limits.max_bytes)} a peer may send; nothing was kept")
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass(frozen=True)
class _Ask:
    """What one request sends, and which non-2xx answers the caller reads itself."""

    method: str
    body: bytes | None
    accept: str
    etag: str | None
    accept_status: frozenset[int]


def _exchange(t: _Target, ask: _Ask, deadline: _Deadline, limits: FetchLimits) -> tuple[int, Fetched | str]:
    """One request and answer on a fresh connection: (status, Fetched) or (status, Location)."""
    sock = _BoundedSocket(_connect(t, deadline, limits), deadline, HEADER_ALLOWANCE,
                          f"sent more than {HEADER_ALLOWANCE // 1024} KiB before the body of its answer")
    conn = http.client.HTTPConnection(t.host, t.port)
    conn.sock = sock  # http.client uses only sendall, makefile and close
    try:
        conn.request(ask.method, t.path, body=ask.body, headers=_request_headers(ask))
        resp = conn.getresponse()
        sock.allow(sock.received + limits.max_bytes + HEADER_ALLOWANCE,  # the body, its chunk framing and trailers
                   f"sent more than the {_size(limits.max_bytes)} a peer may send")
        if resp.status in _REDIRECTS:
            return resp.status, resp.getheader("Location") or ""
        if resp.status == 304:
            return 304, Fetched(t.origin + t.path, 304, b"", _etag(resp), _media_type(resp.getheader("Content-Type")))
        if not 200 <= resp.status < 300 and resp.status not in ask.accept_status:
            raise _say(t.origin, f"answered {_status_words(resp.status)} for {t.path[:200]}")
        data = _read_body(resp, t, limits)
        return resp.status, Fetched(t.origin + t.path, resp.status, data, _etag(resp), _media_type(resp.getheader("Content-Type")))
    finally:
        conn.close()
        sock.close_now()


def _etag(resp: http.client.HTTPResponse) -> str | None:
    value = resp.getheader("ETag")
    return value.strip() if value and len(value) <= MAX_ETAG else None


def _follow(location: str, t: _Target, hops: int, limits: FetchLimits) -> _Target:
    """Where a redirect points, if it is allowed: same origin and within the hop limit."""
    if not location:
        raise _say(t.origin, "answered a redirect without saying where to")
    if hops > limits.max_redirects:
        raise _say(t.origin, f"redirected more than {limits.max_redirects} times")
    try:
        nxt = _target(urljoin(t.origin + t.path, location.strip()))
    except PeerError:
        raise _say(t.origin, "redirected to an address that is not a plain http or https URL") from None
    if nxt.origin != t.origin:
        raise _say(t.origin, f"redirected to another host ({nxt.origin[:100]}), which is refused")
    return nxt


def _run(url: str, ask: _Ask, limits: FetchLimits) -> Fetched:
    if ask.method not in ("GET", "POST"):
        raise ValueError(f"fetch only does GET and POST, not {ask.method}")
    if ask.body is not None and len(ask.body) > MAX_REQUEST_BODY:
        raise ValueError(f"a request body to a peer is at most {MAX_REQUEST_BODY} bytes")
    deadline = _Deadline(limits.deadline_s)
    t = _target(url)
    peer = t.origin
    hops = 0
    try:
        while True:
            status, answer = _exchange(t, ask, deadline, limits)
            if isinstance(answer, Fetched):
                return answer
            hops += 1
            t = _follow(answer, t, hops, limits)
            if status in (301, 302, 303) and ask.method == "POST":
                ask = replace(ask, method="GET", body=None)
    except TimeoutError:
        raise _say(peer, f"did not finish answering within {_seconds(limits.deadline_s)}; nothing was kept") from None
    except _TooMuch as too_much:
        raise _say(peer, f"{too_much}; nothing was kept") from None
    except http.client.IncompleteRead:
        raise _say(peer, "closed the connection before the end of its answer") from None
    except (http.client.HTTPException, ValueError):
        raise _say(peer, "sent an answer that is not well-formed HTTP") from None
    except ssl.SSLError:
        raise _say(peer, "failed the TLS handshake") from None
    except OSError:
        raise _say(peer, "broke off the connection") from None


def fetch(
    url: str, *, etag: str | None = None, limits: FetchLimits = FetchLimits(), method: str = "GET",
    json_body: Any = None, body: bytes | None = None, accept_status: Collection[int] = (),
) -> Fetched:
    """GET `url` (or POST `json_body` serialized as JSON, or `body`, bytes that are JSON already)
    within `limits`. A 2xx answer comes back with its body; a 304 (when `etag` was sent as
    If-None-Match) with status 304 and an empty body; a status in `accept_status` (a recheck's
    404 and 410) with its body read under the same bounds; anything else raises PeerError with
    one sentence naming the peer."""
    if json_body is not None and body is not None:
        raise ValueError("pass json_body or body, not both")
    if json_body is not None:
        body = json.dumps(json_body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return _run(url, _Ask(method, body, "*/*", etag, frozenset(accept_status)), limits)


def fetch_json(url: str, *, etag: str | None = None, limits: FetchLimits = FetchLimits()) -> tuple[Any | None, Fetched]:
    """GET `url` and parse its JSON within `limits`: (value, answer), or (None, answer) on 304.
    The answer must say it is JSON (application/json, application/feed+json or any +json type)."""
    answer = _run(url, _Ask("GET", None, "application/json, application/feed+json;q=0.9", etag, frozenset()), limits)
    if answer.status == 304:
        return None, answer
    peer = _target(answer.url).origin
    kind = answer.content_type
    if kind not in JSON_TYPES and not kind.endswith("+json"):
        raise _say(peer, f"answered with {kind[:60] or 'no content type'} where JSON was expected")
    return parse_peer_json(answer.body, peer, max_depth=limits.max_depth), answer


# --- JSON with bounded depth ------------------------------------------------------------------

# A JSON string as the parser sees it (from a quote to the next unescaped quote), or an
# unterminated one up to the end: always matching at a quote keeps the scan linear.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in `text`, brackets inside strings ignored.
    Linear (two regex passes and a running sum in C): about 0.2 s for 4 MiB of brackets."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


class _Refused(ValueError):
    pass


def _no_constants(name: str) -> Any:
    raise _Refused("JSON with NaN or Infinity, which JSON does not allow")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("a JSON number too large to be finite")
    return value


def _unique(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused("a JSON object with a repeated key")
        result[key] = value
    return result


def parse_peer_json(body: bytes, peer: str, *, max_depth: int = 64) -> Any:
    """`body` parsed as strict JSON from `peer`: UTF-8, nesting at most `max_depth` (checked
    before parsing, so no RecursionError), no NaN/Infinity, no repeated keys. PeerError otherwise.
    Use it for any JSON that came from a peer by another way than fetch_json (a pack's pack.json)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _say(peer, "sent JSON that is not UTF-8") from None
    if json_depth(text) > max_depth:
        raise _say(peer, f"sent JSON nested deeper than {max_depth} levels")
    try:
        return json.loads(text, parse_constant=_no_constants, parse_float=_finite, object_pairs_hook=_unique)
    except _Refused as exc:
        raise _say(peer, f"sent {exc}") from None
    except json.JSONDecodeError as exc:
        raise _say(peer, f"sent malformed JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except (ValueError, RecursionError):  # an integer of more than 4300 digits; depth is checked above
        raise _say(peer, "sent JSON with a number too long to read") from None
