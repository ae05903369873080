"""Disjoint character intervals with logarithmic overlap tests (texts can hold many indicators)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class Intervals:
    """A set of [start, end) intervals, merged on insert so that they stay disjoint and sorted."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end) - 1
        return i >= 0 and self._ends[i] > start

    def end_covering(self, position: int) -> int | None:
        """The end of the interval that holds `position`, or None when none does."""
        i = bisect_right(self._starts, position) - 1
        return self._ends[i] if i >= 0 and self._ends[i] > position else None

    def add(self, start: int, end: int) -> None:
        lo = bisect_left(self._ends, start)
        hi = bisect_right(self._starts, end)
        if lo < hi:
            start = min(start, self._starts[lo])
            end = max(end, self._ends[hi - 1])
        self._starts[lo:hi] = [start]
        self._ends[lo:hi] = [end]
