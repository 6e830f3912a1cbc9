"""CSV output profiles and the table encoder: deterministic, RFC 4180 bytes.

``plain``
    UTF-8 without BOM, ``,`` delimiter, ``.`` decimal mark: for programs (pandas, R, polars).
``excel``
    UTF-8 *with* BOM (so Excel detects UTF-8), ``;`` delimiter and ``,`` decimal mark (what
    Danish and German Excel expect), and the OWASP formula-injection guard: a text cell that
    starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed with a single
    quote ``'`` so that a spreadsheet shows it as text instead of running it.  Cells that
    already start with ``'`` get one too, which makes the guard exactly reversible:
    relcoord's importers drop one leading ``'`` before those characters when a table says
    it was written in the excel profile.

Both profiles end lines with CRLF and quote a field only when it holds the delimiter, a
quote or a line break (RFC 4180).  Numbers are written in the shortest form that reads back
to the same float64 (``4`` for 4.0); a missing value is an empty cell.  The same table
always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.optional_dependencies import optional_module

if TYPE_CHECKING:
    import polars as pl
else:
    pl = optional_module("polars", "reading and writing CSV files")

__all__ = ["PROFILES", "Column", "Profile", "encode_table", "number_column", "text_column"]


@attrs.frozen
class Profile:
    """How a table is written: encoding, delimiter, decimal mark, formula guard."""

    name: str
    bom: bool
    delimiter: str
    decimal: str
    guard: bool


#: The output profiles by name.
PROFILES: Final = {
    "plain": Profile("plain", bom=False, delimiter=",", decimal=".", guard=False),
    "excel": Profile("excel", bom=True, delimiter=";", decimal=",", guard=True),
}
_GUARD_PATTERN: Final = r"^[=+\-@\t\r']"


@attrs.frozen(eq=False)
class Column:
    """One output column: its header, its cells (``String``, null = empty) and its kind."""

    header: str
    cells: pl.Series
    kind: Literal["text", "number"] = "text"


def text_column(header: str, values: Sequence[str | None] | pl.Series) -> Column:
    """A text column (the formula guard applies to it in the excel profile)."""
    series = values if isinstance(values, pl.Series) else pl.Series(values, dtype=pl.String)
    return Column(header, series.cast(pl.String), "text")


def number_column(header: str, values: npt.ArrayLike) -> Column:
    """A numeric column: shortest round-trip form, integers without ``.0``, NaN empty."""
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    finite = np.isfinite(array)
    integral = finite & (array == np.round(array)) & (np.abs(array) < 2.0**53)
    as_int = pl.Series(np.where(integral, array, 0).astype(np.int64)).cast(pl.String)
    as_float = pl.Series(np.where(finite, array, 0.0)).cast(pl.String)
    cells = (
        pl.DataFrame({"i": as_int, "f": as_float,
                      "integral": integral, "finite": finite})
        .select(pl.when(pl.col("integral")).then(pl.col("i"))
                .when(pl.col("finite")).then(pl.col("f"))
                .otherwise(None).alias("cells"))
        .get_column("cells")
    )
    return Column(header, cells, "number")


def _guard(series: pl.Series) -> pl.Series:
    frame = pl.DataFrame({"v": series})
    return frame.select(
        pl.when(pl.col("v").str.contains(_GUARD_PATTERN))
        .then(pl.lit("'") + pl.col("v")).otherwise(pl.col("v")).alias("v")
    ).get_column("v")


def _guard_text(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r", "'") else text


def encode_table(columns: Sequence[Column], profile: Profile) -> bytes:
    """The bytes of one CSV table in ``profile`` (header line, then one line per row)."""
    header = io.StringIO()
    writer = csv.writer(header, delimiter=profile.delimiter, lineterminator="\r\n",
                        quoting=csv.QUOTE_MINIMAL)
    names = [c.header for c in columns]
    writer.writerow([_guard_text(n) for n in names] if profile.guard else names)
    prefix = ("\ufeff" if profile.bom else "") + header.getvalue()
    cells: dict[str, pl.Series] = {}
    for i, column in enumerate(columns):
        series = column.cells
        if column.kind == "number" and profile.decimal != ".":
            series = series.str.replace(".", profile.decimal, literal=True)
        elif column.kind == "text" and profile.guard:
            series = _guard(series)
        if len(columns) > 1:
            series = series.replace("", None)
        cells[f"c{i}"] = series.alias(f"c{i}")
    frame = pl.DataFrame(cells) if cells else pl.DataFrame()
    body = io.BytesIO()
    if frame.height:
        frame.write_csv(body, include_header=False, separator=profile.delimiter,
                        line_terminator="\r\n", quote_char='"', quote_style="necessary",
                        null_value="")
    return prefix.encode("utf-8") + body.getvalue()
