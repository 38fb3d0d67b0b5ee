"""Data sets: the slides' tables, seeded generators, CSV loading and z-score normalisation.

Generators use ``np.random.default_rng(seed)``, so the same arguments always give the
same points. Classification data sets label classes 0 and 1, interleaved so that
single-example training sees both classes early.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike

#: Largest CSV file :func:`load_csv` reads.
MAX_CSV_BYTES = 20 * 1024 * 1024
_DELIMITERS = (",", ";", "\t")


class DataError(ValueError):
    """A data file or table that cannot be used, with a message naming row and column."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Inputs ``X`` (m, n), targets ``y`` (m,) and what they mean.

    ``units`` has one entry per feature (None when unknown); ``row_labels`` one text per
    row (e.g. the alien sentences); ``class_names`` names classes 0 and 1.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    target_name: str
    units: tuple[str | None, ...] | None = None
    name: str = ""
    target_unit: str | None = None
    row_labels: tuple[str, ...] | None = None
    class_names: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        X = np.array(self.X, dtype=float)
        if X.ndim == 1:
            X = X[:, None]
        y = np.array(self.y, dtype=float).reshape(-1)
        if X.ndim != 2 or X.shape[0] != y.shape[0]:
            raise ValueError(f"X has shape {X.shape} but y has {y.shape[0]} values")
        if len(self.feature_names) != X.shape[1]:
            raise ValueError(f"{X.shape[1]} columns but {len(self.feature_names)} feature names")
        X.setflags(write=False)
        y.setflags(write=False)
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", tuple(self.feature_names))

    @property
    def m(self) -> int:
        """Number of examples (rows)."""
        return int(self.X.shape[0])

    @property
    def n_inputs(self) -> int:
        """Number of input columns."""
        return int(self.X.shape[1])


# --- the slides' tables ------------------------------------------------------------------


def house_prices(n_inputs: int = 1) -> Dataset:
    """The slides' houses: size (ft²) [and rooms] → price ($)."""
    if n_inputs not in (1, 2):
        raise ValueError("house_prices has 1 input (size) or 2 (size, rooms)")
    size = [1000.0, 2000.0, 3000.0]
    rooms = [2.0, 4.0, 7.0]
    X = np.column_stack([size, rooms][:n_inputs])
    return Dataset(
        X=X,
        y=np.array([20_000.0, 30_000.0, 50_000.0]),
        feature_names=("size", "rooms")[:n_inputs],
        target_name="price",
        units=("ft²", "rooms")[:n_inputs],
        target_unit="$",
        name="House prices",
    )


AACK_BEEP_SENTENCES = ("Aack aack aack!", "Beep beep!", "Aack beep beep beep!", "Aack beep aack!")


def aack_beep() -> Dataset:
    """The slides' alien sentences: counts of "aack" and "beep" → mood (1 happy, 0 sad)."""
    X = np.array([count_words(s) for s in AACK_BEEP_SENTENCES], dtype=float)
    return Dataset(
        X=X,
        y=np.array([1.0, 0.0, 0.0, 1.0]),
        feature_names=("aack", "beep"),
        target_name="mood",
        units=("words", "words"),
        name="Alien sentences",
        row_labels=AACK_BEEP_SENTENCES,
        class_names=("sad", "happy"),
    )


_WORD = re.compile(r"[^\W\d_]+")  # runs of letters


def split_words(sentence: str) -> list[str]:
    """Lower-case words: runs of letters; anything else (spaces, punctuation, digits) separates."""
    return _WORD.findall(sentence.casefold())


def count_words(sentence: str) -> tuple[int, int]:
    """(number of "aack", number of "beep") in ``sentence``, ignoring case and punctuation.

    Only whole words count: "AACK!!beep, Beep" → (1, 2), but glued words such as
    "aackbeep" are one unknown word and count as neither, since the slides' features
    count words, not letter patterns.
    """
    words = split_words(sentence)
    return words.count("aack"), words.count("beep")


# --- seeded generators -------------------------------------------------------------------


def _interleaved_labels(m: int) -> np.ndarray:
    return (np.arange(m) % 2).astype(float)


def noisy_line(
    m: int = 50,
    noise: float = 0.5,
    seed: int = 0,
    *,
    slope: float = 2.0,
    intercept: float = 1.0,
    x_range: tuple[float, float] = (-3.0, 3.0),
) -> Dataset:
    """y = slope·x + intercept + noise·N(0, 1), with x uniform in ``x_range``."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(*x_range, size=m)
    y = slope * x + intercept + noise * rng.standard_normal(m)
    return Dataset(x[:, None], y, ("x",), "y", name="Noisy line")


def noisy_plane(
    m: int = 50,
    noise: float = 0.5,
    seed: int = 0,
    *,
    weights: tuple[float, float] = (1.5, -2.0),
    intercept: float = 0.5,
    x_range: tuple[float, float] = (-3.0, 3.0),
) -> Dataset:
    """y = w1·x1 + w2·x2 + intercept + noise·N(0, 1), with x uniform in ``x_range``²."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(*x_range, size=(m, 2))
    y = X @ np.asarray(weights, dtype=float) + intercept + noise * rng.standard_normal(m)
    return Dataset(X, y, ("x1", "x2"), "y", name="Noisy plane")


def two_blobs(m: int = 100, noise: float = 0.5, seed: int = 0) -> Dataset:
    """Two round clouds of spread ``noise``: class 0 around (−1, −1), class 1 around (1, 1)."""
    rng = np.random.default_rng(seed)
    y = _interleaved_labels(m)
    centres = np.where(y[:, None] == 1, 1.0, -1.0) * np.ones((m, 2))
    X = centres + noise * rng.standard_normal((m, 2))
    return Dataset(X, y, ("x1", "x2"), "class", name="Two blobs", class_names=("0", "1"))


def xor_blobs(m: int = 200, noise: float = 0.3, seed: int = 0) -> Dataset:
    """Four clouds at (±1, ±1): class 1 at (1, −1) and (−1, 1), class 0 at (1, 1) and (−1, −1).

    Each class sits in two opposite quadrants, so no single line separates them (a
    perceptron fails) while a 2-2-1 network can.
    """
    rng = np.random.default_rng(seed)
    corners = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, 1.0]])
    blob = np.arange(m) % 4
    X = corners[blob] + noise * rng.standard_normal((m, 2))
    y = (blob % 2).astype(float)
    return Dataset(X, y, ("x1", "x2"), "class", name="XOR blobs", class_names=("0", "1"))


def circles(m: int = 200, noise: float = 0.1, seed: int = 0, *, factor: float = 0.5) -> Dataset:
    """Two concentric rings: class 0 the outer ring (radius 1), class 1 the inner (``factor``)."""
    rng = np.random.default_rng(seed)
    y = _interleaved_labels(m)
    angle = rng.uniform(0.0, 2.0 * np.pi, size=m)
    radius = np.where(y == 1, factor, 1.0)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X = X + noise * rng.standard_normal((m, 2))
    return Dataset(X, y, ("x1", "x2"), "class", name="Circles", class_names=("0", "1"))


def moons(m: int = 200, noise: float = 0.1, seed: int = 0) -> Dataset:
    """Two interleaving half circles (class 0 the upper moon, class 1 the lower)."""
    rng = np.random.default_rng(seed)
    y = _interleaved_labels(m)
    t = rng.uniform(0.0, np.pi, size=m)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y[:, None] == 1, lower, upper) + noise * rng.standard_normal((m, 2))
    return Dataset(X, y, ("x1", "x2"), "class", name="Moons", class_names=("0", "1"))


# --- CSV ---------------------------------------------------------------------------------


def _read_text(path: str | Path) -> str:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataError(f"cannot open {path.name}: {exc.strerror or exc}") from exc
    if path.is_dir():
        raise DataError(f"{path.name} is a folder, not a CSV file")
    if size > MAX_CSV_BYTES:
        raise DataError(
            f"{path.name} is {size / 1024 / 1024:.1f} MB; optgui reads CSV files up to "
            f"{MAX_CSV_BYTES // (1024 * 1024)} MB"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    if not data.strip():
        raise DataError(f"{path.name} is empty")
    if b"\x00" in data[:8192]:
        raise DataError(f"{path.name} is not a text file (it looks binary); choose a CSV file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 0.01 * min(len(text), 8192) or text[:8192].count("\ufffd") > 8:
        raise DataError(f"{path.name} is not a text file (it looks binary); choose a CSV file")
    return text


def _delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _parse(text: str) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """(header, [(row number, fields)], delimiter); row numbers count the header as row 1."""
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for fields in reader:
            if not any(f.strip() for f in fields):
                continue
            if header is None:
                header = [f.strip() for f in fields]
            else:
                rows.append((reader.line_num, fields))
    except csv.Error as exc:
        raise DataError(f"row {reader.line_num}: cannot read the CSV ({exc})") from exc
    if header is None:
        raise DataError("the file is empty")
    for c, name in enumerate(header, start=1):
        if not name:
            raise DataError(f"column {c} has no name in the header row")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise DataError(f"two columns are named {name!r}; column names must be different")
        seen.add(name)
    return header, rows, delimiter


def csv_columns(path: str | Path) -> list[str]:
    """Column names from the header row of a CSV file (comma, semicolon or tab separated)."""
    return _parse(_read_text(path))[0]


def csv_table(path: str | Path) -> tuple[list[str], list[list[str]], str]:
    """The header, every data row's fields (as text) and the separator of a CSV file."""
    header, rows, delimiter = _parse(_read_text(path))
    return header, [fields for _, fields in rows], delimiter


def _number(text: str, row: int, column: str, decimal_comma: bool) -> float:
    s = text.strip()
    if not s:
        raise DataError(f"row {row}, column {column!r} is empty")
    try:
        value = float(s)
    except ValueError:
        value = None
        if decimal_comma and s.count(",") == 1 and "." not in s:
            try:
                value = float(s.replace(",", "."))
            except ValueError:
                value = None
        if value is None:
            raise DataError(f"row {row}, column {column!r}: {s!r} is not a number") from None
    if not math.isfinite(value):
        raise DataError(f"row {row}, column {column!r}: {s!r} is not a finite number")
    return value


def load_csv(path: str | Path, inputs: Sequence[str], target: str) -> Dataset:
    """Read columns ``inputs`` → ``target`` from a CSV file with a header row.

    Comma, semicolon and tab separators are detected from the header; with semicolons a
    decimal comma ("1,5") is accepted. Row numbers in error messages count the header as
    row 1, as a spreadsheet shows them. Raises :class:`DataError` for anything unusable.
    """
    inputs = list(inputs)
    path = Path(path)
    header, rows, delimiter = _parse(_read_text(path))
    if not inputs:
        raise DataError("choose at least one input column")
    wanted = [*inputs, target]
    for name in wanted:
        if name not in header:
            raise DataError(f"there is no column {name!r}; the columns are: {', '.join(header)}")
    if target in inputs:
        raise DataError(f"column {target!r} cannot be both an input and the target")
    if len(set(inputs)) != len(inputs):
        raise DataError("each input column can be chosen only once")
    if not rows:
        raise DataError(f"{path.name} has a header row but no data rows")
    if len(rows) < 2:
        raise DataError(f"{path.name} has only 1 data row; at least 2 are needed")
    where = [header.index(name) for name in wanted]
    table = np.empty((len(rows), len(wanted)))
    for r, (row, fields) in enumerate(rows):
        for c, (name, col) in enumerate(zip(wanted, where, strict=True)):
            text = fields[col] if col < len(fields) else ""
            table[r, c] = _number(text, row, name, decimal_comma=delimiter == ";")
    for c, name in enumerate(wanted):
        if np.all(table[:, c] == table[0, c]):
            raise DataError(
                f"column {name!r} has the same value in every row, "
                "so it cannot be normalised or learned from"
            )
    return Dataset(
        X=table[:, :-1],
        y=table[:, -1],
        feature_names=tuple(inputs),
        target_name=target,
        name=path.stem,
    )


# --- normalisation -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Normalizer:
    """z-score scaling (x − mean) / std with the population std (ddof = 0), per column.

    Fit on X (m, n) for per-column statistics, or on a target y (m,) for scalars.
    """

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, X: ArrayLike, names: Sequence[str] | str | None = None) -> Normalizer:
        """Statistics of ``X`` (columns) or of a 1-D target; ``names`` label error messages."""
        X = np.asarray(X, dtype=float)
        if X.ndim not in (1, 2) or X.shape[0] == 0:
            raise DataError("there are no values to normalise")
        mean = X.mean(axis=0)
        std = X.std(axis=0)
        constant = np.flatnonzero(np.reshape(std, -1) == 0)
        if constant.size:
            if isinstance(names, str):
                names = [names]
            c = int(constant[0])
            label = repr(names[c]) if names is not None else f"{c + 1}"
            raise DataError(
                f"column {label} has the same value in every row, "
                "so it cannot be normalised or learned from"
            )
        return cls(mean=np.asarray(mean), std=np.asarray(std))

    def transform(self, X: ArrayLike) -> np.ndarray:
        """(X − mean) / std."""
        return (np.asarray(X, dtype=float) - self.mean) / self.std

    def inverse_transform(self, Z: ArrayLike) -> np.ndarray:
        """Z · std + mean (back to the data's own units)."""
        return np.asarray(Z, dtype=float) * self.std + self.mean


def normalize_dataset(
    data: Dataset, target: bool = True
) -> tuple[Dataset, Normalizer, Normalizer | None]:
    """(normalised copy of ``data``, input normalizer, target normalizer or None)."""
    x_norm = Normalizer.fit(data.X, data.feature_names)
    y_norm = Normalizer.fit(data.y, data.target_name) if target else None
    y = y_norm.transform(data.y) if y_norm is not None else data.y
    scaled = Dataset(
        X=x_norm.transform(data.X),
        y=y,
        feature_names=data.feature_names,
        target_name=data.target_name,
        units=None,
        name=f"{data.name} (normalised)" if data.name else "normalised",
        target_unit=data.target_unit if y_norm is None else None,
        row_labels=data.row_labels,
        class_names=data.class_names,
    )
    return scaled, x_norm, y_norm


def raw_regression_params(
    params: ArrayLike, x_norm: Normalizer, y_norm: Normalizer | None = None
) -> np.ndarray:
    """Regression parameters learnt on normalised data, in the data's own units.

    With x' = (x − μx)/σx and y' = (y − μy)/σy, ŷ' = Σ w_i x'_i + b becomes
    ŷ = Σ w_raw_i x_i + b_raw with w_raw_i = w_i·σy/σx_i and
    b_raw = μy + σy·b − Σ w_raw_i·μx_i (σy = 1, μy = 0 without ``y_norm``).
    """
    p = np.asarray(params, dtype=float).reshape(-1)
    w, b = p[:-1], p[-1]
    sy, my = (float(y_norm.std), float(y_norm.mean)) if y_norm is not None else (1.0, 0.0)
    w_raw = w * sy / np.reshape(x_norm.std, -1)
    b_raw = my + sy * b - float(np.sum(w_raw * np.reshape(x_norm.mean, -1)))
    return np.concatenate([w_raw, [b_raw]])


def normalized_regression_params(
    raw: ArrayLike, x_norm: Normalizer, y_norm: Normalizer | None = None
) -> np.ndarray:
    """Inverse of :func:`raw_regression_params`: raw-unit parameters → normalised ones."""
    p = np.asarray(raw, dtype=float).reshape(-1)
    w_raw, b_raw = p[:-1], p[-1]
    sy, my = (float(y_norm.std), float(y_norm.mean)) if y_norm is not None else (1.0, 0.0)
    w = w_raw * np.reshape(x_norm.std, -1) / sy
    b = (b_raw - my + float(np.sum(w_raw * np.reshape(x_norm.mean, -1)))) / sy
    return np.concatenate([w, [b]])
