"""Names the Hessian tab imports from here, kept while it moves to the new modules.

Layout lives in :mod:`optgui.gui.layout`, formulas in :mod:`optgui.gui.formulas`,
the race's texts in :mod:`optgui.lessons.race`. Import from those; this module
goes once nothing imports it.
"""

from __future__ import annotations

from optgui.gui.formulas import FitFormula
from optgui.gui.layout import scroll_column
from optgui.lessons.race import subscript

__all__ = ["FitFormula", "scroll_column", "subscript"]
