"""The 2-2-1 network's own settings widgets, named after the lesson's fields.

:attr:`DataControls.fields` and :attr:`NetworkBox.fields` map each field of
:class:`optgui.lessons.network.NetworkLesson` to its widget; the tab binds
them by those names. Ranges and choices come from the lesson.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from optgui.gui import style
from optgui.lessons.network import (
    ACTIVATION_CHOICES,
    DATA_CHOICES,
    HIDDEN_RANGE,
    NOISE_RANGE,
    POINTS_RANGE,
    SEED_RANGE,
)

CLICK_MODES = (
    ("select", "select a point (its chain rule)"),
    ("add0", "add a point of class 0"),
    ("add1", "add a point of class 1"),
)


def choice_box(name: str, choices: tuple[tuple[str, str], ...], tip: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    for key, text in choices:
        box.addItem(text, key)
    box.setToolTip(tip)
    return box


def number_box(name: str, limits: tuple, tip: str) -> QSpinBox | QDoubleSpinBox:
    """A spin box over ``limits`` that reports a number once it is typed, not per key."""
    box = QDoubleSpinBox() if isinstance(limits[0], float) else QSpinBox()
    box.setObjectName(name)
    box.setRange(*limits)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    return box


class DataControls(QWidget):
    """The data set, its size, noise and seed, what a click on the plane does, a summary."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.source = choice_box(
            "dataset", DATA_CHOICES, "Which points the network learns to classify"
        )
        self.points = number_box(
            "points", POINTS_RANGE, "How many points to generate (the slides' table has 4)"
        )
        self.noise = number_box(
            "noise", NOISE_RANGE, "How far the generated points scatter (0 = perfectly clean)"
        )
        self.noise.setSingleStep(0.05)
        self.data_seed = number_box(
            "data_seed", SEED_RANGE, "Seed of the generated points: same seed, same points"
        )
        self.click_mode = choice_box(
            "click_mode",
            CLICK_MODES,
            "What a click on the data plane does: choose the example shown in the chain rule, "
            "or add a point of class 0 or 1 (the run then starts again)",
        )
        self.info = QLabel()
        self.info.setObjectName("data_info")
        self.info.setWordWrap(True)
        self.info.setStyleSheet(f"color: {style.GREY};")

        grid = QGridLayout()
        grid.addWidget(QLabel("Points"), 0, 0)
        grid.addWidget(self.points, 0, 1)
        grid.addWidget(QLabel("Noise"), 0, 2)
        grid.addWidget(self.noise, 0, 3)
        grid.addWidget(QLabel("Data seed"), 1, 0)
        grid.addWidget(self.data_seed, 1, 1)
        grid.addWidget(QLabel("Click on the plane"), 2, 0, 1, 2)
        grid.addWidget(self.click_mode, 2, 2, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.source)
        layout.addLayout(grid)
        layout.addWidget(self.info)
        self.fields = {
            "source": self.source,
            "points": self.points,
            "noise": self.noise,
            "data_seed": self.data_seed,
        }

    def set_generated(self, generated: bool) -> None:
        """Points, noise and seed apply to generated data only."""
        for box in (self.points, self.noise, self.data_seed):
            box.setEnabled(generated)


class NetworkBox(QGroupBox):
    """The hidden layer: how many units, which activation."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Network", parent)
        self.width_box = number_box(
            "hidden_width",
            HIDDEN_RANGE,
            "Hidden units: 2 as in the slides; 1 cannot separate XOR, more fit harder shapes",
        )
        self.activation = choice_box(
            "activation",
            ACTIVATION_CHOICES,
            "The hidden units' activation (the output is always sigmoid)",
        )
        row = QHBoxLayout(self)
        row.addWidget(QLabel("Hidden units"))
        row.addWidget(self.width_box)
        row.addSpacing(8)
        row.addWidget(QLabel("activation"))
        row.addWidget(self.activation, 1)
        self.fields = {"hidden": self.width_box, "activation": self.activation}
