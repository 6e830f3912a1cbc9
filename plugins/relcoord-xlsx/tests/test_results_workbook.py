"""The results workbook: the conformance kit's round trip (the study's facts come back),
the same bytes twice, the sheets an analyst expects in the report's language, number
formats and frozen headers, the tie matrix's band colours, and no raw answer or
respondent id anywhere."""

from __future__ import annotations

import warnings
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from relcoord import messages
from relcoord.analysis import Analysis, analyze
from relcoord.cli import cli
from relcoord.example import load_example
from relcoord.messages import Language
from relcoord.model import Invitation, Metadata, NamedTie, Respondent, Role, Study
from relcoord.plugins import PluginHost
from relcoord.ratings import Rating
from relcoord.testing.conformance import assert_roundtrip, study_differences
from relcoord.testing.strategies import studies
from relcoord_xlsx.results_workbook import BAND_FILLS

TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None,
               max_examples=25)


def small_study() -> Study:
    """Two roles, a formula-looking name and topic, a group rating and a missing item."""
    return Study(
        metadata=Metadata(id="demo", title="=HYPERLINK(\"x\")", language="da"),
        instrument="rc7",
        roles=[Role("teachers", "Undervisere", "school", names={"en": "Teachers"}),
               Role("kui", "+KUI; ungeindsats", "municipality"),
               Role("psych", "-Psykologer", present=False)],
        respondents=[Respondent("r1", "teachers"), Respondent("r2", "kui")],
        ties=[NamedTie("teachers", "kui", "c1"), NamedTie("kui", "psych")],
        ratings=[
            Rating(source="teachers", target="kui", respondent="r1", wave="c1",
                   scores={"frequent": 5, "timely": 4, "accurate": None, "problem_solving": 2,
                           "shared_goals": 3, "shared_knowledge": 1, "mutual_respect": 4}),
            Rating(source="kui", target="teachers", respondent="r2",
                   scores={"frequent": 1, "timely": 2}),
        ],
        invitations=[Invitation("kui", "teachers", "=dialog", "accepted", "c1")],
    )


def facts(study: Study) -> Study:
    """What published results keep of a study: everything but respondents and ratings."""
    return Study(metadata=study.metadata, instrument=study.instrument, roles=study.roles,
                 ties=study.ties, invitations=study.invitations)


@cache
def example(lang: Language) -> Analysis:
    return analyze(load_example(), lang=lang)


def test_conformance_round_trip(tmp_path: Path, relcoord_host: PluginHost) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_roundtrip("xlsx", small_study(), tmp_path, expected=facts, host=relcoord_host)
        study = small_study()
        (tmp_path / "with-analysis").mkdir()
        assert_roundtrip("xlsx", study, tmp_path / "with-analysis", expected=facts,
                         analysis=analyze(study, lang="en"), host=relcoord_host)


@TMP
@given(study=studies(instrument=None).filter(lambda s: s.instrument.builtin))
def test_every_generated_study_s_facts_round_trip(tmp_path: Path, study: Study) -> None:
    path = tmp_path / "facts.xlsx"
    path.unlink(missing_ok=True)
    host = PluginHost()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        host.write(study, path, format="xlsx")
        back = host.read(path, format="xlsx")
    assert study_differences(facts(study), back) == []


@pytest.fixture(scope="module")
def danish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("results") / "results.xlsx"
    analysis = example("da")
    PluginHost().write(analysis.study, path, format="xlsx", analysis=analysis)
    return path


def test_the_sheets_are_in_the_report_language(danish: Path) -> None:
    book = load_workbook(danish)
    expected = [messages.text(f"workbook.sheet.{k}", "da") for k in (
        "overview", "findings", "matrix", "groups", "rated_ties", "reliability", "method",
        "study", "roles", "ties", "invitations")]
    assert book.sheetnames == expected
    matrix = book[messages.text("workbook.sheet.matrix", "da")]
    study = example("da").study
    names = [r.label("da") for r in study.roles]
    assert [c.value for c in matrix[2]][1:] == names  # role names, not ids
    assert [matrix.cell(row=i, column=1).value for i in range(3, 3 + len(names))] == names


def test_numbers_are_numbers_with_formats_and_headers_are_frozen(danish: Path) -> None:
    book = load_workbook(danish)
    ties = book[messages.text("workbook.sheet.rated_ties", "da")]
    assert ties.freeze_panes == "B2"
    header = [c.value for c in ties[1]]
    rc = header.index("RC") + 1
    values = [ties.cell(row=r, column=rc) for r in range(2, ties.max_row + 1)]
    numbers = [c for c in values if c.value is not None]
    assert numbers
    assert all(isinstance(c.value, int | float) and c.number_format == "0.00"
                           for c in numbers)
    assert ties.column_dimensions["A"].width > 10
    groups = book[messages.text("workbook.sheet.groups", "da")]
    kinds = {c.number_format for row in groups.iter_rows(min_row=2) for c in row
             if isinstance(c.value, float)}
    assert kinds <= {"0.00", "0%"}
    assert "0%" in kinds


def test_the_matrix_is_coloured_by_band(danish: Path) -> None:
    book = load_workbook(danish)
    matrix = book[messages.text("workbook.sheet.matrix", "da")]
    rules = [rule for area in matrix.conditional_formatting for rule in area.rules]
    assert len(rules) == 3
    formulas = [rule.formula[0] for rule in rules]
    assert formulas == ["AND(ISNUMBER(B3),B3<3.5)", "AND(ISNUMBER(B3),AND(B3>=3.5,B3<4.0))",
                        "AND(ISNUMBER(B3),B3>=4.0)"]
    colours = [rule.dxf.fill.fgColor.rgb[-6:] for rule in rules]
    assert colours == list(BAND_FILLS.values())
    analysis = example("da")
    cells = [c.value for row in matrix.iter_rows(min_row=3, min_col=2) for c in row]
    rated = [t["rc"] for t in analysis.to_mapping()["ties"] if t["rc"] is not None]
    # Excel keeps 15 significant digits, as openpyxl writes them
    assert sorted(v for v in cells if v is not None) == pytest.approx(sorted(rated),
                                                                      rel=1e-13)


def _all_text(path: Path) -> str:
    book = load_workbook(path)
    return "\n".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows()
                     for c in row if c.value is not None)


def test_no_answers_and_no_respondent_ids(tmp_path: Path) -> None:
    study = small_study()
    marked = Study(metadata=study.metadata, instrument=study.instrument, roles=study.roles,
                   respondents=[Respondent("resp-secret-1", "teachers"),
                                Respondent("resp-secret-2", "kui")],
                   ties=study.ties, invitations=study.invitations,
                   ratings=[Rating(source=r.source, target=r.target,
                                   respondent={"r1": "resp-secret-1", "r2": "resp-secret-2"}[
                                       r.respondent or "r1"],
                                   scores=dict(r.scores), wave=r.wave)
                            for r in study.ratings])
    path = tmp_path / "r.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        PluginHost().write(marked, path, analysis=analyze(marked, lang="en"))
    text = _all_text(path)
    assert "resp-secret" not in text
    book = load_workbook(path)
    assert "ratings" not in [s.lower() for s in book.sheetnames]


def test_formula_looking_text_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    PluginHost().write(small_study(), path)
    book = load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells
    assert all(c.data_type == "s" for c in cells)


def test_export_from_the_command_line(tmp_path: Path, relcoord_host: Any) -> None:
    study = tmp_path / "study.json"
    PluginHost().write(load_example(), study)
    out = tmp_path / "results.xlsx"
    result = CliRunner().invoke(cli, ["export", str(study), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert load_workbook(out).sheetnames[:2] == ["Overview", "Findings"]
