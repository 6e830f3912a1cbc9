"""The heat map (picture ``heatmap``): the tie matrix, rater (rows) by target (columns).

Each cell is coloured from 1 to 5 by its tie's RC and shows the value; a tie withheld by the
privacy rule shows a dash.  Roles are grouped by organisation, the groups separated by lines
and named by the colour of the labels; the colour bar marks the band limits.

Up to [`LARGE`][relcoord.pictures.heatmap.LARGE] roles the picture is drawn large and a document
scales it down.  Above that it is drawn at the size of a printed page
([`PAGE_WIDTH`][relcoord.pictures.heatmap.PAGE_WIDTH]), so that its text keeps its size on paper:
labels on one line, and the cells, too small for a number, show their colour only (the picture says
so; the report's tables hold the numbers).  The title is never wider than the picture.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from relcoord.pictures.organisations import NO_ORGANISATION, organisation_colours, role_order
from relcoord.pictures.style import INK, RC_CMAP, empty_picture, text_colour
from relcoord.pictures.text import (
    number,
    one_decimal,
    picture_words,
    shown,
    ticks_in_language,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap

    from relcoord.analysis import Analysis
    from relcoord.model import Role

__all__ = ["LARGE", "PAGE_WIDTH", "heat_map"]

#: Above this many roles (rows or columns), the heat map is drawn at page size.
LARGE = 30
#: The width (inches) of a heat map drawn at page size: an A4 page's text width.
PAGE_WIDTH = 6.5
#: The smallest cell (points) that shows its number.
_NUMBER_CELL = 12.0
#: A withheld cell of a heat map too small for numbers.
_WITHHELD = "#B4B4B4"


class _Layout(NamedTuple):
    """Sizes that follow from the number of roles: cell side (inches), label width
    (characters), label font (points), the room the labels take (inches) and the lines a
    label may take."""

    cell: float
    label_chars: int
    font: float
    label_in: float
    label_lines: int = 2


def _layout(n: int) -> _Layout:
    """Smaller cells and labels for more roles; above [`LARGE`][relcoord.pictures.heatmap.LARGE]
    roles, sizes that fit a printed page as they are."""
    if n > LARGE:
        label_in = 1.75
        cell = (PAGE_WIDTH - label_in - 0.9) / n
        font = max(3.5, min(5.5, cell * 72 * 0.8))
        return _Layout(cell, 34, font, label_in, 1)
    cell = min(0.42, 15.0 / n)
    width_chars = 26
    font = 8.0
    label_in = width_chars * 0.56 * font / 72 + 0.4
    return _Layout(cell, width_chars, font, label_in)


def _title_width(title: str) -> float:
    """The width (inches) the heat map's title takes at 13 points, bold, with a margin."""
    return len(title) * 13 * 0.62 / 72 + 0.4


def heat_map(analysis: Analysis, lang: str = "da") -> Figure:
    """The tie matrix, rater by target, each cell coloured by its RC and showing its value."""
    words = picture_words(lang)
    rows, cols, matrix, withheld = _matrix(analysis, lang)
    if not rows:
        return empty_picture(words["heatmap"], words["no_ratings"])
    layout = _layout(max(len(rows), len(cols)))
    large = max(len(rows), len(cols)) > LARGE
    width = len(cols) * layout.cell + layout.label_in + (0.9 if large else 1.6)
    # the title starts above the matrix, right of the row labels: does it fit there?
    narrow = _title_width(words["heatmap"]) > width - layout.label_in
    fig = Figure(
        figsize=(max(width, _title_width(words["heatmap"])),
                 len(rows) * layout.cell + layout.label_in + 0.9),
        dpi=100, layout="constrained",
    )
    ax = fig.add_subplot()
    cmap = RC_CMAP.with_extremes(bad="#F2F2F2")
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=1, vmax=5,
                      aspect="equal", interpolation="nearest")
    numbers = layout.cell * 72 >= _NUMBER_CELL
    if numbers:
        _write_values(ax, matrix, withheld, cmap, layout.cell, lang)
    elif withheld:
        _grey_cells(ax, matrix.shape, withheld)
    _label_roles(ax, rows, cols, organisation_colours(analysis.study), layout, lang)
    _draw_grid(ax, rows, cols)
    target_label = words["target"]
    if withheld and numbers:
        k = analysis.settings.min_respondents
        target_label += "\n" + words["withheld_cell"].format(k=k)
    if not numbers:
        target_label += "\n" + words["colours_only"]
        if withheld:
            target_label += "\n" + words["withheld_grey"].format(
                k=analysis.settings.min_respondents)
    ax.set_xlabel(target_label, fontsize=9 if not large else 7, color=INK)
    ax.set_ylabel(words["rater"], fontsize=9 if not large else 7, color=INK)
    if narrow:  # a title wider than the matrix: above the whole picture, from its left edge
        fig.suptitle(words["heatmap"], x=0.02, ha="left", fontsize=13, weight="bold",
                     color=INK)
    else:
        ax.set_title(words["heatmap"], fontsize=13 if not large else 10, weight="bold",
                     color=INK, loc="left")
    _colour_bar(fig, ax, image, len(rows) * layout.cell, words["rc_scale"],
                analysis.settings.bands, lang)
    return fig


def _matrix(
    analysis: Analysis, lang: str
) -> tuple[list[Role], list[Role], np.ndarray[Any, Any], list[tuple[int, int]]]:
    """Rows (roles that rated), columns (roles rated), the RC matrix (NaN: not rated or
    withheld) and the cells of ties withheld by the privacy rule."""
    order = role_order(analysis.study, lang)
    rated = [t for t in analysis.scores.ties if t.rc is not None or t.suppressed]
    sources = {t.source for t in rated}
    targets = {t.target for t in rated}
    rows = [r for r in order if r.id in sources]
    cols = [r for r in order if r.id in targets]
    row_index = {r.id: i for i, r in enumerate(rows)}
    col_index = {r.id: i for i, r in enumerate(cols)}
    matrix = np.full((len(rows), len(cols)), np.nan)
    withheld: list[tuple[int, int]] = []
    for tie in rated:
        cell = row_index[tie.source], col_index[tie.target]
        if tie.rc is None:
            withheld.append(cell)
        else:
            matrix[cell] = tie.rc
    return rows, cols, matrix, withheld


def _write_values(
    ax: Axes, matrix: np.ndarray[Any, Any], withheld: Sequence[tuple[int, int]],
    cmap: Colormap, cell: float, lang: str,
) -> None:
    """Each RC in its cell, in black or white for contrast; a dash in each withheld cell."""
    value_font = max(4.5, min(9.0, cell * 72 * 0.34))
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            value = matrix[i, j]
            if math.isnan(value):
                continue
            rgb = cmap((value - 1) / 4)
            text = ax.text(j, i, number(value, lang), ha="center", va="center",
                           fontsize=value_font, color=text_colour(rgb))
            text.set_in_layout(False)  # inside its cell: the layout need not measure it
    for i, j in withheld:
        mark = ax.text(j, i, "–", ha="center", va="center", fontsize=value_font,
                       color="#6E6E6E")
        mark.set_in_layout(False)


def _grey_cells(ax: Axes, shape: tuple[int, ...], withheld: Sequence[tuple[int, int]]) -> None:
    """The withheld cells in a darker grey than the cells not rated (for a heat map too
    small for the dash of [`_write_values`][relcoord.pictures.heatmap._write_values])."""
    mask = np.full(shape, np.nan)
    for i, j in withheld:
        mask[i, j] = 1.0
    ax.imshow(np.ma.masked_invalid(mask), cmap=ListedColormap([_WITHHELD]), vmin=0, vmax=1,
              aspect="equal", interpolation="nearest")


def _label_roles(
    ax: Axes, rows: Sequence[Role], cols: Sequence[Role],
    colours: Mapping[str | None, str], layout: _Layout, lang: str,
) -> None:
    """Role names along both axes, wrapped, in their organisation's colour."""
    lines = layout.label_lines
    ax.set_xticks(range(len(cols)),
                  [wrap(shown(r.label(lang)), layout.label_chars, lines) for r in cols],
                  rotation=60, ha="right", rotation_mode="anchor", fontsize=layout.font)
    ax.set_yticks(range(len(rows)),
                  [wrap(shown(r.label(lang)), layout.label_chars, lines) for r in rows],
                  fontsize=layout.font)
    for label, role in zip(ax.get_xticklabels(), cols, strict=True):
        label.set_color(colours.get(role.organisation, NO_ORGANISATION))
    for label, role in zip(ax.get_yticklabels(), rows, strict=True):
        label.set_color(colours.get(role.organisation, NO_ORGANISATION))
    ax.tick_params(length=0)


def _draw_grid(ax: Axes, rows: Sequence[Role], cols: Sequence[Role]) -> None:
    """Dark lines between organisations, white lines between cells, no frame."""
    for boundary in _group_boundaries(rows):
        ax.axhline(boundary - 0.5, color=INK, linewidth=1.2)
    for boundary in _group_boundaries(cols):
        ax.axvline(boundary - 0.5, color=INK, linewidth=1.2)
    # White lines between cells (cheaper than minor ticks and a grid).
    ax.hlines(np.arange(0.5, len(rows) - 1), -0.5, len(cols) - 0.5, color="white",
              linewidth=0.6)
    ax.vlines(np.arange(0.5, len(cols) - 1), -0.5, len(rows) - 0.5, color="white",
              linewidth=0.6)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _group_boundaries(roles: Sequence[Role]) -> list[int]:
    """Indexes where the organisation changes along an ordered list of roles."""
    return [i for i in range(1, len(roles))
            if roles[i].organisation != roles[i - 1].organisation]


def _colour_bar(
    fig: Figure, ax: Axes, image: Any, matrix_height: float, label: str,
    bands: tuple[float, float], lang: str,
) -> None:
    """The RC scale beside the matrix (``matrix_height`` inches tall), band limits marked."""
    bar = fig.colorbar(image, ax=ax, shrink=min(0.8, 6 / (matrix_height + 1)),
                       aspect=18, pad=0.02)
    bar.set_label(label, fontsize=9)
    bar.ax.tick_params(labelsize=8)
    low, high = bands
    for limit in (low, high):
        bar.ax.axhline(limit, color=INK, linewidth=1.0)
    ticks_in_language(bar.ax.yaxis, lang, one_decimal)
