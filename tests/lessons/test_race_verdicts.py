"""What each method of a Newton race found, in words: the second-derivative test where it ended."""

from __future__ import annotations

import numpy as np
import pytest

from optgui.core.expr import parse_function
from optgui.lessons import newton1d, newton2d, race
from optgui.lessons import race_verdicts as verdicts
from optgui.lessons.race import RaceFactory


def run(settings) -> list:
    return list(RaceFactory(settings)(None))


def fd_hessian(text: str, variables: tuple[str, ...], point, h: float = 1e-4) -> np.ndarray:
    """The Hessian by central differences of f's values: an independent reference."""
    f = parse_function(text, variables)
    n, p = len(point), np.asarray(point, dtype=float)

    def value(q) -> float:
        return float(f.value(q))

    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * h, np.eye(n)[j] * h
            out[i, j] = (
                value(p + e_i + e_j)
                - value(p + e_i - e_j)
                - value(p - e_i + e_j)
                + value(p - e_i - e_j)
            ) / (4 * h * h)
    return out


def kind_of(hessian: np.ndarray) -> str:
    lam = np.linalg.eigvalsh(hessian)
    if np.all(lam > 1e-6):
        return "minimum"
    if np.all(lam < -1e-6):
        return "maximum"
    if np.any(lam > 1e-6) and np.any(lam < -1e-6):
        return "saddle"
    return "inconclusive"


def test_typeset_primes_and_minus_signs():
    assert verdicts.typeset("g''(x) = -8, |g'(x)| = 1e-12, got -0.5 (-inf)") == (
        "g″(x) = −8, |g′(x)| = 1e−12, got −0.5 (−inf)"
    )
    assert verdicts.typeset("left-hand side") == "left-hand side"
    assert verdicts.tolerance_text(1e-12) == "1e−12" and verdicts.tolerance_text(1e-4) == "0.0001"
    assert verdicts.newton_name(0.0) == "Newton"
    assert verdicts.newton_name(2.5) == "modified Newton (τ = 2.5)"


def test_the_maximum_preset_names_a_local_maximum():
    settings = newton1d.PRESETS[2].apply(newton1d.Newton1DSettings())  # x⁴ − 4x² from 0.5
    last = run(settings)[-1]
    what = verdicts.found(last, "newton", settings)
    assert what.converged and what.point == (0.0,)
    # the reference: g″ by differences at Newton's final point is −8: a maximum
    reference = fd_hessian(settings.function, ("x",), what.point)
    assert reference[0, 0] == pytest.approx(-8, abs=1e-5) and kind_of(reference) == "maximum"
    assert what.kind == "maximum"
    text = race.record_summary(last, settings, False)
    assert text.startswith(
        "Newton: converged in 4 steps to a local maximum at x = 0 (g″ = −8 < 0) ⚠ not a minimum"
    )
    # gradient descent rolled down to √2, where g″ = 16
    gd = verdicts.found(last, "descent", settings)
    assert gd.point[0] == pytest.approx(np.sqrt(2), abs=1e-9)
    assert kind_of(fd_hessian(settings.function, ("x",), gd.point)) == gd.kind == "minimum"
    assert text.endswith("converged in 23 steps to a local minimum at x = 1.414 (g″ = 16 > 0)")
    # the math panel's line, in rich text: "<" escaped so nothing after it is lost
    lines = newton1d.math_lines(last, settings)
    assert (
        "<b>Newton</b> converged at step 4: the step |s| = 2.3e−19 is below the tolerance 1e−12"
        " (|g′| = 1.9e−18). It found a local maximum at x = 0 (g″ = −8 &lt; 0) ⚠ not a minimum."
    ) in lines


def test_the_saddle_preset_names_a_saddle_and_warns():
    settings = newton2d.PRESETS[1].apply(newton2d.Newton2DSettings())
    last = run(settings)[-1]
    what = verdicts.found(last, "newton", settings)
    reference = fd_hessian(settings.function, ("x", "y"), what.point)
    assert kind_of(reference) == what.kind == "saddle"
    assert sorted(what.eigenvalues) == pytest.approx(sorted(np.linalg.eigvalsh(reference)), 1e-4)
    assert race.record_summary(last, settings, False).startswith(
        "Newton: converged in 4 steps to a saddle point at (0, 0) ⚠ not a minimum, try modified"
        " Newton · gradient descent (α = 0.1): converged in 137 steps to a local minimum at"
        " (0.5141, 0.5436)"
    )
    # the ⚠ box holds after the run, where gradient descent's steps are shown
    assert not last.newton_here
    warning = newton2d.warning(last, settings)
    assert warning.startswith(
        "⚠ Newton converged to a saddle point at (0, 0), not a minimum (H's eigenvalues 1 and"
        " −1): Newton only looks for ∇f = 0. Tick “modified Newton: H + τI”."
    )


def test_the_singular_presets_say_undecided_and_hint_at_modified_newton():
    settings = newton2d.PRESETS[4].apply(newton2d.Newton2DSettings())  # x² + y⁴ from (2, 0)
    preview = race.preview(settings)
    last = run(settings)[-1]
    for record, preview_ in ((preview, True), (last, False)):
        warning = newton2d.warning(record, settings, preview_)
        assert warning.startswith(
            "⚠ Newton cannot take its first step, undecided: H is singular at (2, 0) (H's"
            " eigenvalues 2 and 0), so H·s = ∇f has no single solution. Tick “modified Newton"
        )
    assert race.record_summary(last, settings, False).startswith(
        "Newton: stopped at step 0, undecided: H is singular at (2, 0) ⚠ try modified Newton · "
    )
    # one variable: g″(0) = 0 for x³ − 3x, and 0 is no critical point
    flat = newton1d.PRESETS[3].apply(newton1d.Newton1DSettings())
    assert fd_hessian(flat.function, ("x",), (0.0,))[0, 0] == pytest.approx(0, abs=1e-6)
    assert race.record_summary(run(flat)[-1], flat, False).startswith(
        "Newton: stopped at step 0, undecided: g″ = 0 at x = 0, so the Newton step −g′/g″ is"
        " undefined; x = 0 is not a critical point (|g′| = 3) · "
    )


def test_modified_newton_is_named_with_its_tau():
    settings = newton2d.PRESETS[1].apply(newton2d.Newton2DSettings()).replace(modified=True)
    last = run(settings)[-1]
    assert race.record_summary(last, settings, False).startswith(
        "modified Newton (τ = 2): converged in 39 steps to a local minimum at (0.5141, 0.5436)"
    )
    assert newton2d.legend_name(settings) == "modified Newton (τ = 2)"
    assert newton2d.legend_name(settings.replace(modified=False)) == "Newton"
    assert newton2d.warning(last, settings) is None  # a minimum: nothing to warn of
    first = run(settings)[0]
    assert newton2d.math_lines(first, settings)[0].endswith("Modified Newton (τ = 2), step 0</b>")


def test_a_run_rebuilt_from_its_rows_says_the_same():
    settings = newton2d.PRESETS[1].apply(newton2d.Newton2DSettings())
    last = run(settings)[-1]
    rebuilt = race.rebuild(last.as_row(), settings)  # (its messages are short)
    assert rebuilt.newton_end.message != last.newton_end.message
    assert race.record_summary(rebuilt, settings, False) == race.record_summary(
        last, settings, False
    )
    assert newton2d.math_lines(rebuilt, settings)[-1] == newton2d.math_lines(last, settings)[-1]


def test_a_method_that_left_the_domain_is_undecided():
    settings = newton1d.PRESETS[4].apply(newton1d.Newton1DSettings())  # α = 0.3 leaves log
    text = race.record_summary(run(settings)[-1], settings, False)
    assert text.endswith(
        "gradient descent (α = 0.3): left the domain of log at step 1: log needs a positive"
        " number, got −87.0316; undecided: no critical point reached"
    )


def test_newton_texts_use_primes_and_minus_signs():
    """No g'' or a hyphen for a minus in what the Newton tabs print (math panel, summary,
    ⚠ box, start texts), for every preset and a start left of 0."""
    import re

    cases = [p.apply(newton1d.Newton1DSettings()) for p in newton1d.PRESETS]
    cases += [p.apply(newton2d.Newton2DSettings()) for p in newton2d.PRESETS]
    cases.append(newton1d.Newton1DSettings(function="x^4 - 4*x^2", x0=-0.5, x_min=-2.2))
    for settings in cases:
        records = run(settings)
        lesson = newton1d if settings.variables == ("x",) else newton2d
        texts = [lesson.start_summary(settings), race.start_status(settings)]
        for record in (records[0], records[-1], race.rebuild(records[-1].as_row(), settings)):
            texts += lesson.math_lines(record, settings)
            texts.append(race.record_summary(record, settings, False))
            if lesson is newton2d:
                texts.append(newton2d.warning(record, settings) or "")
        for text in texts:
            assert not re.search(r"[gf]'", text), text
            assert not re.search(r"(^|[\s(=,:])-[\d.]|\de-\d", text), text
