"""The published tables: the CSV folder's tables, typed, as pandas and polars frames; the
published figures only."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings

import relcoord
from relcoord import Analysis, Study, analyze
from relcoord.formats.csv.exporters import write_folder
from relcoord.result_tables import ANALYSIS_TABLES, PUBLISHED_TABLES, PublishedTable
from relcoord.testing.strategies import studies


@pytest.fixture(scope="module")
def example() -> Analysis:
    return analyze(relcoord.load_example())


@pytest.mark.parametrize("name", PUBLISHED_TABLES)
def test_each_frame_is_the_csv_table(example: Analysis, name: PublishedTable,
                                     tmp_path: Path) -> None:
    """Same name, same columns in the same order, same values as ``<name>.csv``."""
    write_folder(example.study, example, tmp_path, {"profile": "plain"})
    csv = pl.read_csv(tmp_path / f"{name}.csv", infer_schema=False)
    frame = example.to_frame(name, backend="polars")
    assert frame.columns == csv.columns
    assert frame.height == csv.height
    for column in example.table(name).columns:
        written = csv.get_column(column.name)
        if column.kind in ("integer", "number"):
            expected = written.cast(pl.Float64).to_numpy()
            got = frame.get_column(column.name).cast(pl.Float64).to_numpy()
            np.testing.assert_allclose(got, expected, rtol=1e-15, equal_nan=True)
        elif column.kind == "boolean":
            as_text = [None if v is None else ("true" if v else "false")
                       for v in frame.get_column(column.name).to_list()]
            assert as_text == written.to_list()
        else:  # an empty text cell reads back as missing
            assert [v or None for v in frame.get_column(column.name).to_list()] == \
                written.to_list()


def test_pandas_and_polars_frames_agree(example: Analysis) -> None:
    for name in PUBLISHED_TABLES:
        pandas = example.to_frame(name)
        polars = example.to_frame(name, "polars")
        assert list(pandas.columns) == polars.columns
        for column in polars.columns:
            left = pandas[column].astype(object).where(pandas[column].notna(), None).tolist()
            right = polars.get_column(column).to_list()
            assert [None if isinstance(v, float) and math.isnan(v) else v for v in left] == \
                right, (name, column)


def test_columns_are_typed(example: Analysis) -> None:
    ties = example.to_frame("tie_metrics")
    assert str(ties["rc"].dtype) == "float64"
    assert str(ties["n_respondents"].dtype) == "Int64"
    assert str(ties["band"].dtype) == "string"
    assert str(ties["suppressed"].dtype) == "boolean"
    roles = example.to_frame("role_metrics")
    assert str(roles["in_degree"].dtype) == "Int64"
    assert str(roles["present"].dtype) == "boolean"
    assert str(roles["suppressed_reason"].dtype) == "string"  # typed although all empty
    assert str(roles["community"].dtype) == "Int64"


def test_no_answer_no_respondent_id_and_withheld_figures_missing(example: Analysis) -> None:
    study = example.study
    people = {r.id for r in study.respondents} - set(study.role_ids)
    for name in PUBLISHED_TABLES:
        frame = example.to_frame(name, "polars")
        for column in frame.columns:
            if frame.schema[column] == pl.String:
                assert not people & set(frame.get_column(column).drop_nulls()), (name, column)
    for data in ("ratings", "respondents"):
        with pytest.raises(ValueError, match="study data"):
            example.to_frame(data)  # type: ignore[arg-type]
    ties = example.to_frame("tie_metrics", "polars")
    withheld = ties.filter(pl.col("suppressed"))
    assert withheld.height == len(example.privacy.ties_suppressed) > 0
    assert withheld.get_column("rc").null_count() == withheld.height
    assert withheld.get_column("n_respondents").null_count() == withheld.height


def test_the_matrix_holds_the_tie_rc(example: Analysis) -> None:
    matrix = example.to_frame("matrix", "polars")
    assert matrix.get_column("rater").to_list() == list(example.study.role_ids)
    tie = next(t for t in example.scores.ties if t.rc is not None)
    row = matrix.get_column("rater").to_list().index(tie.source)
    assert matrix.get_column(tie.target)[row] == pytest.approx(tie.rc)


@settings(max_examples=15)
@given(studies(max_roles=5, max_ratings=30))
def test_types_do_not_depend_on_the_data(study: Study) -> None:
    """A table's columns have the schema's types whether or not a value is there."""
    analysis = analyze(study, min_respondents=3)
    for name in ANALYSIS_TABLES:
        analysis.to_frame(name, "polars")  # every table builds in both libraries
    ties = analysis.to_frame("tie_metrics", "polars")
    expected = {"source": pl.String, "rc": pl.Float64, "n_respondents": pl.Int64,
                "band": pl.String, "gap": pl.Float64, "suppressed": pl.Boolean,
                "lowest_dimension": pl.String}
    assert {k: ties.schema[k] for k in expected if k in ties.schema} == \
        {k: v for k, v in expected.items() if k in ties.schema}
    roles = analysis.to_frame("role_metrics", "polars")
    assert roles.schema["rc_as_rater"] == pl.Float64
    assert roles.schema["in_degree"] == pl.Int64
