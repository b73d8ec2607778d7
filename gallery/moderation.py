"""Moderation: organizers approve, hide and restore remixes of their frames; reports hide pending review.

Every change needs the frame's owner key or the admin key, carries a reason and is logged.
Reports count once per person and once per network address, and each address may send only
the instance's `reports_per_hour` (Settings) of them, so nobody can hide a remix alone by changing browsers or tokens;
only keyed hashes of reporters and addresses are stored.
A hidden remix stays in the database as a tombstone for lineage; only its maker (delete key)
or the admin can delete it for good.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from gallery.clock import now_iso
from gallery.config import Settings
from gallery.db import Store
from gallery.errors import GalleryError
from gallery.federation.outbox import append_remix
from gallery.framestore import authorize_frame
from gallery.models import ModerationEntry
from gallery.remixes import log

ACTIONS = {
    "approve": ({"pending", "reported"}, "published"),
    "hide": ({"published", "pending", "reported"}, "hidden"),
    "restore": ({"hidden", "reported"}, "published"),
}
MAX_REASON = 500


class TooManyReports(GalleryError):
    """The reporter's network address has sent the most reports allowed this hour."""


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
            append_remix(db, store.settings, remix_id)  # followers hear of it now (approved or restored)
        log(db, remix_id, frame_id, action, reason, actor)
    return new_status


def _refusal(action: str, status: str) -> str:
    if status == "deleted":
        return "this remix was deleted; it cannot be changed any more"
    done = {"approve": "approved", "hide": "hidden", "restore": "restored"}[action]
    return f"this remix is {status}; it cannot be {done} now"


def report_remix(store: Store, remix_id: str, reporter: str, reason: str, *, address: str) -> int:
    """Report a published remix; returns the number of distinct network addresses reporting it.

    `reporter` identifies the person (the app: a random per-browser token), `address` their
    network address (`client_address`). A person counts once per remix and so does an address,
    so one person changing tokens or browsers adds nothing; an address may send at most
    `settings.reports_per_hour` reports an hour. Only keyed hashes of both are stored. At the
    instance's report threshold (Settings) addresses the remix is hidden pending review ('reported')
    until its organizer restores or hides it.
    """
    reason = " ".join(reason.split())[:MAX_REASON]
    if not reporter.strip() or not reason:
        raise GalleryError("say what is wrong with this remix; the reason goes to its organizer")
    secret = store.instance_secret().encode()
    person = _keyed(secret, "reporter:" + reporter)
    network = _keyed(secret, "address:" + client_address(address.strip().lower()))  # an IPv6 /64 counts as one
    with store.write() as db:
        seq, frame_id, status = _remix(db, remix_id)
        if status != "published":
            raise GalleryError("this remix is not shown in the gallery, so it cannot be reported")
        _check_rate(db, network, store.settings)
        db.execute("INSERT OR IGNORE INTO reports (remix_seq, reporter_hash, reason, created, reviewed, address_hash) "
                   "VALUES (?, ?, ?, ?, 0, ?)", [seq, person, reason, now_iso(), network])
        count = db.execute("SELECT count(DISTINCT coalesce(address_hash, reporter_hash)) FROM reports "
                           "WHERE remix_seq = ? AND reviewed = 0", [seq]).fetchone()[0]
        if count >= store.settings.report_threshold:
            db.execute("UPDATE remixes SET status = 'reported' WHERE seq = ?", [seq])
            log(db, remix_id, frame_id, "auto-hide", f"{count} reports; hidden pending review", "reports")
    return count


def _keyed(secret: bytes, value: str) -> str:
    """A hash keyed by this instance's secret: addresses are too few to survive a plain hash."""
    return hmac.new(secret, value.encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def _check_rate(db: Database, network: str, settings: Settings) -> None:
    since = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    sent = db.execute("SELECT count(*) FROM reports WHERE address_hash = ? AND created > ?", [network, since]).fetchone()[0]
    if sent >= settings.reports_per_hour:
        raise TooManyReports(f"your network has already sent {sent} report{'' if sent == 1 else 's'} in the last "
                           "hour, the most allowed; please try again later")


def client_address(peer: str | None, forwarded_for: str | None = None, *, trust_proxy: bool = False) -> str:
    """The address to count a reporter by: the connection's peer, or, only behind a trusted proxy
    (which appends the address it was reached from), the LAST address in X-Forwarded-For: every
    earlier entry is whatever the client sent, so taking the first would let anyone pick theirs. IPv6 clients count
    by their /64, since one household or phone holds a whole /64."""
    candidate = peer or ""
    if trust_proxy and forwarded_for:
        candidate = forwarded_for.split(",")[-1].strip() or candidate
    try:
        ip = ipaddress.ip_address(candidate)
    except ValueError:
        return candidate or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


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
