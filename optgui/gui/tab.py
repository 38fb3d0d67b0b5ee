"""The base of every experiment tab: a run engine wired to the run controls.

A tab subclass supplies four things and never touches threads:

- :meth:`make_factory`: a pure function of the current settings that starts
  (or continues) a core stepper;
- :meth:`show_record`: render one step record in every view;
- :meth:`show_history`: render what depends on the whole run (cost curve …);
- :meth:`rebuild`: turn a compact history row back into a full record.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from optgui.core.history import History
from optgui.gui import session, style
from optgui.gui.controls import RunControls
from optgui.gui.engine import Factory, RunEngine

#: Restoring a session replays at most this many steps (a few seconds at full speed).
MAX_REPLAY = 200_000


class ExperimentTab(QWidget):
    """A tab with a run: engine, controls, timeline and status."""

    #: The tab's title, exactly as the mission names it.
    title = ""
    #: Default speed (steps per second, 0 = max) and step limit.
    default_speed: float = 30
    default_limit: int = 1000

    status_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.engine = RunEngine(self, rebuild=self.rebuild)
        self.controls = RunControls(
            self, default_speed=self.default_speed, limit=self.default_limit
        )
        self.engine.set_speed(self.controls.steps_per_second)
        self.engine.max_steps = self.controls.limit.value()
        self._status = ""
        self._shown_index: int | None = None
        self._last_due: dict[str, float] = {}  # see _due
        self.detail = True  # False while text views are throttled (see detail_due)

        c, e = self.controls, self.engine
        c.play_toggled.connect(self.toggle_play)
        c.step_requested.connect(self.step)
        c.reset_requested.connect(self.reset)
        c.new_start_requested.connect(self.new_start)
        c.speed_changed.connect(e.set_speed)
        c.limit_changed.connect(self._limit_changed)
        c.timeline_moved.connect(self.show_index)
        e.steps_ready.connect(self._on_steps)
        e.state_changed.connect(self._on_state)
        e.finished.connect(self._on_finished)
        e.failed.connect(self._on_failed)

    # -- to be supplied by subclasses ---------------------------------------
    def make_factory(self) -> Factory | None:
        """A factory for the current settings, or None (with a status) if unusable."""
        raise NotImplementedError

    def show_record(self, record: Any) -> None:
        raise NotImplementedError

    def show_history(self, history: History) -> None:
        """Views that depend on the whole run (e.g. the cost curve)."""

    def clear_views(self) -> None:
        """Show the starting state before any step (after a reset)."""

    def rebuild(self, row: np.ndarray) -> Any:
        raise KeyError("this tab keeps every record")

    def new_start(self) -> None:
        """Draw new random initial values (tabs without randomness just reset)."""
        self.reset()

    def history_columns(self) -> list[str]:
        """Names of the history's columns (the CSV export's header)."""
        width = self.history.rows.shape[1] if len(self.history) else 0
        return [f"column {i + 1}" for i in range(width)]

    # -- sessions -------------------------------------------------------------
    def settings_state(self) -> dict[str, Any]:
        """The tab's own settings as JSON values (subclasses extend)."""
        return {}

    def read_settings(self, state: dict[str, Any]) -> Callable[[], None]:
        """Check ``state`` (SessionError if unusable) and return what applies it."""
        return lambda: None

    def session_state(self) -> dict[str, Any]:
        """Everything needed to rebuild this tab's run: settings and steps taken."""
        return {
            "speed": self.controls.speed.value(),
            "limit": self.controls.limit.value(),
            "steps": len(self.history),
            **self.settings_state(),
        }

    def read_session(self, state: dict[str, Any]) -> Callable[[], None]:
        """Check a saved state without changing anything; returns what applies it."""
        speed = session.get(state, "speed", int, self.controls.speed.value())
        limit = session.get(state, "limit", int, self.controls.limit.value())
        steps = session.get(state, "steps", int, 0)
        if not 0 <= speed <= self.controls.speed.maximum():
            raise session.SessionError("the saved speed is out of range")
        if not 1 <= limit <= self.controls.limit.maximum() or not 0 <= steps <= limit:
            raise session.SessionError("the saved step limit or step count is out of range")
        apply_settings = self.read_settings(state)

        def apply() -> None:
            self.stop()
            self.controls.speed.setValue(speed)
            self.controls.limit.setValue(limit)
            apply_settings()
            self.reset()
            if 0 < steps <= MAX_REPLAY:
                self.replay(steps)
            elif steps:
                self.set_status(
                    f"Settings restored; the {steps:,} steps were not replayed "
                    f"(more than {MAX_REPLAY:,}). Press Space to run again."
                )

        return apply

    def replay(self, steps: int) -> None:
        """Take ``steps`` steps at full speed (restoring a session), then pause."""
        if not self._prepare():
            return
        self.engine.set_speed(0)

        def settled(state: str) -> None:
            if state != "playing":
                self.engine.state_changed.disconnect(settled)
                self.engine.set_speed(self.controls.steps_per_second)

        self.engine.state_changed.connect(settled)
        self.engine.step(steps)

    # -- actions (also bound to keys by the main window) --------------------
    @property
    def history(self) -> History:
        return self.engine.history

    @property
    def status(self) -> str:
        return self._status

    def set_status(self, text: str) -> None:
        self._status = text
        self.status_changed.emit(text)

    def toggle_play(self) -> None:
        if self.engine.running:
            self.engine.pause()
            return
        if self._prepare():
            self.engine.play()

    def step(self) -> None:
        if not self.engine.running and self._prepare():
            self.engine.step(1)

    def pause(self) -> None:
        self.engine.pause()

    def reset(self) -> None:
        self.engine.reset()
        self._shown_index = None
        self.controls.follow()
        self.controls.set_history_length(0)
        self.clear_views()
        self.show_history(self.history)
        self.set_status("Reset: back to the starting values. Press Space to play.")

    def stop(self) -> None:
        """Stop any run and wait for its thread (closing, switching tabs)."""
        self.engine.stop()

    def settings_changed(self) -> None:
        """A setting such as the learning rate changed: apply from the next step."""
        factory = self.make_factory()
        if factory is not None:
            self.engine.set_factory(factory)

    def data_changed(self) -> None:
        """The data or the model changed: the run so far no longer applies."""
        self.reset()

    def show_index(self, index: int) -> None:
        """Show recorded step ``index`` in every view (the timeline)."""
        if not 0 <= index < len(self.history):
            return
        self._shown_index = index
        self.show_record(self.history.record(index))

    @property
    def shown_index(self) -> int | None:
        return self._shown_index

    def detail_due(self, interval: float = 0.1) -> bool:
        """Whether text-heavy views (math panel, tables) should update now.

        While a run streams at full speed nobody can read numbers changing 40
        times a second, and laying out rich text is the slowest thing a frame
        does; they update ten times a second then, and on every step otherwise.
        """
        return self._due("detail", interval)

    def _due(self, views: str, interval: float) -> bool:
        """True at most every ``interval`` seconds for ``views`` during a full-speed
        run, and always otherwise."""
        if not (self.engine.running and self.engine.speed == 0):
            return True
        now = time.perf_counter()
        if now - self._last_due.get(views, 0.0) >= interval:
            self._last_due[views] = now
            return True
        return False

    # -- internals ----------------------------------------------------------
    def _prepare(self) -> bool:
        factory = self.make_factory()
        if factory is None:
            return False
        self.engine.set_factory(factory)
        n = len(self.history)
        at = self.controls.timeline.value()
        if n and at < n - 1:
            self.engine.continue_from(at)
            self.controls.follow()
        return True

    def _limit_changed(self, value: int) -> None:
        self.engine.max_steps = value

    def _on_steps(self, records: list) -> None:
        n = len(self.history)
        self.controls.set_history_length(n)
        index = self.controls.timeline.value()
        if index == n - 1:
            self._shown_index = index
            self.show_record(records[-1])
        if self._due("history", 1 / 15):  # whole-run views (cost curves, iterates)
            self.show_history(self.history)

    def _on_state_settled(self) -> None:
        """After a run stops, draw the shown step in full (details were throttled)."""
        if self._shown_index is not None and 0 <= self._shown_index < len(self.history):
            self.show_record(self.history.record(self._shown_index))
        self.show_history(self.history)

    def _on_state(self, state: str) -> None:
        self.controls.set_playing(state == "playing")
        style.set_antialias(self, not (state == "playing" and self.engine.speed == 0))
        if state != "playing":
            self._on_state_settled()
        if state == "playing":
            self.set_status("Running… (Space pauses)")
        elif state == "paused" and len(self.history):
            k = len(self.history) - 1
            self.set_status(f"Paused at step {k}. Space plays, → takes one step.")

    def _on_finished(self, outcome) -> None:
        self.set_status(outcome.message[:1].upper() + outcome.message[1:])

    def _on_failed(self, text: str) -> None:
        self.set_status(f"The computation stopped with an error: {text}")
