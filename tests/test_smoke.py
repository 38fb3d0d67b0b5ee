"""The smoke test the packaged app runs in CI: every tab steps, failures are caught."""

from __future__ import annotations

import time

from optgui.smoke import describe, run_smoke_test, wait_until


def test_smoke_test_passes_on_every_tab(window, capsys):
    assert run_smoke_test(window, steps=3) == 0
    out = capsys.readouterr().out
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert len(titles) == 6
    for title in titles:
        assert f"{title}: " in out
    assert "FAILED" not in out
    assert "Formulas: typeset" in out
    assert "Export: PNG" in out
    assert "Smoke test passed: 6 tabs" in out
    for i in range(window.tabs.count()):
        tab = window.tab(i)
        assert not tab.engine.running
        assert len(tab.history) >= 1 or tab.engine.outcome is not None


def test_smoke_test_reports_a_tab_that_cannot_start(window, capsys):
    tab = window.tab("Regression")

    def unusable():
        tab.set_status("the data is missing")
        return None

    tab.make_factory = unusable
    assert run_smoke_test(window, steps=2) == 1
    out = capsys.readouterr().out
    assert "FAILED Regression: cannot start: the data is missing" in out
    assert "Smoke test FAILED: 1 problem(s)" in out
    assert "Classification: 2 steps" in out  # the other tabs still ran


def broken(last):
    """A factory that fails (module level: the worker process imports it)."""
    raise RuntimeError("boom")


def test_smoke_test_reports_a_failing_computation(window, capsys):
    tab = window.tab("Classification")
    tab.make_factory = lambda: broken
    assert run_smoke_test(window, steps=2) == 1
    out = capsys.readouterr().out
    assert "FAILED Classification: the computation failed: RuntimeError: boom" in out


def test_wait_until_gives_up_at_the_deadline(qapp):
    start = time.monotonic()
    assert not wait_until(lambda: False, start + 0.2)
    assert 0.15 <= time.monotonic() - start < 2
    assert wait_until(lambda: True, start)


def test_describe_names_the_headline_number():
    class Train:
        cost = 0.3125

    class Newton:
        value = -1.5

    class Race:
        newton = Newton()
        descent = None

    assert describe(Train()) == "cost 0.3125"
    assert describe(Newton()) == "f -1.5"
    assert describe(Race()) == "newton f -1.5"
    assert describe(None) == "no step"
