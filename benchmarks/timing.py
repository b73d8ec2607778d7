"""The one timing helper every benchmark uses: a median of repeated runs after a warm-up."""
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
