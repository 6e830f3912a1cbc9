"""Reliability on real data: the eliPfad survey of 816 German GPs rating hospital physicians.

The CSV (CC BY-NC 4.0, read in place, never copied) holds the seven scored RC items per
respondent and the published scores ``RC_score``, ``RC_com`` and ``RC_rel`` (plain means,
NA when any item of the scale is missing).  The test turns it into a Study (each row one
GP rating the role "hospital physicians") and checks the library against computations made
here directly on the CSV columns.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from relcoord import Study, analyze
from relcoord.metrics.reliability import (
    reliability_summary,
    respondent_scale_scores,
    scale_alpha,
    tie_agreement,
)
from relcoord.metrics.scores import respondent_tie_scores

pytestmark = pytest.mark.elipfad

ITEM_COLUMNS = ("RC1_COM", "RC2_COM", "RC3_COM", "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")
Table = dict[str, npt.NDArray[np.float64]]


@pytest.fixture(scope="module")
def table(elipfad_csv: Path) -> Table:
    with elipfad_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {name: np.array([float(r[name]) if r[name] != "" else np.nan for r in rows])
            for name in rows[0]}


@pytest.fixture(scope="module")
def study(elipfad_study: Study) -> Study:
    """The survey as a study (the shared fixture of ``tests/conftest.py``)."""
    return elipfad_study


def numpy_alpha(x: npt.NDArray[np.float64]) -> float:
    """alpha = J/(J-1) (1 - sum var_j / var(sum)), complete cases, ddof = 1."""
    x = x[~np.isnan(x).any(axis=1)]
    j = x.shape[1]
    return float(j / (j - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1)))


def test_data_shape(table: Table) -> None:
    items = np.column_stack([table[c] for c in ITEM_COLUMNS])
    assert items.shape == (816, 7)
    assert int((~np.isnan(items).any(axis=1)).sum()) == 705  # the README's complete cases


@pytest.mark.parametrize(
    ("scale", "columns"),
    [("rc", ITEM_COLUMNS), ("communication", ITEM_COLUMNS[:4]),
     ("relationship", ITEM_COLUMNS[4:])],
)
def test_alpha_equals_independent_numpy(
    study: Study, table: Table, scale: str, columns: tuple[str, ...]
) -> None:
    """Alpha on the rows the scores use: at least 5 of the 7 items answered (the default
    ``min_items``) and complete on the scale."""
    items = np.column_stack([table[c] for c in ITEM_COLUMNS])
    counted = (~np.isnan(items)).sum(axis=1) >= 5
    x = np.column_stack([table[c] for c in columns])[counted]
    result = scale_alpha(study, scale)  # type: ignore[arg-type]
    assert result.n == int((~np.isnan(x).any(axis=1)).sum())
    assert result.min_items == 5
    assert result.alpha == pytest.approx(numpy_alpha(x), rel=1e-12)
    # typical RC values are 0.77-0.9 (DOMAIN.md); the published instrument is consistent
    assert result.alpha is not None
    assert result.alpha > 0.7
    # alpha-if-deleted and corrected item-total on the scale's complete cases, each item
    # against an independent numpy run
    x = x[~np.isnan(x).any(axis=1)]
    for j in range(len(columns)):
        rest = np.delete(x, j, axis=1)
        if rest.shape[1] >= 2:
            assert result.alpha_if_deleted[j] == pytest.approx(numpy_alpha(rest), rel=1e-12)
        r = np.corrcoef(x[:, j], rest.sum(axis=1))[0, 1]
        assert result.item_total[j] == pytest.approx(r, rel=1e-12)


@pytest.mark.parametrize(("scale", "published"),
                         [("communication", 0.767175), ("relationship", 0.762345)])
def test_sub_scale_alphas_rest_on_the_rows_of_the_scores(
    study: Study, scale: str, published: float
) -> None:
    """With ``--min-items 7`` the scores use the 705 complete respondent-ties; alpha of each
    sub-scale on exactly those rows is the published analysis script's (and psych::alpha's,
    tests/test_r_reference.py), not alpha over every row complete on the sub-scale (718
    and 713 rows, .76395 and .76408)."""
    analysis = analyze(study, min_items=7)
    alpha = analysis.reliability.alpha[scale]
    assert alpha.n == 705
    assert alpha.min_items == 7
    assert alpha.alpha is not None
    assert round(alpha.alpha, 6) == published
    data = analysis.to_mapping()["reliability"]
    assert data["scales"][scale]["n"] == 705
    assert data["cronbach_alpha"][scale] == alpha.alpha


@pytest.mark.parametrize(
    ("field", "column"),
    [("rc", "RC_score"), ("communication", "RC_com"), ("relationship", "RC_rel")],
)
def test_score_summaries_equal_the_csv(
    study: Study, table: Table, field: str, column: str
) -> None:
    """Mean, SD (ddof=1) and median of the library's respondent-tie scores, complete cases."""
    items = np.column_stack([table[c] for c in ITEM_COLUMNS])
    complete = ~np.isnan(items).any(axis=1)
    published = table[column][complete]
    per = respondent_tie_scores(study, min_items=7)
    ours = np.asarray(getattr(per, field))[complete]
    assert not np.isnan(ours).any()
    assert ours.mean() == pytest.approx(published.mean(), rel=1e-12)
    assert ours.std(ddof=1) == pytest.approx(published.std(ddof=1), rel=1e-12)
    assert np.median(ours) == pytest.approx(np.median(published), rel=1e-12)
    # the reliability module's own respondent scores (used by the ICC) agree too
    _, mine = respondent_scale_scores(study, scale=field,  # type: ignore[arg-type]
                                      target="hospital_physicians")
    scale_complete = ~np.isnan(table[column])
    np.testing.assert_allclose(np.sort(mine), np.sort(table[column][scale_complete]),
                               rtol=1e-12)


def test_agreement_of_gps_about_hospital_physicians(study: Study, table: Table) -> None:
    items = np.column_stack([table[c] for c in ITEM_COLUMNS])
    x = items[~np.isnan(items).any(axis=1)]
    variances = x.var(axis=0, ddof=1)
    m = (variances / 2.0).mean()
    expected_rwg_j = 7 * (1 - m) / (7 * (1 - m) + m) if m < 1 else 0.0
    tie = tie_agreement(study).tie("gps", "hospital_physicians")
    assert tie.n == 705
    assert tie.rwg_j == pytest.approx(expected_rwg_j, rel=1e-12)
    assert tie.rwg == pytest.approx(np.clip(1 - variances / 2.0, 0, 1).tolist(), rel=1e-12)
    assert tie.ad_j == pytest.approx(np.abs(x - x.mean(axis=0)).mean(), rel=1e-12)


def test_summary_is_complete(study: Study) -> None:
    data = reliability_summary(study).to_mapping()
    assert {s: data["cronbach_alpha"][s]["n"] for s in ("rc", "communication",
                                                        "relationship")}["rc"] == 705
    # one rater role only: the ICC by role is undefined, reported as None
    assert data["icc"]["icc1"] is None
    assert data["icc"]["n_groups"] == 1
