"""The lecture's three models, with parameters as one flat vector in the slides' notation.

- :class:`LinearRegression`: ŷ = w1·x1 + w2·x2 + b, loss ½(y − ŷ)².
- :class:`Perceptron`: z = w1·x1 + w2·x2 + b, ŷ = σ(z), log loss.
- :class:`Network`: 2-h-1 network (h = 1…8 hidden units, sigmoid/tanh/relu), sigmoid output,
  log loss.

The cost J is the mean loss over the examples and gradients are means too (as the
course notebooks do). ``X`` has shape (m, n_inputs) (a 1-D array is accepted for
one input) and ``y`` shape (m,). Nothing here emits a numpy ``RuntimeWarning``.

Each model computes its values two ways: per example (``forward``, ``per_example_gradients``,
``backward``: what the "show the math" panels display) and, for training, in one pass of
matrix operations over :class:`Examples` prepared once (``cost_and_gradient``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from optgui.core.activations import (
    ACTIVATIONS,
    ACTIVATIONS_WITH_DERIVATIVE,
    log_loss,
    log_loss_from_z,
    sigmoid,
)

__all__ = [
    "Backward",
    "Examples",
    "Forward",
    "LinearRegression",
    "Model",
    "Network",
    "Perceptron",
    "log_loss",
]

_MAX = np.finfo(float).max
_TINY = np.finfo(float).tiny
YHAT = "ŷ"


def _frozen(a: np.ndarray) -> np.ndarray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True, eq=False)
class Forward:
    """Forward-pass values, one entry per example.

    ``yhat`` (m,) the prediction ŷ; ``z`` (m,) the output pre-activation (None for
    regression, where ŷ is the linear output itself); ``hidden_z`` and ``hidden_a`` (m, h)
    the hidden pre-activations z1…zh and activations a1…ah (None without a hidden layer).
    """

    yhat: np.ndarray
    z: np.ndarray | None = None
    hidden_z: np.ndarray | None = None
    hidden_a: np.ndarray | None = None

    @property
    def m(self) -> int:
        """Number of examples."""
        return int(self.yhat.shape[0])

    @property
    def names(self) -> tuple[str, ...]:
        """Value names in the slides' order: z1, a1, z2, a2, …, z, ŷ."""
        return tuple(self.arrays())

    def arrays(self) -> dict[str, np.ndarray]:
        """name → per-example array, e.g. {"z1", "a1", "z2", "a2", "z", "ŷ"} for a network."""
        out: dict[str, np.ndarray] = {}
        if self.hidden_z is not None and self.hidden_a is not None:
            for j in range(self.hidden_z.shape[1]):
                out[f"z{j + 1}"] = self.hidden_z[:, j]
                out[f"a{j + 1}"] = self.hidden_a[:, j]
        if self.z is not None:
            out["z"] = self.z
        out[YHAT] = self.yhat
        return out

    def __getitem__(self, name: str) -> np.ndarray:
        """Per-example array by name ("a1", "z", "ŷ"; "yhat" is accepted for "ŷ")."""
        return self.arrays()[YHAT if name == "yhat" else name]

    def values(self, i: int) -> dict[str, float]:
        """name → value for example ``i``, e.g. {"z1": .., "a1": .., …, "z": .., "ŷ": ..}."""
        return {name: float(a[i]) for name, a in self.arrays().items()}


@dataclass(frozen=True, eq=False)
class Backward:
    """Per-example backward-pass terms, for a "show the math" panel.

    Arrays have one row per example. ``dL_dyhat`` is ∂L/∂ŷ (−(y−ŷ) for squared loss,
    −(y−ŷ)/(ŷ(1−ŷ)) for log loss, clipped to the largest finite float where ŷ rounds
    to 0 or 1); ``dyhat_dz`` is ∂ŷ/∂z = ŷ(1−ŷ) (None for regression); ``dL_dz`` is the
    simplified product −(y−ŷ) (for regression ŷ = z, so it equals ``dL_dyhat``).
    For a network: ``dz_da`` (m, h) the output weights w_j, ``da_dz`` (m, h) the hidden
    activation derivatives (a_j(1−a_j) for sigmoid), ``dL_da`` and ``dL_dhidden_z``
    (m, h). ``dz_dw`` (m, n) holds the inputs x1, x2 (∂z_j/∂w_ij = x_i).
    """

    kind: Literal["regression", "perceptron", "network"]
    names: tuple[str, ...]
    forward: Forward
    y: np.ndarray
    residual: np.ndarray
    dL_dyhat: np.ndarray
    dyhat_dz: np.ndarray | None
    dL_dz: np.ndarray
    dz_dw: np.ndarray
    per_example_gradients: np.ndarray
    dz_da: np.ndarray | None = None
    da_dz: np.ndarray | None = None
    dL_da: np.ndarray | None = None
    dL_dhidden_z: np.ndarray | None = None

    @property
    def gradients(self) -> np.ndarray:
        """Batch-mean gradient, in the order of ``names``."""
        return self.per_example_gradients.mean(axis=0)

    def chain(self, param_name: str, i: int) -> list[tuple[str, float]]:
        """The slides' chain-rule factors for one parameter and example ``i``, in order.

        Their product is ``per_example_gradients[i, names.index(param_name)]``. E.g. for w11:
        [("∂z1/∂w11", x1), ("∂a1/∂z1", a1(1−a1)), ("∂z/∂a1", w1), ("∂ŷ/∂z", ŷ(1−ŷ)),
        ("∂L/∂ŷ", −(y−ŷ)/(ŷ(1−ŷ)))].
        """
        if param_name not in self.names:
            raise KeyError(f"no parameter named {param_name!r}; the parameters are {self.names}")
        x = self.dz_dw[i]
        tail = [("∂L/∂ŷ", float(self.dL_dyhat[i]))]
        if self.kind == "regression":
            if param_name == "b":
                return [("∂ŷ/∂b", 1.0), *tail]
            k = int(param_name[1:])
            return [(f"∂ŷ/∂{param_name}", float(x[k - 1])), *tail]
        assert self.dyhat_dz is not None
        tail = [("∂ŷ/∂z", float(self.dyhat_dz[i])), *tail]
        if param_name == "b":
            return [("∂z/∂b", 1.0), *tail]
        if self.kind == "perceptron":
            k = int(param_name[1:])
            return [(f"∂z/∂{param_name}", float(x[k - 1])), *tail]
        assert self.forward.hidden_a is not None
        assert self.dz_da is not None and self.da_dz is not None
        h = self.forward.hidden_a.shape[1]
        if param_name.startswith("b"):  # hidden bias b_j
            j = int(param_name[1:])
            first = [(f"∂z{j}/∂b{j}", 1.0)]
        elif len(param_name) == 2:  # output weight w_j
            j = int(param_name[1:])
            return [(f"∂z/∂w{j}", float(self.forward.hidden_a[i, j - 1])), *tail]
        else:  # hidden weight w_ij: input i → hidden unit j
            src, j = int(param_name[1]), int(param_name[2:])
            first = [(f"∂z{j}/∂{param_name}", float(x[src - 1]))]
        assert 1 <= j <= h
        return [
            *first,
            (f"∂a{j}/∂z{j}", float(self.da_dz[i, j - 1])),
            (f"∂z/∂a{j}", float(self.dz_da[i, j - 1])),
            *tail,
        ]


@dataclass(frozen=True, eq=False)
class Examples:
    """A data set prepared once for training (see :meth:`_Model.examples`).

    ``X`` (m, n) and ``y`` (m,) as given. ``X1`` (n + 1, m) holds the examples as columns,
    as the course lays them out, with a row of ones below: x1, …, xn, 1, so that
    z = np.dot((w1, …, wn, b), X1) for all examples at once. ``one_minus_y`` = 1 − y and
    ``label`` = (y ≥ 0.5), the true classes.
    """

    X: np.ndarray
    y: np.ndarray
    X1: np.ndarray
    one_minus_y: np.ndarray
    label: np.ndarray
    m: int

    @classmethod
    def of(cls, X: np.ndarray, y: np.ndarray) -> Examples:
        """Read-only copies of X (m, n) and y (m,), whose shapes are already checked."""
        X, y = np.array(X, dtype=float), np.array(y, dtype=float)
        X1 = np.vstack([X.T, np.ones(len(X))])
        arrays = (X, y, X1, 1.0 - y, y >= 0.5)
        for a in arrays:
            a.setflags(write=False)
        return cls(*arrays, m=len(y))

    def example(self, i: int) -> Examples:
        """Example ``i`` alone, as a data set of one."""
        s = slice(i, i + 1)
        return Examples(
            self.X[s], self.y[s], self.X1[:, s], self.one_minus_y[s], self.label[s], m=1
        )


def _log_loss_output(z: np.ndarray, ex: Examples) -> tuple[float, np.ndarray, float]:
    """Sigmoid output ŷ = σ(z), log loss: (cost J, ∂L/∂z = ŷ − y per example, accuracy).

    One exponential, no cancellation, no overflow: with e = e^(−|z|) and q = σ(−|z|), the
    predicted class is 1 where z ≥ 0 (ŷ = 1 − q ≥ 0.5) and 0 where z < 0 (ŷ = q), and
    L = y·ln(1 + e^−z) + (1 − y)·ln(1 + e^z) = ln(1 + e) + (class − y)·z, a sum of terms ≥ 0.
    """
    e = np.exp(-np.abs(z))
    q = e / (1.0 + e)  # σ(−|z|)
    up = z >= 0  # the predicted class
    dL_dz = np.where(up, ex.one_minus_y - q, q - ex.y)  # ŷ − y
    cost = float((np.log1p(e) + (up - ex.y) * z).sum()) / ex.m
    accuracy = np.count_nonzero(up == ex.label) / ex.m
    return cost, dL_dz, accuracy


def _as_inputs(X: ArrayLike, n_inputs: int) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim == 1 and n_inputs == 1:
        X = X[:, None]
    if X.ndim != 2 or X.shape[1] != n_inputs:
        raise ValueError(f"expected inputs of shape (m, {n_inputs}), got {X.shape}")
    return X


def _as_targets(y: ArrayLike, m: int) -> np.ndarray:
    y = np.asarray(y, dtype=float).reshape(-1)
    if y.shape[0] != m:
        raise ValueError(f"{m} examples but {y.shape[0]} targets")
    return y


def _course_weights(rng: np.random.RandomState, rows: int, cols: int) -> np.ndarray:
    return rng.randn(rows, cols) * 0.01


class _Model:
    """Shared plumbing; subclasses define ``names``, ``n_inputs`` and the math."""

    names: tuple[str, ...]
    n_inputs: int
    is_classifier: bool
    kind: Literal["regression", "perceptron", "network"]

    @property
    def n_params(self) -> int:
        """Number of parameters."""
        return len(self.names)

    def _params(self, params: ArrayLike) -> np.ndarray:
        p = np.asarray(params, dtype=float).reshape(-1)
        if p.shape[0] != self.n_params:
            raise ValueError(
                f"expected {self.n_params} parameters ({', '.join(self.names)}), got {p.shape[0]}"
            )
        return p

    def index(self, name: str) -> int:
        """Position of parameter ``name`` in the flat vector."""
        return self.names.index(name)

    def initial_params(self, kind: str = "course", seed: int = 3) -> np.ndarray:
        """Starting parameters: "course" (weights 0.01·randn, biases 0) or "zeros"."""
        if kind == "zeros":
            return np.zeros(self.n_params)
        if kind != "course":
            raise ValueError(f"unknown initialisation {kind!r}; use 'course' or 'zeros'")
        return self._course_init(np.random.RandomState(seed))

    def _course_init(self, rng: np.random.RandomState) -> np.ndarray:
        w = _course_weights(rng, 1, self.n_inputs)
        return np.concatenate([w.ravel(), [0.0]])

    # --- math, per subclass -------------------------------------------------
    def forward(self, params: ArrayLike, X: ArrayLike) -> Forward:
        raise NotImplementedError

    def _cost_and_gradient(
        self, params: np.ndarray, ex: Examples
    ) -> tuple[float, np.ndarray, float | None]:
        raise NotImplementedError

    def _losses(self, fwd: Forward, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _residual(self, fwd: Forward, y: np.ndarray) -> np.ndarray:
        """y − ŷ, computed accurately."""
        return y - fwd.yhat

    def _gradient_rows(
        self, p: np.ndarray, X: np.ndarray, fwd: Forward, residual: np.ndarray
    ) -> np.ndarray:
        raise NotImplementedError

    # --- public API shared by all models -------------------------------------
    def examples(self, X: ArrayLike, y: ArrayLike) -> Examples:
        """The data set checked and prepared for :meth:`cost_and_gradient`."""
        X = _as_inputs(X, self.n_inputs)
        return Examples.of(X, _as_targets(y, X.shape[0]))

    def cost_and_gradient(
        self, params: ArrayLike, ex: Examples
    ) -> tuple[float, np.ndarray, float | None]:
        """(cost J, gradient ∂J/∂parameter, accuracy or None) in one pass over ``ex``.

        Training's fast path: the same numbers as :meth:`cost`, :meth:`gradients` and
        :meth:`accuracy`, up to rounding, without the per-example gradients. Overflow gives
        inf or nan (never a warning); the gradient is nan if a hidden value overflowed.
        """
        with np.errstate(all="ignore"):
            return self._cost_and_gradient(self._params(params), ex)

    def evaluate(
        self, params: ArrayLike, X: ArrayLike, y: ArrayLike
    ) -> tuple[Forward, float, np.ndarray]:
        """One pass: (forward values, cost J, per-example gradients (m, p))."""
        p = self._params(params)
        X = _as_inputs(X, self.n_inputs)
        y = _as_targets(y, X.shape[0])
        with np.errstate(all="ignore"):
            fwd = self.forward(p, X)
            cost = float(np.mean(self._losses(fwd, y)))
            rows = self._gradient_rows(p, X, fwd, self._residual(fwd, y))
        return fwd, cost, rows

    def losses(self, params: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Per-example loss L."""
        X = _as_inputs(X, self.n_inputs)
        y = _as_targets(y, X.shape[0])
        with np.errstate(all="ignore"):
            return self._losses(self.forward(params, X), y)

    def cost(self, params: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
        """Cost J: the mean loss over the examples."""
        return float(np.mean(self.losses(params, X, y)))

    def costs(self, params_rows: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Cost J for each row of parameters (pictures of the cost surface)."""
        return np.array([self.cost(p, X, y) for p in np.asarray(params_rows, dtype=float)])

    def per_example_gradients(self, params: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """∂L/∂parameter for each example: shape (m, n_params)."""
        return self.evaluate(params, X, y)[2]

    def gradients(self, params: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """∂J/∂parameter: the batch mean of the per-example gradients."""
        return self.per_example_gradients(params, X, y).mean(axis=0)

    def predict(self, params: ArrayLike, X: ArrayLike) -> np.ndarray:
        """Regression: ŷ. Classifiers: class 1 where ŷ ≥ 0.5 (that is z ≥ 0), else 0 (integers)."""
        fwd = self.forward(params, X)
        return (fwd.z >= 0).astype(int) if self.is_classifier else fwd.yhat

    def accuracy(self, params: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
        """Fraction of examples classified correctly (labels ≥ 0.5 count as class 1)."""
        if not self.is_classifier:
            raise TypeError("accuracy is defined for classifiers only")
        X = _as_inputs(X, self.n_inputs)
        y = _as_targets(y, X.shape[0])
        return float(np.mean(self.predict(params, X) == (y >= 0.5)))

    def backward(self, params: ArrayLike, X: ArrayLike, y: ArrayLike) -> Backward:
        """All per-example chain-rule terms (see :class:`Backward`)."""
        p = self._params(params)
        X = _as_inputs(X, self.n_inputs)
        y = _as_targets(y, X.shape[0])
        with np.errstate(all="ignore"):
            fwd = self.forward(p, X)
            r = self._residual(fwd, y)
            rows = self._gradient_rows(p, X, fwd, r)
            return self._backward(p, X, y, fwd, r, rows)

    def _backward(
        self,
        p: np.ndarray,
        X: np.ndarray,
        y: np.ndarray,
        fwd: Forward,
        r: np.ndarray,
        rows: np.ndarray,
    ) -> Backward:
        if self.kind == "regression":
            return Backward(self.kind, self.names, fwd, y, r, -r, None, -r, X, rows)
        assert fwd.z is not None
        dyhat_dz = sigmoid(fwd.z) * sigmoid(-fwd.z)  # ŷ(1−ŷ) without cancellation
        dL_dyhat = np.clip(-r / np.maximum(dyhat_dz, _TINY), -_MAX, _MAX)
        return Backward(self.kind, self.names, fwd, y, r, dL_dyhat, dyhat_dz, -r, X, rows)


class LinearRegression(_Model):
    """ŷ = w1·x1 + … + wn·xn + b with squared loss ½(y − ŷ)². Names ("w1", …, "b")."""

    is_classifier = False
    kind = "regression"

    def __init__(self, n_inputs: int = 1):
        if n_inputs < 1:
            raise ValueError("a model needs at least one input")
        self.n_inputs = n_inputs
        self.names = (*(f"w{i + 1}" for i in range(n_inputs)), "b")

    def __repr__(self) -> str:
        return f"LinearRegression(n_inputs={self.n_inputs})"

    def forward(self, params: ArrayLike, X: ArrayLike) -> Forward:
        """ŷ for every example."""
        p = self._params(params)
        X = _as_inputs(X, self.n_inputs)
        with np.errstate(all="ignore"):
            return Forward(yhat=_frozen(X @ p[:-1] + p[-1]))

    def _losses(self, fwd: Forward, y: np.ndarray) -> np.ndarray:
        return 0.5 * (y - fwd.yhat) ** 2

    def costs(self, params_rows: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """Cost J for each row of parameters, all rows at once."""
        P = np.atleast_2d(np.asarray(params_rows, dtype=float))
        X = _as_inputs(X, self.n_inputs)
        y = _as_targets(y, X.shape[0])
        with np.errstate(all="ignore"):
            yhat = P[:, :-1] @ X.T + P[:, -1:]  # (rows, examples)
            return np.mean(0.5 * (y - yhat) ** 2, axis=1)

    def _cost_and_gradient(
        self, params: np.ndarray, ex: Examples
    ) -> tuple[float, np.ndarray, None]:
        # ŷ = (w…, b)·X1; ∂L/∂ŷ = ŷ − y; ∂J/∂w_i = mean((ŷ − y)·x_i), ∂J/∂b = mean(ŷ − y)
        dL_dyhat = np.dot(params, ex.X1) - ex.y
        cost = float(np.dot(dL_dyhat, dL_dyhat)) / (2 * ex.m)
        return cost, np.dot(ex.X1, dL_dyhat) / ex.m, None

    def _gradient_rows(
        self, p: np.ndarray, X: np.ndarray, fwd: Forward, residual: np.ndarray
    ) -> np.ndarray:
        # ∂L/∂w_i = −(y − ŷ)·x_i, ∂L/∂b = −(y − ŷ)
        d = -residual
        return np.column_stack([d[:, None] * X, d])


class _Classifier(_Model):
    """Sigmoid output and log loss."""

    is_classifier = True

    def _losses(self, fwd: Forward, y: np.ndarray) -> np.ndarray:
        return log_loss_from_z(fwd.z, y)

    def _residual(self, fwd: Forward, y: np.ndarray) -> np.ndarray:
        # y − σ(z) = y·σ(−z) − (1 − y)·σ(z): accurate even when ŷ rounds to 1
        return y * sigmoid(-fwd.z) - (1.0 - y) * fwd.yhat


class Perceptron(_Classifier):
    """z = w1·x1 + … + wn·xn + b, ŷ = σ(z), log loss. Names ("w1", "w2", "b")."""

    kind = "perceptron"

    def __init__(self, n_inputs: int = 2):
        if n_inputs < 1:
            raise ValueError("a model needs at least one input")
        self.n_inputs = n_inputs
        self.names = (*(f"w{i + 1}" for i in range(n_inputs)), "b")

    def __repr__(self) -> str:
        return f"Perceptron(n_inputs={self.n_inputs})"

    def forward(self, params: ArrayLike, X: ArrayLike) -> Forward:
        """z and ŷ = σ(z) for every example."""
        p = self._params(params)
        X = _as_inputs(X, self.n_inputs)
        with np.errstate(all="ignore"):
            z = X @ p[:-1] + p[-1]
            return Forward(yhat=_frozen(sigmoid(z)), z=_frozen(z))

    def _cost_and_gradient(
        self, params: np.ndarray, ex: Examples
    ) -> tuple[float, np.ndarray, float]:
        # z = (w…, b)·X1; ∂L/∂z = ŷ − y; ∂J/∂w_i = mean((ŷ − y)·x_i), ∂J/∂b = mean(ŷ − y)
        cost, dL_dz, accuracy = _log_loss_output(np.dot(params, ex.X1), ex)
        return cost, np.dot(ex.X1, dL_dz) / ex.m, accuracy

    def _gradient_rows(
        self, p: np.ndarray, X: np.ndarray, fwd: Forward, residual: np.ndarray
    ) -> np.ndarray:
        # ŷ(1 − ŷ) cancels: ∂L/∂w_i = −(y − ŷ)·x_i, ∂L/∂b = −(y − ŷ)
        d = -residual
        return np.column_stack([d[:, None] * X, d])


def network_names(hidden: int) -> tuple[str, ...]:
    """Parameter names of a 2-h-1 network: w1j, w2j for each j, then b1…bh, w1…wh, b."""
    w_in = [f"w{i}{j}" for j in range(1, hidden + 1) for i in (1, 2)]
    b_in = [f"b{j}" for j in range(1, hidden + 1)]
    w_out = [f"w{j}" for j in range(1, hidden + 1)]
    return (*w_in, *b_in, *w_out, "b")


class Network(_Classifier):
    """2-h-1 network: z_j = x1·w1j + x2·w2j + b_j, a_j = act(z_j), z = Σ a_j·w_j + b, ŷ = σ(z).

    The flat vector for h = 2 is (w11, w21, w12, w22, b1, b2, w1, w2, b); w_ij is the
    weight from input i to hidden unit j, i.e. ``W1[j-1, i-1]`` in the course's (h, 2)
    matrix.
    """

    kind = "network"
    n_inputs = 2

    def __init__(self, hidden: int = 2, activation: str = "sigmoid"):
        if not 1 <= hidden <= 8:
            raise ValueError(f"the hidden layer has 1 to 8 units, not {hidden}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; use one of {list(ACTIVATIONS)}")
        self.hidden = hidden
        self.activation = activation
        self._act, self._dact = ACTIVATIONS[activation]
        self._act_and_derivative = ACTIVATIONS_WITH_DERIVATIVE[activation]
        self.names = network_names(hidden)

    def __repr__(self) -> str:
        return f"Network(hidden={self.hidden}, activation={self.activation!r})"

    def unpack(self, params: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """(W1 (h, 2), b1 (h,), W2 (h,), b) from the flat vector (W1[j, i]: input i → unit j)."""
        p = self._params(params)
        h = self.hidden
        return p[: 2 * h].reshape(h, 2), p[2 * h : 3 * h], p[3 * h : 4 * h], float(p[4 * h])

    def pack(self, W1: ArrayLike, b1: ArrayLike, W2: ArrayLike, b: float) -> np.ndarray:
        """Flat vector from W1 (h, 2), b1 (h,), W2 (h,) or (1, h), b."""
        h = self.hidden
        parts = [
            np.asarray(W1, dtype=float).reshape(h, 2).ravel(),
            np.asarray(b1, dtype=float).reshape(h),
            np.asarray(W2, dtype=float).reshape(h),
            [float(b)],
        ]
        return np.concatenate(parts)

    def _course_init(self, rng: np.random.RandomState) -> np.ndarray:
        W1 = _course_weights(rng, self.hidden, 2)
        W2 = _course_weights(rng, 1, self.hidden)
        return self.pack(W1, np.zeros(self.hidden), W2, 0.0)

    def forward(self, params: ArrayLike, X: ArrayLike) -> Forward:
        """Hidden z_j, a_j (m, h), output z and ŷ for every example."""
        W1, b1, W2, b = self.unpack(params)
        X = _as_inputs(X, 2)
        with np.errstate(all="ignore"):
            # elementwise, not X @ W1.T: BLAS may round one unit's dot product differently
            # from another's, and hidden units that start equal must stay exactly equal
            Z1 = X[:, :1] * W1[:, 0] + X[:, 1:2] * W1[:, 1] + b1
            A1 = self._act(Z1)
            z = A1 @ W2 + b
            return Forward(
                yhat=_frozen(sigmoid(z)),
                z=_frozen(z),
                hidden_z=_frozen(Z1),
                hidden_a=_frozen(A1),
            )

    def _cost_and_gradient(
        self, params: np.ndarray, ex: Examples
    ) -> tuple[float, np.ndarray, float]:
        # the course's layout: one row per hidden unit j, one column per example
        h = self.hidden
        W1 = params[: 2 * h].reshape(h, 2)  # W1[j-1, i-1] = w_ij
        b1, W2, b = params[2 * h : 3 * h, None], params[3 * h : 4 * h], params[4 * h]
        # Every hidden unit's numbers are computed alike, elementwise and summed row by row
        # (not by BLAS, which may round one row differently from another): units that start
        # equal stay exactly equal, the symmetry the lesson shows.
        x1, x2 = ex.X1[0], ex.X1[1]
        Z1 = W1[:, :1] * x1 + W1[:, 1:2] * x2 + b1  # z_j = x1·w1j + x2·w2j + b_j
        A1, dA1_dZ1 = self._act_and_derivative(Z1)  # a_j = act(z_j) and ∂a_j/∂z_j
        cost, dL_dz, accuracy = _log_loss_output(np.dot(W2, A1) + b, ex)  # z = Σ a_j·w_j + b
        dL_dZ1 = W2[:, None] * dL_dz * dA1_dZ1  # ∂L/∂z_j = ∂z/∂a_j · ∂L/∂z · ∂a_j/∂z_j
        # summed over the examples: ∂z_j/∂(w_1j, w_2j, b_j) = (x1, x2, 1), ∂z/∂(w_j, b) = (a_j, 1)
        dW1 = np.column_stack([(dL_dZ1 * x1).sum(axis=1), (dL_dZ1 * x2).sum(axis=1)])
        sums = (dW1.reshape(-1), dL_dZ1.sum(axis=1), (A1 * dL_dz).sum(axis=1), [dL_dz.sum()])
        gradient = np.concatenate(sums) / ex.m
        if not np.isfinite(Z1).all():  # a hidden z_j overflowed (the cost may not show it)
            gradient[:] = np.nan
        return cost, gradient, accuracy

    def _gradient_rows(
        self, p: np.ndarray, X: np.ndarray, fwd: Forward, residual: np.ndarray
    ) -> np.ndarray:
        h = self.hidden
        W2 = p[3 * h : 4 * h]
        dz = -residual  # ∂L/∂z = ∂ŷ/∂z · ∂L/∂ŷ = −(y − ŷ)
        dA = dz[:, None] * W2  # ∂L/∂a_j = ∂z/∂a_j · ∂L/∂z
        dZ1 = dA * self._dact(fwd.hidden_z)  # ∂L/∂z_j = ∂a_j/∂z_j · ∂L/∂a_j
        dW1 = (dZ1[:, :, None] * X[:, None, :]).reshape(X.shape[0], 2 * h)  # ∂z_j/∂w_ij = x_i
        return np.column_stack([dW1, dZ1, dz[:, None] * fwd.hidden_a, dz])

    def _backward(
        self,
        p: np.ndarray,
        X: np.ndarray,
        y: np.ndarray,
        fwd: Forward,
        r: np.ndarray,
        rows: np.ndarray,
    ) -> Backward:
        base = super()._backward(p, X, y, fwd, r, rows)
        h = self.hidden
        m = X.shape[0]
        dz_da = np.broadcast_to(p[3 * h : 4 * h], (m, h)).copy()
        da_dz = self._dact(fwd.hidden_z)
        dL_da = base.dL_dz[:, None] * dz_da
        return Backward(
            kind=base.kind,
            names=base.names,
            forward=fwd,
            y=y,
            residual=r,
            dL_dyhat=base.dL_dyhat,
            dyhat_dz=base.dyhat_dz,
            dL_dz=base.dL_dz,
            dz_dw=X,
            per_example_gradients=rows,
            dz_da=dz_da,
            da_dz=da_dz,
            dL_da=dL_da,
            dL_dhidden_z=dL_da * da_dz,
        )


#: Any of the three models.
Model = LinearRegression | Perceptron | Network
