"""Saved files get the permissions any saved file gets (the umask), not 0600."""

from __future__ import annotations

import os
import stat

import pytest

from optgui.gui import export
from tests.gui.helpers import step_to


@pytest.fixture(params=[0o022, 0o002, 0o077])
def umask(request):
    before = os.umask(request.param)
    yield request.param
    os.umask(before)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_exports_and_sessions_follow_the_umask(window, qtbot, tmp_path, umask):
    tab = window.current
    step_to(qtbot, window, tab, 2)
    written = [
        export.export_plot_png(tab.cost_plot, tmp_path / "cost.png", width=400),
        export.export_plot_svg(tab.cost_plot, tmp_path / "cost.svg"),
        export.export_history_csv(tab.history_columns(), tab.history.rows, tmp_path / "h.csv"),
        export.export_widget_png(window, tmp_path / "window.png"),
    ]
    window.save_session(tmp_path / "lesson.optgui.json")
    written.append(tmp_path / "lesson.optgui.json")
    with open(tmp_path / "plain.txt", "w") as f:  # a file saved the ordinary way
        f.write("x")
    assert mode(tmp_path / "plain.txt") == 0o666 & ~umask
    for path in written:
        assert mode(path) == 0o666 & ~umask, path.name
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".optgui")]  # no leftovers


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_a_file_saved_again_keeps_its_permissions(window, tmp_path):
    path = tmp_path / "lesson.optgui.json"
    window.save_session(path)
    os.chmod(path, 0o600)  # made private by its owner
    window.save_session(path)
    assert mode(path) == 0o600
    csv = export.export_history_csv(["k"], [[0.0]], tmp_path / "h.csv")
    os.chmod(csv, 0o640)
    export.export_history_csv(["k"], [[1.0]], csv)
    assert mode(csv) == 0o640
