"""Typeset formulas: LaTeX math rendered by matplotlib's mathtext into pixmaps.

Only matplotlib's Agg-based mathtext is used (no TeX installation, no pyplot).
Formulas are cached: the same formula is rendered once.

Typesetting takes about a quarter of a millisecond per character of LaTeX, so
the long derivative formulas of a typed function take from 0.1 s to more than
a second each. The window must not wait for them: :func:`pixmap_soon` typesets
short formulas at once (while the GUI thread has spent less than
:data:`QUICK_BUDGET` on typesetting in the last tenth of a second) and the rest
in the background (see :mod:`optgui.gui.background`), one at a time (mathtext
is not thread-safe). Formulas longer than :data:`MAX_CHARS` are not typeset.
"""

from __future__ import annotations

import io
import sys
import threading
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy

from optgui.gui.background import Job, lane
from optgui.gui.style import INK, Look
from optgui.lessons.notation import tex_column, tex_matrix, tex_number  # noqa: F401 - here before

#: Formulas up to this long (LaTeX characters, ~30 ms) may be typeset on the GUI thread...
QUICK_CHARS = 120
#: ...while typesetting took less than this of the GUI thread's last tenth of a second.
QUICK_BUDGET = 0.025
#: Longer formulas (seconds to typeset, unreadable anyway) are shown as this note instead.
MAX_CHARS = 4000
TOO_LONG = "(formula too long to show)"
CACHE_SIZE = 512

_Key = tuple[str, int, str, float]
_lock = threading.Lock()  # one formula at a time: matplotlib's mathtext is not thread-safe
_cache: dict[_Key, bytes] = {}
_failed: dict[_Key, str] = {}  # formulas mathtext cannot read, and why
#: Formulas being typeset in the background: their job, and who waits for them.
_pending: dict[_Key, tuple[Job, list[tuple[QObject, Callable[[], None]]]]] = {}


def _render(latex: str, points: int, color: str, ratio: float) -> bytes:
    import matplotlib  # (imported on first use: it adds a fifth to the start-up time)

    matplotlib.use("Agg")
    from matplotlib import mathtext

    if len(latex) > MAX_CHARS:
        raise ValueError(TOO_LONG)
    buffer = io.BytesIO()
    dpi = 96 * ratio * points / 10  # mathtext renders at 10 pt by default
    mathtext.math_to_image(f"${latex}$", buffer, dpi=dpi, format="png", color=color)
    return buffer.getvalue()


def _png(latex: str, points: int, color: str, ratio: float) -> bytes:
    """The formula as PNG data, from the cache or typeset now (on any thread)."""
    key = (latex, points, color, ratio)
    data = _cached(key)
    if data is None:
        with _lock:
            data = _make(key)
    return data


def _cached(key: _Key) -> bytes | None:
    if key in _failed:
        raise ValueError(_failed[key])
    return _cache.get(key)


def _make(key: _Key) -> bytes:
    """Typeset (holding ``_lock``) and remember the formula ``key``."""
    data = _cache.get(key)  # (another thread may have typeset it meanwhile)
    if data is None:
        try:
            data = _render(*key)
        except Exception as err:  # noqa: BLE001 - a formula mathtext cannot read
            _failed[key] = str(err) or type(err).__name__
            raise ValueError(_failed[key]) from None
        if len(_cache) >= CACHE_SIZE:
            del _cache[next(iter(_cache))]  # the oldest
        _cache[key] = data
    return data


def _key(latex: str, points: int | None, color: str, ratio: float) -> _Key:
    return (latex, points or Look.font_pt + 6, color, round(ratio * 4) / 4)


def _as_pixmap(data: bytes, ratio: float) -> QPixmap:
    pm = QPixmap()
    pm.loadFromData(data)
    pm.setDevicePixelRatio(ratio)
    return pm


def pixmap(latex: str, points: int | None = None, color: str = INK, ratio: float = 1.0) -> QPixmap:
    """The formula as a pixmap (``latex`` without surrounding dollars), typeset now."""
    return _as_pixmap(_png(*_key(latex, points, color, ratio)), ratio)


class _Budget:
    """GUI-thread time spent typesetting lately (a burst of formulas must not freeze)."""

    window = 0.1
    start = 0.0
    spent = 0.0

    @classmethod
    def allows(cls) -> bool:
        now = time.perf_counter()
        if now - cls.start > cls.window:
            cls.start, cls.spent = now, 0.0
        return cls.spent < QUICK_BUDGET


def pixmap_soon(
    latex: str,
    points: int | None,
    color: str,
    ratio: float,
    *,
    owner: QObject,
    then: Callable[[], None],
) -> QPixmap | None:
    """The formula as a pixmap if it is cached or quick to typeset; else None.

    None: it is typeset in the background, and ``then()`` is called on the GUI
    thread when it is ready (unless ``owner`` is deleted), so asking again gets it.
    Raises ValueError for a formula mathtext cannot read (or too long to show).
    """
    key = _key(latex, points, color, ratio)
    data = _cached(key)
    quick = (
        data is None
        and len(latex) <= QUICK_CHARS
        and "matplotlib.mathtext" in sys.modules  # (not the first: loading it takes 0.3–1 s)
        and _Budget.allows()
    )
    if quick and _lock.acquire(blocking=False):  # (never waiting for the background)
        start = time.perf_counter()
        try:
            data = _make(key)
        finally:
            _lock.release()
            _Budget.spent += time.perf_counter() - start
    withdraw(owner)
    if data is not None:
        return _as_pixmap(data, ratio)
    if key not in _pending:
        job = lane("typeset", polite=True).submit(
            lambda job: _png(*key), lambda job: _typeset_done(key)
        )
        _pending[key] = (job, [])
    _pending[key][1].append((owner, then))
    return None


def withdraw(owner: QObject) -> None:
    """``owner`` no longer waits for formulas it asked for (nobody else: not typeset)."""
    for key, (job, waiting) in list(_pending.items()):
        waiting[:] = [w for w in waiting if w[0] is not owner]
        if not waiting:
            job.cancel()
            del _pending[key]


def _typeset_done(key: _Key) -> None:
    _, waiting = _pending.pop(key, (None, []))
    for owner, then in waiting:
        if shiboken6.isValid(owner):
            then()


class Formula(QLabel):
    """A label that shows one typeset formula; falls back to text if it cannot render.

    A formula not on screen yet is typeset shortly after it first shows, so a
    window appears before its formulas (typesetting takes 10–30 ms each, and
    loading matplotlib for the first one a quarter of a second). A long one is
    typeset in the background (see :func:`pixmap_soon`); the old picture stays
    until it is ready.
    """

    def __init__(self, latex: str = "", points: int | None = None, parent=None):
        super().__init__(parent)
        self._points = points
        self._due = False  # latex changed while not shown: typeset when shown
        self._background = False  # being typeset in the background
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_latex(latex)

    def set_latex(self, latex: str) -> None:
        self.latex = latex
        self.setToolTip(latex)
        self.setAccessibleName(latex)  # (screen readers and tests read the source)
        if not latex:
            self._due = False
            self.clear()
        elif self.isVisible():
            self._typeset()
        else:
            self._due = True

    def _typeset(self, now: bool = False) -> None:
        """Show the typeset formula: at once if ``now``, else maybe after a while."""
        self._due = False
        self._background = False
        _waiting.discard(self)
        if not self.latex:
            return
        ratio = self.devicePixelRatioF()
        try:
            if now:
                pm = pixmap(self.latex, self._points, INK, ratio)
            else:
                pm = pixmap_soon(
                    self.latex, self._points, INK, ratio, owner=self, then=self._ready
                )
        except ValueError as err:  # a formula mathtext cannot parse shows as text
            self.setText(TOO_LONG if str(err) == TOO_LONG else self.latex)
            return
        if pm is None:
            self._background = True  # the old picture stays until the new one is ready
            _waiting.add(self)
        else:
            self.setPixmap(pm)

    def _ready(self) -> None:
        """Typeset in the background: show it (or, hidden meanwhile, when shown again)."""
        if self.isVisible():
            self._typeset()
        else:
            self._background, self._due = False, True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._due:
            _typeset_soon(self)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().hideEvent(event)
        if self._background and not self.window().isVisible():  # the window is closing
            withdraw(self)
            self._background, self._due = False, True  # (typeset if it shows again)

    def pixmap(self) -> QPixmap:
        if self._due or self._background:  # asked for (tests, export): typeset now
            self._typeset(now=True)
        return super().pixmap()

    def refresh(self) -> None:
        self.set_latex(self.latex)


_waiting: set[Formula] = set()
_timer: QTimer | None = None


def _typeset_soon(formula: Formula) -> None:
    global _timer
    _waiting.add(formula)
    if _timer is None or not shiboken6.isValid(_timer):  # (gone with an old QApplication)
        _timer = QTimer()
        _timer.setSingleShot(True)
        _timer.timeout.connect(_typeset_shown)
    if not _timer.isActive():
        _timer.start(TYPESET_DELAY_MS)


#: Formulas that have just appeared are typeset this long after, once the window is drawn.
TYPESET_DELAY_MS = 40


def _typeset_shown() -> None:
    for formula in list(_waiting):
        try:
            if formula._due:
                formula._typeset()
        except RuntimeError:  # its widget was deleted meanwhile
            _waiting.discard(formula)


def typeset_waiting() -> None:
    """Typeset every formula that is shown but not typeset yet, now (before a screenshot)."""
    for formula in list(_waiting):
        try:
            if formula._due or formula._background:
                formula._typeset(now=True)
        except RuntimeError:  # its widget was deleted meanwhile
            pass
    _waiting.clear()
