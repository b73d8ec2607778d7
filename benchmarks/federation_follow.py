"""The follow side of federation at 10,000 remixes: one poll of a real instance's feed, from nothing.

    .venv/bin/python -m benchmarks.federation_follow [N]     # N remixes at the peer (default 10,000)

The peer is a real instance in its own process: a data folder seeded with N published remixes,
each announced through the outbox (`benchmarks.federation_feed.seed_announced`, the publish
path's own call) and served by the federation routes the app serves (`federation_routes`, in
uvicorn on 127.0.0.1). The follower polls it through the public API (`add_peer`, `trust_peer`,
`poll_peer`) with the default limits except the page budget (N / 500 pages must fit): every
record's signature is checked, every remix is kept (they are of a frame the follower holds), and
the poll's thumbnail budget (200) is fetched and re-encoded. Printed: wall time, records per
second, bytes transferred, the peak of Python allocations (tracemalloc, a second poll from
nothing) and the growth of the process's peak RSS; then the signature checks per second alone.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gallery  # noqa: E402
from benchmarks.support import free_port  # noqa: E402
from frames import bundled_frame  # noqa: E402
from frames.signing import generate_key  # noqa: E402
from gallery.federation.follow import PollLimits, PollResult, add_peer, poll_peer, trust_peer  # noqa: E402
from gallery.federation.records import FrameRef, RemixRecord, open_envelope, seal  # noqa: E402

ADMIN = "benchmark-admin-key-0123456789"
PEER_SCRIPT = """
import io, sys, uvicorn
from pathlib import Path
from PIL import Image
from starlette.applications import Starlette
sys.path.insert(0, {root!r})
import gallery
from app_pages.federation_routes import federation_routes
from benchmarks.federation_feed import seed_announced
settings = gallery.Settings(public_url={url!r}, data_dir=Path({data!r}))
store = gallery.open_store(settings=settings)
buf = io.BytesIO()
Image.effect_noise((320, 320), 30).convert("RGB").save(buf, "JPEG", quality=80)
seconds = seed_announced(store, {n}, image=buf.getvalue())
print(f"seeded {{seconds:.1f}}", flush=True)
uvicorn.run(Starlette(routes=federation_routes(settings)), host="127.0.0.1", port={port}, log_level="warning")
"""


def start_peer(n: int, folder: Path) -> tuple[subprocess.Popen[str], str, float]:
    """A real instance with n announced remixes serving its federation routes; (process, url, seed seconds)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    script = PEER_SCRIPT.format(root=str(ROOT), url=url, data=str(folder), n=n, port=port)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until seeded (bounded by the seeding itself)
    if not line.startswith("seeded"):
        proc.kill()
        raise RuntimeError(f"the peer did not start: {line!r}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            import urllib.request

            urllib.request.urlopen(url + "/.well-known/frame-remix.json", timeout=2).close()
            return proc, url, float(line.split()[1])
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the peer did not answer within 30 s")


def follower(folder: Path, peer: str) -> gallery.Store:
    store = gallery.open_store(settings=gallery.Settings(data_dir=folder, admin_key=ADMIN))
    gallery.install_bundled(store, bundled_frame("ride-the-bus"))
    add_peer(store, peer, key=ADMIN)
    trust_peer(store, peer, key=ADMIN)
    return store


def one_poll(folder: Path, peer: str, limits: PollLimits, *, traced: bool) -> tuple[PollResult, float, int]:
    """A poll from nothing by a fresh follower: (result, seconds, peak traced bytes or 0)."""
    store = follower(folder, peer)
    if traced:
        tracemalloc.start()
    start = time.perf_counter()
    result = poll_peer(store, peer, limits)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    if traced:
        tracemalloc.stop()
    gallery.close_store(store)
    return result, seconds, peak


def signature_checks_per_second(count: int = 2000) -> float:
    """open_envelope (canonical JSON, Ed25519 over BLAKE2b-512, field checks) on sealed remix records."""
    key = generate_key()
    envelopes = [seal(key, RemixRecord(
        id=f"r{i:06d}", instance="https://remix.example.org", frame=FrameRef(id="ride-the-bus", version=1),
        frame_title="Why I ride the bus", images={"square": "sha256-" + "ab" * 32},
        thumbnail=f"https://remix.example.org/federation/remixes/r{i:06d}/thumb.jpg",
        page=f"https://remix.example.org/gallery?remix=r{i:06d}", maker="Zoë", place="Kraków", language="pl",
        licence="CC-BY-4.0", created="2026-12-01T08:00:00Z")) for i in range(count)]
    start = time.perf_counter()
    for envelope in envelopes:
        open_envelope(envelope, key.public, "https://remix.example.org")
    return count / (time.perf_counter() - start)


def bench_follow_poll(n: int = 10_000) -> None:
    """Print the figures of one poll of a peer holding n remixes (parts A and C use other names)."""
    limits = PollLimits(pages=n // 500 + 2, seconds=600, bytes=512 * 1024 * 1024)
    with tempfile.TemporaryDirectory() as tmp:
        proc, url, seeded = start_peer(n, Path(tmp) / "peer")
        try:
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            result, seconds, _ = one_poll(Path(tmp) / "follower-1", url, limits, traced=False)
            rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
            traced, traced_seconds, peak = one_poll(Path(tmp) / "follower-2", url, limits, traced=True)
        finally:
            os.killpg(proc.pid, 15)
            proc.wait(10)
    print(f"follow: one poll of a real instance with {n:,} announced remixes (peer seeded in {seeded:.1f} s)")
    print(f"  {result.pages} pages, {result.stored:,} remixes kept, {result.thumbs} thumbnails fetched and re-encoded, "
          f"{result.refused} refused, error: {result.error or 'none'}")
    print(f"  wall time {seconds:.2f} s ({result.stored / seconds:,.0f} records/s), {result.bytes / 2**20:.1f} MiB transferred")
    print(f"  peak Python allocations {peak / 2**20:.1f} MiB (tracemalloc, second poll from nothing: "
          f"{traced.stored:,} kept in {traced_seconds:.1f} s under tracing); peak RSS grew {rss_growth / 1024:.0f} MiB")
    print(f"  signature checks (open_envelope): {signature_checks_per_second():,.0f} records/s on one core")


if __name__ == "__main__":
    bench_follow_poll(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
