"""Why a learning rate diverges, in words: the bound 2/λ_max beside α (no Qt).

Regression's learning-rate box is coloured by :func:`regression_check` (green: the
cost slides down; amber: it zigzags but falls; red: it diverges) and says the bound
under it; Newton 2-D's math panel gives the local bound of gradient descent at x_k
from H(x_k) (:func:`local_lines`)::

    check = regression_check(0.9, prepared.X)
    check.zone, check.label   # 'diverges', 'α = 0.9 > 2/λ_max = 0.667: the cost will grow …'
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from optgui.core.divergence import above_bound, at_bound, bound_texts
from optgui.core.format import fmt
from optgui.core.stability import (
    DIVERGES,
    FALLS,
    ZIGZAGS,
    RateBound,
    rate_bound,
    regression_bound,
    zone,
)

#: What each zone means, for the legend of the box's colours.
ZONE_WORDS = {
    FALLS: "green: each step slides straight down",
    ZIGZAGS: "amber: the steps overshoot and zigzag, but the cost still falls",
    DIVERGES: "red: the cost grows, the run diverges",
}


@dataclass(frozen=True)
class RateCheck:
    """α against its bound: the ``zone`` (FALLS, ZIGZAGS, DIVERGES), the bound, the line
    under the box (``label``) and the box's ``tooltip``."""

    learning_rate: float
    limit: float
    largest: float  # λ_max (or max‖aᵢ‖² one example at a time)
    zone: str
    label: str
    tooltip: str

    @property
    def label_html(self) -> str:
        """The label as rich text, λ_max written λ with a subscript max."""
        return as_html(self.label)


def sub_max(text: str) -> str:
    """λ_max → λ<sub>max</sub> (for rich text)."""
    return text.replace("λ_max", "λ<sub>max</sub>")


def as_html(text: str) -> str:
    """Plain ``text`` as rich text: escaped, and each "2/λ_max" (or "1/λ_max") written
    with a subscript and kept on one line."""
    out = html.escape(text)
    for n in ("1", "2"):  # (word joiners: Qt's layout would break a line after the slash)
        out = out.replace(
            f"{n}/λ_max",
            f"<span style='white-space:nowrap'>{n}{JOIN}/{JOIN}λ<sub>max</sub></span>",
        )
    return sub_max(out)


#: U+2060 WORD JOINER: no line break here (it has no width).
JOIN = "\u2060"


def regression_check(learning_rate: float, X: ArrayLike, batch: str = "full") -> RateCheck:
    """α against 2/λ_max of the regression cost's Hessian on inputs ``X`` as trained on
    (normalised or raw); one example at a time, against 2/max(‖xᵢ‖² + 1), which keeps
    every single step stable."""
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if batch == "single":
        largest = float(np.max(np.sum(X * X, axis=1) + 1.0))
        limit = 2.0 / largest
        where = zone(learning_rate, limit)
        a, b = bound_texts(learning_rate, limit)
        bound = f"2/max(‖xᵢ‖² + 1) = {b}"
        label = {
            FALLS: f"α = {a} < {bound}: every step is stable.",
            ZIGZAGS: f"α = {a} < {bound}: stable, but steps overshoot each example.",
            DIVERGES: f"α = {a} ≥ {bound}: single steps overshoot, the run may diverge.",
        }[where]
        tooltip = (
            "One example at a time, each step is gradient descent on that example's own "
            f"loss, whose Hessian aᵢaᵢᵀ (aᵢ = [xᵢ 1]) has one nonzero eigenvalue, "
            f"‖aᵢ‖² = ‖xᵢ‖² + 1, at most {fmt(largest, 3)} here. Below 2/{fmt(largest, 3)} = "
            f"{b} no step can overshoot; above it some do, and the run may diverge."
        )
        return RateCheck(learning_rate, limit, largest, where, label, tooltip)
    bound = regression_bound(X)
    assert bound.limit is not None  # AᵀA/m ≠ 0: the column of ones
    return _full_check(learning_rate, bound)


def _full_check(learning_rate: float, bound: RateBound) -> RateCheck:
    limit = bound.limit
    assert limit is not None
    where = zone(learning_rate, limit)
    lam = fmt(bound.largest, 3)
    a, b = bound_texts(learning_rate, limit)
    half = fmt(limit / 2, 3)
    tooltip = (
        f"J is a quadratic bowl. Its Hessian H = AᵀA/m (A = [X 1]) has largest eigenvalue "
        f"λ_max = {lam}. Each step multiplies the distance to the minimum along that "
        f"eigenvector by 1 − αλ_max, so α must stay below 2/λ_max = {b} for the cost to "
        f"fall. Box colour: {ZONE_WORDS[FALLS]} (α ≤ 1/λ_max = {half}); "
        f"{ZONE_WORDS[ZIGZAGS]}; {ZONE_WORDS[DIVERGES]}."
    )
    if at_bound(learning_rate, limit):
        label = (
            f"α = {a} = 2/λ_max: along the steepest direction the steps swing back and "
            f"forth forever. Stay below {b}."
        )
        return RateCheck(learning_rate, limit, bound.largest, where, label, tooltip)
    label = {
        FALLS: f"α = {a} < 2/λ_max = {b}: the cost falls.",
        ZIGZAGS: f"α = {a} < 2/λ_max = {b}: the cost falls, but the steps zigzag "
        f"(α > 1/λ_max = {half}).",
        DIVERGES: f"{above_bound(learning_rate, limit)}: the cost will grow. Stay below {b}.",
    }[where]
    return RateCheck(learning_rate, limit, bound.largest, where, label, tooltip)


def local_lines(hessian: ArrayLike, learning_rate: float, damping: float = 0.0) -> list[str]:
    """Gradient descent's bound at x_k from H(x_k), for Newton 2-D's math panel (HTML).

    Positive definite: α below 2/λ_max settles here, with α's verdict; otherwise what the
    bound still means (it keeps steps along curved-up directions from overshooting) and
    that no α settles where f is flat or curves down."""
    bound = rate_bound(hessian)
    values = " and ".join(fmt(v, 4) for v in sorted(bound.eigenvalues))
    head = f"<b>Gradient descent at x<sub>k</sub></b>: H has eigenvalues {values}"
    limit = bound.limit
    if limit is None:
        return [
            sub_max(
                f"{head}, none positive: f curves down (or is flat) in every direction here, "
                "so there is no bound 2/λ_max: every α steps downhill, none settles here."
            )
        ]
    lam = fmt(bound.largest, 4)
    a, b = bound_texts(learning_rate, limit)
    if learning_rate >= limit:
        verdict = f"α = {a} is above it: along H's steepest direction the step overshoots."
    elif learning_rate > limit / 2:
        verdict = f"α = {a} is below it, but above 1/λ_max: the steps zigzag."
    else:
        verdict = f"α = {a} is below it."
    shape = "curves down" if bound.smallest < 0 else "is flat to second order"
    if bound.positive_definite:
        text = (
            f"{head}, so α must stay below 2/λ_max = 2/{lam} = <b>{b}</b> to settle here. "
            f"{verdict}"
        )
    else:
        text = (
            f"{head}: H is not positive definite, so no α makes gradient descent settle "
            f"here (along the eigenvector of {fmt(bound.smallest, 4)} f {shape}). "
            f"2/λ_max = 2/{lam} = <b>{b}</b> only keeps the steps along the curved-up "
            f"direction from overshooting. {verdict}"
        )
    if damping:
        text += " (This is f's own H, not Newton's H + τI.)"
    return [sub_max(text)]
