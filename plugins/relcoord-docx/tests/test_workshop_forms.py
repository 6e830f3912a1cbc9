"""Printable workshop forms (``relcoord template ... -o forms.docx``), read back with
python-docx: a page per function group listing the other groups with boxes to tick, in
the chosen language, with each item's answers under the table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document

from relcoord import messages
from relcoord.cli import cli
from relcoord.example import load_example
from relcoord.formats.csv.exporters import study_tables
from relcoord.formats.csv.profiles import PROFILES
from relcoord.formats.workshop_template import WorkshopTemplate, answer_labels
from relcoord_docx.workshop_forms import BOX, workshop_forms, write_workshop_forms


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("kind", ["relationskort", "balkort", "survey"])
def test_a_page_per_group_listing_the_others(tmp_path: Path, kind: str, lang: str) -> None:
    roles = load_example().roles
    template = WorkshopTemplate.of(kind, roles, lang)
    path = tmp_path / "forms.docx"
    write_workshop_forms(template, path)
    document = Document(str(path))
    assert len(document.tables) == len(roles)
    for table, role in zip(document.tables, roles, strict=True):
        listed = [row.cells[0].text for row in table.rows[1:]]
        assert listed == [r.label(lang) for r in roles if r.id != role.id]
        if kind != "survey":
            assert all(row.cells[1].text == BOX for row in table.rows[1:])
    headings = [p.text for p in document.paragraphs
                if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [template.text(f"form.{kind}", group=r.label(lang)) for r in roles]
    breaks = sum(1 for p in document.paragraphs if p.paragraph_format.page_break_before)
    xml = document.element.xml
    assert breaks + xml.count('w:type="page"') >= len(roles) - 1
    if kind == "survey":
        first_item = template.items[0]
        text = "\n".join(p.text for p in document.paragraphs)
        assert ", ".join(f"{n} {a}" for n, a in enumerate(answer_labels(first_item, lang),
                                                          start=1)) in text


def test_the_forms_report_has_no_contents_and_one_section_per_group() -> None:
    roles = load_example().roles
    report = workshop_forms(WorkshopTemplate.of("balkort", roles, "da"))
    assert not report.contents
    assert [s.new_page for s in report.sections] == [False] + [True] * (len(roles) - 1)
    assert report.title == messages.text("workbook.form.title", "da")


def test_relcoord_template_writes_the_printable_twin(tmp_path: Path,
                                                     relcoord_host: Any) -> None:
    roles = tmp_path / "roles.csv"
    roles.write_bytes(study_tables(load_example(), PROFILES["plain"])["roles.csv"])
    out = tmp_path / "forms.docx"
    result = CliRunner().invoke(cli, ["template", "--roles", str(roles), "--kind",
                                      "relationskort", "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(Document(str(out)).tables) == len(load_example().roles)
