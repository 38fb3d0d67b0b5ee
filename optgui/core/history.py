"""A compact record of every step of a run, and the settings each step ran with.

Each step record offers ``as_row()``: a flat vector of floats (k, parameters,
cost, gradients …). :class:`History` stores those rows in one growing numpy
array, so a million steps cost a few tens of megabytes, and keeps the full
step records only for the most recent steps. Older records are rebuilt on
demand by a callback from their row *and the settings they ran with* (a step
is a pure function of both).

The settings are kept as segments: ``(first step index, settings)``, a new
segment wherever a setting changed mid-run. Together with the branches (where
a run was continued from an earlier step) this is the run as data: a session
stores it, and replaying it reproduces every step bit for bit.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


class History:
    """Rows of every step, plus the full records of the most recent ones."""

    def __init__(
        self,
        rebuild: Callable[[np.ndarray, Any], Any] | None = None,
        *,
        keep_records: int = 512,
        dtype: type = np.float64,
    ):
        self._rebuild = rebuild
        self._keep = keep_records
        self._rows: np.ndarray | None = None
        self._n = 0
        self._dtype = dtype
        # Full records of recent steps, by step index: all of the last few stepped
        # here, the last of each batch from a worker process (the rest are rebuilt).
        self._records: dict[int, Any] = {}
        self._starts: list[int] = []  # first step index of each settings segment
        self._settings: list[Any] = []  # the settings of each segment
        #: Where the run was continued from an earlier step: (step index kept, steps dropped).
        self.branches: list[tuple[int, int]] = []

    def __len__(self) -> int:
        return self._n

    def clear(self) -> None:
        self._rows = None
        self._n = 0
        self._records.clear()
        self._starts.clear()
        self._settings.clear()
        self.branches.clear()

    # -- settings ---------------------------------------------------------------------
    def settings_at(self, i: int) -> Any:
        """The settings step index ``i`` ran with (None if none were recorded)."""
        if i < 0:
            i += self._n
        j = bisect_right(self._starts, i) - 1
        return self._settings[j] if j >= 0 else None

    @property
    def segments(self) -> list[tuple[int, Any]]:
        """``(first step index, settings)`` of every stretch of steps run with one setting."""
        return list(zip(self._starts, self._settings, strict=True))

    def _mark(self, start: int, settings: Any) -> None:
        if settings is None:
            return
        if self._settings and (self._settings[-1] is settings or self._settings[-1] == settings):
            return
        self._starts.append(start)
        self._settings.append(settings)

    @property
    def rows(self) -> np.ndarray:
        """All rows as one (n, width) array (a view: do not modify)."""
        if self._rows is None:
            return np.empty((0, 0))
        return self._rows[: self._n]

    def column(self, j: int) -> np.ndarray:
        return self.rows[:, j] if self._n else np.empty(0)

    def extend(
        self,
        records: Sequence[Any],
        rows: np.ndarray | None = None,
        settings: Any = None,
        *,
        changes: Sequence[tuple[int, Any]] = (),
    ) -> None:
        """Append records (and their rows, if already computed).

        ``settings`` is what they ran with; ``changes`` lists ``(offset, settings)``
        where a later record of the batch ran with other settings.
        """
        if not records:
            return
        if rows is None:
            rows = np.vstack([r.as_row() for r in records])
        start = self._n
        self.extend_rows(rows, None, settings, changes=changes)
        kept = records[-self._keep :]
        first = start + len(records) - len(kept)
        self._records.update(zip(range(first, first + len(kept)), kept, strict=True))
        self._forget()

    def extend_rows(
        self,
        rows: np.ndarray,
        last: Any = None,
        settings: Any = None,
        *,
        changes: Sequence[tuple[int, Any]] = (),
    ) -> None:
        """Append steps by their rows, with the full record of the ``last`` (if given);
        the others are rebuilt from their rows when asked for."""
        rows = np.atleast_2d(np.asarray(rows, dtype=self._dtype))
        if not len(rows):
            return
        self._mark(self._n, settings)
        for offset, changed in changes:
            self._mark(self._n + offset, changed)
        need = self._n + len(rows)
        if self._rows is None or self._rows.shape[1] != rows.shape[1]:
            if self._n:
                raise ValueError("row width changed within one run")
            self._rows = np.empty((max(1024, need), rows.shape[1]), dtype=self._dtype)
        elif need > len(self._rows):
            grown = np.empty((max(need, 2 * len(self._rows)), rows.shape[1]), dtype=self._dtype)
            grown[: self._n] = self._rows[: self._n]
            self._rows = grown
        self._rows[self._n : need] = rows
        self._n = need
        if last is not None:
            self._records[need - 1] = last
            self._forget()

    def _forget(self) -> None:
        """Keep the full records of the last ``keep_records`` steps only (the dict's keys
        are in step order: the first is the oldest)."""
        oldest = self._n - self._keep
        while self._records and next(iter(self._records)) < oldest:
            del self._records[next(iter(self._records))]

    def truncate(self, n: int) -> None:
        """Keep the first ``n`` steps only (a run continued from an earlier step)."""
        n = max(0, min(n, self._n))
        if n < self._n:
            self.branches.append((n - 1, self._n - n))
        self._records = {i: r for i, r in self._records.items() if i < n}
        self._n = n
        while self._starts and self._starts[-1] >= n:
            self._starts.pop()
            self._settings.pop()

    def record(self, i: int) -> Any:
        """The full record of step index ``i`` (rebuilt from its row if needed)."""
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        record = self._records.get(i)
        if record is not None:
            return record
        if self._rebuild is None:
            raise KeyError(f"step {i} is no longer kept and cannot be rebuilt")
        return self._rebuild(self.rows[i], self.settings_at(i))

    def last(self) -> Any | None:
        return self.record(self._n - 1) if self._n else None

    def nbytes(self) -> int:
        return 0 if self._rows is None else self._rows.nbytes


def envelope(y: np.ndarray, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact min/max envelope of ``y`` in ``bins`` buckets (x, y pairs, 2 per bucket).

    Used when a curve has more points than the plot has pixels: the drawn
    line still touches every extreme value.
    """
    n = len(y)
    if n <= 2 * bins:
        return np.arange(n, dtype=float), np.asarray(y, dtype=float)
    size = int(np.ceil(n / bins))
    pad = size * int(np.ceil(n / size)) - n
    yy = np.concatenate([y, np.full(pad, y[-1])]) if pad else y
    blocks = yy.reshape(-1, size)
    x = np.repeat(np.arange(len(blocks)) * size + size / 2, 2)
    out = np.empty(2 * len(blocks))
    out[0::2] = np.nanmin(blocks, axis=1)
    out[1::2] = np.nanmax(blocks, axis=1)
    return x, out


def thin(n: int, most: int = 1000) -> np.ndarray:
    """Indices of at most ``most`` evenly spread steps out of ``n``, always the last.

    A path of a million steps is drawn through a thousand of them: the eye sees
    the same curve, the plot stays fast.
    """
    if n <= most:
        return np.arange(n)
    idx = np.linspace(0, n - 1, most).astype(int)
    idx[-1] = n - 1
    return idx


class Envelope:
    """The min/max envelope of a growing curve, updated in time proportional to what is new.

    :func:`envelope` rescans the whole curve; at a million steps and 40 frames a
    second that is most of a frame. This keeps per-bucket minima and maxima and
    only folds in the steps added since the last call, merging neighbouring
    buckets (doubling their size) when there are more than ``2 × bins``.
    """

    def __init__(self, bins: int = 1000):
        self.bins = bins
        self.clear()

    def clear(self) -> None:
        self.size = 1
        self.done = 0  # points folded into complete buckets
        self.mins = np.empty(0)
        self.maxs = np.empty(0)

    def update(self, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = len(y)
        if n < self.done:  # the curve was cut (a run continued from an earlier step)
            self.clear()
        full = (n - self.done) // self.size * self.size
        if full:
            blocks = y[self.done : self.done + full].reshape(-1, self.size)
            self.mins = np.concatenate([self.mins, np.nanmin(blocks, axis=1)])
            self.maxs = np.concatenate([self.maxs, np.nanmax(blocks, axis=1)])
            self.done += full
        while len(self.mins) > 2 * self.bins:
            even = len(self.mins) // 2 * 2
            tail_min, tail_max = self.mins[even:], self.maxs[even:]
            self.mins = np.concatenate(
                [np.minimum(self.mins[0:even:2], self.mins[1:even:2]), tail_min]
            )
            self.maxs = np.concatenate(
                [np.maximum(self.maxs[0:even:2], self.maxs[1:even:2]), tail_max]
            )
            self.size *= 2
            # a leftover odd bucket is half the new size: unfold it back into raw points
            if len(tail_min):
                self.mins, self.maxs = self.mins[:-1], self.maxs[:-1]
                self.done -= self.size // 2
        rest = np.asarray(y[self.done :], dtype=float)
        if self.size == 1:
            return np.arange(n, dtype=float), np.asarray(y, dtype=float)
        x = np.repeat(np.arange(len(self.mins)) * self.size + self.size / 2, 2)
        out = np.empty(2 * len(self.mins))
        out[0::2], out[1::2] = self.mins, self.maxs
        return (
            np.concatenate([x, np.arange(self.done, n, dtype=float)]),
            np.concatenate([out, rest]),
        )
