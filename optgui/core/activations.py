"""Activation functions, their derivatives and the log loss, computed without overflow.

Every function here accepts scalars or arrays and never emits a numpy
``RuntimeWarning``, even for inputs such as ``z = ±1000``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

#: Smallest positive normal float: ``ln`` of it is about −708, so clipped logs stay finite.
_TINY = np.finfo(float).tiny


def sigmoid(z: ArrayLike) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), evaluated through e^(−|z|) so nothing overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z: ArrayLike) -> np.ndarray:
    """σ'(z) = σ(z)(1 − σ(z)), with 1 − σ(z) computed as σ(−z) (no cancellation)."""
    z = np.asarray(z, dtype=float)
    return sigmoid(z) * sigmoid(-z)


def tanh(z: ArrayLike) -> np.ndarray:
    """Hyperbolic tangent."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_derivative(z: ArrayLike) -> np.ndarray:
    """tanh'(z) = 1 − tanh(z)²."""
    t = np.tanh(np.asarray(z, dtype=float))
    return 1.0 - t * t


def relu(z: ArrayLike) -> np.ndarray:
    """max(0, z)."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_derivative(z: ArrayLike) -> np.ndarray:
    """1 where z > 0, else 0 (the kink at 0 gets 0, as most libraries do)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


def sigmoid_with_derivative(z: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """σ(z) and σ'(z) from one exponential: with e = e^(−|z|), σ(|z|) = 1/(1 + e),
    σ(−|z|) = e·σ(|z|) and σ'(z) = σ(|z|)·σ(−|z|)."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = 1.0 / (1.0 + e)  # σ(|z|)
    q = e * s  # σ(−|z|)
    return np.where(z >= 0, s, q), s * q


def tanh_with_derivative(z: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """tanh(z) and 1 − tanh(z)²."""
    t = np.tanh(np.asarray(z, dtype=float))
    return t, 1.0 - t * t


def relu_with_derivative(z: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """max(0, z) and its derivative (1 where z > 0, else 0)."""
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0), (z > 0).astype(float)


#: name → (activation, derivative with respect to its input z).
ACTIVATIONS: dict[str, tuple[Callable[[ArrayLike], np.ndarray], Callable[[ArrayLike], np.ndarray]]]
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
}

#: name → function giving (activation, derivative) at z together, sharing the work.
ACTIVATIONS_WITH_DERIVATIVE: dict[str, Callable[[ArrayLike], tuple[np.ndarray, np.ndarray]]]
ACTIVATIONS_WITH_DERIVATIVE = {
    "sigmoid": sigmoid_with_derivative,
    "tanh": tanh_with_derivative,
    "relu": relu_with_derivative,
}


def log_loss_from_z(z: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Per-example log loss of ŷ = σ(z), computed from z directly.

    −y ln σ(z) − (1 − y) ln(1 − σ(z)) = y ln(1 + e^(−z)) + (1 − y) ln(1 + e^z),
    evaluated with ``np.logaddexp``: exact, finite for any finite z, and valid for
    soft labels (0 ≤ y ≤ 1).
    """
    z = np.asarray(z, dtype=float)
    y = np.asarray(y, dtype=float)
    return y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)


def log_loss_per_example(yhat: ArrayLike, y: ArrayLike) -> np.ndarray:
    """Per-example log loss −y ln ŷ − (1 − y) ln(1 − ŷ).

    ŷ and 1 − ŷ are clipped below at the smallest normal float, so a prediction
    that rounds to exactly 0 or 1 gives a large but finite loss (at most about 708).
    Prefer :func:`log_loss_from_z` when z is known.
    """
    yhat = np.asarray(yhat, dtype=float)
    y = np.asarray(y, dtype=float)
    with np.errstate(all="ignore"):
        return -y * np.log(np.maximum(yhat, _TINY)) - (1.0 - y) * np.log(
            np.maximum(1.0 - yhat, _TINY)
        )


def log_loss(yhat: ArrayLike, y: ArrayLike) -> float:
    """Mean log loss (the cost J) of predictions ``yhat`` against labels ``y`` (soft labels ok)."""
    return float(np.mean(log_loss_per_example(yhat, y)))
