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
    ("aliens", "Alien sentences: aack / beep (slides)"),
    ("blobs", "Two blobs (generated)"),
    ("xor", "XOR-like four blobs (generated)"),
)

FORMULAS = (
    r"z = w_1 x_1 + w_2 x_2 + b,\quad \hat{y} = \sigma(z) = \frac{1}{1+e^{-z}}",
    r"L(y,\hat{y}) = -y\ln\hat{y} - (1-y)\ln(1-\hat{y})",
    r"\frac{\partial L}{\partial w_1} = \frac{\partial L}{\partial \hat{y}}"
    r"\frac{\partial \hat{y}}{\partial w_1} = \frac{-(y-\hat{y})}{\hat{y}(1-\hat{y})}"
    r"\,\hat{y}(1-\hat{y})\,x_1 = -(y-\hat{y})\,x_1",
    r"w_1 \leftarrow w_1 - \alpha\,\frac{\partial J}{\partial w_1}",
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


def step_lines(record: TrainStep, data: Dataset, model: Perceptron, i: int) -> list[str]:
    """The math panel's lines (HTML) for example ``i`` of ``data`` at ``record``."""
    e = example_math(record, model, data.X, data.y, i)
    (x1, x2), yi, yhat = e.x, fmt(e.y, 3), fmt(e.yhat, 4)
    w1, w2, b = record.params
    label = f" “{data.row_labels[i]}”" if data.row_labels else ""
    lines = [
        f"<b>Example {i + 1}</b>{label}: x<sub>1</sub> = {fmt(x1, 4)}, "
        f"x<sub>2</sub> = {fmt(x2, 4)}, y = {yi}",
        f"&nbsp;&nbsp;z = {fmt(w1, 4)}×{fmt(x1, 4)} + {fmt(w2, 4)}×{fmt(x2, 4)} + "
        f"{fmt(b, 4)} = {fmt(e.z, 4)},&nbsp; ŷ = σ(z) = <b>{yhat}</b>",
    ]
    for j, x in enumerate((x1, x2)):
        lines.append(
            f"&nbsp;&nbsp;∂L/∂w<sub>{j + 1}</sub> = −({yi} − {yhat}) × {fmt(x, 4)} "
            f"= <b>{fmt(e.dL_dparams[j], 4)}</b>"
        )
    lines.append(f"&nbsp;&nbsp;∂L/∂b = −({yi} − {yhat}) = <b>{fmt(e.dL_dparams[2], 4)}</b>")
    lines += update_lines(record, model.names)
    acc = record.accuracy if record.accuracy is not None else float("nan")
    lines.append(f"Cost J = {fmt(record.cost, 5)}, accuracy = {acc:.0%}")
    return lines


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
