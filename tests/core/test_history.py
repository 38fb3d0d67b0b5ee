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

    def rebuild(row, settings):
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


def test_incremental_envelope_matches_a_full_scan():
    from optgui.core.history import Envelope

    rng = np.random.default_rng(1)
    y = np.cumsum(rng.standard_normal(200_003))
    env = Envelope(bins=300)
    for n in (10, 500, 599, 4_000, 77_777, 150_000, 200_003):
        x, e = env.update(y[:n])
        assert len(e) <= 2 * (2 * 300) + 2 * env.size + 2
        assert e.max() == y[:n].max() and e.min() == y[:n].min()
        assert np.all(np.diff(x) >= 0) and x[-1] <= n - 1
    x, e = env.update(y[:1000])  # cut back: starts afresh
    assert e.max() == y[:1000].max() and len(e) <= 1000


def test_perceptron_boundary_segment():
    from optgui.core.surfaces import line_in_box

    xs, ys = line_in_box([1.0, -1.0], 0.0, [-1, -2], [1, 2])  # x2 = x1
    assert np.allclose(xs, [-1, 1]) and np.allclose(ys, [-1, 1])
    assert line_in_box([1.0, 1.0], 10.0, [-1, -1], [1, 1]) is None
    assert line_in_box([0.0, 0.0], 1.0, [-1, -1], [1, 1]) is None
    xs, ys = line_in_box([0.0, 2.0], -1.0, [-1, -1], [1, 1])  # horizontal x2 = 0.5
    assert np.allclose(ys, [0.5, 0.5]) and np.allclose(xs, [-1, 1])


def test_each_step_keeps_the_settings_it_ran_with():
    seen = []

    def rebuild(row, settings):
        seen.append((int(row[0]), settings))
        return Rec(int(row[0]))

    h = History(rebuild, keep_records=4)
    h.extend([Rec(k) for k in range(10)], settings={"rate": 0.1})
    h.extend([Rec(10), Rec(11), Rec(12)], settings={"rate": 0.1}, changes=[(1, {"rate": 0.01})])
    assert h.segments == [(0, {"rate": 0.1}), (11, {"rate": 0.01})]
    assert h.settings_at(5) == {"rate": 0.1} and h.settings_at(10) == {"rate": 0.1}
    assert h.settings_at(11) == {"rate": 0.01} and h.settings_at(-1) == {"rate": 0.01}
    h.record(2)  # older than the kept records: rebuilt with the settings it ran with
    assert seen == [(2, {"rate": 0.1})]
    h.truncate(11)  # continued from step 10: the later segment goes, the branch is noted
    assert h.segments == [(0, {"rate": 0.1})] and h.branches == [(10, 2)]
    h.extend([Rec(11)], settings={"rate": 0.5})
    assert h.settings_at(11) == {"rate": 0.5} and len(h.segments) == 2
    h.clear()
    assert h.segments == [] and h.branches == [] and h.settings_at(0) is None
