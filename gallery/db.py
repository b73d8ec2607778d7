"""Connections to the one gallery database: a single writer per process, a reader per thread.

Why one writer: SQLite 3.7.0 to 3.51.2 (this machine has 3.40) can corrupt a WAL database when
two connections write or checkpoint at the same instant (the WAL-reset bug). So every write in a
process goes through one connection, guarded by a thread lock, and across processes (the app and
an operator's CLI) by an exclusive `flock` on `gallery.db.lock`, held for the whole transaction
and the checkpoint that may follow its commit. Each write starts with `BEGIN IMMEDIATE` (a
deferred `BEGIN` would fail with "database is locked" when it upgrades), stays short (rendering
happens before it) and commits its rows and image bytes together. Readers open their own
read-only connection per thread (Streamlit runs every rerun on a new thread); a read-only
connection never writes or checkpoints, so it cannot take part in the race.
"""
from __future__ import annotations

import atexit
import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from gallery.config import Settings

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]

BUSY_TIMEOUT_MS = 10_000
WRITER_CACHE_KIB = 32 * 1024


class Store:
    """The gallery database at one path. Safe to share between threads; open one per process."""

    def __init__(self, path: Path, settings: Settings | None = None) -> None:
        self.path = Path(path)
        self.settings = settings or Settings(data_dir=self.path.parent)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._lockfile = open(str(self.path) + ".lock", "a+b")  # noqa: SIM115 - lives as long as the store
        with self._process_lock():
            self._writer = _connect(self.path, readonly=False)
            self._writer.execute("PRAGMA journal_mode=WAL")
            self._writer.execute("PRAGMA synchronous=FULL")
            self._writer.execute(f"PRAGMA cache_size=-{WRITER_CACHE_KIB}")
        self.writer_db = Database(self._writer)
        self._secret: str | None = None

    def instance_secret(self) -> str:
        """A random secret made when the database was created (keys derived from it survive retries)."""
        if self._secret is None:
            self._secret = self.read().execute("SELECT value FROM meta WHERE key = 'instance_secret'").fetchone()[0]
        return self._secret

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """One write transaction (`BEGIN IMMEDIATE` ... `COMMIT`); rolled back whole on any error."""
        if getattr(self._local, "writing", False):
            raise RuntimeError("a gallery write was started inside another one; finish the first")
        with self._lock, self._process_lock():
            self._local.writing = True
            try:
                self._writer.execute("BEGIN IMMEDIATE")
                try:
                    yield self.writer_db
                except BaseException:
                    if self._writer.in_transaction:
                        self._writer.execute("ROLLBACK")
                    raise
                self._writer.execute("COMMIT")
            finally:
                self._local.writing = False

    def read(self) -> Database:
        """This thread's read-only connection (opened on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = Database(_connect(self.path, readonly=True))
            self._local.db = db
        return db

    def close(self) -> None:
        with self._lock, self._process_lock():
            self._writer.close()
        self._lockfile.close()

    @contextlib.contextmanager
    def _process_lock(self) -> Iterator[None]:
        if fcntl is None:
            yield
            return
        fcntl.flock(self._lockfile.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lockfile.fileno(), fcntl.LOCK_UN)


def _connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA query_only=1")
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


_stores: dict[Path, Store] = {}
_stores_lock = threading.Lock()


def open_store(path: Path | str | None = None, settings: Settings | None = None) -> Store:
    """The process's Store for a database file (`settings.db_path` when no path is given), migrated.

    Returns the same Store for the same path, so a process never has two writers on one file.
    Settings given here (admin key, report threshold) become the store's; without them an
    already open store keeps its own, and a new one gets the defaults (nobody is admin).
    """
    from gallery.schema import migrate

    if path is None and settings is None:
        raise ValueError("open_store needs a database path or the instance's Settings")
    resolved = Path(path or settings.db_path).resolve()  # type: ignore[union-attr]
    with _stores_lock:
        store = _stores.get(resolved)
        if store is None:
            store = Store(resolved, settings)
            migrate(store)
            _stores[resolved] = store
        elif settings is not None:
            store.settings = settings
        return store


def close_store(store: Store) -> None:
    with _stores_lock:
        _stores.pop(store.path.resolve(), None)
    store.close()


@atexit.register
def _close_all() -> None:
    """Close writers under the locks at exit, so a closing connection's checkpoint never races another."""
    for store in list(_stores.values()):
        close_store(store)
