"""The timing helpers every benchmark uses: medians of repeated runs after a warm-up."""
from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

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
