"""Folders and zips of CSV tables (csv, csv-zip): a zip of published results gives back the
study's facts, and a folder assembled by hand may also hold respondents and a long ratings
table."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from relcoord.errors import ImportNote
from relcoord.formats.csv import read_folder, read_zip, write_zip
from relcoord.model import Study
from relcoord.testing.conformance import study_differences
from relcoord.testing.strategies import studies

TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@TMP
@given(study=studies(instrument="rc7"))
def test_zip_of_results_gives_back_the_facts(tmp_path: Path, study: Study) -> None:
    path = tmp_path / "r.zip"
    path.unlink(missing_ok=True)
    write_zip(study, None, path, {})
    back = read_zip(path, {})
    assert back.respondents == ()
    assert len(back.ratings) == 0
    assert study_differences(Study(metadata=study.metadata, instrument=study.instrument,
                                   roles=study.roles, ties=study.ties,
                                   invitations=study.invitations), back) == []


def test_a_folder_assembled_by_hand_may_hold_respondents_and_ratings(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "roles.csv").write_text("id,name\na,A\nb,B\n", encoding="utf-8")
    (folder / "respondents.csv").write_text("id,role\nr1,a\nr2,b\n", encoding="utf-8")
    (folder / "ratings.csv").write_text(
        "rating,respondent,source,target,wave,item,score\n1,r1,a,b,,frequent,2\n"
        "1,r1,a,b,,timely,4\n", encoding="utf-8")
    study = read_folder(folder, {})
    assert [p.id for p in study.respondents] == ["r1", "r2"]
    (rating,) = study.ratings
    assert rating.respondent == "r1"
    assert rating.scores["frequent"] == 2.0  # headed score: read as scores


def test_a_folder_reader_notes_each_table_s_sniffed_dialect(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    (folder / "roles.csv").write_text("id;name\na;A\nb;B\n", encoding="utf-8")
    with pytest.warns(ImportNote, match=r"roles\.csv.*';'"):
        study = read_folder(folder, {})
    assert [r.id for r in study.roles] == ["a", "b"]
