"""Scores parts: the RC scores computed rater role by rater role, then finished in one place.

Every figure of [`scores`][relcoord.metrics.scores.aggregation.scores] is made from what the rated
tie cells hold ([`CellEvidence`][relcoord.metrics.scores.aggregation.CellEvidence]), and a tie cell
(rater role, target role) belongs to its rater role, as does each respondent (a respondent rates
from their own role).  So the scores of a study can be computed from blocks of its rating rows
that each hold every row of some rater roles
([`rater_role_blocks`][relcoord.rater_role_blocks.rater_role_blocks]), each on its own (a worker
of the ``dask`` engine):

1. [`scores_part`][relcoord.metrics.scores.parts.scores_part] reads a block's rows into a
   [`ScoresPart`][relcoord.metrics.scores.parts.ScoresPart]: per rated cell the sums and counts of
   every score and item ([`CellTotals`][relcoord.metrics.scores.cell_totals.CellTotals]), how many
   counted respondent-ties have each RC value
   ([`CellValueCounts`][relcoord.metrics.scores.spread.CellValueCounts], for medians, quartiles
   and SD), the distinct respondents behind each cell, behind each role as rater and as target
   and behind each aggregate figure (the network, within, between, the organisation split), and
   the numbers of rows.  Its size is set by the rated cells, the roles and the distinct RC values,
   not by the rows.
2. [`ScoresPart.combine`][relcoord.metrics.scores.parts.ScoresPart.combine] joins the parts of
   disjoint sets of rater roles, in any grouping and order: the cells are disjoint, and so are
   the respondents, so every count adds.
3. [`scores_from_parts`][relcoord.metrics.scores.parts.scores_from_parts] computes the figures by
   the same code as `scores`
   ([`scores_of_cells`][relcoord.metrics.scores.aggregation.scores_of_cells]).

The result equals ``scores`` of the whole study: counts, bands and ``None``-ness exactly; the
figures to the last bit when the whole study's rows lie in canonical order (a block's rows do,
[`rater_role_block`][relcoord.rater_role_blocks.rater_role_block], so every cell adds the same
values in the same order), else to rounding.  The spreads are those of `scores` to the last bit
where it counts the scores in a table of values (few distinct values: every built-in scale at up
to some hundred roles); where it sorts them, the same order statistics and the SD to rounding.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores.aggregation import (
    CellEvidence,
    FigureKey,
    RatedCells,
    collector_paused,
    figure_masks,
    scores_of_cells,
)
from relcoord.metrics.scores.cell_totals import CellTotals
from relcoord.metrics.scores.figure_respondents import FigureRespondents
from relcoord.metrics.scores.respondent_ties import RespondentTieScores, respondent_tie_scores
from relcoord.metrics.scores.results import RCScores
from relcoord.metrics.scores.spread import CellScores, CellValueCounts
from relcoord.metrics.tie_cells import CellSums, TieCells
from relcoord.model import Study
from relcoord.settings import AnalysisSettings

__all__ = ["ScoresPart", "scores_from_parts", "scores_part"]

Ints = npt.NDArray[np.int64]


def _figure_keys(study: Study) -> tuple[FigureKey, ...]:
    """The keys of the aggregate figures of ``study`` (its organisations decide them)."""
    return tuple(figure_masks(study, RatedCells(np.zeros(0, dtype=np.int64),
                                                len(study.roles))))


@attrs.frozen(eq=False)
class ScoresPart:
    """What the RC scores need from the rating rows of some rater roles; see the module.

    Per rated cell (``cells``: grid codes ``source * n_roles + target``, ascending) its
    ``totals`` and ``cell_respondents``; ``values`` the counted respondent-tie RC values per cell;
    per aggregate figure (``figure_keys``, as
    [`figure_masks`][relcoord.metrics.scores.aggregation.figure_masks] names them) its distinct
    respondents in ``figure_respondents``; per role its own respondents who rated another role
    and the others' respondents who rated it (``role_respondents``); the rows and those that
    count under ``min_items``.  Pickles (the ``dask`` engine sends it between processes).
    """

    n_roles: int
    min_items: int
    cells: Ints
    totals: CellTotals
    values: CellValueCounts
    figure_keys: tuple[FigureKey, ...]
    figure_respondents: Ints
    cell_respondents: Ints
    role_respondents: tuple[Ints, Ints]
    n_ratings: int
    n_counted: int

    @property
    def nbytes(self) -> int:
        """The bytes of its arrays (its size, which does not grow with the rows)."""
        totals = self.totals
        pairs = (totals.rc, totals.communication, totals.relationship, *totals.items)
        return int(self.cells.nbytes + sum(s.nbytes + c.nbytes for s, c in pairs)
                   + self.values.nbytes + self.figure_respondents.nbytes
                   + self.cell_respondents.nbytes
                   + sum(r.nbytes for r in self.role_respondents))

    @classmethod
    def combine(cls, parts: Iterable[ScoresPart]) -> ScoresPart:
        """The part of the rater roles of all ``parts`` together (their cells in cell order:
        the same part whatever their grouping and order).  `ValueError` without parts, for
        parts of different studies or settings, or for parts that share a rater role."""
        given = list(parts)
        if not given:
            raise ValueError("no scores parts to combine")
        first = given[0]
        for part in given[1:]:
            if (part.n_roles, part.min_items, part.figure_keys, len(part.totals.items)) != (
                    first.n_roles, first.min_items, first.figure_keys, len(first.totals.items)):
                raise ValueError("scores parts of different studies or min_items")
        joined = np.concatenate([np.zeros(0, dtype=np.int64), *(p.cells for p in given)])
        order = np.argsort(joined, kind="stable")
        cells = joined[order]
        if len(cells) > 1 and bool((cells[1:] == cells[:-1]).any()):
            raise ValueError("scores parts share a rater role: combine parts of disjoint "
                             "sets of rater roles")
        place = np.empty(len(order), dtype=np.int64)
        place[order] = np.arange(len(order))
        bounds = np.cumsum([0, *(len(p.cells) for p in given)])
        places = [place[a:b] for a, b in itertools.pairwise(bounds.tolist())]

        def joined_pair(pick: list[CellSums]) -> CellSums:
            sums = np.concatenate([np.zeros(0), *(s for s, _ in pick)])[order]
            counts = np.concatenate([np.zeros(0), *(c for _, c in pick)])[order]
            return sums, counts

        totals = CellTotals(
            rc=joined_pair([p.totals.rc for p in given]),
            communication=joined_pair([p.totals.communication for p in given]),
            relationship=joined_pair([p.totals.relationship for p in given]),
            items=tuple(joined_pair([p.totals.items[j] for p in given])
                        for j in range(len(first.totals.items))),
        )
        return cls(
            n_roles=first.n_roles, min_items=first.min_items, cells=cells, totals=totals,
            values=CellValueCounts.combined([p.values for p in given], places, len(cells)),
            figure_keys=first.figure_keys,
            figure_respondents=np.sum([p.figure_respondents for p in given], axis=0,
                                      dtype=np.int64),
            cell_respondents=np.concatenate(
                [np.zeros(0, dtype=np.int64), *(p.cell_respondents for p in given)])[order],
            role_respondents=(
                np.sum([p.role_respondents[0] for p in given], axis=0, dtype=np.int64),
                np.sum([p.role_respondents[1] for p in given], axis=0, dtype=np.int64)),
            n_ratings=sum(p.n_ratings for p in given),
            n_counted=sum(p.n_counted for p in given),
        )


def scores_part(published_block: Study, settings: AnalysisSettings, *,
                respondent_ties: RespondentTieScores | None = None, engine: str = "auto"
                ) -> ScoresPart:
    """The [`ScoresPart`][relcoord.metrics.scores.parts.ScoresPart] of ``published_block``: a
    block of whole rater roles' published rating rows
    ([`rater_role_block`][relcoord.rater_role_blocks.rater_role_block] of the published study, or
    the published block the privacy rule gives for a block of the study).

    ``respondent_ties`` may pass the block's
    [`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores] (with
    the ``min_items`` the settings resolve to); `ValueError` if they do not fit.  ``engine``
    (``"numpy"``, ``"numba"``: the ``fast`` extra, ``"auto"``: numba when installed) computes the
    cell totals, the value counts and the respondents: the same part either way.  Raises
    [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError] when ``settings.min_items`` is
    more than the instrument has items.
    """
    study = published_block
    min_items = settings.items_needed(study.instrument)
    if respondent_ties is None:
        per = respondent_tie_scores(study, min_items=min_items, engine=engine)
    elif len(respondent_ties.counted) != len(study.ratings) or (
            respondent_ties.min_items != min_items):
        raise ValueError("respondent_ties belong to another study or another min_items")
    else:
        per = respondent_ties
    occupied = TieCells.of(study, respondent_ties=per, compact=True).occupied
    k = len(study.roles)
    cells = RatedCells(occupied.cells, k)
    every = bool(per.counted.all())
    # the table of values is the block's (few cells); the finish chooses as the whole would
    counted = CellScores(per.rc, occupied.codes, occupied.size,
                         rows=None if every else per.counted, engine=engine)
    respondents = FigureRespondents.of(occupied, engine=engine)
    masks = figure_masks(study, cells)
    as_rater, as_target = respondents.by_role()
    return ScoresPart(
        n_roles=k, min_items=min_items, cells=np.asarray(occupied.cells, dtype=np.int64),
        totals=CellTotals.of(occupied, per, engine=engine),
        values=CellValueCounts.of(counted),
        figure_keys=tuple(masks),
        figure_respondents=np.array([respondents.in_cells(m) for m in masks.values()],
                                    dtype=np.int64),
        cell_respondents=np.asarray(respondents.per_cell(), dtype=np.int64),
        role_respondents=(np.asarray(as_rater, dtype=np.int64),
                          np.asarray(as_target, dtype=np.int64)),
        n_ratings=len(study.ratings), n_counted=int(np.count_nonzero(per.counted)),
    )


def scores_from_parts(study: Study, part: ScoresPart, settings: AnalysisSettings) -> RCScores:
    """The [`RCScores`][relcoord.metrics.scores.results.RCScores] of the study whose rater roles'
    parts ``part`` combines (all of them): those
    [`scores`][relcoord.metrics.scores.aggregation.scores] gives for the whole published study
    (see the module for how equal).  ``study`` gives the roles, organisations and instrument
    only; its ratings are not read (they may be empty).  `ValueError` when ``part`` is of
    another study or was made with another ``min_items``.
    """
    min_items = settings.items_needed(study.instrument)
    if part.min_items != min_items:
        raise ValueError(f"the scores part was made with min_items={part.min_items}, the "
                         f"settings ask for {min_items}")
    keys = _figure_keys(study)
    if (part.n_roles != len(study.roles) or part.figure_keys != keys
            or len(part.totals.items) != len(study.instrument.keys)):
        raise ValueError("the scores part is of another study (roles, organisations or "
                         "instrument differ)")
    cells = RatedCells(part.cells, part.n_roles)
    evidence = CellEvidence(
        cells=cells, totals=part.totals,
        spreads=part.values.spreads(cells.grid_size),
        figure_respondents=dict(zip(keys, part.figure_respondents.tolist(), strict=True)),
        cell_respondents=part.cell_respondents, role_respondents=part.role_respondents,
        n_ratings=part.n_ratings, n_counted=part.n_counted,
    )
    with collector_paused():
        return scores_of_cells(study, settings, evidence)
