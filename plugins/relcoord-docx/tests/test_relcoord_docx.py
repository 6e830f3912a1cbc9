"""The DOCX report, read back: with python-docx (headings, tables holding the Analysis's
numbers, pictures, both languages, 60 roles, control characters) and with pandoc, an
independent reader (skipped only when pandoc is not installed)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import attrs
import numpy as np
import pytest
from click.testing import CliRunner
from docx import Document

from relcoord.analysis import Analysis, analyze
from relcoord.cli import cli
from relcoord.errors import InvalidInputError
from relcoord.example import load_example
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.plugins import PluginHost
from relcoord.ratings import Rating
from relcoord.report import build_report, format_cell
from relcoord_docx import render_docx, report_pictures_png, xml_text

_RC7 = ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
        "shared_knowledge", "mutual_respect")


@cache
def example_analysis(lang: str = "en") -> Analysis:
    return analyze(load_example(), lang=lang)


@cache
def example_docx(lang: str) -> bytes:
    """The example's report written by the registered ``docx`` exporter."""
    analysis = example_analysis(lang)
    folder = Path(__import__("tempfile").mkdtemp())
    PluginHost().write(analysis.study, folder / "report.docx", format="docx",
                       analysis=analysis, options={"dpi": "72"})
    return (folder / "report.docx").read_bytes()


def styled(document: object, style: str) -> list[str]:
    return [p.text for p in document.paragraphs  # type: ignore[attr-defined]
            if p.style is not None and p.style.name == style]


def table_with(document: object, heading: str) -> list[list[str]]:
    """The first table whose header row holds ``heading``, as rows of cell texts."""
    for table in document.tables:  # type: ignore[attr-defined]
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if heading in rows[0]:
            return rows
    raise AssertionError(f"no table with a column {heading!r}")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_headings_follow_the_report(lang: str) -> None:
    document = Document(io.BytesIO(example_docx(lang)))
    report = build_report(example_analysis(lang), lang)
    assert styled(document, "Title") == [report.title]
    assert styled(document, "Heading 1") == [s.title for s in report.sections]
    level_two = [s.title for level, s in report.walk() if level == 2]
    assert styled(document, "Heading 2") == level_two
    assert len(level_two) >= len(example_analysis(lang).findings)


def test_language_switch_changes_the_text() -> None:
    da = Document(io.BytesIO(example_docx("da")))
    en = Document(io.BytesIO(example_docx("en")))
    assert "Fund" in styled(da, "Heading 1")
    assert "Findings" in styled(en, "Heading 1")
    da_text = "\n".join(p.text for p in da.paragraphs)
    en_text = "\n".join(p.text for p in en.paragraphs)
    for finding in example_analysis("da").findings:
        assert finding.text["da"] in da_text
        assert finding.text["en"] in en_text
        assert finding.text["da"] not in en_text


def test_role_table_holds_the_analysis_numbers() -> None:
    analysis = example_analysis("en")
    rows = table_with(Document(io.BytesIO(example_docx("en"))), "RC as target")
    header, body = rows[0], rows[1:]
    assert [r[0] for r in body] == [s.role.label("en") for s in analysis.roles]
    arrows_in = header.index("Arrows in")
    target = header.index("RC as target")
    assert [r[arrows_in] for r in body] == [str(s.in_degree) for s in analysis.roles]
    assert [r[target] for r in body] == [
        format_cell(s.rc_as_target, "number", "en") for s in analysis.roles
    ]


def test_danish_characters_and_numbers_survive() -> None:
    document = Document(io.BytesIO(example_docx("da")))
    rows = table_with(document, "RC som vurderet")
    names = [r[0] for r in rows[1:]]
    assert "Pædagogisk Psykologisk Rådgivning (PPR)" in names
    overall = example_analysis("da").scores.overall.rc
    assert overall is not None
    assert f"{overall:.2f}".replace(".", ",") in "\n".join(p.text for p in document.paragraphs)


def test_pictures_are_embedded_and_toc_field_present() -> None:
    document = Document(io.BytesIO(example_docx("en")))
    assert len(document.inline_shapes) == 4
    content_types = {p.content_type for p in document.part.package.parts}
    assert "image/png" in content_types
    xml = document.element.xml
    assert re.search(r"<w:instrText[^>]*>TOC ", xml)
    assert "Light List Accent 1" in [t.style.name for t in document.tables if t.style]


def test_control_characters_are_cleaned(tmp_path: Path) -> None:
    study = load_example()
    first = study.roles[0]
    renamed = attrs.evolve(first, name="Praktik\x01center\x0b (\x1fA)", names={})
    analysis = analyze(attrs.evolve(study, roles=[renamed, *study.roles[1:]]), lang="da")
    PluginHost().write(analysis.study, tmp_path / "r.docx", format="docx", analysis=analysis,
                       options={"dpi": "72"})
    text = "\n".join(cell.text for table in Document(str(tmp_path / "r.docx")).tables
                     for row in table.rows for cell in row.cells)
    assert "Praktikcenter (A)" in text
    assert xml_text("a\x00b\ud800c\ufffe") == "abc"
    assert xml_text("tab\tand\nline æøå") == "tab\tand\nline æøå"


def large_study(n_roles: int = 60) -> Study:
    """60 roles with long Danish names, two respondents per present role rating six roles."""
    rng = np.random.default_rng(11)
    roles = [
        Role(id=f"r{i:02d}", organisation=("school", "municipality", "region")[i % 3],
             name=f"Specialpædagogisk støtte og vejledning på erhvervsskolen, afdeling {i}",
             present=i % 5 != 4)
        for i in range(n_roles)
    ]
    respondents = [Respondent(f"p{r.id}{k}", r.id) for r in roles if r.present
                   for k in range(2)]
    ratings = [
        Rating(source=p.role, target=roles[int(t)].id, respondent=p.id,
               scores={k: float(rng.integers(1, 6)) for k in _RC7})
        for p in respondents for t in rng.choice(n_roles, size=6, replace=False)
    ]
    return Study(metadata=Metadata(id="stor", title="Stor undersøgelse"), instrument="rc7",
                 roles=roles, respondents=respondents, ratings=ratings)


def test_60_roles_with_long_names_render() -> None:
    analysis = analyze(large_study())
    report = build_report(analysis, "da")
    buffer = io.BytesIO()
    render_docx(report, report_pictures_png(analysis, "da", 30), buffer)
    document = Document(io.BytesIO(buffer.getvalue()))
    rows = table_with(document, "RC som vurderet")
    assert len(rows) == 61
    assert len(document.inline_shapes) == len(report.picture_names)


def test_bad_options_are_refused(tmp_path: Path) -> None:
    analysis = example_analysis("en")
    host = PluginHost()
    with pytest.raises(InvalidInputError, match="table_style"):
        host.write(analysis.study, tmp_path / "a.docx", format="docx", analysis=analysis,
                   options={"table_style": "No Such Style", "dpi": "72"})
    with pytest.raises(InvalidInputError, match="lang"):
        host.write(analysis.study, tmp_path / "a.docx", format="docx", analysis=analysis,
                   options={"lang": "sv"})
    assert not (tmp_path / "a.docx").exists()


def test_export_command_writes_docx(tmp_path: Path) -> None:
    source = tmp_path / "study.json"
    source.write_bytes(load_example_bytes())
    result = CliRunner().invoke(cli, ["export", str(source), "--to", "docx", "-o",
                                      str(tmp_path / "out.docx"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Findings" in styled(Document(str(tmp_path / "out.docx")), "Heading 1")


def load_example_bytes() -> bytes:
    from relcoord.example import example_text

    return example_text().encode("utf-8")


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_report(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(example_docx("da"))
    result = subprocess.run(["pandoc", str(path), "-t", "plain", "--wrap=none"],
                            capture_output=True, text=True, check=True, timeout=120)
    text = result.stdout
    analysis = example_analysis("da")
    for heading in ("Fund", "Netværkskort", "Funktionsgrupper", "Metode og indstillinger"):
        assert heading in text
    for finding in analysis.findings:
        assert finding.text["da"] in text
    assert "Pædagogisk Psykologisk Rådgivning (PPR)" in text
    assert "Undervisere" in text
