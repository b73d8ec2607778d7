"""Signature checks per second: what a follower pays to trust records and frame packs.

    .venv/bin/python -m benchmarks.signatures        # or: python -m benchmarks.run signatures

Three figures, medians of repeated runs: a bare minisign check of a feed record (Ed25519 over
BLAKE2b-512, plus the trusted comment's global signature), a whole signed frame pack checked
on import (every member hashed, pack.json parsed, the signature), and the "adapted from" status
of a fork as the gallery shows it (a query plus the parent pack's signature).
"""
from __future__ import annotations

import io
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gallery  # noqa: E402
from benchmarks.timing import median_ms  # noqa: E402
from frames.packsign import canonical_json, check_pack  # noqa: E402
from frames.signing import generate_key, sign, verify  # noqa: E402
from gallery.packs import adapted_from_status  # noqa: E402

RECORD = {"type": "remix", "id": "Zx3kq9vPa1bC", "instance": "https://remix.example.org",
          "frame": {"id": "ride-the-bus", "version": 1, "pack": "sha256-" + "ab" * 32},
          "images": {"card": "sha256-" + "cd" * 32, "square": "sha256-" + "ef" * 32},
          "thumbnail": "https://remix.example.org/federation/remixes/Zx3kq9vPa1bC/thumb.jpg",
          "page": "https://remix.example.org/share/Zx3kq9vPa1bC", "maker": "Ana", "place": "Lisboa",
          "language": "pt", "licence": "CC BY 4.0", "frame_title": "Why I ride the bus", "created": "2026-12-01T07:00:00Z"}


def _per_second(ms: float) -> str:
    return f"{ms * 1000:8.1f} µs  {1000 / ms:10,.0f} /s"


def main() -> None:
    key = generate_key()
    data = canonical_json(RECORD)
    signature = sign(key, data, trusted_comment="frame-remix remix Zx3kq9vPa1bC")
    record_ms = median_ms(lambda: verify(key.public, data, signature), repeat=2000, warmup=50)
    with tempfile.TemporaryDirectory() as tmp:
        store = gallery.open_store(Path(tmp) / "gallery.db")
        gallery.fork_frame(store, "ride-the-bus", "bus-lisboa")
        packed = gallery.pack_frame(store, "bus-lisboa")
        with zipfile.ZipFile(io.BytesIO(packed)) as zf:
            files = {i.filename: zf.read(i) for i in zf.infolist()}
        pack_ms = median_ms(lambda: check_pack(files), repeat=300, warmup=10)
        status_ms = median_ms(lambda: adapted_from_status(store, "bus-lisboa", 1), repeat=300, warmup=10)
        gallery.close_store(store)
    size = sum(len(v) for v in files.values())
    print("signature checks (median; one core)")
    rows = [(f"feed record, {len(data)} bytes, minisign verify", record_ms),
            (f"frame pack, {len(files)} members, {size // 1024} KiB, whole check", pack_ms),
            ("fork's adapted-from status (query + verify)", status_ms)]
    for label, ms in rows:
        print(f"  {label:<48} {_per_second(ms)}")


if __name__ == "__main__":
    main()
