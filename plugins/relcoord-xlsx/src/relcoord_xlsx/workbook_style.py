"""How this plugin's workbooks look: tables with a bold, frozen header row, columns as wide
as their content, numbers as numbers with a number format, and the bytes reproducible.

Numbers are written as numbers, never as formatted text, with a number format (``0.00``,
``0%``, ``0``): Excel shows them with the decimal mark of the reader's locale, so a Danish
Excel shows ``3,75``.  Text that Excel would take for a formula (``=``...) is stored as
text.  `save_reproducibly` writes the zip with fixed timestamps and fixed document
properties, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from relcoord.errors import InvalidInputError
from relcoord.report import Table, format_cell

__all__ = ["NUMBER_FORMATS", "fit_widths", "put", "save_reproducibly", "write_table"]

#: The number format of each report column kind.
NUMBER_FORMATS: Final = {"int": "0", "number": "0.00", "percent": "0%"}
_BOLD: Final = Font(bold=True)
_HEADER_FILL: Final = PatternFill("solid", fgColor="DDE5F0")
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
_PROPERTIES_TIME: Final = dt.datetime(1980, 1, 1)
_MAX_WIDTH: Final = 60
#: What a cell (XML 1.0) cannot hold: control characters other than tab and line breaks,
#: lone surrogates, U+FFFE and U+FFFF.
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def put(sheet: Worksheet, row: int, column: int, value: Any, kind: str = "text",
        lang: str = "en") -> SheetCell:
    """Write one value: a number with its kind's format, a yes/no in ``lang``, text as
    text (even when it starts with ``=``).

    Raises:
        InvalidInputError: for text a workbook cannot hold (a control character, U+FFFE),
            located at its cell (``sheet!B2``).
    """
    cell: SheetCell = sheet.cell(row=row, column=column)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return cell
    if kind in NUMBER_FORMATS and isinstance(value, int | float) and not isinstance(value,
                                                                                   bool):
        cell.value = value
        cell.number_format = NUMBER_FORMATS[kind]
        return cell
    text = format_cell(value, "bool", lang) if kind == "bool" else str(value)
    bad = _NOT_XML.search(text)
    if bad is not None:
        raise InvalidInputError(
            f"{sheet.title}!{cell.coordinate}",
            f"{text[:40]!r} contains the character U+{ord(bad.group()):04X}, which a workbook "
            "(XML 1.0) cannot hold; remove it to write the workbook")
    cell.value = text
    if text.startswith("="):
        cell.data_type = "s"  # text, not a formula
    return cell


def write_table(sheet: Worksheet, table: Table, lang: str, row: int = 1, *,
                caption: bool = False) -> int:
    """Write a report table at ``row`` (its caption first, when asked); return the row
    after it."""
    if caption:
        put(sheet, row, 1, table.caption).font = _BOLD
        row += 1
    header_row(sheet, row, table.header)
    for offset, values in enumerate(table.rows, start=1):
        for column, (value, kind) in enumerate(zip(values, table.kinds, strict=True),
                                               start=1):
            put(sheet, row + offset, column, value, kind, lang)
    return row + len(table.rows) + 1


def header_row(sheet: Worksheet, row: int, header: Sequence[str], column: int = 1) -> None:
    """A bold, shaded header row."""
    for offset, text in enumerate(header):
        cell = put(sheet, row, column + offset, text)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=False)


def _shown(cell: SheetCell) -> int:
    value = cell.value
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def fit_widths(sheet: Worksheet, *, skip_rows: int = 0, minimum: int = 6) -> None:
    """Columns as wide as their widest cell (rows after ``skip_rows``), within limits."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows(min_row=skip_rows + 1):
        for cell in row:
            widths[cell.column] = max(widths.get(cell.column, 0), _shown(cell))
    for column, width in widths.items():
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = min(max(width + 2, minimum), _MAX_WIDTH)


def save_reproducibly(book: Workbook, destination: Path) -> None:
    """Save ``book`` with fixed document times and zip timestamps: the same workbook gives
    the same bytes."""
    for sheet in book.worksheets:  # printed: landscape, as wide as one page
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
    book.properties.created = _PROPERTIES_TIME
    book.properties.modified = _PROPERTIES_TIME
    book.properties.creator = "relcoord"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(destination, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = _fixed_core(data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 3
            target.writestr(fixed, data, compress_type=zipfile.ZIP_DEFLATED,
                            compresslevel=6)


def _fixed_core(data: bytes) -> bytes:
    """openpyxl stamps ``modified`` with the time of saving; put the fixed time back."""
    import re

    stamp = _PROPERTIES_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                  rb"\g<1>" + stamp + rb"\g<2>", data)
