"""Timer: measure and record running times (section 3.1.2).

The published book times a Python loop against one vectorized operation with it.
Times come from `time.perf_counter`, the clock meant for measuring intervals.
"""

from __future__ import annotations

import itertools
import time

__all__ = ["Timer"]


class Timer:
    """Record multiple running times; the clock starts when the timer is created."""

    def __init__(self):
        self.times: list[float] = []
        self.start()

    def start(self) -> None:
        """Start (or restart) the clock."""
        self.tik = time.perf_counter()

    def stop(self) -> float:
        """Stop the clock, record the time since `start` and return it."""
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self) -> float:
        """The average of the recorded times."""
        if not self.times:
            raise ValueError(
                "the timer has no recorded times yet: call stop() "
                "after the code to time, then avg()"
            )
        return sum(self.times) / len(self.times)

    def sum(self) -> float:
        """The sum of the recorded times."""
        return sum(self.times)

    def cumsum(self) -> list[float]:
        """The running totals of the recorded times."""
        return list(itertools.accumulate(self.times))
