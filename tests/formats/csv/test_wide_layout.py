"""The wide CSV layout (csv-wide): item columns by alias or option, skipped targets, and
the real eliPfad data."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from relcoord.errors import InputWarning, InvalidStudyError
from relcoord.formats.csv import read_wide
from relcoord.model import Study

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def scores_of(study: Study, source: str, target: str) -> dict[str, float | None]:
    (rating,) = [r for r in study.ratings if r.source == source and r.target == target]
    return dict(rating.scores)


def test_wide_layout_with_danish_headers() -> None:
    with pytest.warns(InputWarning, match=r"column\(s\) 'Kommentar' ignored"):
        study = read_wide(DATA / "wide_danish.csv", {"values": "positions"})
    assert len(study.ratings) == 2  # r3 skipped every item: a skipped target, not a rating
    r1 = scores_of(study, "teachers", "kui")
    assert r1 == {"frequent": 5.0, "timely": 4.0, "accurate": 5.0, "problem_solving": 2.0,
                  "shared_goals": 1.0, "shared_knowledge": None, "mutual_respect": 4.0}
    assert scores_of(study, "kui", "teachers")["shared_knowledge"] == 3.0
    with pytest.warns(InputWarning):
        kept = read_wide(DATA / "wide_danish.csv", {"drop_empty": "false", "values": "positions"})
    assert len(kept.ratings) == 3


def test_auto_refuses_a_frequency_answer_that_positions_and_scores_read_differently() -> None:
    """Hyppig = 3 is "just the right amount" (score 5) as a position, 3 as a score: the
    header cannot say which, so the import stops at that column and names the option."""
    with pytest.warns(InputWarning), pytest.raises(InvalidStudyError) as caught:
        read_wide(DATA / "wide_danish.csv", {})
    (problem,) = caught.value.problems
    assert problem.path.endswith("wide_danish.csv:1:4")
    assert "'Hyppig' (frequent)" in problem.message
    assert "answer 3 scores 5" in problem.message
    assert "-I values=positions" in problem.message
    assert "-I values=scores" in problem.message


def test_auto_reads_answers_that_both_readings_score_alike(tmp_path: Path) -> None:
    """Frequency answers 1 and 4 score the same as positions and as scores, and the other
    items are monotone: nothing to guess, so auto reads the file."""
    header = "respondent,role,target,frequent,timely,accurate,problem_solving,shared_goals,"
    path = write(tmp_path / "w.csv", header + "shared_knowledge,mutual_respect\n"
                 "p,a,b,4,2,3,5,5,1,2\nq,a,b,1,,,,,,\n")
    study = read_wide(path, {})
    assert sorted(r.scores["frequent"] or 0 for r in study.ratings) == [1.0, 4.0]
    assert read_wide(path, {"values": "scores"}) == study == read_wide(path, {
        "values": "positions"})


def test_wide_items_option_overrides_aliases(tmp_path: Path) -> None:
    header = "id,role,target,Q1,Q2,Q3,Q4,Q5,Q6,Q7\n"
    path = write(tmp_path / "w.csv", header + "p,a,b,1,2,3,4,5,1,2\n")
    items = {f"Q{i}": k for i, k in enumerate(
        ["frequent", "timely", "accurate", "problem_solving", "shared_goals",
         "shared_knowledge", "mutual_respect"], start=1)}
    study = read_wide(path, {"items": items, "columns": {"respondent": "id"}})
    assert list(scores_of(study, "a", "b").values()) == [1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 2.0]


@pytest.mark.elipfad
def test_elipfad_wide_items_reproduce_the_published_scores(elipfad_csv: Path) -> None:
    """The eliPfad GP survey (816 GPs rating hospital physicians, items already scored):
    the plain mean of the seven items of each complete case is the published RC_score."""
    with pytest.warns(InputWarning, match="ignored"):  # RC_score and the other columns
        study = read_wide(elipfad_csv, {
            "values": "scores", "columns": {"respondent": "row"}, "drop_empty": False,
            "rater_role": "general_practitioners", "target_role": "hospital_physicians",
        })
    assert len(study.ratings) == 816
    published = {}
    with elipfad_csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            published[row["row"]] = float(row["RC_score"]) if row["RC_score"] else math.nan
    people = np.asarray(study.ratings.respondents)[study.ratings.respondent]
    scores = study.ratings.scores
    complete = np.asarray(~np.isnan(scores).any(axis=1), dtype=bool)
    assert complete.sum() == 705
    means = scores.mean(axis=1)
    for person, mean, ok in zip(people, means, complete.tolist(), strict=True):
        if ok:
            assert mean == pytest.approx(published[person], abs=1e-12)
        else:
            assert math.isnan(published[person])
