"""A frame-remix instance as its followers see it, in a few hundred lines: a threaded HTTP server on
127.0.0.1 that serves a well-known document, a paged JSON Feed of signed records (ETag and
If-None-Match), record rechecks, thumbnails and a report inbox, all from memory.

The follow tests and the 10,000-remix poll benchmark use it where a real instance would cost
minutes to fill (every real publish renders images). It signs with a real instance key through
`gallery.federation.records.seal`, so followers check exactly what a real feed carries; the
real-instance journeys live in tests/test_federation_e2e.py.
"""
from __future__ import annotations

import hashlib
import io
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image

from frames.signing import SecretKey, generate_key
from gallery.federation.records import (
    FEED_EXTENSION,
    AdaptedFrom,
    FrameRecord,
    FrameRef,
    RemixRecord,
    RemixRef,
    TombstoneRecord,
    seal,
)

STAMP = "2026-12-01T08:00:00Z"
HASH = "sha256-" + "ab" * 32


def thumbnail_jpeg(size: tuple[int, int] = (640, 400), colour: tuple[int, int, int] = (200, 40, 90)) -> bytes:
    """A JPEG that carries an EXIF block (a camera's), so a test can see it is gone after re-encoding."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PeerCam"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


@dataclass
class SignedPeer:
    """An instance's federation face in memory. `entries` is the outbox (seq = index + 1)."""

    page_size: int = 500
    secret: SecretKey = field(default_factory=generate_key)
    entries: list[dict[str, Any]] = field(default_factory=list)
    gone: dict[str, int] = field(default_factory=dict)  # remix id -> 404 or 410 at /federation/remixes/<id>.json
    tombs: dict[str, Any] = field(default_factory=dict)  # remix id -> its tombstone envelope (the 410's body)
    thumb: bytes = field(default_factory=thumbnail_jpeg)
    reports: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    bytes_sent: int = 0
    instance_name: str | None = None  # the address the well-known document claims (default: its own)
    packs: dict[str, bytes] = field(default_factory=dict)  # pack id -> the zip served at /federation/packs/<id>.zip
    frame_keys: list[dict[str, str]] = field(default_factory=list)  # the well-known document's frame keys

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SignedPeer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- what the peer publishes -----------------------------------------------------------------

    def remix(self, frame_id: str, remix_id: str, *, maker: str = "Ana", remix_of: tuple[str, str] | None = None,
              instance: str | None = None, version: int = 1) -> RemixRecord:
        """A RemixRecord of `frame_id` on this peer (or, to forge, on `instance`), appended to the outbox."""
        home = instance or self.url
        record = RemixRecord(
            id=remix_id, instance=home, frame=FrameRef(id=frame_id, version=version), frame_title=f"Frame {frame_id}",
            remix_of=RemixRef(id=remix_of[0], instance=remix_of[1]) if remix_of else None,
            images={"square": HASH}, thumbnail=f"{home}/federation/remixes/{remix_id}/thumb.jpg",
            page=f"{home}/gallery?remix={remix_id}", maker=maker, place="Lisboa", language="pt", licence="CC BY 4.0",
            created=STAMP)
        self.append(seal(self.secret, record))
        return record

    def tombstone(self, remix_id: str) -> None:
        self.tombs[remix_id] = seal(self.secret, TombstoneRecord(id=remix_id, instance=self.url, deleted=STAMP))
        self.append(self.tombs[remix_id])
        self.gone[remix_id] = 410

    def fork(self, frame_id: str, source_frame: str, source_instance: str) -> None:
        """A FrameRecord: this peer forked `source_frame` of `source_instance` as `frame_id`."""
        record = FrameRecord(
            id=frame_id, version=1, instance=self.url, pack=HASH, pack_url=f"{self.url}/federation/packs/{HASH}.zip",
            key=self.secret.public.text(), title=f"Fork {frame_id}",
            adapted_from=AdaptedFrom(pack=HASH, key=self.secret.public.text(), frame=source_frame, version=1,
                                     instance=source_instance),
            published=STAMP)
        self.append(seal(self.secret, record))

    def append(self, envelope: Any, item_id: str | None = None) -> None:
        """Any envelope (a forged or malformed one too) as the next outbox item."""
        with self._lock:
            seq = len(self.entries) + 1
            self.entries.append({"id": item_id or f"{self.url}/federation/outbox/{seq}", "url": f"{self.url}/gallery",
                                 "content_text": "a remix", "date_published": STAMP, FEED_EXTENSION: envelope})

    def record_of(self, remix_id: str) -> dict[str, Any] | None:
        for entry in self.entries:
            body = entry[FEED_EXTENSION].get("record", {}) if isinstance(entry[FEED_EXTENSION], dict) else {}
            if body.get("id") == remix_id and body.get("type") == "remix":
                return entry[FEED_EXTENSION]
        return None

    def rotate_key(self) -> None:
        self.secret = generate_key()

    # --- what it answers ------------------------------------------------------------------------------

    def well_known(self) -> dict[str, Any]:
        base = self.instance_name or self.url
        return {"software": "frame-remix", "protocol": 1, "instance": base, "key": self.secret.public.text(),
                "key_id": self.secret.public.id_hex, "feed": base + "/federation/feed.json", "frame_keys": self.frame_keys, "revoked": []}

    def feed_page(self, after: int) -> dict[str, Any]:
        items = self.entries[after:after + self.page_size]
        page: dict[str, Any] = {"version": "https://jsonfeed.org/version/1.1", "title": "peer", "home_page_url": self.url,
                                "feed_url": f"{self.url}/federation/feed.json", "items": items}
        if after + len(items) < len(self.entries):
            page["next_url"] = f"{self.url}/federation/feed.json?after={after + len(items)}"
        return page

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: bytes,
               headers: Any) -> tuple[int, bytes, dict[str, str]]:
        if method == "POST" and path == "/federation/reports":
            self.reports.append(json.loads(body))
            return 202, b"{}", {}
        if path.startswith("/federation/packs/") and path.endswith(".zip") and path[18:-4] in self.packs:
            return 200, self.packs[path[18:-4]], {"Content-Type": "application/zip"}
        if path == "/.well-known/frame-remix.json":
            return 200, _json(self.well_known()), {}
        if path == "/federation/feed.json":
            after = int(query.get("after", ["0"])[0] or 0)
            data = _json(self.feed_page(after))
            etag = '"' + hashlib.sha256(data).hexdigest()[:20] + '"'
            if headers.get("If-None-Match") == etag:
                return 304, b"", {"ETag": etag}
            return 200, data, {"ETag": etag, "Content-Type": "application/feed+json"}
        if path.startswith("/federation/remixes/") and path.endswith("/thumb.jpg"):
            return 200, self.thumb, {"Content-Type": "image/jpeg"}
        if path.startswith("/federation/remixes/") and path.endswith(".json"):
            remix_id = path.rsplit("/", 1)[1][:-5]
            if remix_id in self.gone:
                code = self.gone[remix_id]
                tomb = self.tombs.get(remix_id)
                return code, _json(tomb) if code == 410 and tomb else b"{}", {}
            envelope = self.record_of(remix_id)
            return (200, _json(envelope), {}) if envelope else (404, b"{}", {})
        return 404, b"not here", {}


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _handler(peer: SignedPeer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, 1 << 20)) if length else b""
            peer.requests.append(f"{method} {self.path}")
            code, data, headers = peer.answer(method, parts.path, parse_qs(parts.query), body, self.headers)
            self.send_response(code)
            for name, value in {"Content-Type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if data:
                self.wfile.write(data)
            peer.bytes_sent += len(data)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler
