"""Open a workbook safely and turn a worksheet into the CSV importers' table of text columns.

A worksheet becomes a `SheetTable`: the
[`Table`][relcoord.formats.csv.table.Table] every CSV layout reads, whose cells are located
as ``book.xlsx!Sheet!B12`` instead of ``file:line:column``.  So the long, wide and
relationskort layouts, the roles, ties and invitations tables, their column aliases and
their checks are the CSV importers' own; only the cells' way in differs.

Cells are read with openpyxl's read-only mode (streamed, row by row) and turned into text
as a CSV export would hold them:

- a number is written without a trailing ``.0`` (``4.0`` is ``"4"``), with the table's
  decimal mark; a number stored as text is text already, and is parsed as a CSV cell is;
- a date (a number with a date format, as Excel stores it) is an ISO date,
  ``2024-03-01``, with the time only when there is one;
- ``TRUE``/``FALSE`` are ``true``/``false``; an empty cell is ``""``.

What a CSV file cannot hold is refused, at its cell: a formula (relcoord reads values,
and a workbook saved by another program than Excel may hold no computed value), an error
value (``#N/A``), merged cells (the value sits in one cell of the range only), and a sheet
that reaches Excel's last row, 1,048,576 (an export that was cut off there).  A workbook
that is encrypted (password-protected: an OLE container, not a zip), corrupt or larger
than ``max_bytes`` (packed or unpacked) is refused before any sheet is read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import polars as pl
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from relcoord.bounded_input import TableLimits, too_long_cell, too_many_columns
from relcoord.bounded_zip import UNREADABLE_ZIP
from relcoord.errors import InvalidInputError
from relcoord.formats.csv.dialect import Dialect
from relcoord.formats.csv.table import Table

__all__ = ["EXCEL_MAX_ROWS", "SheetTable", "cell_reference", "open_workbook", "sheet_table"]

#: The last row of an Excel worksheet; a sheet that reaches it was probably cut off.
EXCEL_MAX_ROWS: Final = 1_048_576
#: The start of an OLE compound file: an encrypted (password-protected) workbook or an
#: old ``.xls`` one.
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MERGE: Final = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_CHUNK: Final = 1 << 20


def cell_reference(name: str, line: int, column: int) -> str:
    """``book.xlsx!Sheet!B12``: the cell of sheet ``name`` (``book.xlsx!Sheet``) at Excel
    row ``line`` and column ``column`` (both 1-based)."""
    return f"{name}!{get_column_letter(max(column, 1))}{line}"


class SheetTable(Table):
    """A worksheet as a [`Table`][relcoord.formats.csv.table.Table].

    ``record_lines`` holds the Excel row of the header, then of each data record (blank
    rows count as records, as blank lines do in a CSV file, and are dropped from
    ``frame``).  The table's location hooks say where a cell is as Excel does,
    ``book.xlsx!Sheet!B12``, and that another layout is read with the ``layout`` option.
    """

    def __init__(self, book: str, sheet: str, header: Sequence[str], frame: pl.DataFrame,
                 record_lines: Sequence[int], *, decimal: str = ".") -> None:
        dialect = Dialect(encoding="xlsx", delimiter=",", decimal=decimal)
        super().__init__(f"{book}!{sheet}", header, frame, dialect, b"",
                         np.asarray(record_lines, dtype=np.int64))
        self.book = book
        self.sheet = sheet
        self.header_row = int(record_lines[0])

    def locations(self, rows: Sequence[int], column: int | None) -> list[str]:
        """``book.xlsx!Sheet!B12`` of each of ``rows`` in ``column`` (0-based; ``None``:
        column A)."""
        field = 1 if column is None else column + 1
        return [cell_reference(self.name, line, field) for line in self.lines(rows)]

    def header_location(self, column: int | None) -> str:
        """The header cell of ``column`` (0-based), ``book.xlsx!Sheet!B1``; the header as
        a whole (``None``) is its first cell."""
        return cell_reference(self.name, self.header_row, 1 if column is None else column + 1)

    def layout_setting(self, layout: str) -> str:
        """``--from xlsx -I layout=wide``: a worksheet's layout is an option of the
        ``xlsx`` format."""
        return f"--from xlsx -I layout={layout}"

    def record_place(self, row: int) -> str:
        """``row 12``: the Excel row of data record ``row``."""
        return f"row {self.lines([row])[0]}"


def _check_container(path: Path, name: str, max_bytes: int) -> None:
    """Refuse what is no workbook openpyxl can read, before it reads anything."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise InvalidInputError(name, f"cannot read the file: {exc.strerror or exc}") from None
    if head == _OLE_MAGIC:
        raise InvalidInputError(name, (
            "the workbook is encrypted (password-protected) or an old .xls file; open it in "
            "Excel, remove the password (File > Info > Protect Workbook) and save it as .xlsx"))
    if size > max_bytes:
        raise InvalidInputError(name, (
            f"the file has {size:,} bytes, more than the limit of {max_bytes:,}; raise it "
            "with the max_bytes option if the file is trusted"))
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(i.file_size for i in archive.infolist())
            broken = archive.testzip()
    except UNREADABLE_ZIP as exc:  # testzip() decompresses every part
        raise InvalidInputError(name, (
            f"not a readable .xlsx workbook ({exc}); the file may be truncated or of "
            "another kind: save it from Excel as .xlsx")) from None
    if broken is not None:
        raise InvalidInputError(name, f"the workbook is corrupt: part {broken!r} fails its "
                                "checksum; save it from Excel again")
    if unpacked > max_bytes:
        raise InvalidInputError(name, (
            f"the workbook unpacks to {unpacked:,} bytes, more than the limit of "
            f"{max_bytes:,}; raise it with the max_bytes option if the file is trusted"))


@contextlib.contextmanager
def open_workbook(path: Path, max_bytes: int) -> Iterator[Workbook]:
    """Open ``path`` read-only (formulas kept as formulas, to be refused where read), for
    the ``with`` block.

    The file is opened here and handed to openpyxl, and closed here when the block ends:
    openpyxl, given a path, leaves the file open when a part is broken (a sheet part whose
    size it cannot read), for the garbage collector to find.
    """
    name = str(path)
    _check_container(path, name, max_bytes)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InvalidInputError(name, f"cannot read the file: {exc.strerror or exc}") from None
    with handle:
        try:
            reader = ExcelReader(handle, read_only=True, data_only=False)
            reader.read()
        except Exception as exc:  # openpyxl raises many kinds for a broken part
            reason = (str(exc).strip().splitlines()[0] if str(exc).strip()
                      else type(exc).__name__)
            raise InvalidInputError(name, f"not a readable .xlsx workbook: {reason}"
                                    ) from None
        try:
            yield reader.wb
        finally:
            reader.wb.close()


def _merged_ranges(sheet: Any) -> list[str]:
    """The merged ranges of a read-only sheet (read-only mode does not parse them): the
    ``mergeCell`` elements after the cell data, found by scanning the sheet's XML."""
    found: list[str] = []
    tail = b""
    with sheet._get_source() as source:  # the sheet's XML part in the archive
        while chunk := source.read(_CHUNK):
            data = tail + chunk
            found += [m.decode() for m in _MERGE.findall(data)]
            tail = data[-256:]
            found = list(dict.fromkeys(found))
    return found


def _text(value: Any, decimal: str) -> str:
    """A cell value as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        return text.replace(".", ",") if decimal == "," else text
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


#: The default limits of a sheet's shape.
_DEFAULT_LIMITS: Final = TableLimits()


def _rows(sheet: Any, place: Any, limits: TableLimits) -> Iterator[tuple[int, list[Any]]]:
    """``(excel row, cell values)`` of every row; refuses formulas and error values, a value
    past column ``limits.max_columns`` and a text longer than ``limits.max_cell_bytes``."""
    max_columns, max_cell_bytes = limits.max_columns, limits.max_cell_bytes
    rows = sheet.iter_rows(min_row=1)
    try:  # closed when a row is refused: it holds the sheet's part of the archive open
        for number, row in enumerate(rows, start=1):
            if len(row) > max_columns and any(
                    getattr(c, "value", None) not in (None, "") for c in row[max_columns:]):
                raise InvalidInputError(place(number, max_columns + 1),
                                        "the sheet has " + too_many_columns(len(row), max_columns))
            if number >= EXCEL_MAX_ROWS:
                raise InvalidInputError(place(number, 1), (
                    f"the sheet reaches Excel's last row ({EXCEL_MAX_ROWS:,}): the data was "
                    "probably cut off there; export the survey as CSV instead"))
            values: list[Any] = []
            for index, cell in enumerate(row, start=1):
                kind = getattr(cell, "data_type", "n")
                value = cell.value
                if kind == "f" or (isinstance(value, str) and kind != "s"
                                   and value.startswith("=")):
                    raise InvalidInputError(place(number, index), (
                        f"the cell holds a formula ({str(value)[:40]}); relcoord reads values: "
                        "copy the column and paste it as values (Paste Special > Values)"))
                if kind == "e":
                    raise InvalidInputError(place(number, index), (
                        f"the cell holds the error value {value}; fix or empty the cell"))
                # a character takes at most 4 bytes: only a long text is encoded to count them
                if isinstance(value, str) and len(value) * 4 > max_cell_bytes and len(
                        size := value.encode("utf-8", "surrogatepass")) > max_cell_bytes:
                    raise InvalidInputError(place(number, index),
                                            too_long_cell(len(size), max_cell_bytes))
                values.append(value)
            yield number, values
    finally:
        rows.close()


def sheet_table(book: Workbook, book_name: str, sheet_name: str, *, decimal: str = ".",
                limits: TableLimits = _DEFAULT_LIMITS) -> SheetTable:
    """The worksheet ``sheet_name`` of ``book`` as a table: the first non-empty row is the
    header (stripped), each later row a data record; trailing empty columns are dropped.

    Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] at the cell for merged cells, a
    formula, an error value, a sheet that reaches Excel's last row, a row with a value past
    the column ``limits`` allow or a text longer than they allow, and for an empty
    sheet.
    """
    sheet = book[sheet_name]
    name = f"{book_name}!{sheet_name}"

    def place(line: int, column: int) -> str:
        return cell_reference(name, line, column)

    if getattr(sheet, "max_row", None) is not None and sheet.max_row >= EXCEL_MAX_ROWS:
        raise InvalidInputError(place(EXCEL_MAX_ROWS, 1), (
            f"the sheet reaches Excel's last row ({EXCEL_MAX_ROWS:,}): the data was "
            "probably cut off there; export the survey as CSV instead"))
    merged = _merged_ranges(sheet)
    if merged:
        first = merged[0].split(":")[0]
        shown = ", ".join(merged[:5]) + (", ..." if len(merged) > 5 else "")
        raise InvalidInputError(f"{name}!{first}", (
            f"merged cells ({shown}); a table needs one value per cell: unmerge them "
            "(Home > Merge & Center > Unmerge Cells) and fill each cell"))
    header: list[str] | None = None
    header_row = 0
    lines: list[int] = []
    cells: list[list[Any]] = []
    try:
        for number, values in _rows(sheet, place, limits):
            if header is None:
                if any(v not in (None, "") for v in values):
                    header = [_text(v, ".").strip() for v in values]
                    header_row = number
                continue
            lines.append(number)
            cells.append(values)
    except InvalidInputError:
        raise
    except Exception as exc:  # a broken sheet part: XML, numbers, styles
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        after = f" after row {lines[-1] if lines else header_row}" if header_row else ""
        raise InvalidInputError(name, f"the sheet is corrupt{after} ({reason}); open the "
                                "workbook in Excel and save it again") from None
    if header is None:
        raise InvalidInputError(place(1, 1), "the sheet is empty; expected a header row")
    while header and not header[-1] and not any(
            len(r) >= len(header) and r[len(header) - 1] not in (None, "") for r in cells):
        header.pop()
    width = len(header)
    columns: dict[str, list[str]] = {f"c{i}": [] for i in range(width)}
    kept: list[int] = []
    for index, values in enumerate(cells):
        texts = [_text(v, decimal) for v in values[:width]]
        texts += [""] * (width - len(texts))
        if len(values) > width and any(v not in (None, "") for v in values[width:]):
            extra = next(i for i, v in enumerate(values[width:], start=width + 1)
                         if v not in (None, ""))
            raise InvalidInputError(place(lines[index], extra), (
                "a value in a column without a header; give the column a header or empty "
                "the cell"))
        if not any(texts):
            continue  # a blank row, as a blank line in a CSV file
        kept.append(index)
        for i, text in enumerate(texts):
            columns[f"c{i}"].append(text)
    frame = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
    frame = frame.with_columns(pl.Series("row", kept, dtype=pl.UInt32)).select(
        "row", *columns)
    return SheetTable(book_name, sheet_name, header, frame, [header_row, *lines],
                      decimal=decimal)
