"""The wording every "Next: what will this step do?" caption shares, without Qt.

Each lesson's ``next_caption(settings, record, outcome=None)`` says, in words a
student reads from the back row, what the next press of → will do, with the
current settings' numbers. ``record`` is the step on screen (None before the
first step: the next step is step 0 from the settings' start); ``outcome`` is how
the run ended after it, if it did (then → does nothing more)::

    ended(Outcome("converged", "converged at step 41: …", 41))
    # 'The run has converged (step 41): → does nothing more; R starts again.'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from optgui.core.format import fmt
from optgui.core.stepping import CONVERGED, DIVERGED, DOMAIN, SINGULAR, STEP_LIMIT, Outcome
from optgui.lessons.notation import subscript

AGAIN = "→ does nothing more; R starts again."


def next_k(record: Any) -> int:
    """The number of the step → takes next (0 before any)."""
    return 0 if record is None else int(record.k) + 1


def heading(record: Any) -> str:
    """'Next, step 4:' (the step → takes)."""
    return f"Next, step {next_k(record)}:"


def ended(outcome: Outcome | None) -> str | None:
    """The caption once → can do nothing more, None while it can.

    Play's step limit is not an end: → still takes a step past it.
    """
    if outcome is None or outcome.status == STEP_LIMIT:
        return None
    if outcome.status == CONVERGED:
        return f"The run has converged (step {outcome.k}): {AGAIN}"
    message = outcome.message.rstrip(".")
    if message.startswith(outcome.status):  # "diverged at step 7: …"
        return f"The run has {message}. {AGAIN}"
    return f"The run has stopped: {message}. {AGAIN}"


def pretty(name: str) -> str:
    """A parameter's name as the slides write it: w11 → w₁₁, b → b."""
    head = name.rstrip("0123456789")
    digits = name[len(head) :]
    return head + (subscript(int(digits)) if digits else "")


def and_list(items: Sequence[str]) -> str:
    """'w₁', 'w₁ and b', 'w₁, w₂ and b'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def rate(value: float) -> str:
    """α with the app's formatter: 'α = 0.1'."""
    return f"α = {fmt(value, 4)}"


def point(values: Sequence[float]) -> str:
    """A point in a caption: (1.25, −0.5)."""
    return "(" + ", ".join(fmt(float(v), 4) for v in values) + ")"


#: How a method that has ended is described, by its outcome's status.
METHOD_ENDS = {
    CONVERGED: "has converged",
    STEP_LIMIT: "has reached its step limit",
    SINGULAR: "has stopped (singular)",
    DOMAIN: "has left the function's domain",
    DIVERGED: "has diverged",
}


def method_ended(name: str, end: Outcome, singular: str = "") -> str:
    """'Newton has converged (step 5)'; ``singular`` words a singular stop."""
    words = METHOD_ENDS.get(end.status, "has stopped")
    if end.status == SINGULAR and singular:
        words = f"has stopped: {singular}"
    return f"{name} {words} (step {end.k})"


def race_over(newton: Outcome, descent: Outcome, singular: str = "") -> str:
    """The caption when both methods of a race have ended."""
    if newton.status == descent.status == CONVERGED:
        return f"Both methods have converged: {AGAIN}"
    return (
        f"Both methods have stopped: {method_ended('Newton', newton, singular)}, "
        f"{method_ended('gradient descent', descent)}. {AGAIN}"
    )
