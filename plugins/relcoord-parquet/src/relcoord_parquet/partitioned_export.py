"""Import a folder of Parquet or CSV partitions that another system exported (``parquet-parts``).

A data platform (Spark, Databricks, BigQuery, Snowflake, DuckDB, pandas) exports a survey table
as a folder of files, split into Hive partition folders::

    export/
      year=2025/region=north/part-0000.parquet
      year=2025/region=south/part-0000.parquet

or as many ``part-*.csv`` files, often gzip-compressed (``part-0000.csv.gz``).  This importer reads
such a folder as **one table** of the CSV importers: the partition keys are columns like any other
(``-I columns={"wave": "year"}`` makes ``year`` the wave), and the table is read in the long, wide
or relationskort layout by the CSV importers' own code, with their column aliases (``RC1_COM``,
``Hyppig``, ``Faggruppe`` ...) and options (``columns``, ``items``, ``values``, ``roles``,
``ties``, ``invitations`` ...).  One study results.

Every guess is a note: the layout the columns fit (``-I layout=`` settles it), the partition
keys read as columns, the files skipped as the platform's bookkeeping (``_SUCCESS``), integers
read as decimals, and the CSV importers' own notes (delimiter, columns found through aliases).
Problems are located at the file and row they are in:
``export/year=2025/part-0001.parquet: row 17, column "q3"``, or ``file:line:column`` in a CSV
file.  Partitions that do not share one schema are refused at the file that differs.  The
folder is read within ``max_bytes``, ``max_files`` and ``max_columns``
([`relcoord_parquet.read_limits`][relcoord_parquet.read_limits]).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from relcoord.formats.csv.columns import layout_columns, normalise
from relcoord.formats.csv.import_notes import note
from relcoord.formats.csv.layout_detection import Layout, header_layout
from relcoord.formats.csv.long_layout import LONG_FIELDS
from relcoord.formats.csv.read_options import ReadOptions, layout_options
from relcoord.formats.csv.records import read_side_tables
from relcoord.formats.csv.table_study import table_study
from relcoord.formats.csv.wide_layout import WIDE_FIELDS
from relcoord.formats.format_option import FormatOption, instrument, parse_options
from relcoord.instruments import INSTRUMENTS, Instrument
from relcoord.model import Study
from relcoord_parquet.partition_folders import find_partitions
from relcoord_parquet.read_limits import LIMIT_OPTIONS, ReadBudget

if TYPE_CHECKING:  # pyarrow and polars are imported when a folder is read
    from relcoord_parquet.partition_table import ColumnUse

__all__ = ["LAYOUTS", "PARTS_READ_OPTIONS", "read_partitioned_export"]

#: What this importer does by default where the CSV layouts' options say it of a file.
_SHOWN_DEFAULTS: Final = {"drop_empty": "true for the wide layout, else false",
                          "study_id": "the folder's name without extension"}


def _shown(option: FormatOption) -> FormatOption:
    if option.name not in _SHOWN_DEFAULTS:
        return option
    return attrs.evolve(option, shown_default=_SHOWN_DEFAULTS[option.name])


#: The layouts of the partitions' table (``auto``: its columns decide).
LAYOUTS: Final = ("auto", "long", "wide", "relationskort")
#: The options: the layout, the CSV layout importers' own (declared once, there), and the
#: folder's limits.
PARTS_READ_OPTIONS: Final = (
    FormatOption("layout", "the partitions' layout", choices=LAYOUTS, default="auto",
                 shown_default="auto: their columns decide"),
    FormatOption("instrument", "the instrument (built-in id)", parse=instrument,
                 metavar="|".join(sorted(INSTRUMENTS)),
                 shown_default="rc7; relationskort for the relationskort layout"),
    *(_shown(o) for o in layout_options("rc7")
      if o.name not in ("instrument", "max_bytes", "max_columns")),
    *LIMIT_OPTIONS,
)


class _Plan:
    """Decides the layout from the table's header (once) and what each column is for."""

    def __init__(self, name: str, values: Mapping[str, Any]) -> None:
        self.name = name
        self.values = values
        self.layout: Layout | None = None if values["layout"] == "auto" else values["layout"]
        self.opts: ReadOptions | None = None
        self._uses: tuple[Sequence[str], tuple[ColumnUse, ...]] | None = None

    @property
    def long(self) -> bool:
        return self.layout == "long"

    def options(self) -> ReadOptions:
        """The CSV importers' options for the layout (decided by now)."""
        given: Instrument | None = self.values["instrument"]
        layout = self.layout or "long"
        chosen = given or INSTRUMENTS["relationskort" if layout == "relationskort" else "rc7"]
        values = self.values
        return ReadOptions(
            name=self.name, columns=values["columns"] or {}, items=values["items"] or {},
            instrument=chosen, values=values["values"], missing=values["missing"],
            delimiter=values["delimiter"], decimal=values["decimal"],
            encoding=values["encoding"], max_bytes=values["max_bytes"],
            rater_role=values["rater_role"], target_role=values["target_role"],
            wave=values["wave"], drop_empty=values["drop_empty"], roles=values["roles"],
            ties=values["ties"], invitations=values["invitations"],
            study_id=values["study_id"], title=values["title"], language=values["language"])

    def uses(self, header: Sequence[str]) -> Sequence[ColumnUse]:
        if self._uses is not None and list(self._uses[0]) == list(header):
            return self._uses[1]
        columns: Mapping[str, str] = self.values["columns"] or {}
        items: Mapping[str, str] = self.values["items"] or {}
        if self.layout is None:
            probe = self.values["instrument"] or INSTRUMENTS["rc7"]
            found, _ = header_layout(header, probe, columns=columns, items=items)
            self.layout = found or "long"  # the long layout's reader says what is missing
            note(self.name, "parquet.note.layout", layout=self.layout)
        opts = self.opts = self.options()
        fields = LONG_FIELDS if self.layout == "long" else WIDE_FIELDS
        pos, _ = layout_columns(header, self.name, fields, columns=opts.columns,
                                constants=opts.constants)
        uses: list[ColumnUse] = ["other"] * len(header)
        for field, column in pos.items():
            uses[column] = "number" if field == "value" else "label"
        if self.layout != "long":
            try:
                index = opts.item_index()
            except ValueError:
                index = {}
            for column, text in enumerate(header):
                if uses[column] == "other" and normalise(text) in index:
                    uses[column] = "number"
        self._uses = (list(header), tuple(uses))
        return self._uses[1]


def read_partitioned_export(path: Path, options: Mapping[str, Any]) -> Study:
    """Read a folder of Parquet or CSV partitions exported by another system (format
    ``parquet-parts``; see the module and `PARTS_READ_OPTIONS`)."""
    from relcoord_parquet.partition_table import load_partitions

    path = Path(path)
    values = parse_options("parquet-parts", options, PARTS_READ_OPTIONS)
    name = str(path)
    files = find_partitions(path, max_files=values["max_files"], shown=name)
    keys = [k for k, _ in files[0].keys]
    if keys:
        note(name, "parquet.note.partition_columns", keys=", ".join(keys))
    plan = _Plan(name, values)
    side = read_side_tables(plan.options())
    budget = ReadBudget(values["max_bytes"], max_columns=values["max_columns"])
    table = load_partitions(files, budget, name=name, plan=plan, csv_options=values)
    opts = plan.opts or plan.options()
    return table_study(table, plan.layout or "long", opts, side, name=name,
                       metadata=opts.metadata(path))
