"""Peak memory and time of rendering a frame whose assets are huge one-colour PNGs.

    .venv/bin/python -m benchmarks.heavy_assets [SIDE] [COUNT] [render|validate|inprocess] [CANVAS] [FORMATS] [alpha] [--code=CHECKOUT]

Builds a pack of COUNT (default 10) one-colour SIDE x SIDE (default 7000) PNG assets, tiny on
disk, validates it and renders it with `frame-remix render` in a fresh process under
`/usr/bin/time -v` (the child's own peak RSS: `getrusage(RUSAGE_CHILDREN)` would also count
the pages a forked child shares with this process before it execs), then prints the
outcome, peak RSS and wall time. A frame that validates must render in under
500 MB and 2 s.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent

MANIFEST = """\
schema = 1
id = "heavy"
title = "Heavy"
[organizer]
name = "Tester"
[[fields]]
name = "story"
kind = "long_text"
label = "Story"
sample = "A short story."
[texts]
post = "{{{{ story }}}}"
alt = "An image"
{formats}
"""


def heavy_pack(folder: Path, side: int = 7000, count: int = 10, *, canvas: int = 1080, formats: int = 1,
               alpha: bool = False) -> Path:
    """A frame folder with `count` one-colour `side` x `side` PNG assets (see-through with
    `alpha`), each drawn over the whole canvas in each of `formats` square formats."""
    (folder / "assets").mkdir(parents=True)
    for i in range(count):
        buf = io.BytesIO()
        colour = (20 * i % 255, 80, 160, 128) if alpha else (20 * i % 255, 80, 160)
        Image.new("RGBA" if alpha else "RGB", (side, side), colour).save(buf, "PNG", optimize=True)
        (folder / "assets" / f"a{i}.png").write_bytes(buf.getvalue())
    tables = []
    for f in range(formats):
        tables.append(f"[formats.f{f}]\nwidth = {canvas}\nheight = {canvas}\n")
        tables += [f'[[formats.f{f}.layers]]\nkind = "image"\nimage = "assets/a{i}.png"\n'
                   f'box = {{ x = 0.0, y = 0.0, w = 1.0, h = 1.0 }}\nopacity = 0.5\n' for i in range(count)]
    (folder / "frame.toml").write_text(MANIFEST.format(formats="\n".join(tables)))
    return folder


def measure(args: list[str], cwd: Path = ROOT) -> tuple[int, float, int, str]:
    """(exit code, wall seconds, peak RSS in MB, stderr) of one `frame-remix` run in a fresh process."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "frame_remix_cli", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=300, check=False)
    seconds = time.perf_counter() - start
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    err = "\n".join(line for line in proc.stderr[:proc.stderr.find("\tCommand being timed")].splitlines()
                    if not line.startswith("Command exited"))
    return proc.returncode, seconds, int(peak.group(1)) // 1024 if peak else -1, err


CHILD = """
import sys, time
from pathlib import Path
from frames.errors import FrameRemixError
from frames.localize import words
from frames.pack import load_pack
from remix.pipeline import make_remix
start = time.perf_counter()
try:
    frame = load_pack(Path(sys.argv[1]))
except FrameRemixError as exc:
    print("refused:", exc.problems[0], file=sys.stderr)
    frame = None
loaded = time.perf_counter()
if frame is not None:
    remix = make_remix(frame, words(frame.manifest, None).samples(), None, "all")
done = time.perf_counter()
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(f"{loaded - start:.3f} {done - loaded:.3f} {hwm // 1024}")
"""


def measure_in_process(pack: Path, code: Path = ROOT) -> tuple[float, float, int, str]:
    """(validate s, render s, peak RSS MB, stderr) of loading and rendering every format in a fresh
    process, imports excluded; peak RSS from the child's own VmHWM. `code` is the checkout whose
    frame-remix is measured (another worktree gives the before figure)."""
    proc = subprocess.run([sys.executable, "-c", CHILD, str(pack)], capture_output=True, text=True, cwd=code,
                          timeout=300, check=False)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    validate, render, peak = proc.stdout.split()
    return float(validate), float(render), int(peak), proc.stderr.strip()


def main() -> None:
    code = next((Path(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--code=")), ROOT)
    sys.argv = [a for a in sys.argv if not a.startswith("--code=")]
    side = int(sys.argv[1]) if len(sys.argv) > 1 else 7000
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    action = sys.argv[3] if len(sys.argv) > 3 else "render"
    canvas = int(sys.argv[4]) if len(sys.argv) > 4 else 1080
    formats = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    with tempfile.TemporaryDirectory() as tmp:
        pack = heavy_pack(Path(tmp) / "heavy", side, count, canvas=canvas, formats=formats, alpha="alpha" in sys.argv)
        size = sum(p.stat().st_size for p in pack.rglob("*") if p.is_file())
        print(f"pack: {count} assets of {side}x{side}, {formats} formats of {canvas}x{canvas}, "
              f"{size / 1024:.0f} KB on disk")
        if action == "inprocess":
            validate, render, peak, err = measure_in_process(pack, code)
            print(f"in process: validate {validate:.2f} s, render all formats {render:.2f} s, peak RSS {peak} MB")
            if err:
                print(err)
            return
        if action == "validate":
            status, seconds, rss, err = measure(["validate", str(pack)])
        else:
            status, seconds, rss, err = measure(["render", str(pack), "--sample", "--out", str(Path(tmp) / "out")])
        print(f"{action}: exit {status}, {seconds:.2f} s, peak RSS {rss} MB")
        if err:
            print(err)


if __name__ == "__main__":
    main()
