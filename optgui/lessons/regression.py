"""The Regression lesson (curriculum §1): a perceptron fits house prices.

Settings (data source, noise, data seed, normalisation on top of gradient
descent's), the data they make, and every text the tab shows: the guide, why
to normalise, the data's own units, and the math of a step with its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from optgui.core import datasets
from optgui.core.datasets import Dataset, Normalizer
from optgui.core.format import fmt
from optgui.core.models import LinearRegression
from optgui.core.stability import rate_bound, regression_hessian
from optgui.core.stepping import Outcome
from optgui.core.training import TrainStep
from optgui.lessons.arithmetic import Line, written
from optgui.lessons.settings import SettingsError, spec
from optgui.lessons.training import TrainingLesson, training_caption, update_lines

#: α for normalised data (the tab's default), and below it the smallest α that still makes
#: progress there: switching normalisation on with a raw-units α restores the default.
DEFAULT_RATE = 0.1
NORMALISED_FLOOR = 1e-6
#: The slides' MSE table: w = 15 $/ft², b = 0 on the slides' three houses.
MSE_PARAMS = (15.0, 0.0)

GUIDE = (
    "A perceptron predicts a house's price as ŷ = w·x + b. Each step of gradient descent "
    "nudges w and b against the gradient of the cost, the mean of ½(y − ŷ)². Watch the line "
    "settle through the points and the path slide down the cost surface. Try a learning rate "
    "above the mark 2/λ_max under the α box (the box turns red, the cost explodes), switch "
    "normalisation off, or click a house to see "
    "its own numbers in the math panel. The preset “the slides' MSE table” starts from the "
    "slides' w = 15, b = 0 in dollars and ft²; the Derivation page works it through."
)
#: The guide for other data with one input (its names filled in).
GUIDE_ONE_INPUT = (
    "A perceptron predicts {y} from {x} as ŷ = w·x + b. Each step of gradient descent "
    "nudges w and b against the gradient of the cost, the mean of ½(y − ŷ)². Watch the line "
    "settle through the points and the path slide down the cost surface J(w, b). Try a "
    "learning rate above the mark 2/λ_max under the α box (the box turns red, the cost "
    "explodes), switch normalisation off, or click "
    "a point to see its own numbers in the math panel."
)
#: The guide with two inputs: three parameters, so the cost is seen as a slice.
GUIDE_TWO_INPUTS = (
    "With two inputs the perceptron predicts ŷ = w₁·x₁ + w₂·x₂ + b, and each step of "
    "gradient descent nudges w₁, w₂ and b against the gradient of the cost, the mean of "
    "½(y − ŷ)². The top plot shows each prediction against its true value: the points "
    "settle onto the diagonal. J has three parameters, too many to draw, so the plot below "
    "it is a slice: J(w₁, w₂) with b held at its current value, and the path of (w₁, w₂). "
    "Try a learning rate above the mark 2/λ_max under the α box (the box turns red, the cost "
    "explodes), switch normalisation off, "
    "or click a point to see its own numbers in the math panel."
)

#: Why normalise, for the slides' houses.
NORMALISE_REASON = (
    "Sizes near 1000–3000 make the gradient for w thousands of times larger than for b, "
    "so any rate that moves b makes w explode. (x − mean)/std puts both on the same scale."
)
#: Why normalise, for the slides' houses with their rooms.
NORMALISE_SIZE_ROOMS = (
    "Sizes near 1000–3000 make the gradient for w1 thousands of times larger than for b, "
    "so any rate that moves b makes w1 explode. (x − mean)/std puts every input on the "
    "same scale."
)
#: Why normalise, where the inputs are already near 1 in size.
NORMALISE_SMALL = (
    "These inputs are already of order 1 ({ranges}), so normalising changes little here. "
    "It matters where an input is large, such as the slides' house sizes of 1000–3000: "
    "(x − mean)/std puts every input on the same scale."
)
#: How large an input may be (its root mean square) before the note says it is large.
LARGE_INPUT = 10.0

SOURCES = (
    ("house1", "House prices: size → price (slides)"),
    ("house2", "House prices: size and rooms → price (slides)"),
    ("line", "Noisy line (generated)"),
    ("plane", "Noisy plane (generated)"),
)
#: Sources drawn from noise and a seed (the others ignore both).
GENERATED = ("line", "plane")
#: The slides' tables: choosing one switches normalisation on.
SLIDES = ("house1", "house2")
#: A loaded CSV file (its table is kept by the tab and saved in sessions).
CSV = "csv"
#: How many inputs each built-in source has (a CSV file's are known once it is loaded).
SOURCE_INPUTS = {"house1": 1, "house2": 2, "line": 1, "plane": 2}


@dataclass(frozen=True)
class RegressionLesson(TrainingLesson):
    """Gradient descent's settings and the data: source, noise, data seed, normalisation."""

    # raw ft² need α near 1e-7 (see rate_advice), below the other tabs' 1e-6
    learning_rate: float = spec(DEFAULT_RATE, low=1e-12, high=100.0, label="the learning rate α")
    source: str = spec("house1", choices=(*(k for k, _ in SOURCES), CSV), label="the data source")
    noise: float = spec(0.5, low=0.0, high=5.0, label="the noise")
    data_seed: int = spec(0, low=0, high=999_999, label="the data seed")
    normalize: bool = spec(True, label="normalise")

    def choose_source(self, source: str) -> RegressionLesson:
        """The settings after a student picks ``source``: the slides' houses are normalised."""
        return self.replace(source=source, normalize=self.normalize or source in SLIDES)

    def with_data_of(self, other: RegressionLesson) -> RegressionLesson:
        """These settings with ``other``'s data settings (the data in use stays)."""
        return self.replace(
            source=other.source,
            noise=other.noise,
            data_seed=other.data_seed,
            normalize=other.normalize,
        )

    @property
    def generated(self) -> bool:
        return self.source in GENERATED


def dataset(settings: RegressionLesson, csv: Dataset | None = None) -> Dataset | None:
    """The data ``settings`` name (``csv`` for a loaded file; None if there is none)."""
    source = settings.source
    if source in SLIDES:
        return datasets.house_prices(1 if source == "house1" else 2)
    if source == "line":
        return datasets.noisy_line(30, settings.noise, settings.data_seed)
    if source == "plane":
        return datasets.noisy_plane(40, settings.noise, settings.data_seed)
    return csv


@dataclass(frozen=True, eq=False)
class Prepared:
    """Data ready to train on: the model, X and y as the run sees them, and the scalers
    (None with normalisation off)."""

    data: Dataset
    model: LinearRegression
    X: np.ndarray
    y: np.ndarray
    x_norm: Normalizer | None
    y_norm: Normalizer | None

    def raw_params(self, params: np.ndarray) -> np.ndarray:
        """Parameters in the data's own units."""
        if self.x_norm is None:
            return np.asarray(params, dtype=float)
        return datasets.raw_regression_params(params, self.x_norm, self.y_norm)

    def raw_predictions(self, yhat: np.ndarray) -> np.ndarray:
        yhat = np.asarray(yhat)
        return self.y_norm.inverse_transform(yhat) if self.y_norm is not None else yhat


def prepare(settings: RegressionLesson, data: Dataset) -> Prepared:
    """Normalise ``data`` if the settings say so (DataError if a column is constant)."""
    if settings.normalize:
        x_norm = Normalizer.fit(data.X, data.feature_names)
        y_norm = Normalizer.fit(data.y, data.target_name)
        X, y = x_norm.transform(data.X), y_norm.transform(data.y)
    else:
        x_norm = y_norm = None
        X, y = data.X, data.y
    return Prepared(data, LinearRegression(data.n_inputs), X, y, x_norm, y_norm)


# -- raw units: a stable α -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RateAdvice:
    """How large α may be on inputs X: J is a quadratic bowl with Hessian H = AᵀA/m
    (A = [X 1]); full-batch gradient descent converges only for α < 2/λ1 (its largest
    eigenvalue), one example at a time for α < 2/max‖aᵢ‖² (each step's own H is aᵢaᵢᵀ)."""

    hessian: np.ndarray
    eigenvalues: tuple[float, ...]  # largest first, as the slides number them
    limit: float  # α must stay below this
    rate: float  # the advised α: half the limit, rounded down to 2 significant digits
    batch: str

    @property
    def condition(self) -> float:
        """λ1/λn: how much steeper the bowl is across than along (inf if flat)."""
        low = self.eigenvalues[-1]
        return self.eigenvalues[0] / low if low > 0 else float("inf")


def _round_down(value: float, digits: int = 2) -> float:
    scale = 10.0 ** (np.floor(np.log10(value)) - digits + 1)
    return float(f"{np.floor(value / scale) * scale:.{digits}g}")


def rate_advice(X: np.ndarray, batch: str = "full") -> RateAdvice:
    """The stable range of α for inputs ``X`` (as trained on) and ``batch`` mode."""
    X = np.asarray(X, dtype=float)
    A = np.column_stack([X, np.ones(len(X))])
    hessian = regression_hessian(X)
    eigenvalues = rate_bound(hessian).eigenvalues
    worst = float(np.max(np.sum(A * A, axis=1))) if batch == "single" else eigenvalues[0]
    limit = 2.0 / worst
    return RateAdvice(hessian, eigenvalues, limit, _round_down(limit / 2), batch)


def switch_units(
    before: RegressionLesson | None, after: RegressionLesson, data: Dataset | None
) -> RegressionLesson:
    """``after`` with α fit for its units when normalisation or the data changed (raw: α
    below 2/λ1 of ``data``; normalised: a raw-units α goes back to 0.1), and a typed
    start moved to the other units (the same line) when only normalisation switched."""
    if before is None or data is None:
        return after
    switched = before.normalize != after.normalize
    if not switched and before.source == after.source:
        return after
    changes: dict[str, Any] = {}
    if not after.normalize:
        advice = rate_advice(data.X, after.batch)
        if after.learning_rate >= advice.limit:
            changes["learning_rate"] = advice.rate
    elif after.learning_rate < NORMALISED_FLOOR:
        changes["learning_rate"] = DEFAULT_RATE
    typed = after.init == "typed" and len(after.params0) == data.n_inputs + 1
    if switched and typed and after.source == before.source:
        try:
            x_norm = Normalizer.fit(data.X, data.feature_names)
            y_norm = Normalizer.fit(data.y, data.target_name)
        except datasets.DataError:
            return after.replace(**changes)
        convert = (
            datasets.normalized_regression_params
            if after.normalize
            else datasets.raw_regression_params
        )
        changes["params0"] = tuple(float(v) for v in convert(after.params0, x_norm, y_norm))
    return after.replace(**changes)


def mse_preset(settings: RegressionLesson) -> RegressionLesson:
    """The slides' MSE table: their houses in dollars and ft², w = 15, b = 0, a stable α."""
    data = datasets.house_prices(1)
    return settings.replace(
        source="house1",
        normalize=False,
        init="typed",
        params0=MSE_PARAMS,
        learning_rate=rate_advice(data.X, settings.batch).rate,
    )


def is_houses(data: Dataset | None) -> bool:
    """Whether ``data`` are the slides' houses (sizes in ft²)."""
    return data is not None and (data.feature_names[0], (data.units or ("",))[0]) == (
        "size",
        "ft²",
    )


def guide(data: Dataset | None) -> str:
    """The tab's guide for ``data``: one input, the line and J(w, b) (the houses' guide
    names them); two inputs, the predictions and the slice of J."""
    if data is not None and data.n_inputs == 2:
        return GUIDE_TWO_INPUTS
    if data is None or is_houses(data):
        return GUIDE
    return GUIDE_ONE_INPUT.format(x=data.feature_names[0], y=data.target_name)


def _span(values: np.ndarray) -> str:
    return f"{fmt(float(values.min()), 3)} to {fmt(float(values.max()), 3)}"


def normalise_reason(data: Dataset | None) -> str:
    """Why normalise, in terms of ``data``'s own inputs (the slides' houses: their sizes)."""
    if data is None or is_houses(data):
        return NORMALISE_REASON if data is None or data.n_inputs == 1 else NORMALISE_SIZE_ROOMS
    X = np.asarray(data.X, dtype=float)
    rms = np.sqrt(np.mean(X * X, axis=0))
    j = int(np.argmax(rms))
    if rms[j] < LARGE_INPUT:
        ranges = ", ".join(
            f"{name} from {_span(X[:, k])}" for k, name in enumerate(data.feature_names)
        )
        return NORMALISE_SMALL.format(ranges=ranges)
    w = "w" if data.n_inputs == 1 else f"w{j + 1}"
    return (
        f"Values of {data.feature_names[j]} from {_span(X[:, j])} make the gradient for {w} "
        f"about {fmt(float(rms[j]), 2)} times larger than for b, so any rate that moves b "
        f"makes {w} explode. (x − mean)/std puts "
        + ("both" if data.n_inputs == 1 else "every parameter")
        + " on the same scale."
    )


def units_note(settings: RegressionLesson, data: Dataset | None) -> str:
    """What the data box says under Normalise: why normalise, or (raw) the stable α."""
    if settings.normalize or data is None:
        return normalise_reason(data)
    advice = rate_advice(data.X, settings.batch)
    units = [u for u in (data.target_unit, *(data.units or ())) if u]
    where = f"Raw units ({', '.join(units)}) as on the slides." if units else "Raw units."
    if settings.batch == "single":
        bound = f"2/max(‖x‖² + 1) = {fmt(advice.limit, 3)} one example at a time"
    else:
        bound = (
            f"2/λ1 = {fmt(advice.limit, 3)}, where λ1 = {fmt(advice.eigenvalues[0], 3)} is the "
            "largest eigenvalue of J's Hessian in the parameters"
        )
    rate = settings.learning_rate
    verdict = "converges" if rate < advice.limit else "diverges: use α = " + fmt(advice.rate, 2)
    return (
        f"{where} Gradient descent is stable only for α < {bound}. "
        f"Here α = {fmt(rate, 3)} {verdict}. J curves {fmt(advice.condition, 2)} times more "
        "sharply across its valley than along it, so b crawls: that is why the course "
        "normalises."
    )


# -- a loaded CSV table in a session -------------------------------------------------------


def csv_to_json(data: Dataset) -> dict[str, Any]:
    """The session's CSV block: {name, inputs, target, X, y}."""
    return {
        "name": data.name,
        "inputs": list(data.feature_names),
        "target": data.target_name,
        "X": data.X.tolist(),
        "y": data.y.tolist(),
    }


def _numbers(values: Any, what: str) -> list[float]:
    if not isinstance(values, list) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v) for v in values
    ):
        raise SettingsError(f"the saved CSV data's {what} should hold numbers only", "csv")
    return [float(v) for v in values]


def csv_from_json(block: Any) -> Dataset:
    """The table of a session's CSV block; :class:`SettingsError` (in words) if damaged."""
    if not isinstance(block, dict):
        raise SettingsError("the saved CSV data is missing or damaged", "csv")
    inputs, target = block.get("inputs"), block.get("target")
    if not isinstance(inputs, list) or not isinstance(target, str):
        raise SettingsError("the saved CSV data has no column names", "csv")
    rows = block.get("X")
    if not isinstance(rows, list):
        raise SettingsError("the saved CSV data has no inputs", "csv")
    X = [_numbers(row, "inputs") for row in rows]
    if any(len(row) != len(inputs) for row in X):
        raise SettingsError(f"the saved CSV data's rows should hold {len(inputs)} inputs", "csv")
    y = _numbers(block.get("y"), "targets")
    try:
        data = Dataset(
            np.array(X).reshape(len(X), len(inputs)),
            np.array(y),
            tuple(str(n) for n in inputs),
            target,
            name=str(block.get("name", "CSV")),
        )
    except ValueError as error:
        raise SettingsError(f"the saved CSV data is damaged: {error}", "csv") from None
    if data.m < 2 or data.n_inputs not in (1, 2):
        raise SettingsError("the saved CSV data is too small to learn from", "csv")
    for name, column in zip((*data.feature_names, target), (*data.X.T, data.y), strict=True):
        if np.all(column == column[0]):
            raise SettingsError(
                f"the saved CSV data's column {name!r} has the same value in every row", "csv"
            )
    return data


# -- texts ---------------------------------------------------------------------------------


def loaded_status(prepared: Prepared) -> str:
    data = prepared.data
    scale = "normalised" if prepared.x_norm is not None else "raw values"
    return f"{data.name or 'Data'}: {data.m} examples, {scale}. Press Space to play."


def data_error(text: str) -> str:
    """What the data panel says when data cannot be used."""
    return f"Could not use this data: {text}. The previous data stays."


def is_word(unit: str | None) -> bool:
    """Whether ``unit`` is a word ("rooms"), not a symbol ("ft²", "$")."""
    return bool(unit) and unit.isalpha()


def singular(unit: str) -> str:
    """One of ``unit``: "rooms" → "room", "ft²" stays."""
    if is_word(unit) and unit.endswith("s") and not unit.endswith("ss") and len(unit) > 2:
        return unit[:-1]
    return unit


def money(value: float, unit: str | None) -> str:
    """A value in the data's own unit: $20,000, −$1,250, 1,000 ft², 2 rooms or 1 room."""
    sign = "−" if value < 0 else ""
    if unit == "$":
        return f"{sign}${abs(value):,.0f}" if abs(value) >= 100 else f"{sign}${abs(value):,.2f}"
    text = sign + (f"{abs(value):,.4g}" if abs(value) < 1e4 else f"{abs(value):,.0f}")
    if unit and value == 1:
        unit = singular(unit)
    return f"{text} {unit}" if unit else text


def per(unit: str) -> str:
    """ "per room" for a word, "/ft²" for a symbol (what follows an amount)."""
    return f" per {singular(unit)}" if is_word(unit) else f"/{unit}"


def units_texts(raw: np.ndarray, data: Dataset) -> list[str]:
    """The parameter table's units column: w in target per input unit ($14.31/ft²,
    $26.5 per room), b in the target's unit ($2,000)."""
    target = data.target_unit
    texts = []
    for i, unit in enumerate(data.units or (None,) * data.n_inputs):
        value = fmt(raw[i], 4)
        if unit and target == "$":
            amount = f"−${value[1:]}" if value.startswith("−") else f"${value}"
            texts.append(amount + per(unit))
        elif unit:
            texts.append(f"{value} {target}{per(unit)}" if target else f"{value}{per(unit)}")
        else:
            texts.append(value)
    texts.append(money(raw[-1], target))
    return texts


def quantity(name: str, value: float, unit: str | None) -> str:
    """An input or target in its own unit: "size = 1,000 ft²", but "2 rooms" (not
    "rooms = 2 rooms") where the unit is the name."""
    if is_word(unit) and singular(unit) == singular(name):
        return money(value, unit)
    return f"{name} = {money(value, unit)}"


def formulas(n_inputs: int) -> list[str]:
    """The math panel's formulas (LaTeX): model, loss, chain rule, update."""
    n = n_inputs
    model = r"\hat{y} = w_1 x_1 + b" if n == 1 else r"\hat{y} = w_1 x_1 + w_2 x_2 + b"
    rules = [
        r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat{y}}"
        r"\frac{\partial \hat{y}}{\partial w_1} = -(y-\hat{y})\,x_1",
    ]
    if n == 2:
        rules.append(r"\frac{\partial L}{\partial w_2} = -(y-\hat{y})\,x_2")
    rules.append(r"\frac{\partial L}{\partial b} = -(y-\hat{y})")
    names = ["w_1", "w_2", "b"] if n == 2 else ["w_1", "b"]
    # every parameter's update, one a line (a line breaks badly inside an assignment)
    updates = [rf"{p} \leftarrow {p} - \alpha\,\frac{{\partial J}}{{\partial {p}}}" for p in names]
    return [
        model,
        r"L(y,\hat{y}) = \frac{1}{2}(y-\hat{y})^2,\quad J = \frac{1}{m}\sum_i L_i",
        *rules,
        *updates,
    ]


@dataclass(frozen=True)
class ExampleMath:
    """One example's chain rule at a step: ∂L/∂p = ∂L/∂ŷ · ∂ŷ/∂p for p = w1, (w2,) b."""

    index: int
    x: tuple[float, ...]
    y: float
    yhat: float
    residual: float  # y − ŷ
    dL_dyhat: float  # −(y − ŷ)
    dyhat_dparams: tuple[float, ...]  # x1, (x2,) 1
    dL_dparams: tuple[float, ...]  # −(y − ŷ)·x1, (−(y − ŷ)·x2,) −(y − ŷ)


def example_math(record: TrainStep, model: LinearRegression, X, y, i: int) -> ExampleMath:
    """The chain rule for example ``i`` at ``record``'s parameters (X, y as trained on)."""
    back = model.backward(record.params, X, y)
    x = tuple(float(v) for v in np.asarray(X)[i])
    return ExampleMath(
        index=i,
        x=x,
        y=float(y[i]),
        yhat=float(record.forward.yhat[i]),
        residual=float(back.residual[i]),
        dL_dyhat=float(back.dL_dyhat[i]),
        dyhat_dparams=(*x, 1.0),
        dL_dparams=tuple(float(v) for v in back.per_example_gradients[i]),
    )


def step_lines(record: TrainStep, prepared: Prepared, i: int) -> list[str]:
    """The math panel's lines (HTML) for example ``i`` at ``record``. Each number has the
    digits it takes for the shown terms to give the shown results."""
    data, model = prepared.data, prepared.model
    e = example_math(record, model, prepared.X, prepared.y, i)
    units = data.units or (None,) * data.n_inputs
    values = zip(data.feature_names, data.X[i], units, strict=False)
    own = ", ".join(quantity(n, v, u) for n, v, u in values)
    own += f", {quantity(data.target_name, data.y[i], data.target_unit)}"
    n = len(e.x)
    # the numbers: x1 … xn, y, ŷ, y − ŷ, then ∂L/∂w1 … ∂L/∂wn, ∂L/∂b
    numbers = [*e.x, e.y, e.yhat, e.residual, *e.dL_dparams]
    iy, ir, ig = n, n + 2, n + 3
    arithmetic = [Line((iy, iy + 1), lambda y, yhat: y - yhat, ir)]
    arithmetic += [
        Line((iy, iy + 1, j), lambda y, yhat, x: -(y - yhat) * x, ig + j) for j in range(n)
    ]
    arithmetic.append(Line((iy, iy + 1), lambda y, yhat: -(y - yhat), ig + n))
    texts = written(numbers, arithmetic)
    yi, yhat = texts[iy], texts[iy + 1]
    lines = [
        f"<b>Example {i + 1}</b> ({own})"
        + (" — normalised:" if prepared.x_norm is not None else ":"),
        "&nbsp;&nbsp;"
        + ", ".join(f"x<sub>{j + 1}</sub> = {texts[j]}" for j in range(n))
        + f", y = {yi}, ŷ = {yhat}, y − ŷ = {texts[ir]}",
    ]
    for j, name in enumerate(model.names[:-1]):
        lines.append(
            f"&nbsp;&nbsp;∂L/∂{name} = −({yi} − {yhat}) × {texts[j]} = <b>{texts[ig + j]}</b>"
        )
    lines.append(f"&nbsp;&nbsp;∂L/∂b = −({yi} − {yhat}) = <b>{texts[ig + n]}</b>")
    lines += update_lines(record, model.names)
    lines.append(f"Cost J = {fmt(record.cost, 5)}")
    return lines


def surface_ranges(
    best: np.ndarray, params0: np.ndarray, normalised: bool
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The (w, b) window of the cost surface: the minimum, the start and some margin."""
    span = np.abs(np.asarray(params0) - best) * 1.3
    span = np.maximum(span, np.abs(best) * 0.6 + 1e-9)
    span = np.maximum(span, [1.0 if normalised else abs(best[0]) + 1e-9, 1.0])
    return (best[0] - span[0], best[0] + span[0]), (best[1] - span[1], best[1] + span[1])


# -- two inputs: J(w1, w2) at the current b (a slice of the three-parameter bowl) --------------


@dataclass(frozen=True, eq=False)
class CostSlice:
    """J(w1, w2) with b held, for a two-input regression.

    J is a quadratic bowl in (w1, w2, b): J(θ) = J(θ*) + ½ (θ − θ*)ᵀ H (θ − θ*), with θ*
    the least-squares parameters and H = AᵀA/m (A = [X 1]). Exact, so a slice at any b
    costs a 3×3 product per grid point, however many examples there are.
    """

    best: np.ndarray  # θ* = (w1*, w2*, b*)
    hessian: np.ndarray  # H (3×3)
    floor: float  # J(θ*)
    ranges: tuple[tuple[float, float], tuple[float, float]]  # (w1, w2) window

    def cost(self, params: np.ndarray) -> np.ndarray:
        """J at rows of (w1, w2, b)."""
        d = np.atleast_2d(np.asarray(params, dtype=float)) - self.best
        return self.floor + 0.5 * np.einsum("ij,jk,ik->i", d, self.hessian, d)

    def grid(self, b: float, size: int = 90) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(w1 values, w2 values, J) over the window at this ``b``; J's rows follow w2."""
        u = np.linspace(*self.ranges[0], size)
        v = np.linspace(*self.ranges[1], size)
        U, V = np.meshgrid(u, v)
        rows = np.column_stack([U.ravel(), V.ravel(), np.full(U.size, float(b))])
        return u, v, self.cost(rows).reshape(size, size)

    @property
    def scale(self) -> float:
        """The size of b's values here (round-off below a billionth of it is 0)."""
        (u0, u1), (v0, v1) = self.ranges
        return max(1.0, abs(float(self.best[2])), u1 - u0, v1 - v0)

    def title(self, b: float) -> str:
        return slice_title(b, self.scale)

    def centre(self, b: float) -> np.ndarray:
        """Where J(w1, w2) is least at this ``b`` (the bottom of the slice)."""
        H = self.hessian
        shift = np.linalg.solve(H[:2, :2], H[:2, 2]) * (float(b) - self.best[2])
        return self.best[:2] - shift


def cost_slice(prepared: Prepared, params0: np.ndarray) -> CostSlice | None:
    """The slice for a two-input run on ``prepared`` from ``params0`` (None otherwise)."""
    X = np.asarray(prepared.X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2 or not len(X):
        return None
    y = np.asarray(prepared.y, dtype=float)
    A = np.column_stack([X, np.ones(len(X))])
    best, *_ = np.linalg.lstsq(A, y, rcond=None)
    floor = float(np.mean((y - A @ best) ** 2) / 2)
    hessian = A.T @ A / len(X)
    return CostSlice(best, hessian, floor, slice_ranges(best, hessian, params0, prepared))


def slice_ranges(
    best: np.ndarray, hessian: np.ndarray, params0: np.ndarray, prepared: Prepared
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The (w1, w2) window: wide enough for every path of stable gradient descent from
    ``params0``. Along each eigenvector of H a step multiplies the start's offset by
    1 − αλ, at most 1 in size, so the path stays in the box its components span about
    the minimum (mirrored: a large α overshoots to the other side)."""
    start = np.asarray(params0, dtype=float)
    _, vectors = np.linalg.eigh(hessian)
    reach = np.abs(vectors[:2]) @ np.abs(vectors.T @ (start - best))
    least = surface_ranges(best[:2], start[:2], prepared.x_norm is not None)
    half = np.maximum(reach * 1.15, [(hi - lo) / 2 for lo, hi in least])
    return (best[0] - half[0], best[0] + half[0]), (best[1] - half[1], best[1] + half[1])


def slice_title(b: float, scale: float = 1.0) -> str:
    """The slice's title: "J(w₁, w₂) at b = 0.12 (a slice)"; a b within round-off of 0
    (below 1e-9 of ``scale``, the size of the numbers involved) reads 0."""
    if abs(b) < 1e-9 * max(abs(scale), 1e-300):
        value = "0"
    else:
        value = fmt(b, 3) if abs(b) < 1000 else fmt(round(b), 12)
    return f"J(w₁, w₂) at b = {value} (a slice)"


def next_caption(
    settings: RegressionLesson, record: TrainStep | None, outcome: Outcome | None = None
) -> str:
    """What the next step does, for the presenter's caption (see :mod:`.captions`)."""
    n = len(record.params) - 1 if record is not None else SOURCE_INPUTS.get(settings.source)
    names = LinearRegression(n).names if n else None
    return training_caption(settings, record, outcome, names, "the mean squared error")
