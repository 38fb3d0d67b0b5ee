"""(being written)"""

from optgui.gui.tab import ExperimentTab


class Newton2DTab(ExperimentTab):
    title = "Newton 2-D"

    def make_factory(self):
        return None
