"""The one wording of a run that diverged, for every tab (they all say it alike)::

    diverged at step 4: the cost grew to 1.4e+20 — the learning rate α = 0.1 is too large
    for this data
    diverged at step 412: the cost grew to 2e+12 — the learning rate is too large for this
    data: α = 0.9 > 2/λ_max = 0.67
    diverged at step 1: g(x) grew to ∞ — the learning rate α = 1 is too large for this function
    diverged at step 9: |x| grew to 1.2e+301 — Newton's steps run away from this start

What grew, and to what; then why, and what to change. The tab's status shows it
with a capital D; the caption says "The run has diverged at step 4: …". Where the
bound 2/λ_max of the cost's Hessian is known (full-batch regression, a quadratic), the
why names it with the numbers (:func:`above_bound`).
"""

from __future__ import annotations

import math

from optgui.core.format import fmt, short


def diverged(k: int, what: str, why: str = "") -> str:
    """'diverged at step k: what — why'."""
    text = f"diverged at step {k}: {what}"
    return f"{text} — {why}" if why else text


def grew(name: str, value: float) -> str:
    """'the cost grew to 1.4e+20', 'g(x) grew to ∞', 'f is undefined (not a number)'."""
    if math.isnan(value):
        return f"{name} is undefined (not a number)"
    return f"{name} grew to {short(value, 3) if math.isfinite(value) else fmt(value)}"


#: α within this (relative) of 2/λ_max is at the bound: closer is round-off.
AT_BOUND = 1e-12


def at_bound(learning_rate: float, limit: float) -> bool:
    """Whether α equals the bound 2/λ_max but for round-off."""
    return abs(learning_rate - limit) <= AT_BOUND * abs(limit)


def bound_texts(learning_rate: float, limit: float) -> tuple[str, str]:
    """α and 2/λ_max with the digits it takes for them to read as different as they are
    (3 significant digits, more where they round alike: 0.667 and 0.6667; alike where
    they differ by round-off only)."""
    same = at_bound(learning_rate, limit)
    for digits in range(3, 13):
        a, b = short(learning_rate, digits), short(limit, digits)
        if (a == b) == same:
            return a, b
    return a, b


def above_bound(learning_rate: float, limit: float) -> str:
    """'α = 0.9 > 2/λ_max = 0.667' (or =, < where α is at or below the bound)."""
    a, b = bound_texts(learning_rate, limit)
    sign = "=" if at_bound(learning_rate, limit) else ">" if learning_rate > limit else "<"
    return f"α = {a} {sign} 2/λ_max = {b}"


def rate_too_large(
    learning_rate: float, of: str = "this function", limit: float | None = None
) -> str:
    """'the learning rate α = 0.1 is too large for this function' (so: try a smaller one);
    with the bound 2/λ_max = ``limit``: 'the learning rate is too large for this data:
    α = 0.9 > 2/λ_max = 0.667'."""
    if limit is not None:
        return f"the learning rate is too large for {of}: {above_bound(learning_rate, limit)}"
    return f"the learning rate α = {short(learning_rate, 4)} is too large for {of}"


#: Why Newton's method ran off (its step has no learning rate to blame).
NEWTON_RUNS_AWAY = "Newton's steps run away from this start: try another start"
