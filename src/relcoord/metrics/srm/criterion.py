"""The REML criterion of the cross-classified SRM, its gradient and the BLUPs, as lme4 has them.

The model (one observation per respondent-tie, see
[`relcoord.metrics.srm.design`][relcoord.metrics.srm.design])::

    y = mu + a[rater role] + b[target role] + g[tie] + p[respondent] + e

with independent normal effects of variances ``s2_a, s2_b, s2_g, s2_p`` and residual
``s2_e``.  In matrix form ``y = X mu + Z b + e`` with ``X`` a column of ones; with the
relative standard deviations ``theta_c = sqrt(s2_c / s2_e)`` on the diagonal of ``Lambda``
the random effects are ``b = Lambda u``, ``u ~ N(0, s2_e I)`` (Bates, Maechler, Bolker &
Walker 2015, section 3).  The REML criterion profiled over ``s2_e`` is

    -2 l_R(theta) = log det C + (N - 1) (1 + log(2 pi r2 / (N - 1)))

where ``C = [[Lambda' Z'Z Lambda + I, Lambda' Z'X], [X'Z Lambda, X'X]]`` is the matrix of
Henderson's mixed-model equations (its log determinant is ``log det(V / s2_e) +
log det(X' (V / s2_e)^-1 X)``, the two determinants of the REML likelihood; Searle, Casella
& McCulloch 1992, chapter 6), ``r2 = y'y - h' C^-1 h`` with ``h = [Lambda' Z'y; X'y]`` the
penalized residual sum of squares, and ``s2_e = r2 / (N - 1)`` at the optimum.  This is
lme4's ``REMLcrit``.  The solution of ``C [u; mu] = h`` gives the BLUPs ``b = Lambda u``
(the conditional modes of ``ranef()``) and the GLS estimate of ``mu``.

Its gradient in closed form: with ``q_c`` the number of levels of component ``c`` and
``tr_c`` the trace of the diagonal block of ``C^-1`` that belongs to them,
``d log det C / d theta_c = 2 (q_c - tr_c) / theta_c`` (``dC / d theta_c`` is
``(E_c (C - J) + (C - J) E_c) / theta_c``, ``E_c`` selecting the component's unknowns and
``J`` the identity of the random part), and ``d r2 / d theta_c = -2 |u_c|^2 / theta_c``
(``r2`` is a minimum over ``u`` and ``mu``, and ``u = Lambda' Z' r`` there), so

    d(-2 l_R) / d theta_c = 2 (q_c - tr_c) / theta_c - 2 (N - 1) |u_c|^2 / (theta_c r2)

The criterion is even in every ``theta_c`` (a sign flips a column of ``Z Lambda`` and
changes neither determinant nor fit), so it is computed at ``|theta|`` and the gradient is
0 where ``theta_c`` is.

``C`` is sparse in a way that makes all of this cheap: a respondent and a tie belong to
one rater role, so after ordering the unknowns as (per rater role: its respondents, its
ties), then (rater-role effects, target-role effects, ``mu``), the first part is block
diagonal.  Each rater role's block is eliminated, leaving the system of the role effects
and ``mu`` ([`relcoord.metrics.srm.role_system`][relcoord.metrics.srm.role_system]), in
one of two orders:

- **respondents first** (a diagonal matrix, eliminated by groups of respondents with the
  same number of observations), then its ties: one dense matrix ``M`` of the size ``T``
  of the role's targets, ``T^3`` per role and evaluation;
- **ties first**, for a role with few respondents ``p``: the ties' block is diagonal too
  (an observation belongs to one tie), and its Schur complement is a dense ``p x p``
  matrix of the respondents.  This is the Woodbury form of ``M^-1`` (Henderson & Searle
  1981): ``M`` is a diagonal matrix less a term of rank ``p``.  It costs about ``p T^2``
  (see [`_eliminate_ties_first`][relcoord.metrics.srm.criterion._eliminate_ties_first]).

[`Criterion`][relcoord.metrics.srm.criterion.Criterion] picks the cheaper order per role
(``order="auto"``): the ties go first when ``p (3 T^2 + 6 p T + 2 p^2) < 5 T^3``, the
operations of one evaluation with the gradient.  In a survey where each role has
thousands of respondents, the respondents go first.  In a study of many small roles
(2,000 roles of about 25 respondents, each rating some 80 roles) nearly every role's ties
go first.  Both orders give the same numbers to rounding; the tests compare them.  The
roles are handled in chunks, as batched numpy operations on arrays padded to the chunk's
largest role.  The diagonal blocks of ``C^-1`` come out of the same elimination (the
inverse of a partitioned matrix from its Schur complement; Searle, Casella & McCulloch
1992, appendix M).
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Iterator, Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
from scipy.linalg.lapack import dtrtri

from relcoord.metrics.srm.design import Counts, SRMDesign, unit_products
from relcoord.metrics.srm.role_system import (
    BandedRoleSystem,
    BlockInverse,
    DenseRoleSystem,
    RoleSystem,
    RoleSystemFactor,
)

__all__ = ["COMPONENTS", "Criterion", "Solution"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
#: Sums of integer products: ``float32`` where that holds them exactly, else ``float64``.
Grams = npt.NDArray[np.floating[Any]]

#: The random factors in the order of ``theta``: rater role, target role, tie, respondent.
COMPONENTS: Final = ("rater", "target", "relationship", "respondent")

#: Below this, ``|theta_c|`` counts as 0 in the gradient, whose closed form would cancel.
_TINY: Final = 1e-7
#: Up to this many rater and target effects (plus ``mu``), ``solver="auto"`` factors their
#: system dense: below it the dense Cholesky costs less than the banded system's
#: bookkeeping (measured at 400 roles: about even; at 2,000 the banded one is 4-8x faster).
_DENSE_UNKNOWNS: Final = 1000
#: Blocks per batch of the gradient's products: LAPACK works block by block, numpy's
#: batched products chunk by chunk, so that nothing of the size of all blocks x ``T^2``
#: is streamed through memory more than once.
_CHUNK: Final = 16
#: Blocks of single-precision group sums made ``float64`` at once (about 1.4 MiB at 50
#: roles x 100,000 respondents).
_CAST_CHUNK: Final = 8
#: Integers below this are exact in ``float32`` (its 24-bit significand).
_FLOAT32_EXACT: Final = 1 << 24
#: Rater roles per batch of the ties-first elimination
#: ([`_FewRespondents`][relcoord.metrics.srm.criterion._FewRespondents]).
_FEW_CHUNK: Final = 64


@attrs.frozen(eq=False)
class Solution:
    """The mixed-model equations solved at one ``theta``: the criterion, the penalized
    residual sum of squares, ``mu`` and the BLUPs of every level of each factor (in the
    design's level order)."""

    criterion: float
    pwrss: float
    mu: float
    rater: Floats
    target: Floats
    tie: Floats
    unit: Floats


@attrs.frozen(eq=False)
class _Respondents:
    """What the respondents add to the mixed-model equations, grouped by rater role and by
    how many observations a respondent has.

    A respondent ``u`` of rater role ``b`` enters the equations through ``c_u``, its counts
    over the block's base coordinates (its observations per tie slot, and its number of
    observations ``n_u`` in the last one), its sum of observations ``y_u`` and, after it is
    eliminated, the weight ``1 / d_u`` with ``d_u = theta_p^2 n_u + 1``.  ``d_u`` depends on
    ``n_u`` alone, so every sum over respondents the criterion needs is a sum over groups
    of respondents with the same ``n_u`` of ``1 / d`` (or ``1 / d^2``) times the group's
    sums, which do not depend on ``theta`` and are taken once: ``gram`` (``sum c_u c_u'``),
    ``cross`` (``sum c_u y_u``), ``y2`` (``sum y_u^2``) and ``size`` (respondents).  One
    evaluation then costs ``blocks x groups x (T+1)^2`` instead of ``respondents x
    (T+1)^2``.  Groups lie on a ``(B, M)`` grid, ``M`` the most groups of a block; padding
    has ``size`` 0 and ``n`` 0.

    The groups cover the rater roles whose respondents are eliminated first (``blocks``,
    in the design's order; ``B`` of them), the others are in
    [`_FewRespondents`][relcoord.metrics.srm.criterion._FewRespondents].  The respondents'
    own BLUPs need each respondent once, at the optimum: ``unit_block``, ``unit_n``,
    ``unit_y`` and ``counts`` (its observations per tie slot) per respondent.
    """

    blocks: Ints  # (B,) the rater roles grouped here
    gram: Grams  # (B, M, (T+1)(T+2)/2): the upper triangles, float32 when exact
    cross: Floats  # (B, M, T+1)
    y2: Floats  # (B, M)
    size: Floats  # (B, M)
    n: Floats  # (B, M)
    unit_block: Ints  # (n_units,)
    unit_n: Floats  # (n_units,)
    unit_y: Floats  # (n_units,)
    counts: Counts  # (n_units, T)

    def weighted_gram(self, weights: Floats) -> Floats:
        """``sum over m of weights[b, m] gram[b, m]`` for every block, ``(B, T+1, T+1)``:
        weighted sums of the upper triangles, mirrored."""
        return _symmetric(_weighted(weights, self.gram))

    def group_gram(self, block: int, group: int) -> Floats:
        """One group's ``gram``, ``(T+1, T+1)``."""
        return np.asarray(_symmetric(self.gram[block, group][None].astype(np.float64))[0],
                          dtype=np.float64)

    def inverse_d(self, theta_p: float, power: int) -> Floats:
        """Per group ``1 / d^power`` at ``theta_p``."""
        return np.asarray(1.0 / (theta_p * theta_p * self.n + 1.0) ** power,
                          dtype=np.float64)


@attrs.frozen(eq=False)
class _Packed:
    """The design as one padded array per quantity, rater role by rater role.

    Block ``b`` is rater role ``b``; its ties take the slots ``0..`` of the tie axis (``T``
    wide); its respondents are summarised in
    [`_Respondents`][relcoord.metrics.srm.criterion._Respondents].  Padding has zero counts, so it
    adds nothing (a padded unknown gets the equation ``u = 0``).  The "base" coordinates of a block
    are one column per tie slot and one column of ones.
    """

    base: Floats  # (B, T+1, T+1): cross-products of the base columns
    sums: Floats  # (B, T+1): base columns times y
    respondents: _Respondents
    scatter: Ints  # (B, T+2): global unknown of each extended base coordinate
    tie_slot: Ints  # (G,) block * T + slot of every tie
    size: int  # global unknowns: raters, targets, mu (without the trash slot)
    pick: Ints  # (T+2,) the base coordinate of each extended one
    tie_real: Floats  # (B, T): 1 for a tie, 0 for padding
    few: tuple[_FewRespondents, ...]  # rater roles whose ties go first, in chunks

    @property
    def all_grouped(self) -> bool:
        """Whether every rater role's respondents are eliminated first (by group)."""
        return not self.few


@attrs.frozen(eq=False)
class _FewRespondents:
    """A chunk of rater roles with few respondents, whose ties are eliminated first.

    For such a role the ties' block of the mixed-model equations is diagonal (each
    observation belongs to one tie), so eliminating them first leaves a dense matrix of
    the size of the role's respondents ``p``, not of its targets ``T``: the Woodbury form
    of the ties' matrix ``M`` of
    [`_eliminate_ties`][relcoord.metrics.srm.criterion._eliminate_ties] (Henderson & Searle
    1981), ``p T^2`` instead of ``T^3`` per evaluation.  The roles of a chunk are handled
    together (batched numpy), their respondents padded to the chunk's largest role (roles
    sorted by respondents, so that little is padded; a padded respondent has no
    observations and adds nothing).

    ``counts`` holds each respondent's observations per tie slot, ``unit_n`` / ``unit_y``
    its number and sum of observations, ``units`` its respondent unit (-1: padding);
    ``tie_n`` / ``tie_y`` the observations per tie slot and their sum.
    """

    blocks: Ints  # (c,) rater roles, in the design's order
    counts: Floats  # (c, P, T)
    unit_n: Floats  # (c, P)
    unit_y: Floats  # (c, P)
    units: Ints  # (c, P), -1 for padding
    tie_n: Floats  # (c, T)
    tie_y: Floats  # (c, T)
    tie_real: Floats  # (c, T)


def _pack(design: SRMDesign, order: Literal["auto", "respondents", "ties"]) -> _Packed:
    """The padded arrays of ``design``; ``order`` says whose local unknowns are eliminated
    first in each rater role (see [`Criterion`][relcoord.metrics.srm.criterion.Criterion])."""
    n_blocks, n_targets = len(design.sources), len(design.targets)
    tie_block = design.tie_source
    tie_target = design.tie_target
    tie_local = design.tie_slot
    width = design.width
    t1 = width + 1
    n_tie = np.zeros((n_blocks, t1), dtype=np.int64)
    n_tie[tie_block, tie_local] = design.tie_n
    sums = np.zeros((n_blocks, t1))
    sums[tie_block, tie_local] = design.tie_y
    sums[:, width] = sums[:, :width].sum(axis=1)
    base = np.zeros((n_blocks, t1, t1))
    idx = np.arange(width)
    base[:, idx, idx] = n_tie[:, :width]
    base[:, idx, width] = n_tie[:, :width]
    base[:, width, idx] = n_tie[:, :width]
    base[:, width, width] = n_tie.sum(axis=1)
    size = n_blocks + n_targets + 1
    scatter = np.full((n_blocks, width + 2), size, dtype=np.int64)  # size: the trash slot
    scatter[tie_block, tie_local] = n_blocks + tie_target
    scatter[:, width] = np.arange(n_blocks)
    scatter[:, width + 1] = size - 1
    tie_real = (n_tie[:, :width] > 0).astype(np.float64)
    unit_block = design.unit_source
    per_block = np.bincount(unit_block, minlength=n_blocks)
    few = _ties_first(per_block, width, order)
    unit_n = design.unit_n.astype(np.float64)
    chunks = _few_respondents(np.flatnonzero(few), per_block, unit_block, design.counts,
                              unit_n, design.unit_y, base, sums, tie_real)
    return _Packed(
        base=base, sums=sums,
        respondents=_respondents(np.flatnonzero(~few), unit_block, design.unit_y,
                                 design.counts, unit_n, n_blocks, width),
        scatter=scatter,
        tie_slot=tie_block * width + tie_local,
        size=size, pick=np.append(np.arange(width + 1), width),
        tie_real=tie_real,
        few=chunks,
    )


def _ties_first(respondents: Ints, width: int, order: Literal["auto", "respondents", "ties"]
                ) -> npt.NDArray[np.bool_]:
    """Per rater role, whether its ties are eliminated before its respondents: with
    ``order="auto"`` when that costs fewer operations per evaluation with the gradient,
    about ``p (3 T^2 + 6 p T + 2 p^2)`` against ``5 T^3`` for the ties' dense matrix
    (``p`` respondents, ``T`` tie slots)."""
    if order != "auto" or not width:
        return np.full(len(respondents), order == "ties" and width > 0)
    p = respondents.astype(np.float64)
    return np.asarray(p * (3.0 * width * width + 6.0 * p * width + 2.0 * p * p)
                      < 5.0 * float(width) ** 3, dtype=bool)


def _few_respondents(blocks: Ints, per_block: Ints, unit_block: Ints, counts: Counts,
                     unit_n: Floats, unit_y: Floats, base: Floats, sums: Floats,
                     tie_real: Floats) -> tuple[_FewRespondents, ...]:
    """The rater roles ``blocks`` in chunks of
    [`_FEW_CHUNK`][relcoord.metrics.srm.criterion._FEW_CHUNK], sorted by respondents."""
    if not len(blocks):
        return ()
    width = base.shape[1] - 1
    blocks = blocks[np.argsort(per_block[blocks], kind="stable")]
    members = np.argsort(unit_block, kind="stable")
    first = np.concatenate([[0], np.cumsum(per_block)])
    out = []
    idx = np.arange(width)
    for lo in range(0, len(blocks), _FEW_CHUNK):
        chunk = blocks[lo:lo + _FEW_CHUNK]
        depth = int(per_block[chunk].max())
        units = np.full((len(chunk), depth), -1, dtype=np.int64)
        for i, b in enumerate(chunk.tolist()):
            units[i, :per_block[b]] = members[first[b]:first[b + 1]]
        real = units >= 0
        safe = np.where(real, units, 0)
        out.append(_FewRespondents(
            blocks=chunk,
            counts=counts[safe].astype(np.float64) * real[:, :, None],
            unit_n=np.where(real, unit_n[safe], 0.0),
            unit_y=np.where(real, unit_y[safe], 0.0),
            units=units,
            tie_n=base[chunk][:, idx, idx],
            tie_y=sums[chunk, :width],
            tie_real=tie_real[chunk],
        ))
    return tuple(out)


def _respondents(blocks: Ints, unit_block: Ints, unit_y: Floats, counts: Counts,
                 unit_n: Floats, n_blocks: int, width: int) -> _Respondents:
    """The group sums (see [`_Respondents`][relcoord.metrics.srm.criterion._Respondents]) of
    the respondents of the rater roles ``blocks``, from every respondent's counts per tie
    slot: one small product per group.  All of a group's respondents have ``n``
    observations, so the column of ones (the last base coordinate) adds ``n`` times the
    column sums of the counts to ``gram`` and ``n`` times the sum of ``unit_y`` to
    ``cross``."""
    t1 = width + 1
    position = np.full(n_blocks, -1, dtype=np.int64)
    position[blocks] = np.arange(len(blocks))
    grouped = position[unit_block] >= 0
    # groups: (block, n) pairs that occur, numbered block by block
    scale = int(unit_n.max(initial=0)) + 1
    group_key = position[unit_block[grouped]] * scale + unit_n[grouped].astype(np.int64)
    keys, group_of_unit = np.unique(group_key, return_inverse=True)
    group_of_unit = group_of_unit.reshape(-1)
    group_units = np.flatnonzero(grouped)
    group_block = keys // scale
    group_n = keys % scale
    first = np.searchsorted(group_block, np.arange(len(blocks)))
    local = np.arange(len(keys)) - first[group_block]
    depth = int(local.max()) + 1 if len(keys) else 0
    shape = (len(blocks), depth)
    # a gram holds integers up to a group's size x its largest count squared: float32
    # holds them exactly below 2^24 (half the memory; the products are made float64)
    largest = int(counts.max(initial=0)) if counts.size else 0
    biggest = int(np.bincount(group_of_unit, minlength=1).max()) if len(keys) else 0
    exact = biggest * max(largest, scale - 1) ** 2 < _FLOAT32_EXACT
    gram = np.zeros((*shape, t1 * (t1 + 1) // 2), dtype=np.float32 if exact else np.float64)
    upper = np.triu_indices(t1)
    cross = np.zeros((*shape, t1))
    y2 = np.zeros(shape)
    count = np.zeros(shape)
    n = np.zeros(shape)
    n[group_block, local] = group_n
    group_size = np.bincount(group_of_unit, minlength=len(keys))
    count[group_block, local] = group_size
    y2[group_block, local] = _sums(group_of_unit, unit_y[grouped] ** 2, len(keys))
    # the cross-products block by block (its respondents gathered once, in group order:
    # a stable sort of narrow keys is a radix sort), one product per group; the column of
    # ones from the groups' column sums
    narrow = np.int16 if len(keys) <= np.iinfo(np.int16).max else np.int64
    members = group_units[np.argsort(group_of_unit.astype(narrow), kind="stable")]
    bounds = np.concatenate([[0], np.cumsum(group_size)])
    first = np.append(first, len(keys))
    for b in range(len(blocks)):
        g0, g1 = int(first[b]), int(first[b + 1])
        if g0 == g1:
            continue
        units = members[bounds[g0]:bounds[g1]]
        rows = np.take(counts, units, axis=0)  # faster than fancy indexing of rows
        y = unit_y[units]
        starts = bounds[g0:g1] - bounds[g0]
        squares = np.zeros((g1 - g0, t1, t1), dtype=gram.dtype)
        for j in range(g1 - g0):
            part = rows[starts[j]:starts[j] + group_size[g0 + j]].astype(gram.dtype)
            size = float(group_n[g0 + j])
            squares[j, :width, :width] = part.T @ part
            squares[j, :width, width] = part.sum(axis=0) * size
            squares[j, width, width] = size * size * len(part)
            cross[b, j, :width] = y[starts[j]:starts[j] + len(part)] @ part
            cross[b, j, width] = size * float(y[starts[j]:starts[j] + len(part)].sum())
        gram[b, :g1 - g0] = squares[:, upper[0], upper[1]]
    return _Respondents(
        blocks=blocks, gram=gram, cross=cross, y2=y2, size=count, n=n,
        unit_block=unit_block, unit_n=unit_n, unit_y=unit_y, counts=counts,
    )


def _sums(codes: Ints, weights: Floats, size: int) -> Floats:
    """``np.bincount`` of ``weights`` as floats."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)


@attrs.frozen(eq=False)
class _Reduced:
    """What the elimination leaves: ``log det C``, ``h' C^-1 h``, the factor of the global
    system with its right-hand side; per rater role whose respondents go first (in the
    order of [`_Respondents.blocks`][relcoord.metrics.srm.criterion._Respondents]) the
    inverse of the Cholesky factor ``L`` of the ties' matrix ``M = L L'`` and ``L^-1 [K |
    s]`` (``K`` the
    ties' rows of the base cross-products, ``s`` their sums, both after the respondents),
    per group of respondents ``1 / d`` (see
    [`_Respondents`][relcoord.metrics.srm.criterion._Respondents]), and per chunk of the
    roles whose ties go first what their elimination leaves
    ([`_FewReduced`][relcoord.metrics.srm.criterion._FewReduced])."""

    logdet: float
    q: float
    factor: RoleSystemFactor
    tie_factor: Floats | None  # (B, T, T) L^-1, lower triangular
    tie_half: Floats | None  # (B, T, T+2): L^-1 [K | s]
    unit_d: Floats | None
    few: tuple[_FewReduced, ...]


@attrs.frozen(eq=False)
class _FewReduced:
    """One chunk of [`_FewRespondents`][relcoord.metrics.srm.criterion._FewRespondents]
    after its ties and respondents are eliminated: the ties' diagonal ``d_g = t_g^2 n_g +
    1``, ``A D_g^-1`` (the respondents' counts over it), the inverse ``L^-1`` of the
    Cholesky factor of the respondents' matrix ``P`` and ``Y_B = L^-1 B`` (see
    [`_eliminate_ties_first`][relcoord.metrics.srm.criterion._eliminate_ties_first])."""

    d_g: Floats  # (c, T)
    scaled: Floats  # (c, P, T): A D_g^-1
    lower_inverse: Floats  # (c, P, P)
    half: Floats  # (c, P, T): Y_B


@attrs.frozen(eq=False)
class _Local:
    """What eliminating every rater role's respondents and ties leaves, before the
    system of the role effects: ``log det`` and ``h' A^-1 h`` of the eliminated block
    ``A``, the blocks' cross-products and sums on their base coordinates after it
    (``k_mat``, ``s_vec``), and the parts of
    [`_Reduced`][relcoord.metrics.srm.criterion._Reduced] that come from it.  It depends
    on ``theta_g`` and ``theta_p`` alone.  ``owned``: ``k_mat`` may be overwritten by the
    role system (it is neither the packed base nor shared)."""

    logdet: float
    q: float
    k_mat: Floats
    s_vec: Floats
    tie_factor: Floats | None
    tie_half: Floats | None
    unit_d: Floats | None
    few: tuple[_FewReduced, ...]
    owned: bool


@attrs.define(eq=False)
class _Pin:
    """The elimination [`Criterion.sharing`][relcoord.metrics.srm.criterion.Criterion.sharing]
    shares: its ``(theta_g, theta_p)``, once computed (under ``lock``)."""

    key: tuple[float, float]
    lock: threading.Lock = attrs.field(factory=threading.Lock)
    local: _Local | None = None


class Criterion:
    """The REML criterion of a design at any ``theta`` (see the module docstring).

    ``fitted`` says which of [`COMPONENTS`][relcoord.metrics.srm.criterion.COMPONENTS] are in the
    model; the others have ``theta = 0`` (no effect), whatever is passed.  ``solver``
    chooses how the system of the role effects is factored
    ([`relcoord.metrics.srm.role_system`][relcoord.metrics.srm.role_system]), ``order``
    whose unknowns go first within a rater role: its respondents (grouped by number of
    observations; the ties' dense matrix is then ``T x T``), its ties (Woodbury: a dense
    matrix of its ``p`` respondents), or ``"auto"``, per role whichever costs fewer
    operations (ties first when a role has few respondents for its targets).  The
    results are the same up to rounding.
    """

    def __init__(self, design: SRMDesign, fitted: Sequence[bool], *,
                 solver: Literal["auto", "banded", "dense"] = "auto",
                 order: Literal["auto", "respondents", "ties"] = "auto") -> None:
        self.n = design.n
        self.n_sources = len(design.sources)
        self.n_targets = len(design.targets)
        self.levels = np.array([self.n_sources, self.n_targets, len(design.tie_pairs),
                                design.n_units], dtype=np.float64)
        self.fitted = np.asarray(fitted, dtype=bool)
        self.center = design.center  # the sums are centred on it (REML is invariant)
        self.yy = design.yy
        self._packed = _pack(design, order)
        if solver == "auto":
            small = self.n_sources + self.n_targets + 1 <= _DENSE_UNKNOWNS
            solver = "dense" if small else "banded"
        system = BandedRoleSystem if solver == "banded" else DenseRoleSystem
        self._system: RoleSystem = system(self._packed.scatter, self.n_sources,
                                          self.n_targets)
        self.evaluations = 0
        self._count_lock = threading.Lock()  # evaluations may run on several threads
        self._pin: _Pin | None = None  # see sharing()

    def _theta(self, theta: Floats) -> Floats:
        return np.where(self.fitted, np.abs(np.asarray(theta, dtype=np.float64)), 0.0)

    def __call__(self, theta: Floats) -> float:
        """``-2 l_R`` profiled over the residual variance."""
        reduced = self._reduce(self._theta(theta), inverse=False)
        return self._profiled(reduced.logdet, self.yy - reduced.q)

    def with_gradient(self, theta: Floats) -> tuple[float, Floats]:
        """``-2 l_R`` and its gradient in ``theta`` (0 for components not fitted)."""
        t = self._theta(theta)
        reduced = self._reduce(t, inverse=True)
        solution, unit_squares = self._solve(t, reduced, units=False)
        traces = self._traces(t, reduced)
        squares = np.array([float(e @ e) for e in (solution.rater, solution.target,
                                                   solution.tie)] + [unit_squares])
        grad = np.zeros(len(COMPONENTS))
        active = t > _TINY
        ta = t[active]
        # |u_c|^2 = |b_c|^2 / theta_c^2
        grad[active] = (2 * (self.levels[active] - traces[active]) / ta
                        - 2 * (self.n - 1) * squares[active] / (ta**3 * solution.pwrss))
        return solution.criterion, np.sign(np.asarray(theta, dtype=np.float64)) * grad

    def unprofiled(self, theta: Floats, s2_e: float) -> float:
        """``-2 l_R`` at ``theta`` and residual variance ``s2_e`` (not profiled)."""
        reduced = self._reduce(self._theta(theta), inverse=False)
        df = self.n - 1
        return (reduced.logdet + df * math.log(2 * math.pi * s2_e)
                + (self.yy - reduced.q) / s2_e)

    def solve(self, theta: Floats) -> Solution:
        """The criterion and the solution of the mixed-model equations at ``theta``."""
        t = self._theta(theta)
        return self._solve(t, self._reduce(t, inverse=False), units=True)[0]

    def _profiled(self, logdet: float, pwrss: float) -> float:
        df = self.n - 1
        if pwrss <= 0:
            return math.inf
        return logdet + df * (1 + math.log(2 * math.pi * pwrss / df))

    def rater_overlap(self) -> float:
        """How much the respondents of a rater role share their ties:
        ``sum over respondents i of (1 / n_i^2) sum over respondents j of m_ij^2`` with
        ``m_ij = sum over the ties t that both rate of 1 / n_t`` (``n_i`` a respondent's
        observations, ``n_t`` a tie's; ``j = i`` included).

        The moment start ([`relcoord.metrics.srm.reml`][relcoord.metrics.srm.reml]) needs
        it for the expected square of a respondent's mean deviation from the tie means.
        With ``W`` a role's respondents x ties incidence and ``D`` the ties' counts, ``m =
        W D^-1 W'``; for the roles whose ties go first it is formed as such (``p^2 T``),
        for the others from the group sums of
        [`_Respondents`][relcoord.metrics.srm.criterion._Respondents] as ``sum((D^-1 G
        D^-1) * G~)`` with ``G = W'W`` and ``G~ = W' diag(1 / n_i^2) W`` (``T^2`` per
        group): no pass over the observations."""
        pk = self._packed
        width = pk.base.shape[1] - 1
        total = 0.0
        for chunk in pk.few:
            inverse_n = np.divide(1.0, chunk.tie_n, out=np.zeros_like(chunk.tie_n),
                                  where=chunk.tie_n > 0)
            m = np.matmul(chunk.counts * inverse_n[:, None, :],
                          chunk.counts.transpose(0, 2, 1))
            weight = np.divide(1.0, chunk.unit_n**2, out=np.zeros_like(chunk.unit_n),
                               where=chunk.unit_n > 0)
            total += float(np.einsum("cpq,cp->", m * m, weight))
        people = pk.respondents
        if len(people.blocks) and width:
            real = people.size > 0
            g = people.weighted_gram(real.astype(np.float64))[:, :width, :width]
            g_tilde = people.weighted_gram(np.divide(
                1.0, people.n**2, out=np.zeros_like(people.n), where=real))[:, :width, :width]
            tie_n = np.diagonal(self._grouped(pk.base), axis1=1, axis2=2)[:, :width]
            inverse_n = np.divide(1.0, tie_n, out=np.zeros_like(tie_n), where=tie_n > 0)
            total += float(np.einsum("bts,bt,bs->", g * g_tilde, inverse_n, inverse_n))
        return total

    def _grouped(self, values: Floats) -> Floats:
        """``values`` (one row per rater role) of the roles whose respondents go first."""
        pk = self._packed
        return values if pk.all_grouped else values[pk.respondents.blocks]

    @contextlib.contextmanager
    def sharing(self, theta: Floats) -> Iterator[None]:
        """Within the block, the evaluations whose ``theta_g`` and ``theta_p`` are
        ``theta``'s share one elimination of the rater roles' respondents and ties.

        That elimination (most of an evaluation at many roles) depends on ``theta_g`` and
        ``theta_p`` alone; the central differences along ``theta_a`` and ``theta_b``
        (four gradients of the Hessian, two values of the first step's curvatures) need
        it once instead of once each.  The first evaluation that matches computes it, the
        others (on any thread) wait for it; the numbers are those of separate
        eliminations, bit for bit.  While it is held, the role system works on a copy of
        the eliminated blocks instead of on them."""
        t = self._theta(theta)
        self._pin = _Pin(key=(float(t[2]), float(t[3])))
        try:
            yield
        finally:
            self._pin = None

    def _local(self, t_g: float, t_p: float) -> _Local:
        """The elimination of every rater role's respondents and ties at ``t_g`` and
        ``t_p``: the one shared by [`sharing`][relcoord.metrics.srm.criterion.Criterion.sharing]
        when it matches, else a new one."""
        pin = self._pin
        if pin is None or pin.key != (t_g, t_p):
            return self._eliminate(t_g, t_p)
        with pin.lock:
            if pin.local is None:
                pin.local = attrs.evolve(self._eliminate(t_g, t_p), owned=False)
            return pin.local

    def _eliminate(self, t_g: float, t_p: float) -> _Local:
        """Eliminate every rater role's respondents and ties (see
        [`_Local`][relcoord.metrics.srm.criterion._Local])."""
        pk = self._packed
        width = pk.base.shape[1] - 1
        base = self._grouped(pk.base)
        k_mat, s_vec = base, self._grouped(pk.sums)
        logdet, q = 0.0, 0.0
        d = None
        if t_p > 0:  # respondents: a diagonal block, eliminated directly (by group)
            people = pk.respondents
            d = people.inverse_d(t_p, 1)
            k_mat = people.weighted_gram(d)  # a new array: updated in place
            k_mat *= -t_p * t_p
            k_mat += base
            s_vec = s_vec - t_p * t_p * _weighted(d, people.cross)
            logdet += float((people.size * np.log(t_p * t_p * people.n + 1.0)).sum())
            q += t_p * t_p * float((people.y2 * d).sum())
        tie_factor = tie_half = None
        if t_g > 0 and width:  # ties: one dense block of each role's targets
            tie_factor, tie_half, k_mat, s_vec, tie_logdet = _eliminate_ties(
                k_mat, s_vec, t_g, width, copy=k_mat is pk.base)
            logdet += tie_logdet
            q += t_g * t_g * float(np.einsum("bt,bt->", tie_half[:, :, width + 1],
                                             tie_half[:, :, width + 1]))
        few: list[_FewReduced] = []
        if not pk.all_grouped:  # the roles whose ties go first
            k_all = np.empty_like(pk.base)
            s_all = np.empty_like(pk.sums)
            k_all[pk.respondents.blocks] = k_mat
            s_all[pk.respondents.blocks] = s_vec
            for chunk in pk.few:
                part, ld, qq = _eliminate_ties_first(chunk, t_g, t_p, k_all, s_all)
                logdet += ld
                q += qq
                few.append(part)
            k_mat, s_vec = k_all, s_all
        return _Local(logdet=logdet, q=q, k_mat=k_mat, s_vec=s_vec, tie_factor=tie_factor,
                      tie_half=tie_half, unit_d=d, few=tuple(few),
                      owned=k_mat is not pk.base)

    def _reduce(self, theta: Floats, *, inverse: bool) -> _Reduced:
        """Eliminate every rater role's respondents and ties, then factor what is left."""
        with self._count_lock:
            self.evaluations += 1
        t_a, t_b, t_g, t_p = (float(v) for v in theta)
        local = self._local(t_g, t_p)
        # the rater and target effects and mu: see relcoord.metrics.srm.role_system
        factor = self._system.factor_base(local.k_mat, local.s_vec, t_a, t_b,
                                          inverse=inverse, overwrite=local.owned)
        return _Reduced(logdet=local.logdet + factor.logdet, q=local.q + factor.q,
                        factor=factor, tie_factor=local.tie_factor,
                        tie_half=local.tie_half, unit_d=local.unit_d, few=local.few)

    @staticmethod
    def _coef(t_a: float, t_b: float, width: int) -> Floats:
        """The scale of each extended base coordinate: target effects, rater effect, mu."""
        return np.append(np.full(width, t_b), [t_a, 1.0])

    def _solve(self, theta: Floats, reduced: _Reduced, *, units: bool
               ) -> tuple[Solution, float]:
        """The solution at ``theta`` and the sum of squares of the respondents' BLUPs; the
        BLUPs themselves only with ``units`` (they take a pass over the observations; the
        sum of squares comes from the group sums)."""
        t_a, t_b, t_g, t_p = (float(v) for v in theta)
        pk = self._packed
        width = pk.base.shape[1] - 1
        s, t = self.n_sources, self.n_targets
        x = reduced.factor.solution
        u_a, u_b, mu = x[:s], x[s:s + t], float(x[s + t])
        # every block's base coordinates of the global unknowns (padding: 0)
        padded_b = np.append(t_b * u_b, 0.0)
        base = np.empty((s, width + 1))
        base[:, :width] = padded_b[np.minimum(pk.scatter[:, :width] - s, t)]
        base[:, width] = t_a * u_a + mu
        u_g = np.zeros((s, width))
        grouped_base = self._grouped(base)
        if reduced.tie_factor is not None and reduced.tie_half is not None:
            # u_g = t_g M^-1 (s - K base) = t_g L'^-1 (L^-1 s - L^-1 K base)
            half = reduced.tie_half
            v = half[:, :, width + 1] - np.einsum("bti,bi->bt", half[:, :, :width + 1],
                                                  grouped_base)
            u_g[pk.respondents.blocks] = t_g * np.matmul(
                reduced.tie_factor.transpose(0, 2, 1), v[:, :, None])[:, :, 0]
        unit_squares = 0.0
        for chunk, part in zip(pk.few, reduced.few, strict=True):
            fitted = base[chunk.blocks, :width] + base[chunk.blocks, width:]
            u_g[chunk.blocks], effects = _few_effects(chunk, part, fitted, t_g, t_p)
            unit_squares += float(np.einsum("cp,cp->", effects, effects))
        people = pk.respondents
        unit = np.zeros(len(people.unit_n) if units else 0)
        if t_p > 0:  # p = t_p^2 (y_r - fitted_r) / (t_p^2 n_r + 1), fitted_r = c_r' full
            full = base.copy()
            full[:, :width] += t_g * u_g
            inverse = people.inverse_d(t_p, 2)
            # sum over a group of (y_r - c_r' f)^2 = y2 - 2 f' cross + f' gram f
            grouped_full = self._grouped(full)
            residual2 = (people.y2 - 2.0 * np.einsum("bmi,bi->bm", people.cross,
                                                     grouped_full)
                         + _quadratic(people.gram, grouped_full))
            unit_squares += t_p**4 * float((residual2 * inverse).sum())
            if units:
                fitted_y = unit_products(people.counts, people.unit_block, full)
                fitted_y += people.unit_n * full[people.unit_block, width]
                unit = t_p * t_p * (people.unit_y - fitted_y) / (t_p * t_p * people.unit_n
                                                                 + 1.0)
        solution = Solution(
            criterion=self._profiled(reduced.logdet, self.yy - reduced.q),
            pwrss=self.yy - reduced.q,
            mu=mu + self.center,
            rater=t_a * u_a,
            target=t_b * u_b,
            tie=(t_g * u_g).ravel()[pk.tie_slot],
            unit=unit,
        )
        return solution, unit_squares

    def _traces(self, theta: Floats, reduced: _Reduced) -> Floats:
        """Per component, the trace of its diagonal block of ``C^-1``.

        With the local unknowns ``L`` (respondents and ties of each rater role), the global
        ones ``G`` and ``S`` the Schur complement of the local block ``A``:
        ``(C^-1)_GG = S^-1`` and ``(C^-1)_LL = A^-1 + X S^-1 X'`` with ``X = A^-1 C_LG``.
        Within a rater role ``A = [[D, B], [B', D_g]]`` (respondents, ties) with ``M`` the
        ties' matrix after the respondents are eliminated: ``(A^-1)_gg = M^-1``,
        ``(A^-1)_pp = D^-1 + D^-1 B M^-1 B' D^-1``, ``X_g = M^-1 t_g K~ P`` and ``X_p =
        D^-1 (C_pG - B X_g)``, ``P`` mapping a block's base coordinates to its global
        unknowns.  For the roles whose ties go first see
        [`_few_traces`][relcoord.metrics.srm.criterion._few_traces].
        """
        t_a, t_b, t_g, t_p = (float(v) for v in theta)
        pk = self._packed
        width = pk.base.shape[1] - 1
        factor = reduced.factor
        parts = factor.block_inverse
        assert parts is not None  # _reduce(inverse=True)
        out = np.zeros(len(COMPONENTS))
        out[0] = factor.trace_rater
        out[1] = factor.trace_target
        for chunk, part in zip(pk.few, reduced.few, strict=True):
            tie_few, unit_few = _few_traces(chunk, part, parts, t_a, t_b, t_g, t_p)
            out[2] += tie_few
            out[3] += unit_few
        block_inverse = parts.full(None if pk.all_grouped else pk.respondents.blocks)
        tie_real = self._grouped(pk.tie_real)
        coef = self._coef(t_a, t_b, width)
        n_blocks = len(block_inverse)
        people = pk.respondents
        gram = None
        r_base = np.zeros((width + 1, width + 2))
        if reduced.unit_d is not None:
            # X_p = D^-1 W+ R with W+ the counts and R = t_p P - t_p t_g [X_g; 0], so
            # X_p' X_p = R' (W+' D^-2 W+) R: one product over the respondents
            gram = people.weighted_gram(people.inverse_d(t_p, 2))
            r_base[pk.pick, np.arange(width + 2)] = t_p * coef
            out[3] += float((people.size * reduced.unit_d).sum())
        else:
            out[3] += float(people.size.sum())
        factor_l, half = reduced.tie_factor, reduced.tie_half
        if factor_l is None or half is None:
            out[2] += float(tie_real.sum())
            if gram is not None:
                out[3] += float((np.matmul(np.matmul(r_base.T, gram), r_base)
                                 * block_inverse).sum())
            return out
        tie_trace = unit_trace = 0.0
        for lo in range(0, n_blocks, _CHUNK):  # chunk by chunk, in cache
            hi = min(lo + _CHUNK, n_blocks)
            inverse_t = factor_l[lo:hi].transpose(0, 2, 1)  # L'^-1
            z = np.matmul(inverse_t, half[lo:hi, :, :width + 1])  # M^-1 K
            m_inverse = np.matmul(inverse_t, factor_l[lo:hi])  # M^-1
            x_g = t_g * z[:, :, pk.pick] * coef  # X_g = t_g M^-1 K P, scaled
            inv = block_inverse[lo:hi]
            m_diagonal = np.diagonal(m_inverse, axis1=1, axis2=2)
            # sum((X' Q X) * S^-1) = sum((Q X) * (X S^-1)) for symmetric S^-1: one
            # product X S^-1 serves the ties (Q = I) and the respondents (Q = G_tt)
            xs = np.matmul(x_g, inv)
            tie_trace += float((m_diagonal * tie_real[lo:hi]).sum())
            tie_trace += float((xs * x_g).sum())
            if gram is not None:
                g = gram[lo:hi]
                # R' G R with R = R0 - a [X_g; 0], a = t_p t_g, R0 = t_p P diag(coef):
                # R0' G R0 - a (C + C') + a^2 X_g' G_tt X_g with C = R0' G [X_g; 0]
                a = t_p * t_g
                gx = np.matmul(g[:, :, :width], x_g)  # G [X_g; 0]
                c_term = t_p * coef[None, :, None] * gx[:, pk.pick, :]
                unit_trace += float((t_p * t_p * np.outer(coef, coef)
                                     * g[:, pk.pick][:, :, pk.pick] * inv).sum())
                unit_trace -= 2.0 * a * float((c_term * inv).sum())
                unit_trace += a * a * float((gx[:, :width, :] * xs).sum())
                # tr(M^-1 G_tt)
                unit_trace += t_p * t_p * t_g * t_g * float(
                    np.einsum("bij,bij->", m_inverse, g[:, :width, :width]))
        out[2] += tie_trace
        out[3] += unit_trace
        return out


def _eliminate_ties_first(chunk: _FewRespondents, t_g: float, t_p: float, k_all: Floats,
                          s_all: Floats) -> tuple[_FewReduced, float, float]:
    """Eliminate the ties, then the respondents, of a chunk of rater roles: what is left
    on the base coordinates (cross-products and sums, written to the chunk's rows of
    ``k_all`` and ``s_all``), ``log det`` and ``h' A^-1 h`` of the local block ``A``.

    Within a role, with ``A`` the respondents' counts per tie slot (``p x T``), ``n_r`` and
    ``y_r`` their observations and sums, ``n_g`` and ``y_g`` the ties', the local block is
    ``[[t_p^2 diag(n_r) + I, t_p t_g A], [t_p t_g A', D_g]]`` with ``D_g = t_g^2 diag(n_g) +
    I``.  The ties' block is diagonal; its Schur complement is the respondents' matrix
    ``P = t_p^2 diag(n_r) + I - t_p^2 t_g^2 A D_g^-1 A' = L L'`` (Searle, Casella &
    McCulloch 1992, appendix M.5 for the inverse of a partitioned matrix), so
    ``log det = sum log d_g + log det P``.  A block's base columns are its tie columns
    summed (``E = G J`` with ``J = [I | 1]``: a target slot is a tie, the column of ones
    their sum), so what is left on them is ``J' K~ J`` and ``J' s~`` with ``K~ = diag(n_g
    / d_g) - Y_B' Y_B`` and ``s~ = y_g / d_g - Y_B' Y_h``, where ``[Y_B | Y_h] = L^-1 [B |
    h_p]``, ``B = t_p A D_g^-1`` and ``h_p = t_p (y_r - t_g^2 A D_g^-1 y_g)``; and ``h'
    A^-1 h = t_g^2 sum y_g^2 / d_g + |Y_h|^2``.
    """
    g2, p2 = t_g * t_g, t_p * t_p
    _, depth, width = chunk.counts.shape
    d_g = g2 * chunk.tie_n + 1.0
    scaled = chunk.counts / d_g[:, None, :]  # A D_g^-1
    p_mat = np.matmul(scaled, chunk.counts.transpose(0, 2, 1))
    p_mat *= -p2 * g2
    diagonal = np.arange(depth)
    p_mat[:, diagonal, diagonal] += p2 * chunk.unit_n + 1.0
    lower = np.linalg.cholesky(p_mat)
    lower_inverse = _lower_inverse(lower)
    h_p = t_p * (chunk.unit_y - g2 * np.matmul(scaled, chunk.tie_y[:, :, None])[:, :, 0])
    y_b = np.matmul(lower_inverse, scaled)  # contiguous: the next product runs faster
    y_b *= t_p
    y_h = np.matmul(lower_inverse, h_p[:, :, None])[:, :, 0]
    k_tilde = np.matmul(y_b.transpose(0, 2, 1), -y_b)
    slots = np.arange(width)
    k_tilde[:, slots, slots] += chunk.tie_n / d_g
    s_tilde = chunk.tie_y / d_g - np.matmul(y_h[:, None, :], y_b)[:, 0, :]
    # K~ 1 from the factors (p T, not a pass over K~)
    row = chunk.tie_n / d_g - np.matmul(y_b.sum(axis=2)[:, None, :], y_b)[:, 0, :]
    rows = chunk.blocks
    k_all[rows, :width, :width] = k_tilde
    k_all[rows, :width, width] = row
    k_all[rows, width, :width] = row
    k_all[rows, width, width] = row.sum(axis=1)
    s_all[rows, :width] = s_tilde
    s_all[rows, width] = s_tilde.sum(axis=1)
    logdet = (float(np.log(d_g).sum())
              + 2.0 * float(np.log(np.diagonal(lower, axis1=1, axis2=2)).sum()))
    q = g2 * float((chunk.tie_y * chunk.tie_y / d_g).sum()) + float((y_h * y_h).sum())
    part = _FewReduced(d_g=d_g, scaled=scaled, lower_inverse=lower_inverse, half=y_b)
    return part, logdet, q


def _few_effects(chunk: _FewRespondents, part: _FewReduced, fitted: Floats, t_g: float,
                 t_p: float) -> tuple[Floats, Floats]:
    """The ties' ``u_g`` and the respondents' BLUPs ``t_p u_p`` of a chunk of
    [`_eliminate_ties_first`][relcoord.metrics.srm.criterion._eliminate_ties_first], given
    the fitted value of each tie slot from the global unknowns (``t_b b_j + t_a a + mu``):
    the local unknowns solve ``A [u_p; u_g] = [r_p; r_g]`` with the residual sums ``r_p =
    t_p (y_r - A f)`` and ``r_g = t_g (y_g - n_g f)``, so ``u_p = P^-1 (r_p - t_p t_g A
    D_g^-1 r_g)`` and ``u_g = D_g^-1 (r_g - t_p t_g A' u_p)``."""
    r_g = t_g * (chunk.tie_y - chunk.tie_n * fitted)
    r_p = t_p * (chunk.unit_y - np.matmul(chunk.counts, fitted[:, :, None])[:, :, 0])
    rhs = r_p - t_p * t_g * np.matmul(part.scaled, r_g[:, :, None])[:, :, 0]
    half = np.matmul(part.lower_inverse, rhs[:, :, None])
    u_p = np.matmul(part.lower_inverse.transpose(0, 2, 1), half)[:, :, 0]
    u_g = (r_g - t_p * t_g * np.matmul(u_p[:, None, :], chunk.counts)[:, 0, :]) / part.d_g
    return u_g, t_p * u_p


def _few_traces(chunk: _FewRespondents, part: _FewReduced, block_inverse: BlockInverse,
                t_a: float, t_b: float, t_g: float, t_p: float) -> tuple[float, float]:
    """The ties' and the respondents' traces of ``C^-1`` over a chunk of
    [`_eliminate_ties_first`][relcoord.metrics.srm.criterion._eliminate_ties_first].

    ``(C^-1)_LL = A^-1 + X S^-1 X'`` (see
    [`Criterion._traces`][relcoord.metrics.srm.criterion.Criterion._traces]); the
    coupling of the local unknowns to the global ones is ``F J_e`` with ``F = [t_p A; t_g
    diag(n_g)]`` and ``J_e = [t_b I | t_a 1 | 1]`` (a tie slot's fitted value from the
    target effect, the rater effect and ``mu``), so ``X S^-1 X' = V Q V'`` with ``V = A^-1
    F`` and ``Q = J_e S^-1 J_e'``, a ``T x T`` matrix.  By the partitioned inverse:
    ``V_p = P^-1 B``, ``V_g = Delta - U V_p`` with ``Delta = t_g diag(n_g) D_g^-1`` and
    ``U' = t_g B``; ``(A^-1)_pp = P^-1`` and ``(A^-1)_gg = D_g^-1 + t_g^2 B' P^-1 B``.
    Then ``tr (C^-1)_pp = |L^-1|^2 + sum((V_p Q) * V_p)`` and ``tr (C^-1)_gg = sum 1 /
    d_g + t_g^2 |Y_B|^2 + sum Delta^2 diag Q - 2 t_g sum((B Delta) * (V_p Q)) + t_g^2
    sum((B B') * (V_p Q V_p'))``, each product ``p T^2`` or ``p^2 T``.  Padding (no
    observations) is taken off: a padded respondent adds 1 to ``|L^-1|^2`` and nothing
    else."""
    width = chunk.counts.shape[2]
    # Q = t_b^2 S_tt + t_b (v 1' + 1 v') + c 1 1', applied without forming it, with v =
    # t_a S_ta + S_tm and c = t_a^2 S_aa + 2 t_a S_am + S_mm
    kept = block_inverse.kept[chunk.blocks]  # (targets, mu)
    rater = block_inverse.rater[chunk.blocks]
    v = t_a * rater[:, :width] + kept[:, :width, width]
    corner = (t_a * t_a * block_inverse.rater_rater[chunk.blocks]
              + 2.0 * t_a * rater[:, width] + kept[:, width, width])
    y_b = part.half
    v_p = np.matmul(part.lower_inverse.transpose(0, 2, 1), y_b)  # P^-1 B
    vq = np.matmul(v_p, kept[:, :width, :width])
    vq *= t_b * t_b
    v_p1 = v_p.sum(axis=2)  # V_p 1
    v_pv = np.matmul(v_p, v[:, :, None])[:, :, 0]  # V_p v
    vq += (t_b * v_pv + corner[:, None] * v_p1)[:, :, None]
    vq += t_b * v_p1[:, :, None] * v[:, None, :]
    q_diagonal = (t_b * t_b * np.diagonal(kept[:, :width, :width], axis1=1, axis2=2)
                  + 2.0 * t_b * v + corner[:, None])
    padding = float(np.count_nonzero(chunk.units < 0))
    unit_trace = (float(np.einsum("cpt,cpt->", vq, v_p))
                  + float(np.einsum("cpq,cpq->", part.lower_inverse, part.lower_inverse))
                  - padding)
    b = t_p * part.scaled
    delta = t_g * chunk.tie_n / part.d_g
    tie_trace = (float((chunk.tie_real / part.d_g).sum())
                 + t_g * t_g * float(np.einsum("cpt,cpt->", y_b, y_b))
                 + float((delta * delta * q_diagonal).sum())
                 - 2.0 * t_g * float(np.einsum("cpt,cpt->", b * delta[:, None, :], vq))
                 + t_g * t_g * float(np.einsum(
                     "cpq,cpq->", np.matmul(b, b.transpose(0, 2, 1)),
                     np.matmul(vq, v_p.transpose(0, 2, 1)))))
    return tie_trace, unit_trace


def _lower_inverse(lower: Floats) -> Floats:
    """``L^-1`` of each lower triangular ``L`` of a batch, by LAPACK's triangular inverse
    (``dtrtri``, one call per matrix): about ``n^3 / 3`` operations each, where numpy's
    general inverse (an LU factorisation and ``n`` solves) takes about ``8 n^3 / 3``;
    measured 2-3x faster on batches of 64 matrices of 20-45 rows, Python loop included.
    The upper triangles are 0."""
    out = np.empty_like(lower)
    for i, matrix in enumerate(lower):
        # L' is upper triangular and, in Fortran order, the same memory as L: no copies
        inverse, info = dtrtri(matrix.T, lower=0)
        if info:
            raise np.linalg.LinAlgError(f"a triangular factor is singular (dtrtri {info})")
        out[i] = inverse.T
    return out


def _weighted(weights: Floats, values: Grams) -> Floats:
    """``sum over m of weights[b, m] values[b, m, ...]`` for every ``b``
    (``einsum("bm,bm...->b...")``): one batched BLAS product for all blocks when
    ``values`` are ``float64``, else one per chunk of
    [`_CAST_CHUNK`][relcoord.metrics.srm.criterion._CAST_CHUNK] blocks, made ``float64``
    a chunk at a time."""
    n_blocks, depth = weights.shape
    size = math.prod(values.shape[2:])
    flat = values.reshape(n_blocks, depth, size)
    if values.dtype == np.float64:
        return np.asarray(np.matmul(weights[:, None, :], flat).reshape(
            (n_blocks, *values.shape[2:])), dtype=np.float64)
    out = np.empty((n_blocks, size))
    for lo in range(0, n_blocks, _CAST_CHUNK):
        hi = lo + _CAST_CHUNK
        out[lo:hi] = np.matmul(weights[lo:hi, None, :],
                               flat[lo:hi].astype(np.float64))[:, 0, :]
    return out.reshape((n_blocks, *values.shape[2:]))


def _quadratic(gram: Grams, vectors: Floats) -> Floats:
    """``vectors[b]' G vectors[b]`` for every block ``b`` and group ``m``, ``G`` the
    symmetric matrix of the upper triangle ``gram[b, m]`` (a block at a time): with ``v_i
    v_j`` doubled off the diagonal, a product with the triangle itself."""
    width = len(vectors[0]) if len(vectors) else 0
    upper = np.triu_indices(width)
    twice = np.where(upper[0] == upper[1], 1.0, 2.0)
    products = vectors[:, upper[0]] * vectors[:, upper[1]] * twice  # (B, packed)
    out = np.empty(gram.shape[:2])
    for lo in range(0, len(gram), _CAST_CHUNK):
        hi = lo + _CAST_CHUNK
        out[lo:hi] = np.matmul(gram[lo:hi].astype(np.float64, copy=False),
                               products[lo:hi, :, None])[:, :, 0]
    return out


def _symmetric(packed: Floats) -> Floats:
    """The symmetric matrices ``(B, w, w)`` of upper triangles ``(B, w (w + 1) / 2)``
    (``np.triu_indices`` order)."""
    width = int((math.isqrt(8 * packed.shape[-1] + 1) - 1) // 2)
    rows, columns = np.triu_indices(width)
    out = np.empty((*packed.shape[:-1], width, width))
    out[..., rows, columns] = packed
    out[..., columns, rows] = packed
    return out


def _eliminate_ties(k_mat: Floats, s_vec: Floats, t_g: float, width: int, *, copy: bool
                    ) -> tuple[Floats, Floats, Floats, Floats, float]:
    """Eliminate every block's ties: with ``M = t_g^2 K_tt + I = L L'`` (``K_tt`` the
    ties' block of the base cross-products ``K``, after the respondents) and ``Y = L^-1
    [K_t | s_t]``, the base cross-products become ``K - t_g^2 Y_K' Y_K`` and the sums ``s
    - t_g^2 Y_K' Y_s``.  Returns ``L^-1``, ``Y``, the new cross-products and sums and
    ``log det M``.  Batched over chunks of
    [`_CHUNK`][relcoord.metrics.srm.criterion._CHUNK] blocks (numpy's Cholesky and
    inverse, one LAPACK call per block inside numpy, products by BLAS), so that a chunk
    stays in cache and no Python runs per block.  ``k_mat`` is updated in place unless
    ``copy`` (the packed base itself)."""
    n_blocks = len(k_mat)
    factor_inverse = np.empty((n_blocks, width, width))
    half = np.empty((n_blocks, width, width + 2))
    k_out = np.array(k_mat, dtype=np.float64) if copy else k_mat
    s_out = np.array(s_vec, dtype=np.float64)
    g2 = t_g * t_g
    slots = np.arange(width)
    logdet = 0.0
    for lo in range(0, n_blocks, _CHUNK):
        hi = min(lo + _CHUNK, n_blocks)
        k = k_out[lo:hi]
        m = g2 * k[:, :width, :width]
        m[:, slots, slots] += 1.0
        try:
            lower = np.linalg.cholesky(m)
        except np.linalg.LinAlgError as error:
            raise np.linalg.LinAlgError(
                f"the ties' matrix of a block in {lo}..{hi - 1} is not positive definite"
            ) from error
        logdet += 2.0 * float(np.log(np.diagonal(lower, axis1=1, axis2=2)).sum())
        inverse = _lower_inverse(np.asarray(lower, dtype=np.float64))
        factor_inverse[lo:hi] = inverse
        half[lo:hi, :, :width + 1] = np.matmul(inverse, k[:, :width, :])
        half[lo:hi, :, width + 1] = np.matmul(inverse, s_out[lo:hi, :width, None])[:, :, 0]
        y_k = half[lo:hi, :, :width + 1]
        k -= g2 * np.matmul(y_k.transpose(0, 2, 1), y_k)
        s_out[lo:hi] -= g2 * np.matmul(half[lo:hi, :, width + 1][:, None, :], y_k)[:, 0, :]
    return factor_inverse, half, k_out, s_out, logdet
