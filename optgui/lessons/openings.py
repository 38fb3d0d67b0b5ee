"""Each tab's first status line: what the tab shows and what to press.

Shown when a tab opens with no status of its own (not "Reset: …": nothing was reset).
"""

from __future__ import annotations

KEYS = "Space plays, → takes one step."

OPENINGS = {
    "Regression": f"Regression: gradient descent fits ŷ = w·x + b to the data. {KEYS}",
    "Classification": (
        f"Classification: a perceptron learns to tell class 1 from class 0, ŷ = σ(z). {KEYS}"
    ),
    "2-2-1 Network": (
        f"2-2-1 Network: backpropagation trains two hidden units and an output. {KEYS}"
    ),
    "Newton 1-D": (
        f"Newton 1-D: Newton's method looks for g′(x) = 0, beside gradient descent. {KEYS}"
    ),
    "Newton 2-D": (
        f"Newton 2-D: Newton's method and gradient descent look for a minimum of f(x, y). {KEYS}"
    ),
    "Hessian Explorer": (
        "Hessian Explorer: click the map for the Hessian's verdict at a point; "
        "Space walks to a critical point with Newton's method."
    ),
}


def opening(title: str) -> str:
    """The first status of the tab called ``title``."""
    return OPENINGS.get(title, f"{title}: {KEYS}" if title else KEYS)
