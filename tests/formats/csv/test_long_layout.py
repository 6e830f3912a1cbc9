"""The long CSV layout (csv-long): positions and scores, grouping rows into ratings in any
order, column options and constants, dialects (delimiter, quoting, blank lines)."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.errors import InvalidStudyError
from relcoord.formats.csv import read_long
from relcoord.model import Study
from relcoord.testing.strategies import studies

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"
TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def scores_of(study: Study, source: str, target: str) -> dict[str, float | None]:
    (rating,) = [r for r in study.ratings if r.source == source and r.target == target]
    return dict(rating.scores)


def test_long_positions_are_scored_through_the_instrument(tmp_path: Path) -> None:
    # rc7's frequency item is shown "not nearly enough ... much too often", scored 1,3,5,4,2
    path = write(tmp_path / "a.csv", "respondent,role,target,item,answer\n"
                 + "".join(f"r{p},a,b,frequent,{p}\n" for p in range(1, 6)))
    study = read_long(path, {"values": "positions"})
    got = sorted((str(r.respondent), r.scores["frequent"] or 0.0) for r in study.ratings)
    assert got == [("r1", 1.0), ("r2", 3.0), ("r3", 5.0), ("r4", 4.0), ("r5", 2.0)]
    classic = read_long(path, {"instrument": "rc7-classic"})
    assert sorted(r.scores["frequent"] or 0.0 for r in classic.ratings) == [1, 2, 3, 4, 5]
    as_scores = read_long(path, {"values": "scores"})
    assert sorted((str(r.respondent), r.scores["frequent"] or 0.0)
                  for r in as_scores.ratings)[1] == (
        "r2", 2.0)


def test_auto_stops_where_positions_and_scores_differ(tmp_path: Path) -> None:
    """An 'answer' column does not say whether 3 is a position (score 5) or a score: the
    import stops at that column and names -I values=positions|scores; a 'position' column
    says it."""
    text = "respondent,role,target,item,answer\nr1,a,b,frequent,3\nr1,a,b,timely,2\n"
    path = write(tmp_path / "a.csv", text)
    with pytest.raises(InvalidStudyError) as caught:
        read_long(path, {})
    (problem,) = caught.value.problems
    assert problem.path == f"{path}:1:5"
    assert "column 'answer' (frequent)" in problem.message
    assert "-I values=positions" in problem.message
    same = write(tmp_path / "b.csv", text.replace("frequent,3", "frequent,4"))
    assert scores_of(read_long(same, {}), "a", "b")["frequent"] == 4.0  # 4 scores 4 either way
    headed = write(tmp_path / "c.csv", text.replace("answer", "position"))
    assert scores_of(read_long(headed, {}), "a", "b")["frequent"] == 5.0


def test_a_score_column_holds_scores(tmp_path: Path) -> None:
    path = write(tmp_path / "a.csv", "respondent,role,target,item,score\nr1,a,b,frequent,2\n")
    assert scores_of(read_long(path, {}), "a", "b")["frequent"] == 2.0
    assert scores_of(read_long(path, {"values": "positions"}), "a", "b")["frequent"] == 3.0


def test_long_layout_builds_roles_respondents_and_waves() -> None:
    study = read_long(DATA / "good_long.csv", {"study_id": "x", "title": "T"})
    assert study.metadata.id == "x"
    assert study.metadata.title == "T"
    assert [(r.id, r.present) for r in study.roles] == [("kui", True), ("teachers", True)]
    assert [(p.id, p.role) for p in study.respondents] == [("r1", "teachers"), ("r2", "kui")]
    assert study.waves == ("c1",)
    assert scores_of(study, "teachers", "kui")["timely"] == 4.0
    assert scores_of(study, "teachers", "kui")["accurate"] is None


def test_row_order_does_not_matter(tmp_path: Path) -> None:
    lines = (DATA / "good_long.csv").read_text().splitlines()
    body = lines[1:]
    rng = random.Random(3)
    for _ in range(5):
        rng.shuffle(body)
        path = write(tmp_path / "s.csv", "\n".join([lines[0], *body]) + "\n")
        assert read_long(path, {"study_id": "x"}) == read_long(DATA / "good_long.csv",
                                                               {"study_id": "x"})


def test_blank_lines_are_skipped_and_lines_still_located(tmp_path: Path) -> None:
    assert len(read_long(DATA / "blank_lines.csv", {}).ratings) == 1
    path = write(tmp_path / "b.csv", "respondent,role,target,item,answer\n\n\nr1,a,b,frequent,x\n")
    with pytest.raises(Exception, match=r"b\.csv:4:5: 'x' is not a number"):
        read_long(path, {})


def test_column_mapping_options_and_constants(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "Who;Sp;Svar\np1;Q12;4\np1;RC2_COM;2,0\n")
    study = read_long(path, {"columns": {"respondent": "Who", "item": "Sp", "value": "Svar"},
                             "items": {"Q12": "accurate"}, "rater_role": "teachers",
                             "target_role": "kui", "wave": "2019", "values": "scores"})
    assert scores_of(study, "teachers", "kui")["accurate"] == 4.0
    assert scores_of(study, "teachers", "kui")["timely"] == 2.0  # decimal comma with ';'
    assert study.waves == ("2019",)
    assert [r.id for r in study.roles if not r.present] == ["kui"]


def test_tab_delimiter_and_quoted_fields(tmp_path: Path) -> None:
    path = write(tmp_path / "t.tsv", 'respondent\trole\ttarget\titem\tposition\n'
                 'r1\t"Lærere, erhvervsskole"\t"KUI\t(kommune)"\tfrequent\t3\n')
    study = read_long(path, {})
    assert study.role_ids == ("KUI\t(kommune)", "Lærere, erhvervsskole")


def test_rating_column_groups_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "rating,role,target,item,score\n1,a,b,frequent,3\n"
                 "2,a,b,frequent,4\n1,a,b,timely,2\n")
    study = read_long(path, {})
    assert sorted((r.scores["frequent"], r.scores["timely"]) for r in study.ratings) == [
        (3.0, 2.0), (4.0, None)]
    bad = write(tmp_path / "s.csv", "rating,role,target,item,score\n1,a,b,frequent,3\n"
                "1,a,c,timely,4\n")
    with pytest.raises(Exception, match=r"s\.csv:3:3: this row has another target"):
        read_long(bad, {})


def _long_text(study: Study, rng: random.Random) -> str:
    """A long table of ``study``'s ratings written independently of relcoord's exporter."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rating", "respondent", "source", "target", "wave", "item", "score"])
    rows = []
    for n, rating in enumerate(study.ratings):
        for key, value in rating.scores.items():
            rows.append([n, rating.respondent or "", rating.source, rating.target,
                         rating.wave or "", key, "" if value is None else value])
    rng.shuffle(rows)
    writer.writerows(rows)
    return out.getvalue()


@TMP
@given(study=studies(instrument="rc7", with_ties=False, with_invitations=False),
       seed=st.integers(0, 1000))
def test_long_import_reads_any_generated_ratings_in_any_order(
    tmp_path: Path, study: Study, seed: int
) -> None:
    path = tmp_path / "g.csv"
    path.write_text(_long_text(study, random.Random(seed)), encoding="utf-8", newline="")
    if not len(study.ratings):
        return
    back = read_long(path, {})
    assert back.ratings == study.ratings
