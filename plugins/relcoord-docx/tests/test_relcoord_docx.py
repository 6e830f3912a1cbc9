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
from typing import Any

import attrs
import numpy as np
import pytest
from click.testing import CliRunner
from docx import Document

from relcoord import messages
from relcoord.analysis import Analysis, analyze
from relcoord.cli import cli
from relcoord.errors import InvalidInputError
from relcoord.example import load_example
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.plugins import PluginHost
from relcoord.ratings import Rating
from relcoord.report import build_report, format_cell
from relcoord.settings import Lang
from relcoord_docx import render_docx, report_pictures_png, xml_text

_RC7 = ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
        "shared_knowledge", "mutual_respect")


@cache
def example_analysis(lang: Lang = "en") -> Analysis:
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
    ordered = sorted(analysis.roles, key=lambda s: messages.sort_key(s.role.label("en"), "en"))
    assert [r[0] for r in body] == [s.role.label("en") for s in ordered]
    arrows_in = header.index("Arrows in")
    target = header.index("RC as target")
    assert [r[arrows_in] for r in body] == [str(s.in_degree) for s in ordered]
    assert [r[target] for r in body] == [
        format_cell(s.rc_as_target, "number", "en") for s in ordered
    ]


def test_danish_characters_and_numbers_survive() -> None:
    document = Document(io.BytesIO(example_docx("da")))
    rows = table_with(document, "RC som vurderet")
    names = [r[0] for r in rows[1:]]
    assert "Pædagogisk Psykologisk Rådgivning (PPR)" in names
    overall = example_analysis("da").scores.overall.rc
    assert overall is not None
    assert f"{overall:.2f}".replace(".", ",") in "\n".join(p.text for p in document.paragraphs)


def test_pictures_are_embedded_with_alt_text() -> None:
    document = Document(io.BytesIO(example_docx("en")))
    assert len(document.inline_shapes) == 4
    content_types = {p.content_type for p in document.part.package.parts}
    assert "image/png" in content_types
    for shape in document.inline_shapes:
        description = shape._inline.docPr.get("descr")
        assert description
        assert len(description) > 40  # words, not a file name
    assert "Light List Accent 1" in [t.style.name for t in document.tables if t.style]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_contents_list_the_headings_with_page_fields(lang: str) -> None:
    """The contents hold every heading of levels 1 and 2, each a link to its bookmark with
    a PAGEREF field, inside Word's "Table of Contents" content control."""
    document = Document(io.BytesIO(example_docx(lang)))
    report = build_report(example_analysis(lang), lang)
    xml = document.element.xml
    assert "Table of Contents" in xml
    headings = [s.title for level, s in report.walk() if level <= 2]
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    entries = ["".join(t.text or "" for t in p.iter(f"{w}t"))
               for p in document.element.body.iter(f"{w}p")
               if p.find(f"{w}pPr/{w}pStyle") is not None
               and p.find(f"{w}pPr/{w}pStyle").get(f"{w}val") in ("TOC1", "TOC2")]
    assert entries == headings
    anchors = re.findall(r'w:anchor="(_Toc\d+)"', xml)
    pages = re.findall(r"PAGEREF (_Toc\d+)", xml)
    marks = re.findall(r'w:bookmarkStart [^>]*w:name="(_Toc\d+)"', xml)
    assert anchors == pages == marks
    assert len(anchors) == len(headings)


def test_document_properties_are_the_report_s() -> None:
    import datetime

    document = Document(io.BytesIO(example_docx("da")))
    properties = document.core_properties
    assert properties.title == build_report(example_analysis("da"), "da").title
    assert properties.language == "da-DK"
    assert properties.created is not None
    assert properties.created.year >= datetime.datetime.now(datetime.UTC).year - 1
    fonts = set(re.findall(r'w:ascii="([^"]+)"', document.styles.element.xml))
    assert fonts == {"Arial"}


def test_columns_fit_their_content() -> None:
    """No column is narrower than its longest word, and the table fits the page."""
    from relcoord_docx.render import TEXT_WIDTH
    from relcoord_docx.tables import column_widths

    header = ["Gruppe", "Organisation", "Til stede", "Deltagere"]
    rows = [["Udskrivningskoordinatorer", "Sygehus", "ja", "12"],
            ["Akutteamet", "Kommune", "nej", "3"]]
    size, widths = column_widths(header, rows, 9.0, TEXT_WIDTH,
                                 numeric=[False, False, False, True])
    assert size == 9.0
    assert sum(widths) <= TEXT_WIDTH + 1e-9
    assert widths[0] > widths[3]  # the long name gets room
    assert widths[0] >= len("Udskrivningskoordinatorer") * 0.53 * 9 / 28.35
    many = [f"Kolonne{i}" for i in range(14)]
    size, widths = column_widths(many, [["4,25"] * 14], 9.0, TEXT_WIDTH, numeric=[True] * 14)
    assert size < 9.0
    assert sum(widths) <= TEXT_WIDTH + 1e-9


def test_written_at_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from relcoord_docx.render import written_at

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")
    assert written_at().isoformat() == "2020-01-01T00:00:00+00:00"


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


def group_sheet(tmp_path: Path, **options: str) -> Any:
    analysis = example_analysis("da")
    path = tmp_path / "sheet.docx"
    PluginHost().write(analysis.study, path, format="docx", analysis=analysis,
                       options={"dpi": "72", **options})
    return Document(str(path))


def test_one_group_s_sheet(tmp_path: Path) -> None:
    document = group_sheet(tmp_path, group="teachers")
    assert styled(document, "Title") == ["Undervisere"]
    assert styled(document, "Heading 1") == ["Gruppens plads i netværket"]
    assert not document.inline_shapes
    assert "Table of Contents" not in document.element.xml
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Til drøftelse" in text
    assert messages.text("report.reading.caveat_short", "da") in text
    rows = table_with(document, "Deres vurdering af gruppen")
    assert len(rows) > 5


def test_every_group_s_sheet_and_the_contact_guide(tmp_path: Path) -> None:
    analysis = example_analysis("da")
    present = [r for r in analysis.study.roles if r.present]
    document = group_sheet(tmp_path, part="groups")
    headings = styled(document, "Heading 1")
    assert sorted(headings) == sorted(r.label("da") for r in present)
    breaks = document.element.xml.count("<w:pageBreakBefore/>")
    assert breaks == len(present) - 1
    guide = group_sheet(tmp_path, part="contact-guide")
    assert styled(guide, "Title") == ["Hvem kontakter jeg?"]
    rows = table_with(guide, "Aftalte dialoger")
    assert [r[0] for r in rows[1:]] == sorted(
        (r.label("da") for r in present), key=lambda n: messages.sort_key(n, "da"))


def test_bad_options_are_refused(tmp_path: Path) -> None:
    analysis = example_analysis("en")
    host = PluginHost()
    with pytest.raises(InvalidInputError, match="table_style"):
        host.write(analysis.study, tmp_path / "a.docx", format="docx", analysis=analysis,
                   options={"table_style": "No Such Style", "dpi": "72"})
    with pytest.raises(InvalidInputError, match="lang"):
        host.write(analysis.study, tmp_path / "a.docx", format="docx", analysis=analysis,
                   options={"lang": "sv"})
    with pytest.raises(InvalidInputError, match="part"):
        host.write(analysis.study, tmp_path / "a.docx", format="docx", analysis=analysis,
                   options={"part": "everything"})
    with pytest.raises(InvalidInputError, match=r"'nobody'.*teachers"):
        host.write(analysis.study, tmp_path / "a.docx", format="docx", analysis=analysis,
                   options={"group": "teachers,nobody"})
    with pytest.raises(InvalidInputError, match="part=groups"):
        host.write(analysis.study, tmp_path / "a.docx", format="docx", analysis=analysis,
                   options={"group": "teachers", "part": "contact-guide"})
    assert not (tmp_path / "a.docx").exists()


def test_export_command_writes_one_group_s_sheet(tmp_path: Path) -> None:
    source = tmp_path / "study.json"
    source.write_bytes(load_example_bytes())
    result = CliRunner().invoke(cli, ["export", str(source), "--to", "docx", "-o",
                                      str(tmp_path / "teachers.docx"), "-O", "group=teachers",
                                      "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert styled(Document(str(tmp_path / "teachers.docx")), "Title") == ["Teachers"]


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
