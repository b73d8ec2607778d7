"""The well-known document and the pack downloads, through the real Starlette routes the app serves."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

import gallery
from app_pages.federation_routes import federation_routes
from frames.packsign import pack_id
from gallery import Settings, open_store
from gallery.federation.identity import instance_key
from gallery.federation.keyring import revoke_key
from tests.test_gallery_support import ADMIN, variant


def client(settings: Settings, base_url: str = "http://testserver") -> TestClient:
    return TestClient(Starlette(routes=federation_routes(settings)), base_url=base_url)


def test_the_document_names_the_configured_public_url_and_only_public_keys(tmp_path: Path) -> None:
    settings = Settings(public_url="https://remix.example", data_dir=tmp_path, admin_key=ADMIN)
    store = open_store(settings=settings)
    gallery.publish_frame(store, variant("bus-porto"))
    response = client(settings, "http://10.1.2.3:8765").get("/.well-known/frame-remix.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    doc = response.json()
    key = instance_key(tmp_path).public
    frame_key = json.loads(_members(gallery.pack_frame(store, "bus-porto"))["pack.json"])["key"]
    assert doc == {"software": "frame-remix", "protocol": 1, "instance": "https://remix.example", "key": key.text(),
                   "key_id": key.id_hex, "feed": "https://remix.example/federation/feed.json",
                   "frame_keys": [{"frame": "bus-porto", "key": frame_key}], "revoked": []}
    secrets = [p.read_text().splitlines()[1] for p in (tmp_path / "keys").rglob("*.key")]
    assert len(secrets) == 2 and not any(s in response.text for s in secrets)


def test_without_a_public_url_the_document_follows_the_host_and_lists_revoked_keys(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, admin_key=ADMIN)
    store = open_store(settings=settings)
    old = instance_key(tmp_path).public
    revoked = revoke_key(store, old.text(), ADMIN)
    doc = client(settings, "http://10.1.2.3:8765").get("/.well-known/frame-remix.json").json()
    assert doc["instance"] == "http://10.1.2.3:8765" and doc["feed"] == "http://10.1.2.3:8765/federation/feed.json"
    assert doc["revoked"] == [{"key": old.text(), "key_id": old.id_hex, "revoked": revoked.revoked}]
    assert doc["key"] != old.text() and doc["key"] == instance_key(tmp_path).public.text()


def test_a_pack_is_served_by_its_id_and_nothing_else_is(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, admin_key=ADMIN)
    store = open_store(settings=settings)
    gallery.publish_frame(store, variant("bus-porto"))
    data = gallery.pack_frame(store, "bus-porto")
    the_id = pack_id(_members(data)["pack.json"])
    http = client(settings)
    response = http.get(f"/federation/packs/{the_id}.zip")
    assert response.status_code == 200 and response.content == data
    assert response.headers["content-type"] == "application/zip" and "immutable" in response.headers["cache-control"]
    for path in (f"/federation/packs/sha256-{'0' * 64}.zip", "/federation/packs/..%2Fgallery.db.zip",
                 f"/federation/packs/{the_id.upper()}.zip"):
        assert http.get(path).status_code == 404
    revoke_key(store, json.loads(_members(data)["pack.json"])["key"], ADMIN)
    assert http.get(f"/federation/packs/{the_id}.zip").status_code == 404  # a revoked key's pack is not served


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


@pytest.mark.slow
def test_the_real_app_serves_the_document_and_the_packs(tmp_path: Path) -> None:
    """`streamlit run streamlit_app.py` mounts the same routes next to the app (the path other instances call)."""
    import os
    import urllib.request

    from tests.conftest import _free_port, running_app

    port = _free_port()
    data = tmp_path / "data"
    env = {**os.environ, "FRAME_REMIX_DATA": str(data), "FRAME_REMIX_ADMIN_KEY": ADMIN,
           "FRAME_REMIX_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    with running_app(env, tmp_path / "streamlit.log", port) as base:
        with urllib.request.urlopen(f"{base}/.well-known/frame-remix.json", timeout=30) as response:
            doc = json.loads(response.read())
        assert doc["instance"] == base and doc["key"] == instance_key(data).public.text()
        store = open_store(settings=Settings(data_dir=data, admin_key=ADMIN))
        packed = gallery.pack_frame(store, "ride-the-bus")
        the_id = pack_id(_members(packed)["pack.json"])
        with urllib.request.urlopen(f"{base}/federation/packs/{the_id}.zip", timeout=30) as response:
            assert response.read() == packed
        gallery.close_store(store)
