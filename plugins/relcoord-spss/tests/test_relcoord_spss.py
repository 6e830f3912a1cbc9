"""The SPSS and Stata importers, on files pyreadstat writes in each test: codes read by
their labels, user-missing codes, variables found by their labels, the long and wide
layouts, merged files, the same study as from a CSV file, bad input and the command line."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.cli import cli
from relcoord.errors import (
    ImportNote,
    InputWarning,
    InvalidInputError,
    InvalidStudyError,
    RelcoordError,
)
from relcoord.instruments import get_instrument
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.plugins import PluginHost
from relcoord.testing.conformance import study_differences
from relcoord.testing.strategies import studies

ITEMS = ("q1", "q2", "q3", "q4", "q5", "q6", "q7")
ITEM_LABELS = ("Hyppig", "Rettidig", "Præcis", "Problemløsende", "Fælles mål",
               "Fælles viden", "Gensidig respekt")
ROLES: dict[int | float, str] = {1: "Læge", 2: "Sygeplejerske", 3: "Sekretær"}
#: The frequency item's answers coded 0..4 (not the positions 1..5), and two no-answer codes.
FREQUENT_CODES = {0: "Slet ikke nok", 1: "Ikke nok", 2: "Tilpas", 3: "For ofte",
                  4: "Alt for ofte", 8: "ved ikke", 9: "Ikke besvaret"}
#: The timely item's answers coded 1..5 in reverse ("Altid" first), in English.
TIMELY_CODES = {1: "Always", 2: "Often", 3: "Occasionally", 4: "Rarely", 5: "Never"}

#: The survey, as answer positions (None: no answer) per respondent and target role.
SURVEY: tuple[tuple[str, int, int, tuple[int | None, ...]], ...] = (
    ("r1", 1, 2, (1, 2, 3, 4, 5, 4, 3)),
    ("r1", 1, 3, (3, 5, 5, 5, 4, 4, 4)),
    ("r2", 2, 1, (None, 4, 4, 3, 3, 2, None)),
    ("r2", 2, 3, (5, 1, 2, 3, 4, 5, 5)),
    ("r3", 3, 1, (None, 3, 3, 3, 3, 3, 3)),
)


def host() -> PluginHost:
    return PluginHost()


def read(path: Path, **options: Any) -> tuple[Study, list[str]]:
    """The study in ``path`` and the notes the import made."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        study = host().read(path, options=options)
    return study, [str(w.message) for w in caught if issubclass(w.category, ImportNote)]


def odd_frame() -> tuple[pd.DataFrame, dict[str, Any]]:
    """The survey as a survey tool exports it: role codes with labels, variables named
    q1..q7 and labelled in Danish, the frequency item coded 0..4 with 8 = "ved ikke" and
    9 declared user-missing, the timely item coded in reverse, the rest coded 1..5."""
    rows = []
    for k, (person, source, target, answers) in enumerate(SURVEY):
        codes: list[float] = []
        for j, position in enumerate(answers):
            if position is None:
                codes.append((8.0 if k == 2 else 9.0) if j == 0 else math.nan)
            elif j == 0:
                codes.append(float(position - 1))
            elif j == 1:
                codes.append(float(6 - position))
            else:
                codes.append(float(position))
        rows.append({"RespondentID": person, "rolle": float(source), "om": float(target),
                     **dict(zip(ITEMS, codes, strict=True))})
    meta: dict[str, Any] = {
        "column_labels": {"rolle": "Faggruppe", "om": "Vurderet faggruppe",
                          **dict(zip(ITEMS, ITEM_LABELS, strict=True))},
        "variable_value_labels": {"rolle": ROLES, "om": ROLES, "q1": FREQUENT_CODES,
                                  "q2": TIMELY_CODES},
        "missing_ranges": {"q1": [9]},
    }
    return pd.DataFrame(rows), meta


def survey_csv(path: Path, roles: Mapping[int | float, str] = ROLES) -> Path:
    """The same survey as a wide CSV file with answer positions."""
    lines = ["respondent,rater role,target role," + ",".join(get_instrument("rc7").keys)]
    for person, source, target, answers in SURVEY:
        cells = ["" if a is None else str(a) for a in answers]
        lines.append(",".join([person, roles[source], roles[target], *cells]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_odd_codes_labels_and_user_missing_read_as_the_survey_meant(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    pyreadstat.write_sav(frame, tmp_path / "survey.sav", **meta)
    study, notes = read(tmp_path / "survey.sav")
    expected, _ = read(survey_csv(tmp_path / "survey.csv"), values="positions")
    assert study_differences(expected, study) == []
    joined = "\n".join(notes)
    assert "user-missing code(s) 9 ('Ikke besvaret') read as missing" in joined
    assert "code(s) 8 ('ved ikke') read as missing" in joined
    assert "0 ('Slet ikke nok') -> 1" in joined
    assert "1 ('Always') -> 5" in joined
    assert "'q1' ('Hyppig')=frequent" in joined
    assert "source='rolle' ('Faggruppe')" in joined or "'rolle'" in joined
    scores = study.ratings.scores
    assert np.isnan(scores[:, 0]).sum() == 2  # r2's and r3's frequency answers


@pytest.mark.parametrize("extension", [".sav", ".zsav", ".por", ".dta"])
def test_every_file_kind_reads_the_same_study_as_the_csv(tmp_path: Path,
                                                         extension: str) -> None:
    ascii_roles: dict[int | float, str] = {1: "Laege", 2: "Sygeplejerske",
                                           3: "Sekretaer"}  # .por holds ASCII only
    rows = [{"person": p, "source": ascii_roles[s], "target": ascii_roles[t],
             **{k: (math.nan if a is None else float(a)) for k, a in zip(ITEMS, ans,
                                                                         strict=True)}}
            for p, s, t, ans in SURVEY]
    frame = pd.DataFrame(rows)
    path = tmp_path / f"survey{extension}"
    items = dict(zip(ITEMS, ("frequent", "timely", "accurate", "problem_solving",
                             "shared_goals", "shared_knowledge", "mutual_respect"),
                     strict=True))
    writers: dict[str, Callable[..., None]] = {
        ".sav": pyreadstat.write_sav, ".por": pyreadstat.write_por,
        ".dta": pyreadstat.write_dta,
        ".zsav": lambda df, p, **kw: pyreadstat.write_sav(df, p, compress=True, **kw)}
    writers[extension](frame, path, column_labels=dict(zip(ITEMS, ITEM_LABELS, strict=True)))
    study, _ = read(path, items=items if extension == ".por" else None, values="positions")
    expected, _ = read(survey_csv(tmp_path / "survey.csv", ascii_roles), values="positions")
    assert study_differences(expected, study) == []


def test_long_layout_reads_labelled_items_and_codes_per_item(tmp_path: Path) -> None:
    """One case per answer; the item variable holds codes labelled with the items' names,
    the answers are coded 0..4 with the relationskort's Danish labels."""
    answers: dict[int | float, str] = {
        0: "Slet ikke", 1: "I ringe grad", 2: "I nogen grad", 3: "I høj grad",
        4: "I meget høj grad", 9: "Ved ikke"}
    item_codes: dict[int | float, str] = {
        1: "frequent", 2: "timely", 3: "accurate", 4: "problem_solving"}
    rows = []
    for person, source, target, positions in SURVEY:
        for j, position in enumerate(positions[:4]):
            rows.append({"respondent": person, "source": ROLES[source],
                         "target": ROLES[target], "item": float(j + 1),
                         "answer": 9.0 if position is None else float(position - 1)})
    pyreadstat.write_sav(pd.DataFrame(rows), tmp_path / "long.sav",
                         variable_value_labels={"item": item_codes, "answer": answers})
    study, notes = read(tmp_path / "long.sav", instrument="relationskort")
    assert any("read in the long layout" in n for n in notes)
    got = {(r.respondent, r.target, tuple(math.nan if v is None else v
                                          for v in r.scores.values()))
           for r in study.ratings}
    want = {(p, ROLES[t], tuple(math.nan if a is None else float(a) for a in ans[:4]))
            for p, _, t, ans in SURVEY}
    assert repr(sorted(got)) == repr(sorted(want))


def test_labels_that_explain_only_some_codes_are_a_located_error(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    meta["missing_ranges"] = {}
    meta["variable_value_labels"]["q1"] = {0: "Slet ikke nok", 1: "Ikke nok", 2: "Tilpas",
                                           3: "For ofte", 4: "Alt for ofte", 9: "Uklart"}
    pyreadstat.write_sav(frame, tmp_path / "survey.sav", **meta)
    with pytest.raises(InvalidStudyError) as caught:
        read(tmp_path / "survey.sav")
    unlabelled, unknown = caught.value.problems
    assert unlabelled.path == f"{tmp_path / 'survey.sav'}: variable q1, row 3"
    assert "code 8 has no value label" in unlabelled.message
    assert unknown.path == f"{tmp_path / 'survey.sav'}: variable q1, row 5"
    assert "missing_codes=9" in unknown.message
    assert "value_labels=codes" in unknown.message
    # the options settle it either way
    study, notes = read(tmp_path / "survey.sav", missing_codes="8,9")
    assert any("(the missing_codes option)" in n for n in notes)
    assert np.isnan(study.ratings.scores[:, 0]).sum() == 2


def test_codes_read_as_they_are_when_asked_and_off_scale_codes_are_located(
        tmp_path: Path) -> None:
    frame, meta = odd_frame()
    pyreadstat.write_sav(frame, tmp_path / "survey.sav", **meta)
    with pytest.raises(InvalidStudyError) as caught:
        read(tmp_path / "survey.sav", value_labels="codes", values="positions")
    paths = [p.path for p in caught.value.problems]
    assert f"{tmp_path / 'survey.sav'}: variable q1, row 1" in paths  # code 0 is no position


def test_merged_files_say_where_each_row_came_from(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    pyreadstat.write_sav(frame.iloc[:2], tmp_path / "web.sav", **meta)
    pyreadstat.write_sav(frame.iloc[2:], tmp_path / "paper.sav", **meta)
    study, notes = read(tmp_path / "web.sav", merge=str(tmp_path / "paper.sav"))
    expected, _ = read(survey_csv(tmp_path / "survey.csv"), values="positions")
    assert study_differences(expected, attrs_evolve_id(study, "survey")) == []
    assert any("2 files merged; column 'file'" in n for n in notes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImportNote)
        warnings.simplefilter("error", InputWarning)  # the file column is not "ignored"
        host().read(tmp_path / "web.sav", options={"merge": str(tmp_path / "paper.sav")})
    # the file column is a column like any other: here it becomes the wave
    as_waves, _ = read(tmp_path / "web.sav", merge=str(tmp_path / "paper.sav"),
                       columns='{"wave": "file"}')
    assert as_waves.waves == ("paper.sav", "web.sav")


def attrs_evolve_id(study: Study, study_id: str) -> Study:
    import attrs

    return attrs.evolve(study, metadata=attrs.evolve(study.metadata, id=study_id))


def test_a_respondent_in_two_merged_files_is_an_error_naming_the_option(
        tmp_path: Path) -> None:
    frame, meta = odd_frame()
    pyreadstat.write_sav(frame, tmp_path / "web.sav", **meta)
    pyreadstat.write_sav(frame, tmp_path / "paper.sav", **meta)
    with pytest.raises(InvalidStudyError) as caught:
        read(tmp_path / "web.sav", merge=str(tmp_path / "paper.sav"))
    first = caught.value.problems[0]
    assert first.path == f"{tmp_path / 'paper.sav'}: variable RespondentID, row 1"
    assert "merge_respondents=same" in first.message
    study, notes = read(tmp_path / "web.sav", merge=str(tmp_path / "paper.sav"),
                        merge_respondents="per_file")
    assert {p.id for p in study.respondents} == {f"{f}:{r}" for f in ("web", "paper")
                                                 for r in ("r1", "r2", "r3")}
    assert any("prefixed" in n for n in notes)


@pytest.mark.parametrize(("content", "expected"), [
    (b"respondent,role\n1,a\n", "not an SPSS system file"),
    (b"", "the file is empty"),
])
def test_not_an_spss_file_is_a_located_error(tmp_path: Path, content: bytes,
                                             expected: str) -> None:
    path = tmp_path / "survey.sav"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError) as caught:
        read(path)
    assert caught.value.location == str(path)
    assert expected in caught.value.message


def test_a_truncated_file_and_an_unknown_encoding_are_located_errors(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    whole = tmp_path / "whole.sav"
    pyreadstat.write_sav(frame, whole, **meta)
    cut = tmp_path / "cut.sav"
    cut.write_bytes(whole.read_bytes()[:400])
    with pytest.raises(InvalidInputError, match="truncated or corrupt"):
        read(cut)
    with pytest.raises(InvalidInputError, match="-I encoding=NAME") as caught:
        read(whole, encoding="klingon-9")
    assert caught.value.location == str(whole)


def test_command_line_imports_and_fails_cleanly(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    pyreadstat.write_sav(frame, tmp_path / "survey.sav", **meta)
    out = tmp_path / "study.json"
    result = CliRunner().invoke(cli, ["convert", str(tmp_path / "survey.sav"), str(out)])
    assert result.exit_code == 0, result.output
    assert "ved ikke" in result.output
    assert out.exists()
    bad = tmp_path / "bad.sav"
    bad.write_bytes(b"not spss at all")
    out2 = tmp_path / "bad.json"
    result = CliRunner().invoke(cli, ["convert", str(bad), str(out2)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert str(bad) in result.output
    assert not out2.exists()
    result = CliRunner().invoke(cli, ["convert", str(tmp_path / "survey.sav"), str(out2),
                                      "-I", "value_labels=maybe"])
    assert result.exit_code == 1
    assert "value_labels" in result.output
    assert not out2.exists()


# --- round trip: a generated study's ratings through a .sav file -----------------------------


def _positions(study: Study) -> Mapping[str, Mapping[float, int]]:
    return {d.key: {s: p for p, s in enumerate(d.scoring, start=1)}
            for d in study.instrument.dimensions}


#: How a generated file codes the answers: positions as they are, or a survey tool's codes
#: (0-based, tens, reversed) with the answers' labels in one language.
CODINGS: Final = ("positions", "zero-based", "tens", "reversed")


def _code(position: int, coding: str, count: int) -> float:
    if coding == "zero-based":
        return float(position - 1)
    if coding == "tens":
        return float(10 * position)
    if coding == "reversed":
        return float(count + 1 - position)
    return float(position)


def write_ratings(study: Study, path: Path, coding: str, language: str) -> None:
    """The study's ratings as a wide .sav file, one case per rating: the items' variables
    named q1.. and labelled with the dimension keys, the roles coded with value labels, the
    answers coded as ``coding`` says with labels in ``language`` (none for positions)."""
    codes = {r: float(i) for i, r in enumerate(study.role_ids, start=1)}
    keys = study.instrument.keys
    positions = _positions(study)
    rows = []
    for rating in study.ratings:
        row: dict[str, Any] = {"respondent": rating.respondent or "",
                               "source": codes[rating.source], "target": codes[rating.target],
                               "wave": rating.wave or ""}
        for j, key in enumerate(keys):
            score = rating.scores.get(key)
            count = len(positions[key])
            row[f"q{j + 1}"] = (math.nan if score is None or math.isnan(score)
                                else _code(positions[key][score], coding, count))
        rows.append(row)
    columns = ["respondent", "source", "target", "wave", *(f"q{j + 1}" for j in range(len(keys)))]
    labels: dict[str, dict[int | float, str]] = {
        "source": {c: r for r, c in codes.items()}}
    labels["target"] = labels["source"]
    if coding != "positions":
        for j, dimension in enumerate(study.instrument.dimensions):
            answers = dimension.answers[language]
            labels[f"q{j + 1}"] = {_code(p, coding, len(answers)): a
                                   for p, a in enumerate(answers, start=1)}
    pyreadstat.write_sav(pd.DataFrame(rows, columns=columns), path,
                         column_labels={f"q{j + 1}": k for j, k in enumerate(keys)},
                         variable_value_labels=labels)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(study=studies(instrument="rc7", with_ties=False, with_invitations=False,
                     max_ratings=12),
       coding=st.sampled_from(CODINGS), language=st.sampled_from(("da", "en", "de")))
def test_generated_ratings_round_trip_through_a_sav_file(tmp_path: Path, study: Study,
                                                         coding: str, language: str) -> None:
    """Whatever the codes, the labels give back the answers: the study read from the .sav
    file is the study written, less what the file cannot hold (the role names, ties,
    invitations, respondents who did not rate, ratings without an answer)."""
    import attrs

    rated = [r for r in study.ratings
             if any(v is not None and not math.isnan(v) for v in r.scores.values())]
    path = tmp_path / "generated.sav"
    write_ratings(study, path, coding, language)
    roles = tmp_path / "roles.csv"
    roles.write_text("id\n" + "\n".join(study.role_ids) + "\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        options = {"roles": str(roles)}
        if coding == "positions":
            options["values"] = "positions"
        back = host().read(path, options=options)
    raters = {r.respondent: r.source for r in rated if r.respondent}
    expected = Study(
        metadata=Metadata(id="generated"), instrument=study.instrument,
        roles=[Role(id=r, name=r) for r in study.role_ids],
        respondents=[Respondent(p, raters[p]) for p in sorted(raters)],
        ratings=[attrs.evolve(r, scores={k: (None if v is None or math.isnan(v) else v)
                                         for k, v in r.scores.items()}) for r in rated])
    assert study_differences(expected, back) == []


def test_rc7_and_relationskort_answers_are_matched_in_every_language() -> None:
    from relcoord_spss.answer_codes import answer_index

    rc7 = get_instrument("rc7")
    index = answer_index(rc7.dimension("frequent"))
    assert index["tilpas"] == index["just the right amount"] == index["genau richtig"] == 3


def test_every_failure_is_a_relcoord_error(tmp_path: Path) -> None:
    path = tmp_path / "x.dta"
    path.write_bytes(b"<stata_dta><header>broken")
    with pytest.raises(RelcoordError):
        read(path)


def test_the_documentation_lists_the_declared_options() -> None:
    from relcoord.formats.format_option import options_table
    from relcoord.plugins.format_io import options_of
    from relcoord_spss import SPSS, STATA

    page = Path(__file__).resolve().parents[3] / "docs" / "plugins" / "spss.md"
    text = page.read_text(encoding="utf-8")
    for chosen in (SPSS, STATA):
        declared = options_of(chosen, "read")
        assert declared
        assert options_table(declared) in text, chosen.id


def test_plugins_command_lists_both_importers() -> None:
    result = CliRunner().invoke(cli, ["plugins", "--options"])
    assert result.exit_code == 0, result.output
    assert "spss" in result.stdout
    assert "stata" in result.stdout
    assert "-I value_labels=auto|labels|codes" in result.stdout


def test_stata_missing_values_are_missing_answers(tmp_path: Path) -> None:
    """Stata marks missing answers ``.a`` ... ``.z``; pyreadstat writes them from letters."""
    rows = [{"person": p, "source": s, "target": t,
             **{k: (a if a is None else float(a)) for k, a in zip(ITEMS, ans, strict=True)}}
            for p, s, t, ans in SURVEY]
    frame = pd.DataFrame(rows).astype(object)
    frame.loc[2, "q1"] = "a"  # r2 did not know
    frame.loc[4, "q1"] = "b"  # r3 did not answer
    for item in ITEMS[1:]:
        frame[item] = frame[item].astype(float)
    path = tmp_path / "survey.dta"
    pyreadstat.write_dta(frame, path, missing_user_values={"q1": ["a", "b"]},
                         column_labels=dict(zip(ITEMS, ITEM_LABELS, strict=True)))
    study, notes = read(path, values="positions")
    assert any("2 answer(s) with the user-missing code(s) .a, .b read as missing" in n
               for n in notes), notes
    assert np.isnan(study.ratings.scores[:, 0]).sum() == 2


def test_value_labels_labels_refuses_codes_without_labels(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    pyreadstat.write_sav(frame, tmp_path / "survey.sav", **meta)
    with pytest.raises(InvalidStudyError) as caught:
        read(tmp_path / "survey.sav", value_labels="labels")
    first = caught.value.problems[0]
    assert first.path == f"{tmp_path / 'survey.sav'}: variable q3, row 1"
    assert "code 3 has no value label" in first.message


def test_an_empty_file_a_missing_merge_file_and_a_taken_file_column(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    pyreadstat.write_sav(frame.iloc[:0], tmp_path / "empty.sav", **meta)
    with pytest.raises(InvalidInputError, match="holds no cases") as caught:
        read(tmp_path / "empty.sav")
    assert caught.value.location == str(tmp_path / "empty.sav")
    pyreadstat.write_sav(frame, tmp_path / "web.sav", **meta)
    with pytest.raises(InvalidInputError, match="cannot read the file") as caught:
        read(tmp_path / "web.sav", merge=str(tmp_path / "gone.sav"))
    assert caught.value.location == str(tmp_path / "gone.sav")
    with pytest.raises(InvalidInputError, match="-I file_column=NAME") as caught:
        read(tmp_path / "web.sav", merge=str(tmp_path / "empty.sav"), file_column="rolle")
    assert caught.value.location == f"{tmp_path / 'web.sav'}: variable rolle"
    with pytest.raises(InvalidInputError, match="limit"):
        read(tmp_path / "web.sav", max_bytes=100)


def test_a_wave_given_as_a_date_reads_as_iso_text(tmp_path: Path) -> None:
    import datetime

    frame, meta = odd_frame()
    frame["runde"] = [datetime.date(2024, 3, 1)] * 3 + [datetime.date(2024, 9, 2)] * 2
    pyreadstat.write_sav(frame, tmp_path / "survey.sav", **meta)
    study, _ = read(tmp_path / "survey.sav")
    assert study.waves == ("2024-03-01", "2024-09-02")


def test_a_forced_layout_that_does_not_fit_names_the_layout_option(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    pyreadstat.write_sav(frame, tmp_path / "survey.sav", **meta)
    with pytest.raises(InvalidStudyError) as caught:
        read(tmp_path / "survey.sav", layout="long")
    hints = [p for p in caught.value.problems if "layout" in p.message]
    assert hints
    assert hints[0].path == str(tmp_path / "survey.sav")
    assert "read it with -I layout=wide" in hints[0].message


def test_fields_found_by_their_variable_labels(tmp_path: Path) -> None:
    """Variables named v1.. whose labels say what they hold: noted, and the same study."""
    frame, meta = odd_frame()
    names = {"RespondentID": "v1", "rolle": "v2", "om": "v3"}
    frame = frame.rename(columns=names)
    meta["column_labels"] = {"v1": "Deltager", "v2": "Din faggruppe",
                             "v3": "Vurderet faggruppe",
                             **dict(zip(ITEMS, ITEM_LABELS, strict=True))}
    meta["variable_value_labels"] = {"v2": ROLES, "v3": ROLES, "q1": FREQUENT_CODES,
                                     "q2": TIMELY_CODES}
    pyreadstat.write_sav(frame, tmp_path / "survey.sav", **meta)
    study, notes = read(tmp_path / "survey.sav")
    expected, _ = read(survey_csv(tmp_path / "survey.csv"), values="positions")
    assert study_differences(expected, study) == []
    assert any("variables found by their labels: respondent='v1' ('Deltager'), "
               "source='v2' ('Din faggruppe'), target='v3' ('Vurderet faggruppe')" in n
               for n in notes), notes


def test_a_problem_in_a_merged_file_is_located_in_that_file(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    frame.loc[3, "q3"] = 7.0  # the second case of paper.sav: no answer position
    pyreadstat.write_sav(frame.iloc[:2], tmp_path / "web.sav", **meta)
    pyreadstat.write_sav(frame.iloc[2:], tmp_path / "paper.sav", **meta)
    with pytest.raises(InvalidStudyError) as caught:
        read(tmp_path / "web.sav", merge=str(tmp_path / "paper.sav"))
    (problem,) = caught.value.problems
    assert problem.path == f"{tmp_path / 'paper.sav'}: variable q3, row 2"
    assert "7 is not an answer position 1..5" in problem.message


def with_unknown_character_set(path: Path) -> None:
    """Make ``path`` (a .sav file pyreadstat wrote) declare a character set nobody knows:
    code page 4242 in its machine integer record (type 7, subtype 3), and the name
    ``ZZZZZ`` in its character encoding record (type 7, subtype 20)."""
    import struct

    data = bytearray(path.read_bytes())
    record = data.find(struct.pack("<iiii", 7, 3, 4, 8))
    assert record > 0
    data[record + 16 + 28:record + 48] = struct.pack("<i", 4242)
    assert data.count(b"UTF-8") == 1
    path.write_bytes(bytes(data).replace(b"UTF-8", b"ZZZZZ"))


def test_a_file_in_an_unknown_character_set_names_the_encoding_option(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(frame, path, **meta)
    with_unknown_character_set(path)
    with pytest.raises(InvalidInputError, match="-I encoding=NAME") as caught:
        read(path)
    assert caught.value.location == str(path)
    assert "unsupported character set" in caught.value.message
    result = CliRunner().invoke(cli, ["convert", str(path), str(tmp_path / "study.json")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not (tmp_path / "study.json").exists()
    study, _ = read(path, encoding="utf-8")  # the option settles it
    assert "Sygeplejerske" in study.role_ids


def test_a_file_named_otherwise_is_read_as_the_named_importer_says(tmp_path: Path) -> None:
    frame, meta = odd_frame()
    pyreadstat.write_dta(frame, tmp_path / "export.bin",
                         column_labels=meta["column_labels"],
                         variable_value_labels={"rolle": ROLES, "om": ROLES})
    with warnings.catch_warnings():  # q1's codes 0..4 without labels: 0 is read as missing
        warnings.simplefilter("ignore")
        study = host().read(tmp_path / "export.bin", format="stata",
                            options={"missing_codes": "0,8,9", "values": "positions"})
    assert study.role_ids == ("Læge", "Sekretær", "Sygeplejerske")


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """The reader process is spawned without the parent's main script: a script that reads
    an SPSS file at its top level (no ``if __name__ == "__main__"``) runs once and reads
    the file, instead of running again in the child (or failing there)."""
    import os
    import subprocess
    import sys

    frame, meta = odd_frame()
    pyreadstat.write_sav(frame, tmp_path / "survey.sav", **meta)
    script = tmp_path / "analysis.py"
    script.write_text(
        "import warnings\n"
        "from pathlib import Path\n"
        "from relcoord_spss.labelled_file import read_labelled_file\n"
        f"with open({str(tmp_path / 'runs.txt')!r}, 'a') as log:\n"
        "    log.write('run\\n')\n"
        f"print(len(read_labelled_file(Path({str(tmp_path / 'survey.sav')!r})).frame))\n",
        encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=120, env=os.environ.copy(), check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(frame))
    assert (tmp_path / "runs.txt").read_text(encoding="utf-8") == "run\n"
