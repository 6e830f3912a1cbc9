"""The heat map of the tie matrix as SVG: rater (rows) by target (columns), each cell
coloured by its RC on the picture's scale
([`relcoord.pictures.style.RC_CMAP`][relcoord.pictures.style.RC_CMAP], 1 to 5). Each cell is a bare
``rect`` (its row and column follow from where it is: the SVG's ``data-top`` and ``data-cell``), so
that 60 roles' 3600 cells stay small.

Rows and columns are the roles that rated and were rated, in the map's order
([`relcoord.report_map.role_order`][relcoord.report_map.role_order]).  A cell carries its RC as the
analysis publishes it (``data-v``); a tie the privacy rule withheld is a grey cell with a dash and
no figure. Values are written in their cells while a cell is large enough to read (up to
`NUMBERS_UP_TO` roles); above that the colour and the tooltip tell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from relcoord.report_map import role_order
from relcoord.report_model import format_cell
from relcoord_html.markup import element, esc, raw_number

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["NUMBERS_UP_TO", "heat_map_svg"]

#: The most roles whose heat map writes each value in its cell.
NUMBERS_UP_TO: Final = 25
_CELL: Final = 26.0
_LABEL: Final = 170.0
#: The colour of a withheld cell (the picture's "bad" colour).
_WITHHELD: Final = "#F2F2F2"


def _text_colour(hex_colour: str) -> str:
    from relcoord.pictures.style import text_colour

    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    return "#000" if text_colour(rgb) == "black" else "#fff"


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def heat_map_svg(analysis: Analysis, lang: str, label: str) -> str:
    """The heat map of ``analysis`` in ``lang`` as SVG (empty text when nothing is rated);
    ``label`` names it for a screen reader."""
    from matplotlib.colors import to_hex

    from relcoord.pictures.style import RC_CMAP

    rated = [t for t in analysis.scores.ties if t.rc is not None or t.suppressed]
    if not rated:
        return ""
    order = role_order(analysis.study, lang)
    sources = {t.source for t in rated}
    targets = {t.target for t in rated}
    rows = [r for r in order if r.id in sources]
    cols = [r for r in order if r.id in targets]
    row_at = {r.id: i for i, r in enumerate(rows)}
    col_at = {r.id: j for j, r in enumerate(cols)}
    numbers = max(len(rows), len(cols)) <= NUMBERS_UP_TO
    cell = _CELL if numbers else 14.0
    parts = []
    for i, role in enumerate(rows):
        parts.append(element("text", esc(_short(role.label(lang))), class_="rc-row",
                             data_name=role.label(lang),
                             x=f"{_LABEL - 6:.0f}", y=f"{_LABEL + (i + 0.5) * cell:.1f}",
                             text_anchor="end", dominant_baseline="central"))
    for j, role in enumerate(cols):
        x, y = _LABEL + (j + 0.5) * cell, _LABEL - 6
        parts.append(element("text", esc(_short(role.label(lang))), class_="rc-col",
                             data_name=role.label(lang),
                             transform=f"translate({x:.1f},{y:.1f}) rotate(-60)",
                             dominant_baseline="central"))
    for tie in sorted(rated, key=lambda t: (row_at[t.source], col_at[t.target])):
        i, j = row_at[tie.source], col_at[tie.target]
        x, y = _LABEL + j * cell, _LABEL + i * cell
        if tie.rc is None:
            fill, value = _WITHHELD, "–"
        else:
            fill = to_hex(RC_CMAP((tie.rc - 1) / 4))
            value = format_cell(tie.rc, "number", lang)
        parts.append(f'<rect x="{x:g}" y="{y:g}" width="{cell:g}" height="{cell:g}" '
                     f'fill="{fill}"' + (f' data-v="{raw_number(tie.rc)}"' if tie.rc is not None
                                          else "") + "/>")
        if numbers:
            parts.append(element("text", esc(value), x=f"{x + cell / 2:.1f}",
                                 y=f"{y + cell / 2:.1f}", class_="rc-value",
                                 fill=_text_colour(fill), text_anchor="middle",
                                 dominant_baseline="central"))
    width = _LABEL + len(cols) * cell + 90  # room for the last slanted column label
    height = _LABEL + len(rows) * cell + 10
    return element("svg", parts, xmlns="http://www.w3.org/2000/svg", class_="rc-heat-svg",
                   viewBox=f"0 0 {width:.0f} {height:.0f}", width=f"{width:.0f}",
                   role="img", aria_label=label, data_top=f"{_LABEL:g}", data_cell=f"{cell:g}")
