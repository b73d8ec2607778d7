"""Lineage both ways: a remix's parents up to its frame and the frame's sources, and its descendants.

Walks are bounded (depth cap and node cap) and remember what they visited, so a cycle in the
data (from a damaged database or a hostile import) ends the walk instead of looping. Removed
remixes appear as tombstones ("a removed remix") so the chain stays readable. A parent on another
instance (`remixes.remix_of_instance`) is the last ancestor here, a ref carrying its instance.
"""
from __future__ import annotations

from sqlite_utils import Database

from gallery.db import Store
from gallery.errors import GalleryError
from gallery.federation.remote import shown_maker
from gallery.framestore import frame_row, frame_source
from gallery.models import FrameLineage, FrameSource, Lineage, RemixRef

MAX_DEPTH = 10
MAX_NODES = 500


def remix_lineage(store: Store, remix_id: str, depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> Lineage:
    """Ancestors (nearest first), the frame and its sources, and descendants (breadth first). Read-only."""
    db = store.read()
    row = db.execute("SELECT id, status, maker, frame_id, frame_version FROM remixes WHERE id = ?", [remix_id]).fetchone()
    if row is None:
        raise GalleryError(f"there is no remix '{remix_id}' in this gallery")
    ancestors = _ancestors(db, remix_id, depth)
    descendants, truncated = _descendants(db, remix_id, depth, max_nodes)
    frame_ancestors = frame_lineage(store, row[3], depth).ancestors
    return Lineage(RemixRef.from_row(row[:3]), ancestors, row[3], row[4], frame_ancestors, descendants, truncated)


def _ancestors(db: Database, remix_id: str, depth: int) -> tuple[RemixRef, ...]:
    """Parents nearest first; a parent on another instance ends the walk as a 'remote' ref with its
    instance (what that instance knows of it, the follow side may add)."""
    seen = {remix_id}
    out: list[RemixRef] = []
    parent, instance = db.execute("SELECT remix_of, remix_of_instance FROM remixes WHERE id = ?", [remix_id]).fetchone()
    while parent and parent not in seen and len(out) < depth:
        if instance:
            out.append(RemixRef(parent, "remote", shown_maker(db, instance, parent), len(out) + 1, instance))
            break
        seen.add(parent)
        row = db.execute("SELECT id, status, maker, remix_of, remix_of_instance FROM remixes WHERE id = ?",
                         [parent]).fetchone()
        if row is None:
            break
        out.append(RemixRef.from_row(row[:3], len(out) + 1))
        parent, instance = row[3], row[4]
    return tuple(out)


def _descendants(db: Database, remix_id: str, depth: int, max_nodes: int) -> tuple[tuple[RemixRef, ...], bool]:
    seen, level = {remix_id}, [remix_id]
    out: list[RemixRef] = []
    for d in range(1, depth + 1):
        marks = ",".join("?" * len(level))
        rows = db.execute(f"""SELECT id, status, maker FROM remixes WHERE remix_of IN ({marks})
                              AND remix_of_instance IS NULL AND status != 'pending' ORDER BY seq""", level).fetchall()
        level = []
        for row in rows:
            if row[0] in seen:
                continue
            if len(out) >= max_nodes:
                return tuple(out), True
            seen.add(row[0])
            out.append(RemixRef.from_row(row, d))
            level.append(row[0])
        if not level:
            return tuple(out), False
    return tuple(out), bool(level) and _has_children(db, level)


def _has_children(db: Database, ids: list[str]) -> bool:
    marks = ",".join("?" * len(ids))
    return db.execute(f"""SELECT 1 FROM remixes WHERE remix_of IN ({marks}) AND remix_of_instance IS NULL
                          AND status != 'pending' LIMIT 1""", ids).fetchone() is not None


def frame_lineage(store: Store, frame_id: str, depth: int = MAX_DEPTH) -> FrameLineage:
    """A frame's sources (nearest first, local records over claims) and the frames forked from it."""
    db = store.read()
    if db.execute("SELECT 1 FROM frames WHERE id = ?", [frame_id]).fetchone() is None:
        raise GalleryError(f"there is no frame '{frame_id}' in this gallery")
    return FrameLineage(frame_id, _frame_ancestors(db, frame_id, depth), _forks(db, frame_id))


def _frame_ancestors(db: Database, frame_id: str, depth: int) -> tuple[FrameSource, ...]:
    seen, current = {frame_id}, frame_id
    out: list[FrameSource] = []
    while len(out) < depth:
        row = frame_row(db, current)
        source = frame_source(row) if row else None
        if source is None or source.id in seen:
            break
        local = next(db.query("SELECT title, organizer FROM frames WHERE id = ?", [source.id]), None)
        if local and not source.title:
            source = FrameSource(source.id, source.version, source.instance, local["title"], local["organizer"], source.claimed)
        out.append(source)
        if local is None:
            break
        seen.add(source.id)
        current = source.id
    return tuple(out)


def _forks(db: Database, frame_id: str) -> tuple[FrameSource, ...]:
    rows = db.execute("""SELECT id, latest_version, title, organizer, derived_from_id IS NULL FROM frames
                         WHERE derived_from_id = ?
                            OR (derived_from_id IS NULL AND json_extract(claimed_derived_from, '$.id') = ?)
                         ORDER BY created, id""", [frame_id, frame_id]).fetchall()
    return tuple(FrameSource(r[0], r[1], "", r[2], r[3], claimed=bool(r[4])) for r in rows)
