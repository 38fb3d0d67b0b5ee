"""A derivation of the slides, as plain data: lines revealed one at a time, with numbers.

A lesson's derivation builders return :class:`Derivation` objects built from the
run's current numbers (the clicked example, the current point). Each
:class:`Line` is one build-up frame of the slides: a few words and a formula
(LaTeX for matplotlib's mathtext). The GUI reveals them one by one with →;
tests read them here, without Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    """One step of a derivation: ``words`` (HTML allowed) and/or a ``latex`` formula."""

    words: str = ""
    latex: str = ""

    def plain(self) -> str:
        """The line as plain text (its words, then its formula's source)."""
        return " ".join(part for part in (self.words, self.latex) if part)


@dataclass(frozen=True)
class Table:
    """A small table shown as one line of a derivation (headings, rows of texts)."""

    headings: Sequence[str]
    rows: Sequence[Sequence[str]]
    highlight: int | None = None  # the row that applies, lit up

    def plain(self) -> str:
        lines = [" | ".join(self.headings), *(" | ".join(row) for row in self.rows)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Derivation:
    """A titled sequence of lines (and tables), with where it is on the slides."""

    title: str
    lines: Sequence[Line | Table]
    slides: str = ""  # e.g. "slides 31–34"
    note: str = ""  # where the app differs from the slides, said in the view

    def plain(self) -> list[str]:
        return [line.plain() for line in self.lines]

    def text(self) -> str:
        """Every line as plain text, one per line (for tests and screen readers)."""
        return "\n".join(self.plain())


def derivation(title: str, *lines: Line | Table | str, slides: str = "", note: str = ""):
    """A :class:`Derivation`; a plain string line is words only."""
    made = tuple(Line(words=line) if isinstance(line, str) else line for line in lines)
    return Derivation(title, made, slides, note)
