"""The gallery's tables, kept as `sqlite_utils.Migrations` so every database upgrades the same way.

Never edit an applied migration; add a new one.
"""
from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from gallery.keys import new_key

migrations = Migrations("frame-remix-gallery")

STATUSES = ("published", "pending", "reported", "hidden", "deleted")


@migrations()
def m001_frames(db: Database) -> None:
    db.execute("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)""")
    db.execute("INSERT INTO meta VALUES ('instance_secret', ?)", [new_key()])
    db.execute("""
        CREATE TABLE frames (
            id TEXT PRIMARY KEY,
            owner_key_hash TEXT,
            origin TEXT NOT NULL CHECK (origin IN ('local', 'bundled', 'imported')),
            latest_version INTEGER NOT NULL,
            title TEXT NOT NULL,
            organizer TEXT NOT NULL,
            moderation TEXT NOT NULL CHECK (moderation IN ('publish', 'approve')),
            derived_from_id TEXT,
            derived_from_version INTEGER,
            derived_from_instance TEXT,
            claimed_derived_from TEXT,
            created TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX frames_derived ON frames (derived_from_id)")
    db.execute("""
        CREATE TABLE assets (hash TEXT PRIMARY KEY, data BLOB NOT NULL, size INTEGER NOT NULL)""")
    db.execute("""
        CREATE TABLE frame_versions (
            frame_id TEXT NOT NULL REFERENCES frames(id),
            version INTEGER NOT NULL,
            manifest BLOB NOT NULL,
            digest TEXT NOT NULL,
            title TEXT NOT NULL,
            published TEXT NOT NULL,
            PRIMARY KEY (frame_id, version)
        )""")
    db.execute("""
        CREATE TABLE frame_assets (
            frame_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            name TEXT NOT NULL,
            hash TEXT NOT NULL REFERENCES assets(hash),
            PRIMARY KEY (frame_id, version, name),
            FOREIGN KEY (frame_id, version) REFERENCES frame_versions(frame_id, version)
        )""")


@migrations()
def m002_remixes(db: Database) -> None:
    db.execute(f"""
        CREATE TABLE remixes (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            frame_id TEXT NOT NULL,
            frame_version INTEGER NOT NULL,
            frame_title TEXT NOT NULL,
            values_json TEXT NOT NULL,
            texts_json TEXT NOT NULL,
            maker TEXT NOT NULL,
            place TEXT NOT NULL,
            place_key TEXT NOT NULL,
            language TEXT NOT NULL,
            story TEXT NOT NULL,
            created TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN {STATUSES}),
            remix_of TEXT,
            consent INTEGER NOT NULL CHECK (consent = 1),
            delete_key_hash TEXT NOT NULL,
            idempotency_hash TEXT UNIQUE,
            request_digest TEXT NOT NULL,
            FOREIGN KEY (frame_id, frame_version) REFERENCES frame_versions(frame_id, version)
        )""")
    db.execute("CREATE INDEX remixes_status ON remixes (status)")
    db.execute("CREATE INDEX remixes_frame ON remixes (frame_id, status)")
    db.execute("CREATE INDEX remixes_place ON remixes (place_key, status)")
    db.execute("CREATE INDEX remixes_language ON remixes (language, status)")
    db.execute("CREATE INDEX remixes_parent ON remixes (remix_of)")
    db.execute("CREATE INDEX remixes_counts ON remixes (frame_id, status, created, language, place_key)")
    db.execute("""
        CREATE TABLE remix_images (
            remix_seq INTEGER NOT NULL REFERENCES remixes(seq),
            format TEXT NOT NULL,
            media_type TEXT NOT NULL,
            file_name TEXT NOT NULL,
            alt TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (remix_seq, format)
        )""")
    db.table("remixes").enable_fts(["story", "frame_title", "place"], create_triggers=True,
                                 tokenize="unicode61 remove_diacritics 2")


@migrations()
def m003_moderation(db: Database) -> None:
    db.execute("""
        CREATE TABLE reports (
            remix_seq INTEGER NOT NULL REFERENCES remixes(seq),
            reporter_hash TEXT NOT NULL,
            reason TEXT NOT NULL,
            created TEXT NOT NULL,
            reviewed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (remix_seq, reporter_hash)
        )""")
    db.execute("""
        CREATE TABLE moderation_log (
            id INTEGER PRIMARY KEY,
            remix_id TEXT,
            frame_id TEXT,
            action TEXT NOT NULL,
            reason TEXT NOT NULL,
            actor TEXT NOT NULL,
            created TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX moderation_log_remix ON moderation_log (remix_id)")
    db.execute("CREATE INDEX moderation_log_frame ON moderation_log (frame_id)")


_STATS = {
    "stats_day": ("day", "substr({r}.created, 1, 10)"),
    "stats_language": ("language", "{r}.language"),
    "stats_place": ("place_key", "{r}.place_key"),
}


@migrations()
def m004_stats(db: Database) -> None:
    """Per-frame counts of published remixes, kept by triggers in the same transaction as the rows."""
    for table, (column, _) in _STATS.items():
        extra = ", place TEXT NOT NULL DEFAULT ''" if table == "stats_place" else ""
        db.execute(f"""CREATE TABLE {table} (frame_id TEXT NOT NULL, {column} TEXT NOT NULL, n INTEGER NOT NULL{extra},
                       PRIMARY KEY (frame_id, {column}))""")
    add = "; ".join(_bump(t, c, e, "NEW", +1) for t, (c, e) in _STATS.items())
    sub = "; ".join(_bump(t, c, e, "OLD", -1) for t, (c, e) in _STATS.items())
    db.execute(f"CREATE TRIGGER stats_insert AFTER INSERT ON remixes WHEN NEW.status = 'published' BEGIN {add}; END")
    db.execute(f"CREATE TRIGGER stats_delete AFTER DELETE ON remixes WHEN OLD.status = 'published' BEGIN {sub}; END")
    db.execute(f"CREATE TRIGGER stats_update_old AFTER UPDATE ON remixes WHEN OLD.status = 'published' BEGIN {sub}; END")
    db.execute(f"CREATE TRIGGER stats_update_new AFTER UPDATE ON remixes WHEN NEW.status = 'published' BEGIN {add}; END")
    for table, (_column, expr) in _STATS.items():
        place = ", min(place)" if table == "stats_place" else ""
        db.execute(f"""INSERT INTO {table} SELECT frame_id, {expr.format(r='remixes')}, count(*){place} FROM remixes
                       WHERE status = 'published' GROUP BY 1, 2""")


@migrations()
def m005_report_addresses(db: Database) -> None:
    """Reports remember a keyed hash of the reporter's network address: distinct addresses count
    towards hiding a remix, and each address may send only so many reports an hour."""
    db.execute("ALTER TABLE reports ADD COLUMN address_hash TEXT")
    db.execute("CREATE INDEX reports_address ON reports (address_hash, created)")


@migrations()
def m006_drafts(db: Database) -> None:
    """Organizers' unpublished drafts, each behind its own secret draft key (only the hash is stored)."""
    db.execute("""
        CREATE TABLE drafts (
            key_hash TEXT PRIMARY KEY,
            frame_id TEXT NOT NULL,
            in_gallery INTEGER NOT NULL,
            data TEXT NOT NULL,
            source BLOB NOT NULL,
            updated TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE draft_assets (
            key_hash TEXT NOT NULL REFERENCES drafts(key_hash) ON DELETE CASCADE,
            name TEXT NOT NULL,
            hash TEXT NOT NULL REFERENCES assets(hash),
            PRIMARY KEY (key_hash, name)
        )""")
    db.execute("CREATE INDEX drafts_updated ON drafts (updated)")


@migrations()
def m007_packs(db: Database) -> None:
    """Signed frame packs (content-addressed: the id is the sha256 of pack.json), kept so the same
    version always gives the same pack id and signature, and the keys this instance revoked."""
    db.execute("""
        CREATE TABLE packs (
            pack_id TEXT PRIMARY KEY,
            frame_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            manifest BLOB NOT NULL,
            signature TEXT NOT NULL,
            key TEXT NOT NULL,
            adapted_from_pack TEXT,
            adapted_from_key TEXT,
            verified INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            FOREIGN KEY (frame_id, version) REFERENCES frame_versions(frame_id, version)
        )""")
    db.execute("CREATE INDEX packs_frame ON packs (frame_id, version)")
    db.execute("CREATE INDEX packs_key ON packs (key)")
    db.execute("""
        CREATE TABLE revoked_keys (key_id TEXT PRIMARY KEY, key TEXT NOT NULL, revoked TEXT NOT NULL)""")


@migrations()
def m008_outbox(db: Database) -> None:
    """What this instance tells its followers (gallery.federation.outbox), and remixes whose parent
    lives on another instance. `seq` is AUTOINCREMENT: a superseded record is deleted, and its
    number must never come back, or a follower's cursor would skip the record that reused it.
    Records are stored with the instance address left as `{base}` (signed for the configured
    public URL when there is one); the remixes already published are announced once here."""
    db.execute("""
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('remix', 'tombstone', 'frame')),
            subject_id TEXT NOT NULL,
            record_json TEXT NOT NULL,
            signature TEXT,
            signed_for TEXT,
            created TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX outbox_subject ON outbox (subject_id, kind)")
    db.execute("ALTER TABLE remixes ADD COLUMN remix_of_instance TEXT")
    from gallery.federation.outbox import announce_published

    announce_published(db)


@migrations()
def m009_peers(db: Database) -> None:
    """The follow side of federation: peers on the operator's allowlist (each with the key pinned
    at first contact), the remote remixes taken from their feeds (metadata and a local thumbnail,
    never the full images), the deletes that arrived (never re-ingest an id), blocked keys, and
    the forks of this instance's frames that followed peers announced (so their remixes count)."""
    db.execute("""
        CREATE TABLE peers (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            key TEXT NOT NULL,
            pending_key TEXT,
            state TEXT NOT NULL CHECK (state IN ('new', 'trusted', 'blocked')),
            cursor INTEGER,
            etag TEXT,
            last_poll TEXT,
            last_error TEXT,
            added TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE remote_remixes (
            peer_id INTEGER NOT NULL REFERENCES peers(id),
            instance TEXT NOT NULL,
            remix_id TEXT NOT NULL,
            record_json TEXT NOT NULL,
            signature TEXT NOT NULL,
            frame_id TEXT NOT NULL,
            frame_version INTEGER NOT NULL,
            frame_title TEXT NOT NULL,
            frame_pack TEXT,
            remix_of_id TEXT,
            remix_of_instance TEXT,
            maker TEXT NOT NULL,
            place TEXT NOT NULL,
            language TEXT NOT NULL,
            licence TEXT NOT NULL,
            page TEXT NOT NULL,
            thumb_url TEXT NOT NULL,
            created TEXT NOT NULL,
            thumb BLOB,
            status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'hidden')),
            checked TEXT NOT NULL,
            UNIQUE (instance, remix_id)
        )""")
    db.execute("CREATE INDEX remote_remixes_frame ON remote_remixes (frame_id, status, created)")
    db.execute("CREATE INDEX remote_remixes_parent ON remote_remixes (remix_of_id)")
    db.execute("CREATE INDEX remote_remixes_peer ON remote_remixes (peer_id, status)")
    db.execute("CREATE INDEX remote_remixes_checked ON remote_remixes (checked)")
    db.execute("CREATE INDEX remote_remixes_created ON remote_remixes (status, created)")
    db.execute("""
        CREATE TABLE tombstones (
            instance TEXT NOT NULL,
            remix_id TEXT NOT NULL,
            deleted TEXT NOT NULL,
            PRIMARY KEY (instance, remix_id)
        )""")
    db.execute("""
        CREATE TABLE blocked_keys (key_id TEXT PRIMARY KEY, key TEXT NOT NULL, created TEXT NOT NULL)""")
    db.execute("""
        CREATE TABLE remote_frames (
            peer_id INTEGER NOT NULL REFERENCES peers(id),
            instance TEXT NOT NULL,
            frame_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            pack TEXT NOT NULL,
            title TEXT NOT NULL,
            adapted_frame TEXT NOT NULL,
            adapted_instance TEXT,
            adapted_pack TEXT,
            record_json TEXT NOT NULL,
            PRIMARY KEY (instance, frame_id)
        )""")
    db.execute("CREATE INDEX remote_frames_adapted ON remote_frames (adapted_frame)")


def _bump(table: str, column: str, expr: str, row: str, delta: int) -> str:
    value = expr.format(r=row)
    if table == "stats_place":
        return (f"INSERT INTO {table} (frame_id, {column}, n, place) VALUES ({row}.frame_id, {value}, {delta}, {row}.place) "
                f"ON CONFLICT (frame_id, {column}) DO UPDATE SET n = n + ({delta})")
    return (f"INSERT INTO {table} (frame_id, {column}, n) VALUES ({row}.frame_id, {value}, {delta}) "
            f"ON CONFLICT (frame_id, {column}) DO UPDATE SET n = n + ({delta})")


def migrate(store) -> None:
    """Apply pending migrations inside one `BEGIN IMMEDIATE` transaction on the writer."""
    with store.write() as db:
        migrations.apply(db)
