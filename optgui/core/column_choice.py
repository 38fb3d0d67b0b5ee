"""Which CSV columns the column chooser suggests: numbers, not identifiers.

A column is numeric when every row holds a finite number (a column with gaps,
"NA" or words cannot be learned from as it is). An identifier is named "id" or
"index" (any case, or ending in "_id"), or is an integer column counting up by one
from row to row: it numbers the rows and says nothing about them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from optgui.core.datasets import csv_table

_ID_NAME = re.compile(r"(id|index|.*[_ ]id)", re.IGNORECASE)


def numbers(fields: Sequence[str], decimal_comma: bool = False) -> np.ndarray | None:
    """The column as numbers, or None if any entry is not a finite number."""
    values = []
    for text in fields:
        s = text.strip()
        if decimal_comma and s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        try:
            value = float(s)
        except ValueError:
            return None
        if not math.isfinite(value):
            return None
        values.append(value)
    return np.array(values) if values else None


def is_identifier(name: str, values: np.ndarray | None) -> bool:
    """Named like an id, or integers counting the rows up by one."""
    if _ID_NAME.fullmatch(name.strip()):
        return True
    if values is None or len(values) < 2 or not np.all(values == np.round(values)):
        return False
    return bool(np.all(np.diff(values) == 1))


def useful_columns(header: Sequence[str], rows: Sequence[Sequence[str]], delimiter: str = ","):
    """The columns worth learning from, in file order: numeric, not identifiers, not constant."""
    useful = []
    for c, name in enumerate(header):
        fields = [row[c] if c < len(row) else "" for row in rows]
        values = numbers(fields, decimal_comma=delimiter == ";")
        if values is None or is_identifier(name, values) or np.all(values == values[0]):
            continue
        useful.append(name)
    return useful


def suggest(
    header: Sequence[str], rows: Sequence[Sequence[str]], delimiter: str = ","
) -> tuple[str, str]:
    """(input x1, target y) to offer first: the first and the last useful column; the
    file's first and last columns when fewer than two are useful."""
    useful = useful_columns(header, rows, delimiter)
    if len(useful) < 2:
        return header[0], header[-1]
    return useful[0], useful[-1]


def suggest_for_file(path: str | Path) -> tuple[str, str]:
    """:func:`suggest` for a CSV file (raises :class:`~optgui.core.datasets.DataError`)."""
    header, rows, delimiter = csv_table(path)
    return suggest(header, rows, delimiter)
