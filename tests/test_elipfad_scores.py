"""The eliPfad survey (816 GPs rating hospital physicians): our scores equal the published ones.

The CSV holds scored items and the published ``RC_score``, ``RC_com`` and ``RC_rel``
(R ``rowMeans`` with ``na.rm = FALSE``).  With ``min_items=7`` every complete case must
match bit for bit.  The data is read in place (CC BY-NC 4.0), never copied.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from relcoord import Respondent, Role, Study
from relcoord.metrics.scores import respondent_tie_scores, scores
from relcoord.model import Metadata
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings

pytestmark = pytest.mark.elipfad

ITEMS = ("RC1_COM", "RC2_COM", "RC3_COM", "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")
KEYS = ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
        "shared_knowledge", "mutual_respect")


Columns = dict[str, npt.NDArray[np.float64]]


def _read(path: Path) -> Columns:
    table: Any = np.genfromtxt(path, delimiter=",", names=True, dtype=np.float64,
                               missing_values="", filling_values=np.nan)
    names = table.dtype.names
    assert names is not None
    return {name: np.asarray(table[name], dtype=np.float64) for name in names}


def _study(columns: Columns) -> Study:
    n = len(columns["row"])
    people = [f"gp{int(r):04d}" for r in columns["row"]]
    ratings = Ratings.from_arrays(
        source=np.zeros(n, dtype=np.int32), target=np.ones(n, dtype=np.int32),
        scores=np.column_stack([columns[c] for c in ITEMS]), dimensions=KEYS,
        roles=("gps", "hospital-physicians"),
        respondent=np.arange(n), respondents=people,
    )
    return Study(
        metadata=Metadata(id="elipfad", language="de"),
        instrument="rc7",
        roles=[Role("gps", "Hausärztinnen und Hausärzte"),
               Role("hospital-physicians", "Krankenhausärztinnen und -ärzte", present=False)],
        respondents=[Respondent(p, "gps") for p in people],
        ratings=ratings,
    )


def test_complete_cases_equal_the_published_scores(elipfad_csv: Path) -> None:
    columns = _read(elipfad_csv)
    study = _study(columns)
    per = respondent_tie_scores(study, min_items=7)
    items = np.column_stack([columns[c] for c in ITEMS])
    complete = ~np.isnan(items).any(axis=1)
    assert complete.sum() == 705  # the README's count of complete cases
    # respondent order follows ids; ids follow the row column, so rows are aligned
    order = np.argsort([f"gp{int(r):04d}" for r in columns["row"]], kind="stable")
    assert np.array_equal(order, np.arange(len(order)))
    for ours, published in ((per.rc, "RC_score"), (per.communication, "RC_com"),
                            (per.relationship, "RC_rel")):
        expected = columns[published][complete]
        np.testing.assert_array_equal(ours[complete], expected)
    # incomplete cases do not count with min_items=7
    assert np.isnan(per.rc[~complete]).all()
    assert int(per.counted.sum()) == 705


def test_network_figure_is_the_mean_of_complete_cases(elipfad_csv: Path) -> None:
    columns = _read(elipfad_csv)
    result = scores(_study(columns), settings=AnalysisSettings(min_items=7))
    published = columns["RC_score"]
    assert result.overall.rc == pytest.approx(float(np.nanmean(published)), abs=1e-12)
    assert result.overall.n_respondents == 705
    assert result.n_excluded == 816 - 705
    tie = result.tie("gps", "hospital-physicians")
    assert tie is not None
    assert tie.n_respondents == 705
    # relationship published also where communication is incomplete and vice versa; ours
    # counts a respondent-tie only when RC counts, so compare on complete cases
    complete_rel = columns["RC_rel"][~np.isnan(columns["RC_score"])]
    assert tie.relationship == pytest.approx(float(complete_rel.mean()), abs=1e-12)


def test_default_rule_keeps_partial_answers(elipfad_csv: Path) -> None:
    columns = _read(elipfad_csv)
    per = respondent_tie_scores(_study(columns), min_items=5)
    items = np.column_stack([columns[c] for c in ITEMS])
    answered = (~np.isnan(items)).sum(axis=1)
    assert np.array_equal(per.counted, answered >= 5)
    assert int(per.counted.sum()) > 705
    keep = per.counted
    expected = np.nanmean(items[keep], axis=1)
    np.testing.assert_allclose(per.rc[keep], expected, rtol=0, atol=1e-12)
