"""The role circle that the network map and the invitations map share: roles on a circle,
grouped by organisation, labelled outside the circle along each role's ray, with curved
arrows between them and a legend below.

Labels are wrapped and the circle grows with the number of roles, so that 60 roles with
long Danish names stay readable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from relcoord.pictures.style import INK, QUIET_INK
from relcoord.pictures.text import shown, wrap
from relcoord.report_map import (
    NO_ORGANISATION,
    circle_radius,
    map_angles,
    node_sizes,
    role_order,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from relcoord.model import Role, Study

__all__ = ["RoleCircle", "circle_legend", "node_sizes"]  # node_sizes: from report_map


class RoleCircle:
    """Roles on a circle, grouped by organisation with a gap between groups."""

    def __init__(self, study: Study, lang: str) -> None:
        self.roles = role_order(study, lang)
        n = len(self.roles)
        self.angle = map_angles(self.roles)
        self.n = n
        #: Circle radius in inches: room for two lines of small text per role.
        self.radius_in = circle_radius(n) / 72
        self.font = 8.0 if n <= 30 else 7.0 if n <= 45 else 6.0
        self.wrap = 22 if n <= 30 else 26

    def xy(self, role_id: str) -> tuple[float, float]:
        """Where a role sits on the unit circle."""
        a = self.angle[role_id]
        return math.cos(a), math.sin(a)

    def picture(self, title: str) -> tuple[Figure, Axes, float]:
        """A square picture with one axes whose unit circle is the layout, the title above
        and room for the legend below; the label room around the circle fits labels of
        ``wrap`` characters at ``font`` points.  Returns the picture, the axes and the
        picture's height in inches."""
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
                 color=INK, weight="bold")
        return fig, ax, height

    def draw_nodes(
        self, ax: Axes, colours: Mapping[str | None, str], sizes: Mapping[str, float],
        lang: str,
    ) -> dict[str, float]:
        """Draw each role (filled if present, hollow and dashed if absent) and its label;
        return each node's radius in points (for shrinking arrows to its edge)."""
        radius: dict[str, float] = {}
        for role in self.roles:
            area = sizes.get(role.id, 60.0)
            self._draw_node(ax, role, area, colours.get(role.organisation, NO_ORGANISATION))
            radius[role.id] = math.sqrt(area) / 2
            self._draw_label(ax, role, radius[role.id], lang)
        return radius

    def _draw_node(self, ax: Axes, role: Role, area: float, colour: str) -> None:
        x, y = self.xy(role.id)
        if role.present:
            ax.scatter([x], [y], s=area, color=colour, edgecolors="white",
                       linewidths=1.2, zorder=4)
        else:
            ax.scatter([x], [y], s=area, facecolors="white", edgecolors=colour,
                       linewidths=1.6, linestyles="--", zorder=4)

    def _draw_label(self, ax: Axes, role: Role, node_radius: float, lang: str) -> None:
        """The role's name just outside its node, along its ray, reading left to right."""
        angle = self.angle[role.id]
        degrees = math.degrees(angle) % 360
        left = 90 < degrees < 270
        offset = node_radius + 5
        ax.annotate(
            wrap(shown(role.label(lang), math=False), self.wrap),
            xy=self.xy(role.id),
            xytext=(math.cos(angle) * offset, math.sin(angle) * offset),
            textcoords="offset points",
            rotation=degrees - 180 if left else degrees,
            rotation_mode="anchor",
            ha="right" if left else "left",
            va="center",
            fontsize=self.font,
            color=INK if role.present else QUIET_INK,
            style="normal" if role.present else "italic",
            linespacing=1.0,
            zorder=5,
            parse_math=False,
        )

    def arrow(
        self, ax: Axes, source: str, target: str, radius: Mapping[str, float], *,
        colour: str, width: float = 1.0, style: str = "-", alpha: float = 0.75,
        zorder: float = 2, bend: float = 0.12,
    ) -> None:
        """An arrow from ``source`` to ``target``, ending at the target's edge; ``bend``
        curves it (to its left as it runs), so that the two directions of a pair run side
        by side as two arcs; 0 draws a straight arrow."""
        patch = FancyArrowPatch(
            self.xy(source), self.xy(target),
            arrowstyle="-|>", mutation_scale=7 + 2 * width,
            connectionstyle=f"arc3,rad={bend}",
            shrinkA=radius.get(source, 4.0) + 1, shrinkB=radius.get(target, 4.0) + 2,
            color=colour, linewidth=width, linestyle=style, alpha=alpha, zorder=zorder,
        )
        ax.add_patch(patch)


def circle_legend(fig: Figure, handles: list[Any], height: float, columns: int) -> None:
    """The legend of a circle picture, centred below the circle (``height`` in inches)."""
    fig.legend(handles=handles, loc="lower center", ncol=columns, frameon=False,
               fontsize=9, bbox_to_anchor=(0.5, 0.1 / height), handlelength=2.2,
               columnspacing=1.6)
