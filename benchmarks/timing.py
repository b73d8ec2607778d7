"""The timing helpers every benchmark uses: medians of repeated runs after a warm-up, and
instruction counts, which the machine's other load does not move."""
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# FRAME_REMIX_BENCH_CLOCK=cpu times this process's CPU instead of the wall clock: on a machine
# shared with other jobs (load well above the core count) the wall clock mostly measures them.
_clock = time.process_time if os.environ.get("FRAME_REMIX_BENCH_CLOCK") == "cpu" else time.perf_counter


def median_ms(fn: Callable[[], object], repeat: int = 200, warmup: int = 5) -> float:
    """Median time of `fn` in milliseconds (wall clock, or CPU: see _clock); medians shrug off the machine's other load."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = _clock()
        fn()
        times.append((_clock() - start) * 1000)
    return statistics.median(times)


def paired_ms(a: Callable[[], object], b: Callable[[], object], repeat: int, warmup: int = 3) -> tuple[float, float]:
    """Medians of two jobs timed alternately, so the machine's other load hits both alike."""
    for _ in range(warmup):
        a(), b()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in zip((a, b), times):
            start = _clock()
            fn()
            out.append((_clock() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


# Instruction counts: the process runs under `valgrind --tool=callgrind --instr-atstart=no`
# (imports and set-up at near full speed, nothing counted), and `instructions` switches the
# counting on around the job alone with callgrind_control. No hardware counters needed (this
# machine's virtual CPU has none for `perf stat`).
_COUNTING = "FRAME_REMIX_BENCH_CALLGRIND"


def counting() -> bool:
    """True in a process started by `run_counted` (under callgrind)."""
    return bool(os.environ.get(_COUNTING))


def run_counted(argv: list[str]) -> int:
    """Run `python -m benchmarks.run ARGV` again under callgrind; its dumps go to a temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, _COUNTING: tmp}
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={tmp}/cg.out",
                   sys.executable, "-m", "benchmarks.run", *argv]
        return subprocess.run(command, env=env, stderr=subprocess.DEVNULL, check=False).returncode


def instructions(fn: Callable[[], object], repeat: int = 3, warmup: int = 10) -> int:
    """Instructions one call of `fn` executes (mean of `repeat`, after `warmup` uncounted calls)."""
    pid = str(os.getpid())

    def control(*args: str) -> None:
        subprocess.run(["callgrind_control", *args, pid], check=True, capture_output=True)

    control("-i", "on")
    for _ in range(warmup):
        fn()
    control("-z")
    for _ in range(repeat):
        fn()
    folder = Path(os.environ[_COUNTING])
    before = set(folder.glob("cg.out.*"))
    control("-d")
    control("-i", "off")
    (dump,) = set(folder.glob("cg.out.*")) - before
    found = re.search(r"^(?:summary|totals): (\d+)", dump.read_text(), re.MULTILINE)
    dump.unlink()
    assert found, f"no instruction total in {dump}"
    return int(found.group(1)) // repeat
