"""The interactive network map: its data, read from the analysis, and its SVG.

Roles sit where the report's map puts them
([`relcoord.report_map.map_positions`][relcoord.report_map.map_positions]: on a circle, grouped by
organisation, a gap between organisations), so the page and the printed picture agree; the circle
grows with the number of roles and each label runs outward along its role's ray, so that 5 to 60
roles stay legible.  Node area grows with the arrows a role receives; roles named but absent are
hollow and dashed.

The map holds every arrow of the published network: the arrows named on the relationship
map and the rated ties whose RC was published
([`relcoord.report_map.network_arrows`][relcoord.report_map.network_arrows] and the analysis's
ties).  Each carries its band, its RC and its respondents as the analysis publishes them: a tie the
privacy rule withheld has no figure in the page at all (the analysis holds none), only its band
``withheld``.  Arrows the printed map would leave out of a dense network
([`relcoord.report_map.map_arrows`][relcoord.report_map.map_arrows]) are marked, so that the page
opens showing what the picture shows, and a reader may show the rest.

The figures a script reads are data attributes (``data-rc``, ``data-n``...); the words of a
role's tooltip are written here from the catalogue, those of an arrow's by the script from
the words the page carries (`relcoord_html.page`).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

import attrs
import numpy as np

from relcoord import messages
from relcoord.report_labels import heading, organisation_label
from relcoord.report_map import map_arrows, map_positions, role_order, tie_bands
from relcoord.report_model import format_cell
from relcoord_html.markup import element, esc, raw_number

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["BAND_ORDER", "MapArrow", "MapNode", "NetworkMap", "arrow_defs", "network_map",
           "network_svg"]

#: The bands an arrow may have, in drawing order (grey ones below, the weak ties on top).
BAND_ORDER: Final = ("none", "withheld", "strong", "moderate", "weak")
#: How many characters a label line holds before it wraps (two lines at most).
_WRAP: Final = 26


@attrs.frozen
class MapNode:
    """A role on the map: where it sits (``x``, ``y`` in the SVG's units, ``y`` down),
    its ``angle`` (radians, from the x axis, counter-clockwise as on paper), its node
    ``radius`` and ``summary``, the words a tooltip and a screen reader give."""

    id: str
    label: str
    organisation: str | None
    colour: str
    present: bool
    x: float
    y: float
    angle: float
    radius: float
    summary: str


@attrs.frozen
class MapArrow:
    """An arrow from role ``source`` to role ``target`` (indices into the map's nodes):
    its ``band`` (`BAND_ORDER`), the published ``rc`` and ``n_respondents`` (``None``
    when not rated or withheld), whether it was ``named`` on a relationship map and
    ``rated``, the ``waves`` it occurs in, whether the printed map shows it
    (``selected``) and whether the pair points both ways (``reciprocal``)."""

    source: int
    target: int
    band: str
    rc: float | None
    n_respondents: int | None
    named: bool
    rated: bool
    waves: tuple[str, ...]
    selected: bool
    reciprocal: bool


@attrs.frozen
class NetworkMap:
    """What the interactive map draws: nodes, arrows, the map's ``half`` width (SVG units:
    the view box runs from ``-half`` to ``half``), the label ``font`` size, the
    organisations (id, label, colour) and the study's waves."""

    nodes: tuple[MapNode, ...]
    arrows: tuple[MapArrow, ...]
    half: float
    font: float
    organisations: tuple[tuple[str, str, str], ...]
    waves: tuple[str, ...]
    shown: int
    total: int
    rule: str


def _rated_waves(analysis: Analysis) -> dict[tuple[str, str], set[str]]:
    """The waves in which each pair of roles was rated."""
    ratings = analysis.study.ratings
    found: dict[tuple[str, str], set[str]] = {}
    if not len(ratings.source) or not ratings.waves:
        return found
    keep = ratings.wave >= 0
    n_roles, n_waves = len(ratings.roles), len(ratings.waves)
    codes = (ratings.source[keep].astype(np.int64) * n_roles
             + ratings.target[keep]) * n_waves + ratings.wave[keep]
    for code in np.unique(codes).tolist():
        pair, wave = divmod(int(code), n_waves)
        source, target = divmod(pair, n_roles)
        found.setdefault((ratings.roles[source], ratings.roles[target]), set()).add(
            ratings.waves[wave])
    return found


def _summary(analysis: Analysis, role_id: str, lang: str) -> str:
    """A role's figures in words: name, organisation, arrows in and out, RC as rater and
    as target (what the analysis publishes; a withheld figure is a dash)."""
    t = messages.section("report", lang)
    summary = next(r for r in analysis.roles if r.id == role_id)
    role = summary.role
    parts = [role.label(lang)]
    if role.organisation is not None:
        parts[0] += f" ({organisation_label(role.organisation, lang)})"
    if not role.present:
        parts.append(heading("role.absent", lang))
    parts += [f"{t['in']}: {summary.in_degree}", f"{t['out']}: {summary.out_degree}",
              f"{t['rc_rater']}: {format_cell(summary.rc_as_rater, 'number', lang)}",
              f"{t['rc_target']}: {format_cell(summary.rc_as_target, 'number', lang)}"]
    return "; ".join(parts)


def _geometry(n: int) -> tuple[float, float, float]:
    """The circle's radius, the label font and the map's half width for ``n`` roles (SVG
    units): two label lines of room per role along the circle."""
    font = 11.0 if n <= 30 else 10.0 if n <= 45 else 9.0
    radius = max(170.0, (n + 6) * (2.3 * font + 6) / (2 * math.pi))
    half = radius + 20 + _WRAP * 0.55 * font + 10
    return radius, font, half


def network_map(analysis: Analysis, lang: str) -> NetworkMap:
    """The data of the interactive map of ``analysis`` in ``lang`` (see the module
    docstring)."""
    from relcoord.pictures.organisations import organisation_colours

    study = analysis.study
    roles = role_order(study, lang)
    positions = map_positions(study, lang)
    radius, font, half = _geometry(len(roles))
    colours = organisation_colours(study)
    in_degree = {r.id: r.in_degree for r in analysis.roles}
    top = max(in_degree.values(), default=0)
    small, large = (5.0, 16.0) if len(roles) <= 30 else (4.0, 12.0)
    nodes = []
    for role in roles:
        x, y = positions[role.id]
        share = in_degree.get(role.id, 0) / top if top else 0.0
        nodes.append(MapNode(
            role.id, role.label(lang), role.organisation, colours.get(role.organisation,
                                                                       colours[None]),
            role.present, round(x * radius, 2), round(-y * radius, 2), math.atan2(y, x),
            round(small + (large - small) * math.sqrt(share), 2),
            _summary(analysis, role.id, lang)))
    index = {node.id: i for i, node in enumerate(nodes)}
    bands = tie_bands(analysis)
    published = {(t.source, t.target): t for t in analysis.scores.ties
                 if t.source != t.target and (t.rc is not None or t.suppressed)}
    named_waves: dict[tuple[str, str], set[str]] = {}
    for tie in study.ties:
        if tie.source != tie.target:
            named_waves.setdefault((tie.source, tie.target), set()).update(
                () if tie.wave is None else (tie.wave,))
    rated_waves = _rated_waves(analysis)
    pairs = sorted(set(named_waves) | {p for p, t in published.items() if t.rc is not None})
    chosen = map_arrows(analysis)
    selected = set(chosen.arrows)
    drawn = set(pairs)
    arrows = []
    for pair in pairs:
        rated = published.get(pair)
        arrows.append(MapArrow(
            index[pair[0]], index[pair[1]], bands.get(pair, "none"),
            None if rated is None else rated.rc, None if rated is None else rated.n_respondents,
            pair in named_waves, rated is not None,
            tuple(sorted(named_waves.get(pair, set()) | rated_waves.get(pair, set()))),
            pair in selected, (pair[1], pair[0]) in drawn))
    arrows.sort(key=lambda a: (BAND_ORDER.index(a.band), a.source, a.target))
    organisations = tuple((org, organisation_label(org, lang), colours[org])
                          for org in study.organisations)
    if any(r.organisation is None for r in roles):
        organisations += (("", organisation_label(None, lang), colours[None]),)
    return NetworkMap(tuple(nodes), tuple(arrows), round(half, 2), font, organisations,
                      tuple(study.waves), len(chosen.arrows), chosen.total, chosen.rule)


def _arrow_path(source: MapNode, target: MapNode, reciprocal: bool) -> str:
    """The arrow's path from the source's edge to the target's edge: straight, or for one
    of a pair a quadratic arc bending to its left, so that the two directions run side by
    side."""
    x1, y1, x2, y2 = source.x, source.y, target.x, target.y
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    if reciprocal:
        bend = 0.2
        cx, cy = (x1 + x2) / 2 + bend * dy, (y1 + y2) / 2 - bend * dx
        ax, ay = cx - x1, cy - y1
        bx, by = x2 - cx, y2 - cy
        a_len, b_len = math.hypot(ax, ay) or 1.0, math.hypot(bx, by) or 1.0
        sx, sy = x1 + ax / a_len * (source.radius + 1), y1 + ay / a_len * (source.radius + 1)
        ex, ey = x2 - bx / b_len * (target.radius + 2), y2 - by / b_len * (target.radius + 2)
        return f"M{sx:.1f},{sy:.1f}Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}"
    ux, uy = dx / length, dy / length
    sx, sy = x1 + ux * (source.radius + 1), y1 + uy * (source.radius + 1)
    ex, ey = x2 - ux * (target.radius + 2), y2 - uy * (target.radius + 2)
    return f"M{sx:.1f},{sy:.1f}L{ex:.1f},{ey:.1f}"


def _label(node: MapNode, font: float) -> str:
    """The role's name outside its node along its ray, reading left to right (turned
    half a circle on the left side), wrapped to two lines."""
    degrees = math.degrees(node.angle) % 360
    left = 90 < degrees < 270
    rotation = -degrees + (180 if left else 0)
    offset = node.radius + 5
    x = node.x + math.cos(node.angle) * offset
    y = node.y - math.sin(node.angle) * offset
    lines = textwrap.wrap(node.label, _WRAP, break_long_words=False) or [node.label]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), _WRAP, placeholder="…")]
    first = 0.35 - 0.55 * (len(lines) - 1)
    spans = "".join(
        element("tspan", esc(line), x="0", dy=f"{first if i == 0 else 1.1:.2f}em")
        for i, line in enumerate(lines))
    return element("text", spans, class_="rc-label",
                   transform=f"translate({x:.1f},{y:.1f}) rotate({rotation:.1f})",
                   text_anchor="end" if left else "start", font_size=f"{font:g}")


def arrow_defs(band_colours: Mapping[str, str]) -> str:
    """An arrowhead per band (ids ``rc-head-BAND``) and the style that colours each band's
    arrows, written once per page and shared by every language's map."""
    heads = "".join(
        element("marker", element("path", d="M0,0L10,5L0,10z", fill=band_colours[band]),
                id=f"rc-head-{band}", viewBox="0 0 10 10", refX="9", refY="5",
                markerWidth="5", markerHeight="5", orient="auto", markerUnits="strokeWidth")
        for band in BAND_ORDER)
    style = "".join(f'.rc-arrow[data-band="{band}"]{{stroke:{band_colours[band]};'
                    f"marker-end:url(#rc-head-{band})}}" for band in BAND_ORDER)
    return (element("svg", element("defs", heads), class_="rc-defs", width="0", height="0",
                    aria_hidden="true", focusable="false")
            + element("style", style))


def network_svg(data: NetworkMap, label: str) -> str:
    """The map as SVG: the arrows (data attributes for the script; colour and arrowhead
    from `arrow_defs`) and the nodes, each a focusable button with its label."""
    several_waves = len(data.waves) > 1
    arrows = []
    for arrow in data.arrows:
        source, target = data.nodes[arrow.source], data.nodes[arrow.target]
        arrows.append(element(
            "path", d=_arrow_path(source, target, arrow.reciprocal), class_="rc-arrow",
            data_s=arrow.source, data_t=arrow.target, data_band=arrow.band,
            data_rc=raw_number(arrow.rc), data_n=raw_number(arrow.n_respondents),
            data_named="1" if arrow.named else None, data_rated="1" if arrow.rated else None,
            data_waves=" ".join(arrow.waves) or None if several_waves else None,
            data_sel="1" if arrow.selected else None))
    nodes = []
    for i, node in enumerate(data.nodes):
        circle = element("circle", cx=f"{node.x:.1f}", cy=f"{node.y:.1f}",
                         r=f"{node.radius:.1f}", fill=node.colour if node.present else "#fff",
                         stroke=node.colour if not node.present else "#fff",
                         class_="rc-dot" if node.present else "rc-dot rc-absent")
        nodes.append(element(
            "g", circle + _label(node, data.font), class_="rc-node", tabindex="0",
            role="button", aria_label=node.summary, aria_pressed="false", data_i=i,
            data_role=node.id, data_name=node.label, data_org=node.organisation or ""))
    half = data.half
    return element(
        "svg",
        element("g", [element("g", arrows, class_="rc-arrows"),
                      element("g", nodes, class_="rc-nodes")], class_="rc-viewport"),
        xmlns="http://www.w3.org/2000/svg", class_="rc-map-svg",
        viewBox=f"{-half:.1f} {-half:.1f} {2 * half:.1f} {2 * half:.1f}",
        role="group", aria_label=label)
