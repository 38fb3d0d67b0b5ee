"""The 2-2-1 network's lesson (curriculum §3): its settings, its data and every text it shows.

:class:`NetworkLesson` holds what a student sets in the tab (the data, the
hidden layer, gradient descent and the points added by clicking);
:func:`chain_rule` writes the chain rule of one parameter with one example's
numbers, factor by factor, as the slides read it right to left::

    ∂L/∂w11 = ∂z1/∂w11 · ∂a1/∂z1 · ∂z/∂a1 · ∂ŷ/∂z · ∂L/∂ŷ = −x1·w1·a1(1−a1)·(y−ŷ)

The other builders give the forward pass node by node, the symmetry note, the
example and data summaries. Everything is plain strings (LaTeX or HTML) and
small structures; the numbers come from the core's ``Network.backward``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optgui.core import datasets
from optgui.core.datasets import Dataset
from optgui.core.format import fmt
from optgui.core.models import Backward, Network, network_names
from optgui.core.stepping import Outcome
from optgui.core.training import TrainStep
from optgui.lessons import captions
from optgui.lessons.arithmetic import Line, written
from optgui.lessons.notation import html_symbol, tex_symbol
from optgui.lessons.settings import SettingsError, spec
from optgui.lessons.training import INIT_CHOICES, TrainingLesson, next_example
from optgui.lessons.training import initial_params as training_params

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_words(n: int) -> str:
    """A count as a word up to nine ("two"), in digits from ten ("13")."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def guide(hidden: int) -> str:
    """The tab's guide for a 2-``hidden``-1 network: its units and its 4h + 1 parameters."""
    n = 4 * hidden + 1
    if hidden == 1:
        units = "one hidden unit a₁, which feeds"
    else:
        names = ", ".join(pretty(f"a{j}") for j in range(1, hidden + 1))
        if hidden > 3:
            names = f"{pretty('a1')} … {pretty(f'a{hidden}')}"
        units = f"{count_words(hidden)} hidden units {names}, which feed"
    if hidden == 1:
        tail = (
            "With one hidden unit the network draws one straight line, like the perceptron, "
            "so it cannot separate XOR: try two."
        )
    else:
        tail = (
            f"Then try the equal start (every parameter {fmt(EQUAL_START, 2)}): the hidden "
            "units start identical, twins, and stay identical however long they train."
        )
    return (
        f"x₁, x₂ feed {units} ŷ, the probability of class 1. Press → for one step and watch "
        f"all {count_words(n)} parameters move. Click an edge or a bias to see the chain rule "
        "that moves it, with one example's numbers; the coloured factors are shared with "
        f"other parameters, which is why backpropagation is cheap. {tail}"
    )


#: The equal start: every weight and bias this value, so the hidden units are twins.
EQUAL_START = 0.5
#: The starts a student can choose here: the course's, zeros, all equal, typed.
NETWORK_INIT_CHOICES = (
    *INIT_CHOICES[:2],
    ("equal", f"all equal ({EQUAL_START:g}): twin hidden units"),
    INIT_CHOICES[2],
)
DATA_CHOICES = (
    ("xor", "XOR-like four blobs (the assignment)"),
    ("aack", "Alien sentences: aack and beep (the slides)"),
    ("circles", "Circles"),
    ("moons", "Moons"),
)
ACTIVATION_CHOICES = (
    ("sigmoid", "sigmoid σ (the slides)"),
    ("tanh", "tanh"),
    ("relu", "ReLU"),
)
#: Each generated data set's usual noise (circles drown in the XOR's 0.3).
DEFAULT_NOISE = {"xor": 0.3, "circles": 0.1, "moons": 0.1}
ACTIVATION_TEXT = {"sigmoid": "σ({})", "tanh": "tanh({})", "relu": "max(0, {})"}
#: Ranges of the settings (the widgets take theirs from here).
POINTS_RANGE = (4, 2000)
NOISE_RANGE = (0.0, 1.0)
SEED_RANGE = (0, 999_999)
HIDDEN_RANGE = (1, 8)
#: The settings that describe the data; a change of any of them makes new data.
DATA_FIELDS = frozenset({"source", "points", "noise", "data_seed"})
#: The settings that describe the network; a change keeps the data, restarts the run.
MODEL_FIELDS = frozenset({"hidden", "activation"})
#: The network's own settings (the rest are gradient descent's), as a session saves them.
NETWORK_FIELDS = ("source", "points", "noise", "data_seed", "hidden", "activation", "added")

SYMMETRY_NOTE = (
    "<b>Symmetry:</b> the hidden units are identical — {units} have the same weights, the "
    "same bias and the same value for every input. They started equal, so every step gives "
    "them equal gradients and they stay equal: the network is no better than one hidden "
    "unit and cannot separate XOR. Choose the small random start to break the tie."
)
STUCK_NOTE = (
    " Here every gradient is exactly 0 (the two classes balance), so gradient descent does "
    "not move at all. Choose the equal start to watch twin units move."
)

Point = tuple[float, float, float]


@dataclass(frozen=True)
class NetworkLesson(TrainingLesson):
    """Gradient descent on a 2-h-1 network: its data, its hidden layer, the added points."""

    learning_rate: float = spec(5.0, low=1e-6, high=100.0, label="the learning rate α")
    init: str = spec(
        "course", choices=tuple(k for k, _ in NETWORK_INIT_CHOICES), label="the start"
    )
    source: str = spec("xor", choices=tuple(k for k, _ in DATA_CHOICES), label="the data set")
    points: int = spec(
        200, low=POINTS_RANGE[0], high=POINTS_RANGE[1], label="the number of points"
    )
    noise: float = spec(0.3, low=NOISE_RANGE[0], high=NOISE_RANGE[1], label="the noise")
    data_seed: int = spec(0, low=SEED_RANGE[0], high=SEED_RANGE[1], label="the data seed")
    hidden: int = spec(
        2, low=HIDDEN_RANGE[0], high=HIDDEN_RANGE[1], label="the number of hidden units"
    )
    activation: str = spec(
        "sigmoid", choices=tuple(k for k, _ in ACTIVATION_CHOICES), label="the activation"
    )
    #: Points added by clicking, as (x1, x2, class) with class 0 or 1.
    added: tuple[Point, ...] = spec((), label="the added points")

    def validate(self) -> None:
        if any(c not in (0.0, 1.0) for _, _, c in self.added):
            raise SettingsError("an added point's class should be 0 or 1", "added")

    @property
    def generated(self) -> bool:
        """Whether the data is drawn at random (points, noise and seed apply)."""
        return self.source != "aack"

    def remakes_data(self, names: frozenset[str]) -> bool:
        """Whether editing ``names`` gives new data (points, noise and seed only apply to
        generated data)."""
        return "source" in names or bool(names & DATA_FIELDS and self.generated)

    def edited(self, names: frozenset[str]) -> NetworkLesson:
        """The settings after a student edited ``names``: another data set takes its usual
        noise, and new data drops the points added by clicking."""
        changes: dict = {}
        if "source" in names and self.source in DEFAULT_NOISE:
            changes["noise"] = DEFAULT_NOISE[self.source]
        if self.remakes_data(names) and self.added:
            changes["added"] = ()
        return self.replace(**changes) if changes else self

    def network_settings(self) -> dict:
        """The network's own settings by name (see ``NETWORK_FIELDS``)."""
        return {name: getattr(self, name) for name in NETWORK_FIELDS}

    def model(self) -> Network:
        return Network(self.hidden, self.activation)

    def base_data(self) -> Dataset:
        """The chosen data set, without the added points."""
        if self.source == "aack":
            return datasets.aack_beep()
        make = {"circles": datasets.circles, "moons": datasets.moons}
        return make.get(self.source, datasets.xor_blobs)(self.points, self.noise, self.data_seed)

    def data(self, base: Dataset | None = None) -> Dataset:
        """The data a run learns from: the data set (``base`` if given) and the added points."""
        base = base if base is not None else self.base_data()
        if not self.added:
            return base
        added = np.array(self.added, dtype=float)
        labels = None
        if base.row_labels is not None:
            labels = (*base.row_labels, *(f"added point {k + 1}" for k in range(len(added))))
        return Dataset(
            np.vstack([base.X, added[:, :2]]),
            np.concatenate([base.y, added[:, 2]]),
            base.feature_names,
            base.target_name,
            name=base.name,
            row_labels=labels,
            class_names=base.class_names,
        )

    def with_point(self, x: float, y: float, label: int) -> NetworkLesson:
        return self.replace(added=(*self.added, (float(x), float(y), float(label))))


def initial_params(settings: NetworkLesson, model: Network) -> np.ndarray:
    """Where a run starts: all equal (every weight and bias :data:`EQUAL_START`: the hidden
    units are twins), or as the other training tabs start (typed, zeros, the course's)."""
    if settings.init == "equal":
        return np.full(model.n_params, EQUAL_START)
    return training_params(settings, model)


def choice_text(choices: tuple[tuple[str, str], ...], key: str) -> str:
    return dict(choices)[key]


# --- notation --------------------------------------------------------------------------------

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def pretty(name: str) -> str:
    """A parameter or value name with subscripts: 'w11' → 'w₁₁', 'a2' → 'a₂'."""
    return name[:1] + name[1:].translate(_SUBSCRIPTS)


#: The guide for the slides' 2-2-1 network.
GUIDE = guide(2)


def split_partial(text: str) -> tuple[str, str]:
    """'∂z1/∂w11' → ('z1', 'w11')."""
    top, bottom = text.split("/")
    return top.lstrip("∂"), bottom.lstrip("∂")


def tex_partial(text: str) -> str:
    top, bottom = split_partial(text)
    return rf"\dfrac{{\partial {tex_symbol(top)}}}{{\partial {tex_symbol(bottom)}}}"


def html_partial(text: str) -> str:
    top, bottom = split_partial(text)
    return f"∂{html_symbol(top)}/∂{html_symbol(bottom)}"


def derivative_tex(activation: str, j: str) -> str:
    """∂a_j/∂z_j in terms of the node's values."""
    if activation == "tanh":
        return rf"1-a_{{{j}}}^{{2}}"
    if activation == "relu":
        return rf"1\ \mathrm{{if}}\ z_{{{j}}}>0,\ \mathrm{{else}}\ 0"
    return rf"a_{{{j}}}(1-a_{{{j}}})"


def factor_tex(factor: str, activation: str) -> str:
    """What a chain-rule factor equals, e.g. ∂z1/∂w11 → x_1, ∂ŷ/∂z → ŷ(1 − ŷ)."""
    top, bottom = split_partial(factor)
    if top == "L":
        return r"-\dfrac{y-\hat{y}}{\hat{y}(1-\hat{y})}"
    if top == "ŷ":
        return r"\hat{y}(1-\hat{y})"
    if bottom.startswith("b"):
        return "1"
    if top == "z":
        return (
            tex_symbol("w" + bottom[1:])
            if bottom.startswith("a")
            else tex_symbol("a" + bottom[1:])
        )
    if top.startswith("a"):
        return derivative_tex(activation, top[1:])
    return tex_symbol("x" + bottom[1])  # ∂z_j/∂w_ij = x_i


def simplified_tex(name: str, activation: str) -> str:
    """The slides' simplified gradient, e.g. −x1·w1·a1(1 − a1)·(y − ŷ) for w11."""
    if name == "b":
        return r"-(y-\hat{y})"
    if len(name) == 2 and name.startswith("w"):
        return rf"-a_{{{name[1]}}}\,(y-\hat{{y}})"
    j = name[1:] if name.startswith("b") else name[2:]
    d = derivative_tex(activation, j)
    if activation != "sigmoid":
        d = rf"\left({d}\right)"
    if name.startswith("b"):
        return rf"-w_{{{j}}}\,{d}\,(y-\hat{{y}})"
    return rf"-x_{{{name[1]}}}\,w_{{{j}}}\,{d}\,(y-\hat{{y}})"


def hidden_unit(name: str) -> int | None:
    """The hidden unit a parameter feeds (w11 → 1, b2 → 2), None for output parameters."""
    if name == "b" or (name.startswith("w") and len(name) == 2):
        return None
    return int(name[1:]) if name.startswith("b") else int(name[2:])


def sharers(names: tuple[str, ...], unit: int) -> list[str]:
    """Parameters whose gradient reuses ∂L/∂z_unit."""
    return [n for n in names if hidden_unit(n) == unit]


# --- the chain rule --------------------------------------------------------------------------

#: A factor's group: its own ("own"), a hidden unit's shared ∂L/∂z_j (j), the output's (None).
Group = int | str | None


@dataclass(frozen=True)
class Factor:
    """One chain-rule factor: ``partial`` ('∂z1/∂w11'), what it equals, its value."""

    partial: str
    tex: str  # the partial as a fraction
    equals_tex: str  # what it equals in the node's values, e.g. x_{1}
    value: float
    group: Group

    @property
    def value_text(self) -> str:
        return fmt(self.value, 6)


@dataclass(frozen=True)
class ReuseRow:
    """A row of the backward-reuse table: a local factor times a shared backward value."""

    parameter: str
    local: str
    shared: str
    gradient: float
    unit: int | None
    selected: bool


@dataclass(frozen=True)
class ChainRule:
    """Everything the chain-rule panel shows for one parameter and one example."""

    name: str
    example: int
    activation: str
    gradient: float  # ∂L/∂name for this example
    factors: tuple[Factor, ...]
    chain_tex: str
    product_html: str
    shared: tuple[tuple[Group, str], ...]  # (None: the output's ∂L/∂z | unit j, its note)
    simplified_tex: str
    simplified_html: str
    batch_html: str
    update_tex: str
    update_html: str
    reuse: tuple[ReuseRow, ...]
    reuse_note: str

    @property
    def unit(self) -> int | None:
        return hidden_unit(self.name)


def factor_groups(name: str, n: int) -> list[Group]:
    """Which backward value each of ``n`` factors belongs to: the last two make the output's
    ∂L/∂z, the middle ones of a hidden parameter its unit's ∂L/∂z_j, the first is its own."""
    unit = hidden_unit(name)
    return [
        None if r >= n - 2 else unit if unit is not None and r >= 1 else "own" for r in range(n)
    ]


def chain_rule(name: str, i: int, record: TrainStep, back: Backward, activation: str) -> ChainRule:
    """The chain rule of parameter ``name`` with example ``i``'s numbers at step ``record``
    (``back`` is the core's backward pass at ``record.params``)."""
    chain = back.chain(name, i)
    names = back.names
    idx = names.index(name)
    grad_i = float(back.per_example_gradients[i, idx])
    sym = html_symbol(name)
    groups = factor_groups(name, len(chain))
    factors = tuple(
        Factor(f, tex_partial(f), factor_tex(f, activation), value, group)
        for (f, value), group in zip(chain, groups, strict=True)
    )
    head = rf"\dfrac{{\partial L}}{{\partial {tex_symbol(name)}}}"
    # the products as written give the gradient as written (6 digits)
    values = [v for _, v in chain]
    shown = written([*values, grad_i], [_product(len(values))], [4] * len(values) + [6])
    product = " × ".join(_paren(text) for text in shown[:-1])
    parts = simplified_values(name, i, back)
    simple = written([*parts, grad_i], [_product(len(parts), -1.0)], [4] * len(parts) + [6])
    shared: list[tuple[Group, str]] = [
        (
            None,
            f"∂ŷ/∂z · ∂L/∂ŷ = ∂L/∂z = −(y − ŷ) = <b>{fmt(float(back.dL_dz[i]), 6)}</b>: "
            f"computed once, shared by all {len(names)} parameters",
        )
    ]
    unit = hidden_unit(name)
    if unit is not None:
        assert back.dL_dhidden_z is not None
        dzj = float(back.dL_dhidden_z[i, unit - 1])
        users = ", ".join(html_symbol(n) for n in sharers(names, unit))
        shared.append(
            (
                unit,
                f"∂a<sub>{unit}</sub>/∂z<sub>{unit}</sub> · ∂z/∂a<sub>{unit}</sub> · ∂L/∂z "
                f"= ∂L/∂z<sub>{unit}</sub> = <b>{fmt(dzj, 6)}</b>: computed once, "
                f"shared by {users}",
            )
        )
    g = float(record.gradients[idx])
    new_value = float(record.params_next[idx])
    update = written(
        [float(record.params[idx]), record.learning_rate, g, new_value],
        [Line((0, 1, 2), lambda p, a, g: p - a * g, 3)],
        [6, 4, 6, 6],
    )
    if record.example is None:
        batch = (
            f"Full batch: the step uses the mean over all {back.y.shape[0]} examples, "
            f"∂J/∂{sym} = (1/m) Σ ∂L/∂{sym} = <b>{fmt(g, 6)}</b> "
            f"(example {i + 1}'s {fmt(grad_i, 4)} is one of the terms)."
        )
    else:
        batch = (
            f"One example at a time: step {record.k} uses example {record.example + 1}'s own "
            f"gradient, ∂L/∂{sym} = <b>{fmt(g, 6)}</b>."
        )
    t = tex_symbol(name)
    return ChainRule(
        name=name,
        example=i,
        activation=activation,
        gradient=grad_i,
        factors=factors,
        chain_tex=head + " = " + r" \cdot ".join(f.tex for f in factors),
        product_html=f"Product: ∂L/∂{sym} = {product} = <b>{shown[-1]}</b>",
        shared=tuple(shared),
        simplified_tex=f"{head} = {simplified_tex(name, activation)}",
        simplified_html="= −"
        + " · ".join(f"({text})" for text in simple[:-1])
        + f" = <b>{simple[-1]}</b>",
        batch_html=batch,
        update_tex=rf"{t} \leftarrow {t} - \alpha\,\dfrac{{\partial J}}{{\partial {t}}}",
        update_html=(f"{sym} ← {update[0]} − {update[1]} × ({update[2]}) = <b>{update[3]}</b>"),
        reuse=reuse_rows(name, i, back),
        reuse_note=reuse_note(back),
    )


def _paren(text: str) -> str:
    return f"({text})" if text.startswith("−") else text


def _product(n: int, sign: float = 1.0) -> Line:
    """The line "f1 × … × fn = value n" (times ``sign``)."""
    return Line(tuple(range(n)), lambda *f: sign * math.prod(f), n)


def simplified_values(name: str, i: int, back: Backward) -> list[float]:
    """The numbers of the simplified gradient for example ``i``, whose product negated is
    the gradient: for w11 x1, w1, a1(1 − a1), y − ŷ (−x1·w1·a1(1 − a1)·(y − ŷ))."""
    r = float(back.residual[i])
    if name == "b":
        return [r]
    assert back.forward.hidden_a is not None and back.dz_da is not None
    assert back.da_dz is not None
    if name.startswith("w") and len(name) == 2:
        return [float(back.forward.hidden_a[i, int(name[1:]) - 1]), r]
    j = (int(name[1:]) if name.startswith("b") else int(name[2:])) - 1
    parts = [float(back.dz_da[i, j]), float(back.da_dz[i, j]), r]
    if name.startswith("w"):
        parts.insert(0, float(back.dz_dw[i, int(name[1]) - 1]))
    return parts


def simplified_numbers(name: str, i: int, back: Backward) -> str:
    """The simplified gradient with example ``i``'s numbers, e.g. for w11
    −(x1) · (w1) · (a1(1 − a1)) · (y − ŷ), each number in parentheses (4 digits)."""
    return "−" + " · ".join(f"({fmt(v, 4)})" for v in simplified_values(name, i, back))


def reuse_rows(selected: str, i: int, back: Backward) -> tuple[ReuseRow, ...]:
    """Every parameter's gradient as a local factor times a backward value computed once."""
    assert back.forward.hidden_a is not None and back.dL_dhidden_z is not None
    rows = []
    dz = float(back.dL_dz[i])
    for idx, name in enumerate(back.names):
        unit = hidden_unit(name)
        if name.startswith("b"):
            local = "1"
        elif unit is not None:
            src = int(name[1])
            local = f"{pretty(f'x{src}')} = {fmt(float(back.dz_dw[i, src - 1]), 4)}"
        else:
            j = int(name[1:])
            local = f"{pretty(f'a{j}')} = {fmt(float(back.forward.hidden_a[i, j - 1]), 4)}"
        if unit is None:
            shared = f"∂L/∂z = {fmt(dz, 4)}"
        else:
            dzj = float(back.dL_dhidden_z[i, unit - 1])
            shared = f"∂L/∂{pretty(f'z{unit}')} = {fmt(dzj, 4)}"
        gradient = float(back.per_example_gradients[i, idx])
        rows.append(ReuseRow(pretty(name), local, shared, gradient, unit, name == selected))
    return tuple(rows)


def reuse_note(back: Backward) -> str:
    h = len(back.names) // 4
    return (
        f"Going backwards from the loss, ∂L/∂z is computed once and then each "
        f"∂L/∂z<sub>j</sub> once; all {len(back.names)} gradients are a local factor "
        f"times one of these {h + 1} numbers."
    )


# --- the forward pass, the notes and the summaries --------------------------------------------


def forward_rows(
    model: Network, record: TrainStep, X: np.ndarray, y: np.ndarray, i: int
) -> list[list[object]]:
    """The forward pass of example ``i``, node by node: [node, how it is computed, value]."""
    act = ACTIVATION_TEXT[model.activation]
    values = record.forward.values(i)
    loss = float(model.losses(record.params, X[i : i + 1], y[i : i + 1])[0])
    rows: list[list[object]] = [
        ["x₁", "input", float(X[i, 0])],
        ["x₂", "input", float(X[i, 1])],
        ["y", "true class", float(y[i])],
    ]
    for j in range(1, model.hidden + 1):
        z, a = pretty(f"z{j}"), pretty(f"a{j}")
        how = f"x₁·{pretty(f'w1{j}')} + x₂·{pretty(f'w2{j}')} + {pretty(f'b{j}')}"
        rows.append([z, how, values[f"z{j}"]])
        rows.append([a, act.format(z), values[f"a{j}"]])
    terms = " + ".join(f"{pretty(f'a{j}')}·{pretty(f'w{j}')}" for j in range(1, model.hidden + 1))
    if model.hidden > 3:
        terms = "Σ aⱼ·wⱼ"
    rows.append(["z", f"{terms} + b", values["z"]])
    rows.append(["ŷ", "σ(z)", values["ŷ"]])
    rows.append(["L", "−y ln ŷ − (1 − y) ln(1 − ŷ)", loss])
    return rows


def symmetry_note(model: Network, record: TrainStep) -> str:
    """The note shown while every hidden unit is the same ("" when they differ)."""
    if model.hidden < 2:
        return ""
    w_in, b_in, w_out, _ = model.unpack(record.params)
    if not all(np.all(v == v[0]) for v in (w_in, b_in, w_out)):
        return ""
    text = SYMMETRY_NOTE.format(units=" = ".join(pretty(f"a{j + 1}") for j in range(model.hidden)))
    if not np.any(record.params) and record.gradient_norm == 0:
        text += STUCK_NOTE
    return text


def example_info(data: Dataset, i: int, record: TrainStep) -> str:
    """Example ``i``'s inputs, class and prediction at step ``record`` (with its sentence)."""
    x1, x2, y = data.X[i, 0], data.X[i, 1], data.y[i]
    yhat = float(record.forward.yhat[i])
    text = (
        f"Example {i + 1}: x<sub>1</sub> = {fmt(x1, 4)}, x<sub>2</sub> = {fmt(x2, 4)}, "
        f"y = {fmt(y, 4)}, ŷ = {fmt(yhat, 4)}"
    )
    if data.row_labels is not None and i < len(data.row_labels):
        text += f" — “{data.row_labels[i]}”"
    return text + f" · step {record.k}"


def data_summary(data: Dataset, added: int = 0) -> str:
    """'200 points: 100 of class 0, 100 of class 1' (and how many were added by clicking)."""
    n1 = int(np.sum(data.y >= 0.5))
    extra = f" (+{added} added by clicking)" if added else ""
    return f"{data.m} points: {data.m - n1} of class 0, {n1} of class 1{extra}."


def axis_labels(data: Dataset) -> tuple[str, str]:
    """x₁, x₂ with the features' own names where they have one."""
    x1, x2 = (
        f"x{'₁₂'[k]}" + (f" ({n})" if n != f"x{k + 1}" else "")
        for k, n in enumerate(data.feature_names)
    )
    return x1, x2


def model_status(settings: NetworkLesson) -> str:
    return (
        f"The network is now 2-{settings.hidden}-1 with "
        f"{choice_text(ACTIVATION_CHOICES, settings.activation)} hidden units: "
        "the run starts again."
    )


def added_status(x: float, y: float, label: int, m: int) -> str:
    return (
        f"Added a point of class {label} at ({x:.2f}, {y:.2f}): "
        f"{m} points now, the run starts again."
    )


def plane_bounds(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The part of the input plane the maps cover: the data with a margin."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = np.maximum(0.15 * (hi - lo), 0.5)
    return lo - pad, hi + pad


def next_caption(
    settings: NetworkLesson, record: TrainStep | None, outcome: Outcome | None = None
) -> str:
    """What the next step does, for the presenter's caption (see :mod:`.captions`)."""
    end = captions.ended(outcome)
    if end:
        return end
    n = len(record.params) if record is not None else len(network_names(settings.hidden))
    alpha = captions.rate(settings.learning_rate)
    single = settings.batch == "single"
    where = f"example {next_example(record) + 1}" if single else "every point"
    return (
        f"{captions.heading(record)} the forward pass computes ŷ for {where}; then the error "
        "flows back through the chain rule, layer by layer, and each of the "
        f"{n} weights and biases moves a step of {alpha} against its slope."
    )
