"""The static site: every page and feed, relative links that resolve on disk, participant text escaped,
and a look at it in headless Chromium."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import gallery
from gallery import GalleryError
from gallery.export import export_site
from remix import RenderOptions
from tests.test_gallery_support import bus

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "out" / "screenshots"
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def site(store, admin, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    frame = bus()
    first = gallery.publish_remix(store, frame, {"city": "Kraków", "story": "The 7 takes us to the market."},
                                  consent=True, options=RenderOptions(maker="Ola"))
    evil = gallery.publish_remix(store, frame, {"city": "Lyon", "story": EVIL}, consent=True, options=RenderOptions(maker=f"Eve {EVIL}"),
                                 remix_of=first.id)
    child = gallery.publish_remix(store, frame, {"city": "Porto", "story": "Night bus after my shift."},
                                  consent=True, remix_of=evil.id, place="Porto")
    hidden = gallery.publish_remix(store, frame, {"city": "Hidden", "story": "not for the site"}, consent=True)
    gallery.moderate(store, hidden.id, "hide", admin, "test")
    gallery.delete_remix(store, first.id, first.delete_key)
    gallery.fork_frame(store, "ride-the-bus", "bus-lisboa")
    out = tmp_path / "site"
    result = export_site(store, out, title="Buses <b>for all</b>")
    assert (result.remixes, result.frames, result.images) == (2, 2, 6)
    return out, {"evil": evil.id, "child": child.id, "hidden": hidden.id, "deleted": first.id}


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_page_and_feed_is_written(site) -> None:
    out, ids = site
    names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert {"index.html", "style.css", "feed.atom", "feed.json", "frames/ride-the-bus.html", "frames/bus-lisboa.html",
            f"remixes/{ids['evil']}.html", f"remixes/{ids['child']}.html"} <= names
    assert not any(ids["hidden"] in n or ids["deleted"] in n for n in names)
    assert len([n for n in names if n.startswith("media/")]) == 6


def test_participant_text_is_escaped_everywhere(site) -> None:
    out, ids = site
    for path in [*html_files(out), out / "feed.atom"]:
        text = path.read_text()
        assert "<script" not in text and "onerror=alert" not in text.replace("onerror=alert(1)&gt;", ""), path
        assert "<b>for all</b>" not in text
    page = (out / "remixes" / f"{ids['evil']}.html").read_text()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_links_are_relative_and_resolve_on_disk(site) -> None:
    out, _ = site
    for path in html_files(out):
        for target in re.findall(r'(?:href|src)="([^"]+)"', path.read_text()):
            assert not target.startswith(("/", "http:", "https:", "file:")), (path, target)
            assert (path.parent / target.split("#")[0]).resolve().is_file(), (path, target)


def test_remix_page_has_images_alt_text_credits_and_lineage(site) -> None:
    out, ids = site
    page = (out / "remixes" / f"{ids['child']}.html").read_text()
    alts = re.findall(r'<img src="[^"]+" alt="([^"]*)"', page)
    assert len(alts) == 3 and all("Porto" in a for a in alts)
    assert "“Why I ride the bus” by Transit Riders Union · CC BY 4.0 · remix by anonymous" in page
    assert f'href="{ids["evil"]}.html"' in page
    evil_page = (out / "remixes" / f"{ids['evil']}.html").read_text()
    assert "based on <span class=\"tombstone\">a removed remix</span>" in evil_page
    assert f'href="{ids["child"]}.html"' in evil_page
    assert "Night bus after my shift." in (out / "index.html").read_text()


def test_feeds_are_valid_atom_and_json_feed(site) -> None:
    out, ids = site
    atom = ET.parse(out / "feed.atom").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = atom.findall("a:entry", ns)
    assert [e.find("a:id", ns).text for e in entries] == [f"urn:frame-remix:remix:{ids['child']}",
                                                         f"urn:frame-remix:remix:{ids['evil']}"]
    feed = json.loads((out / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and len(feed["items"]) == 2
    assert feed["items"][1]["content_text"] == EVIL  # JSON carries the text; readers escape it as text


def test_site_url_makes_feed_links_absolute(store, tmp_path: Path) -> None:
    gallery.publish_remix(store, bus(), {"city": "Lisbon", "story": "x"}, consent=True)
    export_site(store, tmp_path / "s", site_url="https://buses.example/gallery")
    feed = json.loads((tmp_path / "s" / "feed.json").read_text())
    assert feed["items"][0]["url"].startswith("https://buses.example/gallery/remixes/")


def test_export_replaces_its_own_folder_but_never_another(store, tmp_path: Path) -> None:
    export_site(store, tmp_path / "s")
    export_site(store, tmp_path / "s")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    with pytest.raises(GalleryError, match="was not made by export-site"):
        export_site(store, precious)
    assert (precious / "thesis.txt").read_text() == "do not delete"


@pytest.mark.browser
def test_the_site_opened_from_disk_in_chromium(site, browser) -> None:
    out, ids = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto((out / "index.html").as_uri())
        page.wait_for_load_state("load")
        assert page.locator("h1").inner_text() == "Buses <b>for all</b>"
        assert page.locator(".card").count() == 2
        broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
        assert broken == 0
        page.screenshot(path=str(SHOTS / "gallery-index.png"), full_page=True)
        page.locator(f'a[href="remixes/{ids["evil"]}.html"]').first.click()
        page.wait_for_load_state("load")
        assert EVIL in page.locator("p.story").inner_text()
        assert page.locator(".images img").count() == 3
        page.screenshot(path=str(SHOTS / "gallery-remix.png"), full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto((out / "remixes" / f"{ids['child']}.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SHOTS / "gallery-remix-phone.png"), full_page=True)
        assert dialogs == []
    finally:
        context.close()


def test_long_galleries_are_paged_with_links_both_ways(store, tmp_path: Path, monkeypatch) -> None:
    import gallery.export
    from tests.test_gallery_support import publish
    monkeypatch.setattr(gallery.export, "PER_PAGE", 2)
    for i in range(5):
        publish(store, city=f"Town {i}")
    result = export_site(store, tmp_path / "s")
    out = tmp_path / "s"
    assert {p.name for p in out.glob("page-*.html")} == {"page-2.html", "page-3.html"}
    assert {p.name for p in (out / "frames").glob("*.html")} == \
        {"ride-the-bus.html", "ride-the-bus-page-2.html", "ride-the-bus-page-3.html"}
    assert 'href="ride-the-bus-page-2.html"' in (out / "frames" / "ride-the-bus.html").read_text()
    assert 'rel="prev" href="page-2.html"' in (out / "page-3.html").read_text()
    assert result.pages == 3 + 3 + 5


def test_site_url_rewrites_every_frame_link_in_the_remix_pages(store, tmp_path: Path) -> None:

    gallery.publish_remix(store, bus(), {"city": "Lisbon", "story": "x"}, consent=True,
                          options=RenderOptions(public_url="http://localhost:8501"))
    gallery.publish_remix(store, bus(), {"city": "Porto", "story": "y"}, consent=True,
                          options=RenderOptions(lang="en", public_url="http://127.0.0.1:9999"))
    export_site(store, tmp_path / "s", site_url="https://buses.example/gallery/")
    pages = [p.read_text() for p in (tmp_path / "s").rglob("*.html")] + [(tmp_path / "s" / "feed.atom").read_text()]
    assert not [p for p in pages if "localhost" in p or "127.0.0.1" in p]
    remix_pages = [p.read_text() for p in (tmp_path / "s" / "remixes").glob("*.html")]
    assert all("https://buses.example/gallery/frames/ride-the-bus.html" in p for p in remix_pages)


def test_site_links_keep_other_text_and_other_frames() -> None:
    from gallery.export import site_links

    text = "Ride! https://a.example/?frame=ride-the-bus&lang=ar and https://a.example/?frame=ride-the-bus-2 end."
    assert site_links(text, "ride-the-bus", "https://s.example/") == \
        "Ride! https://s.example/frames/ride-the-bus.html and https://a.example/?frame=ride-the-bus-2 end."
    assert site_links(text, "ride-the-bus", "") == text
