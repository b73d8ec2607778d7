"""The publish side over HTTP: the feed, record, thumbnail and report routes through Starlette's test
client, on real galleries with real signatures checked as a follower checks them."""
from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app_pages.federation_routes import federation_routes
from benchmarks.federation_feed import seed_announced
from benchmarks.gallery import tiny_jpeg
from gallery import Settings, delete_remix, moderate, open_store
from gallery.federation.identity import instance_key
from gallery.federation.records import RemixRecord, TombstoneRecord, open_envelope
from gallery.keys import hash_key
from remix import RenderOptions
from tests.test_gallery_support import ADMIN, publish

PUBLIC = "https://remix.example.org"
LOCAL = "http://127.0.0.1:8765"


def client(settings: Settings, base: str = LOCAL) -> TestClient:
    return TestClient(Starlette(routes=federation_routes(settings)), base_url=base)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, admin_key=ADMIN, reports_per_hour=3)


@pytest.fixture
def store(settings: Settings):
    """The instance's store with its settings (as the app's entry opens it)."""
    return open_store(settings=settings)


def opened(item: dict, settings: Settings, peer: str = LOCAL):
    """What a follower that pinned this instance's key at `peer` reads from a feed item."""
    return open_envelope(item["_frame_remix"], instance_key(settings.data_dir).public, peer)


def test_a_published_remix_is_a_feed_item_whose_record_opens_with_the_instance_key(settings, store) -> None:
    r = publish(store, city="São Paulo", story="O ônibus das 6.", options=RenderOptions(maker="محمد"))
    response = client(settings).get("/federation/feed.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/feed+json"
    feed = response.json()
    assert (feed["version"], feed["feed_url"], "next_url" in feed) == \
        ("https://jsonfeed.org/version/1.1", f"{LOCAL}/federation/feed.json", False)
    (item,) = feed["items"]
    record = opened(item, settings)
    assert isinstance(record, RemixRecord) and (record.id, record.maker, record.place) == (r.id, "محمد", "São Paulo")
    assert item["id"] == f"{LOCAL}/federation/outbox/1" and item["url"] == f"{LOCAL}/share/{r.id}"
    assert item["image"] == record.thumbnail == f"{LOCAL}/federation/remixes/{r.id}/thumb.jpg"
    assert "remix by محمد" in item["content_text"]
    thumb = client(settings).get(urlsplit(item["image"]).path)
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(thumb.content)) as im:
        assert im.format == "JPEG" and max(im.size) == 480 and not im.getexif() and "exif" not in im.info
    assert client(settings).get(f"/federation/remixes/{r.id}.json").json() == item["_frame_remix"]


def test_records_name_the_public_url_when_one_is_configured_else_the_address_asked(settings, store) -> None:
    publish(store)
    for host in (LOCAL, "http://10.1.2.3:9000"):
        (item,) = client(settings, host).get("/federation/feed.json").json()["items"]
        assert opened(item, settings, host).instance == host
        with pytest.raises(Exception, match="speaks for"):
            opened(item, settings, "http://elsewhere.example")
    public = replace(settings, public_url=PUBLIC)
    (item,) = client(public, "http://10.1.2.3:9000").get("/federation/feed.json").json()["items"]
    assert opened(item, public, PUBLIC).instance == PUBLIC


def test_a_delete_is_a_tombstone_in_the_feed_and_410_at_the_record_url(settings, store) -> None:
    kept, gone = publish(store), publish(store, city="Lyon")
    delete_remix(store, gone.id, gone.delete_key)
    items = client(settings).get("/federation/feed.json").json()["items"]
    records = [opened(item, settings) for item in items]
    assert [(type(x).__name__, x.id) for x in records] == [("RemixRecord", kept.id), ("TombstoneRecord", gone.id)]
    assert "Lyon" not in json.dumps(items)
    answer = client(settings).get(f"/federation/remixes/{gone.id}.json")
    assert answer.status_code == 410
    tomb = open_envelope(answer.json(), instance_key(settings.data_dir).public, LOCAL)
    assert isinstance(tomb, TombstoneRecord) and tomb.id == gone.id
    assert client(settings).get(f"/federation/remixes/{gone.id}/thumb.jpg").status_code == 404


def test_hidden_pending_and_unknown_remixes_are_404_and_out_of_the_feed(settings, store) -> None:
    shown, hidden = publish(store), publish(store, city="Porto")
    moderate(store, hidden.id, "hide", ADMIN, "spam")
    web = client(settings)
    assert [i["_frame_remix"]["record"]["id"] for i in web.get("/federation/feed.json").json()["items"]] == [shown.id]
    for remix_id in (hidden.id, "no-such-remix"):
        for path in (f"/federation/remixes/{remix_id}.json", f"/federation/remixes/{remix_id}/thumb.jpg"):
            answer = web.get(path)
            assert answer.status_code == 404
            assert answer.json() == {"error": f"there is no published remix '{remix_id}' on this instance"}
    moderate(store, hidden.id, "restore", ADMIN, "it was fine")
    ids = [i["_frame_remix"]["record"]["id"] for i in web.get("/federation/feed.json").json()["items"]]
    assert ids == [shown.id, hidden.id] and web.get(f"/federation/remixes/{hidden.id}.json").status_code == 200


def test_etag_and_304_and_a_new_tag_when_the_page_changes(settings, store) -> None:
    publish(store)
    web = client(settings)
    first = web.get("/federation/feed.json")
    tag = first.headers["etag"]
    assert tag.startswith('"') and not tag.startswith("W/")
    again = web.get("/federation/feed.json", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert web.get("/federation/feed.json", headers={"If-None-Match": '"other", ' + tag}).status_code == 304
    publish(store, city="Lyon")
    changed = web.get("/federation/feed.json", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag and len(changed.json()["items"]) == 2


def test_paging_across_1200_remixes_yields_every_item_once(settings, store) -> None:
    seed_announced(store, 1200, tiny_jpeg())
    web = client(settings)
    url, seen, pages = "/federation/feed.json", [], 0
    while url:
        page = web.get(url).json()
        pages += 1
        seen += [int(item["id"].rsplit("/", 1)[1]) for item in page["items"]]
        assert len(page["items"]) <= 500
        url = page.get("next_url", "")
        assert not url or url.startswith(f"{LOCAL}/federation/feed.json?after=")
    assert pages == 3 and len(seen) == 1200 and seen == sorted(set(seen))
    assert web.get("/federation/feed.json?after=1200").json()["items"] == []
    for bad in ("-1", "x", "1e3", "9" * 40, "²", "١٢"):  # Unicode digits pass str.isdigit(), not int()
        answer = web.get(f"/federation/feed.json?after={bad}")
        assert answer.status_code == 400 and answer.json() == {"error": "the feed's 'after' must be a whole number of zero or more"}


def report(web: TestClient, body, *, origin: str = "https://peer.example", content_type: str = "application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return web.post("/federation/reports", content=data, headers={"Content-Type": content_type, "Origin": origin})


def test_a_peer_report_is_stored_as_a_report_and_rate_limited(settings, store) -> None:
    r = publish(store)
    web = client(settings)
    answer = report(web, {"remix": r.id, "reason": "Hateful   words"})
    assert (answer.status_code, answer.json()) == (202, {"status": "received"})
    row = store.read().execute("SELECT reason, reporter_hash FROM reports").fetchone()
    assert row[0] == "Hateful words"
    assert report(web, {"remix": r.id, "reason": "again"}).status_code == 202  # the same peer counts once
    assert store.read().execute("SELECT count(*) FROM reports").fetchone()[0] == 1
    other = publish(store, city="Lyon")
    for peer in ("https://other.example", "https://third.example"):
        assert report(web, {"remix": other.id, "reason": "spam"}, origin=peer).status_code == 202
    limited = report(web, {"remix": other.id, "reason": "spam"}, origin="https://fourth.example")  # same address
    assert limited.status_code == 429
    assert limited.json() == {"error": "your network has already sent 3 reports in the last hour, the most allowed; "
                                       "please try again later"}


@pytest.mark.parametrize(("body", "status", "sentence"), [
    (b"{not json", 400, 'a report is a JSON object like {"remix": "ID", "reason": "what is wrong"}'),
    ({"remix": "x"}, 400, 'a report is a JSON object with exactly two keys, "remix" and "reason"'),
    ({"remix": "a/b", "reason": "x"}, 400, "the report's remix is not a remix id"),
    ({"remix": "abc", "reason": "  "}, 400, "the report needs a reason: say what is wrong with the remix"),
    ({"remix": "abc", "reason": "x" * 501}, 400, "the report's reason is longer than 500 characters"),
    ({"remix": "abc", "reason": "spam"}, 404, "there is no published remix 'abc' on this instance"),
    (b"x" * 5000, 413, "a report is at most 4 KB of JSON"),
])
def test_bad_reports_are_refused_with_one_sentence_and_store_nothing(settings, store, body, status, sentence) -> None:
    publish(store)
    answer = report(client(settings), body)
    assert (answer.status_code, answer.json()) == (status, {"error": sentence})
    assert store.read().execute("SELECT count(*) FROM reports").fetchone()[0] == 0


def test_a_report_that_is_not_json_typed_is_refused(settings, store) -> None:
    r = publish(store)
    answer = report(client(settings), {"remix": r.id, "reason": "spam"}, content_type="text/plain")
    assert (answer.status_code, answer.json()) == (415, {"error": "send the report as application/json"})


def test_no_secret_appears_in_any_response(settings, store) -> None:
    settings = replace(settings, public_url=PUBLIC)
    store.settings = settings
    r = publish(store, options=RenderOptions(maker="Ana"))
    gone = publish(store, city="Lyon")
    delete_remix(store, gone.id, gone.delete_key)
    web = client(settings)
    bodies = [web.get(p).content for p in ("/federation/feed.json", f"/federation/remixes/{r.id}.json",
                                           f"/federation/remixes/{gone.id}.json", f"/federation/remixes/{r.id}/thumb.jpg")]
    bodies.append(report(web, {"remix": r.id, "reason": "spam"}).content)
    key_file = (settings.data_dir / "keys" / "instance.key").read_text()
    secret_lines = [line for line in key_file.splitlines() if line and not line.startswith("frame-remix")]
    secrets = [*secret_lines, ADMIN, r.delete_key, gone.delete_key, hash_key(r.delete_key), store.instance_secret()]
    assert secret_lines and all(len(s) >= 20 for s in secrets)
    for body in bodies:
        for secret in secrets:
            assert secret.encode() not in body


def test_a_follower_past_a_remix_hears_of_it_again_when_it_is_approved_or_restored(settings, store) -> None:
    r = publish(store)
    web = client(settings)
    cursor = int(web.get("/federation/feed.json").json()["items"][-1]["id"].rsplit("/", 1)[1])
    assert web.get(f"/federation/feed.json?after={cursor}").json()["items"] == []
    moderate(store, r.id, "hide", ADMIN, "checking")
    moderate(store, r.id, "restore", ADMIN, "fine after all")
    (item,) = web.get(f"/federation/feed.json?after={cursor}").json()["items"]
    assert opened(item, settings).id == r.id and int(item["id"].rsplit("/", 1)[1]) > cursor
    assert [i["_frame_remix"]["record"]["id"] for i in web.get("/federation/feed.json").json()["items"]] == [r.id]
