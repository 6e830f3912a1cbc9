"""The invitations map (picture ``invitations``): the dialogue invitations (balkort) on the
role circle of the network map, coloured by status.

Node area grows with the invitations a role receives; several invitations with one status
between one pair draw one thicker arrow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, Literal

from matplotlib.lines import Line2D

from relcoord.pictures.circle import RoleCircle, circle_legend, node_sizes
from relcoord.pictures.organisations import organisation_colours, organisation_handles
from relcoord.pictures.style import QUIET_INK
from relcoord.pictures.text import picture_words, shared_term

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = ["invitation_map"]

#: Invitation statuses: colour and line style.
_STATUS_STYLE: Final[Mapping[str, tuple[str, Literal["-", "--", "-."]]]] = {
    "accepted": ("#2E8B57", "-"),
    "held": ("#145A32", "-."),
    "declined": ("#C8372D", "-"),
    "pending": ("#8A8A8A", "--"),
}
#: Drawing order by status: open invitations below, held dialogues on top.
_STATUS_ORDER: Final[Mapping[str, int]] = {"pending": 0, "declined": 1, "accepted": 2, "held": 3}


def invitation_map(analysis: Analysis, lang: str = "da") -> Figure:
    """The dialogue invitations on the role circle, coloured by status; node area by
    invitations received; several invitations between one pair draw a thicker arrow."""
    words = picture_words(lang)
    study = analysis.study
    circle = RoleCircle(study, lang)
    fig, ax, height = circle.picture(words["invitations"])
    received = Counter(i.target for i in study.invitations)
    sizes = node_sizes({r.id: received.get(r.id, 0) for r in study.roles}, circle.n)
    radius = circle.draw_nodes(ax, organisation_colours(study), sizes, lang)
    _draw_invitations(circle, ax, radius, study)
    handles = organisation_handles(study, lang, words) + [
        Line2D([], [], color=_STATUS_STYLE[s][0], linestyle=_STATUS_STYLE[s][1], lw=2,
               label=shared_term(f"status.{s}", lang))
        for s in ("accepted", "held", "declined", "pending")
    ]
    circle_legend(fig, handles, height, columns=4)
    fig.text(0.5, 0.02 / height + 0.005, words["received"], ha="center", va="bottom",
             fontsize=8, color=QUIET_INK)
    return fig


def _draw_invitations(
    circle: RoleCircle, ax: Axes, radius: Mapping[str, float], study: Study,
) -> None:
    """One arrow per pair and status, as thick as the invitations it stands for."""
    arrows = Counter((i.source, i.target, i.status) for i in study.invitations
                     if i.source != i.target)
    for (source, target, status), count in sorted(
        arrows.items(), key=lambda item: (_STATUS_ORDER.get(item[0][2], 0), item[0])
    ):
        colour, style = _STATUS_STYLE.get(status, ("#8A8A8A", "-"))
        circle.arrow(ax, source, target, radius, colour=colour, style=style,
                     width=0.9 + 0.8 * (count - 1), alpha=0.8,
                     zorder=2 + _STATUS_ORDER.get(status, 0))
