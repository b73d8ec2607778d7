"""The share pages (Open Graph tags for pasted links) through Starlette's test client."""
from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app_pages.share import share_routes
from frames import bundled_frame
from gallery import Settings, open_store, publish_remix
from remix import RenderOptions


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(Starlette(routes=share_routes(Settings(public_url="https://remix.example", data_dir=tmp_path))))


def test_a_published_remix_has_open_graph_tags_with_participant_text_escaped(client, tmp_path: Path) -> None:
    store = open_store(tmp_path / "gallery.db")
    result = publish_remix(store, bundled_frame("ride-the-bus"), {"city": "<script>x</script>", "story": "Q&A \"now\""},
                           consent=True, options=RenderOptions(maker="Ana"))
    page = client.get(f"/share/{result.id}")
    assert page.status_code == 200
    html = page.text
    assert f'<meta property="og:image" content="https://remix.example/share/{result.id}/image">' in html
    assert f'url=https://remix.example/gallery?remix={result.id}' in html
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    picture = client.get(f"/share/{result.id}/image")
    assert picture.headers["content-type"] == "image/jpeg" and picture.content[:3] == b"\xff\xd8\xff"


def test_pending_unknown_and_deleted_remixes_are_404(client, tmp_path: Path) -> None:
    store = open_store(tmp_path / "gallery.db")
    pending = publish_remix(store, bundled_frame("care-counts"), {"quote": "Nights.", "role": "nurse"}, consent=True)
    assert pending.status == "pending"
    for path in (f"/share/{pending.id}", f"/share/{pending.id}/image", "/share/nope", "/share/nope/image"):
        response = client.get(path)
        assert response.status_code == 404 and "not in the gallery" in response.text


def test_without_a_public_url_the_page_follows_the_host_it_was_asked_on(tmp_path: Path) -> None:
    unset = TestClient(Starlette(routes=share_routes(Settings(data_dir=tmp_path))), base_url="http://10.1.2.3:8765")
    remix = publish_remix(open_store(tmp_path / "gallery.db"), bundled_frame("ride-the-bus"),
                          {"city": "Lyon", "story": "x"}, consent=True)
    html = unset.get(f"/share/{remix.id}").text
    assert f'content="http://10.1.2.3:8765/share/{remix.id}/image"' in html
    assert f"url=http://10.1.2.3:8765/gallery?remix={remix.id}" in html
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "remix.example.org"}
    untrusted = unset.get(f"/share/{remix.id}", headers=forwarded).text  # no proxy configured: the header is anyone's
    assert "remix.example.org" not in untrusted and f"http://10.1.2.3:8765/share/{remix.id}/image" in untrusted
    behind = TestClient(Starlette(routes=share_routes(Settings(data_dir=tmp_path, trust_proxy=True))),
                        base_url="http://10.1.2.3:8765")
    proxied = behind.get(f"/share/{remix.id}", headers=forwarded)
    assert f'content="https://remix.example.org/share/{remix.id}/image"' in proxied.text
    assert "X-Forwarded-Host" in proxied.headers["vary"]
    forged = behind.get(f"/share/{remix.id}", headers={"X-Forwarded-Host": "evil.example/x?"}).text
    assert "evil.example" not in forged
