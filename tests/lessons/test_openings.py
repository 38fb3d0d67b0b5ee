"""Every tab has a first status that says what it is and what to press."""

from __future__ import annotations

from optgui.lessons.openings import OPENINGS, opening
from optgui.tabs import TABS


def test_every_tab_has_an_opening_naming_it():
    assert set(OPENINGS) == {title for title, _ in TABS}
    for title, text in OPENINGS.items():
        assert text.startswith(f"{title}: ") and "Space" in text
        assert "Reset" not in text
    assert opening("Something new").startswith("Something new: ")
