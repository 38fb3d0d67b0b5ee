"""(being written)"""

from optgui.gui.tab import ExperimentTab


class HessianTab(ExperimentTab):
    title = "Hessian Explorer"

    def make_factory(self):
        return None
