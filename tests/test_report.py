"""The report model: a section per finding, the method settings, both languages, and
tables that hold exactly the Analysis's numbers."""

from __future__ import annotations

from functools import cache
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord import messages
from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example
from relcoord.report import (
    MISSING,
    Paragraph,
    PictureRef,
    Report,
    Section,
    Table,
    build_report,
    format_cell,
)
from relcoord.report_findings import READING_ORDER
from relcoord.settings import InvalidSettingsError
from relcoord.testing.strategies import studies


@cache
def example_analysis(**settings: Any) -> Analysis:
    """The embedded example, analysed (cached per settings)."""
    return analyze(load_example(), **settings)


def table(report: Report, section_id: str, caption_key: str) -> Table:
    """The table of a section whose caption is the phrase ``caption_key``."""
    caption = messages.text(f"report.{caption_key}", report.lang)
    for candidate in report.section(section_id).tables():
        if candidate.caption == caption:
            return candidate
    raise AssertionError(f"no table {caption!r} in section {section_id!r}")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_one_section_per_finding_in_order(lang: str) -> None:
    """Every finding once, what works first (READING_ORDER), each with its own text."""
    analysis = example_analysis()
    report = build_report(analysis, lang)
    subsections = report.section("findings").subsections
    assert len(subsections) == len(analysis.findings) > 0
    ordered = sorted(analysis.findings, key=lambda f: READING_ORDER.index(f.kind))
    for section, finding in zip(subsections, ordered, strict=True):
        assert section.id.endswith(finding.kind)
        lead = section.blocks[0]
        assert isinstance(lead, Paragraph)
        assert lead.text == finding.text[lang]


def test_sections_in_reading_order() -> None:
    report = build_report(example_analysis(), "en")
    assert [s.id for s in report.sections] == [
        "overview", "findings", "network", "scores", "profiles", "roles", "invitations",
        "contacts", "groups", "quality", "reliability", "method", "appendix",
    ]
    assert report.picture_names == ("network", "heatmap", "profiles", "invitations")


def test_method_section_states_every_setting() -> None:
    analysis = example_analysis(weighting="tie", min_items=3, bands=(3.0, 4.5),
                                min_respondents=4)
    settings = table(build_report(analysis, "en"), "method", "settings_table")
    values = dict(zip(settings.column("Setting"), settings.column("Value"), strict=True))
    assert values["Weighting"] == "By tie (every tie's mean counts once)"
    assert values["Minimum items per respondent-tie"] == "3"
    assert values["Minimum respondents per shown figure"] == "4"
    assert values["Bands (weak below, strong above)"] == "3.00 / 4.50"
    assert values["Instrument"] == load_example().instrument.title  # a name, not an id
    assert values["Degrees count"] == "named arrows"


def test_default_min_items_rule_is_named() -> None:
    settings = table(build_report(example_analysis(), "da"), "method", "settings_table")
    values = dict(zip(settings.column("Indstilling"), settings.column("Værdi"), strict=True))
    # relationskort has 4 items: the default rule asks for ceil(5/7 * 4) = 3.
    assert values["Mindste antal svar pr. vurdering"] == "3 (standardregel)"


def test_language_switch_changes_text_not_structure() -> None:
    analysis = example_analysis()
    da, en = build_report(analysis, "da"), build_report(analysis, "en")
    assert [s.id for s in da.sections] == [s.id for s in en.sections]
    # the same sections; the groups' pages follow each language's alphabetical order
    assert sorted(s.id for _, s in da.walk()) == sorted(s.id for _, s in en.walk())
    assert [s.title for _, s in da.walk()] != [s.title for _, s in en.walk()]
    assert da.section("findings").title == "Fund"
    assert en.section("findings").title == "Findings"
    roles_da = table(da, "roles", "role_table")
    roles_en = table(en, "roles", "role_table")
    assert roles_da.rows != roles_en.rows  # role names and organisations are translated
    # the same numbers, listed by name in each language
    assert sorted(map(str, roles_da.column("Pile ind"))) == sorted(
        map(str, roles_en.column("Arrows in")))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_role_table_holds_the_analysis_numbers(lang: str) -> None:
    """One row per role, by name in the report's language, with the Analysis's numbers."""
    analysis = example_analysis()
    roles = table(build_report(analysis, lang), "roles", "role_table")
    ordered = sorted(analysis.roles, key=lambda r: messages.sort_key(r.role.label(lang), lang))
    words = messages.section("report", lang)
    assert roles.column(words["role"]) == tuple(r.role.label(lang) for r in ordered)
    assert roles.column(words["in"]) == tuple(r.in_degree for r in ordered)
    assert roles.column(words["out"]) == tuple(r.out_degree for r in ordered)
    assert roles.column(words["rc_target"]) == tuple(r.rc_as_target for r in ordered)
    reciprocity = {m.role: m.reciprocity for m in analysis.network.roles}
    assert roles.column(words["reciprocity"]) == tuple(reciprocity[r.id] for r in ordered)


def test_roles_are_sorted_the_danish_way() -> None:
    """Æ, Ø and Å come after Z in Danish; English reads Å as A."""
    from relcoord.testing.surveys import care_study

    analysis = analyze(care_study(40))
    da = table(build_report(analysis, "da"), "roles", "role_table").column("Gruppe")
    assert da[-3:] == ("Ældrerådet", "Øjenlæger", "Åben Dialog-teamet")
    en = table(build_report(analysis, "en"), "roles", "role_table").column("Role")
    assert list(en) == sorted(en, key=lambda name: str(name).casefold())


def test_tie_table_holds_every_tie() -> None:
    """The appendix lists every tie, by rater and target name."""
    analysis = example_analysis()
    ties = table(build_report(analysis, "en"), "appendix-ties", "tie_table")
    assert len(ties.rows) == len(analysis.scores.ties)
    label = {r.id: r.label("en") for r in analysis.study.roles}
    by_pair = {(label[t.source], label[t.target]): t for t in analysis.scores.ties}
    for row in ties.rows:
        tie = by_pair[(str(row[0]), str(row[1]))]
        assert row[3] == tie.rc
        assert row[6] == tie.gap


def test_a_large_study_sends_its_ties_to_the_results_tables() -> None:
    from relcoord.report_appendix import APPENDIX_ROWS
    from relcoord.testing.surveys import care_study

    analysis = analyze(care_study(40))
    assert len(analysis.scores.ties) > APPENDIX_ROWS
    report = build_report(analysis, "en")
    assert not report.section("appendix-ties").tables()
    assert "tie_metrics.csv" in report.section("appendix-ties").blocks[0].text  # type: ignore[union-attr]
    body = report.section("scores").tables()
    assert [len(t.rows) for t in body[1:]] == [8, 8]  # the strongest and the weakest


def test_rc_table_and_quality_counts() -> None:
    analysis = example_analysis()
    report = build_report(analysis, "en")
    rc = table(report, "overview", "rc_table")
    assert rc.rows[0][1] == analysis.scores.overall.rc
    assert rc.rows[4][1] == analysis.scores.organisations.external.rc
    counts = table(report, "quality", "counts_table")
    values = dict(zip(counts.column("Measure"), counts.column("Count"), strict=True))
    assert values["Ratings"] == len(analysis.study.ratings)
    assert values["Respondents"] == len(analysis.study.respondents)
    parts = ("Ratings withheld (fewer than the minimum respondents)", "Ratings counted",
             "Ratings left out (too few items)")
    assert sum(int(str(values[p])) for p in parts) == len(analysis.study.ratings)
    absent = report.section("named-but-absent").blocks[0]
    assert len(absent.items) == len(analysis.named_but_absent)  # type: ignore[union-attr]


def test_study_without_invitations_has_no_invitation_picture() -> None:
    study = attrs.evolve(load_example(), invitations=())
    report = build_report(analyze(study), "en")
    assert "invitations" not in report.picture_names
    blocks = report.section("invitations").blocks
    assert blocks == (Paragraph(messages.text("report.no_invitations", "en")),)


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidSettingsError, match="lang"):
        build_report(example_analysis(), "de")


def test_with_section_extends_the_report() -> None:
    report = build_report(example_analysis(), "en")
    extra = Section("reliability", "Reliability", (Paragraph("alpha"),))
    assert report.with_section(extra).sections[-1] == extra
    placed = report.with_section(extra, after="scores")
    assert [s.id for s in placed.sections][3:5] == ["scores", "reliability"]
    with pytest.raises(KeyError):
        report.with_section(extra, after="nowhere")


def test_table_refuses_ragged_rows() -> None:
    with pytest.raises(ValueError, match="row 2 has 1 cells"):
        Table("t", ("a", "b"), ("text", "int"), [("x", 1), ("y",)])
    with pytest.raises(ValueError, match="kinds"):
        Table("t", ("a", "b"), ("text",), [])


def test_format_cell() -> None:
    assert format_cell(None, "number", "da") == MISSING
    assert format_cell(float("nan"), "number", "en") == MISSING
    assert format_cell(3.456, "number", "da") == "3,46"
    assert format_cell(3.456, "number", "en") == "3.46"
    assert format_cell(0.425, "percent", "da") == "42\N{NO-BREAK SPACE}%"
    assert format_cell(0.5, "percent", "en") == "50%"
    assert format_cell(True, "bool", "da") == "ja"
    assert format_cell(7, "int", "en") == "7"
    assert format_cell("Læsevejledere", "text", "da") == "Læsevejledere"


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_danish_numbers_differ_only_by_the_decimal_comma(value: float) -> None:
    assert format_cell(value, "number", "da") == format_cell(value, "number", "en").replace(
        ".", ","
    )


@given(studies(max_roles=6))
def test_any_study_gives_a_consistent_report(study: object) -> None:
    analysis = analyze(study)  # type: ignore[arg-type]
    for lang in ("da", "en"):
        report = build_report(analysis, lang)
        assert len(report.section("findings").subsections) == len(analysis.findings)
        for _, section in report.walk():
            for block in section.blocks:
                if isinstance(block, Table):
                    assert all(len(row) == len(block.header) for row in block.rows)
                if isinstance(block, PictureRef):
                    assert block.name in ("network", "heatmap", "profiles", "invitations")
        roles = table(report, "roles", "role_table")
        assert len(roles.rows) == len(analysis.roles)


def test_counts_are_counts_and_shares_percentages() -> None:
    """A key holding "rate" is not a rate: ``rated_ties`` is a count (issue 12's "6400%")."""
    from relcoord.report_findings import figure_kind

    assert figure_kind("rated_ties", [64]) == "int"
    assert figure_kind("n_rated_ties", [7, 2]) == "int"
    assert figure_kind("weak_share", [0.5]) == "percent"
    assert figure_kind("acceptance_rate", [0.8]) == "percent"
