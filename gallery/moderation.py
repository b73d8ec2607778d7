"""Moderation: organizers approve, hide and restore remixes of their frames; reports hide pending review.

Every change needs the frame's owner key or the admin key, carries a reason and is logged.
A hidden remix stays in the database as a tombstone for lineage; only its maker (delete key)
or the admin can delete it for good.
"""
from __future__ import annotations

from sqlite_utils import Database

from gallery.clock import now_iso
from gallery.db import Store
from gallery.errors import GalleryError
from gallery.framestore import authorize_frame
from gallery.keys import hash_key
from gallery.models import ModerationEntry
from gallery.remixes import log

ACTIONS = {
    "approve": ({"pending", "reported"}, "published"),
    "hide": ({"published", "pending", "reported"}, "hidden"),
    "restore": ({"hidden", "reported"}, "published"),
}
MAX_REASON = 500


def moderate(store: Store, remix_id: str, action: str, key: str | None, reason: str = "") -> str:
    """Approve, hide or restore one remix; returns its new status. Reason required to hide or restore."""
    if action not in ACTIONS:
        raise GalleryError(f"'{action}' is not a moderation action; use approve, hide or restore")
    reason = " ".join(reason.split())[:MAX_REASON] or ("approved" if action == "approve" else "")
    if not reason:
        raise GalleryError(f"give a reason to {action} this remix; it is kept in the moderation log")
    with store.write() as db:
        seq, frame_id, status = _remix(db, remix_id)
        actor = authorize_frame(db, frame_id, key, store.settings.admin_key)
        allowed, new_status = ACTIONS[action]
        if status not in allowed:
            raise GalleryError(_refusal(action, status))
        db.execute("UPDATE remixes SET status = ? WHERE seq = ?", [new_status, seq])
        if new_status == "published":
            db.execute("UPDATE reports SET reviewed = 1 WHERE remix_seq = ?", [seq])
        log(db, remix_id, frame_id, action, reason, actor)
    return new_status


def _refusal(action: str, status: str) -> str:
    if status == "deleted":
        return "this remix was deleted; it cannot be changed any more"
    done = {"approve": "approved", "hide": "hidden", "restore": "restored"}[action]
    return f"this remix is {status}; it cannot be {done} now"


def report_remix(store: Store, remix_id: str, reporter: str, reason: str) -> int:
    """Report a published remix once per reporter; returns the distinct open reports.

    `reporter` is any stable identifier of the person (a session id, a hashed address); only
    its hash is stored. At the instance's report threshold (Settings) distinct reports the remix is hidden
    pending review ('reported') until its organizer restores or hides it.
    """
    reason = " ".join(reason.split())[:MAX_REASON]
    if not reporter.strip() or not reason:
        raise GalleryError("say what is wrong with this remix; the reason goes to its organizer")
    with store.write() as db:
        seq, frame_id, status = _remix(db, remix_id)
        if status != "published":
            raise GalleryError("this remix is not shown in the gallery, so it cannot be reported")
        db.execute("INSERT OR IGNORE INTO reports VALUES (?, ?, ?, ?, 0)",
                   [seq, hash_key("reporter:" + reporter), reason, now_iso()])
        count = db.execute("SELECT count(*) FROM reports WHERE remix_seq = ? AND reviewed = 0", [seq]).fetchone()[0]
        if count >= store.settings.report_threshold:
            db.execute("UPDATE remixes SET status = 'reported' WHERE seq = ?", [seq])
            log(db, remix_id, frame_id, "auto-hide", f"{count} reports; hidden pending review", "reports")
    return count


def moderation_log(store: Store, frame_id: str, key: str | None, limit: int = 200) -> list[ModerationEntry]:
    """The newest entries of a frame's moderation log (needs the owner or admin key). Read-only."""
    db = store.read()
    authorize_frame(db, frame_id, key, store.settings.admin_key)
    rows = db.execute("""SELECT remix_id, frame_id, action, reason, actor, created FROM moderation_log
                         WHERE frame_id = ? ORDER BY id DESC LIMIT ?""", [frame_id, limit]).fetchall()
    return [ModerationEntry(*row) for row in rows]


def open_reports(store: Store, remix_id: str, key: str | None) -> list[str]:
    """The reasons of a remix's unreviewed reports (needs its frame's owner or admin key). Read-only."""
    db = store.read()
    seq, frame_id, _ = _remix(db, remix_id)
    authorize_frame(db, frame_id, key, store.settings.admin_key)
    return [r for (r,) in db.execute("SELECT reason FROM reports WHERE remix_seq = ? AND reviewed = 0 ORDER BY created",
                                     [seq])]


def _remix(db: Database, remix_id: str) -> tuple[int, str, str]:
    row = db.execute("SELECT seq, frame_id, status FROM remixes WHERE id = ?", [remix_id]).fetchone()
    if row is None:
        raise GalleryError(f"there is no remix '{remix_id}' in this gallery")
    return row
