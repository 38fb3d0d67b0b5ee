"""The run controls every tab shares: play, step, reset, new start, speed, limit, timeline."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from optgui.gui.engine import SPEEDS, speed_label


class RunControls(QWidget):
    """Buttons and sliders that drive one :class:`RunEngine`.

    Signals:
        play_toggled(): Play/Pause pressed (Space).
        step_requested(): Step pressed (Right arrow).
        reset_requested(): Reset pressed (R).
        new_start_requested(): New start pressed (N).
        speed_changed(float): steps per second, 0 = as fast as possible.
        limit_changed(int): the step limit.
        timeline_moved(int): the user moved the timeline to step index.
    """

    play_toggled = Signal()
    step_requested = Signal()
    reset_requested = Signal()
    new_start_requested = Signal()
    speed_changed = Signal(float)
    limit_changed = Signal(int)
    timeline_moved = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, default_speed: float = 30, limit=1000):
        super().__init__(parent)
        self.play_button = QPushButton("▶ Play")
        self.play_button.setObjectName("play")
        self.play_button.setToolTip("Run steps until paused, converged or diverged (Space)")
        self.step_button = QPushButton("Step ▸")
        self.step_button.setObjectName("step")
        self.step_button.setToolTip(
            "Take exactly one step (Right arrow); a running run pauses first.\n"
            "Quick presses each give a step: the button counts the ones still waiting."
        )
        self.reset_button = QPushButton("⟲ Reset")
        self.reset_button.setObjectName("reset")
        self.reset_button.setToolTip("Back to the same starting point, history cleared (R)")
        self.new_start_button = QPushButton("New start")
        self.new_start_button.setObjectName("new_start")
        self.new_start_button.setToolTip("Draw new random initial values and reset (N)")

        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setObjectName("speed")
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setPageStep(1)
        self.speed.setValue(SPEEDS.index(default_speed) if default_speed in SPEEDS else 3)
        self.speed.setToolTip("Steps per second: 1/s to narrate, max to train in seconds")
        self.speed.setMinimumWidth(60)
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(55)

        self.limit = QSpinBox()
        self.limit.setObjectName("max_steps")
        self.limit.setRange(1, 10_000_000)
        self.limit.setValue(limit)
        self.limit.setToolTip("Stop after this many steps")
        self.limit.setGroupSeparatorShown(True)

        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setObjectName("timeline")
        self.timeline.setRange(0, 0)
        self.timeline.setToolTip(
            "Every step is recorded: drag to show any step; Play continues from there"
        )
        # one fixed size, so a new text does not re-layout the whole window every frame
        self.timeline_label = FixedLabel("step 10000000 of 10000000")
        self.timeline_label.setText("no steps yet")

        top = QHBoxLayout()
        for widget in (
            self.play_button,
            self.step_button,
            self.reset_button,
            self.new_start_button,
        ):
            top.addWidget(widget)
        top.addSpacing(12)
        top.addWidget(QLabel("Speed"))
        top.addWidget(self.speed, 1)
        top.addWidget(self.speed_label)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Timeline"))
        bottom.addWidget(self.timeline, 1)
        bottom.addWidget(self.timeline_label)
        bottom.addSpacing(12)
        bottom.addWidget(QLabel("Limit"))
        bottom.addWidget(self.limit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(bottom)

        self.play_button.clicked.connect(self.play_toggled)
        self.step_button.clicked.connect(self.step_requested)
        self.reset_button.clicked.connect(self.reset_requested)
        self.new_start_button.clicked.connect(self.new_start_requested)
        self.speed.valueChanged.connect(self._speed_moved)
        self.limit.valueChanged.connect(self.limit_changed)
        self.timeline.valueChanged.connect(self._timeline_moved)
        self._following = True
        self._updating = False
        self._n = 0
        self._speed_moved(self.speed.value())

    @property
    def steps_per_second(self) -> float:
        return float(SPEEDS[self.speed.value()])

    def _speed_moved(self, index: int) -> None:
        self.speed_label.setText(speed_label(SPEEDS[index]))
        self.speed_changed.emit(float(SPEEDS[index]))

    def set_playing(self, playing: bool) -> None:
        self.play_button.setText("⏸ Pause" if playing else "▶ Play")

    def set_queued(self, n: int) -> None:
        """Show how many steps asked for are still waiting to be taken."""
        self.step_button.setText("Step ▸" if n <= 1 else f"Step ▸ +{n - 1}")

    # -- timeline -----------------------------------------------------------
    def set_history_length(self, n: int) -> None:
        """Extend the timeline to ``n`` steps; follow the newest step unless scrubbed."""
        self._updating = True
        at_end = self.at_end
        self.timeline.setRange(0, max(0, n - 1))
        if at_end:
            self.timeline.setValue(max(0, n - 1))
            self._following = True
        self._updating = False
        self._n = n
        self._label(self.timeline.value(), n)

    def follow(self) -> None:
        self._following = True

    @property
    def at_end(self) -> bool:
        """Does the timeline follow the newest step (it was not scrubbed back)?"""
        return self._following or self.timeline.value() >= self.timeline.maximum()

    def _label(self, index: int, n: int) -> None:
        self.timeline_label.setText("no steps yet" if n == 0 else f"step {index} of {n - 1}")

    def _timeline_moved(self, index: int) -> None:
        self._label(index, self._n)
        if self._updating:
            return
        self._following = index >= self.timeline.maximum()
        self.timeline_moved.emit(index)


class FixedLabel(QLabel):
    """A label of one fixed size: as wide as ``sample`` in its current font.

    A label that changes its text every frame asks its parents to lay out again
    (a few milliseconds for a whole tab); with a fixed size Qt skips that.
    """

    def __init__(self, sample: str, parent=None):
        super().__init__(sample, parent)
        self._sample = sample
        self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        self.setFixedSize(metrics.horizontalAdvance(self._sample) + 8, metrics.height() + 4)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()
