"""Timing samples → medians, spread and ratios (never a mean: the machine is shared and noisy)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Summary", "ratio", "sample", "summarize"]


@dataclass(frozen=True)
class Summary:
    """Order statistics of one set of samples, in the samples' unit."""

    n: int
    median: float
    p10: float
    p90: float
    p99: float
    min: float
    max: float

    def as_dict(self, digits: int = 6) -> dict[str, Any]:
        return {
            key: (round(value, digits) if isinstance(value, float) else value) for key, value in asdict(self).items()
        }

    def scaled(self, factor: float) -> Summary:
        """The same statistics in another unit (seconds → milliseconds: ``scaled(1000)``)."""
        return Summary(
            self.n,
            self.median * factor,
            self.p10 * factor,
            self.p90 * factor,
            self.p99 * factor,
            self.min * factor,
            self.max * factor,
        )


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile of sorted samples (q in [0, 1])."""
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(samples: Sequence[float]) -> Summary:
    """Median, p10, p90, p99, min and max of ``samples`` (at least one)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    return Summary(
        n=len(ordered),
        median=statistics.median(ordered),
        p10=_quantile(ordered, 0.10),
        p90=_quantile(ordered, 0.90),
        p99=_quantile(ordered, 0.99),
        min=ordered[0],
        max=ordered[-1],
    )


def sample(action: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of ``runs`` calls of ``action`` after ``warmup`` untimed calls."""
    for _ in range(warmup):
        action()
    times: list[float] = []
    clock = time.perf_counter
    for _ in range(runs):
        started = clock()
        action()
        times.append(clock() - started)
    return times


def ratio(slow: float | None, fast: float | None) -> float | None:
    """``slow / fast`` (how many times faster ``fast`` is), or None when either is missing or zero."""
    if not slow or not fast:
        return None
    return slow / fast
