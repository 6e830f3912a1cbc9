"""Relationskort arrows (csv-relationskort): named ties and group ratings."""

from __future__ import annotations

from pathlib import Path

from relcoord.formats.csv import read_relationskort
from relcoord.model import NamedTie, Study

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"


def scores_of(study: Study, source: str, target: str) -> dict[str, float | None]:
    (rating,) = [r for r in study.ratings if r.source == source and r.target == target]
    return dict(rating.scores)


def test_relationskort_creates_ties_and_group_ratings() -> None:
    study = read_relationskort(DATA / "relationskort.csv", {})
    assert study.instrument.id == "relationskort"
    assert study.ties == (NamedTie("kui", "teachers", "2019-1"),
                          NamedTie("psych", "teachers", "2019-1"),
                          NamedTie("teachers", "kui", "2019-1"))
    assert all(r.respondent is None for r in study.ratings)
    assert scores_of(study, "teachers", "kui") == {
        "frequent": 4.0, "timely": 3.0, "accurate": None, "problem_solving": 2.0}
    assert len(study.ratings) == 2  # the psych arrow is named but not rated
    assert all(r.present for r in study.roles)
