"""REML variance components of the cross-classified SRM, as lme4 computes them.

The model (one observation per respondent-tie, see :mod:`relcoord.metrics.srm.design`)::

    y = mu + a[rater role] + b[target role] + g[tie] + p[respondent] + e

with independent normal effects of variances ``s2_a, s2_b, s2_g, s2_p`` and residual
``s2_e``.  In matrix form ``y = X mu + Z u* + e`` with ``X`` a column of ones; with the
relative standard deviations ``theta_c = sqrt(s2_c / s2_e)`` on the diagonal of ``Lambda``
the random effects are ``u* = Lambda u``, ``u ~ N(0, s2_e I)`` (Bates, Maechler, Bolker &
Walker 2015, section 3).  The REML criterion profiled over ``s2_e`` is

    -2 l_R(theta) = log det C(theta) + (N - 1) (1 + log(2 pi r2(theta) / (N - 1)))

where ``C = [[Lambda' Z'Z Lambda + I, Lambda' Z'X], [X'Z Lambda, X'X]]`` is the matrix of
Henderson's mixed-model equations (its log determinant is ``log det(V / s2_e) +
log det(X' (V / s2_e)^-1 X)``, the two determinants of the REML likelihood, Searle, Casella
& McCulloch 1992, chapter 6), ``r2 = y'y - h' C^-1 h`` with ``h = [Lambda' Z'y; X'y]`` the
penalized residual sum of squares, and ``s2_e = r2 / (N - 1)`` at the optimum.  This is
lme4's ``REMLcrit``; the solution of ``C [u; mu] = h`` gives the BLUPs ``Lambda u`` (the
conditional modes, ``ranef()``) and the GLS estimate of ``mu``.

``C`` is sparse in a way that makes it cheap: a respondent and a tie belong to one rater
role, so after ordering the unknowns as (per rater role: its respondents, its ties), then
(rater-role effects, target-role effects, ``mu``), the first part is block diagonal.  Each
rater role's block is eliminated in turn, first its respondents (a diagonal matrix), then
its ties (one dense Cholesky factor of the size of its targets), leaving a dense system of
``n_sources + n_targets + 1`` unknowns: the cost of one evaluation is about
``sum over rater roles of (respondents x targets^2 + targets^3)``.

``theta`` is found by minimising the criterion over ``gamma = theta^2 >= 0`` (the ratios
``s2_c / s2_e``; a component on the boundary ``gamma = 0`` is an active bound) with
L-BFGS-B (Byrd, Lu, Nocedal & Zhu 1995) and then polished by Newton steps on a
central-difference Hessian, so that it agrees with lme4's bobyqa optimum to its precision.
The standard errors of the variances come from the observed information: the
central-difference Hessian ``H`` of the unprofiled criterion ``-2 l_R(s2_a, ..., s2_e)`` at
the optimum, covariance ``2 H^-1`` (Searle et al. 1992, chapter 6); components estimated
at 0 lie on the boundary of the parameter space, where that approximation does not hold, so
they get no standard error and are held at 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.srm.design import SRMDesign

__all__ = ["COMPONENTS", "Criterion", "RemlFit", "fit_reml"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

#: The random factors in the order of ``theta``: rater role, target role, tie, respondent.
COMPONENTS: Final = ("rater", "target", "relationship", "respondent")

#: The largest ratio ``s2_c / s2_e`` searched: a component this far above the residual
#: means that the residual variance is (nearly) 0 and the fit is not trusted.
_GAMMA_MAX: Final = 1e8
#: Newton polishing stops after a step that changes no ``gamma`` by more than this
#: (relative), so the last step is of the order of its square.
_STEP_TOL: Final = 1e-7
#: Relative step of the central differences of the Newton polish.
_DIFF_STEP: Final = 1e-4


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
class _Packed:
    """The design as one padded array per quantity, rater role by rater role.

    Block ``b`` is rater role ``b``; its ties take the slots ``0..`` of the tie axis (``T``
    wide), its respondents those of the unit axis (``U`` wide).  Padding has zero counts,
    so it adds nothing (a padded unknown gets the equation ``u = 0``).  The "base"
    coordinates of a block are one column per tie slot and one column of ones.
    """

    base: Floats  # (B, T+1, T+1): cross-products of the base columns
    sums: Floats  # (B, T+1): base columns times y
    counts: Floats  # (B, U, T+1): respondent x tie counts, last column the respondent's n
    unit_n: Floats  # (B, U)
    unit_y: Floats  # (B, U)
    flat: Ints  # (B, T+2, T+2): positions in the global matrix (with a trash slot)
    scatter: Ints  # (B, T+2): global unknown of each extended base coordinate
    tie_slot: Ints  # (G,) block * T + slot of every tie
    unit_slot: Ints  # (n_units,) block * U + slot of every respondent
    size: int  # global unknowns: raters, targets, mu (without the trash slot)


def _pack(design: SRMDesign, y: Floats) -> _Packed:
    """The padded arrays of ``design`` with the observations ``y``."""
    n_blocks, n_targets = len(design.sources), len(design.targets)
    tie_block = np.searchsorted(design.sources, design.tie_pairs[:, 0])
    tie_target = np.searchsorted(design.targets, design.tie_pairs[:, 1])
    first = np.searchsorted(tie_block, np.arange(n_blocks))
    tie_local = np.arange(len(tie_block)) - first[tie_block]
    width = int(np.bincount(tie_block, minlength=1).max()) if len(tie_block) else 0
    unit_block = np.zeros(design.n_units, dtype=np.int64)
    unit_block[design.unit] = design.source
    order = np.lexsort((np.arange(design.n_units), unit_block))
    unit_local = np.empty(design.n_units, dtype=np.int64)
    starts = np.searchsorted(unit_block[order], np.arange(n_blocks))
    unit_local[order] = np.arange(design.n_units) - starts[unit_block[order]]
    depth = int(unit_local.max()) + 1 if design.n_units else 0
    t1 = width + 1
    block, slot, unit = design.source, tie_local[design.tie], unit_local[design.unit]
    n_tie = np.bincount(block * t1 + slot, minlength=n_blocks * t1).reshape(n_blocks, t1)
    y_tie = _sums(block * t1 + slot, y, n_blocks * t1)
    base = np.zeros((n_blocks, t1, t1))
    idx = np.arange(width)
    base[:, idx, idx] = n_tie[:, :width]
    base[:, idx, width] = n_tie[:, :width]
    base[:, width, idx] = n_tie[:, :width]
    base[:, width, width] = np.bincount(block, minlength=n_blocks)
    sums = y_tie.reshape(n_blocks, t1)
    sums[:, width] = _sums(block, y, n_blocks)
    cell = block * depth + unit
    counts = np.bincount(cell * t1 + slot, minlength=n_blocks * depth * t1).astype(np.float64)
    counts = counts.reshape(n_blocks, depth, t1)
    unit_n = np.bincount(cell, minlength=n_blocks * depth).astype(np.float64)
    counts[:, :, width] = unit_n.reshape(n_blocks, depth)
    unit_y = _sums(cell, y, n_blocks * depth)
    size = n_blocks + n_targets + 1
    scatter = np.full((n_blocks, width + 2), size, dtype=np.int64)  # size: the trash slot
    scatter[tie_block, tie_local] = n_blocks + tie_target
    scatter[:, width] = np.arange(n_blocks)
    scatter[:, width + 1] = size - 1
    return _Packed(
        base=base, sums=sums, counts=counts, unit_n=unit_n.reshape(n_blocks, depth),
        unit_y=unit_y.reshape(n_blocks, depth),
        flat=scatter[:, :, None] * (size + 1) + scatter[:, None, :], scatter=scatter,
        tie_slot=tie_block * width + tie_local, unit_slot=unit_block * depth + unit_local,
        size=size,
    )


def _sums(codes: Ints, weights: Floats, size: int) -> Floats:
    """``np.bincount`` of ``weights`` as floats."""
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)


@attrs.frozen(eq=False)
class _Reduced:
    """What the elimination leaves: ``log det C``, ``h' C^-1 h``, the factor of the global
    system with its right-hand side, and per block ``M^-1 [K | s]`` of the ties."""

    logdet: float
    q: float
    glob_l: Floats
    rhs: Floats
    tie_solve: Floats | None


class Criterion:
    """The REML criterion of a design, evaluated at any ``theta`` (see the module docstring).

    ``fitted`` says which of :data:`COMPONENTS` are in the model; the others have
    ``theta = 0`` (no effect), whatever is passed.  The blocks of all rater roles are
    eliminated together, as batched numpy operations on arrays padded to the largest block.
    """

    def __init__(self, design: SRMDesign, fitted: Sequence[bool]) -> None:
        self.n = design.n
        self.n_sources = len(design.sources)
        self.n_targets = len(design.targets)
        self.fitted = np.asarray(fitted, dtype=bool)
        self.center = float(design.y.mean()) if self.n else 0.0
        centred = design.y - self.center  # REML is invariant to the shift; less cancellation
        self._packed = _pack(design, centred)
        self.yy = float(centred @ centred)

    def theta(self, gamma: Sequence[float] | Floats) -> Floats:
        """``theta`` of the ratios ``gamma`` (negative values are read as 0)."""
        value = np.sqrt(np.maximum(np.asarray(gamma, dtype=np.float64), 0.0))
        return np.asarray(np.where(self.fitted, value, 0.0), dtype=np.float64)

    def __call__(self, theta: Floats) -> float:
        """``-2 l_R`` profiled over the residual variance."""
        reduced = self._reduce(theta)
        return self._profiled(reduced.logdet, self.yy - reduced.q)

    def unprofiled(self, theta: Floats, s2_e: float) -> float:
        """``-2 l_R`` at ``theta`` and residual variance ``s2_e`` (not profiled)."""
        reduced = self._reduce(theta)
        df = self.n - 1
        return (reduced.logdet + df * math.log(2 * math.pi * s2_e)
                + (self.yy - reduced.q) / s2_e)

    def _profiled(self, logdet: float, pwrss: float) -> float:
        df = self.n - 1
        if pwrss <= 0:
            return math.inf
        return logdet + df * (1 + math.log(2 * math.pi * pwrss / df))

    def _reduce(self, theta: Floats) -> _Reduced:
        """Eliminate every rater role's respondents and ties, then factor what is left."""
        t_a, t_b, t_g, t_p = (float(v) for v in theta)
        pk = self._packed
        width = pk.base.shape[1] - 1
        k_mat, s_vec = pk.base, pk.sums
        logdet, q = 0.0, 0.0
        if t_p > 0:  # respondents: a diagonal block, eliminated directly
            d = t_p * t_p * pk.unit_n + 1.0
            weighted = pk.counts / d[:, :, None]
            k_mat = k_mat - t_p * t_p * np.matmul(pk.counts.transpose(0, 2, 1), weighted)
            s_vec = s_vec - t_p * t_p * np.einsum("but,bu->bt", weighted, pk.unit_y)
            logdet += float(np.log(d).sum())
            q += t_p * t_p * float((pk.unit_y * pk.unit_y / d).sum())
        tie_solve = None
        if t_g > 0 and width:  # ties: one dense block of each role's targets
            m_mat = t_g * t_g * k_mat[:, :width, :width] + np.eye(width)
            chol = np.linalg.cholesky(m_mat)
            logdet += 2.0 * float(np.log(np.diagonal(chol, axis1=1, axis2=2)).sum())
            right = np.concatenate([k_mat[:, :width, :], s_vec[:, :width, None]], axis=2)
            tie_solve = np.linalg.solve(m_mat, right)
            cross = k_mat[:, :width, :].transpose(0, 2, 1)
            q += t_g * t_g * float(np.einsum("bt,bt->", s_vec[:, :width],
                                             tie_solve[:, :, width + 1]))
            k_mat = k_mat - t_g * t_g * np.matmul(cross, tie_solve[:, :, :width + 1])
            s_vec = s_vec - t_g * t_g * np.einsum("bit,bt->bi", cross,
                                                  tie_solve[:, :, width + 1])
        # scatter into (rater effects, target effects, mu), then factor the dense system
        pick = np.append(np.arange(width + 1), width)
        coef = np.append(np.full(width, t_b), [t_a, 1.0])
        extended = k_mat[:, pick][:, :, pick] * np.outer(coef, coef)
        size = pk.size + 1
        glob = _sums(pk.flat.ravel(), extended.ravel(), size * size)
        glob = glob.reshape(size, size)[:-1, :-1]
        rhs = _sums(pk.scatter.ravel(), (s_vec[:, pick] * coef).ravel(), size)[:-1]
        effects = self.n_sources + self.n_targets
        glob[np.arange(effects), np.arange(effects)] += 1.0
        glob_l = np.asarray(np.linalg.cholesky(glob), dtype=np.float64)
        logdet += 2.0 * float(np.log(np.diagonal(glob_l)).sum())
        z = np.linalg.solve(glob_l, rhs)
        q += float(z @ z)
        return _Reduced(logdet=logdet, q=q, glob_l=glob_l, rhs=rhs, tie_solve=tie_solve)

    def solve(self, theta: Floats) -> Solution:
        """The criterion and the solution of the mixed-model equations at ``theta``."""
        reduced = self._reduce(theta)
        t_a, t_b, t_g, t_p = (float(v) for v in theta)
        pk = self._packed
        width = pk.base.shape[1] - 1
        s, t = self.n_sources, self.n_targets
        x = np.linalg.solve(reduced.glob_l.T, np.linalg.solve(reduced.glob_l, reduced.rhs))
        u_a, u_b, mu = x[:s], x[s:s + t], float(x[s + t])
        # every block's base coordinates of the global unknowns (padding: 0)
        padded_b = np.append(t_b * u_b, 0.0)
        base = np.empty((s, width + 1))
        base[:, :width] = padded_b[np.minimum(pk.scatter[:, :width] - s, t)]
        base[:, width] = t_a * u_a + mu
        u_g = np.zeros((s, width))
        if reduced.tie_solve is not None:  # u_g = t_g M^-1 (s - K base)
            u_g = t_g * (reduced.tie_solve[:, :, width + 1]
                         - np.einsum("bti,bi->bt", reduced.tie_solve[:, :, :width + 1], base))
        unit = np.zeros(pk.unit_n.size)
        if t_p > 0:  # p = t_p^2 (y_r - fitted_r) / (t_p^2 n_r + 1)
            full = base.copy()
            full[:, :width] += t_g * u_g
            d = t_p * t_p * pk.unit_n + 1.0
            fitted = np.einsum("but,bt->bu", pk.counts, full)
            unit = (t_p * t_p * (pk.unit_y - fitted) / d).ravel()
        return Solution(
            criterion=self._profiled(reduced.logdet, self.yy - reduced.q),
            pwrss=self.yy - reduced.q,
            mu=mu + self.center,
            rater=t_a * u_a,
            target=t_b * u_b,
            tie=(t_g * u_g).ravel()[pk.tie_slot],
            unit=unit[pk.unit_slot],
        )


@attrs.frozen(eq=False)
class RemlFit:
    """The REML estimate of a design's variance components and effects.

    Arrays over :data:`COMPONENTS`: ``fitted`` (in the model), ``gamma`` (``s2_c / s2_e``)
    and ``variances``; ``residual`` is ``s2_e``.  ``covariance`` is the ``5 x 5``
    covariance of (``variances``, ``residual``) from the observed information, NaN in the
    rows and columns of components that are not fitted or lie on the boundary (0).
    ``solution`` holds the BLUPs; ``converged`` says that the optimum passed the checks
    (a minimum with every boundary component's derivative pointing into the boundary).
    """

    fitted: tuple[bool, ...]
    gamma: Floats
    variances: Floats
    residual: float
    covariance: Floats
    solution: Solution
    criterion: float
    converged: bool
    evaluations: int


def fit_reml(design: SRMDesign, fitted: Sequence[bool]) -> RemlFit:
    """Minimise the REML criterion of ``design`` with the components ``fitted`` (see the
    module docstring); needs at least two observations with some variance."""
    criterion = Criterion(design, fitted)
    free = np.flatnonzero(criterion.fitted)
    calls = [0]

    def objective(values: Floats) -> float:
        calls[0] += 1
        gamma = np.zeros(len(COMPONENTS))
        gamma[free] = values
        return criterion(criterion.theta(gamma))

    converged = True
    values = np.ones(len(free))
    if len(free):
        from scipy import optimize  # imported here: it takes half a second to import

        result = optimize.minimize(
            objective, values, method="L-BFGS-B", jac="2-point",
            bounds=[(0.0, _GAMMA_MAX)] * len(free),
            options={"ftol": 1e-12, "gtol": 1e-8, "maxiter": 1000},
        )
        values, converged = _polish(objective, np.clip(result.x, 0.0, _GAMMA_MAX))
        converged = converged and bool(np.all(values < _GAMMA_MAX))
    gamma = np.zeros(len(COMPONENTS))
    gamma[free] = values
    solution = criterion.solve(criterion.theta(gamma))
    residual = solution.pwrss / (design.n - 1)
    return RemlFit(
        fitted=tuple(bool(v) for v in criterion.fitted),
        gamma=gamma,
        variances=gamma * residual,
        residual=residual,
        covariance=_covariance(criterion, gamma * residual, residual),
        solution=solution,
        criterion=solution.criterion,
        converged=converged,
        evaluations=calls[0],
    )


def _polish(objective: Any, start: Floats) -> tuple[Floats, bool]:
    """Newton steps on central differences from ``start``, components at 0 held there while
    the criterion rises into the parameter space; returns the optimum and whether it
    passed (a positive definite Hessian on the free components, a small last step, no
    boundary component that should be released)."""
    x = start.copy()
    fx = objective(x)
    for _ in range(50):
        # a component ending just above 0 when 0 is at least as good is on the boundary
        for c in np.flatnonzero((x > 0) & (x < 1e-6)):
            trial = x.copy()
            trial[c] = 0.0
            f_trial = objective(trial)
            if f_trial <= fx + 1e-12 * max(1.0, abs(fx)):
                x, fx = trial, f_trial
        free = np.flatnonzero(x > 0)
        step_ok = True
        if len(free):
            grad, hess = _derivatives(objective, x, fx, free)
            if not np.all(np.linalg.eigvalsh(hess) > 0):
                return x, False
            step = np.asarray(-np.linalg.solve(hess, grad), dtype=np.float64)
            x, fx, step_ok = _line_search(objective, x, fx, free, step)
            if not step_ok:
                return x, False
            if np.max(np.abs(step) / np.maximum(x[free], 1e-3)) > _STEP_TOL:
                continue  # Newton converges quadratically: one more step after a small one
        released = False
        for c in np.flatnonzero(x <= 0):  # should a boundary component leave 0?
            h = 1e-6
            trial = x.copy()
            trial[c] = h
            if objective(trial) < fx - 1e-10 * max(1.0, abs(fx)):
                x = trial
                fx = objective(x)
                released = True
        if not released:
            return x, True
    return x, False


def _line_search(objective: Any, x: Floats, fx: float, free: Any, step: Floats
                 ) -> tuple[Floats, float, bool]:
    """The Newton step, halved until the criterion does not rise (beyond its rounding);
    a component the step would make negative is put on the boundary."""
    tolerance = 1e-12 * max(1.0, abs(fx))
    scale = 1.0
    for _ in range(30):
        trial = x.copy()
        trial[free] = np.clip(x[free] + scale * step, 0.0, _GAMMA_MAX)
        f_trial = objective(trial)
        if f_trial <= fx + tolerance:
            return trial, min(fx, f_trial), True
        scale /= 2
    return x, fx, False


def _derivatives(objective: Any, x: Floats, fx: float, free: Any) -> tuple[Floats, Floats]:
    """Central-difference gradient and Hessian of ``objective`` at ``x`` over ``free``."""
    h = np.minimum(2 * _DIFF_STEP * np.maximum(x[free], 1e-3), x[free] / 2)
    n = len(free)
    plus, minus = np.empty(n), np.empty(n)
    for i, c in enumerate(free):
        for sign, out in ((1.0, plus), (-1.0, minus)):
            trial = x.copy()
            trial[c] += sign * h[i]
            out[i] = objective(trial)
    grad = (plus - minus) / (2 * h)
    hess = np.diag((plus - 2 * fx + minus) / (h * h))
    for i in range(n):
        for j in range(i + 1, n):
            corners = []
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                trial = x.copy()
                trial[free[i]] += si * h[i]
                trial[free[j]] += sj * h[j]
                corners.append(objective(trial))
            value = (corners[0] - corners[1] - corners[2] + corners[3]) / (4 * h[i] * h[j])
            hess[i, j] = hess[j, i] = value
    return grad, hess


def _covariance(criterion: Criterion, variances: Floats, residual: float) -> Floats:
    """Covariance of (variances, residual) from the Hessian of the unprofiled ``-2 l_R``
    in the variances (observed information: covariance ``2 H^-1``); NaN where a component
    is not fitted, on the boundary, or the Hessian is not positive definite."""
    size = len(COMPONENTS) + 1
    out = np.full((size, size), np.nan)
    point = np.append(variances, residual)
    inside = np.append(criterion.fitted & (variances > 0), True)
    index = np.flatnonzero(inside)
    if residual <= 0:
        return out

    def value(v: Floats) -> float:
        full = point.copy()
        full[index] = v
        theta = np.sqrt(np.maximum(full[:-1], 0.0) / full[-1])
        return criterion.unprofiled(np.where(criterion.fitted, theta, 0.0), float(full[-1]))

    x = point[index]
    h = _DIFF_STEP * x
    n = len(index)
    f0 = value(x)
    hess = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            if i == j:
                up, down = x.copy(), x.copy()
                up[i] += h[i]
                down[i] -= h[i]
                hess[i, i] = (value(up) - 2 * f0 + value(down)) / (h[i] * h[i])
                continue
            corners = []
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                trial = x.copy()
                trial[i] += si * h[i]
                trial[j] += sj * h[j]
                corners.append(value(trial))
            hess[i, j] = hess[j, i] = (
                corners[0] - corners[1] - corners[2] + corners[3]) / (4 * h[i] * h[j])
    if not np.all(np.linalg.eigvalsh(hess) > 0):
        return out
    out[np.ix_(index, index)] = 2.0 * np.linalg.inv(hess)
    return out
