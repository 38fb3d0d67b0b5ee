"""(being written)"""

from optgui.gui.tab import ExperimentTab


class NetworkTab(ExperimentTab):
    title = "2-2-1 Network"

    def make_factory(self):
        return None
