"""The column chooser's first offer: numeric columns that are not identifiers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from optgui.core.column_choice import is_identifier, suggest, suggest_for_file, useful_columns
from optgui.core.datasets import load_csv

#: The header of the course lab's house prices file (Kaggle's Ames "train.csv"): 81 columns.
HEADER_LINE = (
    "Id,MSSubClass,MSZoning,LotFrontage,LotArea,Street,Alley,LotShape,LandContour,"
    "Utilities,LotConfig,LandSlope,Neighborhood,Condition1,Condition2,BldgType,HouseStyle,"
    "OverallQual,OverallCond,YearBuilt,YearRemodAdd,RoofStyle,RoofMatl,Exterior1st,"
    "Exterior2nd,MasVnrType,MasVnrArea,ExterQual,ExterCond,Foundation,BsmtQual,BsmtCond,"
    "BsmtExposure,BsmtFinType1,BsmtFinSF1,BsmtFinType2,BsmtFinSF2,BsmtUnfSF,TotalBsmtSF,"
    "Heating,HeatingQC,CentralAir,Electrical,1stFlrSF,2ndFlrSF,LowQualFinSF,GrLivArea,"
    "BsmtFullBath,BsmtHalfBath,FullBath,HalfBath,BedroomAbvGr,KitchenAbvGr,KitchenQual,"
    "TotRmsAbvGrd,Functional,Fireplaces,FireplaceQu,GarageType,GarageYrBlt,GarageFinish,"
    "GarageCars,GarageArea,GarageQual,GarageCond,PavedDrive,WoodDeckSF,OpenPorchSF,"
    "EnclosedPorch,3SsnPorch,ScreenPorch,PoolArea,PoolQC,Fence,MiscFeature,MiscVal,MoSold,"
    "YrSold,SaleType,SaleCondition,SalePrice"
)
HOUSE_HEADER = HEADER_LINE.split(",")
#: Its columns with gaps ("NA") in some rows.
WITH_GAPS = {"LotFrontage", "MasVnrArea", "GarageYrBlt"}
#: Its columns of numbers (the others hold words: "RL", "Pave", "NA", "Gd", …).
NUMERIC = {
    "Id", "MSSubClass", "LotArea", "OverallQual", "OverallCond", "YearBuilt",
    "YearRemodAdd", "BsmtFinSF1", "BsmtFinSF2", "BsmtUnfSF", "TotalBsmtSF", "1stFlrSF",
    "2ndFlrSF", "LowQualFinSF", "GrLivArea", "BsmtFullBath", "BsmtHalfBath", "FullBath",
    "HalfBath", "BedroomAbvGr", "KitchenAbvGr", "TotRmsAbvGrd", "Fireplaces", "GarageCars",
    "GarageArea", "WoodDeckSF", "OpenPorchSF", "EnclosedPorch", "3SsnPorch", "ScreenPorch",
    "PoolArea", "MiscVal", "MoSold", "YrSold", "SalePrice",
}  # fmt: skip


def house_csv(path: Path, m: int = 40) -> Path:
    """A file shaped like the lab's: its header, and rows of the same kinds of values
    (row numbers in Id, building-class codes, words, gaps) drawn at random."""
    rng = np.random.default_rng(5)
    columns = []
    for name in HOUSE_HEADER:
        if name == "Id":
            values = [str(i) for i in range(1, m + 1)]
        elif name == "MSSubClass":
            values = [str(v) for v in rng.choice([20, 30, 50, 60, 70, 90, 120, 160, 190], m)]
        elif name in NUMERIC or name in WITH_GAPS:
            values = [str(v) for v in rng.integers(0, 3000, m)]
            if name in WITH_GAPS:
                values = [v if rng.random() > 0.2 else "NA" for v in values]
        else:
            values = list(rng.choice(["RL", "Pave", "NA", "Gd", "TA", "Attchd", "Y"], m))
        columns.append(values)
    lines = [",".join(HOUSE_HEADER)] + [",".join(row) for row in zip(*columns, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_house_file_is_offered_as_a_numeric_column_against_the_price(tmp_path):
    path = house_csv(tmp_path / "train.csv")
    assert len(HOUSE_HEADER) == 81
    x1, y = suggest_for_file(path)
    assert (x1, y) == ("MSSubClass", "SalePrice")  # not "Id"
    data = load_csv(path, [x1], y)  # … and the offer loads
    assert data.X.shape == (40, 1)
    header = HOUSE_HEADER
    useful = useful_columns(header, [r.split(",") for r in path.read_text().split()[1:]])
    assert useful == [n for n in header if n in NUMERIC and n != "Id"]


@pytest.mark.parametrize(
    ("name", "values", "identifier"),
    [
        ("Id", [3, 9, 4], True),  # by its name
        ("index", [0.5, 2.5, 1.5], True),
        ("house_id", [3, 9, 4], True),
        ("Unnamed: 0", [0, 1, 2, 3], True),  # counts the rows up by one
        ("row", [1, 2, 3, 4], True),
        ("size", [1000, 2000, 3000], False),
        ("rooms", [2, 4, 7], False),
        ("paid", [1, 3, 2], False),
        ("x", [1, 2, 2, 3], False),  # repeats: not a row number
        ("x", [1.5, 2.5, 3.5], False),  # not integers
        ("x", [3, 2, 1], False),  # counts down
    ],
)
def test_identifiers(name, values, identifier):
    assert is_identifier(name, np.array(values, dtype=float)) is identifier


def test_small_files_keep_their_first_and_last_columns():
    header = ["size", "rooms", "price"]
    rows = [["1000", "2", "20000"], ["2000", "4", "30000"], ["3000", "7", "50000"]]
    assert suggest(header, rows) == ("size", "price")
    # two columns, the first counting up: still the only input there is
    assert suggest(["x", "y"], [["1", "2"], ["2", "4"], ["3", "7"]]) == ("x", "y")
    # an id first, words last: the numbers in between
    header = ["id", "a", "b", "name"]
    rows = [["1", "5", "7", "p"], ["2", "6", "1", "q"], ["3", "8", "2", "r"]]
    assert suggest(header, rows) == ("a", "b")
    # semicolons and decimal commas are numbers too
    rows = [["1", "1,5", "2"], ["2", "2,5", "3"], ["3", "0,5", "9"]]
    assert suggest(["n", "a", "b"], rows, ";") == ("a", "b")
