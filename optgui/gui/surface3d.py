"""An optional 3D view of a surface z = f(x, y), with a second surface drawn as a mesh over it.

pyqtgraph's OpenGL view needs PyOpenGL and a working OpenGL context. Either may
be missing (a computer without drivers, a remote session, the offscreen
platform of the tests). :func:`gl_unavailable_reason` checks both without
crashing, and :class:`Surface3D` then shows a sentence instead of the view, so
a tab that uses it works everywhere. ``OPTGUI_NO_GL=1`` switches the view off.
"""

from __future__ import annotations

import html
import math
import os
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from optgui.gui import style

#: What the tab shows when there is no 3D view.
OFF_TEXT = "3D view is off: OpenGL is not available on this computer"

#: Half-widths of the drawn box, in scene units (x and y; z).
_SIDE = 5.0
_HEIGHT = 3.5


def _on_top() -> dict:
    from OpenGL import GL

    return {
        GL.GL_DEPTH_TEST: False,
        GL.GL_BLEND: True,
        GL.GL_CULL_FACE: False,
        "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA),
    }


def gl_unavailable_reason() -> str | None:
    """None when the 3D view can work here; otherwise a short reason, in words."""
    if os.environ.get("OPTGUI_NO_GL", "").strip() not in ("", "0"):
        return "switched off (OPTGUI_NO_GL is set)"
    return _probe_gl()


@lru_cache(maxsize=1)
def _probe_gl() -> str | None:
    try:
        import pyqtgraph.opengl  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - any import failure means "no 3D"
        return f"pyqtgraph.opengl cannot be loaded ({type(exc).__name__}: {exc})"
    from PySide6.QtGui import QGuiApplication, QOffscreenSurface, QOpenGLContext

    if QGuiApplication.instance() is None:
        return "no application yet"
    try:
        context = QOpenGLContext()
        if not context.create():
            return "no OpenGL context can be created"
        surface = QOffscreenSurface()
        surface.setFormat(context.format())
        surface.create()
        if not surface.isValid() or not context.makeCurrent(surface):
            return "the OpenGL context cannot be used"
        fmt = context.format()
        old = not context.isOpenGLES() and (fmt.majorVersion(), fmt.minorVersion()) < (2, 1)
        context.doneCurrent()
        surface.destroy()
        if old:
            return f"OpenGL {fmt.majorVersion()}.{fmt.minorVersion()} is too old (2.1 needed)"
    except Exception as exc:  # noqa: BLE001
        return f"OpenGL check failed ({type(exc).__name__}: {exc})"
    return None


def _scaled(values: np.ndarray, center: float, half: float, target: float) -> np.ndarray:
    return (np.asarray(values, dtype=float) - center) / half * target


#: Where the axis names sit in the drawn box (scene units): beside the middle of the
#: floor's side along x and of its side along y (the sides towards the camera), and above
#: the f axis.
AXIS_NAME_PLACES = {
    "x": (0.0, -_SIDE - 1.2, -_HEIGHT),
    "y": (_SIDE + 1.2, 0.0, -_HEIGHT),
    "f": (-_SIDE, -_SIDE, _HEIGHT + 0.5),
}


@lru_cache(maxsize=1)
def _view_class() -> type:
    """pyqtgraph's GL view with the axis names as labels over it, placed again after every
    frame (pyqtgraph's GL text is painted where a grab of the window does not look, so
    screenshots and exports lost it; a label is also never hidden behind the surface)."""
    import pyqtgraph.opengl as gl
    from PySide6.QtGui import QVector3D

    class LabelledView(gl.GLViewWidget):
        def __init__(self) -> None:
            super().__init__()
            self.names: dict[str, QLabel] = {}
            for key in AXIS_NAME_PLACES:
                label = QLabel(key, self)
                label.setObjectName(f"axis_{key}")
                label.setStyleSheet(f"color: {style.INK}; background: transparent;")
                style.relative_font(label, +1)
                label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                self.names[key] = label

        def set_name(self, key: str, text: str) -> None:
            self.names[key].setText(text)
            self.names[key].adjustSize()
            self.place_names()

        def paintGL(self) -> None:  # noqa: N802 - Qt API
            super().paintGL()
            self.place_names()

        def place_names(self) -> None:
            """Each name just beside where its 3D place is drawn now."""
            viewport = self.getViewport()
            mvp = self.projectionMatrix(viewport, viewport) * self.viewMatrix()
            w, h = max(self.width(), 1), max(self.height(), 1)
            for key, (x, y, z) in AXIS_NAME_PLACES.items():
                p = mvp.map(QVector3D(x, y, z))  # normalised device coordinates
                label = self.names[key]
                label.adjustSize()
                px = (p.x() + 1) / 2 * w - label.width() / 2
                py = (1 - p.y()) / 2 * h - label.height() / 2
                px = min(max(0, int(px)), w - label.width())
                py = min(max(0, int(py)), h - label.height())
                if label.pos().x() != px or label.pos().y() != py:
                    label.move(px, py)

    return LabelledView


class Surface3D(QWidget):
    """A titled 3D surface of f with an optional mesh (e.g. a Taylor approximation) and a point.

    ``available`` tells whether the OpenGL view is shown; when it is not, the
    widget is a label (objectName ``surface3d_off``) and every method is a no-op.
    """

    def __init__(
        self,
        title: str,
        legend: str = "",
        parent: QWidget | None = None,
        *,
        mesh_color: str = style.VERMILION,
    ):
        super().__init__(parent)
        self.setObjectName("surface3d")
        self.mesh_color = mesh_color  # (the legend's words for it are the caller's)
        self.legend_text = legend
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(f"<b>{title}</b>")
        self.title.setObjectName("surface_title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet(f"color: {style.INK};")
        style.relative_font(self.title, +1)  # (follows zoom and presentation mode)
        layout.addWidget(self.title)
        self.view = None
        self.reason = gl_unavailable_reason()
        if self.reason is None:
            try:
                self._build(layout, legend)
            except Exception as exc:  # noqa: BLE001 - a failing GL view must not crash the tab
                self.reason = f"{type(exc).__name__}: {exc}"
                if self.view is not None:
                    self.view.setParent(None)
                    self.view = None
        if self.reason is not None:
            self.off_label = QLabel(OFF_TEXT + ".")
            self.off_label.setObjectName("surface3d_off")
            self.off_label.setWordWrap(True)
            self.off_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.off_label.setStyleSheet(
                f"color: {style.GREY}; border: 1px dashed #aaaaaa; padding: 12px;"
            )
            style.relative_font(self.off_label, +1)
            self.off_label.setToolTip(f"Why: {self.reason}. The other views work as usual.")
            layout.addWidget(self.off_label, 1)
            self.setMaximumHeight(150)  # leave the room to the other views
        self.setMinimumSize(220, 100 if self.reason is not None else 180)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.view is not None:
            self.fit_camera()

    def fit_camera(self) -> None:
        """Move the camera so the whole box fits the view, however wide or tall it is."""
        w, h = max(self.view.width(), 1), max(self.view.height(), 1)
        radius = 1.15 * math.hypot(_SIDE, _SIDE, _HEIGHT)
        # pyqtgraph's field of view (60°) is horizontal; the vertical one shrinks with h / w.
        half = math.tan(math.radians(30)) * min(1.0, h / w)
        self.view.setCameraPosition(distance=radius / half)

    @property
    def available(self) -> bool:
        return self.view is not None

    def _build(self, layout: QVBoxLayout, legend: str) -> None:
        import pyqtgraph.opengl as gl

        on_top = _on_top()  # the point and its stem are never hidden by the surfaces
        view = _view_class()()
        self.view = view
        view.setBackgroundColor("w")
        view.setCameraPosition(distance=3.4 * _SIDE, elevation=38, azimuth=-60)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        view.setMinimumSize(200, 150)
        view.setToolTip("Drag to turn the surface, scroll to zoom")
        floor = gl.GLGridItem(color=(0, 0, 0, 60))
        floor.setSize(2 * _SIDE, 2 * _SIDE)
        floor.setSpacing(_SIDE / 4, _SIDE / 4)
        floor.translate(0, 0, -_HEIGHT)
        view.addItem(floor)
        self._surface = gl.GLSurfacePlotItem(
            computeNormals=False,  # plain colours, as on the contour map; the grid shows the shape
            showGrid=True,
            lineColor=(0.1, 0.1, 0.1, 0.2),
            glOptions="opaque",
        )
        view.addItem(self._surface)
        self._mesh = gl.GLSurfacePlotItem(
            drawFaces=False,
            showGrid=True,
            lineColor=(*pg.mkColor(self.mesh_color).getRgbF()[:3], 0.85),
            lineWidth=1.5,
            glOptions="translucent",
        )
        self._mesh.setDepthValue(5)
        view.addItem(self._mesh)
        # the point: a white dot in a black ring, drawn over the surfaces
        self._ring = gl.GLScatterPlotItem(
            pos=np.zeros((1, 3)), color=(0, 0, 0, 1), size=style.Look.marker + 10, pxMode=True
        )
        self._dot = gl.GLScatterPlotItem(
            pos=np.zeros((1, 3)), color=(1, 1, 1, 1), size=style.Look.marker + 3, pxMode=True
        )
        for depth, item in ((10, self._ring), (11, self._dot)):
            item.setGLOptions(on_top)
            item.setDepthValue(depth)
            view.addItem(item)
        self._stem = gl.GLLinePlotItem(
            pos=np.zeros((2, 3)),
            color=pg.mkColor(style.INK).getRgbF(),
            width=2,
            glOptions=on_top,
        )
        view.addItem(self._stem)
        axis = gl.GLLinePlotItem(
            pos=np.array([[-_SIDE, -_SIDE, -_HEIGHT], [-_SIDE, -_SIDE, _HEIGHT]]),
            color=pg.mkColor(style.INK).getRgbF(),
            width=2,
            glOptions="translucent",
        )
        view.addItem(axis)
        layout.addWidget(view, 1)
        if legend:
            note = QLabel(legend)
            note.setObjectName("surface_legend")
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(note)
        self._colormap = pg.colormap.get(style.COLORMAP)
        self._names = ("x", "y", "f")

    def set_title(self, text: str) -> None:
        """The title over the view (e.g. which slice it shows)."""
        self.title.setText(f"<b>{html.escape(text)}</b>")

    def set_axis_names(self, x: str, y: str, z: str) -> None:
        """Label the axes (e.g. "x", "y", "f(x, y, 1)")."""
        if not self.available or (x, y, z) == self._names:
            return
        self._names = (x, y, z)
        for key, text in zip(("x", "y", "f"), (x, y, z), strict=True):
            self.view.set_name(key, text)

    def show_surface(
        self,
        xs: np.ndarray,
        ys: np.ndarray,
        z: np.ndarray,
        mesh: np.ndarray | None = None,
        point: tuple[float, float, float] | None = None,
    ) -> None:
        """Draw z (shape (len(ys), len(xs)), row-major like the contour maps) and the mesh.

        Heights are fitted into the box around ``point``'s height (display scaling
        only); mesh values far outside f's range are clipped so the mesh never hides f.
        Non-finite heights are drawn at the floor.
        """
        if not self.available:
            return
        xs = np.asarray(xs, dtype=float)
        ys = np.asarray(ys, dtype=float)
        z = np.asarray(z, dtype=float)
        finite = z[np.isfinite(z)]
        if finite.size == 0:
            self.clear()
            return
        lo, hi = float(finite.min()), float(finite.max())
        mid = 0.5 * (lo + hi)
        half = max(0.5 * (hi - lo), 1e-12 * max(1.0, abs(mid)), 1e-300)
        cx, hx = 0.5 * (xs[0] + xs[-1]), max(0.5 * (xs[-1] - xs[0]), 1e-300)
        cy, hy = 0.5 * (ys[0] + ys[-1]), max(0.5 * (ys[-1] - ys[0]), 1e-300)
        sx = _scaled(xs, cx, hx, _SIDE)
        sy = _scaled(ys, cy, hy, _SIDE)
        # GLSurfacePlotItem wants z[i, j] at (x[i], y[j]): transpose the row-major grid.
        zz = np.where(np.isfinite(z), z, lo).T
        sz = _scaled(zz, mid, half, _HEIGHT)
        colors = self._colormap.map((zz - lo) / (2 * half), mode="float")
        colors = np.asarray(colors, dtype=np.float32).reshape(-1, 4)
        self._surface.setData(x=sx, y=sy, z=sz, colors=colors)
        self._surface.setVisible(True)
        if mesh is not None:
            mm = np.asarray(mesh, dtype=float).T
            margin = 0.15 * (hi - lo) + 1e-12
            mm = np.clip(np.where(np.isfinite(mm), mm, hi + margin), lo - margin, hi + margin)
            step = max(1, round(len(xs) / 11))  # a coarser mesh keeps f visible through it
            self._mesh.setData(
                x=sx[::step], y=sy[::step], z=_scaled(mm[::step, ::step], mid, half, _HEIGHT)
            )
        self._mesh.setVisible(mesh is not None)
        if point is not None and all(np.isfinite(point)):
            px = float(_scaled(point[0], cx, hx, _SIDE))
            py = float(_scaled(point[1], cy, hy, _SIDE))
            pz = float(_scaled(point[2], mid, half, _HEIGHT))
            for item in (self._ring, self._dot):
                item.setData(pos=np.array([[px, py, pz]]))
            self._stem.setData(pos=np.array([[px, py, -_HEIGHT], [px, py, pz]]))
        for item in (self._ring, self._dot, self._stem):
            item.setVisible(point is not None)

    def clear(self) -> None:
        if self.available:
            for item in (self._surface, self._mesh, self._ring, self._dot, self._stem):
                item.setVisible(False)
