"""The published gallery as a self-contained static site: index pages, a page per frame and per remix,
images, an Atom feed and a JSON feed.

Links are relative, so the site works opened from disk and on any static host; with a site URL,
the frame links that post texts carry (baked at publish time against the instance's address)
are rewritten to the frame's page on the site, so no page points at the instance it came from.
Pages come from
Jinja2 templates with autoescape on (`gallery.site.environment`), so participant text is escaped
everywhere. The site is built in a sibling folder and swapped in whole; an existing folder is only
replaced if a previous export made it.
"""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from frames.localize import RTL_LANGUAGES
from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError
from gallery.framestore import get_frame, list_frames
from gallery.lineage import frame_lineage, remix_lineage
from gallery.models import FrameInfo, FrameSource, RemixDetail, RemixSummary
from gallery.packs import adapted_from_status, lineage_statuses
from gallery.queries import counts, get_remix, image, list_remixes
from gallery.site import carryable, environment

MARKER = ".frame-remix-site"
PER_PAGE = 48
FEED_ENTRIES = 50
_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


@dataclass(frozen=True)
class ExportResult:
    out_dir: Path
    remixes: int
    frames: int
    pages: int
    images: int


def export_site(store: Store, out_dir: Path, *, site_url: str = "", title: str = "frame-remix gallery") -> ExportResult:
    """Write the site to `out_dir` (replacing a previous export there, never any other folder)."""
    out_dir = Path(out_dir)
    _check_target(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        result = _build(store, build, site_url.rstrip("/") + "/" if site_url else "", title)
        _swap(build, out_dir)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return ExportResult(out_dir, *result)


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / MARKER).exists())):
        raise GalleryError(f"'{out_dir}' exists and was not made by export-site; choose an empty or new folder")


def _swap(build: Path, out_dir: Path) -> None:
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out_dir.rename(old)
    build.rename(out_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _build(store: Store, root: Path, base: str, title: str) -> tuple[int, int, int, int]:
    env = environment()
    common = {"site_title": title, "exported": now_iso()}
    for sub in ("frames", "remixes", "media"):
        (root / sub).mkdir()
    (root / MARKER).write_text("made by frame-remix export-site\n")
    assert env.loader is not None  # environment() always has the package's template loader
    (root / "style.css").write_text(env.loader.get_source(env, "style.css")[0])
    summaries = list(_all_published(store))
    details = {s.id: get_remix(store, s.id) for s in summaries}  # read once, used by media and pages
    thumbs, images = _write_media(store, root, details)
    cards = [_card(s, thumbs) for s in summaries]
    by_frame: dict[str, list[dict]] = {}
    for card in cards:
        by_frame.setdefault(card["frame_id"], []).append(card)
    frames = list_frames(store)
    local = {f.id for f in frames}
    statuses = {f.id: adapted_from_status(store, f.id, f.latest_version) for f in frames}
    pages = _write_index(root, env, common, frames, cards, by_frame, statuses)
    for info in frames:
        pages += _write_frame(root, env, common, store, info, by_frame.get(info.id, []), local)
    for s in summaries:
        _write_remix(root, env, common, store, details[s.id], images[s.id], local, base)
    _write_feeds(root, env, common, base, cards)
    return len(summaries), len(frames), pages + len(summaries), sum(len(v) for v in images.values())


def _all_published(store: Store, frame: str | None = None) -> Iterator[RemixSummary]:
    cursor = None
    while True:
        page = list_remixes(store, frame=frame, cursor=cursor, limit=200)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _write_media(store: Store, root: Path, details: dict[str, RemixDetail]) -> tuple[dict, dict]:
    thumbs: dict[str, dict[str, str]] = {}
    images: dict[str, list[dict[str, str]]] = {}
    for detail in details.values():
        s = detail.summary
        images[s.id] = []
        for info in detail.images:
            stored = image(store, s.id, info.format)
            src = f"media/{s.id}-{info.format}.{_EXT.get(stored.media_type, 'bin')}"
            (root / src).write_bytes(stored.data)
            images[s.id].append({"src": src, "alt": stored.alt, "format": info.format})
        pick = next((i for i in images[s.id] if i["format"] == "square"), images[s.id][0] if images[s.id] else None)
        if pick:
            thumbs[s.id] = pick
    return thumbs, images


def _card(s: RemixSummary, thumbs: dict[str, dict[str, str]]) -> dict[str, Any]:
    return {"id": s.id, "maker": s.maker, "place": s.place, "story": s.story, "frame_id": s.frame_id,
            "frame_title": s.frame_title, "created": s.created, "thumb": thumbs.get(s.id)}


def _page_name(n: int, stem: str = "index") -> str:
    """index.html, page-2.html, ... (or ID.html, ID-page-2.html, ... for a frame)."""
    if n == 1:
        return f"{stem}.html"
    return f"page-{n}.html" if stem == "index" else f"{stem}-page-{n}.html"


def _chunks(cards: list[dict]) -> list[list[dict]]:
    return [cards[i:i + PER_PAGE] for i in range(0, len(cards), PER_PAGE)] or [[]]


def _pager(n: int, count: int, stem: str = "index") -> dict[str, Any]:
    return {"page_number": n, "page_count": count, "prev_page": _page_name(n - 1, stem) if n > 1 else None,
            "next_page": _page_name(n + 1, stem) if n < count else None}


def _write_index(root: Path, env, common: dict, infos: list[FrameInfo], cards: list[dict],
                 by_frame: dict[str, list[dict]], statuses: Mapping[str, str | None]) -> int:
    frames = [{"id": f.id, "title": f.title, "organizer": f.organizer, "source": f.derived_from,
               "status": statuses.get(f.id), "count": len(by_frame.get(f.id, []))} for f in infos]
    chunks = _chunks(cards)
    template = env.get_template("index.html")
    for n, chunk in enumerate(chunks, 1):
        html = template.render(**common, root="", page_title="Gallery", items=chunk, frames=frames,
                               total=len(cards), **_pager(n, len(chunks)))
        (root / _page_name(n)).write_text(html, encoding="utf-8")
    return len(chunks)


def _source(s: FrameSource, local: set[str], status: str | None = None) -> dict[str, Any]:
    """A frame source for a page; `local` (ids of this gallery's frames) says whether to link it,
    `status` whether the adapted-from pack is 'verified' or only 'claimed' (gallery.packs)."""
    return {"id": s.id, "version": s.version, "title": s.title, "instance": s.instance, "claimed": s.claimed,
            "local": s.id in local, "status": status}


def _write_frame(root: Path, env, common: dict, store: Store, info: FrameInfo, cards: list[dict],
                 local: set[str]) -> int:
    frame = get_frame(store, info.id)
    lineage = frame_lineage(store, info.id)
    data = {"title": frame.title, "message": frame.manifest.message, "organizer": frame.manifest.organizer.name,
            "licence": frame.manifest.licence, "version": frame.version}
    status = adapted_from_status(store, info.id, frame.version)
    shared = {"source": _source(lineage.ancestors[0], local, status) if lineage.ancestors else None,
              "forks": [_source(f, local) for f in lineage.forks], "counts": counts(store, info.id)}
    chunks = _chunks(cards)
    for n, chunk in enumerate(chunks, 1):
        html = env.get_template("frame.html").render(
            **common, **shared, **_pager(n, len(chunks), info.id), root="../", page_title=frame.title,
            lang=frame.manifest.language, dir=direction(frame.manifest.language), frame=data, items=chunk)
        (root / "frames" / _page_name(n, info.id)).write_text(html, encoding="utf-8")
    return len(chunks)


def _write_remix(root: Path, env, common: dict, store: Store, detail: RemixDetail, images: list[dict],
                 local: set[str], base: str) -> None:
    s = detail.summary
    lineage = remix_lineage(store, s.id)
    post = {name: site_links(text, s.frame_id, base) for name, text in detail.post.items()}
    html = env.get_template("remix.html").render(
        **common, root="../", page_title=f"{s.credit_name} · {s.frame_title}", lang=s.language,
        dir=direction(s.language), r=s,
        images=images, credits=detail.credits, post=post, ancestors=lineage.ancestors,
        children=[c for c in lineage.descendants if c.depth == 1],
        frame_sources=[_source(f, local, status) for f, status in
                       zip(lineage.frame_ancestors, lineage_statuses(store, lineage.frame_id, lineage.frame_version,
                                                                     lineage.frame_ancestors))])
    (root / "remixes" / f"{s.id}.html").write_text(html, encoding="utf-8")


def direction(lang: str) -> str:
    """The page's base direction for its language: 'rtl' for Arabic, Hebrew, Persian, Urdu..."""
    return "rtl" if lang.split("-")[0].lower() in RTL_LANGUAGES else "ltr"
def site_links(text: str, frame_id: str, base: str) -> str:
    """A post text with its frame links (`<any instance>/?frame=ID[&lang=xx]`) pointing at the
    frame's page on the site at `base`; unchanged when there is no site URL to point at."""
    if not base:
        return text
    link = re.compile(r"https?://[^\s?#]*/?\?frame=" + re.escape(quote(frame_id)) + r"(?:&lang=[A-Za-z0-9-]+)?(?![\w&=%-])")
    return link.sub(f"{base}frames/{quote(frame_id)}.html", text)


def _write_feeds(root: Path, env, common: dict, base: str, cards: list[dict]) -> None:
    entries = [_entry(c, base) for c in cards[:FEED_ENTRIES]]
    updated = cards[0]["created"] if cards else common["exported"]
    atom = env.get_template("feed.atom").render(**common, base=base, entries=entries, updated=updated,
                                                feed_id=f"{base}feed.atom" if base else "urn:frame-remix:gallery")
    (root / "feed.atom").write_text(atom, encoding="utf-8")
    (root / "feed.json").write_text(json.dumps(_json_feed(common, base, entries), ensure_ascii=False, indent=1),
                                    encoding="utf-8")


def _entry(card: dict, base: str) -> dict[str, Any]:
    """One feed entry; its text passes `carryable` (the JSON feed is not written by a template)."""
    url = f"{base}remixes/{card['id']}.html"
    entry = {"id": url if base else f"urn:frame-remix:remix:{card['id']}", "url": url, "updated": card["created"],
            "title": f"{card['maker'] or 'anonymous'}{' · ' + card['place'] if card['place'] else ''} · {card['frame_title']}",
            "author": card["maker"] or "anonymous", "summary": card["story"],
            "image": f"{base}{card['thumb']['src']}" if card["thumb"] else None}
    return {key: carryable(value) for key, value in entry.items()}


def _json_feed(common: dict, base: str, entries: list[dict]) -> dict[str, Any]:
    feed: dict[str, Any] = {"version": "https://jsonfeed.org/version/1.1", "title": carryable(common["site_title"]),
                            "home_page_url": f"{base}index.html", "feed_url": f"{base}feed.json", "items": []}
    for e in entries:
        item = {"id": e["id"], "url": e["url"], "title": e["title"], "content_text": e["summary"],
                "date_published": e["updated"], "authors": [{"name": e["author"]}]}
        if e["image"]:
            item["image"] = e["image"]
        feed["items"].append(item)
    return feed
