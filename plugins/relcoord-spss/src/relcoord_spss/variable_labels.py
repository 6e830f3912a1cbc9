"""Variables found by their labels, and the layout the variables fit.

A survey tool names its variables ``q1``, ``v17``; their *labels* say what they hold
(``Hyppig``, ``Faggruppe``).  `found_by_labels` adds the fields and items that only a
label names to the ``columns`` and ``items`` options (noted; what the options name, or a
variable's name finds, wins), and `choose_layout` picks the long or the wide layout as
a CSV header's decides ([`header_layout`][relcoord.formats.csv.layout_detection.header_layout];
option ``layout``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from relcoord import messages
from relcoord.formats.csv.columns import FIELD_ALIASES, normalise
from relcoord.formats.csv.layout_detection import Layout, header_layout
from relcoord.formats.csv.read_options import ReadOptions
from relcoord.messages.reading import LANGUAGE
from relcoord_spss.labelled_notes import note

__all__ = ["LABELLED_FIELDS", "choose_layout", "found_by_labels"]

#: Fields a variable label may name (the label fields of both layouts, and the long
#: layout's item and answer).
LABELLED_FIELDS: Final = ("respondent", "source", "target", "wave", "item", "value")


def found_by_labels(header: Sequence[str], labels: Mapping[str, str], opts: ReadOptions,
                     name: str) -> ReadOptions:
    """``opts`` with the fields and items that only a variable's label names added to its
    ``columns`` and ``items`` (noted); what the options name, or a name finds, wins."""
    names = {normalise(h) for h in header}
    index = opts.item_index()
    columns: dict[str, str] = {}
    for field in LABELLED_FIELDS:
        aliases = {normalise(a) for a in FIELD_ALIASES[field]}
        if field in opts.columns or names & aliases:
            continue
        hits = [h for h in header if normalise(labels.get(h, "")) in aliases
                and normalise(h) not in index and h not in columns.values()]
        if len(hits) == 1:
            columns[field] = hits[0]
    named_items = {index[normalise(h)] for h in header if normalise(h) in index}
    items: dict[str, str] = {}
    for h in header:
        key = index.get(normalise(labels.get(h, "")))
        if (key is None or normalise(h) in index or key in named_items or h in columns.values()
                or key in items.values()):
            continue
        items[h] = key
    if columns:
        every = {**columns, **opts.columns}
        note(name, "labelled.note.columns",
             mapping=", ".join(f"{f}={v!r} ({labels[v]!r})" for f, v in columns.items()),
             json=json.dumps(every, ensure_ascii=False))
    if items:
        every = {**items, **opts.items}
        note(name, "labelled.note.items",
             mapping=", ".join(f"{v!r} ({labels[v]!r})={k}" for v, k in items.items()),
             json=json.dumps(every, ensure_ascii=False))
    return attrs.evolve(opts, columns={**columns, **opts.columns},
                        items={**items, **opts.items})


def choose_layout(header: Sequence[str], opts: ReadOptions, chosen: str, name: str) -> Layout:
    """The layout ``chosen`` by the ``layout`` option, or for ``auto`` the one the
    variables fit (noted; the long layout when they fit neither, as for a CSV file)."""
    if chosen in ("long", "wide"):
        return "long" if chosen == "long" else "wide"
    layout, found = header_layout(header, opts.instrument, columns=opts.columns,
                                  items=opts.items)
    result: Layout = "long" if layout is None or layout == "long" else "wide"
    shown = ", ".join(found[:4]) + (", ..." if len(found) > 4 else "")
    why = messages.text(f"reading.why.{layout or 'default'}", LANGUAGE, items=shown)
    note(name, "labelled.note.layout", layout=result, why=why)
    return result
