"""Render benchmarks: one command prints medians and ratios.

    .venv/bin/python -m benchmarks.run            # all
    .venv/bin/python -m benchmarks.run render     # one group: render | preview | faces | bulk | text | gallery | signatures

Figures are medians of repeated runs on whatever else the machine is doing; compare ratios
(render / floor, 2 processes / 1 process) more than absolute milliseconds.
"""
from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.support import phone_jpeg  # noqa: E402
from benchmarks.timing import median_ms, paired_ms  # noqa: E402
from frames import bundled_frame  # noqa: E402
from remix import RenderOptions, encode, load_photo, render  # noqa: E402
from remix.photo import draft_request  # noqa: E402
from remix.pipeline import photo_box  # noqa: E402
from remix.values import clean_values  # noqa: E402

FRAME_ID = "ride-the-bus"
STORY = "Because the 7 gets my grandmother and me to the market every Saturday, and nobody in our family drives."


def floor_job(data: bytes, box: tuple[int, int], frame, fmt: str, output: Image.Image, *,
              covering: bool = False) -> Callable[[], object]:
    """The floor: decode the photo at the scale the render decodes it (same draft request)
    and encode the rendered output with the format's own encoder settings. With `covering`,
    decode instead at the smallest scale that covers the box without enlarging (no 10% slack)."""

    def job() -> None:
        im = Image.open(io.BytesIO(data))
        im.draft("RGB", box if covering else draft_request(im.size, box, 1))
        im.load()
        encode(output, frame, fmt)

    return job


def render_job(frame, data: bytes, box: tuple[int, int] | None, fmt: str) -> Callable[[], object]:
    """Decode the photo, render with a story that changes every time (so word measurements are
    not all cached), encode."""
    words = STORY.split()
    counter = iter(range(10**6))

    def job() -> bytes:
        n = next(counter)
        story = " ".join(words[n % len(words):] + words[:n % len(words)]) + f" {n}"
        values = clean_values(frame.manifest, {"city": "Kraków", "story": story})
        photo = load_photo(data, fit_within=box)
        return encode(render(frame, values, photo, fmt, RenderOptions()), frame, fmt)

    return job


def bench_render(repeat: int = 21) -> None:
    frame = bundled_frame(FRAME_ID)
    values = clean_values(frame.manifest, {"city": "Kraków", "story": STORY})
    data = phone_jpeg(grain=True)
    print(f"full render, 12 MP JPEG ({len(data) // 1024} KiB) -> JPEG, render and floor timed alternately, median of {repeat}")
    print(f"  {'format':<8} {'render ms':>10} {'floor ms':>10} {'ratio':>7}   {'covering floor':>15} {'ratio':>7}")
    for fmt, spec in frame.manifest.formats.items():
        box = photo_box(frame, [fmt]) or (spec.width, spec.height)
        output = render(frame, values, load_photo(data, fit_within=box), fmt, RenderOptions())
        job = render_job(frame, data, box, fmt)
        full, base = paired_ms(job, floor_job(data, box, frame, fmt, output), repeat)
        _, cover = paired_ms(job, floor_job(data, box, frame, fmt, output, covering=True), max(5, repeat // 3))
        print(f"  {fmt:<8} {full:>10.1f} {base:>10.1f} {full / base:>7.2f}   {cover:>12.1f} ms {full / cover:>7.2f}")


def bench_preview(repeat: int = 30) -> None:
    frame = bundled_frame(FRAME_ID)
    photo = load_photo(phone_jpeg(), fit_within=photo_box(frame, list(frame.manifest.formats)))
    words = STORY.split()
    counter = iter(range(10**6))

    def job(fmt: str) -> Callable[[], object]:
        def edit() -> object:
            n = next(counter)
            story = " ".join(words[: 5 + n % (len(words) - 5)]) + f" edit {n}"
            values = clean_values(frame.manifest, {"city": "Kraków", "story": story})
            return render(frame, values, photo, fmt, RenderOptions())
        return edit

    print(f"preview re-render after a text edit (photo decoded, new text each time), median of {repeat}")
    for fmt in frame.manifest.formats:
        print(f"  {fmt:<8} {median_ms(job(fmt), repeat):>8.1f} ms")


def bench_faces(repeat: int = 21) -> None:
    """Face detection on the decoded photo, as a render meets it (the cache is bypassed)."""
    from benchmarks.support import astronaut_jpeg
    from remix.faces import DETECT_SIDE, detect

    frame = bundled_frame(FRAME_ID)
    detect(Image.new("RGB", (64, 64)))  # load OpenCV and the cascade outside the timing
    print(f"face detection on a grey copy <= {DETECT_SIDE} px, median of {repeat}")
    for name, data in (("phone photo, no face", phone_jpeg(grain=True)), ("astronaut, one face", astronaut_jpeg())):
        for fmt in ("square", "story"):
            photo = load_photo(data, fit_within=photo_box(frame, [fmt]))
            ms = median_ms(partial(detect, photo.image), repeat)
            print(f"  {name:<22} decoded {photo.size[0]}x{photo.size[1]:<5} {ms:>7.1f} ms")


def bench_bulk(rows: int = 24) -> None:
    from remix.bulk import Row, run_bulk

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "p.jpg").write_bytes(phone_jpeg(2016, 1512))
        batch = [Row(i + 1, {"city": f"Town {i}", "story": STORY}, "p.jpg") for i in range(rows)]
        results = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            done = run_bulk(FRAME_ID, batch, base, base / f"out{jobs}", jobs=jobs)
            seconds = time.perf_counter() - start
            assert all(r.ok for r in done), [r.message for r in done if not r.ok]
            results[jobs] = rows / seconds
        print(f"bulk: {rows} rows x 3 formats, 3 MP photo each (includes worker start-up)")
        for jobs, rate in results.items():
            print(f"  {jobs} process{'es' if jobs > 1 else ''}: {rate:6.2f} rows/s")
        print(f"  speed-up 2 vs 1: {results[2] / results[1]:.2f}x")


def bench_text() -> None:
    from benchmarks.text import bench_text as run

    run()


def bench_gallery() -> None:
    from benchmarks.gallery import main as run

    run()


def bench_signatures() -> None:
    from benchmarks.signatures import main as run

    run()


GROUPS = {"render": bench_render, "preview": bench_preview, "faces": bench_faces, "bulk": bench_bulk, "text": bench_text, "gallery": bench_gallery,
          "signatures": bench_signatures}

if __name__ == "__main__":
    for name in sys.argv[1:] or GROUPS:
        GROUPS[name]()
        print()
