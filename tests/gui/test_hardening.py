"""Trying hard to break the app: hostile typing, rough handling, numeric faults, bad files.

The long versions (thousands of strings, a million steps, fifty closes) are
marked ``slow`` and run with ``pytest -m slow``; the default run keeps a
representative sample so CI stays quick.
"""

from __future__ import annotations

import os
import random
import sys
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTableWidget, QWidget

from optgui.gui.workers import live_processes
from tests.gui.helpers import TIMEOUT, child_processes, open_tab, wait_for_verdict
from tests.timing import budget

FUNCTION_TABS = ("Newton 1-D", "Newton 2-D", "Hessian Explorer")
EXAMPLES = int(os.environ.get("OPTGUI_HOSTILE_EXAMPLES", "150"))

ESCAPES = [
    "__import__('os').system('touch pwned')",
    "().__class__.__bases__[0].__subclasses__()",
    "open('pwned', 'w').write('x')",
    "exec('import os')",
    "eval('1+1')",
    "lambda: 1",
    "[x for x in ()]",
    "x if 1 else 2",
    "(y := 2)",
    "f'{x}'",
    "x.__class__",
    "globals()",
    "__builtins__",
    "import os",
    "sin(x, y=1)",
    "sin(*x)",
    "9**9**9",
    "((9**9)**9999)**9999",
    "x**10**10",
    "(" * 500 + "x" + ")" * 500,
    "x+" * 3000 + "x",
    "exp(exp(exp(exp(exp(exp(exp(exp(exp(x)))))))))",
    "\u202ex + y",
    "x\x00y",
    "ｘ + 1",
    "𝑥^2",
    "2x",
    "sin x",
    "",
    "   ",
]

near_valid = st.lists(
    st.sampled_from(
        [
            "x",
            "y",
            "z",
            "2",
            "0.5",
            "1e308",
            "9",
            "+",
            "-",
            "*",
            "/",
            "**",
            "^",
            "(",
            ")",
            "exp(",
            "log(",
            "sqrt(",
            "sin(",
            "tanh(",
            "abs(",
            "sigmoid(",
            "pi",
            "e",
            " ",
            ",",
            ".",
            "__",
            "import",
            "lambda",
            "[",
            "]",
            "'",
            "=",
            ":",
        ]
    ),
    max_size=40,
).map("".join)
hostile = st.one_of(
    st.sampled_from(ESCAPES),
    near_valid,
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=400),
)


def function_box(tab) -> QLineEdit:
    return tab.findChild(QLineEdit, "function")


def type_function(qtbot, box: QLineEdit, text: str) -> None:
    box.setFocus()
    box.selectAll()
    box.setText(text)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    wait_for_verdict(qtbot, box)


@pytest.mark.parametrize("title", FUNCTION_TABS)
def test_hostile_function_text_never_runs_and_keeps_the_function(
    window, qtbot, title, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    tab = open_tab(window, qtbot, title)
    box = function_box(tab)
    error = tab.findChild(QLabel, "function_error")
    owner = box.parent()
    while not hasattr(owner, "function"):
        owner = owner.parent()
    before_modules = set(sys.modules)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(text=hostile)
    def check(text: str) -> None:
        previous = owner.function
        start = time.perf_counter()
        type_function(qtbot, box, text)
        elapsed = time.perf_counter() - start
        assert elapsed < budget(1.0), (text[:80], elapsed)
        if owner.function is previous:  # rejected: a message, the old function kept
            assert error.isVisible() and error.text().strip(), text[:80]
        assert not any(tmp_path.iterdir()), "a file appeared"

    for text in ESCAPES:
        check.hypothesis.inner_test(text=text)
    check()
    new = set(sys.modules) - before_modules
    assert not {"antigravity", "webbrowser", "subprocess", "socket"} & new, new


def table_texts(tab) -> list[str]:
    texts = []
    for table in tab.findChildren(QTableWidget):
        for r in range(table.rowCount()):
            for c in range(table.columnCount()):
                item = table.item(r, c)
                if item is not None:
                    texts.append(item.text())
    return texts


def assert_no_nan(tab) -> None:
    bad = [
        t
        for t in table_texts(tab)
        if t.lower() in ("nan", "inf", "-inf", "undefined") or t.strip().lower() == "nan"
    ]
    assert not bad, bad


@pytest.mark.parametrize("title", ["Regression", "Classification", "2-2-1 Network"])
@pytest.mark.parametrize("rate", [1e-6, 100.0])
def test_extreme_learning_rates_end_in_words(window, qtbot, title, rate):
    tab = open_tab(window, qtbot, title)
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    tab.controls.limit.setValue(300)
    tab.rate.setValue(rate)
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT) as blocker:
        tab.toggle_play()
    message = blocker.args[0].message
    assert message and message[0].isalpha()
    assert_no_nan(tab)
    assert tab.status


@pytest.mark.parametrize(
    ("title", "text", "start"),
    [
        ("Newton 1-D", "x^3", (0.0,)),  # g'' = 0 at the start
        ("Newton 1-D", "log(x)^2", (2.0,)),  # jumps out of the domain of log
        ("Newton 2-D", "x^2 - y^2 + x*y*0", (0.0, 0.0)),  # indefinite, critical
        ("Newton 2-D", "x^4 + y^4", (0.0, 0.0)),  # singular Hessian
    ],
)
def test_newton_faults_end_in_words(window, qtbot, title, text, start):
    tab = open_tab(window, qtbot, title)
    type_function(qtbot, function_box(tab), text)
    for name, value in zip(("x0", "y0"), start, strict=False):
        edit = tab.findChild(QLineEdit, name)
        if edit is not None:
            edit.setText(str(value))
            qtbot.keyClick(edit, Qt.Key.Key_Return)
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT) as blocker:
        tab.toggle_play()
    assert blocker.args[0].message
    assert_no_nan(tab)


BAD_CSVS = {
    "empty.csv": b"",
    "binary.csv": bytes(range(256)) * 20,
    "header_only.csv": b"size,price\n",
    "missing.csv": b"size,price\n1,2\n2,\n3,6\n",
    "text.csv": b"size,price\n1,2\n2,abc\n3,6\n",
    "constant.csv": b"size,price\n1,2\n1,4\n1,6\n",
    "one_row.csv": b"size,price\n1,2\n",
}


@pytest.mark.parametrize("name", sorted(BAD_CSVS))
def test_bad_csv_keeps_the_data(window, qtbot, tmp_path, name):
    tab = open_tab(window, qtbot, "Regression")
    before = (tab.dataset.X.copy(), tab.dataset.y.copy())
    path = tmp_path / name
    path.write_bytes(BAD_CSVS[name])
    assert not tab.load_csv(str(path), ["size"], "price")
    assert tab.data_error.isVisible() and tab.data_error.text()
    assert np.array_equal(tab.dataset.X, before[0]) and np.array_equal(tab.dataset.y, before[1])


def test_semicolon_csv_loads(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Regression")
    path = tmp_path / "semi.csv"
    path.write_text("size;price\n1;2,5\n2;4,1\n3;6\n")
    assert tab.load_csv(str(path), ["size"], "price")
    assert tab.dataset.y[0] == pytest.approx(2.5)


def test_huge_csv_is_refused_quickly(window, qtbot, tmp_path):
    tab = open_tab(window, qtbot, "Regression")
    path = tmp_path / "huge.csv"
    with open(path, "w") as f:
        f.write("size,price\n")
        line = "1234.5678,9876.54321\n" * 1000
        for _ in range(2400):  # about 50 MB
            f.write(line)
    start = time.perf_counter()
    assert not tab.load_csv(str(path), ["size"], "price")
    assert time.perf_counter() - start < 5
    assert "MB" in tab.data_error.text()


def single_class_data(tab) -> None:
    from optgui.core.datasets import Dataset

    data = Dataset(
        np.array([[0.0, 1.0], [1.0, 2.0], [2.0, 0.5]]),
        np.array([1.0, 1.0, 1.0]),
        ("x1", "x2"),
        "class",
        name="One class",
    )
    tab.use_data(data)


def test_single_class_data_trains_without_nan(window, qtbot):
    tab = open_tab(window, qtbot, "Classification")
    single_class_data(tab)
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    tab.controls.limit.setValue(200)
    with qtbot.waitSignal(tab.engine.finished, timeout=TIMEOUT):
        tab.toggle_play()
    assert_no_nan(tab)


# -- rough handling -------------------------------------------------------------------------


def consistent(window) -> None:
    """Only the tab in front may run; the table shows the step the timeline shows."""
    tab = window.current
    assert not any(t.engine.running for t in window.all_tabs() if t is not tab)
    if tab.engine.running:
        return
    assert tab.engine._worker is None  # a stopped run holds no worker
    n = len(tab.history)
    if n:
        assert tab.controls.timeline.value() < n
        assert tab.shown_index == tab.controls.timeline.value()


def monkey(window, qtbot, actions: int, seed: int) -> None:
    rng = random.Random(seed)
    tabs = window.all_tabs()
    for _ in range(actions):
        tab = window.current
        action = rng.choice(
            [
                "play",
                "pause",
                "step",
                "step",
                "reset",
                "new",
                "scrub",
                "rate",
                "tab",
                "speed",
                "present",
                "data",
            ]
        )
        if action == "play":
            qtbot.keyClick(window, Qt.Key.Key_Space)
        elif action == "pause":
            tab.pause()
            qtbot.waitUntil(lambda t=tab: not t.engine.running, timeout=TIMEOUT)
        elif action == "step":
            qtbot.keyClick(window, Qt.Key.Key_Right)
        elif action == "reset":
            qtbot.keyClick(window, Qt.Key.Key_R)
        elif action == "new":
            qtbot.keyClick(window, Qt.Key.Key_N)
        elif action == "scrub" and len(tab.history) and not tab.engine.running:
            tab.controls.timeline.setValue(rng.randrange(len(tab.history)))
        elif action == "rate" and hasattr(tab, "rate"):
            tab.rate.setValue(rng.choice([1e-4, 0.01, 0.1, 1.0, 5.0, 60.0]))
        elif action == "tab":
            window.tabs.setCurrentIndex(rng.randrange(len(tabs)))
        elif action == "speed":
            tab.controls.speed.setValue(rng.randrange(tab.controls.speed.maximum() + 1))
        elif action == "present":
            qtbot.keyClick(window, Qt.Key.Key_F5)
        elif action == "data":
            source = tab.findChild(QWidget, "dataset")
            if source is not None and source.isEnabled() and source.count():
                source.setCurrentIndex(rng.randrange(source.count()))
        for _ in range(3):  # let queued batches arrive (no fixed waits)
            QApplication.processEvents()
        consistent(window)
    window.set_presentation(False)
    for tab in tabs:
        tab.stop()
    assert not any(tab.engine.running for tab in tabs)


def test_monkey_drives_every_tab(window, qtbot):
    monkey(window, qtbot, actions=int(os.environ.get("OPTGUI_MONKEY_ACTIONS", "250")), seed=7)


def close_mid_run(qtbot, seed: int, folder) -> None:
    from optgui.app import create_window

    rng = random.Random(seed)
    os.environ["OPTGUI_SETTINGS_DIR"] = str(folder / f"settings-{seed}")  # a first start
    win = create_window()  # (not given to qtbot: this function deletes it itself)
    win.show()
    win.tabs.setCurrentIndex(rng.randrange(win.tabs.count()))
    tab = win.current
    tab.controls.speed.setValue(tab.controls.speed.maximum())
    tab.controls.limit.setValue(10_000_000)
    tab.toggle_play()
    target = rng.randrange(1, 200)
    qtbot.waitUntil(lambda: len(tab.history) >= target or not tab.engine.running, timeout=TIMEOUT)
    win.close()
    assert not live_processes() and not child_processes()
    # free it now, while no worker runs (deleting thousands of Python-owned objects
    # is quicker without another thread asking for the GIL)
    from tests.conftest import _delete

    _delete(win)


def test_closing_mid_run_a_few_times(qtbot, tmp_path):
    for seed in range(5):
        close_mid_run(qtbot, seed, tmp_path)


@pytest.mark.slow
def test_closing_mid_run_fifty_times(qtbot, tmp_path):
    for seed in range(50):
        close_mid_run(qtbot, seed, tmp_path)


@pytest.mark.slow
def test_monkey_long(window, qtbot):
    monkey(window, qtbot, actions=2000, seed=11)
