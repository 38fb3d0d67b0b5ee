"""What the class guesses in each tab, and where (see :mod:`optgui.gui.predict`).

A :class:`Target` reads the guessed quantity from a step record (never from a
widget), so the reveal is the ordinary step: the Newton tabs' next iterate, the
Hessian walk's next point, Regression's next (w, b) on the cost surface, the
signs of the parameters' updates in Classification and the network.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg

Point = np.ndarray | None


@dataclass
class Target:
    """A tab's guess: its kind ("point" or "signs"), the names of the guessed numbers,
    the plots a point is clicked on, and how a record gives the truth.

    ``point_of(record)`` is the point the record puts on screen as the newest (for
    signs: all the parameters); ``start()`` is the same before any step.
    """

    kind: str
    names: tuple[str, ...]
    point_of: Callable[[Any], Point]
    start: Callable[[], Point]
    method: str = "Newton"
    plots: tuple[pg.PlotWidget, ...] = field(default_factory=tuple)
    #: the truth's name on the plot (short: the plot may be small)
    mark: str = "Newton"

    @property
    def dims(self) -> int:
        return len(self.names)


def _array(value) -> Point:
    return None if value is None else np.asarray(value, dtype=float).ravel()


def _newton_next(record) -> Point:
    step = getattr(record, "newton", None)
    return None if step is None else _array(step.x_next)


def _race(tab, names: tuple[str, ...], plots) -> Target:
    return Target(
        "point",
        names,
        _newton_next,
        lambda: _newton_next(tab.preview()),
        "Newton",
        tuple(plots),
    )


def newton1d(tab) -> Target:
    return _race(tab, ("x",), (tab.g_plot, tab.d1_plot, tab.d2_plot))


def newton2d(tab) -> Target:
    return _race(tab, ("x", "y"), (tab.map,))


def hessian(tab) -> Target:
    def point_of(record) -> Point:
        x_next = _array(record.x_next)
        return None if x_next is None else x_next[:2]

    return Target(
        "point", ("x", "y"), point_of, lambda: _array(tab.start)[:2], "Newton", (tab.map,)
    )


def regression(tab) -> Target:
    names = tab.model.names if tab.model is not None else ("w1", "b")
    across = "w2" if "w2" in names else "b"
    index = [names.index("w1"), names.index(across)]

    def point_of(record) -> Point:
        return None if record is None else _array(record.params)[index]

    def start() -> Point:
        return point_of(tab.initial_record())

    plots = (tab.surface_plot,)
    return Target("point", ("w1", across), point_of, start, "gradient descent", plots, "step")


def _signs(tab) -> Target:
    def params(record) -> Point:
        return None if record is None else _array(record.params)

    names = tuple(tab.model.names) if tab.model is not None else ()
    return Target("signs", names, params, lambda: params(tab.initial_record()), "gradient descent")


#: The target of each tab, by its title.
TARGETS: dict[str, Callable[[Any], Target]] = {
    "Newton 1-D": newton1d,
    "Newton 2-D": newton2d,
    "Hessian Explorer": hessian,
    "Regression": regression,
    "Classification": _signs,
    "2-2-1 Network": _signs,
}


def target_for(tab) -> Target | None:
    """The tab's target (None: nothing to guess in it)."""
    make = TARGETS.get(getattr(tab, "title", ""))
    return make(tab) if make is not None else None
