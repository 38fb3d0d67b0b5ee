"""The six tabs, in the lecture's order.

Each tab's module is imported when the tab is first shown (see
:class:`optgui.app.MainWindow`), so the window appears before the heavier
tabs (and sympy, matplotlib, OpenGL) are loaded.
"""

from __future__ import annotations

from collections.abc import Callable


def _regression():
    from optgui.tabs.regression import RegressionTab

    return RegressionTab


def _classification():
    from optgui.tabs.classification import ClassificationTab

    return ClassificationTab


def _network():
    from optgui.tabs.network import NetworkTab

    return NetworkTab


def _newton1d():
    from optgui.tabs.newton1d import Newton1DTab

    return Newton1DTab


def _newton2d():
    from optgui.tabs.newton2d import Newton2DTab

    return Newton2DTab


def _hessian():
    from optgui.tabs.hessian import HessianTab

    return HessianTab


#: (title, loader of the tab's class), in the lecture's order.
TABS: tuple[tuple[str, Callable[[], type]], ...] = (
    ("Regression", _regression),
    ("Classification", _classification),
    ("2-2-1 Network", _network),
    ("Newton 1-D", _newton1d),
    ("Newton 2-D", _newton2d),
    ("Hessian Explorer", _hessian),
)
