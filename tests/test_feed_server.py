"""The publish side in a real `streamlit run` server on loopback: a follower's view over real HTTP,
with the instance following the address it is reached on (no public URL configured)."""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from frames import bundled_frame
from gallery import Settings, close_store, open_store, publish_remix
from gallery.federation.identity import instance_key
from gallery.federation.records import open_envelope
from remix import RenderOptions
from tests.conftest import running_app

pytestmark = pytest.mark.slow


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_a_real_server_serves_its_feed_records_and_thumbnails(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = open_store(settings=Settings(data_dir=data))
    remix = publish_remix(store, bundled_frame("ride-the-bus"), {"city": "Seoul", "story": "버스"}, consent=True,
                          options=RenderOptions(maker="민준"))
    close_store(store)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRAME_REMIX_")} | {"FRAME_REMIX_DATA": str(data)}
    with running_app(env, tmp_path / "streamlit.log") as base:
        status, headers, body = fetch(f"{base}/federation/feed.json")
        assert status == 200 and headers["Content-Type"] == "application/feed+json"
        (item,) = json.loads(body)["items"]
        record = open_envelope(item["_frame_remix"], instance_key(data).public, base)
        assert (record.id, record.maker, record.instance) == (remix.id, "민준", base)
        assert fetch(f"{base}/federation/feed.json", {"If-None-Match": headers["ETag"]})[0] == 304
        assert fetch(f"{base}/federation/remixes/{remix.id}.json")[0] == 200
        status, headers, thumb = fetch(item["image"])
        assert status == 200 and thumb[:3] == b"\xff\xd8\xff"
        assert fetch(f"{base}/federation/remixes/nope.json")[0] == 404
