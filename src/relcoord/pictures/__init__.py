"""The report's pictures, drawn with matplotlib: network map, heat map, profiles, invitations.

In relcoord a *figure* is a number of the results (:class:`~relcoord.metrics.scores.Figure`,
:attr:`Finding.figures <relcoord.finding.Finding.figures>`) and a drawing is a *picture*;
only matplotlib's own class keeps its name ``Figure``.

Every function returns a :class:`matplotlib.figure.Figure` built directly (never through
``pyplot``), so no global figure state leaks between calls and nothing needs closing; the
pictures are rendered with the Agg backend when saved (:func:`save_picture`), which works on
machines without a display.

:func:`render_pictures` gives all of them for an analysis, by name:

``network``
    the role network on a circle: roles grouped and coloured by organisation, node area by
    arrows received, arrows drawn from the rater to the rated role and coloured by the band
    of the tie's RC (grey: named, not rated); roles named but absent are hollow and dashed.
    Labels sit outside the circle along each role's ray, wrapped, so that 60 roles with long
    Danish names stay readable.
``heatmap``
    the tie matrix, rater (rows) by target (columns), coloured from 1 to 5 with each value
    written in its cell; organisations are separated by lines and named by label colour.
``profiles``
    the mean of each RC dimension (coloured by sub-index, with the band limits drawn), and
    how often each dimension is the lowest of a rated tie.
``invitations``
    the dialogue invitations (balkort) on the same circle, coloured by status (only when
    the study has invitations).
``change``
    the change between the two compared waves (only when the analysis carries a comparison,
    ``compare=(A, B)``): the network and every role as rater and as target, each a point
    at its change with its bootstrap confidence interval as a bar; a clear change (interval
    excluding 0 and larger than the minimal detectable change) is coloured, others grey.

Text is in Danish or English (``lang``), from the catalogue (:mod:`relcoord.messages`,
``picture.*`` and the shared terms); role names come from
:meth:`Role.label <relcoord.model.Role.label>`.  :func:`save_picture` writes PNG or SVG
deterministically (no date or software stamp, a fixed SVG hash salt), so the same analysis
gives the same bytes.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Literal

import matplotlib as mpl
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from relcoord import messages
from relcoord.report_labels import check_lang, organisation_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from relcoord.analysis import Analysis
    from relcoord.model import Role, Study

__all__ = [
    "BAND_COLOURS",
    "PICTURE_NAMES",
    "ImageFormat",
    "change_plot",
    "dimension_profiles",
    "heat_map",
    "invitation_map",
    "network_map",
    "organisation_colours",
    "render_pictures",
    "save_picture",
]

#: The pictures :func:`render_pictures` can return, in reading order.
PICTURE_NAMES: Final = ("network", "heatmap", "profiles", "invitations", "change")
#: Image formats :func:`save_picture` writes.
ImageFormat = Literal["png", "svg"]

#: Colours of the RC bands (and of arrows named but not rated).
BAND_COLOURS: Final[Mapping[str, str]] = {
    "weak": "#C8372D",
    "moderate": "#E3A21A",
    "strong": "#2E8B57",
    "none": "#A0A0A0",
    "withheld": "#6E6E6E",
}
#: Organisation colours (Paul Tol's qualitative palette without its red, yellow and green,
#: which the bands use), assigned in the study's organisation order; roles without one grey.
_ORGANISATION_PALETTE: Final = ("#4477AA", "#AA3377", "#1F8A9E", "#6A4C93", "#8C6D46",
                                "#D17FB5", "#3B3B98", "#5E7D2A")
_NO_ORGANISATION: Final = "#8A8A8A"
#: Invitation statuses: colour and line style.
_STATUS_STYLE: Final[Mapping[str, tuple[str, Literal["-", "--", "-."]]]] = {
    "accepted": ("#2E8B57", "-"),
    "held": ("#145A32", "-."),
    "declined": ("#C8372D", "-"),
    "pending": ("#8A8A8A", "--"),
}
#: The heat map's colour scale: red (weak) through amber to green (strong), 1 to 5.
_RC_CMAP: Final = LinearSegmentedColormap.from_list(
    "relcoord_rc", ["#B2182B", "#E3735E", "#F4D27A", "#A6D96A", "#1A9850"]
)
_SUB_INDEX_COLOURS: Final = {"communication": "#4477AA", "relationship": "#AA3377"}
_INK: Final = "#222222"

def _words(lang: str) -> Mapping[str, str]:
    """The pictures' phrases in ``lang`` (an unknown language is refused by name)."""
    return messages.section("picture", check_lang(lang))


def _term(key: str, lang: str) -> str:
    """A term shared with the other outputs (``band.weak``, ``status.pending``...)."""
    return messages.text(key, lang)


# --- shared helpers ----------------------------------------------------------------------------


def organisation_colours(study: Study) -> dict[str | None, str]:
    """The colour of each organisation of ``study`` (and of ``None``), stable for a study."""
    colours: dict[str | None, str] = {
        org: _ORGANISATION_PALETTE[i % len(_ORGANISATION_PALETTE)]
        for i, org in enumerate(study.organisations)
    }
    colours[None] = _NO_ORGANISATION
    return colours


def _role_order(study: Study, lang: str) -> list[Role]:
    """Roles grouped by organisation (study order, then those without one), by name within
    (in ``lang``, case-insensitive; the id breaks ties)."""
    order = [*study.organisations, None]
    rank = {org: i for i, org in enumerate(order)}
    return sorted(
        study.roles,
        key=lambda r: (rank.get(r.organisation, len(order)), r.label(lang).casefold(), r.id),
    )


#: Control characters (no font has a glyph for them); removed from text shown in a picture.
_CONTROL: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _shown(text: str, *, math: bool = True) -> str:
    """User text (a role or organisation name) as matplotlib should show it: control
    characters removed and, where matplotlib would parse ``$...$`` as mathematics (tick
    labels, legends), each ``$`` escaped so that it is shown as typed."""
    text = _CONTROL.sub("", text).replace("\t", " ")
    return text.replace("$", "\\$") if math else text


def _wrap(text: str, width: int, max_lines: int = 3) -> str:
    """``text`` wrapped at ``width`` characters, at most ``max_lines`` lines (then '…')."""
    # Long Danish compounds stay whole (a broken word reads worse than a long line).
    lines = textwrap.wrap(text, width=width, break_long_words=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width - 1)].rstrip() + "…"
    return "\n".join(lines)


def _number(value: float, lang: str, digits: int = 1) -> str:
    return messages.decimal(value, lang, digits)


def _ticks_in_language(axis: Any, lang: str, digits: Callable[[float], int]) -> None:
    """Write ``axis``'s tick values in ``lang``'s style where it differs from matplotlib's
    own (a decimal comma), each with ``digits(value)`` decimals."""
    if messages.decimal_symbol(lang) != ".":
        axis.set_major_formatter(mpl.ticker.FuncFormatter(
            lambda v, _pos: _number(v, lang, digits(v))))


def _text_colour(rgb: Sequence[float]) -> str:
    """Black or white, whichever reads better on a background (WCAG relative luminance)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(float(c)) for c in rgb[:3])
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.22 else "white"


class _Circle:
    """Roles on a circle, grouped by organisation with a gap between groups."""

    def __init__(self, study: Study, lang: str) -> None:
        self.roles = _role_order(study, lang)
        n = len(self.roles)
        groups = [r.organisation for r in self.roles]
        n_gaps = len(set(groups)) if len(set(groups)) > 1 else 0
        slots = n + n_gaps
        self.angle: dict[str, float] = {}
        slot = 0
        previous: object = object()
        for role in self.roles:
            if n_gaps and role.organisation != previous and slot:
                slot += 1
            previous = role.organisation
            # Start at the top, go clockwise; offset half a gap so groups sit symmetrically.
            self.angle[role.id] = math.pi / 2 - 2 * math.pi * (slot + 0.5) / max(slots, 1)
            slot += 1
        self.n = n
        #: Circle radius in inches: room for two lines of small text per role.
        self.radius_in = max(2.7, 0.36 * n / (2 * math.pi) * 1.1)
        self.font = 8.0 if n <= 30 else 7.0 if n <= 45 else 6.0
        self.wrap = 22 if n <= 30 else 26

    def xy(self, role_id: str) -> tuple[float, float]:
        a = self.angle[role_id]
        return math.cos(a), math.sin(a)

    def picture(self, title: str) -> tuple[Figure, Axes, float]:
        """A square picture with one axes whose unit circle is the layout; the label room
        around it fits labels of ``wrap`` characters at ``font`` points."""
        label_in = self.wrap * 0.56 * self.font / 72 + 0.35
        half = self.radius_in + label_in
        width = 2 * half + 0.3
        legend_in = 1.0
        title_in = 0.6
        fig = Figure(figsize=(width, width + legend_in + title_in), dpi=100)
        height = width + legend_in + title_in
        ax = fig.add_axes((0.0, legend_in / height, 1.0, width / height))
        limit = half / self.radius_in + 0.3 / (2 * self.radius_in)
        ax.set_xlim(-limit, limit)
        ax.set_ylim(-limit, limit)
        ax.set_aspect("equal")
        ax.set_axis_off()
        fig.text(0.5, 1 - 0.35 / height, title, ha="center", va="center", fontsize=14,
                 color=_INK, weight="bold")
        return fig, ax, height

    def draw_nodes(
        self, ax: Axes, colours: Mapping[str | None, str], sizes: Mapping[str, float],
        lang: str,
    ) -> dict[str, float]:
        """Draw each role (filled if present, hollow and dashed if absent) and its label;
        return each node's radius in points (for shrinking arrows to its edge)."""
        radius: dict[str, float] = {}
        for role in self.roles:
            x, y = self.xy(role.id)
            area = sizes.get(role.id, 60.0)
            colour = colours.get(role.organisation, _NO_ORGANISATION)
            if role.present:
                ax.scatter([x], [y], s=area, color=colour, edgecolors="white",
                           linewidths=1.2, zorder=4)
            else:
                ax.scatter([x], [y], s=area, facecolors="white", edgecolors=colour,
                           linewidths=1.6, linestyles="--", zorder=4)
            r_pt = math.sqrt(area) / 2
            radius[role.id] = r_pt
            angle = self.angle[role.id]
            degrees = math.degrees(angle) % 360
            left = 90 < degrees < 270
            offset = r_pt + 5
            ax.annotate(
                _wrap(_shown(role.label(lang), math=False), self.wrap),
                xy=(x, y),
                xytext=(math.cos(angle) * offset, math.sin(angle) * offset),
                textcoords="offset points",
                rotation=degrees - 180 if left else degrees,
                rotation_mode="anchor",
                ha="right" if left else "left",
                va="center",
                fontsize=self.font,
                color=_INK if role.present else "#555555",
                style="normal" if role.present else "italic",
                linespacing=1.0,
                zorder=5,
                parse_math=False,
            )
        return radius

    def arrow(
        self, ax: Axes, source: str, target: str, radius: Mapping[str, float], *,
        colour: str, width: float = 1.0, style: str = "-", alpha: float = 0.75,
        zorder: float = 2,
    ) -> None:
        """An arrow from ``source`` to ``target``, curved so that the two directions of a
        pair run side by side, ending at the target's edge."""
        patch = FancyArrowPatch(
            self.xy(source), self.xy(target),
            arrowstyle="-|>", mutation_scale=7 + 2 * width,
            connectionstyle="arc3,rad=0.12",
            shrinkA=radius.get(source, 4.0) + 1, shrinkB=radius.get(target, 4.0) + 2,
            color=colour, linewidth=width, linestyle=style, alpha=alpha, zorder=zorder,
        )
        ax.add_patch(patch)


def _node_sizes(counts: Mapping[str, int], n: int) -> dict[str, float]:
    """Marker areas (points²) growing with ``counts``: area proportional to the count."""
    top = max(counts.values(), default=0)
    small, large = (70.0, 900.0) if n <= 30 else (45.0, 600.0)
    return {
        role: small + (large - small) * (count / top if top else 0.0)
        for role, count in counts.items()
    }


def _legend(fig: Figure, handles: list[Any], height: float, columns: int) -> None:
    fig.legend(handles=handles, loc="lower center", ncol=columns, frameon=False,
               fontsize=9, bbox_to_anchor=(0.5, 0.1 / height), handlelength=2.2,
               columnspacing=1.6)


def _organisation_handles(study: Study, lang: str, words: Mapping[str, str]) -> list[Any]:
    colours = organisation_colours(study)
    handles: list[Any] = [
        Line2D([], [], marker="o", linestyle="", markersize=9, color=colours[org],
               label=_shown(organisation_label(org, lang)))
        for org in study.organisations
    ]
    if any(r.organisation is None for r in study.roles):
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=9,
                              color=_NO_ORGANISATION, label=organisation_label(None, lang)))
    if any(not r.present for r in study.roles):
        handles.append(Line2D([], [], marker="o", linestyle="", markersize=9,
                              markerfacecolor="white", markeredgecolor="#555555",
                              label=words["absent"]))
    return handles


# --- the pictures --------------------------------------------------------------------------------


def _network_edges(analysis: Analysis) -> list[tuple[str, str]]:
    """The arrows the analysis counted degrees on: named arrows, else rated ties."""
    if analysis.degree_basis == "arrows":
        pairs = {(t.source, t.target) for t in analysis.study.ties if t.source != t.target}
    else:
        pairs = {(t.source, t.target) for t in analysis.scores.ties
                 if t.source != t.target and t.rc is not None}
    return sorted(pairs)


def network_map(analysis: Analysis, lang: str = "da") -> Figure:
    """The role network on a circle (see the module docstring for how to read it)."""
    words = _words(lang)
    study = analysis.study
    circle = _Circle(study, lang)
    fig, ax, height = circle.picture(words["network"])
    colours = organisation_colours(study)
    in_degree = {r.id: r.in_degree for r in analysis.roles}
    radius = circle.draw_nodes(ax, colours, _node_sizes(in_degree, circle.n), lang)
    bands: dict[tuple[str, str], str] = {
        (t.source, t.target): "withheld" if t.suppressed else (t.band or "none")
        for t in analysis.scores.ties
    }
    layer = {"none": 1.0, "withheld": 1.1, "strong": 2.0, "moderate": 2.1, "weak": 2.2}
    edges = sorted(_network_edges(analysis),
                   key=lambda e: (layer[bands.get(e, "none")], e))
    for source, target in edges:
        band = bands.get((source, target), "none")
        circle.arrow(ax, source, target, radius, colour=BAND_COLOURS[band],
                     width=1.3 if band == "weak" else 1.0,
                     style=":" if band == "withheld" else "-",
                     alpha=0.55 if band == "none" else 0.8, zorder=layer[band])
    low, high = analysis.settings.bands
    band_handles: list[Any] = [
        Line2D([], [], color=BAND_COLOURS["weak"], lw=2,
               label=f"{_term('band.weak', lang)} (< {_number(low, lang)})"),
        Line2D([], [], color=BAND_COLOURS["moderate"], lw=2,
               label=f"{_term('band.moderate', lang)} ({_number(low, lang)}–"
                     f"{_number(high, lang)})"),
        Line2D([], [], color=BAND_COLOURS["strong"], lw=2,
               label=f"{_term('band.strong', lang)} (> {_number(high, lang)})"),
        Line2D([], [], color=BAND_COLOURS["none"], lw=2, label=words["not_rated"]),
    ]
    if "withheld" in bands.values():
        band_handles.append(Line2D(
            [], [], color=BAND_COLOURS["withheld"], lw=2, linestyle=":",
            label=words["withheld"].format(k=analysis.settings.min_respondents)))
    handles = _organisation_handles(study, lang, words) + band_handles
    _legend(fig, handles, height, columns=4)
    fig.text(0.5, 0.02 / height + 0.005, f"{words['size']}; {words['arrow_note']}",
             ha="center", va="bottom", fontsize=8, color="#555555")
    return fig


def _matrix(
    analysis: Analysis, lang: str
) -> tuple[list[Role], list[Role], np.ndarray[Any, Any], list[tuple[int, int]]]:
    """Rows (roles that rated), columns (roles rated), the RC matrix (NaN: not rated or
    withheld) and the cells of ties withheld by the privacy rule."""
    order = _role_order(analysis.study, lang)
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


def _empty(title: str, message: str) -> Figure:
    fig = Figure(figsize=(6, 2), dpi=100)
    fig.text(0.5, 0.7, title, ha="center", fontsize=13, weight="bold", color=_INK)
    fig.text(0.5, 0.35, message, ha="center", fontsize=11, color="#555555")
    return fig


def heat_map(analysis: Analysis, lang: str = "da") -> Figure:
    """The tie matrix, rater by target, each cell coloured by its RC and showing its value."""
    words = _words(lang)
    rows, cols, matrix, withheld = _matrix(analysis, lang)
    if not rows:
        return _empty(words["heatmap"], words["no_ratings"])
    n = max(len(rows), len(cols))
    cell = min(0.42, 15.0 / n)
    width_chars = 26 if n <= 30 else 30
    font = 8.0 if n <= 30 else 6.5 if n <= 45 else 5.5
    label_in = width_chars * 0.56 * font / 72 + 0.4
    fig = Figure(
        figsize=(len(cols) * cell + label_in + 1.6, len(rows) * cell + label_in + 0.9),
        dpi=100, layout="constrained",
    )
    ax = fig.add_subplot()
    masked = np.ma.masked_invalid(matrix)
    cmap = _RC_CMAP.with_extremes(bad="#F2F2F2")
    image = ax.imshow(masked, cmap=cmap, vmin=1, vmax=5, aspect="equal",
                      interpolation="nearest")
    value_font = max(4.5, min(9.0, cell * 72 * 0.34))
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            value = matrix[i, j]
            if math.isnan(value):
                continue
            rgb = cmap((value - 1) / 4)
            text = ax.text(j, i, _number(value, lang), ha="center", va="center",
                           fontsize=value_font, color=_text_colour(rgb))
            text.set_in_layout(False)  # inside its cell: the layout need not measure it
    for i, j in withheld:
        mark = ax.text(j, i, "–", ha="center", va="center", fontsize=value_font,
                       color="#6E6E6E")
        mark.set_in_layout(False)
    colours = organisation_colours(analysis.study)
    ax.set_xticks(range(len(cols)),
                  [_wrap(_shown(r.label(lang)), width_chars, 2) for r in cols],
                  rotation=60, ha="right", rotation_mode="anchor", fontsize=font)
    ax.set_yticks(range(len(rows)),
                  [_wrap(_shown(r.label(lang)), width_chars, 2) for r in rows], fontsize=font)
    for label, role in zip(ax.get_xticklabels(), cols, strict=True):
        label.set_color(colours.get(role.organisation, _NO_ORGANISATION))
    for label, role in zip(ax.get_yticklabels(), rows, strict=True):
        label.set_color(colours.get(role.organisation, _NO_ORGANISATION))
    ax.tick_params(length=0)
    for boundary in _group_boundaries(rows):
        ax.axhline(boundary - 0.5, color=_INK, linewidth=1.2)
    for boundary in _group_boundaries(cols):
        ax.axvline(boundary - 0.5, color=_INK, linewidth=1.2)
    # White lines between cells (cheaper than minor ticks and a grid).
    ax.hlines(np.arange(0.5, len(rows) - 1), -0.5, len(cols) - 0.5, color="white",
              linewidth=0.6)
    ax.vlines(np.arange(0.5, len(cols) - 1), -0.5, len(rows) - 0.5, color="white",
              linewidth=0.6)
    for spine in ax.spines.values():
        spine.set_visible(False)
    target_label = words["target"]
    if withheld:
        k = analysis.settings.min_respondents
        target_label += "\n" + words["withheld_cell"].format(k=k)
    ax.set_xlabel(target_label, fontsize=9, color=_INK)
    ax.set_ylabel(words["rater"], fontsize=9, color=_INK)
    ax.set_title(words["heatmap"], fontsize=13, weight="bold", color=_INK, loc="left")
    bar = fig.colorbar(image, ax=ax, shrink=min(0.8, 6 / (len(rows) * cell + 1)),
                       aspect=18, pad=0.02)
    bar.set_label(words["rc_scale"], fontsize=9)
    bar.ax.tick_params(labelsize=8)
    low, high = analysis.settings.bands
    for limit in (low, high):
        bar.ax.axhline(limit, color=_INK, linewidth=1.0)
    _ticks_in_language(bar.ax.yaxis, lang, _one_decimal)
    return fig


def _group_boundaries(roles: Sequence[Role]) -> list[int]:
    """Indexes where the organisation changes along an ordered list of roles."""
    return [i for i in range(1, len(roles))
            if roles[i].organisation != roles[i - 1].organisation]


def dimension_profiles(analysis: Analysis, lang: str = "da") -> Figure:
    """Mean per dimension (coloured by sub-index, band limits marked) and, beside it, how
    often each dimension is the lowest of a rated tie between two roles.

    The sub-index means follow the dimensions (hatched); a sub-index the instrument has no
    items for (the relationskort has no relationship items) is left out.
    """
    words = _words(lang)
    instrument = analysis.study.instrument
    scores = analysis.scores
    dims = list(instrument.dimensions)
    labels = [d.name(lang) for d in dims]
    colours = [_SUB_INDEX_COLOURS[d.sub_index] for d in dims]
    means = [scores.by_dimension.get(d.key) for d in dims]
    sub_means = {"communication": scores.overall.communication,
                 "relationship": scores.overall.relationship}
    subs = [sub for sub in ("communication", "relationship") if instrument.keys_of(sub)]
    for sub in subs:
        labels.append(messages.capital(_term(f"sub_index.{sub}", lang)))
        colours.append(_SUB_INDEX_COLOURS[sub])
        means.append(sub_means[sub])
    fig = Figure(figsize=(11, 1.5 + 0.5 * len(labels)), dpi=100, layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True, width_ratios=(1.3, 1))
    y = np.arange(len(labels), dtype=float)[::-1]
    y[len(dims):] -= 0.4  # a small gap before the sub-indices
    values = [math.nan if m is None else float(m) for m in means]
    bars = left.barh(y, [0.0 if math.isnan(v) else v - 1 for v in values], left=1,
                     color=colours, height=0.7)
    for i, (bar, value) in enumerate(zip(bars, values, strict=True)):
        if i >= len(dims):
            bar.set_hatch("//")
            bar.set_edgecolor("white")
        if not math.isnan(value):
            # The value sits inside the bar's end, clear of the band lines.
            left.text(value - 0.06, bar.get_y() + bar.get_height() / 2,
                      _number(value, lang, 2), va="center", ha="right", fontsize=9,
                      color="white", weight="bold")
    low, high = analysis.settings.bands
    left.axvline(low, color=BAND_COLOURS["weak"], linestyle="--", linewidth=1.2, zorder=3)
    left.axvline(high, color=BAND_COLOURS["strong"], linestyle="--", linewidth=1.2, zorder=3)
    left.set_xlim(1, 5)
    left.set_yticks(y, labels, fontsize=9)
    left.set_xlabel(words["mean"], fontsize=9)
    left.set_title(words["by_dimension"], fontsize=11, loc="left", color=_INK)
    left.tick_params(axis="x", labelsize=8)
    counts = Counter(
        t.lowest_dimension for t in scores.ties
        if t.source != t.target and t.rc is not None and t.lowest_dimension is not None
    )
    lowest = [counts.get(d.key, 0) for d in dims]
    right.barh(y[: len(dims)], lowest, color=colours[: len(dims)], height=0.7, alpha=0.85)
    for yy, count in zip(y[: len(dims)], lowest, strict=True):
        right.text(count + 0.2, yy, str(count), va="center", fontsize=9, color=_INK)
    right.set_xlim(0, max([*lowest, 1]) * 1.18 + 0.5)
    right.set_title(words["lowest"], fontsize=11, loc="left", color=_INK)
    right.tick_params(axis="x", labelsize=8)
    right.xaxis.get_major_locator().set_params(integer=True)
    for ax in (left, right):
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    handles = [
        Line2D([], [], color=_SUB_INDEX_COLOURS[sub], lw=8, label=_term(f"sub_index.{sub}", lang))
        for sub in subs
    ] + [
        Line2D([], [], color=BAND_COLOURS["weak"], lw=1.2, linestyle="--",
               label=f"{_term('band.weak', lang)} < {_number(low, lang)}"),
        Line2D([], [], color=BAND_COLOURS["strong"], lw=1.2, linestyle="--",
               label=f"{_term('band.strong', lang)} > {_number(high, lang)}"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles),
               frameon=False, fontsize=9)
    fig.suptitle(words["profiles"], fontsize=13, weight="bold", color=_INK)
    _ticks_in_language(left.xaxis, lang, _one_decimal)
    return fig


def invitation_map(analysis: Analysis, lang: str = "da") -> Figure:
    """The dialogue invitations on the role circle, coloured by status; node area by
    invitations received; several invitations between one pair draw a thicker arrow."""
    words = _words(lang)
    study = analysis.study
    circle = _Circle(study, lang)
    fig, ax, height = circle.picture(words["invitations"])
    received = Counter(i.target for i in study.invitations)
    sizes = _node_sizes({r.id: received.get(r.id, 0) for r in study.roles}, circle.n)
    radius = circle.draw_nodes(ax, organisation_colours(study), sizes, lang)
    arrows = Counter((i.source, i.target, i.status) for i in study.invitations
                     if i.source != i.target)
    order = {"pending": 0, "declined": 1, "accepted": 2, "held": 3}
    for (source, target, status), count in sorted(
        arrows.items(), key=lambda item: (order.get(item[0][2], 0), item[0])
    ):
        colour, style = _STATUS_STYLE.get(status, ("#8A8A8A", "-"))
        circle.arrow(ax, source, target, radius, colour=colour, style=style,
                     width=0.9 + 0.8 * (count - 1), alpha=0.8, zorder=2 + order.get(status, 0))
    handles = _organisation_handles(study, lang, words) + [
        Line2D([], [], color=_STATUS_STYLE[s][0], linestyle=_STATUS_STYLE[s][1], lw=2,
               label=_term(f"status.{s}", lang))
        for s in ("accepted", "held", "declined", "pending")
    ]
    _legend(fig, handles, height, columns=4)
    fig.text(0.5, 0.02 / height + 0.005, words["received"], ha="center", va="bottom",
             fontsize=8, color="#555555")
    return fig


def _one_decimal(value: float) -> int:
    """Decimals a tick value needs on a scale of tenths: 0 for whole numbers, else 1."""
    return 0 if float(value).is_integer() else 1


def _digits(value: float) -> int:
    """Decimals a tick value needs: 0 for whole numbers, 1 for tenths, else 2."""
    if float(value).is_integer():
        return 0
    return 1 if abs(value * 10 - round(value * 10)) < 1e-9 else 2


_CHANGE_COLOURS: Final = {"up": "#2E8B57", "down": "#C8372D", "unclear": "#8A8A8A"}
#: The legend entry of a change, by its :attr:`~relcoord.metrics.waves.Change.direction`.
_CHANGE_KIND: Final[Mapping[str | None, str]] = {"rise": "up", "fall": "down", None: "unclear"}


def change_plot(analysis: Analysis, lang: str = "da") -> Figure:
    """The change between the compared waves: network, and every role as rater and target.

    Each row is a point at the change (wave B minus wave A) with its bootstrap confidence
    interval as a horizontal bar.  Green or red marks a clear rise or fall (the interval
    excludes 0 and the change is larger than the minimal detectable change), grey a change
    within the uncertainty.  Roles without a change in either panel are left out.
    """
    words = _words(lang)
    change = analysis.change
    if change is None:
        raise ValueError("the analysis carries no wave comparison; analyse with "
                         "compare=(wave_a, wave_b)")
    title = words["change"].format(a=change.wave_a, b=change.wave_b)
    roles = [r for r in change.roles
             if r.as_rater.change is not None or r.as_target.change is not None]
    if not roles and change.network.change is None:
        return _empty(title, words["no_change"])
    order = {r.id: i for i, r in enumerate(_role_order(analysis.study, lang))}
    roles.sort(key=lambda r: order[r.id])
    labels = [messages.capital(_term("scope.network", lang))] + [
        _wrap(_shown(analysis.study.role(r.id).label(lang)), 34, 2) for r in roles
    ]
    panels = (
        (words["as_rater"], [change.network] + [r.as_rater for r in roles]),
        (words["as_target"], [change.network] + [r.as_target for r in roles]),
    )
    height = 1.8 + 0.42 * len(labels)
    fig = Figure(figsize=(11, height), dpi=100, layout="constrained")
    axes = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(labels), dtype=float)[::-1]
    y[1:] -= 0.5  # a gap below the network row
    for ax, (heading, values) in zip(axes, panels, strict=True):
        ax.axvline(0, color=_INK, linewidth=0.8)
        for yy, item in zip(y, values, strict=True):
            if item.change is None:
                continue
            colour = _CHANGE_COLOURS[_CHANGE_KIND[item.direction]]
            if item.ci_low is not None and item.ci_high is not None:
                ax.plot([item.ci_low, item.ci_high], [yy, yy], color=colour, linewidth=2.2,
                        solid_capstyle="butt", alpha=0.8)
            ax.plot([item.change], [yy], "o", color=colour, markersize=6)
        ax.set_title(heading, fontsize=11, loc="left", color=_INK)
        ax.set_xlabel(words["change_axis"].format(a=change.wave_a, b=change.wave_b),
                      fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        _ticks_in_language(ax.xaxis, lang, _digits)
    axes[0].set_yticks(y, labels, fontsize=8)
    handles = [Line2D([], [], color=_CHANGE_COLOURS[k], marker="o", lw=2.2, label=words[k])
               for k in ("up", "down", "unclear")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False,
               fontsize=9)
    fig.suptitle(title, fontsize=13, weight="bold", color=_INK)
    fig.text(0.5, 0.0, words["change_note"].format(
        p=messages.percent(change.confidence, lang), n=change.n_boot, seed=change.seed),
        ha="center", va="bottom", fontsize=7.5, color="#555555")
    return fig


def render_pictures(analysis: Analysis, lang: str = "da") -> dict[str, Figure]:
    """Every picture of the report for ``analysis``, by name (see :data:`PICTURE_NAMES`).

    ``invitations`` is left out when the study has none, ``change`` when the analysis
    carries no wave comparison.
    """
    pictures = {
        "network": network_map(analysis, lang),
        "heatmap": heat_map(analysis, lang),
        "profiles": dimension_profiles(analysis, lang),
    }
    if analysis.study.invitations:
        pictures["invitations"] = invitation_map(analysis, lang)
    if analysis.change is not None:
        pictures["change"] = change_plot(analysis, lang)
    return pictures


def save_picture(
    picture: Figure, destination: str | Path | BinaryIO, format: ImageFormat = "png", *,
    dpi: int = 150,
) -> None:
    """Write ``picture`` as PNG or SVG, deterministically: the same picture, the same bytes.

    PNG carries no software stamp; SVG has no date and a fixed hash salt for its ids.
    Writes straight to ``destination`` (a path or a binary file); callers that replace a file use
    :func:`relcoord.atomic_files.atomic_path` (the exporters do).
    """
    if format == "png":
        picture.savefig(destination, format="png", dpi=dpi, metadata={"Software": None},
                       facecolor="white")
    elif format == "svg":
        with mpl.rc_context({"svg.hashsalt": "relcoord", "svg.fonttype": "path"}):
            picture.savefig(destination, format="svg", metadata={"Date": None},
                           facecolor="white")
    else:
        raise ValueError(f"unknown image format {format!r}; expected 'png' or 'svg'")
