"""(being written)"""

from optgui.gui.tab import ExperimentTab


class Newton1DTab(ExperimentTab):
    title = "Newton 1-D"

    def make_factory(self):
        return None
