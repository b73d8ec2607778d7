"""The timing helpers every benchmark uses: medians of repeated runs after a warm-up."""
from __future__ import annotations

import statistics
import time
from typing import Callable


def median_ms(fn: Callable[[], object], repeat: int = 200, warmup: int = 5) -> float:
    """Median wall time of `fn` in milliseconds; medians shrug off the machine's other load."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def paired_ms(a: Callable[[], object], b: Callable[[], object], repeat: int, warmup: int = 3) -> tuple[float, float]:
    """Medians of two jobs timed alternately, so the machine's other load hits both alike."""
    for _ in range(warmup):
        a(), b()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in zip((a, b), times):
            start = time.perf_counter()
            fn()
            out.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])
