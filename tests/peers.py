"""A hostile peer for tests: a tiny threaded HTTP server on 127.0.0.1 that answers what a test says.

    with HostilePeer() as peer:
        peer.serve_json("/.well-known/frame-remix.json", {...})
        peer.serve_json("/federation/feed.json", feed, etag='"v1"')   # honours If-None-Match
        peer.serve_mode("/federation/feed.json", "endless")           # the same path, now hostile
        peer.serve("/federation/remixes/r1.json", lambda req: Reply(410, body, "application/json"))
        fetch_json(peer.url + "/federation/feed.json")
        peer.requests  # what was asked: method, path, headers, body

Every mode of `MODES` is also served at `/<mode>` (e.g. `peer.url + "/slow-loris"`). A route
is looked up by path with its query first (`/feed.json?after=10`), then by path alone. Unknown
paths answer 404. The server lives at most `lifetime_s` seconds (it stops itself), streams end
when it stops, and it binds loopback only; nothing here reaches the network.
"""
from __future__ import annotations

import gzip
import io
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

GIB = 1024 * 1024 * 1024
_BLOCK = b"\0" * (64 * 1024)


@dataclass(frozen=True)
class Request:
    """One request the peer received (body capped at 1 MiB)."""

    method: str
    path: str  # with the query string
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    """A whole answer. `body` may be bytes or an iterator of byte blocks (streamed); `chunked`
    sends it with Transfer-Encoding: chunked; `length` sets Content-Length (defaults to len(body)
    for bytes, none for an iterator, which then ends with the connection)."""

    status: int = 200
    body: bytes | Iterator[bytes] = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    chunked: bool = False
    length: int | None = None
    drip_s: float = 0.0  # when > 0, the whole answer (status line included) goes out a byte at a time
    raw: bool = False  # `body` is the whole answer as it goes on the wire: no status line or headers added


Handler = Callable[[Request], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    peer: HostilePeer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: pytest shows failures, not traffic
        pass

    def _handle(self) -> None:
        self.connection.settimeout(10)
        length = min(int(self.headers.get("Content-Length") or 0), 1024 * 1024)
        body = self.rfile.read(length) if length else b""
        request = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        peer = self.server.peer
        peer.requests.append(request)
        reply = peer.route_for(self.path)(request)
        with suppress(BrokenPipeError, ConnectionResetError, TimeoutError):  # the client hung up, as a bounded fetch does
            _send(self, reply, peer.stopping)
        self.close_connection = True

    do_GET = do_POST = do_HEAD = _handle


def _head(handler: BaseHTTPRequestHandler, reply: Reply) -> bytes:
    lines = [f"HTTP/1.1 {reply.status} {_phrase(reply.status)}", f"Content-Type: {reply.content_type}", "Connection: close"]
    length = reply.length if reply.length is not None else (len(reply.body) if isinstance(reply.body, bytes) else None)
    if reply.chunked:
        lines.append("Transfer-Encoding: chunked")
    elif length is not None:
        lines.append(f"Content-Length: {length}")
    lines += [f"{k}: {v}" for k, v in reply.headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _phrase(status: int) -> str:
    from http import HTTPStatus
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Whatever"


def _blocks(reply: Reply) -> Iterator[bytes]:
    if isinstance(reply.body, bytes):
        yield reply.body
    else:
        yield from reply.body


def _send(handler: BaseHTTPRequestHandler, reply: Reply, stopping: threading.Event) -> None:
    out = handler.wfile
    if reply.drip_s > 0:
        data = _head(handler, reply) + b"".join(_blocks(reply))
        for i in range(len(data)):
            if stopping.is_set():
                return
            out.write(data[i:i + 1])
            out.flush()
            time.sleep(reply.drip_s)
        return
    if reply.raw:
        for block in _blocks(reply):
            if stopping.is_set():
                return
            out.write(block)
        out.flush()
        return
    out.write(_head(handler, reply))
    if handler.command == "HEAD" or reply.status == 304:
        out.flush()
        return
    for block in _blocks(reply):
        if stopping.is_set():
            return
        if block:
            out.write(b"%x\r\n%s\r\n" % (len(block), block) if reply.chunked else block)
    if reply.chunked:
        out.write(b"0\r\n\r\n")
    out.flush()


def _zeros(total: int | None) -> Iterator[bytes]:
    """Lazily `total` zero bytes (forever when None), 64 KiB at a time."""
    sent = 0
    while total is None or sent < total:
        block = _BLOCK if total is None else _BLOCK[: total - sent]
        sent += len(block)
        yield block


@cache
def gzip_bomb(size: int = 64 * 1024 * 1024) -> bytes:
    """`size` zero bytes gzipped (about 1000:1), built once per test session."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9) as gz:
        for block in _zeros(size):
            gz.write(block)
    return buf.getvalue()


def deep_json(depth: int = 100_000) -> bytes:
    """Arrays nested `depth` levels: enough to overflow a recursive parser."""
    return b"[" * depth + b"]" * depth


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


_HUGE_HEADER = b"HTTP/1.1 200 OK\r\nX-Huge: " + b"x" * (1024 * 1024) + b"\r\n\r\n{}"  # made once, at import
NORMAL = {"software": "frame-remix", "hello": "سلام 你好 🌍"}


def _etagged(body: bytes, etag: str, content_type: str = "application/json") -> Handler:
    def answer(request: Request) -> Reply:
        if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Reply(304, b"", content_type, {"ETag": etag})
        return Reply(200, body, content_type, {"ETag": etag})
    return answer


def _modes(peer: HostilePeer) -> dict[str, Callable[..., Handler]]:
    """Each hostile behaviour by name; options change its size, pace or target."""
    return {
        "json": lambda value=NORMAL: lambda r: Reply(200, _json(value)),
        "etag": lambda value=NORMAL, etag='"v1"': _etagged(_json(value), etag),
        "endless": lambda: lambda r: Reply(200, _zeros(None), chunked=True),
        "gigabyte": lambda size=GIB: lambda r: Reply(200, _zeros(size), length=size),
        "gigabyte-unsized": lambda size=GIB: lambda r: Reply(200, _zeros(size)),
        "slow-loris": lambda every=0.5: lambda r: Reply(200, _json(NORMAL), drip_s=every),
        "slow-body": lambda every=0.5: lambda r: Reply(200, _slow(_json(NORMAL), every, peer.stopping),
                                                       length=len(_json(NORMAL))),
        "silent": lambda: lambda r: (peer.stopping.wait(3600), Reply(200, b""))[1],  # connects, never answers
        "redirect-away": lambda to=None: lambda r: Reply(302, b"", headers={"Location": to or f"http://localhost:{peer.port}/json"}),
        "redirect-loop": lambda: lambda r: Reply(302, b"", headers={"Location": r.path}),
        "redirect-chain": lambda hops=3, end="/json": _chain(hops, end),
        "endless-headers": lambda: lambda r: Reply(body=_forever(b"HTTP/1.1 200 OK\r\n", b"X-More: %d\r\n"), raw=True),
        "endless-continue": lambda: lambda r: Reply(body=_forever(b"", b"HTTP/1.1 100 Continue\r\nX-N: %d\r\n\r\n"), raw=True),
        "huge-header": lambda: lambda r: Reply(body=_HUGE_HEADER, raw=True),
        "not-http": lambda: lambda r: Reply(body=b"SSH-2.0-OpenSSH_9.6\r\n", raw=True),
        "malformed": lambda: lambda r: Reply(200, b'{"items": [1, 2,, }'),
        "deep": lambda depth=100_000: lambda r: Reply(200, deep_json(depth)),
        "nan": lambda: lambda r: Reply(200, b'{"x": NaN}'),
        "gzip-bomb": lambda: lambda r: Reply(200, gzip_bomb(), headers={"Content-Encoding": "gzip"}),
        "wrong-type": lambda: lambda r: Reply(200, b"<html>hello</html>", "text/html; charset=utf-8"),
        "error-500": lambda: lambda r: Reply(500, b'{"error": "boom"}'),
        "not-found": lambda: lambda r: Reply(404, b'{"error": "no"}'),
    }


def _slow(data: bytes, every: float, stopping: threading.Event) -> Iterator[bytes]:
    """`data` a byte at a time, `every` seconds apart."""
    for i in range(len(data)):
        yield data[i:i + 1]
        if stopping.wait(every):
            return


def _forever(first: bytes, each: bytes) -> Iterator[bytes]:
    """`first`, then `each` (with a counter) again and again, 4 KiB at a time: headers or
    interim answers that never end."""
    yield first
    n = 0
    while True:
        block = b"".join(each % (n + i) for i in range(64))
        n += 64
        yield block


def _chain(hops: int, end: str) -> Handler:
    """/x -> /x?hop=1 -> ... -> `end` after `hops` same-origin redirects."""
    def answer(request: Request) -> Reply:
        path, _, query = request.path.partition("?hop=")
        n = int(query or 0) + 1
        return Reply(302, b"", headers={"Location": end if n >= hops else f"{path}?hop={n}"})
    return answer


MODES = ("json", "etag", "endless", "gigabyte", "gigabyte-unsized", "slow-loris", "slow-body", "silent",
         "redirect-away", "redirect-loop", "redirect-chain", "endless-headers", "endless-continue",
         "huge-header", "not-http", "malformed", "deep", "nan", "gzip-bomb",
         "wrong-type", "error-500", "not-found")


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key (cert.pem, key.pem in `folder`): a test
    trusts it through SSL_CERT_FILE, or not at all."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@contextmanager
def never_accepting() -> Iterator[str]:
    """The URL of a loopback port that is listening but whose accept queue is full, so a new
    connection hangs until the client gives up (a connect timeout, not a refusal)."""
    server = socket.socket()
    held: list[socket.socket] = []
    try:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        for _ in range(4):  # fill the queue; later handshakes get no answer
            client = socket.socket()
            client.setblocking(False)
            with suppress(BlockingIOError):
                client.connect(("127.0.0.1", port))
            held.append(client)
        yield f"http://127.0.0.1:{port}"
    finally:
        for client in held:
            client.close()
        server.close()


class HostilePeer:
    """A peer on 127.0.0.1 (free port) serving routes a test sets; a context manager. With `tls`
    (cert.pem, key.pem) it speaks https."""

    def __init__(self, *, lifetime_s: float = 120.0, tls: tuple[Path, Path] | None = None) -> None:
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._routes: dict[str, Handler] = {}
        self._lifetime_s = lifetime_s
        self._timer = threading.Timer(lifetime_s, self.stop)
        self._timer.daemon = True
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.peer = self
        self.port = int(self._server.server_address[1])
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        for mode in MODES:
            self.serve_mode(f"/{mode}", mode)

    # --- what to serve ---------------------------------------------------------------------------
    def serve(self, path: str, handler: Handler) -> None:
        """Answer requests for `path` (with or without a query) with `handler(request)`."""
        self._routes[path] = handler

    def serve_bytes(self, path: str, body: bytes, *, content_type: str = "application/octet-stream",
                    status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.serve(path, lambda r: Reply(status, body, content_type, dict(headers or {})))

    def serve_json(self, path: str, value: Any, *, status: int = 200, etag: str | None = None,
                   content_type: str = "application/json", headers: dict[str, str] | None = None) -> None:
        """`value` as JSON; with `etag`, a matching If-None-Match gets 304."""
        body = value if isinstance(value, bytes) else _json(value)
        if etag is not None:
            self.serve(path, _etagged(body, etag, content_type))
        else:
            self.serve_bytes(path, body, content_type=content_type, status=status, headers=headers)

    def serve_mode(self, path: str, mode: str, **options: Any) -> None:
        """Serve a named hostile behaviour (one of MODES) at `path`; options as in `_modes`."""
        self.serve(path, _modes(self)[mode](**options))

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.serve(path, lambda r: Reply(status, b"", headers={"Location": location}))

    def route_for(self, path: str) -> Handler:
        handler = self._routes.get(path) or self._routes.get(path.partition("?")[0])
        return handler or (lambda r: Reply(404, b'{"error": "not found"}'))

    def asked(self, path: str) -> int:
        """How many requests reached `path` (query ignored)."""
        return sum(1 for r in self.requests if r.path.partition("?")[0] == path)

    # --- lifetime ----------------------------------------------------------------------------------
    def start(self) -> HostilePeer:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                         name=f"hostile-peer-{self.port}", daemon=True).start()
        self._timer.start()
        return self

    def stop(self) -> None:
        if self.stopping.is_set():
            return
        self.stopping.set()
        self._timer.cancel()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> HostilePeer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
