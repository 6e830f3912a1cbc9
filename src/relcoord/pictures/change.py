"""The change plot (picture ``change``): the change between the two compared waves.

Only for an analysis that carries a comparison (``compare=(A, B)``).  Two panels, the network
and every role as rater and as target; each row is a point at its change (wave B minus wave
A) with its bootstrap confidence interval as a bar.  A clear change
([`Change.is_clear`][relcoord.metrics.waves.results.Change.is_clear]: the interval excludes 0
and the change is larger than the minimal detectable change) is coloured, others grey.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from relcoord import messages
from relcoord.pictures.organisations import role_order
from relcoord.pictures.style import INK, QUIET_INK, empty_picture
from relcoord.pictures.text import picture_words, shared_term, shown, ticks_in_language, wrap

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from relcoord.analysis import Analysis
    from relcoord.metrics.waves import Change, RoleChange, WaveComparison

__all__ = ["change_plot"]

_CHANGE_COLOURS: Final = {"up": "#2E8B57", "down": "#C8372D", "unclear": "#8A8A8A"}
#: The legend entry of a change, by its
#: [`direction`][relcoord.metrics.waves.results.Change.direction].
_CHANGE_KIND: Final[Mapping[str | None, str]] = {"rise": "up", "fall": "down", None: "unclear"}


def change_plot(analysis: Analysis, lang: str = "da") -> Figure:
    """The change between the compared waves: network, and every role as rater and target.

    Each row is a point at the change (wave B minus wave A) with its bootstrap confidence
    interval as a horizontal bar.  Green or red marks a clear rise or fall (the interval
    excludes 0 and the change is larger than the minimal detectable change), grey a change
    within the uncertainty.  Roles without a change in either panel are left out.
    """
    words = picture_words(lang)
    change = analysis.change
    if change is None:
        raise ValueError("the analysis carries no wave comparison; analyse with "
                         "compare=(wave_a, wave_b)")
    title = words["change"].format(a=change.wave_a, b=change.wave_b)
    roles = _roles_shown(analysis, change, lang)
    if not roles and change.network.change is None:
        return empty_picture(title, words["no_change"])
    labels = [messages.capital(shared_term("scope.network", lang))] + [
        wrap(shown(analysis.study.role(r.id).label(lang)), 34, 2) for r in roles
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
    axis_label = words["change_axis"].format(a=change.wave_a, b=change.wave_b)
    for ax, (heading, values) in zip(axes, panels, strict=True):
        _draw_panel(ax, heading, axis_label, y, values, lang)
    axes[0].set_yticks(y, labels, fontsize=8)
    handles = [Line2D([], [], color=_CHANGE_COLOURS[k], marker="o", lw=2.2, label=words[k])
               for k in ("up", "down", "unclear")]
    fig.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False,
               fontsize=9)
    fig.suptitle(title, fontsize=13, weight="bold", color=INK)
    fig.text(0.5, 0.0, words["change_note"].format(
        p=messages.percent(change.confidence, lang), n=change.n_boot, seed=change.seed),
        ha="center", va="bottom", fontsize=7.5, color=QUIET_INK)
    return fig


def _roles_shown(analysis: Analysis, change: WaveComparison, lang: str) -> list[RoleChange]:
    """The roles with a change as rater or as target, in the pictures' role order."""
    roles = [r for r in change.roles
             if r.as_rater.change is not None or r.as_target.change is not None]
    order = {r.id: i for i, r in enumerate(role_order(analysis.study, lang))}
    roles.sort(key=lambda r: order[r.id])
    return roles


def _draw_panel(
    ax: Axes, heading: str, axis_label: str, y: np.ndarray[Any, Any], values: Sequence[Change],
    lang: str,
) -> None:
    """One panel: each defined change as a point on its interval, coloured by direction."""
    ax.axvline(0, color=INK, linewidth=0.8)
    for yy, item in zip(y, values, strict=True):
        if item.change is None:
            continue
        colour = _CHANGE_COLOURS[_CHANGE_KIND[item.direction]]
        if item.ci_low is not None and item.ci_high is not None:
            ax.plot([item.ci_low, item.ci_high], [yy, yy], color=colour, linewidth=2.2,
                    solid_capstyle="butt", alpha=0.8)
        ax.plot([item.change], [yy], "o", color=colour, markersize=6)
    ax.set_title(heading, fontsize=11, loc="left", color=INK)
    ax.set_xlabel(axis_label, fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ticks_in_language(ax.xaxis, lang, _digits)


def _digits(value: float) -> int:
    """Decimals a tick value needs: 0 for whole numbers, 1 for tenths, else 2."""
    if float(value).is_integer():
        return 0
    return 1 if abs(value * 10 - round(value * 10)) < 1e-9 else 2
