"""How a training run's cost is going, in words with what to try (no Qt).

Gradient descent with a good learning rate lowers the cost step after step. Three
patterns say something is off, and :func:`judge` names them from the cost column of
the history (one cost per step, step 0 first)::

    verdict = judge(costs, learning_rate=100)
    verdict.text
    # 'The cost has gone up and down for 299 steps, never below its start, 0.693: the
    #  learning rate α = 100 is probably too large; try α = 10.'
    verdict.note  # '⚠ Up and down for 299 steps, never lower: try a smaller α, e.g. 10.'


- *rising*: the cost went up at each of the last :data:`RISE_STEPS` steps or more;
- *oscillating*: for :data:`SWING_STEPS` steps or more the cost has gone up and down
  without getting lower than its best, and stays clearly above it;
- *stalled*: the cost has hardly changed over the last :data:`WINDOW` steps.

:func:`log_reason` says when the cost spans so many powers of ten that only a
logarithmic axis shows it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optgui.core.divergence import above_bound, rate_too_large
from optgui.core.format import fmt, short
from optgui.core.stability import DIVERGES, advised_rate, zone

#: A cost that went up at each of this many last steps (or more) is rising.
RISE_STEPS = 10
#: Going up and down for this many steps (or more) without a new lowest cost: oscillating …
SWING_STEPS = 50
#: … when at least this share of those steps went up …
SWING_SHARE = 0.25
#: … and the cost stays at least this much (relative) above its lowest, in the median.
SWING_ABOVE = 0.01
#: The cost is stalled when it changed by less than STALL_CHANGE (relative) over WINDOW steps.
WINDOW = 200
STALL_CHANGE = 1e-4
#: Only the last LOOK steps are looked at (a run of a million steps is judged as quickly).
LOOK = 20_000
#: The cost axis goes logarithmic once the cost spans this many powers of ten.
LOG_DECADES = 4

RISING, OSCILLATING, STALLED = "rising", "oscillating", "stalled"

STUCK_HINT = (
    "the run may be stuck on a flat stretch or in a poor minimum; try a new start (N) or another α"
)
LOWEST_HINT = "the run is at or near the lowest cost it can reach; more steps change little"


@dataclass(frozen=True)
class Verdict:
    """What the cost is doing: ``kind`` (RISING, OSCILLATING, STALLED), the sentence
    with its suggestion (``text``, for the status), a short one for under the cost plot
    (``note``), and whether it is a warning (else a remark)."""

    kind: str
    text: str
    note: str
    warning: bool = True


def rate_text(learning_rate: float) -> str:
    """α as a student reads it: 0.1, 100, 5e−07."""
    return short(learning_rate, 4)


def _rises(cost: np.ndarray) -> np.ndarray:
    """Which steps raised the cost by more than round-off (one entry per step)."""
    scale = np.maximum(np.abs(cost[:-1]), 1e-300)
    return np.diff(cost) > 1e-12 * scale


def smaller_rate(learning_rate: float) -> str:
    """A learning rate to try instead of one too large: a tenth of it."""
    return rate_text(float(f"{learning_rate / 10:.3g}"))


def judge(
    cost: np.ndarray,
    learning_rate: float,
    accuracy: float | None = None,
    *,
    convex: bool = False,
    limit: float | None = None,
) -> Verdict | None:
    """What the costs ``cost`` (step 0 first) of a run with ``learning_rate`` are doing,
    or None while they fall as they should (or there are too few to say).

    ``accuracy`` (classifiers: the share of examples right at the last step) and
    ``convex`` (the model's cost has one minimum: the run cannot be stuck) choose the
    suggestion for a stalled cost. ``limit``: the bound 2/λ_max where it is known (full-batch
    regression); a rising or swinging cost with α above it says so with the numbers, and
    suggests an α below it.
    """
    cost = np.asarray(cost, dtype=float)
    n = len(cost)
    broke = limit is not None and zone(learning_rate, limit) == DIVERGES
    start = max(0, n - LOOK)
    tail = cost[start:]
    if len(tail) <= RISE_STEPS or not np.isfinite(tail).all():
        return None
    rate, smaller = rate_text(learning_rate), smaller_rate(learning_rate)

    up = _rises(tail)
    if up[-RISE_STEPS:].all():
        run = RISE_STEPS
        while run < len(up) and up[-run - 1]:
            run += 1
        before, now = tail[-run - 1], tail[-1]
        if now > before * 1.01:
            rose = f"The cost has gone up at each of the last {run} steps, from " + (
                f"{fmt(before, 3)} to {fmt(now, 3)}"
            )
            if broke:
                assert limit is not None
                bound, safe = above_bound(learning_rate, limit), rate_text(advised_rate(limit))
                why = rate_too_large(learning_rate, "this data", limit)
                return Verdict(
                    RISING,
                    f"{rose}: {why}; try α = {safe}.",
                    f"⚠ Rising for {run} steps: {bound}; try α = {safe}.",
                )
            return Verdict(
                RISING,
                f"{rose}: the learning rate α = {rate} is too large; try α = {smaller}.",
                f"⚠ Rising for {run} steps: try a smaller α, e.g. {smaller}.",
            )

    best = int(np.argmin(tail))
    since = len(tail) - 1 - best
    if since >= SWING_STEPS:
        lowest = float(tail[best])
        after = tail[best + 1 :]
        above = float(np.median(after)) - lowest
        if up[best:].mean() >= SWING_SHARE and above > SWING_ABOVE * max(abs(lowest), 1e-12):
            at = start + best
            where = f"its start, {fmt(lowest, 3)}" if at == 0 else f"{fmt(lowest, 3)} (step {at})"
            return Verdict(
                OSCILLATING,
                f"The cost has gone up and down for {since} steps, never below {where}: "
                f"the learning rate α = {rate} is probably too large; try α = {smaller}.",
                f"⚠ Up and down for {since} steps, never lower: try a smaller α, e.g. {smaller}.",
            )

    if n > WINDOW:
        window = cost[-WINDOW - 1 :]
        change = float(window.max() - window.min())
        if change < STALL_CHANGE * max(abs(float(window.mean())), 1e-12):
            stuck = not convex and accuracy is not None and accuracy < 1.0
            if stuck:
                hint = f"with {accuracy:.0%} of the examples right, {STUCK_HINT}"
                note = (
                    f"⚠ Flat for {WINDOW} steps at {accuracy:.0%} right: stuck? Try a new start."
                )
            else:
                hint = LOWEST_HINT
                note = f"Flat for {WINDOW} steps: at or near the lowest cost."
            return Verdict(
                STALLED,
                f"The cost has hardly changed in the last {WINDOW} steps "
                f"(J ≈ {fmt(float(cost[-1]), 4)}): {hint}.",
                note,
                warning=stuck,
            )
    return None


def diverged_note(k: int, learning_rate: float, limit: float | None = None) -> str:
    """Under the cost plot when the run diverged with step ``k`` (the curve shows how);
    with the bound 2/λ_max = ``limit`` (where it is known) it names it."""
    if limit is not None:
        return f"⚠ Diverged at step {k}: {above_bound(learning_rate, limit)}."
    return f"⚠ Diverged at step {k}: α = {rate_text(learning_rate)} is too large for this data."


def log_reason(cost: np.ndarray) -> str | None:
    """Why the cost axis should be logarithmic (None: a linear axis shows it well)."""
    cost = np.asarray(cost, dtype=float)
    positive = cost[np.isfinite(cost) & (cost > 0)]
    if len(positive) < 2:
        return None
    decades = math.log10(float(positive.max())) - math.log10(float(positive.min()))
    if decades < LOG_DECADES:
        return None
    return f"the cost spans {math.floor(decades)} powers of ten"
