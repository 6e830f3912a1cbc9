"""Relationship-map arrows (format ``csv-relationskort``): one row per arrow drawn.

On a relationskort each group draws arrows to the groups it works with and may rate each
arrow on the four communication qualities of the ``relationskort`` instrument.  The table
is a wide one ([`wide_layout`][relcoord.formats.csv.wide_layout]) with source group, target group,
optional wave and those four items, any of which may be absent.  Each row is a named
[`NamedTie`][relcoord.model.NamedTie]; a row with at least one rating is also a rating without a
respondent (the group rates as a group).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from relcoord.formats.csv.located_ratings import LocatedRatings
from relcoord.formats.csv.read_options import ReadOptions, parse_read_options
from relcoord.formats.csv.records import SideTables, read_side_tables
from relcoord.formats.csv.study_assembly import build_study
from relcoord.formats.csv.table import Table
from relcoord.formats.csv.wide_layout import load_wide_table, wide_ratings
from relcoord.model import NamedTie, Study

__all__ = ["arrows", "read_relationskort"]


def read_relationskort(path: Path, options: Mapping[str, Any]) -> Study:
    """Read relationskort arrows (format ``csv-relationskort``).

    One row per arrow: ``source`` group, ``target`` group, optional ``wave`` and the four
    communication qualities (``frequent``/``Hyppig``, ``timely``/``Rettidig``,
    ``accurate``/``Præcis``, ``problem_solving``/``Problemløsende``; any may be absent).
    Each row is a named [`NamedTie`][relcoord.model.NamedTie]; a row with at least one rating is
    also a rating without a respondent.  The options are those of
    `READ_OPTIONS` (default instrument
    ``relationskort``).
    """
    path = Path(path)
    opts = parse_read_options("csv-relationskort", path, options, "relationskort")
    side = read_side_tables(opts)
    table = load_wide_table(path, opts)
    ratings, side = arrows(table, opts, side)
    return build_study(name=table.name, instrument=opts.instrument,
                       metadata=opts.metadata(path), ratings=ratings, side=side)


def arrows(table: Table, opts: ReadOptions, side: SideTables
           ) -> tuple[LocatedRatings, SideTables]:
    """The arrows of a relationskort table: the rated ones as ratings without respondent,
    and every one as a named tie after those of ``side``."""
    found = wide_ratings(table, opts, layout="relationskort", require_all_items=False)
    drawn = found.ratings
    arrow_ties = [
        NamedTie(drawn.roles[s], drawn.roles[t], None if w < 0 else drawn.waves[w])
        for s, t, w in zip(drawn.source.tolist(), drawn.target.tolist(), drawn.wave.tolist(),
                           strict=True)
    ]
    return found.without_empty(), attrs.evolve(side, ties=(*side.ties, *arrow_ties))
