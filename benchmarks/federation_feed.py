"""The publish side of federation at 10,000 remixes: one feed page of 500 items (time, bytes), signed
for the configured public URL (signatures stored at publish) and for an address nothing was signed
for (signed while serving, then from memory), and a record's thumbnail.

    .venv/bin/python -m benchmarks.federation_feed [N]     # N remixes (default 10,000)

Seeding bypasses the render (one bulk transaction of plain INSERTs, as benchmarks.gallery does)
but announces every remix through `gallery.federation.outbox.append_remix`, the publish path's own
call; every measured call is the public API (`feed_page`, the feed's bytes and ETag).
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
from gallery.federation.feed import feed_bytes, feed_page, remix_thumbnail, strong_etag  # noqa: E402
from gallery.federation.outbox import append_remix  # noqa: E402
from gallery.keys import hash_key  # noqa: E402

FRAME_ID = "ride-the-bus"
PUBLIC = "https://remix.example.org"
MAKERS = ["Ana", "Ola", "Kwame", "Mei", "Sam", "Zoë", "محمد", "प्रिया", "美咲", ""]
PLACES = ["Lisbon", "Kraków", "Nairobi", "Quito", "Seoul", "Pune", "Lagos", "Leeds"]


def card_jpeg() -> bytes:
    """A 1080x1080 JPEG of about the size of a real card (~140 KB): a gradient with some grain."""
    grain = Image.effect_noise((1080, 1080), 12).convert("RGB")
    im = Image.blend(Image.linear_gradient("L").resize((1080, 1080)).convert("RGB"), grain, 0.3)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def seed_announced(store: gallery.Store, n: int, image: bytes | None = None) -> float:
    """n published remixes of the bus frame, each announced in the outbox, in one transaction;
    returns the seconds it took."""
    gallery.install_bundled(store, bundled_frame(FRAME_ID))
    image = image or card_jpeg()
    rng = random.Random(11)
    start = time.perf_counter()
    with store.write() as db:
        first = db.execute("SELECT coalesce(max(seq), 0) FROM remixes").fetchone()[0] + 1
        ids = [f"f{first + i:07d}" for i in range(n)]
        db.conn.executemany(
            """INSERT INTO remixes (seq, id, frame_id, frame_version, frame_title, values_json, texts_json, maker,
               place, place_key, language, story, created, status, remix_of, consent, delete_key_hash,
               idempotency_hash, request_digest) VALUES (?, ?, ?, 1, 'Why I ride the bus', ?, '{}', ?, ?, ?, 'en',
               'x', '2026-11-30T12:00:00Z', 'published', NULL, 1, ?, NULL, '')""",
            ((first + i, ids[i], FRAME_ID, json.dumps({"city": p}), rng.choice(MAKERS), p, p.casefold(), hash_key(ids[i]))
             for i in range(n) for p in [rng.choice(PLACES)]))
        db.conn.executemany("INSERT INTO remix_images VALUES (?, 'card', 'image/jpeg', 'card.jpg', 'alt', ?)",
                            ((first + i, image) for i in range(n)))
        for remix_id in ids:
            append_remix(db, store.settings, remix_id)
    return time.perf_counter() - start


def bench_feed_page(n: int = 10_000) -> None:
    """Print the feed page figures at n remixes (part A's benchmarks use other names)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = gallery.Settings(public_url=PUBLIC, data_dir=Path(tmp))
        store = gallery.open_store(settings=settings)
        seconds = seed_announced(store, n)
        print(f"federation feed at {n:,} remixes (seeded and announced, signed for {PUBLIC}, in {seconds:.1f} s)")
        middle = n // 2

        def page(base: str) -> bytes:
            return feed_bytes(feed_page(store, base, after=middle))

        body = page(PUBLIC)
        print(f"  {'feed page of 500, public URL (stored signatures)':<56} {median_ms(lambda: page(PUBLIC), 20):8.1f} ms"
              f"  {len(body) / 1024:7.1f} KiB")
        fresh = "http://10.0.0.7:8501"
        start = time.perf_counter()
        page(fresh)
        cold = (time.perf_counter() - start) * 1000
        print(f"  {'feed page of 500, unsigned address, first (signs 500)':<56} {cold:8.1f} ms")
        print(f"  {'feed page of 500, unsigned address, again (memory)':<56} {median_ms(lambda: page(fresh), 20):8.1f} ms")
        print(f"  {'strong ETag of a page (sha256 of the bytes)':<56} {median_ms(lambda: strong_etag(body), 50):8.3f} ms")
        one = f"f{middle:07d}"
        print(f"  {'thumbnail of a 1080 px card (<= 480 px JPEG)':<56} "
              f"{median_ms(lambda: remix_thumbnail(store, one), 20):8.1f} ms  {len(remix_thumbnail(store, one)) / 1024:7.1f} KiB")
        gallery.close_store(store)


if __name__ == "__main__":
    bench_feed_page(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
