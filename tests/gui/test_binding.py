"""Widgets bound to settings both ways, signals blocked in one place."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox

from optgui.gui.binding import Binding
from optgui.lessons.settings import Settings, spec


@dataclass(frozen=True)
class Toy(Settings):
    rate: float = spec(0.1, low=1e-6, high=10.0, label="the learning rate α")
    mode: str = spec("full", choices=("full", "single"))
    seed: int = spec(3, low=0, high=100)
    on: bool = True


def widgets(qtbot):
    rate = QDoubleSpinBox()
    rate.setRange(0, 100)
    rate.setDecimals(4)
    mode = QComboBox()
    mode.addItem("Full", "full")
    mode.addItem("Single", "single")
    seed = QSpinBox()
    on = QCheckBox()
    for w in (rate, mode, seed, on):
        qtbot.addWidget(w)
    return {"rate": rate, "mode": mode, "seed": seed, "on": on}


def test_widgets_show_the_settings_and_edits_make_new_settings(qtbot):
    w = widgets(qtbot)
    binding = Binding(Toy(rate=0.5, mode="single", seed=7, on=False), w)
    assert (w["rate"].value(), w["mode"].currentData(), w["seed"].value()) == (0.5, "single", 7)
    assert not w["on"].isChecked()
    changes = []
    binding.changed.connect(lambda settings, names: changes.append((settings, names)))
    w["rate"].setValue(0.25)
    w["on"].setChecked(True)
    assert binding.settings == Toy(rate=0.25, mode="single", seed=7, on=True)
    assert [names for _, names in changes] == [{"rate"}, {"on"}]


def test_writing_settings_sends_no_signal(qtbot):
    w = widgets(qtbot)
    binding = Binding(Toy(), w)
    changes, edits = [], []
    binding.changed.connect(lambda *args: changes.append(args))
    w["rate"].valueChanged.connect(edits.append)  # the widget's own signal is quiet too
    binding.write(Toy(rate=2.0, seed=9))
    assert not changes and not edits
    assert w["rate"].value() == 2.0 and w["seed"].value() == 9
    assert binding.update(mode="single").mode == "single" and not changes


def test_an_edit_that_breaks_a_rule_is_undone_and_explained(qtbot):
    w = widgets(qtbot)
    binding = Binding(Toy(), w)
    messages = []
    binding.rejected.connect(messages.append)
    w["rate"].setValue(50.0)  # the widget allows it; the lesson does not
    assert binding.settings.rate == 0.1 and w["rate"].value() == 0.1
    assert messages == ["The learning rate α should be between 1e-06 and 10."]
