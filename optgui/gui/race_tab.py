"""The run side both Newton tabs share: settings bound to widgets, the race, the table.

The tab's settings (a :class:`~optgui.lessons.race.RaceLesson`) live in
``self.binding.settings``; the function box is bound by its function's text.
Every run, rebuilt step and text is made from settings, never from a widget.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
from PySide6.QtWidgets import QLabel, QWidget

from optgui.core.expr import Function
from optgui.core.history import History
from optgui.core.race import RaceStep, race_columns, race_points, stopped_by_limit
from optgui.core.stepping import Outcome
from optgui.gui import session
from optgui.gui.binding import Accessor, Binding
from optgui.gui.function_box import FunctionBox
from optgui.gui.iterates_table import IteratesTable
from optgui.gui.pinned import PinBoard, PinTarget, place_in_pages
from optgui.gui.point_edit import PointEdit
from optgui.gui.stage import StageView
from optgui.gui.tab import ExperimentTab
from optgui.lessons import newton_derivations, pinned, race
from optgui.lessons.derivation import Derivation
from optgui.lessons.race import RaceFactory, RaceLesson
from optgui.lessons.race_table import RaceTable
from optgui.lessons.settings import SettingsError


def sentence(error: Exception) -> str:
    """An error's words as a sentence for the status bar."""
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class RaceTab(ExperimentTab):
    """A tab racing Newton against gradient descent from the settings' start.

    A subclass builds ``function_box``, ``table`` and ``summary``, then calls
    :meth:`bind` with its other settings widgets. It supplies :attr:`table_text` (the
    iterates table's texts), :meth:`placed` (settings with a new start), :meth:`draw`,
    :meth:`draw_text`,
    :meth:`function_changed` (a new function is in use), :meth:`settings_edited`
    (a student changed a setting) and :meth:`settings_applied` (settings were
    written from code: a preset, a session, a new start).
    """

    #: The tab's settings class.
    settings_class: type[RaceLesson]
    #: The iterates table's headings and texts.
    table_text: RaceTable

    function_box: FunctionBox
    start_edit: PointEdit
    table: IteratesTable
    summary: QLabel
    binding: Binding

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._limit_reached = False
        self._run_start: tuple[float, ...] = self.settings_class().point
        self.engine.finished.connect(self._race_finished)

    def bind(self, widgets: dict[str, QWidget | Accessor]) -> None:
        """Bind the function box and ``widgets`` (field name → widget) to the settings."""
        box = self.function_box
        text = Accessor(lambda: box.function.text, self._show_function, box.function_changed)
        settings = self.settings_class(function=box.function.text)
        self.binding = Binding(settings, {"function": text, **widgets}, self)
        self.binding.changed.connect(self._edited)
        self.binding.rejected.connect(self.set_status)
        box.function_changed.connect(self.function_changed)  # after the binding has it
        self.start_edit.refused.connect(self.set_status)
        # runs side by side: a page beside the math and the derivation
        self.board = PinBoard(self, self.set_status)
        place_in_pages(self.board.panel, self.derivation)

    def _show_function(self, text: str) -> None:
        if text != self.function_box.function.text:
            self.function_box.set_text(text)

    @property
    def function(self) -> Function:
        """The function in use (the last one typed that parsed)."""
        return self.function_box.function

    # -- supplied by subclasses ----------------------------------------------------
    def placed(self, settings: Any, point: tuple[float, ...]) -> Any:
        """``settings`` with both methods starting at ``point`` (and a view that shows it)."""
        raise NotImplementedError

    def draw(self, record: RaceStep | None, upto: int, preview: bool = False) -> None:
        """Show ``record`` (paths up to step ``upto``) in the plots."""
        raise NotImplementedError

    def draw_text(self, record: RaceStep | None, preview: bool = False) -> None:
        """Show ``record`` in the math panel (``preview``: Newton's first step, not taken)."""
        raise NotImplementedError

    def function_changed(self, function: Function) -> None:
        """A new function is in use: its views, then a fresh run."""
        raise NotImplementedError

    def settings_edited(self, settings: Any, names: frozenset[str]) -> None:
        """A student changed the settings ``names`` in a widget."""

    def settings_applied(self) -> None:
        """Settings were written from code: bring the views that depend on them up to date."""

    # -- settings ---------------------------------------------------------------------
    def _edited(self, settings: RaceLesson, names: frozenset[str]) -> None:
        if names & {"learning_rate", "tolerance"}:
            self.settings_changed()  # from the next step on
            if not len(self.history) and not self.engine.running:
                self.clear_views()  # the summary names α
        self.settings_edited(settings, names)

    def apply_settings(self, settings: RaceLesson) -> None:
        """Show ``settings`` in every widget and start over with them (a preset, a session)."""
        self.stop()
        if settings.function != self.function.text:
            self.function_box.set_text(settings.function)
            settings = settings.replace(function=self.function.text)
        self.binding.write(settings)
        self.start_edit.show_error("")
        self.settings_applied()
        self.reset()

    def set_start(self, point: float | tuple[float, ...]) -> None:
        """Start both methods from ``point`` (the run restarts); a start outside the
        function's domain is refused with a status line and the old one stays."""
        point = tuple(float(v) for v in np.atleast_1d(point))
        settings = self.binding.settings
        problem = self.function.domain_problem(point)
        if problem:
            self._refuse_start(race.outside_text(settings, point, problem))
            return
        try:
            new = self.placed(settings, point)
        except SettingsError as error:
            self._refuse_start(sentence(error))
            return
        self.stop()
        self.binding.write(new)
        self.start_edit.show_error("")
        self.settings_applied()
        self.reset()
        self.set_status(race.start_status(new))

    def _refuse_start(self, text: str) -> None:
        """Keep the start in use (the boxes show it again) and say why, under the boxes
        and in the status bar."""
        self.binding.write(self.placed(self.binding.settings, self._run_start))
        self.start_edit.show_error(f"⚠ {text}")
        self.set_status(text)

    def start_problem(self) -> str | None:
        """Why the start cannot be used, as a status line (None when it can)."""
        return race.start_problem(self.binding.settings, self.function)

    # -- the run ----------------------------------------------------------------------
    def make_factory(self) -> RaceFactory | None:
        settings = self.binding.settings
        if self.function.text != settings.function:
            self.set_status(f"Still reading {settings.function_name}: try again in a moment.")
            return None
        problem = self.start_problem()
        if problem:
            self.set_status(problem)
            return None
        return RaceFactory(settings, self.function)

    def rebuild(self, row: np.ndarray, settings: RaceLesson | None = None) -> RaceStep:
        """A step older than the kept records, from its row and the settings it ran with
        (None: the current settings)."""
        return race.rebuild(row, settings if settings is not None else self.binding.settings)

    def derivations(self) -> list[Derivation]:
        """The slides' derivations at the shown step (before any: the step about to be taken)."""
        settings = self.binding.settings
        if self.function.text != settings.function:
            return []
        i = self.shown_index
        shown = i is not None and 0 <= i < len(self.history)
        record = self.history.record(i) if shown else self.preview()
        at = newton_derivations.at_record(record, settings, self.function)
        return self.derivations_at(settings, at)

    def derivations_at(self, settings: RaceLesson, at: Any) -> list[Derivation]:
        """The tab's derivations with Newton's numbers ``at`` (see :meth:`derivations`)."""
        return []

    def preview(self) -> RaceStep | None:
        """Newton's first step before it is taken (None outside the domain)."""
        settings = self.binding.settings
        if self.function.text != settings.function:
            return None
        return race.preview(settings, self.function)

    def history_columns(self) -> list[str]:
        return race_columns(self.settings_class.variables)

    def reset(self) -> None:
        self._limit_reached = False
        self._run_start = self.binding.settings.point
        self.table.reset()
        super().reset()

    def _on_state(self, state: str) -> None:
        super()._on_state(state)
        if state != "playing":  # every row gets its cells (a fast run gave only those in view)
            self.table.follow(self.history, self.table_text)

    def _race_finished(self, outcome: Outcome) -> None:
        record = self.history.last()
        self._limit_reached = stopped_by_limit(outcome, record)
        text = self.summary_text(record, self._limit_reached)
        self.show_summary(text)
        self.set_status(text)

    def summary_text(self, record: RaceStep | None, limit_reached: bool = False) -> str:
        """Both methods in one line; one that has ended names what it found there."""
        return race.record_summary(record, self.binding.settings, limit_reached, self.function)

    def show_summary(self, text: str) -> None:
        """Show the plain-text summary line (g″ = −8 < 0 is not a tag)."""
        self.summary.setText(html.escape(text, quote=False))

    # -- sessions -------------------------------------------------------------------------
    def factory_for(self, settings: RaceLesson) -> RaceFactory | None:
        """A factory for recorded ``settings`` (replaying a session)."""
        same = self.function.text == settings.function
        try:
            return RaceFactory(settings, self.function if same else None)
        except (SettingsError, ValueError) as error:
            self.set_status(sentence(error))
            return None

    def settings_from_json(self, data: Any) -> RaceLesson:
        try:
            settings = self.settings_class.from_state(data)
            race.parse(settings)
        except SettingsError as error:
            raise session.SessionError(f"a recorded {self.title} setting: {error}") from None
        return settings

    def settings_state(self) -> dict[str, Any]:
        return self.binding.settings.to_json()

    def read_settings(self, state: dict[str, Any]):
        try:
            settings = self.settings_class.from_state(state)
            function = race.parse(settings)
        except SettingsError as error:
            raise session.SessionError(f"a saved {self.title} setting: {error}") from None
        settings = settings.replace(function=function.text)
        problem = function.domain_problem(settings.point)
        if problem:
            raise session.SessionError(
                f"the saved start {settings.start_text()} is outside the function ({problem})"
            )
        return lambda: self.apply_settings(settings)

    # -- views --------------------------------------------------------------------------
    def show_history(self, history: History) -> None:
        if not self._full_speed():  # (at full speed the table follows with the texts)
            self.table.follow(history, self.table_text)

    def show_record(self, record: RaceStep) -> None:
        self.draw(record, upto=record.k)

    def show_text(self, record: RaceStep) -> None:
        self.draw_text(record)
        if self._full_speed():  # new rows with the highlighted row: one change of the
            self.table.follow(self.history, self.table_text, lazy=True)  # table per draw
        self.table.show_row(record.k)
        at_limit = self._limit_reached and record.k == len(self.history) - 1
        self.show_summary(self.summary_text(record, at_limit))

    # -- runs side by side -----------------------------------------------------------------
    def pin_plot(self):
        """The plot the pinned paths are drawn in (the map, or the plot of g)."""
        return getattr(self, "map", None) or self.g_plot

    def pin_settings(self) -> dict[str, Any]:
        return self.binding.settings.to_json()

    def pin_figures(self) -> dict[str, pinned.Figures]:
        """Both methods' figures from the run's history."""
        return pinned.race_figures(self.history.rows, len(self.settings_class.variables))

    def pin_snapshot(self) -> pinned.PinnedRun | None:
        if not len(self.history):
            return None
        n = len(self.settings_class.variables)
        newton_x, newton_f, descent_x, descent_f = race_points(self.history.rows, n)
        curves = {}
        for name, x, f in (("newton", newton_x, newton_f), ("descent", descent_x, descent_f)):
            if len(x):
                curves[name] = pinned.curve(x[:, 0], f if n == 1 else x[:, 1])
        settings = self.history.settings_at(-1) or self.binding.settings
        return pinned.PinnedRun(
            settings.to_json(),
            curves,
            self.pin_figures(),
            len(self.history),
            changed=len(self.history.segments) > 1,
        )

    def pin_targets(self) -> dict[str, PinTarget]:
        plot, line = self.pin_plot(), len(self.settings_class.variables) > 1
        return {
            # (1-D: the plot of g is short; the Runs page names the runs)
            "newton": PinTarget(plot, "o", legend=line, line=line, z=15 if line else -0.5),
            "descent": PinTarget(plot, "s", legend=False, line=line, z=15 if line else -0.5),
        }

    def pin_words(self) -> tuple[str, str]:
        return "the tolerance", self.settings_class.function_name

    def pin_stage_views(self) -> list[StageView]:
        # (two rows a run: the table wants a little more of the width)
        return [StageView("Runs side by side", [self.pin_plot()], [self.board.panel], [], 0.55)]
