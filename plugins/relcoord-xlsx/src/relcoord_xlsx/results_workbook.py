"""The published results as a workbook an analyst opens in Excel (format ``xlsx``, writing).

One sheet per part of the results, in the report's language, each with its header row
frozen and its columns fitted to their content:

- the overview (the report's RC in figures) and the findings (each finding's title and
  sentence);
- the tie matrix: the RC of every tie, raters in the rows and targets in the columns by
  name, coloured by band with Excel's conditional formatting (below the weak bound red,
  up to the strong bound amber, from it green: the analysis's ``bands``);
- the function groups (the report's role table), the rated ties (the report's table of
  every tie), reliability (each of the report's reliability tables, one under the other)
  and the method's settings;
- then the study's facts that are not answers, as the CSV results folder holds them:
  ``study`` (key, value), ``roles``, ``ties`` and ``invitations``, which the importer
  reads back (the sheet names in the report's language; the importer knows both).

Everything comes from the analysis and the report model
([`relcoord.report.build_report`][relcoord.report.build_report]), so a figure the minimum-respondent
rule withheld stays empty, and no raw answer or respondent id is written.  Numbers are numbers with
number formats (`relcoord_xlsx.workbook_style`), so a Danish Excel shows decimal commas.  Without
an analysis only the facts are written.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from relcoord import messages
from relcoord.formats import FormatOption, parse_options
from relcoord.report import Paragraph, Section, Table, build_report
from relcoord.settings import LANGS
from relcoord_xlsx.workbook_style import (
    fit_widths,
    header_row,
    put,
    save_reproducibly,
    write_table,
)

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = ["BAND_FILLS", "XLSX_WRITE_OPTIONS", "write_results", "write_xlsx"]

#: The options of the xlsx exporter.
XLSX_WRITE_OPTIONS: Final = (
    FormatOption("lang", "language of the sheets", choices=LANGS,
                 shown_default="the analysis's language, else the study's"),
)
#: The fill of a matrix cell in each band: weak, moderate, strong.
BAND_FILLS: Final = {"weak": "F4C7C3", "moderate": "FCE8B2", "strong": "B7E1CD"}
_FORMAT_VERSION: Final = "1"


def _sheet(book: Workbook, key: str, lang: str) -> Worksheet:
    sheet: Worksheet = book.create_sheet(messages.text(f"workbook.sheet.{key}", lang)[:31])
    return sheet


def _section(report_sections: tuple[Section, ...], section_id: str) -> Section | None:
    return next((s for s in report_sections if s.id == section_id), None)


def _tables(section: Section | None) -> list[Table]:
    if section is None:
        return []
    found = [b for b in section.blocks if isinstance(b, Table)]
    for sub in section.subsections:
        found += _tables(sub)
    return found


def _single_table(book: Workbook, key: str, table: Table | None, lang: str) -> None:
    if table is None:
        return
    sheet = _sheet(book, key, lang)
    write_table(sheet, table, lang)
    sheet.freeze_panes = "B2"
    fit_widths(sheet)


def _findings(book: Workbook, section: Section | None, lang: str) -> None:
    sheet = _sheet(book, "findings", lang)
    header_row(sheet, 1, (messages.text("workbook.results.finding", lang),
                          messages.text("workbook.results.text", lang)))
    row = 2
    for sub in section.subsections if section is not None else ():
        lead = next((b.text for b in sub.blocks
                     if isinstance(b, Paragraph) and b.style == "lead"), "")
        put(sheet, row, 1, sub.title)
        put(sheet, row, 2, lead).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=1).alignment = Alignment(vertical="top")
        row += 1
    sheet.freeze_panes = "A2"
    fit_widths(sheet)
    sheet.column_dimensions["B"].width = 90


def _matrix(book: Workbook, analysis: Analysis, lang: str) -> None:
    """The RC of each tie, by band colour (conditional formatting)."""
    sheet = _sheet(book, "matrix", lang)
    study = analysis.study
    low, high = analysis.settings.bands
    note = messages.text("workbook.results.matrix_note", lang, low=messages.decimal(low, lang),
                         high=messages.decimal(high, lang))
    sheet.cell(row=1, column=1, value=note).font = Font(italic=True)
    roles = study.roles
    labels = [r.label(lang) for r in roles]
    header_row(sheet, 2, [messages.text("picture.rater", lang), *labels])
    rc = {(t["source"], t["target"]): t["rc"] for t in analysis.to_mapping()["ties"]}
    for i, rater in enumerate(roles, start=3):
        put(sheet, i, 1, labels[i - 3]).font = Font(bold=True)
        for j, target in enumerate(roles, start=2):
            put(sheet, i, j, rc.get((rater.id, target.id)), "number", lang)
    if roles:
        last = f"{get_column_letter(len(roles) + 1)}{len(roles) + 2}"
        area = f"B3:{last}"
        fills = {band: PatternFill("solid", fgColor=color, bgColor=color)
                 for band, color in BAND_FILLS.items()}
        first = "B3"  # formulas are relative to the area's first cell
        rules = (("weak", f"{first}<{low!r}"),
                 ("moderate", f"AND({first}>={low!r},{first}<{high!r})"),
                 ("strong", f"{first}>={high!r}"))
        for band, test in rules:  # ISNUMBER: an empty cell (not rated, withheld) stays white
            sheet.conditional_formatting.add(area, FormulaRule(
                formula=[f"AND(ISNUMBER({first}),{test})"], fill=fills[band]))
    sheet.freeze_panes = "B3"
    fit_widths(sheet, skip_rows=1)
    for column in range(2, len(roles) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = min(
            max(8, len(labels[column - 2]) + 2), 24)
    sheet.row_dimensions[2].height = 45
    for cell in sheet[2]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _stacked(book: Workbook, key: str, tables: list[Table], lang: str) -> None:
    if not tables:
        return
    sheet = _sheet(book, key, lang)
    row = 1
    for table in tables:
        row = write_table(sheet, table, lang, row, caption=True) + 1
    fit_widths(sheet)


def _facts(book: Workbook, study: Study, lang: str) -> None:
    """The study's facts that are not answers, as the importer reads them back."""
    def words(*keys: str) -> list[str]:
        return [messages.text(f"workbook.column.{k}", lang) for k in keys]

    meta = study.metadata
    instrument = study.instrument
    sheet = _sheet(book, "study", lang)
    header_row(sheet, 1, words("key", "value"))
    keys = [("relcoord", _FORMAT_VERSION), ("id", meta.id), ("title", meta.title),
            ("focal_process", meta.focal_process), ("language", meta.language),
            ("description", meta.description),
            ("instrument", instrument.id if instrument.builtin else f"custom:{instrument.id}")]
    for row, (key, value) in enumerate(keys, start=2):
        put(sheet, row, 1, key)
        put(sheet, row, 2, value)
    fit_widths(sheet)
    sheet = _sheet(book, "roles", lang)
    languages = sorted({code for role in study.roles for code, _ in role.names})
    name_word = messages.text("workbook.column.name", lang)
    header_row(sheet, 1, [*words("id", "name", "organisation", "present"),
                          *(f"{name_word}_{code}" for code in languages)])
    for row, role in enumerate(study.roles, start=2):
        put(sheet, row, 1, role.id)
        put(sheet, row, 2, role.name)
        put(sheet, row, 3, role.organisation)
        put(sheet, row, 4, role.present, "bool", lang)
        names = dict(role.names)
        for column, code in enumerate(languages, start=5):
            put(sheet, row, column, names.get(code))
    sheet.freeze_panes = "A2"
    fit_widths(sheet)
    sheet = _sheet(book, "ties", lang)
    header_row(sheet, 1, words("source", "target", "wave"))
    for row, tie in enumerate(study.ties, start=2):
        for column, cell in enumerate((tie.source, tie.target, tie.wave), start=1):
            put(sheet, row, column, cell)
    sheet.freeze_panes = "A2"
    fit_widths(sheet)
    sheet = _sheet(book, "invitations", lang)
    header_row(sheet, 1, [*words("source", "target", "topic"),
                          messages.text("report.status", lang), *words("wave")])
    for row, invitation in enumerate(study.invitations, start=2):
        status = messages.text(f"status.{invitation.status}", lang)
        for column, cell in enumerate((invitation.source, invitation.target,
                                       invitation.topic, status, invitation.wave), start=1):
            put(sheet, row, column, cell)
    sheet.freeze_panes = "A2"
    fit_widths(sheet)


def write_results(study: Study, analysis: Analysis | None, destination: Path, lang: str
                  ) -> None:
    """Write the results workbook (see the module docstring) in ``lang``."""
    book = Workbook()
    book.remove(book.active)
    if analysis is not None:
        report = build_report(analysis, lang)
        sections = report.sections
        overview = _tables(_section(sections, "overview"))
        _single_table(book, "overview", overview[0] if overview else None, lang)
        _findings(book, _section(sections, "findings"), lang)
        _matrix(book, analysis, lang)
        groups = _tables(_section(sections, "roles"))
        _single_table(book, "groups", groups[0] if groups else None, lang)
        appendix = _section(sections, "appendix")
        ties = next((t for s in (appendix.subsections if appendix else ())
                     if s.id == "appendix-ties" for t in _tables(s)), None)
        _single_table(book, "rated_ties", ties, lang)
        _stacked(book, "reliability", _tables(_section(sections, "reliability")), lang)
        method = _tables(_section(sections, "method"))
        _single_table(book, "method", method[0] if method else None, lang)
    _facts(book, study, lang)
    save_reproducibly(book, destination)


def write_xlsx(study: Study, analysis: Analysis | None, destination: Path,
               options: Mapping[str, Any]) -> None:
    """Write the published results as a workbook (format ``xlsx``); option ``lang``."""
    values = parse_options("xlsx", options, XLSX_WRITE_OPTIONS)
    lang: str = values["lang"] or (analysis.settings.lang if analysis is not None
                                   else study.metadata.language)
    if lang not in LANGS:
        lang = LANGS[0]
    write_results(study, analysis, destination, lang)
