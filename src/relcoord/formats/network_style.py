"""How the network files draw the map: the report's layout and colours, per role and arrow.

GraphML with yEd graphics, GEXF and Cytoscape.js files open pre-drawn: each role where the
report's network map puts it, in its organisation's colour, sized by the arrows it receives;
each arrow in the colour of its RC band.  Everything comes from
[`relcoord.report_map`][relcoord.report_map] (the same functions the picture uses), so a file and
the report's map cannot disagree.

Edges carry two more things network tools look for:

* ``weight``: the tie's RC (1 to 5), on every rated arrow whose RC is published; Gephi,
  igraph and networkx read it as the edge weight.  A named arrow without a published RC has
  none (Gephi then takes 1.0);
* ``label``: the RC with two decimals in the output's language (``3,42`` in Danish), shown
  on the arrow by Gephi, yEd and Cytoscape.

Withheld ties (the minimum-respondent rule, [`relcoord.privacy`][relcoord.privacy]) carry no figure
at all: no weight, no label, and the colour of ``withheld``, exactly like the picture.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

import attrs

from relcoord import messages
from relcoord.report_map import BAND_COLOURS, map_layout, tie_bands

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = [
    "WEAK_WIDTH",
    "EdgeStyle",
    "NetworkStyle",
    "NodeStyle",
    "edge_label",
    "network_style",
    "rgb",
]

#: The width of a weak tie's arrow, in points (others are 1.0), as on the picture.
WEAK_WIDTH: Final = 2.0


@attrs.frozen
class NodeStyle:
    """A role as drawn: ``x``, ``y`` (points, ``y`` up), ``size`` (diameter in points),
    ``colour`` (``#RRGGBB``, its organisation's) and whether it is ``present`` (absent roles
    are drawn hollow with a dashed border)."""

    x: float
    y: float
    size: float
    colour: str
    present: bool


@attrs.frozen
class EdgeStyle:
    """An arrow as drawn: its ``band`` (``weak``, ``moderate``, ``strong``, ``none`` for
    not rated, ``withheld``), ``colour``, ``width`` (points), ``line`` (``solid``, or
    ``dotted`` when withheld), whether it is ``curved`` (the pair points both ways, so each
    direction is an arc of its own) and, when its RC is published, ``weight`` and ``label``."""

    band: str
    colour: str
    width: float
    line: Literal["solid", "dotted"]
    curved: bool
    weight: float | None = None
    label: str | None = None


@attrs.frozen
class NetworkStyle:
    """The drawing of a whole network: ``nodes`` by role id, ``edges`` by (source, target)."""

    nodes: dict[str, NodeStyle]
    edges: dict[tuple[str, str], EdgeStyle]


def rgb(colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` as three numbers from 0 to 255."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def edge_label(rc: float, lang: str) -> str:
    """An arrow's label: its RC with two decimals in ``lang``'s style (``3,42``)."""
    return messages.decimal(rc, lang, 2)


def network_style(
    study: Study, analysis: Analysis | None, pairs: list[tuple[str, str]], lang: str
) -> NetworkStyle:
    """How to draw ``study``'s roles and the arrows ``pairs`` (source, target) in ``lang``.

    Positions, sizes and colours come from
    [`relcoord.report_map.map_layout`][relcoord.report_map.map_layout], bands from
    [`relcoord.report_map.tie_bands`][relcoord.report_map.tie_bands] (without an analysis every
    arrow is ``none``).
    """
    layout = map_layout(analysis, study, lang)
    present = {r.id: r.present for r in study.roles}
    nodes = {
        role: NodeStyle(x=layout.position[role][0], y=layout.position[role][1],
                        size=layout.diameter[role], colour=layout.colour[role],
                        present=present[role])
        for role in layout.order
    }
    bands = tie_bands(analysis) if analysis is not None else {}
    rc = ({(t.source, t.target): t.rc for t in analysis.scores.ties if t.rc is not None}
          if analysis is not None else {})
    drawn = set(pairs)
    edges: dict[tuple[str, str], EdgeStyle] = {}
    for pair in pairs:
        band = bands.get(pair, "none")
        value = rc.get(pair)
        edges[pair] = EdgeStyle(
            band=band, colour=BAND_COLOURS[band],
            width=WEAK_WIDTH if band == "weak" else 1.0,
            line="dotted" if band == "withheld" else "solid",
            curved=pair[0] != pair[1] and (pair[1], pair[0]) in drawn,
            weight=value, label=edge_label(value, lang) if value is not None else None,
        )
    return NetworkStyle(nodes=nodes, edges=edges)
