"""Relational Coordination scores: respondent-ties, ties, roles and the network.

All figures follow Gittell's RC Survey scoring (Gittell 2016, *Transforming Relationships
for High Performance*, appendix; Gittell, Seidner & Wimbush 2010, *Organization Science*
21(2); the formulas are collected in ``DOMAIN.md``):

respondent-tie RC
    the plain mean of the scored items that one respondent answered about one target role,
    when at least ``min_items`` items are answered (else the respondent-tie does not count).
communication / relationship sub-index
    the mean of the answered items of that sub-index (frequent, timely, accurate,
    problem-solving / shared goals, shared knowledge, mutual respect), for a respondent-tie
    that counts and answered at least ``ceil(min_items * n_sub / n_items)`` of the
    sub-index's items (the same share as the overall rule; with ``min_items`` equal to the
    item count both sub-indices are complete cases, as in published work).  RC is *not* the
    mean of the sub-indices: with all items present it is ``(4 * comm + 3 * rel) / 7``.
tie A->B
    the mean over the respondents in role A of their respondent-tie RC about role B; its
    ``n_respondents`` is the number of respondent-ties behind it.
within / between
    ties A->A / ties A->B with A != B.
role as rater / as target
    the role's row / column of the tie matrix, *without* its own within-tie (which is
    reported as ``rc_within``), so that a role's self-rating does not colour how it rates
    others or how others rate it.
network RC
    all respondent-ties, within and between.

Weightings of an aggregate over a set of ties (each figure says which one it used):

``respondent``
    every respondent-tie counts once: ``sum of respondent-tie RC / number of them``.
``tie``
    every tie (a source-target pair with at least one respondent-tie) counts once: the
    unweighted mean of the tie means.
``group``
    every rater role counts once: for each source role the mean of its respondent-ties in
    the set, then the unweighted mean of those role means.

A rating without a respondent (a workshop group rating as a group) counts as one
respondent of its source role.  Ratings of all waves are pooled.

Everything is computed with vectorised numpy on the study's integer codes: per-rating
scores here, then sums, counts and distinct respondents per tie cell from
:class:`~relcoord.metrics.tie_cells.TieCells`; no Python loop runs per rating.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.instruments import Instrument, SubIndex
from relcoord.metrics.tie_cells import CellSums, TieCells
from relcoord.model import Study
from relcoord.settings import AnalysisSettings

__all__ = [
    "Band",
    "Figure",
    "OrganisationScore",
    "OrganisationSplit",
    "PairAsymmetry",
    "RCScores",
    "RespondentTieScores",
    "RoleScore",
    "TieScore",
    "respondent_tie_scores",
    "scores",
    "tie_matrix",
]

Band = Literal["weak", "moderate", "strong"]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def _opt(value: Any) -> float | None:
    """A float, or None for NaN (JSON has no NaN)."""
    value = float(value)
    return None if math.isnan(value) else value


def _frozen_map(value: Mapping[str, float | None]) -> Mapping[str, float | None]:
    return MappingProxyType(dict(value))


# --- result objects ----------------------------------------------------------------------


@attrs.frozen
class Figure:
    """One aggregate RC figure over a set of ties, under the settings' weighting.

    ``n_respondents`` counts distinct respondents behind it (a rating without respondent
    counts as one), ``n_ratings`` the respondent-ties, ``n_ties`` the ties.
    ``suppressed_reason`` is set (and the values are None) when the privacy rule
    (:mod:`relcoord.privacy`) hid the figure.
    """

    rc: float | None
    communication: float | None
    relationship: float | None
    n_respondents: int
    n_ratings: int
    n_ties: int
    band: Band | None
    suppressed_reason: str | None = None


@attrs.frozen
class TieScore:
    """The tie ``source -> target``: how respondents in ``source`` rate ``target``.

    ``dimensions`` maps each item to its mean over the counted respondent-ties;
    ``lowest_dimension`` is the item with the lowest mean (first in survey order on a tie);
    ``gap`` is communication minus relationship (None if either is missing).
    A tie rated only by groups smaller than the privacy rule's minimum
    (:mod:`relcoord.privacy`) has ``suppressed=True``, a ``suppressed_reason`` and every
    number None, ``n_respondents`` included.
    """

    source: str
    target: str
    rc: float | None
    communication: float | None
    relationship: float | None
    n_respondents: int | None
    band: Band | None
    dimensions: Mapping[str, float | None] = attrs.field(converter=_frozen_map)
    lowest_dimension: str | None
    gap: float | None
    suppressed: bool = False
    suppressed_reason: str | None = None


@attrs.frozen
class RoleScore:
    """One role's RC as rater (its row) and as target (its column), self-tie excluded.

    ``n_respondents`` counts the role's own respondents with a counted rating of another
    role; ``n_raters`` the respondents of other roles who rated it.  ``weak_share`` is the
    share of the between-group ties it takes part in (as rater or target) whose RC is weak.
    ``suppressed`` names the fields the privacy rule (:mod:`relcoord.privacy`) set to None
    because they rest on fewer respondents than its minimum, ``suppressed_reason`` says why.
    """

    id: str
    rc_as_rater: float | None
    rc_as_target: float | None
    rc_within: float | None
    n_respondents: int
    n_raters: int
    n_rated_ties: int
    n_weak_ties: int
    weak_share: float | None
    suppressed: tuple[str, ...] = ()
    suppressed_reason: str | None = None


@attrs.frozen
class PairAsymmetry:
    """Rating asymmetry of a pair of roles: ``rc(first -> second) - rc(second -> first)``."""

    first: str
    second: str
    rc_forward: float
    rc_backward: float
    difference: float


@attrs.frozen
class OrganisationScore:
    """One organisation's ties: internal (both roles in it) and external (rater in it)."""

    organisation: str
    internal: Figure
    external: Figure


@attrs.frozen
class OrganisationSplit:
    """Internal vs external RC: ties inside one organisation vs ties across organisations.

    Only between-group ties of roles with a known organisation take part.
    """

    internal: Figure
    external: Figure
    by_organisation: tuple[OrganisationScore, ...]


@attrs.frozen
class RCScores:
    """Every RC score of a study, with the settings that produced them.

    ``min_items`` is the rule in force (resolved from the settings for the instrument);
    ``n_ratings`` counts all ratings, ``n_counted`` those with enough answered items and
    ``n_excluded`` the rest.  Ties and roles are sorted by role id.
    """

    settings: AnalysisSettings
    instrument: str
    min_items: int
    overall: Figure
    within: Figure
    between: Figure
    by_dimension: Mapping[str, float | None] = attrs.field(converter=_frozen_map)
    ties: tuple[TieScore, ...]
    roles: tuple[RoleScore, ...]
    asymmetry: tuple[PairAsymmetry, ...]
    organisations: OrganisationSplit
    n_ratings: int
    n_counted: int
    n_excluded: int

    def tie(self, source: str, target: str) -> TieScore | None:
        """The tie ``source -> target``, or None when nobody rated it."""
        for tie in self.ties:
            if tie.source == source and tie.target == target:
                return tie
        return None

    def role(self, role_id: str) -> RoleScore:
        """The scores of role ``role_id``; :class:`KeyError` when there is none."""
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(f"no role {role_id!r}")


@attrs.frozen(eq=False)
class RespondentTieScores:
    """Per-rating scores, aligned with ``study.ratings`` rows (NaN where a score is absent).

    ``answered`` is the number of items answered, ``counted`` whether the respondent-tie
    reaches ``min_items``.
    """

    rc: Floats
    communication: Floats
    relationship: Floats
    answered: npt.NDArray[np.int64]
    counted: Bools
    min_items: int

    def select(self, rows: Bools) -> RespondentTieScores:
        """The scores of the rating rows picked by the boolean mask ``rows``, in order
        (those of ``study.ratings.select(rows)``: a respondent-tie's scores depend on its own
        row only)."""
        return RespondentTieScores(
            rc=self.rc[rows], communication=self.communication[rows],
            relationship=self.relationship[rows], answered=self.answered[rows],
            counted=self.counted[rows], min_items=self.min_items,
        )


# --- respondent-ties -----------------------------------------------------------------------


def _sub_needed(min_items: int, n_sub: int, n_items: int) -> int:
    return max(1, math.ceil(min_items * n_sub / n_items - 1e-9))


def _row_sums(scores: Floats, weights: Floats) -> tuple[Floats, Floats | None]:
    """Sums and answered counts of each row's items per column group of ``weights``.

    ``weights`` is a ``(d, m)`` 0/1 matrix; one matrix product (BLAS) gives all ``m`` sums.
    Sums of item scores are exact in float64 (they are small multiples of the scale step),
    so the order of summation does not change a result.  Counts are None when no item is
    missing (every row answered every item).
    """
    missing = np.isnan(scores)
    if not missing.any():
        return _products(scores, weights), None
    sums = _products(np.where(missing, 0.0, scores), weights)
    answered = _products((~missing).astype(np.float32), weights.astype(np.float32))
    return sums, np.rint(answered).astype(np.float64)


#: Rows per block in :func:`_products`.
_BLOCK: Final = 16_384


def _products(matrix: npt.NDArray[Any], weights: npt.NDArray[Any]) -> Floats:
    """``matrix @ weights`` for a tall ``(n, d)`` matrix and a thin ``(d, m)`` one.

    Computed in blocks of :data:`_BLOCK` rows, each a small matrix-matrix product: one
    product of the whole matrix lets OpenBLAS start threads, which on a busy machine makes
    it erratic (measured at 800,000 x 7 x 2: 3 ms to over 100 ms), and one matrix-vector
    product per column is several times slower; the blocks take a steady 2-7 ms.
    """
    dtype = np.result_type(matrix, weights)
    thin = np.ascontiguousarray(weights, dtype=dtype)
    out = np.empty((matrix.shape[0], weights.shape[1]), dtype=dtype)
    for start in range(0, matrix.shape[0], _BLOCK):
        np.matmul(matrix[start:start + _BLOCK], thin, out=out[start:start + _BLOCK])
    return np.asarray(out, dtype=np.float64)


def _column_total(matrix: Floats) -> Floats:
    """Each row's sum, adding the (few) columns left to right: for 2 columns the same
    ``a + b`` as ``matrix.sum(axis=1)``, but without numpy's slow short-axis reduction."""
    total = matrix[:, 0].copy()
    for j in range(1, matrix.shape[1]):
        total += matrix[:, j]
    return total


def _group_weights(instrument: Instrument) -> tuple[Floats, list[tuple[SubIndex, int]]]:
    """One 0/1 column per sub-index the instrument has (with its item count).

    Every item belongs to exactly one sub-index, so the columns add up to all items.
    """
    keys = instrument.keys
    columns = []
    subs: list[tuple[SubIndex, int]] = []
    order: tuple[SubIndex, ...] = ("communication", "relationship")
    for sub in order:
        members = instrument.keys_of(sub)
        if members:
            columns.append(np.array([1.0 if k in members else 0.0 for k in keys]))
            subs.append((sub, len(members)))
    return np.column_stack(columns), subs


def respondent_tie_scores(study: Study, *, min_items: int) -> RespondentTieScores:
    """RC and sub-indices of every respondent-tie (one rating row), vectorised.

    RC is the plain mean of the answered scored items when at least ``min_items`` are
    answered (Gittell 2016, appendix); sub-indices follow the rule in the module docstring.
    """
    instrument = study.instrument
    scores = study.ratings.scores
    n, n_items = len(scores), len(instrument.keys)
    weights, subs = _group_weights(instrument)
    sums, counts = _row_sums(scores, weights)
    total = _column_total(sums)
    out: dict[str, Floats] = {}
    if counts is None:  # every item answered: counts are constants
        count = np.full(n, n_items, dtype=np.int64)
        counted = np.full(n, n_items >= min_items, dtype=bool)
        rc = total / n_items if n_items >= min_items else np.full(n, np.nan)
        for j, (sub, n_sub) in enumerate(subs):
            if n_items >= min_items and n_sub >= _sub_needed(min_items, n_sub, n_items):
                out[sub] = sums[:, j] / n_sub
    else:
        count = np.rint(_column_total(counts)).astype(np.int64)
        counted = count >= min_items
        with np.errstate(invalid="ignore", divide="ignore"):
            rc = np.where(counted, total / count, np.nan)
            for j, (sub, n_sub) in enumerate(subs):
                ok = counted & (counts[:, j] >= _sub_needed(min_items, n_sub, n_items))
                out[sub] = np.where(ok, sums[:, j] / counts[:, j], np.nan)
    for name in ("communication", "relationship"):
        if name not in out:  # a sub-index the instrument lacks, or that no row reaches
            out[name] = np.full(n, np.nan)
    return RespondentTieScores(
        rc=rc, communication=out["communication"], relationship=out["relationship"],
        answered=count, counted=counted, min_items=min_items,
    )


# --- cell sums ---------------------------------------------------------------------------


def tie_matrix(study: Study, *, settings: AnalysisSettings | None = None) -> Floats:
    """The ``k x k`` matrix of tie RC (rows: rater roles, columns: targets; NaN = no tie).

    Tie A->B is the mean over respondents in A of their respondent-tie RC about B
    (Gittell 2016).  Role order is ``study.role_ids``.
    """
    settings = settings or AnalysisSettings()
    min_items = settings.items_needed(study.instrument)
    k = len(study.roles)
    scores = study.ratings.scores
    sums, counts = _row_sums(scores, np.ones((scores.shape[1], 1)))
    if counts is None:
        rc = sums[:, 0] / scores.shape[1] if min_items <= scores.shape[1] else sums[:, 0]
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            rc = np.where(counts[:, 0] >= min_items, sums[:, 0] / counts[:, 0], np.nan)
    cell_sums, cell_counts = TieCells.of(study).sums(rc)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(cell_sums / cell_counts, dtype=np.float64).reshape(k, k)


def _weighted(pair: CellSums, mask: Bools, k: int, weighting: str) -> float:
    """An aggregate mean over the cells in ``mask`` (flattened) under ``weighting``."""
    sums, counts = pair
    m = mask & (counts > 0)
    if not m.any():
        return math.nan
    if weighting == "respondent":
        return float(sums[m].sum() / counts[m].sum())
    if weighting == "tie":
        return float(np.mean(sums[m] / counts[m]))
    row_sums = np.where(m, sums, 0.0).reshape(k, k).sum(axis=1)
    row_counts = np.where(m, counts, 0.0).reshape(k, k).sum(axis=1)
    rated = row_counts > 0
    return float(np.mean(row_sums[rated] / row_counts[rated]))


def _figure(cells: TieCells, mask: Bools, settings: AnalysisSettings) -> Figure:
    w, k = settings.weighting, cells.n_roles
    rc = _opt(_weighted(cells.rc, mask, k, w))
    counts = cells.rc[1]
    return Figure(
        rc=rc,
        communication=_opt(_weighted(cells.communication, mask, k, w)),
        relationship=_opt(_weighted(cells.relationship, mask, k, w)),
        n_respondents=cells.respondents_in(mask),
        n_ratings=int(counts[mask].sum()),
        n_ties=int(np.count_nonzero(counts[mask] > 0)),
        band=settings.band(rc),
    )


# --- the whole set -------------------------------------------------------------------------


def scores(
    study: Study,
    *,
    settings: AnalysisSettings | None = None,
    respondent_ties: RespondentTieScores | None = None,
) -> RCScores:
    """Every RC score of ``study`` (see the module docstring for each formula).

    ``respondent_ties`` may pass :func:`respondent_tie_scores` of ``study`` (with the
    ``min_items`` the settings resolve to) when the caller has them already, so that they
    are not computed twice; :class:`ValueError` if they do not fit.  Raises
    :class:`~relcoord.settings.InvalidSettingsError` when ``settings.min_items`` is more
    than the instrument has items.
    """
    settings = settings or AnalysisSettings()
    min_items = settings.items_needed(study.instrument)
    per = respondent_ties
    if per is None:
        per = respondent_tie_scores(study, min_items=min_items)
    elif len(per.counted) != len(study.ratings) or per.min_items != min_items:
        raise ValueError("respondent_ties belong to another study or another min_items")
    cells = TieCells.of(study, respondent_ties=per)
    k = cells.n_roles
    eye = np.eye(k, dtype=bool)
    everything = np.ones(k * k, dtype=bool)
    within_mask = eye.ravel()
    between_mask = ~within_mask

    def figure(mask: Bools) -> Figure:
        return _figure(cells, mask, settings)

    with np.errstate(invalid="ignore", divide="ignore"):
        tie_rc = cells.rc[0] / cells.rc[1]
    by_dimension = {
        key: _opt(_weighted(pair, everything, k, settings.weighting))
        for key, pair in zip(study.instrument.keys, cells.items, strict=True)
    }
    return RCScores(
        settings=settings,
        instrument=study.instrument.id,
        min_items=min_items,
        overall=figure(everything),
        within=figure(within_mask),
        between=figure(between_mask),
        by_dimension=by_dimension,
        ties=_ties(study, cells, settings),
        roles=_roles(study, cells, settings, tie_rc),
        asymmetry=_asymmetry(study.role_ids, tie_rc.reshape(k, k)),
        organisations=_organisations(study, cells, settings, figure),
        n_ratings=len(study.ratings),
        n_counted=int(np.count_nonzero(per.counted)),
        n_excluded=int(len(study.ratings) - np.count_nonzero(per.counted)),
    )


def _ties(study: Study, cells: TieCells, settings: AnalysisSettings) -> tuple[TieScore, ...]:
    k, ids, keys = cells.n_roles, study.role_ids, study.instrument.keys
    with np.errstate(invalid="ignore", divide="ignore"):
        rc = cells.rc[0] / cells.rc[1]
        com = cells.communication[0] / cells.communication[1]
        rel = cells.relationship[0] / cells.relationship[1]
        dims = np.stack([s / c for s, c in cells.items]) if keys else np.empty((0, k * k))
    lowest = np.argmin(np.where(np.isnan(dims), np.inf, dims), axis=0) if len(keys) else None
    has_dim = np.asarray(~np.isnan(dims).all(axis=0), dtype=bool).reshape(-1)
    # Python values of the rated cells only, taken out of numpy once (not element by element)
    rated = np.flatnonzero(cells.ratings > 0)
    columns = zip(
        rated.tolist(), rc[rated].tolist(), com[rated].tolist(), rel[rated].tolist(),
        cells.rc[1][rated].tolist(), dims[:, rated].T.tolist(),
        (lowest[rated] if lowest is not None else np.zeros(len(rated), dtype=np.intp)).tolist(),
        (has_dim[rated] & (lowest is not None)).tolist(),
        strict=True,
    )
    out = []
    for c, rc_c, com_c, rel_c, n_c, dims_c, low_c, has_c in columns:
        r, co, re = _opt(rc_c), _opt(com_c), _opt(rel_c)
        out.append(TieScore(
            source=ids[c // k], target=ids[c % k], rc=r, communication=co, relationship=re,
            n_respondents=int(n_c), band=settings.band(r),
            # Python floats already: NaN is the one value unequal to itself
            dimensions={key: v if v == v else None for key, v in zip(keys, dims_c, strict=True)},
            lowest_dimension=keys[low_c] if has_c else None,
            gap=None if co is None or re is None else co - re,
        ))
    return tuple(out)


def _roles(
    study: Study, cells: TieCells, settings: AnalysisSettings, tie_rc: Floats
) -> tuple[RoleScore, ...]:
    k, w = cells.n_roles, settings.weighting
    as_rater_n, raters_n = cells.respondents_by_role()
    matrix = tie_rc.reshape(k, k)
    off = ~np.eye(k, dtype=bool)
    rated = off & ~np.isnan(matrix)
    low = settings.bands[0]
    weak = rated & (np.where(rated, matrix, np.inf) < low)
    n_rated = rated.sum(axis=1) + rated.sum(axis=0)
    n_weak = weak.sum(axis=1) + weak.sum(axis=0)
    out = []
    for a, role_id in enumerate(study.role_ids):
        row = np.zeros((k, k), dtype=bool)
        row[a, :] = True
        row[a, a] = False
        col = np.zeros((k, k), dtype=bool)
        col[:, a] = True
        col[a, a] = False
        out.append(RoleScore(
            id=role_id,
            rc_as_rater=_opt(_weighted(cells.rc, row.ravel(), k, w)),
            rc_as_target=_opt(_weighted(cells.rc, col.ravel(), k, w)),
            rc_within=_opt(matrix[a, a]),
            n_respondents=int(as_rater_n[a]),
            n_raters=int(raters_n[a]),
            n_rated_ties=int(n_rated[a]),
            n_weak_ties=int(n_weak[a]),
            weak_share=float(n_weak[a] / n_rated[a]) if n_rated[a] else None,
        ))
    return tuple(out)


def _asymmetry(ids: tuple[str, ...], matrix: Floats) -> tuple[PairAsymmetry, ...]:
    k = len(ids)
    upper_i, upper_j = np.triu_indices(k, 1)
    forward, backward = matrix[upper_i, upper_j], matrix[upper_j, upper_i]
    both = ~np.isnan(forward) & ~np.isnan(backward)
    return tuple(
        PairAsymmetry(first=ids[i], second=ids[j], rc_forward=f, rc_backward=b, difference=d)
        for i, j, f, b, d in zip(
            upper_i[both].tolist(), upper_j[both].tolist(), forward[both].tolist(),
            backward[both].tolist(), (forward[both] - backward[both]).tolist(), strict=True
        )
    )


def _organisations(
    study: Study, cells: TieCells, settings: AnalysisSettings, figure: Any
) -> OrganisationSplit:
    k = cells.n_roles
    orgs = study.organisations
    code = np.array(
        [orgs.index(r.organisation) if r.organisation else -1 for r in study.roles],
        dtype=np.intp,
    )
    known = code >= 0
    both = np.outer(known, known) & ~np.eye(k, dtype=bool)
    same = both & (code[:, None] == code[None, :])
    across = both & ~same
    by_org = []
    for o, name in enumerate(orgs):
        in_o = code == o
        by_org.append(OrganisationScore(
            organisation=name,
            internal=figure((same & in_o[:, None]).ravel()),
            external=figure((across & in_o[:, None]).ravel()),
        ))
    return OrganisationSplit(
        internal=figure(same.ravel()), external=figure(across.ravel()),
        by_organisation=tuple(by_org),
    )
