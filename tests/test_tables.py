"""Typed tables: each kind becomes the same dtype in pandas and polars, missing values stay
missing, and a backend that is not installed is named in the error."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

from relcoord.errors import RelcoordError
from relcoord.tables import MissingPackageError, Table, TableColumn, column_kind

TABLE = Table("mixed", (
    TableColumn("text", "text", ["a", None, "æ"]),
    TableColumn("count", "integer", [1, None, 3]),
    TableColumn("figure", "number", [1.5, None, math.nan]),
    TableColumn("flag", "boolean", [True, False, None]),
))


def test_pandas_dtypes_and_missing_values() -> None:
    frame = TABLE.to_frame("pandas")
    assert list(frame.columns) == ["text", "count", "figure", "flag"]
    assert [str(t) for t in frame.dtypes] == ["string", "Int64", "float64", "boolean"]
    assert frame["text"].isna().tolist() == [False, True, False]
    assert frame["count"].isna().tolist() == [False, True, False]
    assert np.isnan(frame["figure"].to_numpy()[1:]).all()
    assert frame["flag"].isna().tolist() == [False, False, True]


def test_polars_dtypes_and_missing_values() -> None:
    frame = TABLE.to_frame("polars")
    assert frame.schema == pl.Schema({"text": pl.String, "count": pl.Int64,
                                      "figure": pl.Float64, "flag": pl.Boolean})
    # NaN, the store's "missing", is a null in polars: one missing value per library
    assert frame["figure"].null_count() == 2
    assert frame.row(0) == ("a", 1, 1.5, True)


def test_an_empty_table_keeps_its_columns() -> None:
    empty = Table("empty", (TableColumn("a", "integer", []), TableColumn("b", "text", [])))
    assert empty.n_rows == 0
    assert list(empty.to_frame("pandas").columns) == ["a", "b"]
    assert empty.to_frame("polars").columns == ["a", "b"]


def test_a_missing_backend_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # what an environment without it gives
    with pytest.raises(MissingPackageError, match=r"needs the package .polars..*pip install "
                       "polars") as caught:
        TABLE.to_frame("polars")
    assert isinstance(caught.value, RelcoordError)
    assert isinstance(caught.value, ImportError)
    assert caught.value.package == "polars"


def test_unknown_backend_and_kind_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown backend 'arrow'"):
        TABLE.to_frame("arrow")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown kind 'date'"):
        TableColumn("when", "date", [])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="columns of different lengths"):
        Table("bad", (TableColumn("a", "text", ["x"]), TableColumn("b", "text", [])))


@pytest.mark.parametrize(("values", "kind"), [
    ([1, None, 2], "integer"), ([1, 2.5], "number"), ([None, None], "number"),
    ([True, None], "boolean"), (["a", 1], "text"), ([True, 1], "text"), ([], "number"),
])
def test_column_kind_of_json_values(values: list[Any], kind: str) -> None:
    assert column_kind(values) == kind


def test_repr_is_short() -> None:
    assert repr(TABLE) == "Table('mixed', 3 rows, columns=['text', 'count', 'figure', 'flag'])"
    assert isinstance(TABLE.to_frame(), pd.DataFrame)


def test_the_frame_libraries_load_only_when_a_frame_is_asked_for() -> None:
    """``import relcoord``, an analysis and its typed tables need neither pandas nor polars;
    a polars frame does not load pandas (a fresh interpreter, so nothing was loaded before)."""
    code = (
        "import sys, relcoord\n"
        "analysis = relcoord.analyze(relcoord.load_example())\n"
        "analysis.table('tie_metrics'); analysis.study.table('ratings')\n"
        "before = sorted(m for m in ('pandas', 'polars') if m in sys.modules)\n"
        "analysis.to_frame('tie_metrics', 'polars')\n"
        "print(before, 'pandas' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split("\n")[0] == "[] False"
