"""Newton's method: the curriculum's iterates, every way a run can end, and the Step record."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optgui.core.expr import parse_function
from optgui.core.iterates import Step, row_columns
from optgui.core.newton import newton
from optgui.core.stepping import CONVERGED, DIVERGED, DOMAIN, SINGULAR, STEP_LIMIT

XY = ["x", "y"]
NEWTON_2D = "x^4 + 0.8*y^4 + 4*x^2 + 2*y^2 - x*y - 0.2*x^2*y"


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def run_all(run):
    steps = list(run)
    for step in steps:
        assert_valid(step)
    assert run.outcome is not None
    return steps, run.outcome


def assert_valid(step: Step):
    assert np.isfinite(step.value)
    for a in (step.x, step.gradient, step.s, step.x_next):
        assert np.all(np.isfinite(a))
    if step.hessian is not None:
        assert np.all(np.isfinite(step.hessian))
    np.testing.assert_array_equal(step.x_next, step.x - step.s)


def g():
    return parse_function("exp(x) - log(x)", ["x"])


def test_slides_iterates_from_0_05():
    steps, outcome = run_all(newton(g(), 0.05))
    expected = [0.09724765, 0.18317667, 0.32051969, 0.47729765, 0.55784977, 0.56705989, 0.56714328]
    xs = [s.x_next[0] for s in steps]
    np.testing.assert_allclose(xs[:7], expected, atol=5e-9)
    assert xs[7] == pytest.approx(0.5671432904097838, abs=1e-15)
    assert outcome.status == CONVERGED
    assert outcome.k == 8
    assert outcome.message.startswith("converged at step 8: ")
    assert "local minimum" in outcome.message


def test_notebook_iterates_from_1_6():
    steps, outcome = run_all(newton(g(), 1.6))
    first = steps[0]
    assert first.k == 0 and first.x[0] == 1.6
    assert first.value == pytest.approx(4.483028795149379, abs=1e-14)
    assert first.gradient[0] == pytest.approx(4.328032424395115, abs=1e-14)
    assert first.hessian[0, 0] == pytest.approx(5.343657424395115, abs=1e-14)
    expected = [
        0.7900617721793732,
        0.5436324685389214,
        0.5665913613835818,
        0.567143002403454,
        0.5671432904097056,
        0.5671432904097838,
    ]
    np.testing.assert_allclose([s.x_next[0] for s in steps], expected, rtol=0, atol=1e-15)
    # |s_5| = 7.8e-14 < 1e-12: x_5 is the answer to tol, and x_6 is the notebook's last iterate
    assert outcome.status == CONVERGED and outcome.k == 5


def test_slides_2d_example_needs_8_steps():
    steps, outcome = run_all(newton(parse_function(NEWTON_2D, XY), (4, 4)))
    first = steps[0]
    assert first.value == pytest.approx(528.0, abs=1e-12)
    np.testing.assert_allclose(first.gradient, [277.6, 213.6], atol=1e-12)
    np.testing.assert_allclose(first.hessian, [[198.4, -2.6], [-2.6, 157.6]], atol=1e-12)
    expected = [
        (2.58273866, 2.62128884),
        (1.59225691, 1.67481611),
        (0.87058917, 1.00182107),
        (0.33519431, 0.49397623),
        (0.04123585, 0.12545903),
        (0.00019466, 0.00301029),
    ]
    np.testing.assert_allclose([s.x_next for s in steps[:6]], expected, atol=5e-9)
    np.testing.assert_allclose(steps[6].x_next, [-2.49e-8, 3.55e-8], rtol=2e-3)
    np.testing.assert_allclose(steps[7].x_next, [4.16e-17, -2.05e-17], rtol=3e-3)
    # x_8 = (4.16e-17, -2.05e-17) is where the run stops: "needed k = 8 steps"
    assert outcome.status == CONVERGED and outcome.k == 8
    assert steps[-1].k == 8
    np.testing.assert_allclose(steps[-1].x, [4.16e-17, -2.05e-17], rtol=3e-3)
    np.testing.assert_allclose(steps[-1].eigenvalues, [3.7639320225, 8.2360679775], atol=1e-9)


def test_each_step_solves_h_s_equals_gradient():
    steps, _ = run_all(newton(parse_function(NEWTON_2D, XY), (4, 4)))
    for step in steps:
        np.testing.assert_allclose(step.hessian @ step.s, step.gradient, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(step.eigenvalues, np.linalg.eigvalsh(step.hessian))
        assert step.damping == 0.0 and step.learning_rate is None and step.method == "newton"


def test_quadratic_needs_exactly_one_step():
    f = parse_function("(x - 3)^2 + 2*(y + 1)^2 + x*y", XY)
    steps, outcome = run_all(newton(f, (10, -7)))
    minimum = np.linalg.solve([[2, 1], [1, 4]], [6, -4])
    np.testing.assert_allclose(steps[0].x_next, minimum, atol=1e-14)
    assert outcome.status == CONVERGED and outcome.k == 1
    assert steps[1].step_norm < 1e-12


def test_resume_from_any_step():
    f = parse_function(NEWTON_2D, XY)
    full, _ = run_all(newton(f, (4, 4)))
    tail, outcome = run_all(newton(f, full[2].x_next, k0=full[2].k + 1))
    assert [s.k for s in tail] == [s.k for s in full[3:]]
    for a, b in zip(tail, full[3:], strict=True):
        np.testing.assert_array_equal(a.x_next, b.x_next)
    assert outcome.k == 8


def test_step_limit():
    steps, outcome = run_all(newton(g(), 0.05, max_steps=3))
    assert len(steps) == 3 and outcome.status == STEP_LIMIT and outcome.k == 3
    assert outcome.message.startswith("step limit reached: 3 steps without converging")
    # e^x has no minimum: Newton walks left by 1 each step and never converges
    steps, outcome = run_all(newton(parse_function("exp(x)", ["x"]), 0))
    assert outcome.status == STEP_LIMIT and len(steps) == 50
    assert steps[-1].x_next[0] == pytest.approx(-50)
    _, outcome = run_all(newton(g(), 0.05, max_steps=0))
    assert outcome.status == STEP_LIMIT and outcome.k == 0


def test_leaving_the_domain_of_log():
    # (ln x)^2 from 2: the step jumps to x = -2.52
    steps, outcome = run_all(newton(parse_function("log(x)^2", ["x"]), 2.0))
    assert len(steps) == 1 and steps[0].x_next[0] < 0
    assert outcome.status == DOMAIN and outcome.k == 0
    assert outcome.message == (
        "left the domain of log at step 0: log needs a positive number, got -2.51778"
    )


def test_starting_outside_the_domain():
    steps, outcome = run_all(newton(g(), -0.2))
    assert steps == []
    assert outcome.status == DOMAIN
    assert "log needs a positive number, got -0.2" in outcome.message
    assert "domain" in outcome.message


def test_zero_second_derivative_is_singular():
    steps, outcome = run_all(newton(parse_function("x^3", ["x"]), 0))
    assert steps == [] and outcome.status == SINGULAR and outcome.k == 0
    assert outcome.message.startswith(
        "second derivative is zero at x = 0: the Newton step is undefined"
    )
    steps, outcome = run_all(newton(parse_function("x^3 - 3*x", ["x"]), 2.0, k0=4))
    assert outcome.status == CONVERGED and steps[0].k == 4


def test_singular_hessian():
    steps, outcome = run_all(newton(parse_function("x^4 + y^4", XY), (0, 0)))
    assert steps == [] and outcome.status == SINGULAR
    assert outcome.message == "Hessian is singular at (0, 0): cannot solve H·s = ∇f"
    _, outcome = run_all(newton(parse_function("(x + y)^2", XY), (1, 2)))
    assert outcome.status == SINGULAR and "singular at (1, 2)" in outcome.message


def test_newton_can_walk_to_a_maximum():
    # g = x^4 - 2x^2 has a maximum at 0; near 0 Newton goes there
    steps, outcome = run_all(newton(parse_function("x^4 - 2*x^2", ["x"]), 0.1))
    assert outcome.status == CONVERGED
    assert abs(steps[-1].x_next[0]) < 1e-12
    assert steps[-1].hessian[0, 0] == pytest.approx(-4)
    assert "maximum" in outcome.message


def test_divergence_is_reported_with_its_step():
    # g = ln(1 + x^2): beyond |x| = 1 the Newton step roughly doubles x
    steps, outcome = run_all(newton(parse_function("ln(1 + x^2)", ["x"]), 2.0))
    assert outcome.status == DIVERGED
    assert outcome.message.startswith(f"diverged at step {outcome.k}: |x| grew to")
    assert outcome.message.endswith("— Newton's steps run away from this start: try another start")
    assert abs(steps[-1].x_next[0]) > 1e12


def test_damped_newton_solves_shifted_system():
    f = parse_function(NEWTON_2D, XY)
    steps, outcome = run_all(newton(f, (4, 4), damping=10.0, max_steps=200))
    assert outcome.status == CONVERGED
    assert len(steps) > 9
    for step in steps:
        assert step.damping == 10.0
        np.testing.assert_allclose(
            (step.hessian + 10 * np.eye(2)) @ step.s, step.gradient, rtol=1e-12, atol=1e-14
        )
    np.testing.assert_allclose(steps[-1].x_next, [0, 0], atol=1e-10)  # linear rate: error ≈ 3|s|
    # damping also rescues a singular Hessian
    _, outcome = run_all(newton(parse_function("x^3", ["x"]), 0.5, damping=1.0))
    assert outcome.status in (CONVERGED, STEP_LIMIT)


def test_settings_are_checked():
    with pytest.raises(ValueError):
        newton(g(), (1, 2))
    with pytest.raises(ValueError):
        newton(g(), float("nan"))
    with pytest.raises(ValueError):
        newton(g(), 1.0, damping=-1)
    with pytest.raises(ValueError):
        newton(g(), 1.0, max_steps=-1)


def test_step_records_are_frozen_and_export_rows():
    steps, _ = run_all(newton(parse_function(NEWTON_2D, XY), (4, 4)))
    step = steps[0]
    with pytest.raises(AttributeError):
        step.k = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        step.x[0] = 1.0
    row = step.as_row()
    columns = row_columns(XY)
    assert len(row) == len(columns) == 1 + 2 + 1 + 2 + 4 + 2 + 2
    assert columns[:6] == ["k", "x", "y", "f", "df/dx", "df/dy"]
    assert columns[-2:] == ["x_next", "y_next"]
    named = dict(zip(columns, row, strict=True))
    assert named["k"] == 0 and named["f"] == 528.0 and named["d2f/dxdy"] == pytest.approx(-2.6)
    assert Step.row_columns(XY) == columns


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(
        [
            ("exp(x) - log(x)", ["x"]),
            ("x^4 - 2*x^2 + 0.3*x", ["x"]),
            ("sin(x) + 0.1*x^2", ["x"]),
            ("sqrt(x) - log(x + 2)", ["x"]),
            (NEWTON_2D, XY),
            ("sin(x)*cos(y) + 0.05*(x^2 + y^2)", XY),
            ("x^3 - 3*x*y^2", XY),
            ("log(x) * y^2 - exp(-x*y)", XY),
        ]
    ),
    st.lists(st.floats(-5, 5), min_size=2, max_size=2),
    st.floats(0, 2),
)
def test_no_invalid_step_is_ever_yielded(case, start, damping):
    text, variables = case
    f = parse_function(text, variables)
    run = newton(f, start[: len(variables)], damping=damping, max_steps=60)
    steps, outcome = run_all(run)
    assert outcome.status in (CONVERGED, STEP_LIMIT, SINGULAR, DOMAIN, DIVERGED)
    assert outcome.message
    assert [s.k for s in steps] == list(range(len(steps)))
