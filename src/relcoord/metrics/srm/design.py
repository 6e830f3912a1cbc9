"""The cross-classified design of the Social Relations Model: which ratings, which factors,
summarised by the sums the REML fit needs.

One observation is one respondent-tie: a respondent (in rater role ``i``) rating target role
``j``, scored as the mean of its answered items and used when at least ``min_items`` are
answered ([`respondent_tie_rc`][relcoord.metrics.scores.respondent_ties.respondent_tie_rc]).
Four factors classify the observations:

rater role ``i``
    the respondent's role, the source of the rating;
target role ``j``
    the rated role; every rated role is a level, also a role without respondents (named but
    absent), which is a target and never a rater;
tie ``i x j``
    the pair, nested in both roles;
respondent
    the person, nested in the rater role.  A rating without a respondent (a workshop group
    rating as a group) is a respondent of its own, as in
    [`TieCells`][relcoord.metrics.tie_cells.TieCells]; a respondent's ratings of the same role
    in several waves are several observations of one respondent (the waves are pooled).

A role's rating of itself (the within tie ``i -> i``) is left out unless ``within`` is
asked for, as Kenny's round-robin SRM leaves out self-ratings (Kenny 1994, ch. 2): a rating
of one's own group describes the group's inner working, not how it rates and is rated by
others, and it would pull the rater and target effects of a role towards its self-image.

**Sufficient sums, not observations.**  A tie and a respondent each belong to one rater
role, so every quantity of the REML fit (`relcoord.metrics.srm.criterion`), of its moment
start and of the result is a function of a few sums that do not depend on the variances:
per tie its observations and their sum (and sum of squares), per respondent its
observations, their sum and its observations per tie of its rater role (a small count
matrix, respondents x the most ties of a rater role, in the narrowest unsigned type its
largest count fits), and over all the observations their number, mean and centred sum of
squares.  [`srm_design`][relcoord.metrics.srm.design.srm_design] takes them in two passes
over the study's rating rows in chunks of
[`_CHUNK_ROWS`][relcoord.metrics.srm.design._CHUNK_ROWS] (the first finds the ties and
respondents that occur, the second sums), so that nothing of the length of the ratings is
held beyond a chunk: at 50 roles x 100,000 respondents (4.4 million observations) the
design takes about 8 MiB where arrays of codes per observation took 120.  The sums of the
observations are centred on their mean (REML is invariant to the shift; less
cancellation).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from typing import Any, Final, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores import respondent_tie_rc
from relcoord.model import Study
from relcoord.optional_dependencies import compiled_engine, numba_jit

__all__ = ["Codes", "DesignKeys", "SRMDesign", "code_type", "srm_design",
           "srm_design_and_keys"]

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
#: Codes: ``int32`` when the range allows (see
#: [`code_type`][relcoord.metrics.srm.design.code_type]), ``int64`` otherwise.
Codes = npt.NDArray[np.signedinteger[Any]]
#: Counts of observations per respondent and tie slot, in the narrowest unsigned type.
Counts = npt.NDArray[np.unsignedinteger[Any]]

_INT32_MAX = int(np.iinfo(np.int32).max)
#: Rating rows per chunk of the passes over the study: the temporaries of a chunk (about 40
#: bytes a row) stay near 10 MiB, and a chunk is long enough that numpy's per-call cost
#: does not count.
_CHUNK_ROWS: Final = 1 << 18


def code_type(size: int) -> type[np.signedinteger[Any]]:
    """The integer type of codes ``0..size-1``: ``int32`` when they fit, else ``int64``."""
    return np.int32 if size <= _INT32_MAX else np.int64


def count_type(largest: int) -> type[np.unsignedinteger[Any]]:
    """The narrowest unsigned integer type that holds counts up to ``largest``."""
    for kind in (np.uint8, np.uint16, np.uint32):
        if largest <= int(np.iinfo(kind).max):
            return kind
    return np.uint64


@attrs.frozen(eq=False)
class SRMDesign:
    """The observations of the model, summarised by factor level.

    The levels: rater roles ``sources`` and target roles ``targets`` (role codes of the
    study, ascending, in ``study.role_ids`` order), ties ``tie_pairs`` (``(source role,
    target role)`` codes, ascending) and ``n_units`` respondent units: when every rating
    has its respondent (the rule), the respondents numbered rater role by rater role
    (ascending by respondent code within one), so that a role's units are contiguous;
    else ascending by respondent code, unnamed ratings after them in row order, as
    [`_units`][relcoord.metrics.srm.design._units] keys them.

    Per tie: ``tie_n`` observations, ``tie_sum`` their sum, ``tie_y`` and ``tie_y2`` the
    sums of the centred observations (``y - center``) and of their squares.  Per unit:
    ``unit_source`` its rater role (an index into ``sources``), ``unit_n`` observations,
    ``unit_y`` their centred sum and ``counts`` its observations per tie slot of its rater
    role (slot ``s`` of rater role ``i`` is the ``s``-th tie of ``i`` in ``tie_pairs``;
    ``(n_units, width)``, the narrowest unsigned type).  Over all: ``n`` observations, their mean
    ``center``, centred sum of squares ``yy`` and range ``spread`` (largest less smallest).
    """

    role_ids: tuple[str, ...]
    sources: Ints
    targets: Ints
    tie_pairs: Ints
    tie_n: Ints
    tie_sum: Floats
    tie_y: Floats
    tie_y2: Floats
    unit_source: Ints
    unit_n: Ints
    unit_y: Floats
    counts: Counts
    n: int
    center: float
    yy: float
    spread: float
    n_units: int
    n_within_left_out: int
    n_not_counted: int
    within: bool
    min_items: int

    @property
    def tie_source(self) -> Ints:
        """Each tie's rater role, as an index into ``sources``."""
        return np.searchsorted(self.sources, self.tie_pairs[:, 0]).astype(np.int64)

    @property
    def tie_target(self) -> Ints:
        """Each tie's target role, as an index into ``targets``."""
        return np.searchsorted(self.targets, self.tie_pairs[:, 1]).astype(np.int64)

    @property
    def first_tie(self) -> Ints:
        """Per rater role, the index of its first tie (``len(sources) + 1`` bounds)."""
        return np.searchsorted(self.tie_source, np.arange(len(self.sources) + 1)).astype(
            np.int64)

    @property
    def tie_slot(self) -> Ints:
        """Each tie's slot: its place among the ties of its rater role."""
        source = self.tie_source
        return (np.arange(len(source)) - self.first_tie[source]).astype(np.int64)

    @property
    def width(self) -> int:
        """The most ties of a rater role (the columns of ``counts``)."""
        return int(self.counts.shape[1])

    @property
    def tie_mean(self) -> Floats:
        """The mean observation of each tie."""
        return np.asarray(self.tie_sum / self.tie_n, dtype=np.float64)

    def unit_sums(self, per_tie: Floats) -> Floats:
        """Per unit, the sum over its observations of a value per tie."""
        table = np.zeros((len(self.sources), self.width))
        table[self.tie_source, self.tie_slot] = per_tie
        return unit_products(self.counts, self.unit_source, table)

    def tie_sums(self, per_unit: Floats) -> Floats:
        """Per tie, the sum over its observations of a value per unit (a rater role at a
        time: its units' values times their counts)."""
        first = self.first_tie
        out = np.zeros(len(self.tie_pairs))
        order, bounds = units_by_block(self.unit_source, len(self.sources))
        for b in range(len(self.sources)):
            units = order[bounds[b]:bounds[b + 1]]
            ties = slice(int(first[b]), int(first[b + 1]))
            rows = np.take(self.counts, units, axis=0)[:, :ties.stop - ties.start]
            out[ties] = np.asarray(per_unit)[units] @ rows
        return out

    def observations(self) -> tuple[Ints, Ints]:
        """Every observation's respondent unit and tie, grouped by unit (the order of the
        rows is not kept): for small designs (the rank of a saturated model) and tests."""
        units, slots = np.nonzero(self.counts)
        repeat = self.counts[units, slots].astype(np.int64)
        tie = self.first_tie[self.unit_source[units]] + slots
        return np.repeat(units, repeat).astype(np.int64), np.repeat(tie, repeat)


def units_by_block(unit_block: Ints, n_blocks: int) -> tuple[Ints, Ints]:
    """The units in the order of their blocks (rater roles; a stable sort of narrow codes,
    which numpy does by radix) and where each block's units start (``n_blocks + 1``)."""
    narrow = np.int16 if n_blocks <= np.iinfo(np.int16).max else np.int64
    order = np.argsort(unit_block.astype(narrow), kind="stable")
    return order, np.searchsorted(unit_block[order], np.arange(n_blocks + 1))


def unit_products(counts: Counts, unit_block: Ints, values: Floats) -> Floats:
    """Per unit, its counts per tie slot times its block's row of ``values`` (``(B, W')``,
    ``W' >= W``; the columns beyond the counts' are left out), a block at a time (its
    units' rows gathered once, one product)."""
    width = counts.shape[1]
    out = np.zeros(len(counts))
    order, bounds = units_by_block(unit_block, len(values))
    for b in range(len(values)):
        units = order[bounds[b]:bounds[b + 1]]
        if len(units):
            out[units] = np.take(counts, units, axis=0) @ values[b, :width]
    return out


def _levels(keys: Codes, size: int) -> tuple[Ints, Codes]:
    """``np.unique(keys, return_inverse=True)`` for keys in ``0..size-1``: the levels that
    occur, ascending, and each key's level (in the
    [`code_type`][relcoord.metrics.srm.design.code_type] of the levels).  Counted with a
    table of ``size`` entries when that is not much larger than the keys (no sort);
    sorted otherwise."""
    if size > max(4 * len(keys), 1 << 16):
        levels, codes = np.unique(keys, return_inverse=True)
        return (levels.astype(np.int64),
                codes.reshape(-1).astype(code_type(max(len(levels), 1)), copy=False))
    present = np.bincount(keys, minlength=size) > 0
    if present.all():  # every key occurs: the keys are their levels
        return (np.arange(size, dtype=np.int64),
                np.asarray(keys).astype(code_type(size), copy=False))
    lookup = (np.cumsum(present) - 1).astype(code_type(size))
    return np.flatnonzero(present).astype(np.int64), lookup[keys]


def _units(person: Codes, src: Codes, n_respondents: int, k: int) -> tuple[int, Codes]:
    """The respondent units of the observations: their number and each one's code.

    A respondent belongs to one role; keying by ``(respondent, role)`` keeps the nesting
    even if a store had a respondent under two roles.  Unnamed ratings (``person < 0``):
    one unit each, after the named ones, in row order.  When every respondent has one
    role (the rule), the respondent code alone is the key: the same order, and a table of
    the respondents instead of respondents x roles.
    """
    keyed = _unit_keys(person, src, n_respondents, k)
    return len(keyed.levels), keyed.code


class _UnitKeying(NamedTuple):
    """The units' keys as [`_units`][relcoord.metrics.srm.design._units] makes them: the
    ``levels`` (keys that occur, ascending), each observation's ``code``, and how a key
    reads: a named unit's key is ``respondent * stride (+ role)``, an unnamed one's
    ``unnamed + its observation's index``."""

    levels: Ints
    code: Codes
    stride: int
    unnamed: int


def _unit_keys(person: Codes, src: Codes, n_respondents: int, k: int) -> _UnitKeying:
    """[`_units`][relcoord.metrics.srm.design._units] with the keys of the units kept."""
    named = person >= 0
    role_of = np.full(n_respondents, -1, dtype=src.dtype)
    n_rows = len(person)
    if named.all():  # the rule: every rating has its respondent (no copies, a small table)
        role_of[person] = src
        if np.array_equal(role_of[person], src):
            units, code = _levels(person, n_respondents)
            return _UnitKeying(units, code, 1, n_respondents)
    role_of[person[named]] = src[named]
    wide = person.astype(np.int64)  # the rare cases: keys beyond the respondents
    if np.array_equal(role_of[person[named]], src[named]):
        key = np.where(named, wide, n_respondents + np.arange(n_rows))
        units, code = _levels(key, n_respondents + n_rows)
        return _UnitKeying(units, code, 1, n_respondents)
    key = np.where(named, wide * k + src, (n_respondents + 1) * k + np.arange(n_rows))
    units, code = _levels(key, (n_respondents + 1) * k + n_rows)
    return _UnitKeying(units, code, k, (n_respondents + 1) * k)


@attrs.frozen
class _Chunk:
    """The observations of one chunk of rating rows: rater and target role codes,
    respondent codes, scores and (in the rare case) unit codes."""

    source: Codes
    target: Codes
    person: Codes
    y: Floats
    unit: Codes | None


class _RC(NamedTuple):
    """The RC of every rating row and whether it counts (not every score: those would be
    held to the end of the analysis)."""

    rc: Floats
    counted: Bools


class _Rows:
    """The study's rating rows that the model uses, chunk by chunk."""

    def __init__(self, study: Study, min_items: int, within: bool) -> None:
        self.ratings = study.ratings
        self.scores = _RC(*respondent_tie_rc(study, min_items=min_items))
        self.within = within
        self.units: Codes | None = None  # per observation, when not by table

    def chunks(self) -> Iterator[tuple[_Chunk, int, int]]:
        """Every chunk's observations, with its counted rows and within ties left out."""
        ratings, scores = self.ratings, self.scores
        taken = 0
        for lo in range(0, len(ratings), _CHUNK_ROWS):
            hi = lo + _CHUNK_ROWS
            counted = scores.counted[lo:hi]
            source, target = ratings.source[lo:hi], ratings.target[lo:hi]
            n_counted = int(np.count_nonzero(counted))
            if self.within:
                keep, left_out = counted, 0
            else:
                own = source == target
                left_out = int(np.count_nonzero(counted & own))
                keep = counted & ~own
            n_kept = n_counted - left_out
            unit = None
            if self.units is not None:
                unit = self.units[taken:taken + n_kept]
            taken += n_kept
            yield (_Chunk(source=source[keep], target=target[keep],
                          person=ratings.respondent[lo:hi][keep],
                          y=scores.rc[lo:hi][keep], unit=unit), n_counted, left_out)

    def observation_rows(self) -> npt.NDArray[np.intp]:
        """The rating rows of the observations, in row order (arrays of their length)."""
        ratings, scores = self.ratings, self.scores
        keep = scores.counted if self.within else (
            scores.counted & (ratings.source != ratings.target))
        return np.flatnonzero(keep)

    def unit_codes(self, k: int) -> _UnitKeying:
        """The unit of every observation at once, as
        [`_units`][relcoord.metrics.srm.design._units] keys it (the rare designs with
        unnamed ratings or a respondent in two roles): arrays of the observations' length."""
        ratings = self.ratings
        rows = self.observation_rows()
        return _unit_keys(ratings.respondent[rows], ratings.source[rows],
                          len(ratings.respondents), k)


@attrs.define
class _FirstPass:
    """What the first pass finds: the ties (``cell_seen``: rater role x target role) and
    respondents that occur (``person_n`` observations each, ``role_of`` their rater role),
    whether the respondents can key the units (``by_table``: every rating has its
    respondent and every respondent one role), and the observations' number, sum and
    range, with the counted rows and the within ties left out."""

    cell_seen: npt.NDArray[np.bool_]
    person_n: Ints
    role_of: Ints
    by_table: bool = True
    n: int = 0
    n_counted: int = 0
    within_left_out: int = 0
    total: float = 0.0
    low: float = math.inf
    high: float = -math.inf


@attrs.define
class _Sums:
    """The sums of the second pass (see
    [`SRMDesign`][relcoord.metrics.srm.design.SRMDesign]), filled in place."""

    tie_n: Ints
    tie_sum: Floats
    tie_y: Floats
    tie_y2: Floats
    unit_n: Ints
    unit_source: Ints
    unit_y: Floats
    counts: Counts
    yy: float = 0.0


def _first_pass_numpy(rows: _Rows, k: int, n_people: int) -> _FirstPass:
    first = _FirstPass(cell_seen=np.zeros(k * k, dtype=bool),
                       person_n=np.zeros(n_people, dtype=np.int64),
                       role_of=np.full(n_people, -1, dtype=np.int64))
    for chunk, counted, left_out in rows.chunks():
        first.n_counted += counted
        first.within_left_out += left_out
        if not len(chunk.y):
            continue
        first.n += len(chunk.y)
        first.total += float(chunk.y.sum())
        first.low = min(first.low, float(chunk.y.min()))
        first.high = max(first.high, float(chunk.y.max()))
        first.cell_seen[chunk.source.astype(np.intp) * k + chunk.target] = True
        if first.by_table:
            person = chunk.person
            if int(person.min()) < 0:
                first.by_table = False
                continue
            before = first.role_of[person]
            first.role_of[person] = chunk.source
            first.by_table = bool(np.all((before < 0) | (before == chunk.source))
                                  and np.array_equal(first.role_of[person], chunk.source))
            first.person_n += np.bincount(person, minlength=n_people)
    return first


def _second_pass_numpy(rows: _Rows, sums: _Sums, k: int, tie_of_cell: Codes,
                       unit_of: Codes | None, tie_source: Ints, slot_of_tie: Codes,
                       center: float) -> None:
    """The sums, chunk by chunk (``unit_of``: the units by respondent, else ``None`` and
    the chunks carry them)."""
    n_ties, n_units = len(sums.tie_n), len(sums.unit_n)
    width = sums.counts.shape[1]
    flat = sums.counts.reshape(-1)

    def ties_and_units() -> Iterator[tuple[_Chunk, Codes, Codes]]:
        for chunk, _, _ in rows.chunks():
            if len(chunk.y):
                tie = tie_of_cell[chunk.source.astype(np.intp) * k + chunk.target]
                unit = unit_of[chunk.person] if unit_of is not None else chunk.unit
                assert unit is not None
                yield chunk, tie, unit

    for chunk, tie, unit in ties_and_units():
        centred = chunk.y - center
        square = centred * centred
        sums.yy += float(square.sum())
        sums.tie_n += np.bincount(tie, minlength=n_ties)
        sums.tie_sum += np.bincount(tie, weights=chunk.y, minlength=n_ties)
        sums.tie_y += np.bincount(tie, weights=centred, minlength=n_ties)
        sums.tie_y2 += np.bincount(tie, weights=square, minlength=n_ties)
        sums.unit_y += np.bincount(unit, weights=centred, minlength=n_units)
        if unit_of is None:
            sums.unit_n += np.bincount(unit, minlength=n_units)
            sums.unit_source[unit] = tie_source[tie]
        # one increment per distinct key: right unless a key repeats within the chunk (a
        # respondent's tie in two waves of a chunk), which the row sums below find
        flat[unit.astype(np.intp) * width + slot_of_tie[tie]] += 1
        del tie, unit, centred, square
    if n_units and not np.array_equal(sums.counts.sum(axis=1, dtype=np.int64), sums.unit_n):
        sums.counts[:] = 0  # a key repeated within a chunk: counted again, exactly
        for _, tie, unit in ties_and_units():
            keys, repeats = np.unique(unit.astype(np.intp) * width + slot_of_tie[tie],
                                      return_counts=True)
            flat[keys] += repeats.astype(sums.counts.dtype)


@functools.cache
def _compiled_passes() -> tuple[Callable[..., Any], Callable[..., Any]] | None:
    """The two passes as compiled loops over the rows (no chunks, no temporaries), or
    ``None`` without numba (the ``fast`` extra).  Only for the units by respondent (the
    rule); the rare other designs take numpy's passes."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def first_pass(counted: Any, source: Any, target: Any, person: Any, rc: Any,
                   within: bool, k: int, cell_seen: Any, person_n: Any, role_of: Any,
                   out_i: Any, out_f: Any) -> None:
        n = n_counted = left_out = 0
        total, low, high = 0.0, np.inf, -np.inf
        by_table = True
        for r in range(len(counted)):
            if not counted[r]:
                continue
            n_counted += 1
            s, t = source[r], target[r]
            if s == t and not within:
                left_out += 1
                continue
            y = rc[r]
            n += 1
            total += y
            low = min(low, y)
            high = max(high, y)
            cell_seen[s * k + t] = True
            p = person[r]
            if p < 0:
                by_table = False
            elif by_table:
                if role_of[p] >= 0 and role_of[p] != s:
                    by_table = False
                role_of[p] = s
                person_n[p] += 1
        out_i[0], out_i[1], out_i[2], out_i[3] = n, n_counted, left_out, by_table
        out_f[0], out_f[1], out_f[2] = total, low, high

    @jit
    def second_pass(counted: Any, source: Any, target: Any, person: Any, rc: Any,
                    within: bool, k: int, tie_of_cell: Any, unit_of: Any, slot_of_tie: Any,
                    center: float, tie_n: Any, tie_sum: Any, tie_y: Any, tie_y2: Any,
                    unit_y: Any, counts: Any) -> float:
        yy = 0.0
        for r in range(len(counted)):
            if not counted[r]:
                continue
            s, t = source[r], target[r]
            if s == t and not within:
                continue
            tie = tie_of_cell[s * k + t]
            unit = unit_of[person[r]]
            y = rc[r]
            centred = y - center
            square = centred * centred
            yy += square
            tie_n[tie] += 1
            tie_sum[tie] += y
            tie_y[tie] += centred
            tie_y2[tie] += square
            unit_y[unit] += centred
            counts[unit, slot_of_tie[tie]] += 1
        return yy

    return first_pass, second_pass


def _first_pass_numba(rows: _Rows, k: int, n_people: int,
                      first_pass: Callable[..., Any]) -> _FirstPass:
    ratings, scores = rows.ratings, rows.scores
    first = _FirstPass(cell_seen=np.zeros(k * k, dtype=bool),
                       person_n=np.zeros(n_people, dtype=np.int64),
                       role_of=np.full(n_people, -1, dtype=np.int64))
    out_i = np.zeros(4, dtype=np.int64)
    out_f = np.zeros(3)
    first_pass(scores.counted, ratings.source, ratings.target, ratings.respondent,
               scores.rc, rows.within, k, first.cell_seen, first.person_n, first.role_of,
               out_i, out_f)
    first.n, first.n_counted, first.within_left_out = (int(v) for v in out_i[:3])
    first.by_table = bool(out_i[3])
    first.total, first.low, first.high = (float(v) for v in out_f)
    return first


def srm_design(study: Study, *, min_items: int, within: bool = False,
               engine: str = "auto") -> SRMDesign:
    """The sums of the observations of ``study`` that the Social Relations Model uses.

    Every rating row whose respondent-tie RC counts under ``min_items``, without the
    within ties (a role rating itself) unless ``within``; see the module docstring.
    ``engine`` is ``"numpy"`` (passes in chunks), ``"numba"`` (compiled loops; the ``fast``
    extra) or ``"auto"`` (numba when installed): the same sums up to rounding (the order in
    which the observations are added).
    """
    return _design(study, min_items, within, engine, keys=False)[0]


def srm_design_and_keys(study: Study, *, min_items: int, within: bool = False,
                        engine: str = "auto") -> tuple[SRMDesign, DesignKeys]:
    """[`srm_design`][relcoord.metrics.srm.design.srm_design] and what parts of a design
    need beyond it to be combined ([`DesignKeys`][relcoord.metrics.srm.design.DesignKeys])."""
    design, keys = _design(study, min_items, within, engine, keys=True)
    assert keys is not None
    return design, keys


class DesignKeys(NamedTuple):
    """What the parts of a design ([`relcoord.metrics.srm.parts`][relcoord.metrics.srm.parts])
    need beyond it: the observations' uncentred ``total``, ``low`` and ``high``; per unit its
    ``person`` (respondent code, ``-1`` for an unnamed rating); per unnamed unit (the last
    units) the ``wave`` code of its rating."""

    total: float
    low: float
    high: float
    person: Ints
    wave: Ints


def _design(study: Study, min_items: int, within: bool, engine: str, *, keys: bool
            ) -> tuple[SRMDesign, DesignKeys | None]:
    """[`srm_design`][relcoord.metrics.srm.design.srm_design], and with ``keys`` its
    [`DesignKeys`][relcoord.metrics.srm.design.DesignKeys]."""
    k = len(study.roles)
    rows = _Rows(study, min_items, within)
    n_people = len(study.ratings.respondents)
    compiled = compiled_engine(engine, None, _compiled_passes,
                               purpose="the compiled SRM design (engine='numba')")
    # pass 1: the ties and respondents that occur, the observations' number, sum, range
    first = (_first_pass_numpy(rows, k, n_people) if compiled is None
             else _first_pass_numba(rows, k, n_people, compiled[0]))
    n = first.n
    center = first.total / n if n else 0.0
    pair_keys = np.flatnonzero(first.cell_seen)
    tie_of_cell = (np.cumsum(first.cell_seen) - 1).astype(code_type(max(len(pair_keys), 1)))
    tie_pairs = (np.column_stack([pair_keys // k, pair_keys % k]).astype(np.int64)
                 if len(pair_keys) else np.zeros((0, 2), dtype=np.int64))
    sources = np.unique(tie_pairs[:, 0])
    targets = np.unique(tie_pairs[:, 1])
    tie_source = np.searchsorted(sources, tie_pairs[:, 0])
    first_tie = np.searchsorted(tie_source, np.arange(len(sources)))
    tie_slot = np.arange(len(tie_pairs)) - first_tie[tie_source]
    width = int(np.bincount(tie_source).max()) if len(tie_source) else 0
    # the units: by a table of the respondents (the rule), else every observation's code
    unit_of: Codes | None = None
    unit_person: Ints | None = None  # with keys: per unit its respondent
    unnamed_wave: Ints | None = None  # with keys: per unnamed unit its rating's wave
    if first.by_table:
        # numbered rater role by rater role (by respondent code within one): the units of
        # a role are contiguous, so the passes over a tie's ratings (in the canonical order
        # of the published rows, by respondent within a tie) write their sums in order
        people = np.flatnonzero(first.person_n > 0)
        narrow = np.int16 if k <= np.iinfo(np.int16).max else np.int64  # a radix sort
        people = people[np.argsort(first.role_of[people].astype(narrow), kind="stable")]
        n_units = len(people)
        unit_of = np.full(n_people, -1, dtype=code_type(max(n_people, 1)))
        unit_of[people] = np.arange(n_units)
        unit_n = first.person_n[people]
        unit_source = np.searchsorted(sources, first.role_of[people]).astype(np.int64)
        largest = int(unit_n.max(initial=0))
        if keys:
            unit_person, unnamed_wave = people, np.zeros(0, dtype=np.int64)
    else:
        keyed = rows.unit_codes(k)
        n_units, rows.units = len(keyed.levels), keyed.code
        if keys:
            unit_person, unnamed_wave = _decoded(keyed, rows)
        del keyed
        unit_n = np.zeros(n_units, dtype=np.int64)
        unit_source = np.zeros(n_units, dtype=np.int64)
        largest = n
    n_ties = len(tie_pairs)
    sums = _Sums(tie_n=np.zeros(n_ties, dtype=np.int64), tie_sum=np.zeros(n_ties),
                 tie_y=np.zeros(n_ties),
                 tie_y2=np.zeros(n_ties), unit_n=unit_n, unit_source=unit_source,
                 unit_y=np.zeros(n_units),
                 counts=np.zeros((n_units, width), dtype=count_type(largest)))
    first.person_n = first.role_of = np.zeros(0, dtype=np.int64)  # freed before the sums
    first.cell_seen = np.zeros(0, dtype=bool)
    slot_of_tie = tie_slot.astype(code_type(max(width, 1)))
    # pass 2: the sums
    if compiled is not None and unit_of is not None:
        ratings, scores = rows.ratings, rows.scores
        sums.yy = float(compiled[1](
            scores.counted, ratings.source, ratings.target, ratings.respondent, scores.rc,
            within, k, tie_of_cell, unit_of, slot_of_tie, center, sums.tie_n, sums.tie_sum,
            sums.tie_y, sums.tie_y2, sums.unit_y, sums.counts))
    else:
        _second_pass_numpy(rows, sums, k, tie_of_cell, unit_of, tie_source, slot_of_tie,
                           center)
    rows.units = None
    counts = sums.counts
    if unit_of is None and n_units:
        counts = counts.astype(count_type(int(sums.unit_n.max())))
    design = SRMDesign(
        role_ids=study.role_ids, sources=sources.astype(np.int64),
        targets=targets.astype(np.int64), tie_pairs=tie_pairs, tie_n=sums.tie_n,
        tie_sum=sums.tie_sum, tie_y=sums.tie_y, tie_y2=sums.tie_y2, unit_source=sums.unit_source,
        unit_n=sums.unit_n.astype(np.int64), unit_y=sums.unit_y, counts=counts, n=n,
        center=center, yy=sums.yy, spread=first.high - first.low if n else 0.0,
        n_units=n_units, n_within_left_out=first.within_left_out,
        n_not_counted=int(len(study.ratings) - first.n_counted), within=within,
        min_items=min_items,
    )
    if unit_person is None or unnamed_wave is None:
        return design, None
    return design, DesignKeys(total=first.total, low=first.low, high=first.high,
                              person=np.asarray(unit_person, dtype=np.int64),
                              wave=unnamed_wave)


def _decoded(keyed: _UnitKeying, rows: _Rows) -> tuple[Ints, Ints]:
    """Per unit its respondent (``-1``: unnamed), and per unnamed unit its rating's wave."""
    named = keyed.levels < keyed.unnamed
    person = np.full(len(keyed.levels), -1, dtype=np.int64)
    person[named] = keyed.levels[named] // keyed.stride
    observation = keyed.levels[~named] - keyed.unnamed
    wave = np.asarray(rows.ratings.wave[rows.observation_rows()[observation]], dtype=np.int64)
    return person, wave
