"""Shared helpers for the gallery tests: frames and cheap remixes (the `store` and `admin`
fixtures, a real SQLite gallery in tmp_path, live in conftest.py).

Every publish renders for real (`publish_remix` takes input, never images); storage tests that
publish hundreds of remixes use `quick_frame`, which renders in a few ms.
"""
from __future__ import annotations

import io
import random

from PIL import Image

from frames import bundled_frame
from frames.model import Frame
from frames.pack import frame_from_files
from gallery.db import Store

BUS = "ride-the-bus"
ADMIN = "admin-key-for-tests-0123456789"


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


QUICK_TOML = """id = "quick-bus"
title = "Quick bus"
moderation = "publish"

[organizer]
name = "Test riders"

[[fields]]
name = "city"
kind = "text"
label = "Your city"

[[fields]]
name = "story"
kind = "long_text"
label = "Why you ride"
required = true

[texts]
post = "{{ story }} {{ link }}"
alt = "Grain with the words {{ story }}"

[formats.grain]
width = 240
height = 240
encoding = "png"

[[formats.grain.layers]]
kind = "image"
image = "assets/grain.png"

[[formats.grain.layers]]
kind = "text"
template = "{{ city }}"
box = { x = 0.1, y = 0.1, w = 0.8, h = 0.2 }

[formats.card]
width = 200
height = 100

[[formats.card.layers]]
kind = "background"
color = "#203040"
"""


def quick_frame() -> Frame:
    """A published-style frame that renders in a few ms with large PNG images (noise does not
    compress): for storage tests that publish hundreds of remixes through the real render."""
    buf = io.BytesIO()
    noise = random.Random(7).randbytes(240 * 240 * 3)  # the same bytes in every process: one digest
    Image.frombytes("RGB", (240, 240), noise).save(buf, "PNG")
    return frame_from_files({"frame.toml": QUICK_TOML.encode(), "assets/grain.png": buf.getvalue()}, "test:quick")


def values(city: str = "Lisbon", story: str = "I ride the 28 every morning.") -> dict[str, str]:
    return {"city": city, "story": story}


def publish(store: Store, frame: Frame | None = None, *, city: str = "Lisbon", story: str = "I ride the 28.",
            **kw):
    """Publish through the one publish path (a real render of every format)."""
    from gallery import publish_remix

    return publish_remix(store, frame or bus(), values(city, story), consent=True, **kw)
