"""How far a frame travelled, for its organizer: the participation ladder and the moderation queue's size.

Read-only. Counts of published remixes per day, place and language come from `counts` (the
tallies kept by triggers); this adds the steps further up the ladder (remixes of remixes,
forks by other chapters) and how many remixes wait for the organizer, per status.
"""
from __future__ import annotations

from dataclasses import dataclass

from gallery.db import Store
from gallery.framestore import authorize_frame

WAITING = ("pending", "reported")


@dataclass(frozen=True)
class Ladder:
    """Published remixes that remix another remix, and frames forked from this one (with their ids)."""

    remixes_of_remixes: int
    forks: tuple[str, ...]


def ladder(store: Store, frame_id: str) -> Ladder:
    """The upper steps of the ladder for one frame. This is a read-only operation."""
    db = store.read()
    chained = db.execute("SELECT count(*) FROM remixes WHERE frame_id = ? AND status = 'published' "
                         "AND remix_of IS NOT NULL", [frame_id]).fetchone()[0]
    forks = tuple(r[0] for r in db.execute("SELECT id FROM frames WHERE derived_from_id = ? ORDER BY created, id",
                                            [frame_id]))
    return Ladder(int(chained), forks)


def waiting(store: Store, frame_id: str, key: str | None) -> dict[str, int]:
    """How many remixes of a frame wait per status (pending, reported); needs the owner or admin key."""
    db = store.read()
    authorize_frame(db, frame_id, key or "", store.settings.admin_key)
    rows = dict(db.execute("SELECT status, count(*) FROM remixes WHERE frame_id = ? AND status IN (?, ?) "
                           "GROUP BY status", [frame_id, *WAITING]))
    return {status: int(rows.get(status, 0)) for status in WAITING}
