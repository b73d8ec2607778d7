"""Concurrency and faults: many threads and processes publishing at once lose nothing; a writer killed
with SIGKILL at random moments leaves every acknowledged remix whole and the database intact."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import gallery
from frames.pack import write_zip
from gallery import integrity_check, list_remixes
from tests.test_gallery_support import publish, quick_frame

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # threads, processes and SIGKILL rounds: about a minute

WRITER = r"""
import hashlib, sys
sys.modules["pandas"] = sys.modules["numpy"] = None  # sqlite-utils imports them only to detect types
sys.path.insert(0, sys.argv[2])
from frames.pack import load_pack
from gallery import image, open_store, publish_remix

store = open_store(sys.argv[1])
frame = load_pack(sys.argv[4])
limit = int(sys.argv[3])
print("READY", flush=True)
for n in range(limit):
    result = publish_remix(store, frame, {"city": f"Town {n}", "story": "a story"}, consent=True)
    stored = {f: image(store, result.id, f).data for f in frame.manifest.formats}
    digest = ",".join(f + ":" + hashlib.sha256(data).hexdigest() for f, data in stored.items())
    print("ACK", result.id, digest, flush=True)
"""


def start_writer(db: Path, limit: int = 10**6) -> subprocess.Popen:
    """A process publishing remixes of the quick frame (published in `db` first) until killed."""
    pack = db.parent / "quick.zip"
    if not pack.exists():
        pack.write_bytes(write_zip(quick_frame()))
    return subprocess.Popen([sys.executable, "-c", WRITER, str(db), str(ROOT), str(limit), str(pack)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def acks(output: str) -> dict[str, dict[str, str]]:
    """Only complete lines count: a line cut by the kill was never acknowledged."""
    found = {}
    for line in output.splitlines(keepends=True):
        parts = line.split()
        if line.endswith("\n") and len(parts) == 3 and parts[0] == "ACK":
            found[parts[1]] = dict(item.split(":") for item in parts[2].split(","))
    return found


def stored_digests(store) -> dict[str, dict[str, str]]:
    import hashlib

    out: dict[str, dict[str, str]] = {}
    for remix_id, fmt, data in store.read().execute(
            "SELECT r.id, i.format, i.data FROM remixes r JOIN remix_images i ON i.remix_seq = r.seq"):
        out.setdefault(remix_id, {})[fmt] = hashlib.sha256(data).hexdigest()
    return out


def test_eight_threads_publishing_fifty_each_lose_nothing(store) -> None:
    frame, errors, published = quick_frame(), [], []
    gallery.publish_frame(store, frame)
    lock = threading.Lock()
    stop = threading.Event()

    def writer(t: int) -> None:
        for i in range(50):
            try:
                r = gallery.publish_remix(store, frame, {"city": f"T{t}", "story": f"story {t} {i}"}, consent=True,
                                          idempotency_key=f"{t}-{i}")
                with lock:
                    published.append(r.id)
            except Exception as exc:  # noqa: BLE001 - the test counts every kind of failure
                with lock:
                    errors.append(repr(exc))

    def reader() -> None:
        while not stop.is_set():
            try:
                list_remixes(store, limit=48)
                gallery.search(store, "story")
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(repr(exc))

    readers = [threading.Thread(target=reader) for _ in range(2)]
    writers = [threading.Thread(target=writer, args=(t,)) for t in range(8)]
    for th in readers + writers:
        th.start()
    for th in writers:
        th.join(timeout=120)
    stop.set()
    for th in readers:
        th.join(timeout=10)
    assert errors == []
    assert len(set(published)) == 400
    db = store.read()
    assert db.execute("SELECT count(*) FROM remixes").fetchone() == (400,)
    assert db.execute("SELECT count(*) FROM remix_images").fetchone() == (400 * len(frame.manifest.formats),)
    assert integrity_check(store.path) == "ok"


def test_two_processes_and_a_thread_write_at_once(store) -> None:
    gallery.publish_frame(store, quick_frame())
    procs = [start_writer(store.path, limit=40) for _ in range(2)]
    mine = [publish(store, quick_frame(), city=f"Parent {i}").id for i in range(40)]
    outputs = [p.communicate(timeout=60)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), [p.stderr for p in procs]
    acknowledged = {k: v for out in outputs for k, v in acks(out).items()}
    assert len(acknowledged) == 80
    stored = stored_digests(store)
    assert all(stored[k] == v for k, v in acknowledged.items()) and all(m in stored for m in mine)
    assert integrity_check(store.path) == "ok"


def test_a_writer_killed_at_random_moments_loses_no_acknowledged_remix(tmp_path: Path) -> None:
    db = tmp_path / "gallery.db"
    gallery.publish_frame(gallery.open_store(db), quick_frame())
    rng = random.Random(20261122)
    acknowledged: dict[str, dict[str, str]] = {}
    deadline = time.monotonic() + 120  # a bound on the run, not a target: 24 interpreter starts on a busy machine
    rounds = 0
    while rounds < 24:
        proc = start_writer(db)
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read()
        time.sleep(rng.uniform(0.0, 0.25))
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL
        acknowledged.update(acks(out))
        rounds += 1
        assert time.monotonic() < deadline, f"crash test too slow: {rounds} rounds"
    s = gallery.open_store(db)
    try:
        stored = stored_digests(s)
        assert acknowledged, "no publish was acknowledged before the kills"
        missing = [k for k, v in acknowledged.items() if stored.get(k) != v]
        assert missing == []
        formats = len(quick_frame().manifest.formats)
        rows = s.read().execute("SELECT count(*) FROM remixes").fetchone()[0]
        assert rows == len(stored) and all(len(v) == formats for v in stored.values())  # none partial
        assert integrity_check(db) == "ok"
    finally:
        gallery.close_store(s)
