"""Workshop templates as data-entry workbooks: their sheets, drop-down lists and checks;
``relcoord template`` for the embedded example's roles; and, for generated studies, a
template filled in as a person would (groups by name, answers by label, statuses in
words) reads back as the same study."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from relcoord import messages
from relcoord.cli import cli
from relcoord.errors import InvalidInputError
from relcoord.example import load_example
from relcoord.formats.csv.exporters import study_tables
from relcoord.formats.csv.profiles import PROFILES
from relcoord.formats.workshop_template import WorkshopTemplate, answer_labels, status_label
from relcoord.instruments import INSTRUMENTS
from relcoord.model import Metadata, NamedTie, Study
from relcoord.ratings import Rating
from relcoord.testing.conformance import study_differences
from relcoord.testing.strategies import studies
from relcoord_xlsx.template_workbook import ENTRY_ROWS, write_template_workbook
from relcoord_xlsx.workbook_import import read_xlsx

TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                      HealthCheck.filter_too_much], deadline=None,
               max_examples=30)


def template_of(study: Study, kind: str, lang: str) -> WorkshopTemplate:
    instrument = study.instrument if kind != "balkort" else INSTRUMENTS["relationskort"]
    return WorkshopTemplate.of(kind, study.roles, lang, instrument=instrument,
                               metadata=study.metadata)


def _answer(template: WorkshopTemplate, key: str, score: float | None) -> str | None:
    if score is None:
        return None
    dimension = template.instrument.dimension(key)
    return answer_labels(dimension, template.lang)[dimension.scoring.index(score)]


def fill(path: Path, template: WorkshopTemplate, study: Study) -> None:
    """Type ``study`` into the template at ``path`` as a person would."""
    book = load_workbook(path)
    sheet = book[template.sheet_name()]
    label = {r.id: r.label(template.lang) for r in template.roles}
    rows: list[list[Any]] = []
    if template.kind == "balkort":
        rows = [[label[i.source], label[i.target], i.topic,
                 status_label(i.status, template.lang), i.wave] for i in study.invitations]
    elif template.kind == "relationskort":
        rated = {(r.source, r.target, r.wave): r for r in study.ratings}
        for tie in study.ties:
            rating = rated.get((tie.source, tie.target, tie.wave))
            answers = [_answer(template, k, rating.scores.get(k) if rating else None)
                       for k in template.instrument.keys]
            rows.append([label[tie.source], label[tie.target], tie.wave, *answers])
    else:
        for rating in study.ratings:
            answers = [_answer(template, k, rating.scores.get(k))
                       for k in template.instrument.keys]
            rows.append([rating.respondent, label[rating.source], label[rating.target],
                         rating.wave, *answers])
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=number, column=column, value=value)
    book.save(path)


def read_back(path: Path) -> Study:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_xlsx(path, {})


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("kind", ["relationskort", "balkort", "survey"])
def test_the_template_s_sheets_lists_and_checks(tmp_path: Path, kind: str, lang: str) -> None:
    study = load_example()
    template = template_of(study, kind, lang)
    path = tmp_path / "w.xlsx"
    write_template_workbook(template, path)
    book = load_workbook(path)
    assert book.sheetnames[:2] == [messages.text("workbook.sheet.instructions", lang),
                                   template.sheet_name()]
    lists = book[messages.text("workbook.sheet.lists", lang)]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"]][1:] == list(template.role_labels())
    entry = book[template.sheet_name()]
    assert [c.value for c in entry[1]] == list(template.header())
    assert entry.freeze_panes == "A2"
    checks = entry.data_validations.dataValidation
    assert all(c.type == "list" and c.showErrorMessage and c.error for c in checks)
    ranges = {str(r) for c in checks for r in c.sqref.ranges}
    for field in ("source", "target"):
        letter = "ABCDE"[template.fields.index(field)]
        assert f"{letter}2:{letter}{ENTRY_ROWS + 1}" in ranges
    expected_checks = 1 + len(template.items) + (1 if kind == "balkort" else 0)
    assert len(checks) == expected_checks
    empty = read_back(path)  # an empty template reads as the groups alone
    assert empty.roles == study.roles
    assert not empty.ratings
    assert not empty.ties
    assert not empty.invitations


def test_relcoord_template_for_the_example_roles_fills_and_reads_back(
        tmp_path: Path, relcoord_host: Any) -> None:
    example = load_example()
    roles = tmp_path / "roles.csv"
    roles.write_bytes(study_tables(example, PROFILES["plain"])["roles.csv"])
    out = tmp_path / "workshop.xlsx"
    result = CliRunner().invoke(cli, ["template", "--roles", str(roles), "--kind",
                                      "relationskort", "--lang", "da", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Relationskort" in result.output
    template = template_of(Study(metadata=Metadata(id="workshop", language="da"),
                                 instrument="relationskort", roles=example.roles),
                           "relationskort", "da")
    wanted = Study(metadata=Metadata(id="workshop", language="da"), instrument="relationskort",
                   roles=example.roles, ties=example.ties,
                   ratings=[r for r in example.ratings if r.respondent is None])
    fill(out, template, wanted)
    back = read_back(out)
    ties = {(t.source, t.target, t.wave) for t in back.ties}
    assert ties == {(t.source, t.target, t.wave) for t in example.ties}
    assert back.roles == example.roles
    assert len(back.ratings) == len(wanted.ratings)


def test_a_template_refuses_groups_it_cannot_tell_apart() -> None:
    study = load_example()
    roles = list(study.roles)
    twin = roles[1].__class__(id="twin", name=roles[0].label("da"))
    with pytest.raises(InvalidInputError, match="both called"):
        WorkshopTemplate.of("survey", [*roles, twin], "da")


def test_the_template_command_without_a_writer_for_the_extension(tmp_path: Path,
                                                                relcoord_host: Any) -> None:
    roles = tmp_path / "roles.csv"
    roles.write_text("id,name\na,A\nb,B\n", encoding="utf-8")
    out = tmp_path / "forms.odt"
    result = CliRunner().invoke(cli, ["template", "--roles", str(roles), "--kind", "survey",
                                      "-o", str(out)])
    assert result.exit_code == 1
    assert "no plugin writes templates" in result.output
    assert ".xlsx" in result.output
    assert not out.exists()


def _valid(template_kind: str, study: Study, lang: str) -> WorkshopTemplate:
    try:
        return template_of(study, template_kind, lang)
    except InvalidInputError:
        assume(False)
        raise


def _relationskort_study(draw: st.DrawFn) -> Study:
    base = draw(studies(instrument="relationskort", with_invitations=False, max_ratings=0,
                        max_respondents=0))
    ratings = []
    ties = [NamedTie(t.source, t.target, t.wave) for t in base.ties]
    for tie in ties:
        scores = {k: draw(st.none() | st.sampled_from(
            base.instrument.dimension(k).scoring)) for k in base.instrument.keys}
        if any(v is not None for v in scores.values()):
            ratings.append(Rating(source=tie.source, target=tie.target, wave=tie.wave,
                                  scores=scores))
    return Study(metadata=base.metadata, instrument=base.instrument, roles=base.roles,
                 ties=ties, ratings=ratings)


@st.composite
def filled_studies(draw: st.DrawFn) -> tuple[str, Study]:
    kind = draw(st.sampled_from(["relationskort", "balkort", "survey"]))
    if kind == "relationskort":
        return kind, _relationskort_study(draw)
    if kind == "balkort":
        base = draw(studies(instrument="relationskort", with_ties=False, max_ratings=0,
                            max_respondents=0))
        return kind, Study(metadata=base.metadata, instrument=base.instrument,
                           roles=base.roles, invitations=base.invitations)
    base = draw(studies(instrument="rc7", with_ties=False, with_invitations=False))
    ratings = [r for r in base.ratings if any(v is not None for v in r.scores.values())]
    with_ratings = {r.respondent for r in ratings}
    return kind, Study(metadata=base.metadata, instrument=base.instrument, roles=base.roles,
                       respondents=[p for p in base.respondents if p.id in with_ratings],
                       ratings=ratings)


@TMP
@given(case=filled_studies(), lang=st.sampled_from(["da", "en"]))
def test_a_generated_study_typed_into_a_template_reads_back_the_same(
        tmp_path: Path, case: tuple[str, Study], lang: str) -> None:
    kind, study = case
    template = _valid(kind, study, lang)
    path = tmp_path / f"{kind}-{lang}.xlsx"
    path.unlink(missing_ok=True)
    write_template_workbook(template, path)
    fill(path, template, study)
    back = read_back(path)
    if kind == "balkort":  # a balkort template's study has the relationskort instrument
        study = Study(metadata=study.metadata, instrument="relationskort", roles=study.roles,
                      invitations=study.invitations)
    assert study_differences(study, back) == []


def test_relcoord_plugins_lists_the_template_writers(relcoord_host: Any) -> None:
    import json

    result = CliRunner().invoke(cli, ["plugins", "--json"])
    assert result.exit_code == 0, result.output
    by_name = {p["name"]: p for p in json.loads(result.stdout)["plugins"]}
    assert by_name["xlsx"]["templates"] == ["xlsx"]
    assert by_name["docx"]["templates"] == ["docx"]


def test_a_form_s_names_are_read_in_its_language_first(tmp_path: Path) -> None:
    """A group shown on a Danish form by a name that is another group's name in its plain
    (default) name reads back as the group the form showed: the form's language decides
    before any other name (a case Hypothesis found: roles named '1' and '1' with a Danish
    '0')."""
    import attrs

    example = load_example()
    first, second = example.roles[0], example.roles[1]
    roles = list(example.roles)
    roles[0] = attrs.evolve(first, names=(*first.names, ("da", first.name + "et")))
    roles[1] = attrs.evolve(second, name=first.name)
    ties = [NamedTie(t.source, t.target, t.wave) for t in example.ties]
    first_ratings: dict[tuple[str, str, str | None], Rating] = {}
    for r in example.ratings:  # a relationskort form holds one rating per tie
        first_ratings.setdefault((r.source, r.target, r.wave), Rating(
            source=r.source, target=r.target, wave=r.wave, scores=dict(r.scores)))
    study = Study(metadata=example.metadata, instrument=example.instrument, roles=roles,
                  ties=ties, ratings=[first_ratings[key] for key in
                                      sorted(first_ratings, key=str) if key[:2] in
                                      {(t.source, t.target) for t in ties}])
    template = template_of(study, "relationskort", "da")
    assert {r.label("da") for r in template.roles} >= {first.name, first.name + "et"}
    path = tmp_path / "relationskort-da.xlsx"
    write_template_workbook(template, path)
    fill(path, template, study)
    assert study_differences(study, read_back(path)) == []
