"""The report's reliability and change sections, the privacy statement of the method
section, the change picture, and the DOCX renderer picking them up."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import pytest

from relcoord import messages
from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example
from relcoord.pictures import PICTURE_NAMES, render_pictures
from relcoord.report import Paragraph, PictureRef, Report, Table, build_report

WAVES = ("konference-1", "konference-3")


@cache
def example(**settings: Any) -> Analysis:
    return analyze(load_example(), **settings)


@cache
def compared() -> Analysis:
    return example(compare=WAVES, n_boot=300, min_respondents=3)


def table(report: Report, section_id: str, caption_key: str) -> Table:
    """The table of a section whose caption is the catalogue's ``report.<caption_key>``."""
    caption = messages.text(f"report.{caption_key}", report.lang)
    for candidate in report.section(section_id).tables():
        if candidate.caption == caption:
            return candidate
    raise AssertionError(f"no table {caption!r} in section {section_id!r}")


def notes(report: Report, section_id: str) -> str:
    return " ".join(b.text for b in report.section(section_id).blocks
                    if isinstance(b, Paragraph))


@pytest.mark.parametrize("lang", ["da", "en"])
def test_reliability_section_names_the_thresholds(lang: str) -> None:
    report = build_report(example(), lang)
    ids = [s.id for s in report.sections]
    assert ids.index("reliability") == ids.index("quality") + 1
    text = notes(report, "reliability")
    decimal = "0,70" if lang == "da" else ".70"
    assert f"alpha ≥ {decimal}" in text.replace("alfa", "alpha")
    assert f"r_wg(J) ≥ {decimal}" in text
    assert "ICC(1)" in text
    assert ("0,05" if lang == "da" else ".05") in text
    assert "LeBreton & Senter 2008" in text
    assert "Bliese 2000" in text


def test_reliability_tables_hold_the_analysis_numbers() -> None:
    analysis = example()
    report = build_report(analysis, "en")
    alpha = table(report, "reliability", "reliability.alpha_table")
    assert alpha.column("Alpha") == tuple(a.alpha for a in analysis.reliability.alpha.values())
    assert alpha.column("Meets it")[0] is True  # the example's RC alpha is about .90
    assert alpha.column("Alpha")[2] is None  # relationskort: no relationship items
    agreement = table(report, "reliability", "reliability.agreement_table")
    values = dict(zip(agreement.column("Measure"), agreement.column("Value"), strict=True))
    assert values["Tie-waves left out (fewer than 5 raters)"] == str(
        analysis.reliability_withheld)
    icc = table(report, "reliability", "reliability.icc_table")
    assert icc.rows[0][4] == analysis.reliability.icc.icc1
    # only ties with enough raters are listed
    weakest = table(report, "reliability", "reliability.weakest_table")
    assert all(isinstance(n, int) and n >= 5 for n in weakest.column("Raters"))


@pytest.mark.parametrize("group_size", ["mean_group_size", "k0"])
def test_icc_table_names_its_group_size(group_size: str) -> None:
    analysis = example(icc_group_size=group_size)
    report = build_report(analysis, "en")
    icc = table(report, "reliability", "reliability.icc_table")
    header = {"mean_group_size": "k (N/G)", "k0": "k0"}[group_size]
    assert icc.header[3] == header
    assert icc.rows[0][3] == analysis.reliability.icc.k
    assert "typically lies" not in (icc.note or "")
    assert ("N/G" in (icc.note or "")) == (group_size == "mean_group_size")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_reliability_section_shows_the_srm_variance_shares(lang: str) -> None:
    from relcoord.analysis_result import SRM_SHARES, srm_variance_shares

    analysis = example()
    assert analysis.srm is not None
    srm = table(build_report(analysis, lang), "reliability", "reliability.srm_table")
    shares = srm_variance_shares(analysis.srm)
    assert list(srm.rows) == [
        (messages.text(f"report.reliability.srm.{name}", lang), shares[name])
        for name in SRM_SHARES]
    assert sum(float(row[1] or 0.0) for row in srm.rows) == pytest.approx(1.0)


def test_no_srm_table_without_a_model() -> None:
    import attrs

    report = build_report(attrs.evolve(example(), srm=None), "en")
    caption = messages.text("report.reliability.srm_table", "en")
    assert caption not in [t.caption for t in report.section("reliability").tables()]


def test_method_section_states_min_respondents() -> None:
    report = build_report(example(), "en")
    settings = report.section("method").tables()[0]
    values = dict(zip(settings.column("Setting"), settings.column("Value"), strict=True))
    assert values["Minimum respondents per shown figure"] == "5"
    text = notes(report, "method")
    assert "at least 5 respondents (min_respondents = 5)" in text
    assert "min_respondents_override" not in text


@pytest.mark.parametrize("lang", ["da", "en"])
def test_method_section_states_the_override(lang: str) -> None:
    analysis = example(min_respondents=2, min_respondents_override=True)
    report = build_report(analysis, lang)
    settings = report.section("method").tables()[0]
    values = dict(zip(settings.column(settings.header[0]), settings.column(settings.header[1]),
                      strict=True))
    value = values[messages.text("report.min_respondents", lang)]
    assert isinstance(value, str)
    assert value.startswith("2 (")
    text = notes(report, "method")
    assert "min_respondents_override" in text
    assert ("under de 3" if lang == "da" else "below the 3") in text


def test_no_change_section_without_a_comparison() -> None:
    report = build_report(example(), "en")
    assert "change" not in [s.id for s in report.sections]
    assert "change" not in report.picture_names
    assert "change" not in render_pictures(example(), "en")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_change_section_and_picture(lang: str) -> None:
    analysis = compared()
    change = analysis.change
    assert change is not None
    assert change.ties
    report = build_report(analysis, lang)
    ids = [s.id for s in report.sections]
    assert ids[ids.index("reliability") + 1] == "change"
    section = report.section("change")
    assert WAVES[0] in section.title
    assert WAVES[1] in section.title
    refs = [b for b in section.blocks if isinstance(b, PictureRef)]
    assert [(p.name, p.caption) for p in refs] == [
        ("change", messages.text("report.change.caption", lang))]
    assert refs[0].alt  # what it shows, in words
    ties = table(report, "change", "change.ties_table")
    assert len(ties.rows) == len(change.ties)
    column = messages.section("report.change", lang)
    # listed by rater and target name: the same values as the Analysis's
    assert sorted(map(str, ties.column(column["delta"]))) == sorted(
        str(t.rc.change) for t in change.ties)
    assert sorted(map(str, ties.column(column["mdc"]))) == sorted(
        str(t.rc.mdc) for t in change.ties)
    assert all(isinstance(v, str) and v.startswith("[")
               for v in ties.column(column["interval"]))
    network = table(report, "change", "change.network_table")
    assert network.rows[0][3] == change.network.change
    arrows = table(report, "change", "change.arrows_table")
    assert len(arrows.rows) == (len(change.arrows.gained) + len(change.arrows.lost)
                                + len(change.arrows.reversed))
    text = notes(report, "change")
    assert "300" in text
    assert str(change.seed) in text
    assert str(len(analysis.change_left_out)) in text
    pictures = render_pictures(analysis, lang)
    assert tuple(pictures) == PICTURE_NAMES
    assert set(report.picture_names) == set(pictures)


def test_method_section_states_the_comparison() -> None:
    settings = build_report(compared(), "en").section("method").tables()[0]
    values = dict(zip(settings.column("Setting"), settings.column("Value"), strict=True))
    assert values["Waves compared"] == "konference-1 → konference-3"
    assert values["Bootstrap of the change"] == "300 replicates, seed 20190101"


def test_docx_renders_the_new_sections() -> None:
    docx = pytest.importorskip("docx")
    render = pytest.importorskip("relcoord_docx.render")
    plugin = pytest.importorskip("relcoord_docx.plugin")
    analysis = compared()
    report = build_report(analysis, "da")
    buffer = io.BytesIO()
    render.render_docx(report, plugin.report_pictures_png(analysis, "da", 60), buffer)
    document = docx.Document(io.BytesIO(buffer.getvalue()))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [s.title for s in report.sections]
    assert "Pålidelighed og enighed" in headings
    assert report.section("change").title in headings
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert messages.text("report.reliability.alpha_table", "da") in captions
    assert messages.text("report.change.caption", "da") in captions
    assert len(document.inline_shapes) == len(report.picture_names)
    texts = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "r_wg(J)" in texts
