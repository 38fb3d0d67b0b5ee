"""Load CSV… offers numeric columns that are not row numbers (the lab's house file)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFileDialog, QPushButton

from optgui.gui.csv_dialog import NONE, ColumnDialog
from tests.core.test_column_choice import house_csv
from tests.gui.helpers import click


def test_the_house_file_offers_a_numeric_input_not_the_id(window, qtbot, monkeypatch, tmp_path):
    path = house_csv(tmp_path / "train.csv")
    tab = window.current  # Regression
    offered = []

    def accept(dialog):
        offered.append({b.objectName(): b.currentText() for b in dialog.findChildren(QComboBox)})
        return 1  # OK, as offered

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(ColumnDialog, "exec", accept)
    click(qtbot, tab.findChild(QPushButton, "load_csv"))
    assert offered == [{"input_1": "MSSubClass", "input_2": NONE, "target": "SalePrice"}]
    qtbot.waitUntil(lambda: tab.csv_data is not None)
    assert tab.csv_data.feature_names == ("MSSubClass",)
    assert tab.csv_data.target_name == "SalePrice"


def test_without_a_readable_file_the_dialog_offers_the_first_and_last_columns(qtbot, tmp_path):
    dialog = ColumnDialog(["a", "b", "c"], path=tmp_path / "missing.csv")
    qtbot.addWidget(dialog)
    assert dialog.choice() == (["a"], "c")
