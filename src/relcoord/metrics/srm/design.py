"""The cross-classified design of the Social Relations Model: which ratings, which factors.

One observation is one respondent-tie: a respondent (in rater role ``i``) rating target role
``j``, scored as the mean of its answered items and used when at least ``min_items`` are
answered ([`respondent_tie_scores`][relcoord.metrics.scores.respondent_ties.respondent_tie_scores]).
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
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.scores import respondent_tie_scores
from relcoord.model import Study

__all__ = ["SRMDesign", "srm_design"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@attrs.frozen(eq=False)
class SRMDesign:
    """The observations of the model with their factor codes.

    ``y`` holds the respondent-tie RC of every observation; ``source``, ``target``,
    ``tie`` and ``unit`` its level of each factor, as codes into
    [`sources`][relcoord.metrics.srm.design.SRMDesign.sources],
    [`targets`][relcoord.metrics.srm.design.SRMDesign.targets] (role codes of the study, in
    ``study.role_ids`` order), [`tie_pairs`][relcoord.metrics.srm.design.SRMDesign.tie_pairs]
    (``(source role, target role)`` codes) and the respondent units. ``rows`` are the rating rows of
    the study the observations come from.
    """

    role_ids: tuple[str, ...]
    rows: Ints
    y: Floats
    source: Ints
    target: Ints
    tie: Ints
    unit: Ints
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


def _levels(keys: Ints, size: int) -> tuple[Ints, Ints]:
    """``np.unique(keys, return_inverse=True)`` for keys in ``0..size-1``: the levels that
    occur, ascending, and each key's level.  Counted with a table of ``size`` entries when
    that is not much larger than the keys (no sort); sorted otherwise."""
    if size > max(4 * len(keys), 1 << 16):
        levels, codes = np.unique(keys, return_inverse=True)
        return levels.astype(np.int64), codes.astype(np.int64).reshape(-1)
    present = np.bincount(keys, minlength=size) > 0
    if present.all():  # every key occurs: the keys are their levels
        return np.arange(size, dtype=np.int64), np.asarray(keys, dtype=np.int64)
    lookup = np.cumsum(present) - 1
    return (np.flatnonzero(present).astype(np.int64),
            np.asarray(lookup[keys], dtype=np.int64))


def _units(person: Ints, src: Ints, n_respondents: int, k: int) -> tuple[int, Ints]:
    """The respondent units of the observations: their number and each one's code.

    A respondent belongs to one role; keying by ``(respondent, role)`` keeps the nesting
    even if a store had a respondent under two roles.  Unnamed ratings (``person < 0``):
    one unit each, after the named ones, in row order.  When every respondent has one
    role (the rule), the respondent code alone is the key: the same order, and a table of
    the respondents instead of respondents x roles.
    """
    named = person >= 0
    role_of = np.full(n_respondents, -1, dtype=np.int64)
    n_rows = len(person)
    if named.all():  # the rule: every rating has its respondent (no copies, a small table)
        role_of[person] = src
        if np.array_equal(role_of[person], src):
            units, code = _levels(person, n_respondents)
            return len(units), code
    role_of[person[named]] = src[named]
    if np.array_equal(role_of[person[named]], src[named]):
        key = np.where(named, person, n_respondents + np.arange(n_rows))
        units, code = _levels(key, n_respondents + n_rows)
    else:
        key = np.where(named, person * k + src, (n_respondents + 1) * k + np.arange(n_rows))
        units, code = _levels(key, (n_respondents + 1) * k + n_rows)
    return len(units), code


def srm_design(study: Study, *, min_items: int, within: bool = False) -> SRMDesign:
    """The observations of ``study`` that the Social Relations Model uses.

    Every rating row whose respondent-tie RC counts under ``min_items``, without the
    within ties (a role rating itself) unless ``within``.
    """
    ratings = study.ratings
    per = respondent_tie_scores(study, min_items=min_items)
    k = len(study.roles)
    own = ratings.source == ratings.target  # on the stored codes: no full-size copies
    keep = per.counted if within else per.counted & ~own
    rows = np.flatnonzero(keep)
    src = ratings.source[rows].astype(np.int64)
    tgt = ratings.target[rows].astype(np.int64)
    sources, src_code = _levels(src, k)
    targets, tgt_code = _levels(tgt, k)
    pair_keys, tie_code = _levels(src * k + tgt, k * k)
    units, unit_code = _units(ratings.respondent[rows].astype(np.int64), src,
                              len(ratings.respondents), k)
    return SRMDesign(
        role_ids=study.role_ids,
        rows=np.asarray(rows, dtype=np.int64),
        y=np.asarray(per.rc[rows], dtype=np.float64),
        source=np.asarray(src_code, dtype=np.int64),
        target=np.asarray(tgt_code, dtype=np.int64),
        tie=np.asarray(tie_code, dtype=np.int64),
        unit=np.asarray(unit_code, dtype=np.int64),
        sources=np.asarray(sources, dtype=np.int64),
        targets=np.asarray(targets, dtype=np.int64),
        tie_pairs=np.column_stack([pair_keys // k, pair_keys % k]).astype(np.int64)
        if len(pair_keys) else np.zeros((0, 2), dtype=np.int64),
        n_units=units,
        n_within_left_out=0 if within else int(np.count_nonzero(per.counted & own)),
        n_not_counted=int(len(ratings) - np.count_nonzero(per.counted)),
        within=within,
        min_items=min_items,
    )
