"""The dimension profile (picture ``profiles``): the mean of each RC dimension, and how often
each dimension is the lowest of a rated tie.

The left panel shows each dimension's mean, coloured by its sub-index, then the sub-index
means (hatched), with the band limits drawn; a sub-index the instrument has no items for
(the relationskort has no relationship items) is left out.  The right panel counts, per
dimension, the rated ties between two roles whose lowest dimension it is.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from relcoord import messages
from relcoord.pictures.style import BAND_COLOURS, INK, SUB_INDEX_COLOURS
from relcoord.pictures.text import (
    number,
    one_decimal,
    picture_words,
    shared_term,
    ticks_in_language,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from relcoord.analysis import Analysis
    from relcoord.instruments import Dimension

__all__ = ["dimension_profiles"]


class _Rows(NamedTuple):
    """The rows of the profile, top to bottom: the dimensions, then the sub-indices."""

    dimensions: list[Dimension]
    sub_indices: list[str]
    labels: list[str]
    colours: list[str]
    means: list[float]  # NaN where undefined


def _rows(analysis: Analysis, lang: str) -> _Rows:
    """The instrument's dimensions and the sub-indices it has items for, with their means."""
    instrument = analysis.study.instrument
    scores = analysis.scores
    dims = list(instrument.dimensions)
    labels = [d.name(lang) for d in dims]
    colours = [SUB_INDEX_COLOURS[d.sub_index] for d in dims]
    means = [scores.by_dimension.get(d.key) for d in dims]
    sub_means = {"communication": scores.overall.communication,
                 "relationship": scores.overall.relationship}
    subs = [sub for sub in ("communication", "relationship") if instrument.keys_of(sub)]
    for sub in subs:
        labels.append(messages.capital(shared_term(f"sub_index.{sub}", lang)))
        colours.append(SUB_INDEX_COLOURS[sub])
        means.append(sub_means[sub])
    values = [math.nan if m is None else float(m) for m in means]
    return _Rows(dims, subs, labels, colours, values)


def dimension_profiles(analysis: Analysis, lang: str = "da") -> Figure:
    """Mean per dimension (coloured by sub-index, band limits marked) and, beside it, how
    often each dimension is the lowest of a rated tie between two roles.

    The sub-index means follow the dimensions (hatched); a sub-index the instrument has no
    items for (the relationskort has no relationship items) is left out.
    """
    words = picture_words(lang)
    rows = _rows(analysis, lang)
    fig = Figure(figsize=(11, 1.5 + 0.5 * len(rows.labels)), dpi=100, layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=(1.3, 1))
    y = np.arange(len(rows.labels), dtype=float)[::-1]
    y[len(rows.dimensions):] -= 0.4  # a small gap before the sub-indices
    bands = analysis.settings.bands
    _draw_means(left, y, rows, bands, words, lang)
    _draw_lowest(right, y, rows, analysis, words)
    for ax in (left, right):
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = _legend_handles(rows.sub_indices, bands, lang)
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles),
               frameon=False, fontsize=9)
    fig.suptitle(words["profiles"], fontsize=13, weight="bold", color=INK)
    ticks_in_language(left.xaxis, lang, one_decimal)
    return fig


def _draw_means(
    ax: Axes, y: np.ndarray[Any, Any], rows: _Rows, bands: tuple[float, float],
    words: Mapping[str, str], lang: str,
) -> None:
    """The left panel: a bar from 1 to each mean, the value written inside its end."""
    n_dims = len(rows.dimensions)
    values = rows.means
    bars = ax.barh(y, [0.0 if math.isnan(v) else v - 1 for v in values], left=1,
                   color=rows.colours, height=0.7)
    for i, (bar, value) in enumerate(zip(bars, values, strict=True)):
        if i >= n_dims:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
        if not math.isnan(value):
            # The value sits inside the bar's end, clear of the band lines.
            ax.text(value - 0.06, bar.get_y() + bar.get_height() / 2,
                    number(value, lang, 2), va="center", ha="right", fontsize=9,
                    color="white", weight="bold")
    low, high = bands
    ax.axvline(low, color=BAND_COLOURS["weak"], linestyle="--", linewidth=1.2, zorder=3)
    ax.axvline(high, color=BAND_COLOURS["strong"], linestyle="--", linewidth=1.2, zorder=3)
    ax.set_xlim(1, 5)
    ax.set_yticks(y, rows.labels, fontsize=9)
    ax.set_xlabel(words["mean"], fontsize=9)
    ax.set_title(words["by_dimension"], fontsize=11, loc="left", color=INK)
    ax.tick_params(axis="x", labelsize=8)


def _draw_lowest(
    ax: Axes, y: np.ndarray[Any, Any], rows: _Rows, analysis: Analysis,
    words: Mapping[str, str],
) -> None:
    """The right panel: per dimension, the rated ties (two roles) it is the lowest of."""
    n_dims = len(rows.dimensions)
    counts = Counter(
        t.lowest_dimension for t in analysis.scores.ties
        if t.source != t.target and t.rc is not None and t.lowest_dimension is not None
    )
    lowest = [counts.get(d.key, 0) for d in rows.dimensions]
    ax.barh(y[:n_dims], lowest, color=rows.colours[:n_dims], height=0.7, alpha=0.85)
    for yy, count in zip(y[:n_dims], lowest, strict=True):
        ax.text(count + 0.2, yy, str(count), va="center", fontsize=9, color=INK)
    ax.set_xlim(0, max([*lowest, 1]) * 1.18 + 0.5)
    ax.set_title(words["lowest"], fontsize=11, loc="left", color=INK)
    ax.tick_params(axis="x", labelsize=8)
    locator = ax.xaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):  # the default AutoLocator is one
        locator.set_params(integer=True)  # counts: whole-number ticks


def _legend_handles(
    sub_indices: Sequence[str], bands: tuple[float, float], lang: str,
) -> list[Any]:
    """Legend entries: the sub-index colours, then the two band limits."""
    low, high = bands
    handles: list[Any] = [
        Line2D([], [], color=SUB_INDEX_COLOURS[sub], lw=8,
               label=shared_term(f"sub_index.{sub}", lang))
        for sub in sub_indices
    ]
    handles.append(Line2D([], [], color=BAND_COLOURS["weak"], lw=1.2, linestyle="--",
                          label=f"{shared_term('band.weak', lang)} < {number(low, lang)}"))
    handles.append(Line2D([], [], color=BAND_COLOURS["strong"], lw=1.2, linestyle="--",
                          label=f"{shared_term('band.strong', lang)} > {number(high, lang)}"))
    return handles
