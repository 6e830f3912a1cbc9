"""Workshop templates as data-entry workbooks (``relcoord template ... -o workshop.xlsx``).

The workbook a facilitator types a workshop's paper forms into, for a
[`WorkshopTemplate`][relcoord.formats.workshop_template.WorkshopTemplate]:

1. an instructions sheet in the template's language;
2. the entry sheet: one row per arrow (relationskort), invitation (balkort) or respondent
   and group rated (survey), its header frozen; the groups, answers and statuses are
   picked from drop-down lists (Excel's data validation), and Excel refuses anything else
   as it is typed, with a message saying what to do;
3. the roles sheet (the groups' ids, names, organisations and presence, as the roles
   table had them), a hidden ``study`` sheet (the study's id, language and instrument)
   and a hidden sheet with the drop-down lists.

The filled workbook reads back with this plugin's importer
(`relcoord_xlsx.workbook_import`): the entry sheet's header is made of words the
column aliases know, groups come back as their ids through the roles sheet and answers
as positions through the instrument's labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from relcoord.formats.workshop_template import WorkshopTemplate, answer_labels
from relcoord_xlsx.workbook_style import fit_widths, header_row, put, save_reproducibly

__all__ = ["ENTRY_ROWS", "write_template_workbook"]

#: How many rows of the entry sheet carry the drop-down lists and checks.
ENTRY_ROWS: Final = 2000
_FORMAT_VERSION: Final = "1"


def _instructions(book: Workbook, template: WorkshopTemplate, file_name: str) -> None:
    sheet: Worksheet = book.create_sheet(template.text("sheet.instructions"))
    sheet.cell(row=1, column=1, value=template.text("instructions.title")).font = Font(
        bold=True, size=14)
    lines = [
        template.text(f"instructions.{template.kind}"),
        template.text("instructions.lists"),
        template.text("instructions.roles", sheet=template.text("sheet.roles")),
        template.text("instructions.import", file=file_name),
    ]
    for row, line in enumerate(lines, start=3):
        put(sheet, row, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 15 * (1 + len(line) // 95)
    header_row(sheet, len(lines) + 4, [template.text("instructions.group")])
    for row, label in enumerate(template.role_labels(), start=len(lines) + 5):
        put(sheet, row, 1, label)
    sheet.column_dimensions["A"].width = 100


def _lists(book: Workbook, template: WorkshopTemplate) -> dict[str, str]:
    """The hidden sheet of drop-down lists; returns each list's range, by name."""
    sheet: Worksheet = book.create_sheet(template.text("sheet.lists"))
    sheet.sheet_state = "hidden"
    columns: list[tuple[str, tuple[str, ...]]] = [("roles", template.role_labels())]
    if template.kind == "balkort":
        columns.append(("status", template.status_labels()))
    columns += [(d.key, answer_labels(d, template.lang)) for d in template.items]
    ranges: dict[str, str] = {}
    quoted = quote_sheetname(sheet.title)
    for column, (name, values) in enumerate(columns, start=1):
        put(sheet, 1, column, name)
        for row, value in enumerate(values, start=2):
            put(sheet, row, column, value)
        letter = get_column_letter(column)
        ranges[name] = f"{quoted}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _validation(template: WorkshopTemplate, source: str, what: str) -> DataValidation:
    check = DataValidation(type="list", formula1=f"={source}", allow_blank=True,
                           showErrorMessage=True, showInputMessage=True, errorStyle="stop")
    check.errorTitle = template.text(f"check.{what}_title")
    check.error = template.text(f"check.{what}")
    check.prompt = template.text(f"check.{what}")
    return check


def _entry(book: Workbook, template: WorkshopTemplate, ranges: dict[str, str]) -> None:
    sheet: Worksheet = book.create_sheet(template.sheet_name(), 1)
    header = template.header()
    header_row(sheet, 1, header)
    sheet.freeze_panes = "A2"
    last = ENTRY_ROWS + 1
    roles = _validation(template, ranges["roles"], "role")
    sheet.add_data_validation(roles)
    for column, field in enumerate(template.fields, start=1):
        letter = get_column_letter(column)
        if field in ("source", "target"):
            roles.add(f"{letter}2:{letter}{last}")
        elif field == "status":
            check = _validation(template, ranges["status"], "status")
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{last}")
    for offset, dimension in enumerate(template.items, start=len(template.fields) + 1):
        letter = get_column_letter(offset)
        check = _validation(template, ranges[dimension.key], "answer")
        sheet.add_data_validation(check)
        check.add(f"{letter}2:{letter}{last}")
    fit_widths(sheet, minimum=14)
    widest_role = max(len(label) for label in template.role_labels())
    for column, field in enumerate(template.fields, start=1):
        if field in ("source", "target"):
            sheet.column_dimensions[get_column_letter(column)].width = min(widest_role + 4, 50)
    for column, dimension in enumerate(template.items, start=len(template.fields) + 1):
        widest = max(len(a) for a in answer_labels(dimension, template.lang))
        sheet.column_dimensions[get_column_letter(column)].width = max(widest + 4, 16)
    for cell in sheet[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[1].height = 48


def _roles(book: Workbook, template: WorkshopTemplate) -> None:
    sheet: Worksheet = book.create_sheet(template.text("sheet.roles"))
    languages = sorted({code for role in template.roles for code, _ in role.names})
    name_word = template.text("column.name")
    header_row(sheet, 1, [template.text(f"column.{k}")
                          for k in ("id", "name", "organisation", "present")]
               + [f"{name_word}_{code}" for code in languages])
    for row, role in enumerate(template.roles, start=2):
        put(sheet, row, 1, role.id)
        put(sheet, row, 2, role.name)
        put(sheet, row, 3, role.organisation)
        put(sheet, row, 4, role.present, "bool", template.lang)
        names = dict(role.names)
        for column, code in enumerate(languages, start=5):
            put(sheet, row, column, names.get(code))
    sheet.freeze_panes = "A2"
    fit_widths(sheet)


def _study(book: Workbook, template: WorkshopTemplate) -> None:
    sheet: Worksheet = book.create_sheet(template.text("sheet.study"))
    sheet.sheet_state = "hidden"
    header_row(sheet, 1, [template.text("column.key"), template.text("column.value")])
    meta = template.metadata
    instrument = template.instrument
    keys = [("relcoord", _FORMAT_VERSION), ("id", meta.id), ("title", meta.title),
            ("focal_process", meta.focal_process), ("language", meta.language),
            ("description", meta.description),
            ("instrument", instrument.id if instrument.builtin else f"custom:{instrument.id}")]
    for row, (key, value) in enumerate(keys, start=2):
        put(sheet, row, 1, key)
        put(sheet, row, 2, value)


def write_template_workbook(template: WorkshopTemplate, destination: Path) -> None:
    """Write the data-entry workbook of ``template`` to ``destination`` (the instructions
    name it after the study's id, as ``relcoord template`` names the study after it)."""
    book = Workbook()
    book.remove(book.active)
    _instructions(book, template, f"{template.metadata.id}.xlsx")
    ranges = _lists(book, template)
    _entry(book, template, ranges)
    _roles(book, template)
    _study(book, template)
    book.active = 1
    save_reproducibly(book, Path(destination))


