"""Shared helpers for the gallery tests: a real SQLite gallery in tmp_path, frames, cheap remixes.

Publishing in bulk uses small pre-rendered image bytes (`tiny_remix`) to keep tests fast; the
tests that matter for rendering publish real renders from `make_remix`.
"""
from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import pytest
from PIL import Image

from frames import bundled_frame
from frames.pack import Frame, frame_from_files
from gallery import close_store, open_store
from gallery.db import Store
from remix.pipeline import Remix
from remix.posttext import Texts

BUS = "ride-the-bus"
ADMIN = "admin-key-for-tests-0123456789"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "gallery.db")
    yield s
    close_store(s)


@pytest.fixture
def admin(store: Store) -> str:
    """The instance admin key, configured on the test's store as a shell would (Settings)."""
    store.settings = replace(store.settings, admin_key=ADMIN)
    return ADMIN


def bus() -> Frame:
    return bundled_frame(BUS)


def variant(frame_id: str, *, version: int = 1, moderation: str = "publish", title: str | None = None,
            extra: str = "") -> Frame:
    """The bundled bus frame under another id (and version, moderation, title), as an organizer would publish it."""
    source = bus()
    text = source.manifest_bytes.decode()
    text = text.replace(f'id = "{BUS}"', f'id = "{frame_id}"', 1).replace("version = 1", f"version = {version}", 1)
    if title:
        text = text.replace(f'title = "{source.title}"', f'title = "{title}"', 1)
    text = f'moderation = "{moderation}"\n{extra}' + text
    return frame_from_files({"frame.toml": text.encode(), **source.assets}, f"test:{frame_id}")


_JPEG: dict[int, bytes] = {}


def tiny_jpeg(shade: int = 0) -> bytes:
    shade %= 256
    if shade not in _JPEG:
        buf = io.BytesIO()
        Image.new("RGB", (16, 16), (shade, 90, 160)).save(buf, "JPEG", quality=80)
        _JPEG[shade] = buf.getvalue()
    return _JPEG[shade]


def tiny_remix(frame: Frame, shade: int = 0) -> Remix:
    """A Remix with a small real JPEG per format of the frame, and simple texts."""
    formats = list(frame.manifest.formats)
    images = {f: tiny_jpeg(shade) for f in formats}
    texts = Texts({"x": "post"}, {f: f"alt text for {f}" for f in formats})
    return Remix(images, {f: f"{f}.jpg" for f in formats}, texts)


def values(city: str = "Lisbon", story: str = "I ride the 28 every morning.") -> dict[str, str]:
    return {"city": city, "story": story}


def publish(store: Store, frame: Frame | None = None, *, city: str = "Lisbon", story: str = "I ride the 28.",
            **kw):
    from gallery import publish_remix

    frame = frame or bus()
    kw.setdefault("rendered", tiny_remix(frame))
    return publish_remix(store, frame, values(city, story), consent=True, **kw)
