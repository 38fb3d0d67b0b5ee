"""The Classification lesson (curriculum §2): a sigmoid perceptron learns the aliens' moods.

Settings (data source, noise, data seed and the sentences a student typed, on
top of gradient descent's), the data they make, and every text the tab shows:
the guide, the math of a step with σ and the log loss, the prediction for a
typed sentence, and the note when one straight line cannot separate the classes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from optgui.core import datasets
from optgui.core.datasets import Dataset
from optgui.core.format import fmt
from optgui.core.models import Perceptron
from optgui.core.stepping import Outcome
from optgui.core.training import TrainStep
from optgui.lessons.arithmetic import Line, written
from optgui.lessons.derivation import Derivation
from optgui.lessons.settings import SettingsError, spec
from optgui.lessons.sigmoid_derivations import (
    Input,
    Unit,
    log_loss_derivation,
    sigmoid_derivation,
)
from optgui.lessons.training import TrainingLesson, training_caption, update_lines

GUIDE = (
    "The perceptron adds up the evidence, z = w1·aack + w2·beep + b, and squashes it with "
    "the sigmoid into a probability of being happy, ŷ = σ(z). Gradient descent on the log "
    "loss turns the dividing line σ(z) = 0.5 until happy and sad sentences fall on opposite "
    "sides. Type your own alien sentence to see its prediction, or try the XOR-like blobs: "
    "one straight line cannot separate them."
)

SOURCES = (
    ("aliens", "Alien sentences: aack and beep (the slides)"),
    ("blobs", "Two blobs (generated)"),
    ("xor", "XOR-like four blobs (generated)"),
)

FORMULAS = (
    r"z = w_1 x_1 + w_2 x_2 + b,\quad \hat{y} = \sigma(z) = \frac{1}{1+e^{-z}}",
    r"L(y,\hat{y}) = -y\ln\hat{y} - (1-y)\ln(1-\hat{y})",
    r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat{y}}"
    r"\frac{\partial \hat{y}}{\partial w_1} = \frac{-(y-\hat{y})}{\hat{y}(1-\hat{y})}"
    r"\,\hat{y}(1-\hat{y})\,x_1 = -(y-\hat{y})\,x_1",
    # every parameter's update, one a line (a line breaks badly inside an assignment)
    *(
        rf"{p} \leftarrow {p} - \alpha\,\frac{{\partial J}}{{\partial {p}}}"
        for p in ("w_1", "w_2", "b")
    ),
)

PROMPT = "Type a sentence to see what the model thinks."

#: Steps without progress after which the tab says a straight line cannot do better.
STALL_WINDOW = 200

#: A typed sentence: (aack count, beep count, label 1 happy / 0 sad, the text).
Sentence = tuple[float, float, float, str]


@dataclass(frozen=True)
class ClassificationLesson(TrainingLesson):
    """Gradient descent's settings and the data: source, noise, data seed, typed sentences."""

    learning_rate: float = spec(0.5, low=1e-6, high=100.0, label="the learning rate α")
    source: str = spec("aliens", choices=tuple(k for k, _ in SOURCES), label="the data source")
    noise: float = spec(0.4, low=0.0, high=3.0, label="the noise")
    data_seed: int = spec(0, low=0, high=999_999, label="the data seed")
    #: Sentences added to the slides' four (the alien data only).
    sentences: tuple[Sentence, ...] = ()

    def validate(self) -> None:
        for aack, beep, label, _text in self.sentences:
            if label not in (0.0, 1.0):
                raise SettingsError(
                    "a typed sentence's label should be 0 (sad) or 1 (happy)", "sentences"
                )
            if not all(v >= 0 and float(v).is_integer() for v in (aack, beep)):
                raise SettingsError(
                    "a typed sentence's word counts should be whole numbers", "sentences"
                )

    @property
    def generated(self) -> bool:
        return self.source != "aliens"

    def with_sentence(self, text: str, label: int) -> ClassificationLesson:
        """These settings with ``text`` added as happy (1) or sad (0)."""
        aack, beep = datasets.count_words(text)
        added = (float(aack), float(beep), float(label), text)
        return self.replace(sentences=(*self.sentences, added))

    def to_json(self) -> dict[str, Any]:
        """JSON values; each sentence as {aack, beep, label, text}, as sessions keep them."""
        state = super().to_json()
        state["sentences"] = [
            {"aack": a, "beep": b, "label": c, "text": t} for a, b, c, t in self.sentences
        ]
        return state

    @classmethod
    def from_json(cls, data: Any) -> ClassificationLesson:
        if isinstance(data, dict) and isinstance(data.get("sentences"), list):
            data = {**data, "sentences": [_sentence(item) for item in data["sentences"]]}
        return super().from_json(data)


def _sentence(item: Any) -> Any:
    """A saved sentence {aack, beep, label, text} as a tuple (lists pass unchanged)."""
    if isinstance(item, list):
        return item
    if not isinstance(item, dict) or not {"aack", "beep", "label"} <= item.keys():
        raise SettingsError("a saved sentence is damaged", "sentences")
    return [item["aack"], item["beep"], item["label"], item.get("text", "")]


def with_sentences(data: Dataset, sentences: tuple[Sentence, ...]) -> Dataset:
    """``data`` with the typed sentences as more labelled rows."""
    if not sentences:
        return data
    X = np.vstack([data.X, [[a, b] for a, b, _, _ in sentences]])
    y = np.concatenate([data.y, [c for _, _, c, _ in sentences]])
    labels = (*(data.row_labels or ()), *(s for *_, s in sentences))
    return Dataset(
        X,
        y,
        data.feature_names,
        data.target_name,
        data.units,
        data.name,
        row_labels=labels,
        class_names=data.class_names,
    )


def dataset(settings: ClassificationLesson) -> Dataset:
    """The data ``settings`` name."""
    if settings.source == "aliens":
        return with_sentences(datasets.aack_beep(), settings.sentences)
    if settings.source == "blobs":
        return datasets.two_blobs(100, settings.noise, settings.data_seed)
    return datasets.xor_blobs(200, settings.noise, settings.data_seed)


# -- texts ---------------------------------------------------------------------------------


def loaded_status(data: Dataset) -> str:
    return f"{data.name}: {data.m} examples. Press Space to play."


def class_labels(data: Dataset) -> tuple[str, str]:
    """The legend's names of classes 0 and 1: "sad (0)", "happy (1)" or "class 0"."""
    labels = []
    for c in (0, 1):
        name = data.class_names[c] if data.class_names else str(c)
        labels.append(f"{name} ({c})" if name != str(c) else f"class {c}")
    return labels[0], labels[1]


def added_status(text: str, label: int) -> str:
    aack, beep = datasets.count_words(text)
    mood = "happy" if label else "sad"
    return f"Added “{text}” (aack {aack}, beep {beep}) as {mood}. Training restarts."


def prediction(text: str, model: Perceptron, params: np.ndarray) -> str:
    """What the model makes of a typed sentence: its counts, P(happy) and the mood."""
    text = text.strip()
    if not text:
        return PROMPT
    aack, beep = datasets.count_words(text)
    p = float(model.forward(params, np.array([[aack, beep]])).yhat[0])
    mood = "happy 🙂" if p >= 0.5 else "sad 🙁"
    return f"aack: <b>{aack}</b>, beep: <b>{beep}</b> → P(happy) = <b>{p:.3f}</b>: {mood}"


@dataclass(frozen=True)
class ExampleMath:
    """One example at a step: z, ŷ = σ(z) and the chain rule for w1, w2, b."""

    index: int
    x: tuple[float, float]
    y: float
    z: float
    yhat: float  # σ(z)
    dL_dyhat: float  # −(y − ŷ) / (ŷ(1 − ŷ))
    dyhat_dz: float  # ŷ(1 − ŷ)
    dL_dparams: tuple[float, float, float]  # −(y − ŷ)·x1, −(y − ŷ)·x2, −(y − ŷ)


def example_math(record: TrainStep, model: Perceptron, X, y, i: int) -> ExampleMath:
    """The chain rule for example ``i`` at ``record``'s parameters."""
    back = model.backward(record.params, X, y)
    x1, x2 = (float(v) for v in np.asarray(X)[i])
    per = back.per_example_gradients[i]
    assert back.dyhat_dz is not None
    return ExampleMath(
        index=i,
        x=(x1, x2),
        y=float(y[i]),
        z=float(record.forward.z[i]),
        yhat=float(record.forward.yhat[i]),
        dL_dyhat=float(back.dL_dyhat[i]),
        dyhat_dz=float(back.dyhat_dz[i]),
        dL_dparams=(float(per[0]), float(per[1]), float(per[2])),
    )


def _paren(text: str) -> str:
    """A written number to be added or multiplied: negative ones in parentheses."""
    return f"({text})" if text.startswith("−") else text


def step_lines(record: TrainStep, data: Dataset, model: Perceptron, i: int) -> list[str]:
    """The math panel's lines (HTML) for example ``i`` of ``data`` at ``record``. Each
    number has the digits it takes for the shown terms to give the shown results."""
    e = example_math(record, model, data.X, data.y, i)
    w1, w2, b = (float(v) for v in record.params)
    # the numbers: w1, x1, w2, x2, b, z, y, ŷ, ∂L/∂w1, ∂L/∂w2, ∂L/∂b
    numbers = [w1, e.x[0], w2, e.x[1], b, e.z, e.y, e.yhat, *e.dL_dparams]
    arithmetic = [
        Line((0, 1, 2, 3, 4), lambda w1, x1, w2, x2, b: w1 * x1 + w2 * x2 + b, 5),
        Line((6, 7, 1), lambda y, yhat, x: -(y - yhat) * x, 8),
        Line((6, 7, 3), lambda y, yhat, x: -(y - yhat) * x, 9),
        Line((6, 7), lambda y, yhat: -(y - yhat), 10),
    ]
    t = written(numbers, arithmetic)
    x1, x2, yi, yhat = t[1], t[3], t[6], t[7]
    label = f" “{data.row_labels[i]}”" if data.row_labels else ""
    lines = [
        f"<b>Example {i + 1}</b>{label}: x<sub>1</sub> = {x1}, x<sub>2</sub> = {x2}, y = {yi}",
        f"&nbsp;&nbsp;z = {t[0]}×{x1} + {_paren(t[2])}×{x2} + {_paren(t[4])} = {t[5]},"
        f"&nbsp; ŷ = σ(z) = <b>{yhat}</b>",
    ]
    for j, x in enumerate((x1, x2)):
        lines.append(
            f"&nbsp;&nbsp;∂L/∂w<sub>{j + 1}</sub> = −({yi} − {yhat}) × {x} = <b>{t[8 + j]}</b>"
        )
    lines.append(f"&nbsp;&nbsp;∂L/∂b = −({yi} − {yhat}) = <b>{t[10]}</b>")
    lines += update_lines(record, model.names)
    acc = record.accuracy if record.accuracy is not None else float("nan")
    lines.append(f"Cost J = {fmt(record.cost, 5)}, accuracy = {acc:.0%}")
    return lines


# -- the sigmoid plot ------------------------------------------------------------------------

#: The sigmoid plot's z ranges, ±8 to ±20: the first that holds every example is used.
#: Past ±20 σ is within 3e−9 of 0 or 1 and the curve a step, so examples further out are
#: drawn at the edge, marked with an arrow, and the note says so.
Z_RANGES = (8.0, 12.0, 16.0, 20.0)


@dataclass(frozen=True, eq=False)
class SigmoidView:
    """Where the examples go on the sigmoid plot: its z range, each example's z as drawn
    (at the edge when beyond it) and which are beyond it."""

    limit: float
    z: np.ndarray
    clipped: np.ndarray  # bool, per example
    note: str  # "" when every example is in range


def sigmoid_view(z: np.ndarray) -> SigmoidView:
    """The plot's range for examples at ``z``, the drawn positions and the note."""
    z = np.asarray(z, dtype=float)
    finite = z[np.isfinite(z)]
    largest = float(np.max(np.abs(finite))) if len(finite) else 0.0
    limit = next((r for r in Z_RANGES if largest <= r), Z_RANGES[-1])
    clipped = ~(np.abs(z) <= limit)  # (NaN counts as beyond)
    note = ""
    if np.any(clipped):
        n = int(np.sum(clipped))
        where = "is" if n == 1 else "are"
        examples = "1 example" if n == 1 else f"{n} examples"
        note = f"▶ {examples} with |z| > {limit:g} {where} drawn at the edge"
    return SigmoidView(limit, np.clip(np.nan_to_num(z), -limit, limit), clipped, note)


def stalled(cost: np.ndarray, accuracy: float, ended: bool = False) -> bool:
    """Whether the cost has stopped falling (over the last :data:`STALL_WINDOW` steps, or
    the run ended) while more than a tenth of the examples are still wrong."""
    n = len(cost)
    if n == 0 or (n < STALL_WINDOW and not ended):
        return False
    start = cost[max(0, n - STALL_WINDOW)]
    drop = (start - cost[-1]) / max(abs(cost[-1]), 1e-12)
    return bool(accuracy < 0.9 and (ended or drop < 1e-3))


def stall_note(cost: float, accuracy: float) -> str:
    """Why the run stalls: one straight line cannot separate these classes."""
    return (
        f"The loss has stalled at {cost:.3f} with {accuracy:.0%} right. A single "
        "perceptron draws one straight line, and no straight line separates these "
        "classes. The 2-2-1 Network tab adds a hidden layer that can."
    )


def stall_status(message: str) -> str:
    """The status when a run that stalled ends (``message``: the run's outcome)."""
    return (
        f"{message[:1].upper()}{message[1:]} — but one straight line cannot separate these "
        "classes."
    )


def next_caption(
    settings: ClassificationLesson, record: TrainStep | None, outcome: Outcome | None = None
) -> str:
    """What the next step does, for the presenter's caption (see :mod:`.captions`)."""
    return training_caption(settings, record, outcome, ("w1", "w2", "b"), "the log loss")


# -- the derivations (the Derivation page) -----------------------------------------------------

LOG_LOSS_TITLE = "Log loss: ∂L/∂ŷ, then ∂L/∂w₁ = −(y − ŷ)·x₁"


def example_name(data: Dataset, i: int) -> str:
    """'Example 1 (“Aack aack aack!”)', counted from 1 as the math panel counts."""
    label = data.row_labels[i] if data.row_labels and i < len(data.row_labels) else ""
    return f"Example {i + 1}" + (f" (“{label}”)" if label else "")


def derivations(record: TrainStep, data: Dataset, i: int) -> list[Derivation]:
    """The slides' σ′(z) and log-loss derivations with example ``i``'s numbers at ``record``."""
    name = example_name(data, i)
    x1, x2 = (float(v) for v in data.X[i])
    z = float(record.forward.z[i])
    inputs = [Input("w1", "x1", x1), Input("w2", "x2", x2)]
    return [
        sigmoid_derivation([Unit(f"{name}, step {record.k}", "z", "ŷ", z)], name),
        log_loss_derivation(
            LOG_LOSS_TITLE, float(data.y[i]), z, inputs, name, record.learning_rate
        ),
    ]
