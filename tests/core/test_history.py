"""The compact step history and the cost-curve envelope."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from optgui.core.history import History, envelope


@dataclass(frozen=True)
class Rec:
    k: int

    def as_row(self):
        return (float(self.k), float(self.k) ** 2)


def test_rows_grow_and_old_records_are_rebuilt():
    rebuilt = []

    def rebuild(row):
        rebuilt.append(int(row[0]))
        return Rec(int(row[0]))

    h = History(rebuild, keep_records=10)
    for start in range(0, 5000, 100):
        h.extend([Rec(k) for k in range(start, start + 100)])
    assert len(h) == 5000
    assert np.array_equal(h.column(1), np.arange(5000.0) ** 2)
    assert h.record(4999) == Rec(4999) and not rebuilt
    assert h.record(3) == Rec(3) and rebuilt == [3]
    h.truncate(20)
    assert len(h) == 20 and h.last() == Rec(19)


def test_memory_per_step_is_the_row():
    h = History()
    h.extend([Rec(k) for k in range(100_000)])
    assert h.nbytes() <= 2 * 100_000 * 2 * 8


def test_envelope_keeps_every_extreme():
    rng = np.random.default_rng(0)
    y = rng.standard_normal(100_003)
    x, e = envelope(y, 500)
    assert len(e) <= 2 * 501
    assert e.max() == y.max() and e.min() == y.min()
    x, e = envelope(y[:300], 500)
    assert np.array_equal(e, y[:300])


def test_extend_rejects_a_new_width_mid_run():
    h = History()
    h.extend([Rec(0)])
    with pytest.raises(ValueError):
        h.extend([Rec(1)], rows=np.zeros((1, 3)))
