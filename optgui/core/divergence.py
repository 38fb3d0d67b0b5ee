"""The one wording of a run that diverged, for every tab (they all say it alike)::

    diverged at step 4: the cost grew to 1.4e+20 — the learning rate α = 0.1 is too large
    for this data
    diverged at step 1: g(x) grew to ∞ — the learning rate α = 1 is too large for this function
    diverged at step 9: |x| grew to 1.2e+301 — Newton's steps run away from this start

What grew, and to what; then why, and what to change. The tab's status shows it
with a capital D; the caption says "The run has diverged at step 4: …".
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


def rate_too_large(learning_rate: float, of: str = "this function") -> str:
    """'the learning rate α = 0.1 is too large for this function' (so: try a smaller one)."""
    return f"the learning rate α = {short(learning_rate, 4)} is too large for {of}"


#: Why Newton's method ran off (its step has no learning rate to blame).
NEWTON_RUNS_AWAY = "Newton's steps run away from this start: try another start"
