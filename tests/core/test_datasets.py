"""Data sets: the slides' tables, generators, CSV loading and its errors, normalisation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from optgui.core import datasets
from optgui.core.datasets import (
    DataError,
    Dataset,
    Normalizer,
    aack_beep,
    circles,
    count_words,
    csv_columns,
    house_prices,
    load_csv,
    moons,
    noisy_line,
    noisy_plane,
    normalize_dataset,
    normalized_regression_params,
    raw_regression_params,
    two_blobs,
    xor_blobs,
)
from optgui.core.models import LinearRegression
from optgui.core.training import TrainSettings, train

# --- the slides' tables --------------------------------------------------------------------


def test_house_prices() -> None:
    one = house_prices(1)
    assert one.X.tolist() == [[1000.0], [2000.0], [3000.0]]
    assert one.y.tolist() == [20_000.0, 30_000.0, 50_000.0]
    assert one.feature_names == ("size",) and one.target_name == "price"
    two = house_prices(2)
    assert two.X[:, 1].tolist() == [2.0, 4.0, 7.0]
    assert two.feature_names == ("size", "rooms") and two.units == ("ft²", "rooms")
    assert two.target_unit == "$"
    # the MSE slide's predictions 15,000 / 30,000 / 45,000 come from w = 15, b = 0
    assert LinearRegression(1).forward([15.0, 0.0], one.X).yhat.tolist() == [15e3, 30e3, 45e3]


def test_aack_beep() -> None:
    data = aack_beep()
    assert data.X.tolist() == [[3, 0], [0, 2], [1, 3], [2, 1]]
    assert data.y.tolist() == [1, 0, 0, 1]
    assert data.row_labels[0] == "Aack aack aack!"
    assert data.class_names == ("sad", "happy")


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        ("AACK!!beep, Beep", (1, 2)),
        ("Aack beep aack!", (2, 1)),
        ("  aack\tAACK\nbeep...   ", (2, 1)),
        ("aack-beep;beep?aack", (2, 2)),
        ("aackbeep", (0, 0)),  # glued words are one unknown word
        ("aacks beeper", (0, 0)),
        ("", (0, 0)),
        ("3 aack 2beep", (1, 1)),
    ],
)
def test_count_words(sentence: str, counts: tuple[int, int]) -> None:
    assert count_words(sentence) == counts


def test_dataset_is_read_only_and_checked() -> None:
    data = house_prices(2)
    with pytest.raises(ValueError):
        data.X[0, 0] = 1.0
    with pytest.raises(ValueError):
        Dataset(np.zeros((3, 2)), np.zeros(2), ("a", "b"), "y")
    with pytest.raises(ValueError):
        Dataset(np.zeros((3, 2)), np.zeros(3), ("a",), "y")


# --- generators ----------------------------------------------------------------------------

GENERATORS = [noisy_line, noisy_plane, two_blobs, xor_blobs, circles, moons]


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_are_seeded(make) -> None:
    a, b, c = (
        make(m=40, noise=0.2, seed=1),
        make(m=40, noise=0.2, seed=1),
        make(m=40, noise=0.2, seed=2),
    )
    assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.X, c.X)
    assert a.X.shape[0] == 40 and a.y.shape == (40,)
    assert np.all(np.isfinite(a.X)) and np.all(np.isfinite(a.y))


@pytest.mark.parametrize("make", [two_blobs, xor_blobs, circles, moons])
def test_classification_sets_are_balanced(make) -> None:
    data = make(m=100, noise=0.1, seed=0)
    assert set(data.y.tolist()) == {0.0, 1.0}
    assert data.y.sum() == 50
    assert data.X.shape == (100, 2)


def test_noise_level_controls_the_spread() -> None:
    clean = noisy_line(m=100, noise=0.0, seed=0)
    assert clean.y == pytest.approx(2.0 * clean.X[:, 0] + 1.0)
    clean = noisy_plane(m=100, noise=0.0, seed=0)
    assert clean.y == pytest.approx(clean.X @ [1.5, -2.0] + 0.5)
    quiet = xor_blobs(m=200, noise=0.0, seed=0)
    assert {tuple(x) for x in quiet.X} == {(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (-1.0, 1.0)}
    assert np.all((quiet.X[:, 0] * quiet.X[:, 1] < 0) == (quiet.y == 1))


# --- CSV -----------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_load_csv(tmp_path: Path) -> None:
    path = _write(tmp_path, "size,rooms,price\n1000,2,20000\n2000,4,30000\n\n3000,7,50000\n")
    assert csv_columns(path) == ["size", "rooms", "price"]
    data = load_csv(path, ["size", "rooms"], "price")
    assert data.X.tolist() == [[1000, 2], [2000, 4], [3000, 7]]
    assert data.y.tolist() == [20000, 30000, 50000]
    assert data.feature_names == ("size", "rooms") and data.target_name == "price"
    assert data.name == "data"


def test_load_csv_semicolons_tabs_quotes_and_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, "size;price\n1,5;20\n2,5;30\n")
    assert load_csv(path, ["size"], "price").X[:, 0].tolist() == [1.5, 2.5]
    path = _write(tmp_path, "\ufeffa\tb\n1\t2\n3\t5\n")
    assert csv_columns(path) == ["a", "b"]
    assert load_csv(path, ["a"], "b").y.tolist() == [2, 5]
    path = _write(tmp_path, '"size (ft²)", "price"\n" 1000 ",20\n2000,"30"\r\n')
    assert csv_columns(path) == ["size (ft²)", "price"]
    assert load_csv(path, ["size (ft²)"], "price").X[:, 0].tolist() == [1000, 2000]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("size,price\n1,2\n2,3\nabc,4\n", "row 4, column 'size': 'abc' is not a number"),
        ("size,price\n1,2\n2,3\n3,abc\n", "row 4, column 'price': 'abc' is not a number"),
        ("size,price\n1,2\n,3\n3,4\n", "row 3, column 'size' is empty"),
        ("size,price\n1,2\n2\n", "row 3, column 'price' is empty"),
        ("size,price\n1,2\n2,nan\n", "row 3, column 'price': 'nan' is not a finite number"),
        ("size,price\n1,2\n", "only 1 data row"),
        ("size,price\n", "header row but no data rows"),
        ("size,price\n2,1\n2,3\n", "column 'size' has the same value in every row"),
        ("size,price\n1,2\n2,3\n", "there is no column 'rooms'; the columns are: size, price"),
        ("size,,price\n1,2,3\n2,3,4\n", "column 2 has no name"),
        ("size,size,price\n1,2,3\n2,3,4\n", "two columns are named 'size'"),
        ("", "is empty"),
        ("\n \n", "is empty"),
    ],
)
def test_csv_errors_name_the_row_and_column(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    inputs = ["rooms"] if "rooms" in message else ["size"]
    with pytest.raises(DataError) as info:
        load_csv(path, inputs, "price")
    assert message in str(info.value)


def test_constant_column_message(tmp_path: Path) -> None:
    path = _write(tmp_path, "size,rooms,price\n1,3,2\n2,3,3\n3,3,4\n")
    with pytest.raises(DataError) as info:
        load_csv(path, ["size", "rooms"], "price")
    assert str(info.value) == (
        "column 'rooms' has the same value in every row, "
        "so it cannot be normalised or learned from"
    )


def test_binary_missing_and_huge_files_are_refused(tmp_path: Path, monkeypatch) -> None:
    binary = _write(
        tmp_path, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "img.csv"
    )
    with pytest.raises(DataError, match="not a text file"):
        csv_columns(binary)
    with pytest.raises(DataError, match="cannot open"):
        csv_columns(tmp_path / "missing.csv")
    with pytest.raises(DataError, match="folder"):
        csv_columns(tmp_path)
    path = _write(tmp_path, "a,b\n" + "1,2\n2,3\n" * 50)
    monkeypatch.setattr(datasets, "MAX_CSV_BYTES", 100)
    with pytest.raises(DataError, match="up to 0 MB|MB"):
        load_csv(path, ["a"], "b")


def test_bad_column_choices(tmp_path: Path) -> None:
    path = _write(tmp_path, "a,b\n1,2\n2,3\n")
    with pytest.raises(DataError, match="both an input and the target"):
        load_csv(path, ["a", "b"], "b")
    with pytest.raises(DataError, match="at least one input"):
        load_csv(path, [], "b")
    assert issubclass(DataError, ValueError)


# --- normalisation -------------------------------------------------------------------------


def test_normalizer_uses_the_population_std_and_round_trips() -> None:
    X = house_prices(2).X
    norm = Normalizer.fit(X)
    assert norm.mean.tolist() == [2000.0, pytest.approx(13 / 3)]
    assert norm.std == pytest.approx(X.std(axis=0, ddof=0))
    Z = norm.transform(X)
    assert Z.mean(axis=0) == pytest.approx([0, 0], abs=1e-12)
    assert Z.std(axis=0) == pytest.approx([1, 1])
    assert norm.inverse_transform(Z) == pytest.approx(X)
    target = Normalizer.fit(house_prices(1).y)
    assert target.mean.shape == ()
    assert target.inverse_transform(target.transform([25_000.0])) == pytest.approx([25_000.0])


def test_normalizer_refuses_a_constant_column() -> None:
    with pytest.raises(DataError, match="column 'rooms' has the same value"):
        Normalizer.fit(np.array([[1.0, 3.0], [2.0, 3.0]]), ["size", "rooms"])


@pytest.mark.parametrize("n_inputs", [1, 2])
def test_parameters_learnt_on_normalised_data_predict_dollars(n_inputs: int) -> None:
    raw = house_prices(n_inputs)
    scaled, x_norm, y_norm = normalize_dataset(raw)
    model = LinearRegression(n_inputs)
    steps = list(train(model, scaled.X, scaled.y, model.initial_params(), TrainSettings(0.3)))
    p = steps[-1].params_next
    in_dollars = y_norm.inverse_transform(model.forward(p, scaled.X).yhat)
    raw_p = raw_regression_params(p, x_norm, y_norm)
    assert model.forward(raw_p, raw.X).yhat == pytest.approx(in_dollars, rel=1e-10)
    assert normalized_regression_params(raw_p, x_norm, y_norm) == pytest.approx(p, abs=1e-12)
    # without a target normalizer the target keeps its units
    scaled_x, x_only, none = normalize_dataset(raw, target=False)
    assert none is None and np.array_equal(scaled_x.y, raw.y)
    q = np.arange(1.0, n_inputs + 2)
    assert model.forward(raw_regression_params(q, x_only), raw.X).yhat == pytest.approx(
        model.forward(q, scaled_x.X).yhat
    )
    if n_inputs == 1:  # the exact fit through the first and last houses is not possible; check a w
        assert raw_p[0] == pytest.approx(15.0, rel=0.01)
