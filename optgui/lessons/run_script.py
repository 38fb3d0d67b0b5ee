"""The run as a script: a tab's run written as a short Python program, or a notebook.

The program uses :mod:`optgui.core` only (no window, no Qt) and reproduces the
run step for step: the same data (inlined when small, else a CSV file beside
it), the same settings with their changes during the run (one *stretch* of
steps per setting), the same number of steps. At the end it prints each
parameter of the last step as ``name = value`` (``repr`` of the float: every
digit), one per line, named as the parameter's column in the history CSV.
The numbers are bit for bit those of the app's history: each stretch continues
after the last step exactly as the app's run engine does.

The notebook (nbformat 4, written with :mod:`json`) holds the same cells::

    exported = training_script("Regression", model, X, y, params0, segments, steps)
    exported.script()     # the program's text
    exported.notebook()   # the notebook's JSON text
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from optgui import __version__

#: Data sets of at most this many examples are written into the script; larger ones
#: go to a CSV file beside it.
INLINE_MAX = 100

#: The script's comments are wrapped to this width.
COMMENT_WIDTH = 86

#: Why a tab's run cannot be exported, in words.
NO_STEPS = "No steps yet: take a few steps (→ or Space), then export the run."
NO_RUN = "The {tab} tab has no run to export as a script."


class ScriptError(ValueError):
    """A run that cannot be written as a script, in words."""


@dataclass(frozen=True)
class Cell:
    """One cell: Markdown text, or Python code."""

    kind: Literal["markdown", "code"]
    text: str


@dataclass(frozen=True)
class RunScript:
    """A run written as cells, and the CSV file of its data if that goes beside it."""

    title: str
    cells: tuple[Cell, ...]
    #: The data as CSV text, to be written as :attr:`data_name` beside the script ("": none).
    data_csv: str = ""
    data_name: str = ""
    #: The names the script prints, in order (the history CSV's columns).
    printed: tuple[str, ...] = field(default=())

    def script(self) -> str:
        """The program: Markdown cells as comments, code cells as they are."""
        parts = []
        for cell in self.cells:
            if cell.kind == "markdown":
                lines = []
                for line in cell.text.splitlines():
                    wrapped = textwrap.wrap(line.lstrip("#").strip(), COMMENT_WIDTH) or [""]
                    lines += [f"# {part}".rstrip() for part in wrapped]
                parts.append("\n".join(lines))
            else:  # (two blank lines before a function, as PEP 8 has it)
                parts.append(("\n" if cell.text.startswith("def ") else "") + cell.text)
        title = f'"""{self.title}: the run as a script (exported by optgui {__version__})."""'
        return "\n\n".join([title, *parts]) + "\n"

    def notebook(self) -> str:
        """The same cells as a Jupyter notebook (nbformat 4)."""
        cells = []
        for cell in self.cells:
            source = _lines(cell.text)
            if cell.kind == "markdown":
                cells.append({"cell_type": "markdown", "metadata": {}, "source": source})
            else:
                cells.append(
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "metadata": {},
                        "outputs": [],
                        "source": source,
                    }
                )
        document = {
            "cells": cells,
            "metadata": {
                "kernelspec": {
                    "display_name": "Python 3",
                    "language": "python",
                    "name": "python3",
                },
                "language_info": {"name": "python"},
            },
            "nbformat": 4,
            "nbformat_minor": 5,
        }
        for i, cell in enumerate(cells):  # (ids: required from nbformat 4.5 on)
            cell["id"] = f"cell-{i + 1}"
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _lines(text: str) -> list[str]:
    """A notebook's ``source``: the lines with their line ends, the last without."""
    lines = text.splitlines(keepends=True)
    if lines:
        lines[-1] = lines[-1].rstrip("\n")
    return lines


# ================================================================== numbers as code


def number(value: float) -> str:
    """A float as Python reads it back exactly (``repr``)."""
    return repr(float(value))


def whole(value: int) -> str:
    """An int; a large power of ten as 10**n."""
    if value >= 10**6 and str(value).rstrip("0") == "1":
        return f"10**{len(str(value)) - 1}"
    return str(value)


def vector(values: Sequence[float]) -> str:
    return "[" + ", ".join(number(v) for v in values) + "]"


def point(values: Sequence[float]) -> str:
    """A tuple of floats: (0.05,), (4.0, 4.0)."""
    items = [number(v) for v in values]
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def stretches(segments: Sequence[tuple[int, Any]], steps: int) -> list[tuple[int, int, Any]]:
    """(first step, number of steps, settings) of each stretch of ``steps`` steps that
    ran with one setting (``segments``: (first step, settings) as the history has them)."""
    out = []
    for i, (start, settings) in enumerate(segments):
        end = segments[i + 1][0] if i + 1 < len(segments) else steps
        if end > start:
            out.append((start, end - start, settings))
    return out


def _stretch_lines(items: list[tuple[int, int, str]]) -> str:
    """The ``stretches`` list: (steps, settings) with the steps' numbers in a comment;
    neighbours with the same settings (as written) are one stretch."""
    merged: list[list] = []
    for first, count, code in items:
        if merged and merged[-1][2] == code:
            merged[-1][1] += count
        else:
            merged.append([first, count, code])
    lines = ["stretches = [  # (steps, settings): a change during the run starts a new stretch"]
    for first, count, code in merged:
        last = first + count - 1
        lines.append(f"    # step {first}" if count == 1 else f"    # steps {first} to {last}")
        lines.append(f"    ({count}, {code}),")
    lines.append("]")
    return "\n".join(lines)


#: The loop of every run: each stretch continues after the last step with its own
#: settings, as Play does; a run that ends is started again after its last step, as a
#: later → does (it may take more steps, or end for good).
_LOOP = (
    "last = None  # the last step taken",
    "for count, settings in stretches:",
    "    run = steps_after(last, settings)",
    "    for _ in range(count):",
    "        step = next(run, None)",
    "        if step is None:  # the run ended: → starts it again after its last step",
    "            run = steps_after(last, settings)",
    "            step = next(run, None)",
    "        if step is None:",
    "            break  # it has ended for good (converged, or its numbers grew too large)",
    "        last = step",
)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _changes(items: list) -> str:
    changes = len(items) - 1
    if changes <= 0:
        return "with one setting throughout"
    if changes == 1:
        return "with one change of its settings during the run"
    return f"with {_plural(changes, 'change')} of its settings during the run"


# ================================================================== training


def training_script(
    title: str,
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    params0: np.ndarray,
    segments: Sequence[tuple[int, Any]],
    steps: int,
    *,
    data_note: str = "",
    data_name: str = "run-data.csv",
) -> RunScript:
    """Gradient descent on ``model`` as the Regression, Classification and Network tabs
    run it. ``segments``: (first step, lesson settings with ``train_settings()``)."""
    items = stretches(segments, steps)
    if not items:
        raise ScriptError(NO_STEPS)
    X = np.atleast_2d(np.asarray(X, dtype=float))
    if X.shape[0] != len(y) and X.shape[1] == len(y):
        X = X.T
    y = np.asarray(y, dtype=float).reshape(-1)
    model_class = type(model).__name__
    names = tuple(model.names)
    m = len(y)

    intro = (
        f"# {title}: the run as a script\n\n"
        f"Gradient descent as optgui's {title} tab ran it: {_plural(steps, 'step')} "
        f"{_changes(items)}. It uses `optgui.core` only (no window) and gives the same "
        "numbers as the app's step history, bit for bit. At the end it prints the "
        "parameters of the last step, named as in the history CSV."
    )
    imports = ["import csv", "from pathlib import Path", ""] if m > INLINE_MAX else []
    imports += [
        "import numpy as np",
        "",
        f"from optgui.core.models import {model_class}",
        "from optgui.core.training import TrainSettings, train",
    ]
    note = f" {data_note}" if data_note else ""
    data_text = f"## The data\n\n{_plural(m, 'example')}, as the app trained on them.{note}"
    data_csv, data_code = "", ""
    if m > INLINE_MAX:
        header = ",".join([*(f"x{j + 1}" for j in range(X.shape[1])), "y"])
        rows = [header] + [",".join(number(v) for v in (*X[i], y[i])) for i in range(m)]
        data_csv = "\n".join(rows) + "\n"
        data_text += f" They are in `{data_name}`, beside this file."
        data_code = "\n".join(
            [
                "# (the folder of this script; in a notebook, the folder it runs in)",
                'here = Path(__file__).parent if "__file__" in globals() else Path.cwd()',
                f'with open(here / "{data_name}", newline="", encoding="utf-8") as f:',
                "    rows = [[float(v) for v in row] for row in list(csv.reader(f))[1:]]",
                "X = np.array([row[:-1] for row in rows])",
                "y = np.array([row[-1] for row in rows])",
            ]
        )
    else:
        data_code = "\n".join(
            ["X = np.array([", *(f"    {vector(row)}," for row in X), "])", _y_lines(y)]
        )
    model_code = "\n".join(
        [
            f"model = {model!r}",
            f"params0 = np.array({vector(params0)})  # {', '.join(names)}",
        ]
    )
    written = []
    for first, count, settings in items:
        core = settings.train_settings()
        code = (
            f"TrainSettings(learning_rate={number(core.learning_rate)}, batch={core.batch!r}, "
            f"max_steps={whole(core.max_steps)}, tol={number(core.tol)})"
        )
        written.append((first, count, code))
    settings_code = _stretch_lines(written)
    run_code = "\n".join(
        [
            "# a run diverges when its cost grows far above the cost at its start",
            "start_cost = model.cost(params0, X, y)",
            "",
            "",
            "def steps_after(last, settings):",
            '    """Gradient descent with settings, after the step last (None: at the start)."""',
            "    if last is None:",
            "        return train(model, X, y, params0, settings, start_cost=start_cost)",
            "    # from the last step's next parameters, numbered on",
            "    params, k0 = last.params_next, last.k + 1",
            "    return train(model, X, y, params, settings, k0=k0, start_cost=start_cost)",
            "",
            "",
            *_LOOP,
        ]
    )
    print_code = "\n".join(
        [
            "for name, value in zip(model.names, last.params):",
            '    print(f"{name} = {float(value)!r}")',
        ]
    )
    cells = (
        Cell("markdown", intro),
        Cell("code", "\n".join(imports)),
        Cell("markdown", data_text),
        Cell("code", data_code),
        Cell(
            "markdown",
            "## The model and where its parameters start\n\n"
            f"The parameters as one vector: {', '.join(names)}.",
        ),
        Cell("code", model_code),
        Cell(
            "markdown",
            "## The settings, stretch by stretch\n\n"
            "Each stretch of steps ran with one setting; a change during the run "
            "(a new learning rate α, say) starts a new stretch from the next step.",
        ),
        Cell("code", settings_code),
        Cell(
            "markdown",
            "## Gradient descent\n\n"
            "Each step is params_next = params − α·gradient; each stretch continues "
            "after the last step of the one before.",
        ),
        Cell("code", run_code),
        Cell(
            "markdown",
            f"## The parameters of the last step (step {steps - 1})\n\n"
            "Full precision, named as in the history CSV (File → Export step history).",
        ),
        Cell("code", print_code),
    )
    return RunScript(title, cells, data_csv, data_name if data_csv else "", names)


def _y_lines(y: np.ndarray, per_line: int = 4) -> str:
    lines = ["y = np.array(["]
    for i in range(0, len(y), per_line):
        lines.append("    " + ", ".join(number(v) for v in y[i : i + per_line]) + ",")
    lines.append("])")
    return "\n".join(lines)


# ================================================================== Newton's tabs


def _function_lines(text: str, variables: Sequence[str]) -> str:
    return f"f = parse_function({text!r}, {tuple(variables)!r})"


def race_script(title: str, segments: Sequence[tuple[int, Any]], steps: int) -> RunScript:
    """Newton's method racing gradient descent, as the Newton 1-D and 2-D tabs run it.
    ``segments``: (first step, race settings: function text, start, α, tolerance, τ)."""
    items = stretches(segments, steps)
    if not items:
        raise ScriptError(NO_STEPS)
    first_settings = items[0][2]
    variables = tuple(first_settings.variables)
    texts = {s.function for _, _, s in items}
    if len(texts) != 1:
        raise ScriptError("The function changed during this run: it cannot be one script.")
    written = []
    for first, count, s in items:
        code = (
            f"RaceSettings(f, x0={point(s.point)}, learning_rate={number(s.learning_rate)}, "
            f"tol={number(s.tolerance)}, damping={number(s.damping)})"
        )
        written.append((first, count, code))
    gradient = first_settings.gradient_name
    if len(variables) == 1:
        newton_rule = f"x_next = x − {gradient}/{first_settings.function_name}″."
    else:
        newton_rule = f"solve H·s = {gradient}, x_next = x − s."
    intro = (
        f"# {title}: the run as a script\n\n"
        f"Newton's method and gradient descent from the same start, step by step, as "
        f"optgui's {title} tab ran them: {_plural(steps, 'step')} {_changes(items)}. "
        "It uses `optgui.core` only (no window) and gives the same numbers as the "
        "app's step history, bit for bit. At the end it prints where each method is "
        "at the last step and where it goes next, named as in the history CSV."
    )
    imports = "\n".join(
        [
            "from optgui.core.expr import parse_function",
            "from optgui.core.race import RaceSettings, race_factory",
        ]
    )
    run_code = "\n".join(
        [
            "def steps_after(last, settings):",
            '    """The race with settings, after the step last (None: from the start)."""',
            "    return race_factory(settings)(last)",
            "",
            "",
            *_LOOP,
        ]
    )
    print_code = "\n".join(
        [
            "# a method that has stopped keeps its last step; nan: it took none",
            'for prefix, step in (("newton", last.newton), ("gd", last.descent)):',
            '    for part in ("x", "x_next"):',
            "        for j, name in enumerate(f.variables):",
            '            value = float("nan") if step is None else getattr(step, part)[j]',
            '            suffix = "_next" if part == "x_next" else ""',
            '            print(f"{prefix}_{name}{suffix} = {float(value)!r}")',
        ]
    )
    cells = (
        Cell("markdown", intro),
        Cell("code", imports),
        Cell("markdown", "## The function\n\nAs typed in the tab, in its variables."),
        Cell("code", _function_lines(first_settings.function, variables)),
        Cell(
            "markdown",
            "## The settings, stretch by stretch\n\n"
            "Both methods start at x0. Each stretch of steps ran with one setting; a "
            "change during the run (α, the tolerance, Newton's τ) starts a new stretch "
            "from the next step.",
        ),
        Cell("code", _stretch_lines(written)),
        Cell(
            "markdown",
            "## The race\n\n"
            f"Newton: {newton_rule} Gradient descent: x_next = x − α·{gradient}. "
            "Each stretch continues after the last step of the one before.",
        ),
        Cell("code", run_code),
        Cell("markdown", f"## Where the methods are at the last step (step {steps - 1})"),
        Cell("code", print_code),
    )
    printed = [f"{p}_{name}" for p in ("newton", "gd") for name in _points(variables)]
    return RunScript(title, cells, printed=tuple(printed))


def _points(variables: Sequence[str]) -> list[str]:
    """The history's names of a step's point and next point: x, y, x_next, y_next."""
    return [*variables, *(f"{v}_next" for v in variables)]


def walk_script(title: str, segments: Sequence[tuple[int, Any]], steps: int) -> RunScript:
    """The Hessian Explorer's Newton walk from the point. ``segments``: (first step,
    settings with the function's text, its variables and the point)."""
    items = stretches(segments, steps)
    if not items:
        raise ScriptError(NO_STEPS)
    s = items[0][2]
    if any(
        (t.function, tuple(t.variables)) != (s.function, tuple(s.variables)) for *_, t in items
    ):
        raise ScriptError("The function changed during this run: it cannot be one script.")
    intro = (
        f"# {title}: the run as a script\n\n"
        f"Newton's method from the point, as optgui's {title} tab walked it: "
        f"{_plural(steps, 'step')}. It uses `optgui.core` only (no window) and gives the "
        "same numbers as the app's step history, bit for bit. At the end it prints the "
        "point of the last step and the next point, named as in the history CSV."
    )
    imports = "\n".join(
        [
            "from optgui.core.expr import parse_function",
            "from optgui.core.newton import newton",
        ]
    )
    run_code = "\n".join(
        [
            f"x0 = {point(s.point)}",
            f"steps = {steps}",
            "",
            "",
            "def step_after(last):",
            '    """Newton\'s step after the step last (None: the first, from x0)."""',
            "    if last is None:",
            "        return next(newton(f, x0, max_steps=1), None)",
            "    return next(newton(f, last.x_next, k0=last.k + 1, max_steps=1), None)",
            "",
            "",
            "last = None  # the last step taken",
            "for _ in range(steps):",
            "    step = step_after(last)  # H·s = ∇f, x_next = x − s",
            "    if step is None:",
            "        break  # the walk has ended",
            "    last = step",
        ]
    )
    print_code = "\n".join(
        [
            'for part in ("x", "x_next"):',
            "    for j, name in enumerate(f.variables):",
            '        suffix = "_next" if part == "x_next" else ""',
            '        print(f"{name}{suffix} = {float(getattr(last, part)[j])!r}")',
        ]
    )
    cells = (
        Cell("markdown", intro),
        Cell("code", imports),
        Cell("markdown", "## The function\n\nAs typed in the tab, in its variables."),
        Cell("code", _function_lines(s.function, s.variables)),
        Cell("markdown", "## Newton's walk from the point"),
        Cell("code", run_code),
        Cell("markdown", f"## The point at the last step (step {steps - 1}), and the next"),
        Cell("code", print_code),
    )
    return RunScript(title, cells, printed=tuple(_points(s.variables)))
