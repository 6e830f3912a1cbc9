"""A study from one table of answers in any layout, as every table importer builds it.

The CSV importers, the worksheets of ``relcoord-xlsx`` and the partitions of
``relcoord-parquet`` all end the same way once their rows are a
[`Table`][relcoord.formats.csv.table.Table]: the ratings of the table's layout (long, wide or
relationskort), the empty ones dropped as ``drop_empty`` says (by default in the wide
layout, only when asked in the long one), and the checked study
([`build_study`][relcoord.formats.csv.study_assembly.build_study]).
"""

from __future__ import annotations

from relcoord.formats.csv.layout_detection import Layout
from relcoord.formats.csv.long_layout import long_ratings
from relcoord.formats.csv.read_options import ReadOptions
from relcoord.formats.csv.records import SideTables
from relcoord.formats.csv.relationskort import arrows
from relcoord.formats.csv.study_assembly import build_study
from relcoord.formats.csv.table import Table
from relcoord.formats.csv.wide_layout import wide_ratings
from relcoord.model import Metadata, Study

__all__ = ["table_study"]


def table_study(table: Table, layout: Layout, opts: ReadOptions, side: SideTables, *,
                name: str, metadata: Metadata) -> Study:
    """The study of ``table``'s answers in ``layout`` with the side tables ``side``;
    problems without a row are reported at ``name``."""
    start = table.header_location(None)
    if layout == "relationskort":
        ratings, side = arrows(table, opts, side)
    elif layout == "wide":
        ratings = wide_ratings(table, opts)
        if opts.drop_empty is None or opts.drop_empty:
            ratings = ratings.without_empty()
    else:
        ratings = long_ratings(table, opts)
        if opts.drop_empty:
            ratings = ratings.without_empty()
    return build_study(name=name, instrument=opts.instrument, metadata=metadata,
                       ratings=ratings, side=side, start=start)
