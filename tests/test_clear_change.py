"""One definition of a clear change: ``Change.is_clear``, and every output that reads it.

A change between two waves is clear when its bootstrap interval excludes 0 and its size
exceeds the minimal detectable change.  The report's "clear change" column, the colours of
the change figure and the ``*`` of the text must say the same as :attr:`Change.is_clear`
for any change, also the edge cases (an interval ending at 0, a change equal to the MDC,
undefined parts).
"""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Sequence

import attrs
import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.lines import Line2D

from relcoord import messages
from relcoord.analysis import Analysis, analyze
from relcoord.analysis_text import change_lines
from relcoord.example import load_example
from relcoord.metrics.waves import Change, RoleChange, TieChange
from relcoord.pictures import change_plot
from relcoord.report_model import Table
from relcoord.report_sections import change_section

#: Values on a grid, so that ties at 0 and at the MDC happen, and anything else.
NUMBERS = st.one_of(st.sampled_from([-1.0, -0.25, 0.0, 0.25, 1.0]),
                    st.floats(-4.0, 4.0, allow_nan=False))
MAYBE = st.one_of(st.none(), NUMBERS)


@st.composite
def changes(draw: st.DrawFn) -> Change:
    """Any change, also one whose parts are undefined or do not fit together."""
    interval = draw(st.one_of(st.none(), st.tuples(NUMBERS, NUMBERS).map(sorted)))
    low, high = (None, None) if interval is None else interval
    mdc = draw(st.one_of(st.none(), st.sampled_from([0.0, 0.25, 1.0]),
                         st.floats(0.0, 3.0, allow_nan=False)))
    return Change(a=draw(MAYBE), b=draw(MAYBE), change=draw(MAYBE), ci_low=low, ci_high=high,
                  mdc=mdc, n_a=draw(st.integers(0, 50)), n_b=draw(st.integers(0, 50)))


@given(changes())
def test_clear_means_interval_excludes_zero_and_change_exceeds_mdc(change: Change) -> None:
    if change.ci_low is None or change.change is None or change.mdc is None:
        assert change.is_clear is None
        assert change.direction is None
        return
    assert change.ci_high is not None
    expected = (change.ci_low > 0 or change.ci_high < 0) and abs(change.change) > change.mdc
    assert change.is_clear is expected
    assert change.is_clear is (change.ci_excludes_zero and change.exceeds_mdc)
    if expected:
        assert change.direction == ("rise" if change.change > 0 else "fall")
    else:
        assert change.direction is None


@functools.cache
def compared() -> Analysis:
    """The example compared over two conferences, with ties that take part (k = 3)."""
    return analyze(load_example(), compare=("konference-1", "konference-3"),
                   min_respondents=3, n_boot=20, seed=1)


def with_changes(analysis: Analysis, drawn: Sequence[Change]) -> Analysis:
    """``analysis`` with its network, role and tie changes replaced by ``drawn`` (cycled)."""
    change = analysis.change
    assert change is not None
    supply = itertools.cycle(drawn)
    return attrs.evolve(analysis, change=attrs.evolve(
        change, network=next(supply), within=next(supply), between=next(supply),
        roles=tuple(RoleChange(id=r.id, as_rater=next(supply), as_target=next(supply))
                    for r in change.roles),
        ties=tuple(TieChange(source=t.source, target=t.target, rc=next(supply))
                   for t in change.ties),
    ))


def figure_kinds(analysis: Analysis) -> list[Counter[tuple[float, str | None]]]:
    """Per panel of the change figure: each point's change and the direction its colour says."""
    figure = change_plot(analysis, "en")
    kind_of: dict[object, str | None] = {}
    for handle, kind in zip(figure.legends[0].legend_handles, ("rise", "fall", None),
                            strict=True):  # the legend lists rise, fall, unclear
        assert isinstance(handle, Line2D)
        kind_of[handle.get_color()] = kind
    panels = []
    for ax in figure.axes:
        points: Counter[tuple[float, str | None]] = Counter()
        for line in ax.get_lines():
            if line.get_marker() == "o":
                x = float(np.asarray(line.get_xdata(), dtype=np.float64)[0])
                points[(x, kind_of[line.get_color()])] += 1
        panels.append(points)
    return panels


def clear_cells(analysis: Analysis) -> list[object]:
    """The "clear" cells of the report's change section: network rows, then ties."""
    section = change_section(analysis, "en")
    assert section is not None
    tables = [b for b in section.blocks if isinstance(b, Table) and b.kinds[-1] == "bool"]
    return [row[-1] for table in tables for row in table.rows]


def text_marks(analysis: Analysis) -> list[bool]:
    """Whether the text marks each network line, role column and tie line with ``*``."""
    change = analysis.change
    assert change is not None
    t = messages.section("analysis_text", "en")
    lines = change_lines(analysis, "en")
    marks = [next(line for line in lines
                  if line.startswith(f"  {messages.text(f'scope.{key}', 'en'):<24} ")).endswith("*")
             for key in ("network", "within", "between")]
    roles = [r for r in change.roles
             if r.as_rater.change is not None or r.as_target.change is not None]
    if roles:
        start = lines.index(f"  {t['roles_change']}:") + 1
        for line in lines[start:start + len(roles)]:
            rater, target = line[39:65], line[66:]
            marks += [rater.rstrip().endswith("*"), target.rstrip().endswith("*")]
    if change.ties:
        start = lines.index(f"  {t['ties_change']}:") + 1
        marks += [line.endswith("*") for line in lines[start:start + len(change.ties)]]
    return marks


@given(st.lists(changes(), min_size=1, max_size=12))
def test_report_figure_and_text_agree_with_is_clear(drawn: list[Change]) -> None:
    analysis = with_changes(compared(), drawn)
    change = analysis.change
    assert change is not None
    network = [change.network, change.within, change.between]
    ties = [t.rc for t in change.ties]
    roles = [r for r in change.roles
             if r.as_rater.change is not None or r.as_target.change is not None]

    assert clear_cells(analysis) == [c.is_clear for c in network + ties]

    shown_roles = [c for r in roles for c in (r.as_rater, r.as_target)]
    expected_marks = [bool(c.is_clear) for c in network]
    expected_marks += [bool(c.is_clear) and c.change is not None for c in shown_roles]
    expected_marks += [bool(c.is_clear) for c in ties]
    assert text_marks(analysis) == expected_marks

    if not roles and change.network.change is None:
        return  # the figure says there is no change to show
    panels = ([change.network] + [r.as_rater for r in roles],
              [change.network] + [r.as_target for r in roles])
    assert figure_kinds(analysis) == [
        Counter((c.change, c.direction) for c in panel if c.change is not None)
        for panel in panels
    ]
