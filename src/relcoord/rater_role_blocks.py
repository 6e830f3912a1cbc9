"""Rater-role blocks: a study's ratings cut into blocks of whole rater roles.

Every figure of an analysis that rests on people stays inside one **rater role**: a
respondent belongs to one role and rates from it; a tie cell (rater role, target role,
wave) and its privacy decision belong to their rater role; the Social Relations Model's
unknowns are eliminated rater role by rater role.  So an analysis can be computed block by
block, where a block holds *every* rating row of some rater roles, and the blocks' partial
results (`relcoord.analysis_parts`) combined: that is how the ``dask`` engine bounds the
memory of the process that finishes an analysis by the largest block instead of the whole
study.

A block is the study with only its rater roles' rows, in the canonical order of
[`RatingsSummary.canonical_order`][relcoord.metrics.ratings_summary.RatingsSummary.canonical_order]
(wave, rater role, target role, respondent): the rows of the whole study in canonical order,
restricted to the block, are the block's rows in canonical order, so that every per-cell sum
of a block is that of the whole study to the last bit.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt

from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.model import Study
from relcoord.ratings import Ratings

__all__ = [
    "balanced_groups",
    "rater_role_block",
    "rater_role_blocks",
    "rater_role_groups",
    "without_rows",
]


def _rows_of(study: Study, roles: Collection[str]) -> npt.NDArray[np.intp]:
    wanted = set(roles)
    unknown = sorted(wanted - set(study.role_ids))
    if unknown:
        raise ValueError(f"no role {unknown[0]!r} in the study")
    ratings = study.ratings
    picked = np.array([r in wanted for r in ratings.roles] + [False], dtype=bool)
    return np.flatnonzero(picked[ratings.source])


def rater_role_block(study: Study, roles: Collection[str]) -> Study:
    """``study`` with only the rating rows whose rater role (source) is in ``roles``, in
    canonical order; its metadata (roles, respondents, named ties, invitations) unchanged.
    `ValueError` for a role the study does not have."""
    block = study.with_checked_ratings(study.ratings.taken(_rows_of(study, roles)))
    order = RatingsSummary.canonical_order(block)
    if order is None:
        return block
    return study.with_checked_ratings(block.ratings.taken(order))


def rater_role_groups(study: Study, n_groups: int) -> tuple[tuple[str, ...], ...]:
    """The study's rater roles (roles with at least one rating row) in ``n_groups`` groups
    (fewer when there are fewer rater roles) of about equal numbers of rows: each role goes,
    largest first, to the group with the fewest rows so far.  Groups keep the study's role
    order inside; empty groups are left out."""
    if n_groups < 1:
        raise ValueError(f"n_groups must be at least 1, got {n_groups}")
    ratings = study.ratings
    rows = np.bincount(ratings.source, minlength=len(ratings.roles))
    by_id = dict(zip(ratings.roles, rows.tolist(), strict=True))
    present = [r for r in study.role_ids if by_id.get(r, 0)]
    return balanced_groups(present, [by_id[r] for r in present], n_groups)


def balanced_groups(names: Sequence[str], sizes: Sequence[int], n_groups: int
                    ) -> tuple[tuple[str, ...], ...]:
    """``names`` in at most ``n_groups`` groups of about equal total ``sizes`` (largest
    first into the lightest group; ties by position), each group in the order of
    ``names``."""
    loads = [0] * min(n_groups, len(names))
    members: list[list[int]] = [[] for _ in loads]
    for i in sorted(range(len(names)), key=lambda i: (-sizes[i], i)):
        lightest = min(range(len(loads)), key=lambda g: (loads[g], g))
        loads[lightest] += sizes[i]
        members[lightest].append(i)
    return tuple(tuple(names[i] for i in sorted(m)) for m in members if m)


def rater_role_blocks(study: Study, groups: Sequence[Collection[str]]) -> tuple[Study, ...]:
    """[`rater_role_block`][relcoord.rater_role_blocks.rater_role_block] of each group.
    `ValueError` when a role is in two groups."""
    seen: set[str] = set()
    for group in groups:
        twice = seen & set(group)
        if twice:
            raise ValueError(f"role {sorted(twice)[0]!r} is in two groups")
        seen |= set(group)
    return tuple(rater_role_block(study, group) for group in groups)


def without_rows(study: Study, waves: Sequence[str] | None = None) -> Study:
    """``study`` with no rating rows but its ratings' vocabularies (dimensions, roles,
    respondents and waves; ``waves``, when given, replaces the wave vocabulary): the facts
    an analysis finished from parts is made of.  The blocks of one analysis must share their
    wave vocabulary, since a tie cell is numbered by its wave's position in it."""
    ratings = study.ratings
    none = np.empty(0, dtype=np.int32)
    none.setflags(write=False)
    empty = Ratings.from_arrays(
        source=none, target=none, respondent=none, wave=none,
        scores=np.empty((0, len(ratings.dimensions))), dimensions=ratings.dimensions,
        roles=study.role_ids, respondents=ratings.respondents,
        waves=ratings.waves if waves is None else tuple(waves),
    )
    return study.with_checked_ratings(empty)
