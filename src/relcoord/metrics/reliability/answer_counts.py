"""Counts of answers: every reliability figure of a study on an integer scale from a few tallies.

The answers of an RC survey are a handful of integer scores (1 to 5 on every built-in
scale), so the rating rows of one wave are summed up without loss by three tallies of
integer counts ([`AnswerCounts`][relcoord.metrics.reliability.answer_counts.AnswerCounts]), taken
in one pass over the item block:

``patterns``
    how many rows gave each *answer pattern*: the tuple of the row's answers, ``A`` (the
    number of score values) standing for a missing answer, numbered in mixed radix
    ``A + 1``.  Which rows the scores count (at least ``min_items`` answered) and which are
    complete on a scale are properties of a pattern, so the item sums and cross-products of
    any scale over its rows are integer sums over the patterns, and
    ``n (n - 1) C = n sum x x' - (sum x)(sum x)'`` is exact: Cronbach's alpha (Cronbach
    1951) and alpha-if-deleted are ratios of its sums.
``item_counts``
    per tie cell in one wave and item, how many complete rows gave each score ``v``:
    with ``S1 = sum c_v v`` and ``S2 = sum c_v v^2`` the raters' variance is
    ``(n S2 - S1^2) / (n (n - 1))`` (r_wg, r_wg(J)), their average deviation around the mean
    ``sum c_v |n v - S1| / n^2`` and around the median (read off the cumulative counts)
    ``sum c_v |2 v - (v_lo + v_hi)| / (2 n)`` (AD_M, AD_Md; Burke, Finkelstein & Dusig 1999).
``total_counts``
    per tie cell, how many complete rows have each item sum ``J * v_min + t`` (``t`` from 0
    to ``J (A - 1)``): a complete row's RC is its item sum over ``J``, so the one-way ANOVA
    of the ICC of ratings by tie, and by target role (whose groups are unions of cells),
    follows from each group's count, sum and sum of squares of ``t``, every deviation from
    a mean an exact integer before it is squared (see ``_anova``).

Per respondent it keeps the number of complete rows and their summed item sums, the
respondent's mean RC of the ICC of respondents, divided once.

Every figure is thus one division of exact integers: the float nearest the exact value
(IEEE 754 division is correctly rounded; beyond ``2**53`` Python's integer division is).
Nothing is computed as a floating-point sum of squares minus a squared sum, the formula
that cancels badly for near-constant answers (Chan, Golub & LeVeque 1983).  The row-by-row
computation ([`scale_alphas`][relcoord.metrics.reliability.alpha.scale_alphas],
[`agreement_of_rows`][relcoord.metrics.reliability.agreement.agreement_of_rows],
[`icc_of_codes`][relcoord.metrics.reliability.icc.icc_of_codes]) rounds its means and
squared deviations instead; the two agree to 1e-12 relative, and where they do not (an
r_wg(J) of exactly .70 that the rows put at 0.7000000000000001, a between-group mean
square of near-equal means) the counts' value is the exact one
(``tests/metrics/reliability/test_answer_counts.py`` checks both against the rows and
against exact rational arithmetic).

Scales that are not integers, or whose patterns would be too many to count
([`PATTERN_LIMIT`][relcoord.metrics.reliability.answer_counts.PATTERN_LIMIT]), have no answer counts
([`AnswerCounts.of`][relcoord.metrics.reliability.answer_counts.AnswerCounts.of] returns ``None``);
the figures are then computed row by row.

Sources:
    Chan, T.F., Golub, G.H. & LeVeque, R.J. (1983). Algorithms for computing the sample
    variance: analysis and recommendations. *The American Statistician* 37(3), 242-247.
    Burke, M.J., Finkelstein, L.M. & Dusig, M.S. (1999). On average deviation indices for
    estimating interrater agreement. *Organizational Research Methods* 2(1), 49-68.
    Cronbach, L.J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16(3), 297-334.
    IEEE (2019). *IEEE Standard for Floating-Point Arithmetic* (IEEE 754-2019).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.reliability.alpha import CronbachAlpha
from relcoord.metrics.reliability.dispersion import Center, Dispersion
from relcoord.metrics.reliability.grouped import dense_codes
from relcoord.metrics.reliability.rows import SCALES, scale_keys, scale_matrix
from relcoord.metrics.tie_cells import TieCells
from relcoord.metrics.wave_rows import wave_rows
from relcoord.model import Study
from relcoord.optional_dependencies import compiled_engine, numba_jit

__all__ = ["PATTERN_LIMIT", "AlphaSums", "AnswerCounts", "CellCounts"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

#: The most answer patterns ``(A + 1) ** J`` counted (seven items on a five-point scale:
#: 279,936); above it the figures are computed row by row.
PATTERN_LIMIT: Final = 1 << 22
#: The most score values ``A`` of a scale that is counted, and the largest magnitude of a
#: score (answers are read as bytes).
VALUE_LIMIT: Final = 100
#: Rows per block of the pattern codes (a block of the item block stays in the CPU cache).
_BLOCK_ROWS: Final = 1 << 15
#: The counters one ``np.bincount`` of the per-cell item tallies may use at least (more when
#: there are more rows: up to four per row).
_COUNTER_BUDGET: Final = 1 << 16
#: ... and at most (8 MiB per million counters).
_COUNTER_LIMIT: Final = 1 << 23
#: Up to this many cells (or one per 16 rows) the tallies are kept on the whole grid of
#: cells, without numbering the cells that have rows first.
_SMALL_GRID: Final = 1 << 16
#: Integers below this are exact as floats, and so are sums of them that stay below it.
_FLOAT_EXACT: Final = 1 << 53
#: Products of integers below this (in magnitude) are computed in int64.
_INT64_EXACT: Final = 1 << 62


def _integer_scale(study: Study, keys: tuple[str, ...]) -> tuple[int, int] | None:
    """``(v_min, A)`` when every score of the items ``keys`` is an integer in
    ``v_min .. v_min + A - 1`` and the patterns are few enough to count; else ``None``."""
    if not keys:
        return None
    values = [v for k in keys for v in study.instrument.dimension(k).scoring]
    if not all(math.isfinite(v) and float(v).is_integer() for v in values):
        return None
    low, high = int(min(values)), int(max(values))
    n_values = high - low + 1
    if low < -VALUE_LIMIT or high > VALUE_LIMIT or n_values > VALUE_LIMIT \
            or (n_values + 1) ** len(keys) > PATTERN_LIMIT:
        return None
    return low, n_values


@attrs.frozen(eq=False)
class AnswerCounts:
    """The tallies of the rating rows of one wave (see the module docstring).

    ``low`` is the smallest score ``v_min`` and ``n_values`` the number ``A`` of integer
    scores ``v_min .. v_min + A - 1`` (answer code ``v - v_min``; ``A`` codes a missing
    answer).  ``patterns[p]`` counts the rows with answer pattern ``p`` (code of item ``j``
    is digit ``j``, item 0 the most significant, in radix ``A + 1``).  ``cells`` are the tie
    cells in one wave with at least one complete row, ascending, as codes on the grid of
    ``n_waves`` wave slots that [`TieCells.of`][relcoord.metrics.tie_cells.TieCells.of] lays
    out with ``by_wave=True``: ``(source * n_roles + target) * n_waves + slot``;
    ``item_counts[g, j, a]`` counts the complete rows of cell ``cells[g]`` whose item ``j``
    scored ``v_min + a``; ``total_counts[g, t]`` those whose item sum is
    ``J v_min + t``.  ``people`` are the respondents (codes into ``study.respondents``)
    with a complete row (about ``target`` only, when it is set), ``people_n`` their complete
    rows and ``people_total`` the rows' item sums less ``J v_min`` each.  ``complete``
    marks the complete rows among the wave's rows (``chosen``; ``None``: every row).
    ``one_row_per_rater`` says whether the wave's rows are in canonical order (by wave slot,
    tie and respondent) with no respondent twice in one cell, so that each complete row of a
    cell is a distinct rater (checked in the same pass).
    """

    study: Study
    keys: tuple[str, ...]
    low: int
    n_values: int
    chosen: Bools | None
    complete: Bools
    patterns: Ints
    n_waves: int
    cells: Ints
    item_counts: Ints
    total_counts: Ints
    people: Ints
    people_n: Ints
    people_total: Ints
    one_row_per_rater: bool

    @classmethod
    def of(cls, study: Study, wave: str | None = None, target: str | None = None, *,
           engine: str = "auto") -> AnswerCounts | None:
        """The tallies of ``study``'s rows of ``wave`` (``None``: every row) on the RC index's
        items; ``None`` when its scale is not a small set of integers (see
        [`PATTERN_LIMIT`][relcoord.metrics.reliability.answer_counts.PATTERN_LIMIT]).

        The scores of a [`Study`][relcoord.model.Study] are on its instrument's scale (the
        constructor refuses others), so every answer has its code.  ``target`` restricts the
        per-respondent sums to ratings about that role (the ICC of respondents about one
        target).  ``engine`` is ``"numpy"``, ``"numba"`` (the ``fast`` extra; `ImportError`
        without it) or ``"auto"`` (numba when installed): the tallies are integer counts, the
        same on both.
        """
        keys = scale_keys(study.instrument, "rc")
        scale = _integer_scale(study, keys)
        if scale is None:
            return None
        low, n_values = scale
        chosen = None
        if wave is not None:  # the wave's rows, read in place (the item block is not copied)
            mask = wave_rows(study, wave)
            chosen = None if mask.all() else mask
        target_code = -1 if target is None else study.role_ids.index(study.role(target).id)
        counting = _tally_engine(engine)
        tallies = counting(study, scale_matrix(study, keys), chosen, target_code, low, n_values)
        people_n, people_total = tallies.people_n, tallies.people_total
        people = np.flatnonzero(people_n).astype(np.int64)
        return cls(
            study=study, keys=keys, low=low, n_values=n_values, chosen=chosen,
            complete=tallies.complete, patterns=tallies.patterns,
            n_waves=len(study.ratings.waves) + 1, cells=tallies.cells,
            item_counts=tallies.item_counts, total_counts=tallies.total_counts, people=people,
            people_n=people_n[people].astype(np.int64),
            people_total=people_total[people].astype(np.int64),
            one_row_per_rater=tallies.one_row_per_rater,
        )

    @property
    def grid_size(self) -> int:
        """The number of tie cells in one wave, ``n_roles * n_roles * n_waves``."""
        return len(self.study.roles) ** 2 * self.n_waves

    # --- alpha --------------------------------------------------------------------------

    def alphas(self, wave: str | None, min_items: int) -> dict[str, CronbachAlpha]:
        """[`scale_alphas`][relcoord.metrics.reliability.alpha.scale_alphas] from the patterns:
        the RC index over its complete rows, each sub-index over the rows the scores count
        (``min_items``) that are complete on its items
        ([`alpha_sums`][relcoord.metrics.reliability.answer_counts.AnswerCounts.alpha_sums], then
        [`AlphaSums.alpha`][relcoord.metrics.reliability.answer_counts.AlphaSums.alpha])."""
        return {scale: sums.alpha(scale, wave, min_items)
                for scale, sums in self.alpha_sums(min_items).items()}

    def alpha_sums(self, min_items: int) -> dict[str, AlphaSums]:
        """Per scale of [`SCALES`][relcoord.metrics.reliability.rows.SCALES], the sums of the
        answer codes and of their products over the scale's cases (the RC index's complete
        rows; a sub-index's rows that the scores count under ``min_items`` and that are complete
        on its items), Python integers summed over the patterns."""
        radix, n_items = self.n_values + 1, len(self.keys)
        present = np.flatnonzero(self.patterns)
        weight = self.patterns[present]
        digits = _digits(present, radix, n_items)
        answered = digits != self.n_values
        counted = answered.sum(axis=1) >= min_items
        out: dict[str, AlphaSums] = {}
        for scale in SCALES:
            keys = scale_keys(self.study.instrument, scale)
            cols = [self.keys.index(k) for k in keys]
            rows = answered[:, cols].all(axis=1)
            if scale != "rc":
                rows &= counted
            w = weight[rows]
            n = int(w.sum()) if cols else 0
            if not cols:
                out[scale] = AlphaSums(keys=keys, n=0, sums=(), products=())
                continue
            codes = digits[rows][:, cols]
            if n * (self.n_values - 1) ** 2 < _FLOAT_EXACT:
                # every partial sum an integer below 2**53: BLAS in floats is exact
                exact = codes.astype(np.float64)
                weighted = exact * w[:, None].astype(np.float64)
                sums = np.asarray(w.astype(np.float64) @ exact, dtype=np.int64).tolist()
                products = np.asarray(weighted.T @ exact, dtype=np.int64).tolist()
            else:
                sums = (w @ codes).tolist()
                products = ((codes * w[:, None]).T @ codes).tolist()
            out[scale] = AlphaSums(keys=keys, n=n, sums=tuple(sums),
                                   products=tuple(tuple(r) for r in products))
        return out

    # --- agreement and the ICCs of ratings: the per-cell tallies ------------------------

    @functools.cached_property
    def by_cell(self) -> CellCounts:
        """The per-cell tallies on their own
        ([`CellCounts`][relcoord.metrics.reliability.answer_counts.CellCounts]): the agreement and
        the ICCs of ratings are computed from them."""
        return CellCounts(keys=self.keys, n_values=self.n_values, n_roles=len(self.study.roles),
                          n_waves=self.n_waves, cells=self.cells, item_counts=self.item_counts,
                          item_sums=_item_sum_moments(self.total_counts))

    def agreement(self, center: Center, null_variances: Floats
                  ) -> tuple[Dispersion, Floats, Floats]:
        """[`CellCounts.agreement`][relcoord.metrics.reliability.answer_counts.CellCounts.agreement]
        of these tallies."""
        return self.by_cell.agreement(center, null_variances)

    def dispersion(self, center: Center) -> Dispersion:
        """[`CellCounts.dispersion`][relcoord.metrics.reliability.answer_counts.CellCounts.dispersion]
        of these tallies."""
        return self.by_cell.dispersion(center)

    def tie_anova(self) -> tuple[float, float, Floats]:
        """MS between and MS within of the ICC of ratings by tie, and the groups' sizes."""
        return self.by_cell.tie_anova()

    def target_anova(self) -> tuple[float, float, Floats]:
        """MS between and MS within of the ICC of ratings by target role, and the groups'
        sizes: each target's cells pooled (see
        [`CellCounts.target_anova`][relcoord.metrics.reliability.answer_counts.CellCounts.target_anova])."""
        return self.by_cell.target_anova()

    # --- the ICC of respondents ---------------------------------------------------------

    def respondent_scores(self) -> tuple[Ints, Floats]:
        """[`respondent_scale_scores`][relcoord.metrics.reliability.icc.respondent_scale_scores] of
        the RC index: the respondents and their mean RC over their complete rows, the sum of
        their item sums over ``J`` times their rows (divided once, as the row-by-row
        computation does)."""
        n_items = len(self.keys)
        total = self.people_total + self.people_n * (n_items * self.low)  # the item sums
        return self.people, _ratio(total, self.people_n * n_items)

    # --- the privacy rule ---------------------------------------------------------------

    def raters(self) -> Ints:
        """Distinct raters with complete answers per tie cell code (every code of the grid,
        see ``cells``), a rating without respondent counting as one: the complete rows when
        no respondent rates a cell twice (``one_row_per_rater``, checked on the rows' order,
        which the analysis keeps canonical), else counted by
        [`TieCells.respondents`][relcoord.metrics.tie_cells.TieCells.respondents]."""
        if self.one_row_per_rater:
            out = np.zeros(self.grid_size, dtype=np.int64)
            if len(self.keys):
                out[self.cells] = self.item_counts[:, 0, :].sum(axis=1)
            return out
        tie_cells = TieCells.of(self.study, by_wave=True)
        if self.chosen is None:
            return tie_cells.respondents(self.complete)
        every = np.zeros(len(self.chosen), dtype=bool)
        every[self.chosen] = self.complete
        return tie_cells.respondents(every)


@attrs.frozen
class AlphaSums:
    """The cases of one scale summed up for Cronbach's alpha: ``n`` cases, per item the sum
    of the answer codes (``sums``) and per pair of items the sum of their products
    (``products``), Python integers, in the order of ``keys``.

    Sums of disjoint sets of cases add
    ([`plus`][relcoord.metrics.reliability.answer_counts.AlphaSums.plus]), and
    ``n (n - 1) C = n sum x x' - (sum x)(sum x)'`` is exact (Cronbach 1951): the alpha of the
    union is that of its sums, the same figures to the last bit."""

    keys: tuple[str, ...]
    n: int
    sums: tuple[int, ...]
    products: tuple[tuple[int, ...], ...]

    def plus(self, other: AlphaSums) -> AlphaSums:
        """The sums of both sets of cases (the same scale)."""
        if other.keys != self.keys:
            raise ValueError(f"alpha sums of items {other.keys} added to those of {self.keys}")
        return AlphaSums(
            keys=self.keys, n=self.n + other.n,
            sums=tuple(a + b for a, b in zip(self.sums, other.sums, strict=True)),
            products=tuple(tuple(a + b for a, b in zip(r, q, strict=True))
                           for r, q in zip(self.products, other.products, strict=True)))

    def alpha(self, scale: str, wave: str | None, min_items: int) -> CronbachAlpha:
        """Cronbach's alpha of these cases, with item-total correlations and
        alpha-if-deleted (``None`` below two cases or two items)."""
        n, keys = self.n, self.keys
        if n < 2 or len(keys) < 2:  # undefined
            nothing = (None,) * len(keys)
            return CronbachAlpha(scale=scale, items=keys, n=n, alpha=None, item_total=nothing,
                                 alpha_if_deleted=nothing, wave=wave, min_items=min_items)
        sums, products = self.sums, self.products
        cross = [[n * products[i][j] - sums[i] * sums[j] for j in range(len(keys))]
                 for i in range(len(keys))]
        return _alpha_of_cross(cross, n, keys, scale, wave, min_items)


@attrs.frozen(eq=False)
class CellCounts:
    """The per-cell tallies of
    [`AnswerCounts`][relcoord.metrics.reliability.answer_counts.AnswerCounts] on their own: every
    figure of the agreement and of the ICCs of ratings (by tie, by target role) is computed from
    them.

    ``cells`` are tie cell codes ``(source * n_roles + target) * n_waves + slot``, ascending,
    with at least one complete row; ``item_counts[g, j, a]`` as in
    [`AnswerCounts`][relcoord.metrics.reliability.answer_counts.AnswerCounts];
    ``item_sums[g]`` the number of complete rows, and the sum and the sum of squares of their
    item sum codes ``t`` (``total_counts`` of the answer counts summed up: all the ANOVAs of
    ratings need of them).  Integers per cell: the tallies of rows of disjoint sets of cells
    are put together by concatenating them (a cell's figures depend on its own counts only,
    a target role's on the sums of its cells)."""

    keys: tuple[str, ...]
    n_values: int
    n_roles: int
    n_waves: int
    cells: Ints
    item_counts: Ints
    item_sums: Ints

    # --- agreement ----------------------------------------------------------------------

    def agreement(self, center: Center, null_variances: Floats
                  ) -> tuple[Dispersion, Floats, Floats]:
        """Per cell of ``cells``: the dispersion of the complete rows
        ([`block_dispersion`][relcoord.metrics.reliability.dispersion.block_dispersion]: counts,
        item variances (``ddof=1``) and ADs about the mean or the median, NaN below two
        raters), r_wg(J) and AD(J) (the mean AD over the items).

        With codes ``k`` counted ``c_k`` times (``n`` raters, ``S1 = sum c k``,
        ``S2 = sum c k^2``): variance ``(n S2 - S1^2) / (n (n - 1))``, AD_M
        ``sum c |n k - S1| / n^2`` and AD_Md ``sum c |2 k - (k_lo + k_hi)| / (2 n)``.  With
        the mean item variance over its null variance
        ``m = (1 / J) sum_j s_j^2 / sigma_j^2 = M / K`` (integers), r_wg(J) is
        ``J (K - M) / (J (K - M) + M)`` and 0 where ``M >= K``
        ([`rwg_j`][relcoord.metrics.reliability.agreement.rwg_j]).  Each is a ratio of
        integers divided once, the float nearest its exact value, so that a value on a
        band's edge (an r_wg(J) of exactly .70) falls on the side the definitions put it."""
        n_items = len(self.keys)
        counts = self.item_counts.sum(axis=2)[:, 0] if n_items else np.zeros(
            len(self.cells), dtype=np.int64)
        parts = _dispersion_parts(self.item_counts, counts, center,
                                  self._medians(counts) if center == "median" else None)
        few = counts < 2
        variances = _nan_below_two(_ratio(parts.variance, parts.variance_over), few)
        deviations = _nan_below_two(_ratio(parts.deviation, parts.deviation_over), few)
        dispersion = Dispersion(counts=counts.astype(np.int64), variances=variances,
                                deviations=deviations, center=center)
        scale_ad = _nan_below_two(
            _ratio(parts.deviation.sum(axis=1), parts.deviation_over[:, 0] * n_items), few)
        return dispersion, _scale_rwg(parts, counts, null_variances, n_items,
                                      self.n_values), scale_ad

    def dispersion(self, center: Center) -> Dispersion:
        """The dispersion part of
        [`agreement`][relcoord.metrics.reliability.answer_counts.AnswerCounts.agreement]."""
        nulls = np.ones(len(self.keys))
        return self.agreement(center, nulls)[0]

    def _medians(self, counts: Ints) -> Ints:
        """Per cell and item, twice the median code: the sum of the codes at ranks
        ``(n - 1) // 2`` and ``n // 2`` (from 0) of the sorted answers."""
        below = np.cumsum(self.item_counts, axis=2)  # answers at or below each code
        low = ((counts - 1) // 2)[:, None, None]
        high = (counts // 2)[:, None, None]
        first = (below > low).argmax(axis=2)  # the first code whose count passes the rank
        second = (below > high).argmax(axis=2)
        return np.asarray(first + second, dtype=np.int64)

    # --- the ICC ------------------------------------------------------------------------

    def tie_anova(self) -> tuple[float, float, Floats]:
        """MS between and MS within of the ICC of ratings by tie, and the groups' sizes."""
        return _anova(self.item_sums, len(self.keys))

    def target_anova(self) -> tuple[float, float, Floats]:
        """MS between and MS within of the ICC of ratings by target role, and the groups'
        sizes: each target's cells pooled (their rows, sums and sums of squares added)."""
        n_roles = self.n_roles
        target = (self.cells // self.n_waves) % n_roles
        _, group = dense_codes(target, max(n_roles, 1))
        n_groups = int(group.max()) + 1 if len(group) else 0
        pooled = np.zeros((n_groups, 3), dtype=np.int64)
        np.add.at(pooled, group, self.item_sums)
        return _anova(pooled, len(self.keys))


@attrs.frozen(eq=False)
class _Tallies:
    """What one pass over the rows counts (see
    [`AnswerCounts`][relcoord.metrics.reliability.answer_counts.AnswerCounts]); ``people_n`` and
    ``people_total`` over every respondent code."""

    patterns: Ints
    complete: Bools
    cells: Ints
    item_counts: Ints
    total_counts: Ints
    people_n: Ints
    people_total: Ints
    one_row_per_rater: bool


#: ``(study, item block of every row, chosen rows or None, target role code or -1, v_min, A)``
Counting = Callable[[Study, Floats, Bools | None, int, int, int], _Tallies]


def _tally_engine(engine: str) -> Counting:
    numpy_path: Counting = _numpy_counting
    return compiled_engine(engine, numpy_path, _numba_tallies,
                           purpose="the compiled answer counts (engine='numba')")


def _numpy_counting(study: Study, x: Floats, chosen: Bools | None, target: int, low: int,
                    n_values: int) -> _Tallies:
    """The tallies with numpy, in blocks of the ``chosen`` rows, added up: per block the
    rows' answer patterns (``_patterns``), then ``np.bincount`` of the patterns, of each
    cell's joint digits (``_item_tallies``), of each cell's item sums and of each
    respondent's; and the order check of ``one_row_per_rater`` on each block's keys and the
    row before it.  Nothing the length of the rows is kept but the complete-row flags."""
    ratings = study.ratings
    n_roles, n_waves = len(study.roles), len(ratings.waves) + 1
    grid = n_roles * n_roles * n_waves
    n_items = x.shape[1]
    n_patterns = (n_values + 1) ** n_items
    n_people = len(study.respondents)
    n_rows = len(x) if chosen is None else int(np.count_nonzero(chosen))
    full, sums = _complete_patterns(n_values, n_items)
    numbered: npt.NDArray[np.intp] | None = None
    if grid <= max(_SMALL_GRID, n_rows // 16):  # count on the grid itself
        cells = np.arange(grid, dtype=np.int64)
    else:  # many cells: number those with rows first
        codes = TieCells.of(study, by_wave=True).codes
        cells, numbered = dense_codes(codes if chosen is None else codes[chosen], grid)
        del codes
    n_groups = len(cells) + 1  # and one for the incomplete rows, left out at the end
    n_totals = n_items * (n_values - 1) + 1
    patterns = np.zeros(n_patterns, dtype=np.int64)
    items = np.zeros((n_groups, n_items, n_values), dtype=np.int64)
    totals = np.zeros(n_groups * n_totals, dtype=np.int64)
    people_n = np.zeros(n_people + 1, dtype=np.int64)
    people_total = np.zeros(n_people + 1, dtype=np.int64)
    complete = np.empty(n_rows, dtype=np.bool_)
    order = _RowOrder(grid, n_waves, int(ratings.respondent.max(initial=-1)) + 2)
    step = _numpy_block_rows(n_patterns, n_groups, n_people)
    done = 0  # chosen rows counted so far
    for start in range(0, len(x), step):
        rows = slice(start, start + step)
        pick = None if chosen is None else chosen[rows]

        def part(values: npt.NDArray[Any], rows: slice = rows,
                 pick: Bools | None = pick) -> npt.NDArray[Any]:
            return values[rows] if pick is None else values[rows][pick]

        block, who, about = part(x), part(ratings.respondent), part(ratings.target)
        size = len(block)
        if not size:
            continue
        cell = part(ratings.source).astype(np.int64)  # the rows' tie cell codes (TieCells)
        cell *= n_roles
        cell += about
        cell *= n_waves
        cell += part(ratings.wave)
        cell += 1
        order.read(cell, who)
        pattern = _patterns(np.ascontiguousarray(block), low, n_values)
        patterns += np.bincount(pattern, minlength=n_patterns)
        ok = full[pattern]
        complete[done:done + size] = ok
        group = cell if numbered is None else numbered[done:done + size]
        group = np.where(ok, group, n_groups - 1)
        items += _item_tallies(pattern, group, n_groups, n_values, n_items)
        total = sums[pattern]  # each row's code sum (0 for an incomplete row)
        key = group * n_totals
        key += total
        totals += np.bincount(key, minlength=n_groups * n_totals)
        keep = ok & (who >= 0)
        if target >= 0:
            keep &= about == target
        counted = np.where(keep, who, n_people)
        people_n += np.bincount(counted, minlength=n_people + 1)
        # item-sum codes of one block: integers far below 2**53, exact as float sums
        people_total += np.rint(np.bincount(counted, weights=total, minlength=n_people + 1)
                                ).astype(np.int64)
        done += size
    by_cell = totals.reshape(n_groups, n_totals)[:-1]
    used = np.flatnonzero(by_cell.any(axis=1))
    return _Tallies(patterns=patterns, complete=complete, cells=cells[used],
                    item_counts=items[:-1][used], total_counts=by_cell[used],
                    people_n=people_n[:n_people], people_total=people_total[:n_people],
                    one_row_per_rater=order.ordered)


def _numpy_block_rows(n_patterns: int, n_groups: int, n_people: int) -> int:
    """Rows per block of the numpy tallies: ``_BLOCK_ROWS`` at least, and no fewer than the
    counters one block's ``np.bincount`` adds up (patterns, cells, respondents), so that
    adding them costs no more than counting the block."""
    return max(_BLOCK_ROWS, n_patterns, 4 * n_groups, n_people + 1)


def _complete_patterns(n_values: int, n_items: int) -> tuple[Bools, npt.NDArray[np.int16]]:
    """For every answer pattern (see ``_patterns``): whether it answers every item, and then
    the sum of its codes (else 0)."""
    radix = n_values + 1
    pattern = np.arange(radix**n_items, dtype=np.int64)
    full = np.ones(len(pattern), dtype=np.bool_)
    sums = np.zeros(len(pattern), dtype=np.int16)  # at most 13 items of 100 values
    for j in range(n_items):
        digit = (pattern // radix ** (n_items - 1 - j)) % radix
        full &= digit != n_values
        sums += digit.astype(np.int16)
    sums[~full] = 0
    return full, sums


class _RowOrder:
    """Whether rows read block by block are sorted by wave slot, tie and respondent with no
    respondent twice in one cell: then each row of a cell is a distinct rater.  Each row's
    key ``(slot * ties + tie) * span + respondent`` (``span`` more than the respondent codes
    ``-1 ..`` take, so that the order of the keys is that of the triples) must pass the
    key before it, or equal it for a rating without respondent; ``False`` when the keys
    would not fit int64 (the caller counts the raters then)."""

    def __init__(self, grid: int, n_waves: int, span: int) -> None:
        self.grid, self.n_waves, self.span = grid, n_waves, span
        self.ordered = grid * span < _INT64_EXACT
        self._last: tuple[int, int] | None = None  # the previous block's last key, respondent

    def read(self, cell: Ints, who: npt.NDArray[np.int32]) -> None:
        """Check the next block of rows (their cell codes and respondents)."""
        if not self.ordered or not len(cell):
            return
        if self.n_waves == 1:
            key = cell * self.span
        else:  # the wave slot first, as the canonical order has it
            key = cell % self.n_waves
            key *= self.grid // self.n_waves
            key += cell // self.n_waves
            key *= self.span
        key += who  # a rating without respondent (-1) keys just below its cell's others
        people = who
        if self._last is not None:
            key = np.concatenate(([self._last[0]], key))
            people = np.concatenate(([self._last[1]], who))
        self._last = (int(key[-1]), int(people[-1]))
        step = np.diff(key)
        if len(step) and int(step.min()) <= 0:
            self.ordered = bool(((step > 0) | ((step == 0) & (people[1:] < 0))).all())


@functools.cache
def _numba_tallies() -> Counting | None:
    """The tallies in one compiled loop over the rows, or ``None`` without numba (the
    ``fast`` extra).

    The loop reads the item block in place (the rows of one wave are skipped, not copied),
    works out each row's tie cell from its codes as it goes (no per-row array of cell codes
    while the grid of cells is small) and checks the rows' order for ``one_row_per_rater``
    in the same pass.  A respondent's two tallies sit side by side (one cache line)."""
    if numba_jit() is None:
        return None
    no_rows = np.zeros(0, dtype=np.bool_)
    no_group = np.zeros(0, dtype=np.intp)

    def run(study: Study, x: Floats, chosen: Bools | None, about: int, low: int,
            n_values: int) -> _Tallies:
        ratings = study.ratings
        n_roles, n_waves = len(study.roles), len(ratings.waves) + 1
        grid = n_roles * n_roles * n_waves
        n_items = x.shape[1]
        n_rows = len(x) if chosen is None else int(np.count_nonzero(chosen))
        if grid <= max(_SMALL_GRID, n_rows // 16):  # count on the grid itself
            codes, group = np.arange(grid, dtype=np.int64), no_group
        else:  # many cells: number those with rows first
            cell = TieCells.of(study, by_wave=True).codes
            codes, group = dense_codes(cell if chosen is None else cell[chosen], grid)
            del cell
        # counters of four bytes while no count (nor a respondent's sum of item-sum codes)
        # can pass 2**31: half the cache they occupy
        counter = np.int32 if n_rows < 2**31 - 1 else np.int64
        top_sum = n_rows * max(1, n_items * (n_values - 1))
        patterns = np.zeros((n_values + 1) ** n_items, dtype=counter)
        complete = np.empty(n_rows, dtype=np.bool_)
        items = np.zeros((len(codes), n_items, n_values), dtype=counter)
        totals = np.zeros((len(codes), n_items * (n_values - 1) + 1), dtype=counter)
        people = np.zeros((len(study.respondents), 2),
                          dtype=np.int32 if top_sum < 2**31 - 1 else np.int64)
        one_pass = _compiled_pass(n_items)
        ordered = one_pass(np.ascontiguousarray(x), low, n_values,
                           no_rows if chosen is None else chosen, ratings.source,
                           ratings.target, ratings.wave, n_roles, n_waves, group,
                           ratings.respondent, about, patterns, complete, items, totals, people)
        used = np.flatnonzero(totals.any(axis=1))
        return _Tallies(patterns=patterns.astype(np.int64), complete=complete,
                        cells=codes[used], item_counts=items[used].astype(np.int64),
                        total_counts=totals[used].astype(np.int64),
                        people_n=people[:, 0].astype(np.int64),
                        people_total=people[:, 1].astype(np.int64),
                        one_row_per_rater=bool(ordered))

    return run


@functools.cache
def _compiled_pass(n_items: int) -> Callable[..., bool]:
    """The compiled loop of ``_numba_tallies`` for ``n_items`` items (numba installed).

    The number of items is a constant of the compiled code, so the loops over a row's items
    are unrolled (a sixth faster at seven items than a loop to ``x.shape[1]``).  numba
    compiles and caches one loop per number of items: a closure's constants are part of the
    key of its on-disk cache."""
    jit = numba_jit()
    assert jit is not None  # _numba_tallies checked

    @jit
    def one_pass(x: Any, low: int, n_values: int, chosen: Any, source: Any, target: Any,
                 wave: Any, n_roles: int, n_waves: int, group: Any, person: Any,
                 about: int, patterns: Any, complete: Any, items: Any, totals: Any,
                 people: Any) -> bool:
        radix = n_values + 1
        every = len(chosen) == 0
        inline = len(group) == 0
        ordered = True  # by wave slot, tie and respondent, no respondent twice in a cell
        last_slot, last_pair, last_who = -1, -1, -2
        k = -1  # the row among the chosen ones
        for r in range(x.shape[0]):
            if not every and not chosen[r]:
                continue
            k += 1
            slot = wave[r] + 1
            pair = source[r] * n_roles + target[r]
            who = person[r]
            if ordered and (slot < last_slot or (slot == last_slot and (
                    pair < last_pair or (pair == last_pair and (
                        who < last_who or (who == last_who and who >= 0)))))):
                ordered = False
            last_slot, last_pair, last_who = slot, pair, who
            p = 0
            t = 0
            full = True
            for j in range(n_items):
                v = x[r, j]
                missing = v != v
                c = n_values if missing else int(v) - low
                full &= not missing
                p = p * radix + c
                t += c
            patterns[p] += 1
            complete[k] = full
            if not full:
                continue
            g = pair * n_waves + slot if inline else group[k]
            for j in range(n_items):  # the row is in the cache: read again, not kept
                items[g, j, int(x[r, j]) - low] += 1
            totals[g, t] += 1
            if who >= 0 and (about < 0 or target[r] == about):
                people[who, 0] += 1
                people[who, 1] += t
        return ordered

    return one_pass


def _patterns(x: Floats, low: int, n_values: int) -> npt.NDArray[np.int32]:
    """Each row's answer pattern: the codes ``v - low`` of its answers (``n_values`` where
    missing) as the digits of one number in radix ``n_values + 1``, item 0 the most
    significant.

    A missing answer is read as the score ``low + n_values`` (``np.fmin`` takes the number
    where one operand is NaN), so the pattern is the dot product of the row with the radix
    powers less ``low`` times their sum: integers far below ``2**53``, exact in any order of
    addition.  Computed in blocks of rows that stay in the CPU cache, so the item block is
    read once and no full-size temporary is made.
    """
    n_rows, n_items = x.shape
    radix = n_values + 1
    powers = np.asarray(radix ** np.arange(n_items - 1, -1, -1), dtype=np.float64)
    shift = low * float(powers.sum())
    out = np.empty(n_rows, dtype=np.int32)
    buffer = np.empty((min(n_rows, _BLOCK_ROWS), n_items))
    for start in range(0, n_rows, _BLOCK_ROWS):
        block = x[start:start + _BLOCK_ROWS]
        read = np.fmin(block, low + n_values, out=buffer[:len(block)])
        pattern = read @ powers
        pattern -= shift
        out[start:start + len(block)] = pattern
    return out


def _digits(patterns: npt.NDArray[np.integer[Any]], radix: int, n_items: int) -> Ints:
    """The ``(len(patterns), J)`` codes of answer patterns (digits, item 0 first)."""
    digits = np.empty((len(patterns), n_items), dtype=np.int64)
    rest = patterns.astype(np.int64)
    for j in range(n_items - 1, -1, -1):
        rest, digits[:, j] = np.divmod(rest, radix)
    return digits


def _item_tallies(pattern: npt.NDArray[np.int32], group: npt.NDArray[np.intp], n_groups: int,
                  n_values: int, n_items: int) -> Ints:
    """``item_counts`` ``(G, J, A)`` of complete rows with answer patterns ``pattern`` in
    groups ``group``.  The items are split into runs of neighbouring digits whose joint counts
    per group fit a budget of counters (a few per row); each run takes one ``np.bincount`` of
    ``group * radix**m + (its digits)``, and the item counts are the run's marginals."""
    radix = n_values + 1
    budget = max(_COUNTER_BUDGET, min(4 * len(pattern), _COUNTER_LIMIT))
    out = np.zeros((n_groups, n_items, n_values), dtype=np.int64)
    end = n_items
    while end > 0:
        size = 1
        while size < end and n_groups * radix ** (size + 1) <= budget:
            size += 1
        start = end - size
        width = radix**size
        part = pattern // radix ** (n_items - end) if end < n_items else pattern.copy()
        if start > 0:
            part %= width
        key = group * width  # int64 (cell codes, or intp)
        key += part
        del part
        joint = np.bincount(key, minlength=n_groups * width).reshape(
            (n_groups,) + (radix,) * size)
        del key
        for j, marginal in enumerate(_marginals(joint)):
            out[:, start + j, :] = marginal[:, :n_values]
        end = start
    return out


def _marginals(joint: Ints) -> list[Ints]:
    """Per group, the counts of each digit of a ``(G, r, ..., r)`` joint tally, digit by
    digit: halved recursively (each half summed out once), so the large table is read twice
    however many digits it has."""
    m = joint.ndim - 1
    if m == 1:
        return [joint]
    half = m // 2
    left = joint.sum(axis=tuple(range(1 + half, 1 + m)))
    right = joint.sum(axis=tuple(range(1, 1 + half)))
    return _marginals(left) + _marginals(right)


def _item_sum_moments(counts: Ints) -> Ints:
    """Per group of ``total_counts``-shaped counts of each item sum code ``t``: the number of
    rows, the sum of their codes and the sum of their squares (``(G, 3)`` integers)."""
    n = counts.sum(axis=1)
    codes = np.arange(counts.shape[1], dtype=np.float64)
    exact = counts.astype(np.float64)  # counts and their sums below 2**53: BLAS is exact
    sums = np.asarray(exact @ codes, dtype=np.int64)
    squares = np.asarray(exact @ (codes * codes), dtype=np.int64)
    return np.stack([n.astype(np.int64), sums, squares], axis=1)


def _anova(moments: Ints, n_items: int) -> tuple[float, float, Floats]:
    """One-way ANOVA mean squares of the RC (item sum / J) from each group's number of rows,
    sum and sum of squares of the item sum codes ``t`` (``_item_sum_moments``; groups without
    rows left out), as [`icc_of_codes`][relcoord.metrics.reliability.icc.icc_of_codes] takes
    them, and the groups' sizes.

    With ``n_g`` rows, code sum ``S_g`` and code square sum ``Q_g`` per group (integers; a
    shift of every code cancels), ``N``, ``S`` over all: between
    ``sum_g (N S_g - n_g S)^2 / (n_g N^2)`` and within ``sum_g (n_g Q_g - S_g^2) / n_g``, both
    over ``J^2``: every deviation from a mean is an exact integer before it is squared, so
    neither sum cancels, however close the means.
    """
    moments = moments[moments[:, 0] > 0]
    n, sums, squares = moments[:, 0], moments[:, 1], moments[:, 2]
    sizes = n.astype(np.float64)
    total, groups = int(n.sum()), len(n)
    if groups < 2 or total - groups < 1:
        return math.nan, math.nan, sizes
    grand = int(sums.sum())
    # every product below fits in int64 (all the terms are at least 0): the same integers,
    # each rounded once to a float, as with Python's integers
    top_n, top_sum, top_square = int(n.max()), int(sums.max()), int(squares.max())
    if max(total * top_sum, top_n * grand, top_n * top_square,
           top_sum * top_sum) < _INT64_EXACT:
        between_part = (total * sums - n * grand).astype(np.float64)
        within_part = (n * squares - sums * sums).astype(np.float64)
    else:
        between_part = np.array([float(total * s - m * grand) for s, m in
                                 zip(sums.tolist(), n.tolist(), strict=True)])
        within_part = np.array([float(m * q - s * s) for s, m, q in
                                zip(sums.tolist(), n.tolist(), squares.tolist(), strict=True)])
    scale = float(n_items * n_items)
    between = float((between_part * between_part / sizes).sum()) / (float(total) ** 2)
    within = float((within_part / sizes).sum())
    return between / scale / (groups - 1), within / scale / (total - groups), sizes


@attrs.frozen(eq=False)
class _Parts:
    """Per cell and item, the integer numerators and denominators of the variance and the
    AD (see ``AnswerCounts.dispersion``)."""

    variance: npt.NDArray[Any]
    variance_over: npt.NDArray[Any]
    deviation: npt.NDArray[Any]
    deviation_over: npt.NDArray[Any]


def _dispersion_parts(item_counts: Ints, counts: Ints, center: Center,
                      twice_median: Ints | None) -> _Parts:
    """The integers behind each cell's item variances and ADs (int64 while they fit, else
    Python integers)."""
    n_values = item_counts.shape[2]
    top = int(counts.max(initial=0))
    exact = 4 * (top * n_values) ** 2 < 1 << 62
    kind: Any = np.int64 if exact else object
    c = item_counts.astype(kind)
    n = counts.astype(kind)[:, None]
    codes = np.arange(n_values).astype(kind)
    first = c @ codes
    second = c @ (codes * codes)
    variance = n * second - first * first
    variance_over = np.broadcast_to(n * (n - 1), variance.shape)
    if center == "mean":
        gap = np.abs(n[:, :, None] * codes[None, None, :] - first[:, :, None])
        deviation_over = np.broadcast_to(n * n, variance.shape)
    else:
        assert twice_median is not None  # the median centre needs the medians
        gap = np.abs(2 * codes[None, None, :] - twice_median.astype(kind)[:, :, None])
        deviation_over = np.broadcast_to(2 * n, variance.shape)
    deviation = (c * gap).sum(axis=2)
    return _Parts(variance=variance, variance_over=variance_over, deviation=deviation,
                  deviation_over=deviation_over)


def _ratio(numerator: npt.NDArray[Any], denominator: npt.NDArray[Any]) -> Floats:
    """``numerator / denominator`` of integer arrays, each the float nearest the exact
    ratio (NaN where the denominator is 0): one IEEE division while both are exact floats
    (below ``2**53``), else Python's correctly rounded integer division."""
    num, den = np.asarray(numerator), np.asarray(denominator)
    if num.dtype != object and den.dtype != object and (
            not num.size or max(int(np.abs(num).max()), int(np.abs(den).max())) < 1 << 53):
        with np.errstate(divide="ignore", invalid="ignore"):
            out = num.astype(np.float64) / den.astype(np.float64)
        return np.asarray(np.where(den == 0, np.nan, out), dtype=np.float64)
    below = np.broadcast_to(den, num.shape).ravel().tolist()
    values = [int(a) / int(b) if b else math.nan
              for a, b in zip(num.ravel().tolist(), below, strict=True)]
    return np.asarray(values, dtype=np.float64).reshape(num.shape)


def _nan_below_two(values: Floats, few: Bools) -> Floats:
    values[few] = np.nan
    return values


def _alpha_of_cross(cross: list[list[int]], n: int, keys: tuple[str, ...], scale: str,
                    wave: str | None, min_items: int) -> CronbachAlpha:
    """Alpha, item-total correlations and alpha-if-deleted as ``_alpha_of_cov`` of
    [`relcoord.metrics.reliability.alpha`][relcoord.metrics.reliability.alpha] gives them, of the
    exact ``n (n - 1) C`` (``cross``, Python integers; ``n >= 2``, two items or more): the same
    figures and thresholds, each ratio of integers divided once."""
    n_items = len(keys)
    scale_by = n * (n - 1)
    diagonal = [cross[j][j] for j in range(n_items)]
    row = [sum(r) for r in cross]
    trace_part, total_part = sum(diagonal), sum(row)
    trace, total = trace_part / scale_by, total_part / scale_by
    tiny = 1e-12 * max(trace, 1.0)
    alpha = (n_items * (total_part - trace_part) / ((n_items - 1) * total_part)
             if total > tiny else None)
    item_total: list[float | None] = []
    deleted: list[float | None] = []
    k = n_items - 1
    for j in range(n_items):
        rest = total_part - 2 * row[j] + diagonal[j]  # the sum without item j, times n(n-1)
        varies = rest / scale_by > tiny
        item_total.append((row[j] - diagonal[j]) / math.sqrt(diagonal[j] * rest)
                          if varies and diagonal[j] / scale_by > tiny else None)
        deleted.append(k * (rest - (trace_part - diagonal[j])) / ((k - 1) * rest)
                       if n_items >= 3 and varies else None)
    return CronbachAlpha(scale=scale, items=keys, n=n, alpha=alpha,
                         item_total=tuple(item_total), alpha_if_deleted=tuple(deleted),
                         wave=wave, min_items=min_items)


def _scale_rwg(parts: _Parts, counts: Ints, null_variances: Floats, n_items: int,
               n_values: int) -> Floats:
    """Each cell's r_wg(J) from the integer variance numerators (see
    [`AnswerCounts.agreement`][relcoord.metrics.reliability.answer_counts.AnswerCounts.agreement]);
    NaN below two raters."""
    # 1 / sigma_j^2 = a_j / P with integers: P the least common multiple of the nulls'
    # numerators (each null variance is a float, a ratio of integers exactly)
    fractions = [Fraction(float(v)) for v in null_variances]
    common = math.lcm(*(f.numerator for f in fractions))
    weights = [f.denominator * (common // f.numerator) for f in fractions]
    within = parts.variance_over[:, 0]  # n (n - 1)
    few = counts < 2
    top = int(counts.max(initial=0))
    bound = n_items * n_items * top**2 * (common + max(weights, default=1) * n_values**2)
    if bound >= 1 << 62:  # beyond int64: the same integers in Python
        m_list = [sum(w * int(v) for w, v in zip(weights, row, strict=True))
                  for row in parts.variance.tolist()]
        k_list = [n_items * int(d) * common for d in within.tolist()]
        rwg = np.array([n_items * (k - m) / (n_items * (k - m) + m) if k > m else 0.0
                        for m, k in zip(m_list, k_list, strict=True)], dtype=np.float64)
        return _nan_below_two(rwg, few)
    m_num = parts.variance @ np.asarray(weights, dtype=np.int64)
    k_den = n_items * within * common
    top_part = n_items * (k_den - m_num)
    rwg = _ratio(top_part, top_part + m_num)
    rwg[m_num >= k_den] = 0.0
    return _nan_below_two(rwg, few)
