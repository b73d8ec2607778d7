"""Reading the gallery: pages newest first (keyset, never OFFSET), filters, search, one remix, counts.

Every function here is a read-only operation on the calling thread's own connection. Anything
not published (pending, reported, hidden) is only shown to its frame's owner or the admin, and
a deleted remix only ever as a tombstone.
"""
from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from gallery.db import Store
from gallery.errors import GalleryError
from gallery.federation.remote import shown_maker
from gallery.framestore import authorize_frame, frame_row, frame_source, get_frame
from gallery.keys import is_admin, key_matches
from gallery.models import Credits, FrameCounts, ImageInfo, Page, RemixDetail, RemixRef, RemixSummary, StoredImage
from gallery.remixes import place_key
from gallery.schema import STATUSES

PAGE_SIZE = 48
MAX_PAGE = 200
COLUMNS = "id, seq, frame_id, frame_version, frame_title, maker, place, language, story, created, status, remix_of"
_R_COLUMNS = ", ".join("r." + c.strip() for c in COLUMNS.split(","))


def list_remixes(store: Store, *, frame: str | None = None, place: str | None = None, lang: str | None = None,
                 status: str = "published", cursor: int | None = None, limit: int = PAGE_SIZE,
                 key: str | None = None) -> Page:
    """One page, newest first. Statuses other than 'published' need the frame's owner key or the admin key."""
    db = store.read()
    _check_status(db, status, frame, key, store.settings.admin_key)
    where, params = _filters("", status, frame, place, lang)
    return _page(db, f"SELECT {COLUMNS} FROM remixes WHERE {where}", params, "seq", cursor, limit)


def search(store: Store, text: str, *, frame: str | None = None, place: str | None = None,
           lang: str | None = None, cursor: int | None = None, limit: int = PAGE_SIZE) -> Page:
    """Published remixes whose story, frame title or place match every word of `text`, newest
    first, narrowed by the same filters as `list_remixes`."""
    db = store.read()
    words = " ".join(text.split())[:200]
    if not words:
        return list_remixes(store, frame=frame, place=place, lang=lang, cursor=cursor, limit=limit)
    where, params = _filters("r.", "published", frame, place, lang)
    sql = (f"SELECT {_R_COLUMNS} FROM remixes_fts f JOIN remixes r ON r.seq = f.rowid "
           f"WHERE remixes_fts MATCH ? AND {where}")
    return _page(db, sql, [db.quote_fts(words), *params], "f.rowid", cursor, limit)


def _filters(prefix: str, status: str, frame: str | None, place: str | None, lang: str | None) -> tuple[str, list[Any]]:
    """The WHERE conditions (joined with AND) and their parameters shared by listing and search."""
    where, params = [f"{prefix}status = ?"], [status]
    for column, value in (("frame_id", frame), ("place_key", place_key(place) if place else None), ("language", lang)):
        if value:
            where.append(f"{prefix}{column} = ?")
            params.append(value)
    return " AND ".join(where), params


def _page(db: Database, sql: str, params: list[Any], order: str, cursor: int | None, limit: int) -> Page:
    limit, cursor = _bounded(limit, cursor)
    if cursor is not None:
        sql += f" AND {order} < ?"
        params = [*params, cursor]
    rows = db.execute(f"{sql} ORDER BY {order} DESC LIMIT ?", [*params, limit + 1]).fetchall()
    items = tuple(RemixSummary(*row) for row in rows[:limit])
    return Page(items, items[-1].seq if len(rows) > limit else None)


def _bounded(limit: int | str, cursor: int | str | None) -> tuple[int, int | None]:
    """Page size and cursor as integers (they may come from a URL)."""
    try:
        return max(1, min(int(limit), MAX_PAGE)), None if cursor in (None, "") else int(cursor)
    except (TypeError, ValueError):
        raise GalleryError("that page link is not valid; go back to the first page") from None


def _check_status(db: Database, status: str, frame: str | None, key: str | None, admin_key: str) -> None:
    if status not in STATUSES:
        raise GalleryError(f"'{status}' is not a remix status; use one of: {', '.join(STATUSES)}")
    if status == "published" or is_admin(key, admin_key):
        return
    if not frame:
        raise GalleryError("only the admin key lists unpublished remixes of every frame; choose a frame")
    authorize_frame(db, frame, key, admin_key)


def get_remix(store: Store, remix_id: str, key: str | None = None) -> RemixDetail:
    """A remix with its texts, images and credits. Unpublished ones need a key (delete, owner or admin)."""
    db = store.read()
    row = _row(db, remix_id)
    _check_visible(db, row, key, store.settings.admin_key)
    summary = RemixSummary(*(row[c.strip()] for c in COLUMNS.split(",")))
    texts = json.loads(row["texts_json"]) or {"post": {}, "alt": {}}
    images = tuple(ImageInfo(*r) for r in db.execute(
        "SELECT format, media_type, file_name, alt FROM remix_images WHERE remix_seq = ? ORDER BY rowid", [row["seq"]]))
    return RemixDetail(summary, json.loads(row["values_json"]), texts["post"], texts["alt"], images,
                       credits(store, db, row))


def remix_ref(store: Store, remix_id: str) -> RemixRef | None:
    """What anyone may know of a remix: its status, and its maker only while it is published."""
    row = store.read().execute("SELECT id, status, maker FROM remixes WHERE id = ?", [remix_id]).fetchone()
    return RemixRef.from_row(row) if row else None


def credits(store: Store, db: Database, row: dict[str, Any]) -> Credits:
    stored = frame_row(db, row["frame_id"])
    frame = get_frame(store, row["frame_id"], row["frame_version"])
    assert stored is not None  # remixes.frame_id REFERENCES frames(id), enforced (PRAGMA foreign_keys=ON)
    return Credits(row["maker"], frame.id, frame.version, frame.title, frame.manifest.organizer.name,
                   frame.manifest.licence, frame_source(stored), _parent_ref(db, row), row["language"])


def _parent_ref(db: Database, row: dict[str, Any]) -> RemixRef | None:
    """The remix this one is based on: a local row, or a 'remote' ref naming the other instance."""
    if not row["remix_of"]:
        return None
    if row.get("remix_of_instance"):
        return RemixRef(row["remix_of"], "remote", shown_maker(db, row["remix_of_instance"], row["remix_of"]),
                        instance=row["remix_of_instance"])
    parent = db.execute("SELECT id, status, maker FROM remixes WHERE id = ?", [row["remix_of"]]).fetchone()
    return RemixRef.from_row(parent) if parent else None


def image(store: Store, remix_id: str, fmt: str, key: str | None = None) -> StoredImage:
    """One stored image of a remix (bytes as rendered, no metadata)."""
    db = store.read()
    row = _row(db, remix_id)
    _check_visible(db, row, key, store.settings.admin_key)
    found = db.execute("SELECT data, media_type, file_name, alt FROM remix_images WHERE remix_seq = ? AND format = ?",
                       [row["seq"], fmt]).fetchone()
    if found is None:
        raise GalleryError(f"this remix has no '{fmt}' image")
    return StoredImage(bytes(found[0]), found[1], found[2], found[3])


def _row(db: Database, remix_id: str) -> dict[str, Any]:
    row = next(db.query("SELECT * FROM remixes WHERE id = ?", [remix_id]), None)
    if row is None:
        raise GalleryError(f"there is no remix '{remix_id}' in this gallery")
    return row


def _check_visible(db: Database, row: dict[str, Any], key: str | None, admin_key: str) -> None:
    if row["status"] == "published":
        return
    if row["status"] == "deleted":
        raise GalleryError("this remix was deleted by its maker or the admin")
    if is_admin(key, admin_key) or key_matches(key, row["delete_key_hash"]):
        return
    try:
        authorize_frame(db, row["frame_id"], key, admin_key)
    except GalleryError:
        waiting = "is waiting for its organizer's approval" if row["status"] == "pending" else "was removed from the gallery"
        raise GalleryError(f"this remix {waiting}") from None


def languages(store: Store) -> list[str]:
    """The languages published remixes are in, for a language filter (from the per-frame tallies,
    so it stays instant at any size). Read-only."""
    rows = store.read().execute("SELECT DISTINCT language FROM stats_language WHERE n > 0 ORDER BY 1")
    return [row[0] for row in rows]


def counts(store: Store, frame_id: str, days: int = 60) -> FrameCounts:
    """Published remixes of a frame: how many, in how many places and languages, per day (recent first).

    Reads the per-frame tallies that triggers keep in step with every write, so it costs the same
    at 100 remixes or 100,000.
    """
    db = store.read()
    languages = dict(db.execute("SELECT language, n FROM stats_language WHERE frame_id = ? AND n > 0 "
                                "ORDER BY n DESC, language", [frame_id]))
    places = db.execute("SELECT count(*) FROM stats_place WHERE frame_id = ? AND n > 0 AND place_key != ''",
                        [frame_id]).fetchone()[0]
    per_day = tuple(db.execute("SELECT day, n FROM stats_day WHERE frame_id = ? AND n > 0 ORDER BY day DESC LIMIT ?",
                               [frame_id, days]))
    top = tuple(db.execute("SELECT place, n FROM stats_place WHERE frame_id = ? AND n > 0 AND place_key != '' "
                           "ORDER BY n DESC, place LIMIT 10", [frame_id]))
    return FrameCounts(frame_id, sum(languages.values()), places, languages, per_day, top)
