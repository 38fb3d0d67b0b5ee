"""Widgets bound to a lesson's settings, both ways, in one place.

A tab names its widgets after the fields of its settings dataclass (see
:mod:`optgui.lessons.settings`) and hands them to a :class:`Binding`. Editing a
widget makes new, validated settings and reports them; setting new settings
(a preset, a session) writes every widget with its signals blocked here and
nowhere else. Like glue's ``autoconnect_callbacks_to_qt`` and napari's
``connect_setattr``::

    self.binding = Binding(RegressionLesson(), {"learning_rate": self.rate, ...})
    self.binding.changed.connect(self.settings_changed)   # (settings, names)
    self.binding.settings.learning_rate                  # always what the widgets show
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from optgui.lessons.settings import Settings, SettingsError


@dataclass(frozen=True)
class Accessor:
    """How to read, write and watch one widget's value."""

    get: Callable[[], Any]
    set: Callable[[Any], None]
    signal: Any  # a bound Qt signal emitted when the user changes the value


def accessor(widget: QWidget) -> Accessor:
    """The accessor of a standard widget (spin box, combo box by item data, check box,
    line edit); other widgets give their own :class:`Accessor`."""
    if isinstance(widget, QComboBox):

        def set_combo(value: Any) -> None:
            index = widget.findData(value)
            if index < 0:
                raise SettingsError(f"{widget.objectName() or 'a choice'} has no {value!r}")
            widget.setCurrentIndex(index)

        return Accessor(widget.currentData, set_combo, widget.currentIndexChanged)
    if isinstance(widget, QDoubleSpinBox):
        return Accessor(lambda: float(widget.value()), widget.setValue, widget.valueChanged)
    if isinstance(widget, QSpinBox):
        return Accessor(widget.value, widget.setValue, widget.valueChanged)
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return Accessor(widget.isChecked, widget.setChecked, widget.toggled)
    if isinstance(widget, QLineEdit):
        return Accessor(widget.text, widget.setText, widget.editingFinished)
    raise TypeError(f"no accessor for {type(widget).__name__}: pass an Accessor")


class Binding(QObject):
    """Settings ⇄ widgets. ``changed(settings, names)`` after a user's edit."""

    changed = Signal(object, object)  # (new Settings, frozenset of changed field names)
    rejected = Signal(str)  # an edit that made invalid settings, in words

    def __init__(
        self,
        settings: Settings,
        widgets: dict[str, QWidget | Accessor] | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self._settings = settings
        self._access: dict[str, Accessor] = {}
        self._widgets: list[QWidget] = []
        for name, widget in (widgets or {}).items():
            self.bind(name, widget)

    def bind(self, name: str, widget: QWidget | Accessor) -> None:
        """Bind one more widget to field ``name``; it shows the current value at once."""
        if not hasattr(self._settings, name):
            raise AttributeError(f"{type(self._settings).__name__} has no field {name!r}")
        access = widget if isinstance(widget, Accessor) else accessor(widget)
        if isinstance(widget, QWidget):
            self._widgets.append(widget)
        self._access[name] = access
        with self.quiet():
            access.set(getattr(self._settings, name))
        access.signal.connect(lambda *_args, name=name: self._edited(name))

    @property
    def settings(self) -> Settings:
        return self._settings

    @contextmanager
    def quiet(self) -> Iterator[None]:
        """Widgets changed inside this block send no signals (the one place that blocks)."""
        blocked = [(w, w.blockSignals(True)) for w in self._widgets]
        try:
            yield
        finally:
            for w, was in blocked:
                w.blockSignals(was)

    def write(self, settings: Settings) -> None:
        """Show ``settings`` in the widgets (no ``changed`` signal)."""
        with self.quiet():
            for name, access in self._access.items():
                value = getattr(settings, name)
                if access.get() != value:  # (a box being typed in keeps its text)
                    access.set(value)
        self._settings = settings

    def update(self, **changes: Any) -> Settings:
        """Change some settings from code (validated) and show them; no ``changed``."""
        self.write(self._settings.replace(**changes))
        return self._settings

    def _edited(self, name: str) -> None:
        value = self._access[name].get()
        if value == getattr(self._settings, name):
            return
        try:
            new = self._settings.replace(**{name: value})
        except SettingsError as error:
            self.write(self._settings)  # the widget shows the last good value again
            self.rejected.emit(str(error)[:1].upper() + str(error)[1:] + ".")
            return
        self._settings = new
        self.changed.emit(new, frozenset({name}))
