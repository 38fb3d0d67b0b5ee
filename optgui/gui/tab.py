"""The base of every experiment tab: a run engine wired to the run controls.

A tab subclass supplies these and never touches the worker process:

- :meth:`factory_for`: a picklable, pure function of the lesson's settings that starts (or
  continues) a core stepper; :meth:`make_factory` uses the current settings;
- :meth:`show_record`: draw one step record in the cheap views (plots);
- :meth:`show_text`: draw it in the text views (math panel, tables, summaries);
- :meth:`show_history`: render what depends on the whole run (cost curve …);
- :meth:`rebuild`: turn a compact history row and the settings it ran with
  back into a full record.

Commands (step, play, pause, reset, a timeline move) act in the order they
were given. Steps asked for with → or the Step button wait in a short queue
that is worked off at once, between two frames, so quick presses and key
auto-repeat each give a step and the views are drawn once per frame.

The base decides when views are drawn (:mod:`optgui.gui.pacing`): at once when
idle; during a run a frame (plots) as often as the GUI keeps up, the whole-run
views 15 times a second, and, at full speed, the text views and the timeline
ten times a second (nobody reads numbers changing 30 times a second, and laying
out rich text is the slowest thing a frame does); a view that is due is drawn
by the next frame, so the window is painted once for both. When a run stops,
what waits is drawn.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from optgui.core.history import History
from optgui.gui import session, style
from optgui.gui.controls import RunControls
from optgui.gui.derivation_panel import DerivationPanel
from optgui.gui.engine import Factory, RunEngine
from optgui.gui.pacing import Paced
from optgui.gui.pinned import PinBoard
from optgui.gui.stage import Stage, StageView
from optgui.lessons import openings, pinned
from optgui.lessons.derivation import Derivation

#: Restoring a session replays at most this many steps (a few seconds at full speed).
MAX_REPLAY = 200_000

#: Steps waiting for their turn (→ pressed faster than they can be taken); more wait
#: nowhere: a press beyond this is refused with a message (a step takes long).
MAX_QUEUED = 100

#: The queue takes steps for at most this long (seconds) before the views are drawn.
QUEUE_SLICE = 0.03

#: During a run at full speed the text views are drawn at most every TEXT_PERIOD ms,
#: and during any run the whole-run views every HISTORY_PERIOD ms.
TEXT_PERIOD = 100
HISTORY_PERIOD = 66
#: A text or whole-run view due during a run waits up to this long (ms) for the next
#: frame, so that it changes with the plots and the window is painted once for both.
ALIGN = 50


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
        self._queued = 0  # → presses not yet taken (see step)
        self._step_cost = 0.0  # seconds per step of the queue's last slice
        self.controls = RunControls(
            self, default_speed=self.default_speed, limit=self.default_limit
        )
        self.engine.set_speed(self.controls.steps_per_second)
        self.engine.max_steps = self.controls.limit.value()
        self._status = ""
        self._shown_index: int | None = None
        self._stage: Stage | None = None
        #: The slides' derivations with this step's numbers (a tab places the panel).
        self.derivation = DerivationPanel()
        self.derivation.set_source(self.derivations)
        self._page: list[QWidget] = []
        #: Pinned runs drawn beside this one (tabs with a cost curve or a path make one).
        self.board: PinBoard | None = None
        # when views are drawn (see the module's docstring)
        self._frames = Paced(self._draw_frame, 0, self._running, self)
        # (drawn by a frame's call where one comes soon enough: one paint for both)
        align = {"align_ms": ALIGN}
        self._texts = Paced(self._show_texts, TEXT_PERIOD, self._full_speed, self, **align)
        self._whole = Paced(self._show_whole, HISTORY_PERIOD, self._running, self, **align)
        # (at full speed the timeline's handle stays at its end: its label is a text)
        lengths = self.controls.set_history_length
        self._timeline = Paced(lengths, TEXT_PERIOD, self._full_speed, self, **align)
        self._paced = (self._frames, self._timeline, self._texts, self._whole)

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
        """A factory for the current settings, or None (with a status) if unusable.

        The factory's ``settings`` attribute is recorded with every step it takes.
        """
        raise NotImplementedError

    def factory_for(self, settings: Any) -> Factory | None:
        """A factory for recorded ``settings`` (replaying a session), on today's data."""
        raise NotImplementedError

    def settings_from_json(self, data: Any) -> Any:
        """Recorded settings from a session (SessionError if unusable)."""
        raise session.SessionError("this tab cannot replay recorded settings")

    def show_record(self, record: Any) -> None:
        """Draw ``record`` in the cheap views (plots); :meth:`present` shows it everywhere."""
        raise NotImplementedError

    def show_text(self, record: Any) -> None:
        """Draw ``record`` in the text views (math panel, tables, summaries)."""

    def show_history(self, history: History) -> None:
        """Views that depend on the whole run (e.g. the cost curve)."""

    def clear_views(self) -> None:
        """Show the starting state before any step (after a reset)."""

    def rebuild(self, row: np.ndarray, settings: Any = None) -> Any:
        """The record of history ``row``, stepped again with the ``settings`` it ran with."""
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
        """Everything needed to rebuild this tab's run: settings, data and the run itself."""
        return {
            "speed": self.controls.speed.value(),
            "limit": self.controls.limit.value(),
            "steps": len(self.history),
            **self.settings_state(),
            "run": self.run_state(),
            **({"pinned": self.board.to_json()} if self.board is not None else {}),
        }

    def run_state(self) -> dict[str, Any]:
        """The run as data: how many steps, the settings each stretch of them ran with
        (from which step), and where the run was continued from an earlier step."""
        segments = [
            {"from": start, "settings": settings.to_json()}
            for start, settings in self.history.segments
            if hasattr(settings, "to_json")
        ]
        return {
            "steps": len(self.history),
            "segments": segments,
            "branches": [list(b) for b in self.history.branches],
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
        segments, branches = self._read_run(state, steps)
        pins = self._read_pins(state)
        apply_settings = self.read_settings(state)

        def apply() -> None:
            self.stop()
            self.controls.speed.setValue(speed)
            self.controls.limit.setValue(limit)
            apply_settings()
            self.reset()
            if self.board is not None:
                self.board.set_runs(pins)
                self._show_whole(self.history)  # (the cost plot frames the pinned runs)
            if steps > MAX_REPLAY:
                self.set_status(
                    f"Settings restored; the {steps:,} steps were not replayed "
                    f"(more than {MAX_REPLAY:,}). Press Space to run again."
                )
            elif steps:
                self.replay(steps, segments)
                self.history.branches[:] = branches

        return apply

    def _read_pins(self, state: dict[str, Any]) -> list:
        """The saved pinned runs, checked (none saved: none)."""
        saved = session.get(state, "pinned", list, [])
        try:
            return [pinned.PinnedRun.from_json(item) for item in saved]
        except ValueError as error:
            raise session.SessionError(str(error)) from None

    def _read_run(self, state: dict[str, Any], steps: int) -> tuple[list, list]:
        """The saved run's settings segments [(from, settings)] and branches, checked."""
        run = session.get(state, "run", dict, {}) if "run" in state else {}
        segments = []
        for item in session.get(run, "segments", list, []) if run else []:
            if not isinstance(item, dict):
                raise session.SessionError("a saved change of settings is damaged")
            start = session.get(item, "from", int)
            previous = segments[-1][0] if segments else -1
            if not previous < start < max(steps, 1) or (not segments and start != 0):
                raise session.SessionError("the saved changes of settings are out of order")
            segments.append((start, self.settings_from_json(session.get(item, "settings", dict))))
        branches = []
        for item in session.get(run, "branches", list, []) if run else []:
            pair = session.number_list({"branch": item}, "branch", 2)
            branches.append((int(pair[0]), int(pair[1])))
        return segments, branches

    def replay(self, steps: int, segments: list | None = None) -> None:
        """Take ``steps`` steps at full speed (restoring a session), then pause.

        With ``segments`` [(from step, settings)] each stretch runs with the settings
        it ran with, so every step comes out as it was; without, the current settings.
        """
        plan = []
        segments = segments or []
        bounds = [start for start, _ in segments][1:] + [steps]
        for (start, settings), end in zip(segments, bounds[: len(segments)], strict=True):
            factory = self.factory_for(settings)
            if factory is None:
                why = self.status or "the data is missing"
                self.set_status(f"Settings restored; the steps could not be replayed ({why}).")
                return
            plan.append((end - start, factory))
        if not plan:
            if not self._prepare():
                return
            plan = [(steps, self.engine.factory)]
        self.engine.replay(plan)

    def derivations(self) -> list[Derivation]:
        """The slides' derivations with the shown step's numbers (the lesson builds them)."""
        return []

    def reveal_line(self, step: int) -> bool:
        """→ / ←: one line more or fewer of the derivation, if it is on screen and has
        one (else the key steps the run)."""
        return self.derivation.isVisible() and self.derivation.reveal(step)

    def _show_texts(self, record: Any) -> None:
        self.show_text(record)
        self.derivation.refresh()  # (only if on screen: else when it shows)

    # -- presentation's stage ------------------------------------------------
    def stage_views(self) -> list[StageView]:
        """The views of presentation's stage, the lesson's figure first (none: the
        page stays as it is, its secondary panels hidden)."""
        return []

    @property
    def staged(self) -> bool:
        """Is the page shown as presentation's stage?"""
        return self._stage is not None and self._stage.active

    @property
    def stage(self) -> Stage | None:
        return self._stage

    def set_staged(self, on: bool) -> None:
        """Show the page as a stage (presentation) or as itself."""
        if on == self.staged:
            return
        layout = self.layout()
        if on:
            views = self.stage_views()
            if not views:
                return
            views = self._with_pin_views(views)
            if self._stage is None:
                self._stage = Stage(views, self)
                self._stage.view_changed.connect(lambda _i: self._stage_changed())
                layout.insertWidget(0, self._stage, 1)
            self._page = [
                w
                for i in range(layout.count())
                if (w := layout.itemAt(i).widget()) not in (None, self.controls, self._stage)
                and not w.isHidden()
                and not w.property("stays_on_stage")  # (e.g. predict mode's bar)
            ]
            for widget in self._page:
                widget.hide()
            self._stage.show()
            self._stage.show_view(self._stage.index)
        else:
            self._stage.give_back()
            self._stage.hide()
            for widget in self._page:
                widget.show()
            self._stage_changed()

    def show_stage_view(self, index: int | None = None, step: int = 1) -> bool:
        """Show view ``index`` of the stage (None: the next by ``step``); False when
        the tab is not staged or has no such view."""
        if not self.staged:
            return False
        if index is None:
            self._stage.next_view(step)
        elif 0 <= index < len(self._stage.views):
            self._stage.show_view(index)
        else:
            return False
        return True

    def pin_stage_views(self) -> list[StageView]:
        """The stage's view of the runs side by side (see :meth:`_with_pin_views`)."""
        return []

    def _with_pin_views(self, views: list[StageView]) -> list[StageView]:
        """The tab's views with the runs side by side after its figures (the derivation,
        if any, stays the last view)."""
        if views and views[-1].name == "Derivation":
            return [*views[:-1], *self.pin_stage_views(), views[-1]]
        return [*views, *self.pin_stage_views()]

    def _stage_changed(self) -> None:
        """The stage changed the widgets' places: subclasses refit what depends on it."""

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
        self.take_queued()
        if self.engine.running:
            self.engine.pause()
            return
        if self._prepare():
            self.engine.play()

    def step(self) -> None:
        """One more step (→, the Step button). A run in flight pauses first.

        The press joins a short queue worked off between two frames, so every
        press gives a step, however quick, and the views are drawn once a frame.
        The queued steps run with the settings of the moment they were asked for.
        """
        if self.engine.running:
            self.engine.stop()
        if self._queued == 0 and not self._prepare():
            return
        if self._queued >= MAX_QUEUED:
            self.set_status(
                f"{self._queued} steps are still waiting to be taken; this press was not "
                "added. Wait a moment, or press Space to run."
            )
            return
        self._queued += 1
        self.controls.set_queued(self._queued)
        if self._queued == 1:
            QTimer.singleShot(0, self, self._work_queue)

    @property
    def queued(self) -> int:
        """Steps asked for and not yet taken."""
        return self._queued

    def _work_queue(self) -> None:
        """Take queued steps for about one frame, draw, and come back for the rest."""
        if not self._queued:
            return
        n = self._queued
        if self._step_cost > 0:
            n = max(1, min(n, int(QUEUE_SLICE / self._step_cost)))
        start = time.perf_counter()
        self._take(n)
        self._step_cost = (time.perf_counter() - start) / n
        if self._queued:
            QTimer.singleShot(0, self, self._work_queue)

    def _take(self, n: int) -> None:
        """Take ``n`` queued steps now; the queue empties if the run cannot go on."""
        self._queued -= n
        before = len(self.history)
        self.engine.step(n)
        if len(self.history) - before < n:  # the run ended (converged, error)
            self._queued = 0
        elif self.engine.state == "paused":
            self._say_paused()
        self.controls.set_queued(self._queued)

    def take_queued(self) -> None:
        """Take every queued step now: a later command acts after them."""
        if self._queued:
            self._take(self._queued)

    def pause(self) -> None:
        self.take_queued()
        self.engine.pause()

    def reset(self) -> None:
        """Back to the starting values (the status says "Reset" only if there were steps)."""
        had_steps = len(self.history) > 0
        self.take_queued()
        for paced in self._paced:
            paced.cancel()  # (the run they would draw is gone)
        self.engine.reset()
        self._shown_index = None
        self.controls.follow()
        self.controls.set_history_length(0)
        self.clear_views()
        self._show_whole(self.history)
        if had_steps:
            self.set_status("Reset: back to the starting values. Press Space to play.")
        elif not self.status:  # nothing was reset: say what the tab is (its first status)
            self.set_status(openings.opening(self.title))

    def stop(self) -> None:
        """Stop any run and take its last steps (closing, switching tabs)."""
        self.engine.stop()

    # -- runs side by side -------------------------------------------------------------
    def pin_run(self) -> bool:
        """P: keep this run drawn, faded, beside the next (False: nothing pinned)."""
        self.take_queued()
        if self.board is None:
            self.set_status(pinned.no_pins(self.title))
            return False
        self.stop()
        run = self.board.pin()
        if run:  # the next run starts from the start, beside the pinned one
            status = self.status
            self.reset()
            self.set_status(status)
        return run

    def clear_pins(self) -> None:
        """Shift+P: remove every pinned run."""
        if self.board is not None:
            self.board.clear()

    def _show_whole(self, history: History) -> None:
        """The whole-run views; when no run is going, the pinned runs' table too."""
        self.show_history(history)
        if self.board is not None and not self.engine.running:
            self.board.refresh()

    def settings_changed(self) -> None:
        """A setting such as the learning rate changed: apply from the next step
        (steps asked for before the change are taken first, with the old settings)."""
        self.take_queued()
        factory = self.make_factory()
        if factory is not None:
            self.engine.set_factory(factory)
        if self.board is not None and not self.engine.running:
            self.board.refresh()  # (the legend names what differs from the runs pinned)

    def data_changed(self) -> None:
        """The data or the model changed: the run so far no longer applies."""
        self.reset()

    def show_index(self, index: int) -> None:
        """Show recorded step ``index`` in every view (the timeline)."""
        self.take_queued()
        if not 0 <= index < len(self.history):
            return
        self._shown_index = index
        self.present(self.history.record(index))

    def present(self, record: Any) -> None:
        """Show ``record`` in every view: the plots now, the text views now or, during
        a run at full speed, at most ten times a second (always the latest)."""
        self.show_record(record)
        self._texts(record)

    @property
    def shown_index(self) -> int | None:
        return self._shown_index

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

    def _running(self) -> bool:
        return self.engine.running

    def _full_speed(self) -> bool:
        return self.engine.running and self.engine.speed == 0

    def _on_steps(self, records: list) -> None:
        self._frames(records)  # during a run: as often as the GUI keeps up

    def _draw_frame(self, records: list) -> None:
        n = len(self.history)
        if self.controls.at_end:
            self._shown_index = n - 1
            self.present(records[-1])
        self._timeline(n)
        self._whole(self.history)  # whole-run views (cost curves, iterates)

    def _on_state(self, state: str) -> None:
        self.controls.set_playing(state == "playing")
        style.set_antialias(self, not (state == "playing" and self.engine.speed == 0))
        if state != "playing":  # the run stopped: what waits is drawn now
            for paced in self._paced:
                paced.flush()
            if self.board is not None:
                self.board.refresh()  # (the run's figures beside the pinned runs')
        if state == "playing":
            self.set_status("Running… (Space pauses)")
        elif state == "paused":
            self._say_paused()

    def _say_paused(self) -> None:
        if len(self.history):
            k = len(self.history) - 1
            self.set_status(f"Paused at step {k}. Space plays, → takes one step.")

    def _on_finished(self, outcome) -> None:
        self.set_status(outcome.message[:1].upper() + outcome.message[1:])

    def _on_failed(self, text: str) -> None:
        self.set_status(f"The computation stopped with an error: {text}")
