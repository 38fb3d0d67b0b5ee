"""The Regression tab's derivations and raw units, without Qt, against curriculum §1.

The slides' MSE table: w = 15 $/ft², b = 0 on the houses 1000/2000/3000 ft² →
$20,000/$30,000/$50,000 predicts $15,000/$30,000/$45,000, errors 5,000/0/5,000, so
J = (12,500,000 + 0 + 12,500,000)/3 = 8,333,333.33 dollars². Partials are checked
against finite differences of the loss and the cost; α against np.linalg.
"""

from __future__ import annotations

import numpy as np
import pytest

from optgui.core import datasets
from optgui.core.training import TrainSettings, train
from optgui.lessons import regression as lesson
from optgui.lessons import regression_derivations as rd
from optgui.lessons.derivation import Line, Table
from optgui.lessons.regression import RegressionLesson

HOUSES = datasets.house_prices(1)


def prepared(normalize: bool, source: str = "house1") -> lesson.Prepared:
    settings = RegressionLesson(source=source, normalize=normalize)
    return lesson.prepare(settings, lesson.dataset(settings))


def first_step(p: lesson.Prepared, params, rate: float, batch: str = "full", k: int = 0):
    run = train(p.model, p.X, p.y, np.array(params, dtype=float), TrainSettings(rate, batch))
    for _ in range(k):
        next(run)
    return next(run)


def slides_line(p: lesson.Prepared) -> np.ndarray:
    """w = 15, b = 0 in the units ``p`` trains in."""
    if p.x_norm is None:
        return np.array(lesson.MSE_PARAMS)
    return datasets.normalized_regression_params(lesson.MSE_PARAMS, p.x_norm, p.y_norm)


def formulas(d) -> list[str]:
    return [line.latex for line in d.lines if isinstance(line, Line)]


def table(d) -> Table:
    return next(line for line in d.lines if isinstance(line, Table))


# -- the slides' MSE table -------------------------------------------------------------------


@pytest.mark.parametrize("normalize", [False, True])
def test_the_slides_mse_table_for_w_15_b_0(normalize):
    p = prepared(normalize)
    record = first_step(p, slides_line(p), 2.1e-7 if not normalize else 0.1)
    d = rd.mse_table(record, p, 0)
    assert d.title == "The slides' MSE table" == rd.MSE_TITLE
    t = table(d)
    assert list(t.headings) == [
        "x₁ (ft²)",
        "y ($)",
        "ŷ ($)",
        "y − ŷ ($)",
        "(y − ŷ)² ($²)",
        "½(y − ŷ)² ($²)",
    ]
    assert [list(row) for row in t.rows] == [
        ["1,000", "20,000", "15,000", "5,000", "25,000,000", "12,500,000"],
        ["2,000", "30,000", "30,000", "0", "0", "0"],
        ["3,000", "50,000", "45,000", "5,000", "25,000,000", "12,500,000"],
        ["J", "", "", "", "", "8,333,333"],
    ]
    assert t.highlight == 0
    assert formulas(d)[0] == r"\hat{y} = 15\,x_1 + 0"
    assert formulas(d)[1].endswith(
        r"= \frac{1}{3}\left(12{,}500{,}000 + 0 + 12{,}500{,}000\right) = 8{,}333{,}333.33"
    )
    rows = rd.mse_rows(record, p)
    assert rows["yhat"] == pytest.approx([15_000, 30_000, 45_000])
    assert rows["error"] == pytest.approx([5_000, 0, 5_000], abs=1e-6)
    assert float(np.mean(rows["half"])) == pytest.approx(8_333_333.33, abs=0.005)
    if normalize:  # the run's own J is the table's over σy², and the view says so
        assert d.note == rd.TABLE_NOTE
        assert "converted back" in d.lines[0].words
        sigma = float(np.std(HOUSES.y))
        assert record.cost == pytest.approx(8_333_333.333 / sigma**2, rel=1e-9)
        assert formulas(d)[-1].endswith(f"= {rd.tex(record.cost)}")
    else:
        assert d.note == "" and len(d.lines) == 3
        assert record.cost == pytest.approx(25e6 / 3)


def test_the_table_follows_the_clicked_house_and_caps_its_rows():
    p = prepared(False)
    record = first_step(p, lesson.MSE_PARAMS, 2.1e-7)
    assert table(rd.mse_table(record, p, 2)).highlight == 2
    line = prepared(True, "line")  # 30 generated points: ten rows, the clicked one among them
    record = first_step(line, [0.5, 0.1], 0.1)
    d = rd.mse_table(record, line, 25)
    t = table(d)
    assert len(t.rows) == rd.MAX_ROWS + 1 and t.rows[t.highlight][0] == rd.amount(
        line.data.X[25, 0]
    )
    assert "the first 10 of 30 rows; over all 30" in d.lines[2].words
    assert t.headings[1] == "y" and "dollars" not in d.lines[0].words


def test_numbers_for_the_table_and_formulas():
    assert rd.amount(8_333_333.333) == "8,333,333.33"
    assert rd.amount(-5_000) == "−5,000" and rd.amount(0.0) == "0" and rd.amount(0.5) == "0.5"
    assert rd.tex(20_000) == "20{,}000" and rd.tex(-5e6) == "-5{,}000{,}000"
    assert rd.tex(0.1429) == "0.1429" and rd.tex(2.1e-7) == r"2.10\times 10^{-7}"
    assert rd.tex_amount(8_333_333.333) == "8{,}333{,}333.33"
    assert rd.mean_of(["1", "-2", "3"], 3) == r"\frac{1}{3}\left(1 - 2 + 3\right)"
    assert (
        rd.mean_of([str(k) for k in range(6)], 6) == r"\frac{1}{6}\left(0 + 1 + \dots + 5\right)"
    )


# -- the partial derivatives one by one ----------------------------------------------------------


def last_number(latex: str) -> float:
    """The number a formula ends with ("… = -5{,}000", "… = 2.10\\times 10^{-7}")."""
    text = latex.rsplit("= ", 1)[1].replace("{,}", "")
    mantissa, _, power = text.partition(r"\times 10^")
    return float(mantissa) * (10 ** int(power.strip("{}")) if power else 1)


def finite_difference(f, params: np.ndarray, j: int) -> float:
    h = 1e-6 * max(1.0, abs(params[j]))
    up, down = params.copy(), params.copy()
    up[j] += h
    down[j] -= h
    return (f(up) - f(down)) / (2 * h)


def test_the_partials_of_the_slides_house_1():
    p = prepared(False)
    record = first_step(p, lesson.MSE_PARAMS, 2.1e-7)
    d = rd.partials(record, p, 0)
    assert d.title == rd.PARTIALS_TITLE and d.note == ""
    f = formulas(d)
    assert f[0].endswith(r"= 15\cdot 1{,}000 + 0 = 15{,}000")
    assert f[1].endswith(r"\frac{1}{2}(20{,}000 - 15{,}000)^2 = 12{,}500{,}000")
    assert f[3].endswith(r"= -(y-\hat{y}) = -(20{,}000 - 15{,}000) = -5{,}000")  # ∂L/∂ŷ
    assert f[4] == r"\frac{\partial \hat{y}}{\partial w_1} = x_1 = 1{,}000"
    assert f[5] == r"\frac{\partial \hat{y}}{\partial b} = 1"
    assert f[6].endswith(r"= -5{,}000\cdot 1{,}000 = -5{,}000{,}000")  # ∂L/∂w₁ = −(y − ŷ)x₁
    assert f[7].endswith(r"\cdot 1 = -5{,}000")  # ∂L/∂b = −(y − ŷ)
    assert f[8].endswith(r"\left(12{,}500{,}000 + 0 + 12{,}500{,}000\right) = 8{,}333{,}333.33")
    # the batch mean: ∂J/∂w₁ = −(5,000·1,000 + 0 + 5,000·3,000)/3, ∂J/∂b = −10,000/3
    assert f[9].endswith(r"-5{,}000{,}000 + 0 - 15{,}000{,}000\right) = -6{,}666{,}667")
    assert f[10].endswith(r"\left(-5{,}000 + 0 - 5{,}000\right) = -3{,}333")
    # the update: w₁ ← 15 − 2.1e−7 · (−6,666,667) = 16.4, b ← 0 − 2.1e−7 · (−3,333) = 0.0007
    assert f[11].endswith(r"= 15 - 2.10\times 10^{-7}\cdot (-6{,}666{,}667) = 16.4")
    # (−3,333 would give 0.0006999: the slope is written with the digit the result needs)
    assert f[12].endswith(r"= 0 - 2.10\times 10^{-7}\cdot (-3{,}333.3) = 0.0007")
    assert record.params_next == pytest.approx([15 + 2.1e-7 * 20e6 / 3, 2.1e-7 * 10_000 / 3])


def test_the_partials_come_in_the_slides_order():
    p = prepared(False, "house2")
    record = first_step(p, [10.0, 500.0, 0.0], 1e-7)
    f = formulas(rd.partials(record, p, 1))
    order = [
        r"\hat{y} = w_1x_1 + w_2x_2 + b",
        r"L = \frac{1}{2}",
        r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat{y}}",
        r"\frac{\partial L}{\partial \hat{y}} = ",
        r"\frac{\partial \hat{y}}{\partial w_1} = x_1",
        r"\frac{\partial \hat{y}}{\partial w_2} = x_2",
        r"\frac{\partial \hat{y}}{\partial b} = 1",
        r"\frac{\partial L}{\partial w_1} = -(y-\hat{y})\,x_1",
        r"\frac{\partial L}{\partial w_2} = -(y-\hat{y})\,x_2",
        r"\frac{\partial L}{\partial b} = -(y-\hat{y})",
        r"J = \frac{1}{m}\sum",
        r"\frac{\partial J}{\partial w_1}",
        r"\frac{\partial J}{\partial w_2}",
        r"\frac{\partial J}{\partial b}",
        r"w_1 \leftarrow w_1 - \alpha\frac{\partial J}{\partial w_1}",
        r"w_2 \leftarrow",
        r"b \leftarrow",
    ]
    assert len(f) == len(order)
    for formula, start in zip(f, order, strict=True):
        assert formula.startswith(start)


@pytest.mark.parametrize(
    ("source", "normalize"),
    [("house1", False), ("house1", True), ("house2", False), ("plane", True)],
)
def test_every_partial_is_a_finite_difference(source, normalize):
    p = prepared(normalize, source)
    model, X, y = p.model, p.X, p.y
    params = np.linspace(0.4, -0.3, model.n_params) * (1 if normalize else 10)
    record = first_step(p, params, 1e-8 if not normalize else 0.1)
    n = model.n_inputs
    for i in range(len(y)):
        f = formulas(rd.partials(record, p, i))
        for j in range(n + 1):
            slope = finite_difference(lambda q, i=i: model.losses(q, X, y)[i], params, j)
            shown = last_number(f[4 + n + 1 + j])
            assert shown == pytest.approx(slope, rel=6e-4, abs=1e-3 if normalize else 1)
        dyhat = finite_difference(lambda q, i=i: model.forward(q, X).yhat[i], params, 0)
        assert dyhat == pytest.approx(X[i, 0], rel=1e-6)  # ∂ŷ/∂w₁ = x₁
        # (x₁ with the digits the products need to give the results as written)
        assert last_number(f[4]) == pytest.approx(X[i, 0], rel=5e-4)
    for j in range(n + 1):
        slope = finite_difference(lambda q: model.cost(q, X, y), params, j)
        assert record.gradients[j] == pytest.approx(slope, rel=1e-5, abs=1e-7)
        shown = last_number(f[4 + 2 * (n + 1) + 1 + j])
        assert shown == pytest.approx(slope, rel=6e-4, abs=1e-3 if normalize else 1)
    assert (rd.partials(record, p, 0).note == rd.NORMALISED_NOTE) is normalize


def test_one_example_at_a_time_the_update_uses_its_own_slopes():
    p = prepared(False)
    record = first_step(p, lesson.MSE_PARAMS, 1e-7, batch="single", k=1)  # house 2's turn
    d = rd.partials(record, p, record.example)
    assert "house 2, the one this step uses" in d.lines[0].words
    assert any("One example at a time" in line.words for line in d.lines)
    f = formulas(d)
    assert not any(r"\partial J}{\partial w_1} = \frac{1}{m}" in x for x in f)
    assert f[-2].startswith(r"w_1 \leftarrow w_1 - \alpha\frac{\partial L}{\partial w_1}")


# -- raw units: a stable α -------------------------------------------------------------------


def test_the_stable_rate_of_the_slides_houses():
    advice = lesson.rate_advice(HOUSES.X)
    assert advice.hessian == pytest.approx(np.array([[14e6 / 3, 2000], [2000, 1]]))
    assert advice.eigenvalues == pytest.approx(sorted(np.linalg.eigvalsh(advice.hessian))[::-1])
    assert advice.eigenvalues[0] > advice.eigenvalues[1]  # λ1 ≥ λ2, as the slides number them
    assert advice.limit == pytest.approx(2 / 4_666_667.52, rel=1e-6)  # 4.2857e−7
    assert advice.rate == 2.1e-7 and advice.rate < advice.limit
    assert advice.condition == pytest.approx(3.2667e7, rel=1e-3)
    single = lesson.rate_advice(HOUSES.X, "single")
    assert single.limit == pytest.approx(2 / (3000**2 + 1)) and single.rate == 1.1e-7
    normalised = lesson.rate_advice(prepared(True).X)  # z-scores: H = I
    assert normalised.hessian == pytest.approx(np.eye(2), abs=1e-12)
    assert normalised.limit == pytest.approx(2.0) and normalised.condition == pytest.approx(1.0)


@pytest.mark.parametrize("batch", ["full", "single"])
def test_the_advised_rate_converges_on_raw_units_and_twice_the_limit_diverges(batch):
    p = prepared(False)
    advice = lesson.rate_advice(p.X, batch)
    run = train(p.model, p.X, p.y, np.array(lesson.MSE_PARAMS), TrainSettings(advice.rate, batch))
    costs = [next(run).cost for _ in range(300)]
    assert costs[-1] < costs[0] and all(np.isfinite(costs))
    if batch == "full":
        assert all(b <= a for a, b in zip(costs, costs[1:], strict=False))
    fast = train(p.model, p.X, p.y, np.array(lesson.MSE_PARAMS), TrainSettings(2 * advice.limit))
    steps = list(fast)
    assert fast.outcome.status == "diverged" and len(steps) < 300


def test_the_rate_derivation_says_why_raw_units_need_a_tiny_rate():
    p = prepared(False)
    record = first_step(p, lesson.MSE_PARAMS, 2.1e-7)
    d = rd.stable_rate(record, p)
    assert d.title == rd.RATE_TITLE == "Why raw units need a tiny α"
    f = formulas(d)
    assert f[1] == r"\lambda_1 = 4{,}666{,}668,\quad \lambda_2 = 0.1429"
    assert f[2] == r"0 < \alpha < \frac{2}{\lambda_1} = 4.29\times 10^{-7}"
    assert "converges" in d.lines[3].words and f[4].endswith(r"= 32{,}666{,}679")
    too_big = first_step(p, lesson.MSE_PARAMS, 5e-7)
    assert "diverges" in rd.stable_rate(too_big, p).lines[3].words


def test_switching_units_scales_alpha_and_keeps_a_typed_line():
    normalised = RegressionLesson(init="typed", params0=(0.9820, -0.2673))
    raw = lesson.switch_units(normalised, normalised.replace(normalize=False), HOUSES)
    assert raw.learning_rate == 2.1e-7
    # the same line in the other units: its predictions do not change
    x_norm, y_norm = datasets.Normalizer.fit(HOUSES.X), datasets.Normalizer.fit(HOUSES.y)
    assert raw.params0 == pytest.approx(
        datasets.raw_regression_params(normalised.params0, x_norm, y_norm)
    )
    back = lesson.switch_units(raw, raw.replace(normalize=True), HOUSES)
    assert back.learning_rate == 0.1 and back.params0 == pytest.approx(normalised.params0)
    # a small α already stable stays; settings that keep their units are left alone
    slow = RegressionLesson(learning_rate=1e-8)
    assert lesson.switch_units(slow, slow.replace(normalize=False), HOUSES).learning_rate == 1e-8
    assert lesson.switch_units(raw, raw, HOUSES) is raw
    assert lesson.switch_units(None, raw, HOUSES) is raw
    # other data while raw: α again below their limit
    line = lesson.dataset(RegressionLesson(source="line"))
    fast = RegressionLesson(normalize=False, learning_rate=5.0)
    moved = lesson.switch_units(fast, fast.replace(source="line"), line)
    assert moved.learning_rate == lesson.rate_advice(line.X).rate


def test_the_preset_and_the_units_note():
    preset = lesson.mse_preset(RegressionLesson(source="line", learning_rate=0.5))
    assert (preset.source, preset.normalize, preset.init) == ("house1", False, "typed")
    assert preset.params0 == (15.0, 0.0) and preset.learning_rate == 2.1e-7
    assert RegressionLesson.from_json(preset.to_json()) == preset  # a session keeps it
    note = lesson.units_note(preset, HOUSES)
    assert note.startswith("Raw units ($, ft²) as on the slides.")
    assert "α < 2/λ1 = 4.3e−07" in note and "α = 2.1e−07 converges" in note
    assert "diverges: use α = 2.1e−07" in lesson.units_note(
        preset.replace(learning_rate=1e-6), HOUSES
    )
    assert "one example at a time" in lesson.units_note(preset.replace(batch="single"), HOUSES)
    assert lesson.units_note(RegressionLesson(), HOUSES) == lesson.NORMALISE_REASON
    # α down to 1e-12 for raw units (the other tabs keep 1e-6)
    assert RegressionLesson(learning_rate=1e-9).learning_rate == 1e-9
