"""Small timing helpers shared by the benchmark scripts (medians over repetitions, ratio tables)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeat: int = 15, number: int = 1) -> float:
    """Median wall time of ``number`` calls of ``fn``, over ``repeat`` rounds, per call."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def row(name: str, value: float, baseline: float | None, target: str) -> str:
    ratio = f"{value / baseline:6.2f}x" if baseline else "      -"
    return f"| {name} | {value * 1000:.3f} ms | {ratio} | {target} |"


HEADER = "| measurement | median | ratio to baseline | target |\n|---|---|---|---|"
