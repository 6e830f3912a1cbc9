"""The cross-classified design of the Social Relations Model: which ratings, which factors.

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

The REML computation (`relcoord.metrics.srm.reml`) reads the
observations from here as codes: the study's integer codes, compressed to the levels that occur.
The per-observation codes are 32-bit integers whenever their range allows it (always, short
of two billion ratings or levels): half the memory of 64-bit ones, and the design is
built without full-size 64-bit temporaries except the one ``np.flatnonzero`` returns.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores import respondent_tie_rc
from relcoord.model import Study

__all__ = ["Codes", "SRMDesign", "code_type", "srm_design"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
#: Per-observation codes: ``int32`` when the range allows (see
#: [`code_type`][relcoord.metrics.srm.design.code_type]), ``int64`` otherwise.
Codes = npt.NDArray[np.signedinteger[Any]]

_INT32_MAX = int(np.iinfo(np.int32).max)


def code_type(size: int) -> type[np.signedinteger[Any]]:
    """The integer type of codes ``0..size-1``: ``int32`` when they fit, else ``int64``."""
    return np.int32 if size <= _INT32_MAX else np.int64


@attrs.frozen(eq=False)
class SRMDesign:
    """The observations of the model with their factor codes.

    ``y`` holds the respondent-tie RC of every observation; ``source``, ``target``,
    ``tie`` and ``unit`` its level of each factor (32-bit codes where they fit, see
    [`code_type`][relcoord.metrics.srm.design.code_type]), as codes into
    [`sources`][relcoord.metrics.srm.design.SRMDesign.sources],
    [`targets`][relcoord.metrics.srm.design.SRMDesign.targets] (role codes of the study, in
    ``study.role_ids`` order), [`tie_pairs`][relcoord.metrics.srm.design.SRMDesign.tie_pairs]
    (``(source role, target role)`` codes) and the respondent units. ``rows`` are the rating rows of
    the study the observations come from.
    """

    role_ids: tuple[str, ...]
    rows: Codes
    y: Floats
    source: Codes
    target: Codes
    tie: Codes
    unit: Codes
    sources: Ints
    targets: Ints
    tie_pairs: Ints
    n_units: int
    n_within_left_out: int
    n_not_counted: int
    within: bool
    min_items: int

    @property
    def n(self) -> int:
        """The number of observations."""
        return len(self.y)


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
    named = person >= 0
    role_of = np.full(n_respondents, -1, dtype=src.dtype)
    n_rows = len(person)
    if named.all():  # the rule: every rating has its respondent (no copies, a small table)
        role_of[person] = src
        if np.array_equal(role_of[person], src):
            units, code = _levels(person, n_respondents)
            return len(units), code
    role_of[person[named]] = src[named]
    wide = person.astype(np.int64)  # the rare cases: keys beyond the respondents
    if np.array_equal(role_of[person[named]], src[named]):
        key = np.where(named, wide, n_respondents + np.arange(n_rows))
        units, code = _levels(key, n_respondents + n_rows)
    else:
        key = np.where(named, wide * k + src,
                       (n_respondents + 1) * k + np.arange(n_rows))
        units, code = _levels(key, (n_respondents + 1) * k + n_rows)
    return len(units), code


def srm_design(study: Study, *, min_items: int, within: bool = False) -> SRMDesign:
    """The observations of ``study`` that the Social Relations Model uses.

    Every rating row whose respondent-tie RC counts under ``min_items``, without the
    within ties (a role rating itself) unless ``within``.
    """
    ratings = study.ratings
    # the RC alone (not every score: they would be held to the end of the analysis)
    rc, counted = respondent_tie_rc(study, min_items=min_items)
    k = len(study.roles)
    own = ratings.source == ratings.target  # on the stored codes: no full-size copies
    keep = counted if within else counted & ~own
    rows = np.flatnonzero(keep).astype(code_type(len(keep)), copy=False)
    within_left_out = 0 if within else int(np.count_nonzero(counted & own))
    del keep, own
    src = ratings.source[rows]
    tgt = ratings.target[rows]
    sources, src_code = _levels(src, k)
    targets, tgt_code = _levels(tgt, k)
    pair_type = code_type(k * k)
    pair_keys, tie_code = _levels(src.astype(pair_type, copy=False) * pair_type(k) + tgt,
                                  k * k)
    units, unit_code = _units(ratings.respondent[rows], src, len(ratings.respondents), k)
    del src, tgt
    return SRMDesign(
        role_ids=study.role_ids,
        rows=rows,
        y=np.asarray(rc[rows], dtype=np.float64),
        source=src_code,
        target=tgt_code,
        tie=tie_code,
        unit=unit_code,
        sources=np.asarray(sources, dtype=np.int64),
        targets=np.asarray(targets, dtype=np.int64),
        tie_pairs=np.column_stack([pair_keys // k, pair_keys % k]).astype(np.int64)
        if len(pair_keys) else np.zeros((0, 2), dtype=np.int64),
        n_units=units,
        n_within_left_out=within_left_out,
        n_not_counted=int(len(ratings) - np.count_nonzero(counted)),
        within=within,
        min_items=min_items,
    )
