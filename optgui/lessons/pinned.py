"""Runs side by side: pinned runs, what differs between them, and their figures.

A pinned run keeps what it looked like (its curves and paths, thinned), the settings
it ended with (as JSON values) and its figures per method: steps to reach the
tolerance, the final cost, and whether it diverged. The figures come from the run's
history rows (:func:`training_figures`, :func:`race_figures`); the legend names only
the settings that differ between the runs compared (:func:`differing`, :func:`labels`).
No Qt here: the tabs draw, this says what.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from optgui.core.format import short
from optgui.core.history import thin
from optgui.core.race import CODE_STATUS, RowLayout
from optgui.core.stepping import CONVERGED, DIVERGED
from optgui.core.training import divergence_limit

#: Pinned runs per tab; pinning a fifth replaces the oldest.
MAX_PINNED = 4
#: The gradient length below which a training run counts as arrived (the table's tolerance).
TRAIN_TOL = 1e-3
#: The network's goal is a cost instead: its small random start sits on a flat stretch
#: (the gradient is already tiny at step 0), so "the gradient is small" says nothing there.
NETWORK_COST = 0.1
#: Points kept per pinned curve or path (enough for the eye, small in a session).
KEEP_POINTS = 400
#: A label longer than this is cut (a long typed function).
LABEL_CHARS = 44

#: How the legend calls a setting (a field not listed: its name with spaces).
NAMES = {
    "learning_rate": "α",
    "batch": "batch",
    "init": "start",
    "seed": "seed",
    "params0": "typed start",
    "added": "added points",
    "activation": "activation",
    "hidden": "hidden units",
    "source": "data",
    "noise": "noise",
    "data_seed": "data seed",
    "normalize": "normalised",
    "points": "points",
    "function": "f",
    "start": "start",
    "x0": "x₀",
    "tolerance": "tolerance",
    "modified": "modified Newton",
    "tau": "τ",
}
#: Settings that do not change a run (what is plotted, where): never named as a difference.
IGNORED = frozenset({"x_min", "x_max", "window", "selected"})


@dataclass(frozen=True)
class Figures:
    """One method's figures: steps to reach the tolerance (None: not reached), the final
    cost (NaN: none), and how it ended ("diverged", or "no" …)."""

    steps: int | None
    final: float
    ended: str = "no"

    @property
    def diverged(self) -> bool:
        return self.ended == "diverged"

    def to_json(self) -> dict[str, Any]:
        final = self.final if math.isfinite(self.final) else None
        return {"steps": self.steps, "final": final, "ended": self.ended}

    @classmethod
    def from_json(cls, data: Any) -> Figures:
        if not isinstance(data, dict):
            raise ValueError("a pinned run's figures are damaged")
        steps, final, ended = data.get("steps"), data.get("final"), data.get("ended", "no")
        if steps is not None and (not isinstance(steps, int) or isinstance(steps, bool)):
            raise ValueError("a pinned run's step count is damaged")
        if final is not None and (isinstance(final, bool) or not isinstance(final, int | float)):
            raise ValueError("a pinned run's final cost is damaged")
        if not isinstance(ended, str):
            raise ValueError("a pinned run's ending is damaged")
        return cls(steps, math.nan if final is None else float(final), ended)


@dataclass(frozen=True)
class PinnedRun:
    """A run kept on screen: its settings, curves and paths ({name: (xs, ys)}), figures
    per method ({method: Figures}) and how many steps it had."""

    settings: dict[str, Any]
    curves: dict[str, tuple[tuple[float, ...], tuple[float, ...]]]
    figures: dict[str, Figures]
    steps: int
    changed: bool = False  # a setting changed during the run (the label names its last)

    def to_json(self) -> dict[str, Any]:
        return {
            "settings": self.settings,
            "curves": {k: [_nones(x), _nones(y)] for k, (x, y) in self.curves.items()},
            "figures": {k: f.to_json() for k, f in self.figures.items()},
            "steps": self.steps,
            "changed": self.changed,
        }

    @classmethod
    def from_json(cls, data: Any) -> PinnedRun:
        """A pinned run from a session (ValueError, in words, if damaged)."""
        if not isinstance(data, dict):
            raise ValueError("a pinned run is damaged")
        settings, curves = data.get("settings"), data.get("curves")
        figures, steps = data.get("figures"), data.get("steps", 0)
        if not isinstance(settings, dict) or not isinstance(curves, dict):
            raise ValueError("a pinned run's settings or curves are missing")
        if not isinstance(figures, dict) or not isinstance(steps, int) or steps < 0:
            raise ValueError("a pinned run's figures are missing")
        kept = {}
        for name, pair in curves.items():
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ValueError(f"the pinned curve {name!r} is damaged")
            x, y = (_numbers(v, name) for v in pair)
            if len(x) != len(y) or len(x) > 10 * KEEP_POINTS:
                raise ValueError(f"the pinned curve {name!r} is damaged")
            kept[name] = (x, y)
        return cls(
            settings,
            kept,
            {str(k): Figures.from_json(v) for k, v in figures.items()},
            steps,
            bool(data.get("changed", False)),
        )


def _nones(values: Sequence[float]) -> list[float | None]:
    return [float(v) if math.isfinite(v) else None for v in values]


def _numbers(values: Any, name: str) -> tuple[float, ...]:
    if not isinstance(values, list):
        raise ValueError(f"the pinned curve {name!r} is damaged")
    out = []
    for v in values:
        if v is None:
            out.append(math.nan)
        elif isinstance(v, bool) or not isinstance(v, int | float):
            raise ValueError(f"the pinned curve {name!r} holds something that is not a number")
        else:
            out.append(float(v))
    return tuple(out)


def curve(x: np.ndarray, y: np.ndarray, most: int = KEEP_POINTS) -> tuple[tuple, tuple]:
    """A curve thinned to at most ``most`` points (the first and last kept)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    idx = thin(len(x), most)
    return tuple(x[idx].tolist()), tuple(y[idx].tolist())


# -- figures from a history ----------------------------------------------------------------
def training_figures(
    rows: np.ndarray,
    columns: Sequence[str],
    full_batch: np.ndarray | None = None,
    tol: float = TRAIN_TOL,
    diverged: bool = False,
    cost_below: float | None = None,
) -> Figures:
    """Gradient descent's figures from its history rows (columns as ``row_columns``).

    Steps: the first k whose full-batch gradient is shorter than ``tol`` (rows run one
    example at a time, ``full_batch`` False, hold one example's gradient: not counted);
    with ``cost_below``, the first k whose cost is below it instead.
    Diverged: the last cost is not finite or above the divergence limit (or the run
    said so: ``diverged``).
    """
    rows = np.asarray(rows, dtype=float)
    if not len(rows):
        return Figures(None, math.nan)
    grads = [j for j, c in enumerate(columns) if c.startswith("grad_")]
    cost = rows[:, list(columns).index("cost")]
    with np.errstate(all="ignore"):
        length = np.sqrt(np.sum(rows[:, grads] ** 2, axis=1))
    if cost_below is not None:
        arrived = cost < cost_below
    else:
        arrived = length < tol
        if full_batch is not None:
            arrived &= np.asarray(full_batch, dtype=bool)
    hits = np.flatnonzero(arrived)
    steps = int(rows[hits[0], 0]) if len(hits) else None
    last = float(cost[-1])
    blown = not math.isfinite(last) or last > divergence_limit(float(cost[0]))
    return Figures(steps, last, "diverged" if (blown or diverged) else "no")


def goal_text(cost_below: float | None = None, tol: float = TRAIN_TOL) -> str:
    """The training table's tolerance in words: "|∇J| < 0.001" or "J < 0.1"."""
    return f"J < {cost_below:g}" if cost_below is not None else f"|∇J| < {tol:g}"


#: How a race's method ended, in the table's words (running or at the limit: "no").
RACE_ENDINGS = {"diverged": "diverged", "singular": "singular H", "left the domain": "left domain"}


def race_figures(rows: np.ndarray, n: int) -> dict[str, Figures]:
    """Newton's and gradient descent's figures from a race's history rows (``n``
    variables): steps when the method converged (its end step), f at its last step
    taken, and how it ended."""
    L = RowLayout(n)
    rows = np.asarray(rows, dtype=float).reshape(-1, L.width)
    out = {}
    for name, (status, end_k, cols) in {
        "Newton": (L.newton_code, L.newton_end_k, L.newton),
        "gradient descent": (L.descent_code, L.descent_end_k, L.descent),
    }.items():
        if not len(rows):
            out[name] = Figures(None, math.nan)
            continue
        taken = rows[rows[:, cols.k] == rows[:, L.k]]
        final = float(taken[-1, cols.value]) if len(taken) else math.nan
        code = rows[-1, status]
        end = CODE_STATUS.get(int(code), "") if math.isfinite(code) else ""
        steps = int(rows[-1, end_k]) if end == CONVERGED else None
        ended = "diverged" if end == DIVERGED else RACE_ENDINGS.get(end, "no")
        out[name] = Figures(steps, final, ended)
    return out


# -- what differs ------------------------------------------------------------------------------
def differing(settings: Sequence[Mapping[str, Any]]) -> list[str]:
    """The settings (keys) whose values are not the same in all ``settings``, in the
    order of the first; those that do not change a run are left out."""
    keys: list[str] = []
    for s in settings:
        keys += [k for k in s if k not in keys]
    out = []
    for key in keys:
        if key in IGNORED:
            continue
        values = [s.get(key) for s in settings]
        if any(v != values[0] for v in values[1:]):
            out.append(key)
    return out


def name(key: str) -> str:
    """A setting as the legend calls it."""
    return NAMES.get(key, key.replace("_", " "))


def value_text(key: str, value: Any) -> str:
    """A setting's value as the legend shows it."""
    if key == "added" and isinstance(value, list | tuple):  # (points: how many)
        return str(len(value))
    if key == "params0" and isinstance(value, list | tuple) and len(value) > 3:
        return f"{len(value)} typed values"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float):
        return short(float(value))
    if isinstance(value, list | tuple):
        return "(" + ", ".join(value_text(key, v) for v in value) + ")"
    if value is None:
        return "—"
    return str(value)


def label(settings: Mapping[str, Any], keys: Sequence[str], changed: bool = False) -> str:
    """``settings`` by the ``keys`` that differ: "α = 0.5, start = zeros"."""
    parts = [f"{name(k)} = {value_text(k, settings.get(k))}" for k in keys]
    text = ", ".join(parts) or "same settings"
    if changed:
        text += " (changed mid-run)"
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def run_names(pinned: int) -> list[str]:
    """The table's and the legend's names of the runs: the pinned ones, then this run."""
    return [f"run {i + 1}" for i in range(pinned)] + ["now"]


def labels(runs: Sequence[Mapping[str, Any]], changed: Sequence[bool] = ()) -> list[str]:
    """One label per run (pinned ones, then the current), naming what differs."""
    keys = differing(runs)
    flags = list(changed) + [False] * (len(runs) - len(changed))
    return [label(s, keys, c) for s, c in zip(runs, flags, strict=True)]


def legend_text(runs: Sequence[Mapping[str, Any]], changed: Sequence[bool] = ()) -> str:
    """The legend in one line per run: "run 1: α = 0.5" … "now: α = 0.1"."""
    if len(runs) < 2:
        return "Pin this run (P) to keep it on the plots, then change one setting and run again."
    names = run_names(len(runs) - 1)
    return "\n".join(f"{n}: {t}" for n, t in zip(names, labels(runs, changed), strict=True))


def steps_text(figures: Figures) -> str:
    return "—" if figures.steps is None else str(figures.steps)


def final_text(figures: Figures) -> str:
    return short(figures.final) if math.isfinite(figures.final) else "—"


#: Methods as the table names them (short: the table fits a projector's side column).
SHORT_METHODS = {"gradient descent": "GD"}


def table_rows(
    figures: Sequence[Mapping[str, Figures]],
) -> list[tuple[str, str, str, str, str]]:
    """The table: (run, method, steps to the tolerance, final cost, diverged) per run
    and method; the method is "" where a tab has one."""
    names = run_names(len(figures) - 1)
    rows = []
    for name, by_method in zip(names, figures, strict=True):
        one = len(by_method) == 1
        for method, f in by_method.items():
            method = "" if one else SHORT_METHODS.get(method, method)
            rows.append((name, method, steps_text(f), final_text(f), f.ended))
    return rows


def table_headings(methods: int, cost: str) -> list[str]:
    """The table's column headings (no method column for a tab with one method)."""
    heads = ["run", "method", "steps", f"final {cost}", "diverged"]
    return heads if methods > 1 else [heads[0], *heads[2:]]


def table_note(tol_text: str, cost: str, methods: int = 1) -> str:
    """What the table's columns mean, under it."""
    text = f"steps: to reach {tol_text} (—: not yet); final {cost}: at the last step."
    return text + (" GD: gradient descent." if methods > 1 else "")


#: Why a tab pins no runs, by its title.
NO_PINS = {
    "Hessian Explorer": (
        "The Hessian Explorer's walk has no setting to compare (it only finds the nearest "
        "flat point); pin Newton's runs in Newton 2-D, e.g. Newton against modified Newton."
    ),
}


def no_pins(title: str) -> str:
    """What P says in a tab without runs to pin."""
    return NO_PINS.get(title, f"{title} has no cost curve or path to pin.")


def pin_status(count: int, replaced: bool) -> str:
    """What pinning said, for the status bar (``count`` runs are pinned now)."""
    first = f"Pinned this run as run {count}"
    if replaced:
        first += f" (the oldest of {MAX_PINNED} pinned runs made room)"
    return f"{first}: change one setting and run again to compare. Shift+P clears the pins."
