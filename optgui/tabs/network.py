"""The 2-2-1 network: backpropagation made visible (lecture §3).

Every parameter is on screen (the diagram), the chain rule that moves the
selected one is written out with the numbers of one example (the chain-rule
panel), and the network's probability map shows what it has learnt. The
settings and every text shown are the lesson's (:mod:`optgui.lessons.network`);
this module lays out the views, binds the widgets and draws a step: the maps
from ``model.forward`` on a grid, the chain rule from ``model.backward``,
computed only for the step on screen.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from optgui.core.datasets import Dataset
from optgui.core.history import History, envelope
from optgui.core.models import Network
from optgui.core.training import TrainStep, row_columns
from optgui.gui import style
from optgui.gui.chain_panel import ChainPanel, fit_rows
from optgui.gui.derivation_panel import math_pages
from optgui.gui.guide import Guide
from optgui.gui.legends import legend_below
from optgui.gui.network_controls import DataControls, NetworkBox
from optgui.gui.network_diagram import NetworkDiagram
from optgui.gui.plane_view import PlaneView, legend_html
from optgui.gui.side_by_side import SideBySide
from optgui.gui.stage import StageView
from optgui.gui.training_tab import TrainingTab
from optgui.lessons import pinned
from optgui.lessons.derivation import Derivation
from optgui.lessons.network import (
    DATA_FIELDS,
    GUIDE,
    MODEL_FIELDS,
    NETWORK_FIELDS,
    NETWORK_INIT_CHOICES,
    NetworkLesson,
    added_status,
    axis_labels,
    chain_rule,
    data_summary,
    example_info,
    forward_rows,
    guide,
    initial_params,
    model_status,
    plane_bounds,
    symmetry_note,
)
from optgui.lessons.network_derivations import derivations as lesson_derivations
from optgui.lessons.settings import SettingsError

#: The probability map is computed on GRID × GRID points; node pictures use every NODE_STEP-th.
GRID = 200
GRID_WIDE = 140  # for 5 to 8 hidden units, whose forward pass costs more
#: Below this tab width the diagram and the chain rule become two pages.
NARROW_WIDTH = 1500
NODE_STEP = 4


#: From this screen width on, presentation's stage shows the diagram and the chain rule
#: side by side; below it (projectors), one at a time.
WIDE_STAGE = 1500


class NetworkTab(TrainingTab):
    """Gradient descent on a 2-h-1 network, with the chain rule of any parameter on screen."""

    title = "2-2-1 Network"
    Lesson = NetworkLesson
    default_rate = 5.0
    default_speed = 30
    default_limit = 5000
    pin_cost_below = pinned.NETWORK_COST  # (the start is flat: the runs' table counts to J)
    #: Whether the views exist yet (a font change can arrive while they are being made).
    _built = False

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.param_name = "w11"
        self.base_data: Dataset | None = None
        self._record: TrainStep | None = None
        self._bounds = (np.zeros(2), np.ones(2))
        self._build_settings()
        self._build_views()
        self._built = True
        self.load_data()

    # -- building ---------------------------------------------------------------
    def _build_settings(self) -> None:
        self.guide = Guide(GUIDE)
        self.settings_layout.insertWidget(0, self.guide)
        # one more start here: every parameter equal, so the hidden units are twins
        keys = [key for key, _ in NETWORK_INIT_CHOICES]
        self.init.insertItem(keys.index("equal"), dict(NETWORK_INIT_CHOICES)["equal"], "equal")
        self.init.setToolTip(
            "Where the parameters start (double-click a value to type one). All equal: the "
            "hidden units start as twins and stay twins, the symmetry that random starts break"
        )
        data, net = DataControls(), NetworkBox()
        self.data_layout.addWidget(data)
        self.settings_layout.insertWidget(3, net)
        self.data_controls = data
        self.source, self.points, self.noise = data.source, data.points, data.noise
        self.data_seed, self.click_mode = data.data_seed, data.click_mode
        self.data_info = data.info
        self.width_box, self.activation = net.width_box, net.activation
        for name, widget in {**data.fields, **net.fields}.items():
            self.binding.bind(name, widget)
        self.table.cellClicked.connect(self._table_clicked)

    def _build_views(self) -> None:
        self.diagram = NetworkDiagram()
        self.diagram.parameter_clicked.connect(self.select_parameter)
        self.plane = PlaneView()
        self.plane.clicked.connect(self._plane_clicked)
        self.chain = ChainPanel()
        self.chain.parameter_chosen.connect(self.select_parameter)
        self.chain.example_chosen.connect(self.select_example)
        self.forward_table = self.chain.forward_table

        style.style_plot(self.cost_plot, "Cost J and accuracy", "step k", "cost J, accuracy")
        self.acc_curve = self.cost_plot.plot(
            pen=style.pen(style.ORANGE, style.Look.pen, Qt.PenStyle.DashLine)
        )
        self.acc_marker = self.cost_plot.plot(
            pen=None, symbol="s", symbolBrush=style.ORANGE, symbolSize=style.Look.marker
        )
        legend = legend_below(self.cost_plot)  # (inside, it covered the curves)
        legend.addItem(self.cost_curve, "cost J")
        legend.addItem(self.acc_curve, "accuracy")
        fit_rows(self.table)

        self.symmetry = QLabel()
        self.symmetry.setObjectName("symmetry_note")
        self.symmetry.setWordWrap(True)
        self.symmetry.setTextFormat(Qt.TextFormat.RichText)
        self.symmetry.setStyleSheet(
            f"background: #FFF3C4; border: 2px solid {style.ORANGE}; padding: 6px;"
        )
        self.symmetry.hide()

        self.plane_legend = QLabel()
        self.plane_legend.setObjectName("plane_legend")
        self.plane_legend.setWordWrap(True)
        plane_box = self.plane_box = QWidget()
        pl = QVBoxLayout(plane_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.setSpacing(2)
        pl.addWidget(self.plane, 1)
        pl.addWidget(self.plane_legend)

        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(plane_box)
        lower.addWidget(self.cost_box)
        lower.setSizes([480, 400])
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.diagram)
        left.addWidget(lower)
        left.setSizes([480, 420])
        # wide screens: the network and the chain rule side by side; narrow ones: two pages
        self.chain_pages = math_pages(self.chain, self.derivation, "Chain rule")
        self.sides = SideBySide(
            left,
            self.chain_pages,
            ("Network and data", "Chain rule of the selected parameter"),
            (860, 700),
        )
        self.sides.pages.setObjectName("network_pages")
        self._pages = self.sides.pages
        views = QWidget()
        vl = QVBoxLayout(views)
        vl.setContentsMargins(0, 0, 0, 0)
        vl.addWidget(self.symmetry)
        vl.addWidget(self.sides, 1)
        self.assemble(views)
        self.sides.arrange(False)

    @property
    def _narrow(self) -> bool | None:
        return self.sides.narrow

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self._built:
            fit_rows(self.table)  # zoom or presentation mode changed the font
            self.chain.fit_rows()
            if not self.staged:  # (on the stage the chain rule is lent out)
                self.sides.arrange(self._is_narrow())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if not self.staged:  # (on the stage the chain rule is lent out)
            self.sides.arrange(self._is_narrow())

    def _stage_changed(self) -> None:
        if not self.staged:
            self.sides.arrange(self._is_narrow())

    def _is_narrow(self) -> bool:
        """Too narrow for the diagram and the chain rule side by side at this text size."""
        return self.width() < NARROW_WIDTH * max(1.0, style.Look.font_pt / 12)

    def stage_views(self) -> list[StageView]:
        notes = [self.symmetry]
        if self.screen().availableGeometry().width() >= WIDE_STAGE:
            first = [StageView("Network and chain rule", [self.diagram], [self.chain], notes, 0.5)]
        else:  # a projector: the diagram and the chain rule each get the whole stage
            first = [
                StageView("Network", [self.diagram], [], notes),
                StageView("Chain rule", [self.chain], [], notes),
            ]
        return [
            *first,
            StageView("Data and ŷ", [self.plane_box], [self.cost_box], notes),
            StageView("Parameters", [self.cost_box], [self.table], side_share=0.5),
            StageView("Derivation", [self.diagram], [self.derivation], notes, 0.5),
        ]

    # -- settings, data and model -------------------------------------------------
    def _settings_edited(self, settings: NetworkLesson, names: frozenset[str]) -> None:
        if not names & (DATA_FIELDS | MODEL_FIELDS):
            super()._settings_edited(settings, names)  # gradient descent's settings
            return
        new = settings.edited(names)  # a new data set's noise, no added points on new data
        if new is not settings:
            self.binding.write(new)
        if settings.remakes_data(names):
            self.load_data()
        elif names & MODEL_FIELDS:
            self._apply_data()
            self.set_status(model_status(new))

    @property
    def lesson(self) -> NetworkLesson:
        """The tab's settings (what the widgets show)."""
        settings = self.binding.settings
        assert isinstance(settings, NetworkLesson)
        return settings

    def load_data(self) -> None:
        """Make the data set the settings describe (and add the points added to it)."""
        settings = self.lesson
        self.data_controls.set_generated(settings.generated)
        self.base_data = settings.base_data()
        self._bounds = plane_bounds(self.base_data.X)
        self._apply_data()

    def _apply_data(self) -> None:
        settings = self.lesson
        assert self.base_data is not None
        data = settings.data(self.base_data)
        model = settings.model()
        self.guide.set_text(guide(model.hidden))
        self.plane.set_grid(*self._bounds, GRID if model.hidden <= 4 else GRID_WIDE)
        if self.param_name not in model.names:
            self.param_name = "w11"
        self.diagram.set_shape(model.hidden)
        self.diagram.select(self.param_name)
        self.chain.set_names(model.names, self.param_name)
        self.plane.set_points(data.X, data.y)
        style.style_plot(self.plane, "Data and ŷ = P(class 1)", *axis_labels(data))
        self.plane_legend.setText(legend_html(data.class_names))
        self.data_info.setText(data_summary(data, len(settings.added)))
        self.set_training_data(data, data.X, data.y, model)
        self.chain.set_examples(data.m, self.selected)

    def _initial_params(self) -> np.ndarray:
        assert isinstance(self.model, Network)
        return initial_params(self.lesson, self.model)

    def add_point(self, x: float, y: float, label: int) -> None:
        """Add a point of class ``label`` at (x, y): the run starts again with it."""
        self.binding.write(self.lesson.with_point(x, y, label))
        self._apply_data()
        self.set_status(added_status(x, y, label, len(self.y)))

    # -- sessions ---------------------------------------------------------------
    def data_state(self) -> dict:
        """The network's settings (data, hidden layer, added points) and the parameter shown."""
        saved = self.lesson.to_json()
        return {**{name: saved[name] for name in NETWORK_FIELDS}, "parameter": self.param_name}

    def read_data(self, state: dict):
        from optgui.gui import session

        try:
            saved = NetworkLesson.from_json(state)
        except SettingsError as error:
            raise session.SessionError(f"'{error.field}' in the session: {error}") from None
        parameter = session.get(state, "parameter", str, "w11")

        def apply() -> None:
            self.binding.write(self.lesson.replace(**saved.network_settings()))
            self.param_name = parameter
            self.load_data()

        return apply

    # -- selection --------------------------------------------------------------
    def select_parameter(self, name: str) -> None:
        """Show the chain rule of parameter ``name`` (w11, b2, w1 …)."""
        if self.model is None or name not in self.model.names:
            return
        self.param_name = name
        self.diagram.select(name)
        self.chain.set_parameter(name)
        self._redraw()
        if self.sender() is self.diagram and not self.staged:
            self.sides.show_second()
            self.chain_pages.setCurrentWidget(self.chain)

    def select_example(self, i: int) -> None:
        """Fill the chain rule and the forward pass with example ``i``."""
        if not 0 <= i < len(self.y):
            return
        self.selected = i
        self.chain.set_example(i)
        self._redraw()

    def _table_clicked(self, row: int, _column: int) -> None:
        names = self.table.names
        if 0 <= row < len(names):
            self.select_parameter(names[row])

    def _plane_clicked(self, x: float, y: float) -> None:
        mode = self.click_mode.currentData()
        if mode != "select":
            self.add_point(x, y, 1 if mode == "add1" else 0)
            return
        if not len(self.y):
            return
        pw, ph = self.plane.pixel_size()
        d = np.hypot((self.X[:, 0] - x) / pw, (self.X[:, 1] - y) / ph)
        i = int(np.argmin(d))
        if d[i] > 25:
            self.set_status("No point there: click on a point to see its chain rule.")
            return
        self.select_example(i)
        self.set_status(f"Example {i + 1} selected: its numbers fill the chain rule.")

    # -- run --------------------------------------------------------------------
    def clear_views(self) -> None:
        self._record = None
        super().clear_views()
        if self._record is None:
            self.plane.set_map(None)

    def _on_finished(self, outcome) -> None:
        super()._on_finished(outcome)
        if self.symmetry.isVisible():
            self.set_status(
                self.status + " — the hidden units are identical: see the note above the diagram."
            )

    # -- views ------------------------------------------------------------------
    def show_record(self, record: TrainStep) -> None:
        super().show_record(record)
        self._record = record
        if record.example is not None and record.example != self.selected:
            self.selected = record.example
            self.chain.set_example(record.example)
        self._draw_maps(record)

    def show_text(self, record: TrainStep) -> None:
        super().show_text(record)
        self._draw_diagram(record)
        self._draw_chain(record)

    def _redraw(self) -> None:
        """The selected example or parameter changed: the views that show it."""
        if self._record is not None:
            self._draw_maps(self._record)
            self._draw_diagram(self._record)
            self._draw_chain(self._record)
            self.derivation.refresh()  # (only if on screen: else when it shows)

    def derivations(self) -> list[Derivation]:
        """The layers [1], [2], [3], σ′(z) and the log loss with the chain rule page's
        example and parameter."""
        model, data = self.model, self.dataset
        if not isinstance(model, Network) or data is None or not len(data.y):
            return []
        record = self._record if self._record is not None else self.initial_record()
        if record is None:
            return []
        i = min(self.selected, len(data.y) - 1)
        return lesson_derivations(model, record, data, i, self.param_name)

    def _draw_maps(self, record: TrainStep) -> None:
        """The probability map and the accuracy marker (every frame: the diagram with its
        numbers and small maps is drawn with the texts, :meth:`_draw_diagram`)."""
        model = self.model
        assert isinstance(model, Network)
        if not len(self.y):
            return
        i = min(self.selected, len(self.y) - 1)
        # the maps: one forward pass of the core model on the grid
        grid = model.forward(record.params, self.plane.grid)
        self._grid = (record, grid)
        p = grid.yhat.reshape(self.plane.grid_shape).astype(np.float32)
        self.plane.set_map(p)
        self.plane.set_selected(self.X[i])
        if record.accuracy is not None:
            self.acc_marker.setData([record.k], [record.accuracy])

    def _draw_diagram(self, record: TrainStep) -> None:
        """The diagram: parameters, each node's map over the plane, the example's values."""
        model = self.model
        assert isinstance(model, Network)
        if not len(self.y):
            return
        i = min(self.selected, len(self.y) - 1)
        params = dict(zip(model.names, map(float, record.params), strict=True))
        drawn, grid = getattr(self, "_grid", (None, None))
        if drawn is not record:  # (the maps' forward pass, if the frame did not make it)
            grid = model.forward(record.params, self.plane.grid)
        shape = self.plane.grid_shape
        p = grid.yhat.reshape(shape).astype(np.float32)
        assert grid.hidden_a is not None
        maps = {"ŷ": p[::NODE_STEP, ::NODE_STEP]}
        levels = {"ŷ": (0.0, 1.0)}
        lo_hi = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}.get(model.activation)
        for j in range(model.hidden):
            a = grid.hidden_a[:, j].reshape(shape)[::NODE_STEP, ::NODE_STEP]
            maps[f"a{j + 1}"] = a
            levels[f"a{j + 1}"] = lo_hi or (0.0, max(1e-9, float(np.max(a))))
        values = {"x1": float(self.X[i, 0]), "x2": float(self.X[i, 1])}
        values.update(record.forward.values(i))
        self.diagram.set_parameters(params)
        self.diagram.set_maps(maps, levels)
        self.diagram.set_values(values, f"values of example {i + 1}")
        if record.accuracy is not None:
            self.acc_marker.setData([record.k], [record.accuracy])

    def _draw_chain(self, record: TrainStep) -> None:
        """The chain rule for the selected parameter, the forward pass, the symmetry note."""
        model = self.model
        assert isinstance(model, Network) and self.dataset is not None
        if not len(self.y):
            return
        i = min(self.selected, len(self.y) - 1)
        back = model.backward(record.params, self.X, self.y)
        rule = chain_rule(self.param_name, i, record, back, model.activation)
        self.chain.show_chain(rule, example_info(self.dataset, i, record))
        self.chain.show_forward(forward_rows(model, record, self.X, self.y, i))
        note = symmetry_note(model, record)
        self.symmetry.setText(note)
        self.symmetry.setVisible(bool(note))

    def draw_cost(self, history: History) -> None:
        """Cost and accuracy against steps, in one view that always holds 0…1."""
        if not len(history) or self.model is None:
            self.acc_curve.setData([], [])  # (the markers show step 0)
            self.cost_curve.setData([], [])
            self._frame_start(self.cost_plot, top=1.0)
            return
        if self.log_cost.isChecked():
            super().draw_cost(history)  # the base's log-scale view
        columns = row_columns(self.model)
        bins = max(200, int(self.cost_plot.width()))
        x, acc = envelope(history.column(columns.index("accuracy")), bins)
        self.acc_curve.setData(x, acc)
        if self.log_cost.isChecked():
            return
        x, cost = envelope(history.column(columns.index("cost")), bins)
        self.cost_curve.setData(x, cost)
        top = max(1.0, float(np.nanmax(cost)))
        style.keep_in_view(self.cost_plot, len(history), 0.0, top)


__all__ = ["ChainPanel", "NetworkTab", "PlaneView"]
