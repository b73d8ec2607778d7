"""Gallery benchmarks at 100,000 remixes: pages, filters, search, counts and publish throughput.

    .venv/bin/python -m benchmarks.gallery [N]       # N remixes to seed (default 100,000)

Seeding bypasses `publish_remix` (one bulk transaction of plain INSERTs through the same schema,
triggers included, so the full-text index is real); every measured call is the public API.
Targets: a page of 48 under 2 ms, a search under 20 ms.
"""
from __future__ import annotations

import io
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gallery  # noqa: E402
from benchmarks.timing import median_ms  # noqa: E402
from frames import bundled_frame  # noqa: E402
from gallery.keys import hash_key  # noqa: E402

FRAME_ID = "ride-the-bus"
FORKS = ("bus-lisboa", "bus-krakow")
PLACES = ["Lisbon", "Kraków", "Porto", "Lyon", "Nairobi", "Quito", "Seoul", "Lagos", "Leeds", "Pune",
          *[f"Town {i}" for i in range(190)]]
LANGS = ["en"] * 6 + ["pt", "pl", "fr", "es"]
WORDS = ["bus", "stop", "route", "driver", "morning", "night", "shift", "school", "market", "grandmother", "daughter", "hospital", "work", "rain", "ticket", "fare", "seat", "window", "city", "town", "home", "friends", "library", "river", "bridge", "late", "early", "every", "day", "week", "because", "without", "we", "my", "our", "the", "and", "to", "from", "with"]


def tiny_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (20, 90, 70)).save(buf, "JPEG", quality=70)
    return buf.getvalue()


def seed(store: gallery.Store, n: int) -> float:
    """n remixes over three frames in one transaction; returns the seconds it took."""
    gallery.install_bundled(store, bundled_frame(FRAME_ID))
    for fork in FORKS:
        gallery.fork_frame(store, FRAME_ID, fork)
    rng = random.Random(7)
    image = tiny_jpeg()
    start = time.perf_counter()
    with store.write() as db:
        rows = (_row(i, rng, n) for i in range(n))
        db.conn.executemany(
            """INSERT INTO remixes (seq, id, frame_id, frame_version, frame_title, values_json, texts_json, maker,
               place, place_key, language, story, created, status, remix_of, consent, delete_key_hash,
               idempotency_hash, request_digest) VALUES (?, ?, ?, 1, 'Why I ride the bus', ?, '{}', ?, ?, ?, ?, ?,
               ?, ?, NULL, 1, ?, NULL, '')""", rows)
        db.conn.executemany("INSERT INTO remix_images VALUES (?, 'square', 'image/jpeg', 'square.jpg', 'alt', ?)",
                            ((i + 1, image) for i in range(n)))
    with store.write() as db:
        db.execute("ANALYZE")
    store.writer_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - start


def _row(i: int, rng: random.Random, n: int) -> tuple:
    place = rng.choice(PLACES)
    story = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    day = 1 + i * 60 // max(1, n)  # spread over 60 days whatever the count
    status = "published" if rng.random() > 0.03 else rng.choice(["pending", "hidden", "deleted"])
    return (i + 1, f"r{i:07d}", rng.choice((FRAME_ID, *FORKS)), json.dumps({"city": place, "story": story}),
            rng.choice(["", "Ana", "Ola", "Kwame", "Mei", "Sam"]), place, place.casefold(), rng.choice(LANGS),
            story, f"2026-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}T12:00:00Z", status, hash_key(str(i)))


def publish_rate(store: gallery.Store, count: int = 30) -> float:
    """Publishes per second through the one publish path: render every format, then store."""
    frame = bundled_frame(FRAME_ID)
    start = time.perf_counter()
    for i in range(count):
        gallery.publish_remix(store, frame, {"city": "Lisbon", "story": f"bench {i}"}, consent=True)
    return count / (time.perf_counter() - start)


def report(store: gallery.Store, n: int) -> None:
    deep_cursor = gallery.list_remixes(store, limit=200).items[-1].seq - (n * 9 // 10)
    print(f"  {'gallery page of 48, first':<44} {median_ms(lambda: gallery.list_remixes(store)):8.3f} ms")
    print(f"  {'gallery page of 48, deep (90% down)':<44} "
          f"{median_ms(lambda: gallery.list_remixes(store, cursor=deep_cursor)):8.3f} ms")
    print(f"  {'filtered page (frame + place)':<44} "
          f"{median_ms(lambda: gallery.list_remixes(store, frame=FRAME_ID, place='lisbon')):8.3f} ms")
    print(f"  {'filtered page (language pt)':<44} {median_ms(lambda: gallery.list_remixes(store, lang='pt')):8.3f} ms")
    print(f"  {'search, common word (bus)':<44} {median_ms(lambda: gallery.search(store, 'bus'), 50):8.3f} ms")
    print(f"  {'search, two words (grandmother hospital)':<44} "
          f"{median_ms(lambda: gallery.search(store, 'grandmother hospital'), 50):8.3f} ms")
    print(f"  {'search, rare place (Nairobi)':<44} {median_ms(lambda: gallery.search(store, 'nairobi'), 50):8.3f} ms")
    print(f"  {'counts for a frame (~1/3 of rows)':<44} {median_ms(lambda: gallery.counts(store, FRAME_ID), 20):8.3f} ms")
    print(f"  {'publish (render 3 formats + store, FULL sync)':<44} {publish_rate(store):8.1f} /s")


def main(n: int = 100_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = gallery.open_store(Path(tmp) / "gallery.db")
        seconds = seed(store, n)
        print(f"gallery at {n:,} remixes (seeded in {seconds:.1f} s), medians")
        report(store, n)
        gallery.close_store(store)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
