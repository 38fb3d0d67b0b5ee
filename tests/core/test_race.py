"""The race of Newton's method against gradient descent: records, rows, outcomes, resuming."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from optgui.core.descent import gradient_descent
from optgui.core.expr import parse_function
from optgui.core.newton import newton
from optgui.core.race import (
    CODE_STATUS,
    STATUS_CODES,
    RaceSettings,
    RaceStep,
    RowLayout,
    race,
    race_columns,
    race_factory,
    race_points,
    race_preview,
    rebuild_race,
    stopped_by_limit,
)
from optgui.core.stepping import CONVERGED, DOMAIN, SINGULAR, STEP_LIMIT, Outcome, Stepper

G = "exp(x) - log(x)"
NEWTON_2D = "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y"


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def g():
    return parse_function(G, ["x"])


def f2():
    return parse_function(NEWTON_2D, ["x", "y"])


def run_all(run: Stepper) -> tuple[list[RaceStep], Outcome]:
    records = list(run)
    assert run.outcome is not None
    return records, run.outcome


def test_records_combine_both_methods_step_by_step():
    settings = RaceSettings(g(), (1.6,), learning_rate=0.1, tol=1e-12)
    records, _ = run_all(race_factory(settings)(None))
    newton_steps = list(newton(g(), 1.6, max_steps=10**9, tol=1e-12))
    descent_steps = list(gradient_descent(g(), 1.6, learning_rate=0.1, max_steps=10**9, tol=1e-12))
    assert [r.k for r in records] == list(range(len(records)))
    assert len(records) == max(len(newton_steps), len(descent_steps))
    for r in records:
        if r.k < len(newton_steps):
            assert r.newton_here
            np.testing.assert_array_equal(r.newton.as_row(), newton_steps[r.k].as_row())
        if r.k < len(descent_steps):
            assert r.descent_here
            np.testing.assert_array_equal(r.descent.as_row(), descent_steps[r.k].as_row())
    # the notebook's Newton iterates from 1.6
    assert records[0].newton.x_next[0] == pytest.approx(0.790, abs=1e-3)
    assert records[1].newton.x_next[0] == pytest.approx(0.544, abs=1e-3)


def test_finished_method_keeps_its_last_step():
    settings = RaceSettings(g(), (1.6,), learning_rate=0.1, tol=1e-12)
    records, _ = run_all(race_factory(settings)(None))
    done = next(r for r in records if r.newton_end is not None)
    assert done.newton_end.status == CONVERGED
    assert done.newton_here  # the record of the last step already says how it ended
    later = [r for r in records if r.k > done.k]
    assert later, "gradient descent needs more steps than Newton"
    for r in later:
        assert r.newton is done.newton
        assert not r.newton_here and r.descent_here
        assert r.newton_end == done.newton_end
    assert records[-1].finished and not records[-2].finished


def test_outcomes_of_both_are_reported():
    settings = RaceSettings(g(), (1.6,), learning_rate=0.1, tol=1e-12)
    records, outcome = run_all(race_factory(settings)(None))
    last = records[-1]
    assert last.newton_end.status == CONVERGED and last.descent_end.status == CONVERGED
    assert outcome.status == CONVERGED
    assert "Newton converged" in outcome.message
    assert "gradient descent converged" in outcome.message
    assert outcome.k == last.k


def test_one_method_failing_is_reported_beside_the_other():
    # g″(0) = 0 for x³ − 3x: Newton stops at once, gradient descent walks on
    settings = RaceSettings(parse_function("x^3 - 3*x", ["x"]), (0.0,), 0.1, 1e-12)
    records, outcome = run_all(race_factory(settings)(None))
    assert records[0].newton is None and records[0].newton_end.status == SINGULAR
    assert records[-1].descent_end.status == CONVERGED
    assert outcome.status == "finished"
    assert (
        outcome.message.startswith("Newton ") and "gradient descent converged" in outcome.message
    )


def test_as_row_and_rebuild_round_trip():
    settings = RaceSettings(f2(), (4.0, 4.0), learning_rate=0.02, tol=1e-12)
    records, _ = run_all(race_factory(settings)(None))
    L = RowLayout(2)
    for r in (records[0], records[8], records[9], records[-1]):
        row = r.as_row()
        assert row.shape == (L.width,) == (len(race_columns(["x", "y"])),)
        back = rebuild_race(row, 2, 0.02)
        assert back.k == r.k
        np.testing.assert_array_equal(back.as_row(), row)
        np.testing.assert_array_equal(back.newton.hessian, r.newton.hessian)
        np.testing.assert_allclose(back.newton.eigenvalues, r.newton.eigenvalues)
        assert back.descent.learning_rate == 0.02
        assert back.descent.method == "gradient descent"
        for end, original in ((back.newton_end, r.newton_end), (back.descent_end, r.descent_end)):
            assert (end is None) == (original is None)
            if end is not None:
                assert (end.status, end.k) == (original.status, original.k)


def test_rebuilt_modified_newton_steps_keep_tau():
    settings = RaceSettings(f2(), (4.0, 4.0), learning_rate=0.02, tol=1e-12, damping=0.5)
    records, _ = run_all(race_factory(settings)(None))
    assert records[3].newton.damping == 0.5
    back = rebuild_race(records[3].as_row(), 2, 0.02, damping=0.5)
    assert back.newton.damping == 0.5
    np.testing.assert_array_equal(back.newton.s, records[3].newton.s)


def test_row_of_a_method_that_never_stepped():
    record = RaceStep(0, 1, None, None, Outcome(DOMAIN, "left", 0), None)
    row = record.as_row()
    L = RowLayout(1)
    assert row[L.newton_code] == STATUS_CODES[DOMAIN] and row[L.newton_end_k] == 0
    assert np.all(np.isnan(row[L.newton.k : L.newton.end]))
    assert row[L.descent_code] == 0 and math.isnan(row[L.descent_end_k])
    back = rebuild_race(row, 1, 0.1)
    assert back.newton is None and back.descent is None
    assert back.newton_end.status == DOMAIN and back.descent_end is None
    assert CODE_STATUS[STATUS_CODES[DOMAIN]] == DOMAIN


def test_columns_name_the_row():
    columns = race_columns(["x", "y"])
    L = RowLayout(2)
    assert columns[L.k] == "k"
    assert columns[L.newton_code] == "newton_status"
    assert columns[L.newton.x] == ["newton_x", "newton_y"]
    assert columns[L.newton.hessian][1] == "newton_d2f/dxdy"
    assert columns[L.descent_code] == "gd_status"
    assert columns[L.descent.x_next] == ["gd_x_next", "gd_y_next"]
    assert len(columns) == len(set(columns))


def test_resumed_race_continues_the_same_numbers():
    settings = RaceSettings(f2(), (4.0, 4.0), learning_rate=0.02, tol=1e-12)
    factory = race_factory(settings)
    whole, _ = run_all(factory(None))
    first = list(zip(range(5), factory(None), strict=False))
    rest, _ = run_all(factory(first[-1][1]))
    assert [r.k for r in rest] == list(range(5, len(whole)))
    for a, b in zip(rest, whole[5:], strict=True):
        np.testing.assert_array_equal(a.as_row(), b.as_row())
    # resumed after Newton finished: Newton's last step and outcome carry over
    done = next(r for r in whole if r.newton_end is not None)
    again, _ = run_all(factory(done))
    assert all(r.newton is done.newton and r.newton_end == done.newton_end for r in again)


def test_race_of_finished_steppers_ends_at_once():
    previous = RaceStep(3, 1, None, None, Outcome(SINGULAR, "s", 0), Outcome(CONVERGED, "c", 3))
    records, outcome = run_all(Stepper(race(None, None, 1, 4, previous)))
    assert records == [] and outcome.k == 4


def test_points_skip_repeated_last_steps():
    settings = RaceSettings(g(), (1.6,), learning_rate=0.1, tol=1e-12)
    records, _ = run_all(race_factory(settings)(None))
    rows = np.array([r.as_row() for r in records])
    nx, nv, dx, dv = race_points(rows, 1)
    newton_count = sum(r.newton_here for r in records)
    assert nx.shape == (newton_count, 1) and nv.shape == (newton_count,)
    assert dx.shape == (len(records), 1)
    assert nx[0, 0] == dx[0, 0] == 1.6
    assert nv[1] == pytest.approx(math.exp(nx[1, 0]) - math.log(nx[1, 0]))


def test_preview_is_newtons_first_step():
    settings = RaceSettings(f2(), (4.0, 4.0), learning_rate=0.02, tol=1e-12, damping=2.0)
    preview = race_preview(settings)
    first = next(newton(f2(), (4.0, 4.0), damping=2.0))
    assert preview.k == 0 and preview.newton_here and preview.descent is None
    np.testing.assert_array_equal(preview.newton.x_next, first.x_next)
    stuck = race_preview(RaceSettings(parse_function("x^3 - 3*x", ["x"]), (0.0,), 0.1, 1e-12))
    assert stuck.newton is None and stuck.newton_end.status == SINGULAR


def test_stopped_by_limit():
    limit = Outcome(STEP_LIMIT, "step limit reached", 9)
    running = RaceStep(9, 1, None, None, Outcome(CONVERGED, "c", 4), None)
    done = RaceStep(9, 1, None, None, Outcome(CONVERGED, "c", 4), Outcome(CONVERGED, "c", 9))
    assert stopped_by_limit(limit, running)
    assert not stopped_by_limit(limit, done)
    assert not stopped_by_limit(Outcome(CONVERGED, "c", 9), running)
    assert stopped_by_limit(limit, None)
