"""The six tabs, in the lecture's order."""

from optgui.tabs.classification import ClassificationTab
from optgui.tabs.hessian import HessianTab
from optgui.tabs.network import NetworkTab
from optgui.tabs.newton1d import Newton1DTab
from optgui.tabs.newton2d import Newton2DTab
from optgui.tabs.regression import RegressionTab

TABS = (RegressionTab, ClassificationTab, NetworkTab, Newton1DTab, Newton2DTab, HessianTab)

__all__ = [
    "TABS",
    "ClassificationTab",
    "HessianTab",
    "NetworkTab",
    "Newton1DTab",
    "Newton2DTab",
    "RegressionTab",
]
