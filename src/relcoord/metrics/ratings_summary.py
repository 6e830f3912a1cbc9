"""The ratings summary: the only input the analysis takes from the ratings, mergeable with ``+``.

[`RatingsSummary.of`][relcoord.metrics.ratings_summary.RatingsSummary.of] reads a study's (or a
partition's) ratings once and keeps what
[`analyze_summary`][relcoord.analysis.analyze_summary] needs from them;
[`analyze`][relcoord.analysis.analyze] is exactly ``analyze_summary(study,
RatingsSummary.of(study, settings), settings)``, so the in-memory analysis and an analysis of
merged partitions (Dask, several files) are one code path.

The summary holds one row per respondent-tie, the *respondent-tie rows*
([`RespondentTieRows`][relcoord.metrics.ratings_summary.RespondentTieRows]): rater role, target
role, wave and respondent as integer codes and each item's answer as a small integer code into
the item's scale (``-1``: not answered).  The rows are kept in one canonical order (wave, rater
role, target role, respondent, answers), so the summary of a study does not depend on the order
of its rating rows, and merging is a merge of sorted runs: ``a + b`` (or
[`merged`][relcoord.metrics.ratings_summary.RatingsSummary.merged] of many parts at once)
concatenates the rows, puts the respondent and wave vocabularies together and sorts again.
That merge is exact, commutative and associative for *any* parts of one study, also parts
that share a respondent: a panel respondent whose waves sit in two partitions, or a
respondent whose rows are split across two row chunks (rows never combine, so nothing is
counted twice or lost).  Every figure of the analysis, including those that are not
functions of sums (medians and quartiles, the REML Social Relations Model, the respondent
bootstrap of the change between waves, the privacy rule's distinct respondents pooled over
waves), is computed from these rows by the same code as an analysis in memory.  Size: one
byte per answer (two on a scale of more than 126 values) plus four small integers per
respondent-tie, about a third of the study's rating arrays (eight bytes per answer and four
four-byte codes per rating); with seven items 23 bytes per respondent-tie against 72.  This
is per-person data: it may not leave the organisation that holds the study.  What a site
may share is the site statistics of
[`relcoord.site_statistics`][relcoord.site_statistics] (sums of the ratings it would
publish, per tie and wave), not a summary.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.model import Study
from relcoord.ratings import Ratings
from relcoord.row_blocks import in_blocks, row_block_bounds
from relcoord.settings import AnalysisSettings

__all__ = ["RatingsSummary", "RespondentTieRows"]

Ints = npt.NDArray[np.int64]
Codes = npt.NDArray[np.int32]
Answers = npt.NDArray[np.signedinteger[Any]]
Labels = npt.NDArray[np.str_]

#: The largest key the canonical order packs into one int64 before it falls back to lexsort.
_PACKED_LIMIT: Final = 2**62


def _labels(values: Iterable[str]) -> Labels:
    """Labels as a numpy unicode array (never object dtype: ``np.save`` writes it plainly)."""
    listed = list(values)
    return np.asarray(listed, dtype=str) if listed else np.empty(0, dtype="<U1")


def _frozen(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


def _remap(codes: Codes, lut: npt.NDArray[np.int64]) -> Codes:
    """``codes`` through ``lut``, ``-1`` (none) kept."""
    out = np.full(len(codes), -1, dtype=np.int32)
    has = codes >= 0
    out[has] = lut[codes[has]]
    return out


#: The most items an answer pattern (a bit mask in an int64) can describe.
_MAX_ITEMS: Final = 62

def _positions(known: Sequence[str], people: Labels) -> npt.NDArray[np.int64]:
    """The position of each of ``people`` in ``known`` (`ValueError` naming one that is not
    there): one sorted search when ``known`` is sorted, as a study's respondents are, else
    a dictionary."""
    labels = _labels(known)
    if len(labels) > 1 and bool(np.all(labels[1:] > labels[:-1])):
        at = np.minimum(np.searchsorted(labels, people), len(labels) - 1)
        missing = np.flatnonzero(labels[at] != people)
        if len(missing):
            raise ValueError(f"respondent {str(people[missing[0]])!r} of the summary is not "
                             "in the study")
        return at.astype(np.int64)
    position = {p: i for i, p in enumerate(known)}
    names = [str(p) for p in people.tolist()]
    absent = [p for p in names if p not in position]
    if absent:
        raise ValueError(f"respondent {absent[0]!r} of the summary is not in the study")
    return np.asarray([position[p] for p in names], dtype=np.int64)


def _code_type(n_values: int) -> type[np.signedinteger[Any]]:
    """The smallest signed integer type that codes ``n_values`` scale positions and -1/-2:
    one byte for every usual scale (up to 126 values)."""
    if n_values <= 126:
        return np.int8
    return np.int16 if n_values <= 32766 else np.int32


#: Scales of integers within this range are coded through a lookup table, not a search.
_TABLE_RANGE: Final = 1024


def _answer_codes(column: npt.NDArray[np.float64], scale: tuple[float, ...],
                  item: str) -> Answers:
    """The position of every answer of ``column`` in ``scale`` (sorted), ``-1`` for NaN.

    A scale of integers (every built-in one) is coded through a lookup table indexed by the
    value (a few vectorised passes); any other scale by a binary search.  A value off the
    scale raises `ValueError` (a `Study` refuses them before).
    """
    values = np.asarray(scale)
    missing = np.isnan(column)
    low = float(values[0]) if len(values) else 0.0
    integral = (len(values) and bool(np.all(values == np.round(values)))
                and float(values[-1]) - low < _TABLE_RANGE)
    if integral:
        table = np.full(int(values[-1] - low) + 2, -2, dtype=_code_type(len(values)))
        table[(values - low).astype(np.int64)] = np.arange(len(values))
        table[-1] = -1  # the slot of NaN
        filled = np.where(missing, values[-1] - low + 1, column - low)
        inside = (filled >= 0) & (filled <= len(table) - 1) & (filled == np.floor(filled))
        if not bool(inside.all()):
            raise ValueError(f"item {item!r} has a score off its scale")
        codes = table[filled.astype(np.int64)]
        if bool((codes == -2).any()):
            raise ValueError(f"item {item!r} has a score off its scale")
        return codes
    position = np.searchsorted(values, np.where(missing, low, column))
    position = np.minimum(position, max(len(values) - 1, 0))
    if len(values) and not bool(np.all(missing | (values[position] == column))):
        raise ValueError(f"item {item!r} has a score off its scale")
    return np.where(missing, -1, position).astype(_code_type(len(values)))


def _packed_key(wave: Codes, source: npt.NDArray[np.integer[Any]],
                target: npt.NDArray[np.integer[Any]], respondent: Codes, n_roles: int,
                n_people: int) -> Ints:
    """The canonical order's key of every row packed into one int64: wave (none first),
    rater role, target role, respondent (none first); the caller checks it fits."""
    key: Ints = (((wave.astype(np.int64) + 1) * n_roles + source) * n_roles
                 + target) * n_people + (respondent.astype(np.int64) + 1)
    return key


def _key_order(key: Ints, bound: int) -> tuple[npt.NDArray[np.intp], Ints]:
    """The permutation that sorts ``key`` (values in ``[0, bound)``), ties in row order, and
    the sorted keys.

    When a key and its row number fit one int64 together, the packed values are sorted by
    value (numpy's vectorised sort: about a fifth of ``argsort``'s time on millions of rows)
    and unpacked; otherwise by a stable ``argsort``.  Either way the order is the one stable
    sort of the keys gives.
    """
    n = len(key)
    shift = max(n - 1, 0).bit_length()
    if max(bound - 1, 0).bit_length() + shift <= 63:
        packed = np.left_shift(key, shift)
        packed |= np.arange(n, dtype=np.int64)
        packed.sort()
        order = (packed & ((1 << shift) - 1)).astype(np.intp)
        return order, np.right_shift(packed, shift, out=packed)
    order = np.argsort(key, kind="stable")
    return order, key[order]


def _packed_rows_order(ratings: Ratings, codes: _SummaryCodes, n_roles: int, n_people: int,
                       shift: int) -> tuple[npt.NDArray[np.intp] | None, Ints]:
    """`_key_order` of the rows' canonical keys (`_packed_key` of their summary codes), made
    in one pass per block of rows in threads: each row's key, shifted, with its row number
    packed in beside it (the caller checks both fit in 63 bits), then one sort.

    Returns ``(None, keys)`` when the rows are in key order already (no sort), else the
    permutation and the sorted keys.
    """
    n = len(ratings)
    packed = np.empty(n, dtype=np.int64)
    # the lookup tables with a first slot for code -1 (no wave, no respondent): code + 1
    # indexes them, so that "none" sorts first without a mask
    wave_lut = np.concatenate(([0], codes.wave_lut + 1))
    person_lut = np.concatenate(([0], codes.person_lut + 1))
    bounds = row_block_bounds(n)
    in_order = dict.fromkeys(bounds[:-1], True)

    def block(start: int, stop: int) -> None:
        out = packed[start:stop]
        np.take(wave_lut, ratings.wave[start:stop] + 1, out=out)
        out *= n_roles
        out += ratings.source[start:stop]
        out *= n_roles
        out += ratings.target[start:stop]
        out *= n_people
        out += np.take(person_lut, ratings.respondent[start:stop] + 1)
        out <<= shift
        out |= np.arange(start, stop, dtype=np.int64)
        in_order[start] = bool(np.all(out[1:] > out[:-1]))

    in_blocks(bounds, block)
    # in order within every block, and from each block to the next
    if all(in_order.values()) and all(packed[k - 1] < packed[k] for k in bounds[1:-1]
                                      if 0 < k < n):
        return None, np.right_shift(packed, shift, out=packed)
    packed.sort()
    order = (packed & ((1 << shift) - 1)).astype(np.intp)
    return order, np.right_shift(packed, shift, out=packed)


@attrs.frozen
class _SummaryCodes:
    """How a study's ratings are coded in its summary: items and scales, the people with a
    rating (sorted) and each study respondent's code among them, the waves with ratings
    (sorted) and each study wave's code among them."""

    dimensions: tuple[str, ...]
    scales: tuple[tuple[float, ...], ...]
    people: Labels
    person_lut: Ints
    waves: tuple[str, ...]
    wave_lut: Ints


def _summary_codes(study: Study) -> tuple[Ratings, _SummaryCodes]:
    """``study``'s ratings in its role and item vocabularies, and their summary codes."""
    ratings = study.ratings
    dimensions = study.instrument.keys
    scales = tuple(tuple(float(v) for v in sorted(study.instrument.dimension(k).scores))
                   for k in dimensions)
    if ratings.roles != study.role_ids or ratings.dimensions != dimensions:  # pragma: no cover
        ratings = ratings.recode(roles=study.role_ids, dimensions=dimensions)
    if len(dimensions) > _MAX_ITEMS:
        raise ValueError(f"an instrument of {len(dimensions)} items: the summary's answer "
                         f"patterns are bit masks of at most {_MAX_ITEMS} items")
    person_labels = _labels(ratings.respondents)
    used_people = np.flatnonzero(np.bincount(
        ratings.respondent[ratings.respondent >= 0], minlength=len(person_labels)))
    people_order = np.argsort(person_labels[used_people], kind="stable")
    person_lut = np.full(len(person_labels), -1, dtype=np.int64)
    person_lut[used_people[people_order]] = np.arange(len(used_people))
    waves = tuple(sorted(ratings.used_waves()))
    wave_lut = np.full(len(ratings.waves), -1, dtype=np.int64)
    for code, name in enumerate(ratings.waves):
        if name in waves:
            wave_lut[code] = waves.index(name)
    return ratings, _SummaryCodes(dimensions=dimensions, scales=scales,
                                  people=person_labels[used_people][people_order],
                                  person_lut=person_lut, waves=waves, wave_lut=wave_lut)


@attrs.frozen(eq=False)
class RespondentTieRows:
    """The per-person part of a summary: one row per rating (respondent-tie), in canonical
    order.

    ``source`` and ``target`` are codes into the summary's roles, ``wave`` into its waves and
    ``respondent`` into ``people`` (both ``-1`` for none); ``answers[:, j]`` is the position of
    the answer to item ``j`` in the item's sorted scale (``-1``: not answered).  ``people`` are
    the respondent ids with at least one row, sorted.
    """

    people: Labels
    source: Codes
    target: Codes
    wave: Codes
    respondent: Codes
    answers: Answers

    def __len__(self) -> int:
        return len(self.source)

    @classmethod
    def empty(cls, n_items: int) -> RespondentTieRows:
        """No rows (an aggregate summary, or a part without ratings)."""
        none = np.empty(0, dtype=np.int32)
        return cls(people=_labels(()), source=none, target=none, wave=none, respondent=none,
                   answers=np.empty((0, n_items), dtype=np.int8))

    def canonical(self, n_roles: int, n_waves: int) -> RespondentTieRows:
        """The same rows in canonical order: wave (none first), rater role, target role,
        respondent (none first), then the answer codes."""
        return self.taken(self.canonical_order(n_roles, n_waves))

    def canonical_order(self, n_roles: int, n_waves: int) -> npt.NDArray[np.intp] | None:
        """The permutation that puts the rows in canonical order (row ``i`` of the result is
        row ``order[i]``), or ``None`` when they are in it already."""
        n = len(self)
        if n == 0:
            return None
        n_people = len(self.people) + 1
        bound = (n_waves + 1) * n_roles * n_roles * n_people
        order: npt.NDArray[np.intp]
        if bound < _PACKED_LIMIT:
            key = _packed_key(self.wave, self.source, self.target, self.respondent,
                              n_roles, n_people)
            ascending = bool(np.all(key[1:] >= key[:-1]))
            # with distinct keys any sort gives the one order; equal keys are ordered below
            order, ordered = (np.arange(n), key) if ascending else _key_order(key, bound)
            if len(ordered) > 1 and bool((ordered[1:] == ordered[:-1]).any()):
                # the same respondent rated one tie twice in one wave: the answers decide
                columns = [self.answers[:, j] for j in reversed(range(self.answers.shape[1]))]
                order = np.lexsort(np.stack([*columns, key]))
            elif ascending:
                return None  # already canonical (the usual input of a tie-major export)
        else:  # pragma: no cover - beyond 2**62 cells x people
            columns = [self.answers[:, j] for j in reversed(range(self.answers.shape[1]))]
            order = np.lexsort(np.stack([*columns, self.respondent, self.target,
                                         self.source, self.wave]).astype(np.int64))
        if bool((order == np.arange(n)).all()):
            return None
        return order

    def taken(self, order: npt.NDArray[np.intp] | None) -> RespondentTieRows:
        """The rows in the order ``order`` gives (``None``: as they are)."""
        if order is None:
            return self
        return RespondentTieRows(
            people=self.people, source=_frozen(self.source[order]),
            target=_frozen(self.target[order]), wave=_frozen(self.wave[order]),
            respondent=_frozen(self.respondent[order]), answers=_frozen(self.answers[order]),
        )


@attrs.frozen(eq=False)
class RatingsSummary:
    """What the analysis needs from the ratings of a study or of a part of it; merge parts
    with ``+`` (see the module docstring for the two forms and what merging promises).

    ``roles`` (the study's role ids, sorted), ``dimensions`` (the instrument's item keys) and
    ``scales`` (each item's scored values, sorted) are the grid two summaries must share to
    merge; ``waves`` are the named waves with ratings, sorted (codes index them); ``rows``
    the respondent-tie rows in canonical order.
    """

    roles: tuple[str, ...]
    dimensions: tuple[str, ...]
    scales: tuple[tuple[float, ...], ...]
    waves: tuple[str, ...]
    rows: RespondentTieRows

    # --- building -----------------------------------------------------------------------

    @classmethod
    def of(cls, study: Study, settings: AnalysisSettings | None = None) -> RatingsSummary:
        """The per-person summary of ``study``'s ratings (a whole study or a partition: the
        same roles and instrument, any subset of the ratings).

        ``settings`` are accepted for the contract's sake and change nothing: the summary
        holds the answers, not any choice of the analysis (``min_items``, weighting), so one
        summary serves every analysis of the study.
        """
        del settings  # the summary does not depend on the analysis options
        return cls.with_order(study)[0]

    @classmethod
    def with_order(cls, study: Study) -> tuple[RatingsSummary, npt.NDArray[np.intp] | None]:
        """[`of`][relcoord.metrics.ratings_summary.RatingsSummary.of] ``study``, and the
        permutation that put its rating rows into the summary's canonical order (row ``i``
        of the summary is row ``order[i]`` of the study; ``None``: the study's rows are in
        that order already), to map a result per summary row back to the study's rows."""
        ratings, codes = _summary_codes(study)
        dimensions, scales = codes.dimensions, codes.scales
        n, d = len(ratings), len(dimensions)
        answers = np.empty((n, d), dtype=_code_type(cls._width(scales)))
        for j, scale in enumerate(scales):
            answers[:, j] = _answer_codes(ratings.scores[:, j], scale, dimensions[j])
        rows = RespondentTieRows(
            people=_frozen(codes.people),
            source=_frozen(ratings.source.astype(np.int32)),
            target=_frozen(ratings.target.astype(np.int32)),
            wave=_frozen(_remap(ratings.wave, codes.wave_lut)),
            respondent=_frozen(_remap(ratings.respondent, codes.person_lut)),
            answers=_frozen(answers),
        )
        order = rows.canonical_order(len(study.role_ids), len(codes.waves))
        made = cls(
            roles=study.role_ids, dimensions=dimensions, scales=scales, waves=codes.waves,
            rows=rows.taken(order),
        )
        return made, order

    @classmethod
    def canonical_ratings(cls, study: Study) -> tuple[Ratings, npt.NDArray[np.intp] | None]:
        """``RatingsSummary.of(study).ratings(study)`` without the summary: ``study``'s rating
        rows in the summary's canonical order, and the permutation (as
        [`with_order`][relcoord.metrics.ratings_summary.RatingsSummary.with_order]; ``None``:
        the rows are in that order, and the store returned is ``study.ratings`` itself).

        The summary codes every answer and
        [`ratings`][relcoord.metrics.ratings_summary.RatingsSummary.ratings] decodes it to
        the same scale value, so this is one gather of the study's arrays by
        [`canonical_order`][relcoord.metrics.ratings_summary.RatingsSummary.canonical_order]:
        the same rows in the same order as an analysis of the study's merged summary reads.
        """
        order = cls.canonical_order(study)
        if order is None:
            return study.ratings, None
        return study.ratings.taken(order), order

    @classmethod
    def canonical_order(cls, study: Study) -> npt.NDArray[np.intp] | None:
        """The permutation that puts ``study``'s rating rows into the summary's canonical
        order (row ``i`` of the summary is row ``order[i]`` of the study), as
        [`with_order`][relcoord.metrics.ratings_summary.RatingsSummary.with_order] gives it,
        without coding the answers: one sort of the rows' packed keys (wave, rater role,
        target role, respondent).  ``None`` when the rows are in that order already.

        Only when a respondent rated one tie twice in one wave (two rows with one key) do
        the answers decide the order, and the summary is built to find it.  Read-only; the
        caller gathers what it needs (``analyze`` gathers only the rows it publishes).
        """
        ratings, codes = _summary_codes(study)
        n_roles, n_waves = len(study.role_ids), len(codes.waves)
        n_people = len(codes.people) + 1
        if len(ratings) == 0:
            return None
        bound = (n_waves + 1) * n_roles * n_roles * n_people
        if bound >= _PACKED_LIMIT:  # pragma: no cover
            return cls.with_order(study)[1]  # beyond 2**62 cells x people
        shift = max(len(ratings) - 1, 0).bit_length()
        if max(bound - 1, 0).bit_length() + shift <= 63:
            order, ordered = _packed_rows_order(ratings, codes, n_roles, n_people, shift)
            if order is None:
                if bool(np.all(ordered[1:] > ordered[:-1])):
                    return None  # canonical already (a tie-major export), keys distinct
                return cls.with_order(study)[1]  # in order, but one key twice
        else:  # pragma: no cover - beyond 2**63 keys x rows
            key = _packed_key(_remap(ratings.wave, codes.wave_lut), ratings.source,
                              ratings.target, _remap(ratings.respondent, codes.person_lut),
                              n_roles, n_people)
            if bool(np.all(key[1:] > key[:-1])):
                return None
            order, ordered = _key_order(key, bound)
        if bool((ordered[1:] == ordered[:-1]).any()):
            # a respondent rated one tie twice in one wave: the answers decide the order,
            # as the summary's does
            return cls.with_order(study)[1]
        order.setflags(write=False)
        return order

    @staticmethod
    def _width(scales: Sequence[Sequence[float]]) -> int:
        return max((len(s) for s in scales), default=0)

    # --- merging ------------------------------------------------------------------------

    def __add__(self, other: object) -> RatingsSummary:
        if not isinstance(other, RatingsSummary):
            return NotImplemented
        return RatingsSummary.merged([self, other])

    @classmethod
    def merged(cls, parts: Sequence[RatingsSummary]) -> RatingsSummary:
        """The merge of any number of summaries of one study: ``parts[0] + parts[1] + ...``
        with one concatenation and one sort into canonical order, not one per ``+`` (what a
        client gathering the summaries of many partitions wants).  Equal to the pairwise
        sum in any order, exactly.  Raises `ValueError` for no parts, or parts of different
        roles, items or scales."""
        if not parts:
            raise ValueError("no summaries to merge")
        first = parts[0]
        for part in parts[1:]:
            if (first.roles, first.dimensions, first.scales) != (
                    part.roles, part.dimensions, part.scales):
                raise ValueError("summaries of different roles, items or scales cannot be "
                                 "merged (the parts must come from one study)")
        if len(parts) == 1:
            return first
        waves = tuple(sorted(set().union(*(part.waves for part in parts))))
        luts = [np.asarray([waves.index(w) for w in part.waves], dtype=np.int64)
                for part in parts]
        # one sort of every part's people (a union per part would sort the growing union
        # once per part: 55 sorts of up to a million ids for the ten-times benchmark)
        people = np.unique(np.concatenate([part.rows.people for part in parts]))
        if not len(people):
            people = _labels(())
        joined = RespondentTieRows(
            people=_frozen(people),
            source=np.concatenate([part.rows.source for part in parts]),
            target=np.concatenate([part.rows.target for part in parts]),
            wave=np.concatenate([_remap(part.rows.wave, lut)
                                 for part, lut in zip(parts, luts, strict=True)]),
            respondent=np.concatenate([
                _remap(part.rows.respondent,
                       np.searchsorted(people, part.rows.people).astype(np.int64))
                for part in parts]),
            answers=np.concatenate([part.rows.answers for part in parts]),
        )
        for array in (joined.source, joined.target, joined.wave, joined.respondent,
                      joined.answers):
            array.setflags(write=False)
        return attrs.evolve(first, waves=waves,
                            rows=joined.canonical(len(first.roles), len(waves)))

    def of_rater_roles(self, roles: Collection[str]) -> RatingsSummary:
        """The summary of the rows whose rater role is in ``roles`` (role ids; `ValueError`
        for one the summary does not know): still in canonical order, with only the people
        and waves those rows have.  Cutting one summary into blocks of rater roles this way
        costs one pass per block over the row codes, where summarising each block's rows of
        the study afresh would code every respondent's label again."""
        index = {role: i for i, role in enumerate(self.roles)}
        unknown = sorted(set(roles) - set(index))
        if unknown:
            raise ValueError(f"no role {unknown[0]!r} in the summary")
        picked = np.zeros(len(self.roles) + 1, dtype=bool)
        picked[[index[r] for r in roles]] = True
        rows = self.rows
        keep = np.flatnonzero(picked[rows.source])
        respondent = rows.respondent[keep]
        used = np.flatnonzero(np.bincount(respondent[respondent >= 0],
                                          minlength=len(rows.people)))
        person_lut = np.full(len(rows.people), -1, dtype=np.int64)
        person_lut[used] = np.arange(len(used))
        wave = rows.wave[keep]
        kept_waves = np.flatnonzero(np.bincount(wave[wave >= 0], minlength=len(self.waves)))
        wave_lut = np.full(len(self.waves), -1, dtype=np.int64)
        wave_lut[kept_waves] = np.arange(len(kept_waves))
        cut = RespondentTieRows(
            people=_frozen(rows.people[used]), source=_frozen(rows.source[keep]),
            target=_frozen(rows.target[keep]), wave=_frozen(_remap(wave, wave_lut)),
            respondent=_frozen(_remap(respondent, person_lut)),
            answers=_frozen(rows.answers[keep]),
        )
        return attrs.evolve(self, waves=tuple(self.waves[w] for w in kept_waves.tolist()),
                            rows=cut)

    def __radd__(self, other: object) -> RatingsSummary:
        if other == 0:  # sum(parts) starts from 0
            return self
        return NotImplemented

    # --- reading ------------------------------------------------------------------------

    @property
    def n_ratings(self) -> int:
        """The number of ratings (respondent-ties) summarised."""
        return len(self.rows)

    def ratings(self, study: Study) -> Ratings:
        """The rating rows of a per-person summary as a store in ``study``'s vocabularies
        (roles, respondents, dimensions; waves: the study's rating waves when they hold every
        wave of the summary, else the summary's), in the canonical order.

        Raises `ValueError` for a summary of another study (other roles or items, a
        respondent the study does not list).
        """
        self.check_study(study)
        known = study.ratings.respondents
        person_lut = _positions(known, self.rows.people)
        vocabulary = study.ratings.waves
        waves = vocabulary if set(self.waves) <= set(vocabulary) else self.waves
        wave_lut = np.asarray([waves.index(w) for w in self.waves], dtype=np.int64)
        rows = self.rows
        person = _remap(rows.respondent, person_lut)
        wave = _remap(rows.wave, wave_lut)
        if study.ratings.waves == waves and self._holds(study.ratings, person, wave):
            return study.ratings  # the study's rows are these rows, in this order: no copy
        scores = np.full(rows.answers.shape, np.nan)
        for j, scale in enumerate(self.scales):
            codes = rows.answers[:, j]
            present = codes >= 0
            scores[present, j] = np.asarray(scale)[codes[present]]
        scores.setflags(write=False)
        return Ratings(
            dimensions=self.dimensions, roles=self.roles, respondents=known, waves=waves,
            source=rows.source, target=rows.target,
            respondent=_frozen(person), wave=_frozen(wave), scores=scores,
        )

    def _holds(self, ratings: Ratings, person: Codes, wave: Codes) -> bool:
        """Whether ``ratings`` are exactly the summary's rows in the same order (``person``
        and ``wave``: the rows' codes in ``ratings``' vocabularies), compared column by
        column without a copy of the scores."""
        rows = self.rows
        if (len(ratings) != len(rows) or ratings.roles != self.roles
                or ratings.dimensions != self.dimensions):
            return False
        if not (np.array_equal(ratings.source, rows.source)
                and np.array_equal(ratings.target, rows.target)
                and np.array_equal(ratings.respondent, person)
                and np.array_equal(ratings.wave, wave)):
            return False
        for j, scale in enumerate(self.scales):
            codes = rows.answers[:, j]
            column = ratings.scores[:, j]
            present = codes >= 0
            if not np.array_equal(present, ~np.isnan(column)):
                return False
            if not np.array_equal(np.asarray(scale)[codes[present]], column[present]):
                return False
        return True

    def check_study(self, study: Study) -> None:
        """Refuse a study whose roles or items differ from the summary's (`ValueError`)."""
        if study.role_ids != self.roles:
            raise ValueError("the summary was made from a study with other roles")
        scales = tuple(tuple(float(v) for v in sorted(study.instrument.dimension(k).scores))
                       for k in study.instrument.keys)
        if study.instrument.keys != self.dimensions or scales != self.scales:
            raise ValueError("the summary was made from a study with another instrument")

    def equals(self, other: RatingsSummary) -> bool:
        """Whether both summaries hold the same data (every field; the parts are counts and
        codes, so exactly)."""
        if (self.roles, self.dimensions, self.scales, self.waves) != (
                other.roles, other.dimensions, other.scales, other.waves):
            return False
        for field in attrs.fields(RespondentTieRows):
            x, y = getattr(self.rows, field.name), getattr(other.rows, field.name)
            if x.shape != y.shape or not np.array_equal(x, y):
                return False
        return True

    @property
    def nbytes(self) -> int:
        """The bytes of the summary's arrays."""
        return sum(getattr(self.rows, f.name).nbytes for f in attrs.fields(RespondentTieRows))
