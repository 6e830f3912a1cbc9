"""Fitting the SRM by REML: the optimum of the criterion, and the variances' uncertainty.

The criterion, its gradient and the BLUPs are in
`relcoord.metrics.srm.criterion`.
[`fit_reml`][relcoord.metrics.srm.reml.fit_reml] minimises ``-2 l_R(theta)`` over the relative
standard deviations ``theta_c = sqrt(s2_c / s2_e)`` of the components in the model:

0. the start: moment estimates of the variances
   ([`_moment_start`][relcoord.metrics.srm.reml._moment_start]), where lme4 starts from
   ``theta = 1``; the optimum is the same, reached in about half the evaluations (at
   2,000 roles the start is within 2 % of it);
1. quasi-Newton (BFGS; Nocedal & Wright 2006, chapter 6) steps on the closed-form
   gradient, from a diagonal first Hessian (the second difference of the criterion along
   each ``theta_c``, one value each), each step
   halved until it lowers the criterion enough (Armijo's rule; the full step is evaluated
   with its gradient, since it is usually taken), until a step moves no ``theta_c`` by
   more than [`_STEP_TOL`][relcoord.metrics.srm.reml._STEP_TOL] (relative);
2. the Hessian there, from central differences of the gradient: while the Newton step
   would move some ``theta_c`` by more than [`_NEWTON_TOL`][relcoord.metrics.srm.reml._NEWTON_TOL],
   Newton steps follow, each on a fresh Hessian.  A Hessian that is not positive definite has its
   eigenvalues replaced by their absolute values (bounded away from 0), so every step goes downhill.

The ``2 n`` gradients of a Hessian and the ``n`` values of the first step's curvatures are
independent of each other; they run concurrently, one thread per processor up to two
([`_concurrently`][relcoord.metrics.srm.reml._concurrently]), with the same results as one
after the other.  Those along ``theta_a`` and ``theta_b`` come first and share one
elimination of the rater roles' respondents and ties, which does not depend on them
([`Criterion.sharing`][relcoord.metrics.srm.criterion.Criterion.sharing]; bit for bit the
numbers of separate eliminations).

The criterion is even in every ``theta_c``, so no bound is needed: ``theta_c = 0`` is a
stationary point in that direction, a minimum exactly when the variance belongs on the
boundary, and the steps reach it like any other minimum (a value that is practically 0 is
then set to exactly 0; the Hessian of the others is kept, since it is even in that
``theta_c`` and so changes by ``O(theta_c^2)``).  The fit has *converged* when the
Hessian at the end is positive definite on the components not at 0 and no ratio ``s2_c /
s2_e`` reached
[`_GAMMA_MAX`][relcoord.metrics.srm.reml._GAMMA_MAX] (which happens when the factors leave the
residual nothing).

The standard errors of the variances come from the observed information (Searle, Casella
& McCulloch 1992, chapter 6): the Hessian ``H`` of the unprofiled criterion ``-2 l_R`` in
``(theta, s2_e)`` at the optimum, covariance ``2 H^-1``, carried to the variances
``s2_c = theta_c^2 s2_e`` by their Jacobian.  ``H`` needs no more evaluations: its
``theta`` block is the profiled Hessian of step 2 plus ``h h' / f_ss``, with ``h = d^2 /
d theta d s2_e = -(d r2 / d theta) / s2_e^2`` (``d r2 / d theta_c = -2 |u_c|^2 /
theta_c``) and ``f_ss = (N - 1) / s2_e^2``.  Components estimated at 0 lie on the boundary
of the parameter space, where this approximation does not hold: they get no standard
error.

Sources:
    Nocedal, J. & Wright, S.J. (2006). *Numerical Optimization* (2nd ed.). Springer.
    Searle, S.R., Casella, G. & McCulloch, C.E. (1992). *Variance Components*. Wiley.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from typing import Final, Literal, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.srm.criterion import COMPONENTS, Criterion, Solution
from relcoord.metrics.srm.design import SRMDesign

__all__ = ["COMPONENTS", "RemlFit", "fit_reml"]

Floats = npt.NDArray[np.float64]
Gradient = Callable[[Floats], tuple[float, Floats]]
Sharing = Callable[[Floats], AbstractContextManager[None]]
_T = TypeVar("_T")

#: The largest ratio ``s2_c / s2_e`` searched: a component this far above the residual
#: means that the residual variance is (nearly) 0, and the fit is not trusted.
_GAMMA_MAX: Final = 1e8
#: Quasi-Newton steps stop after one that moves no ``theta`` by more than this (relative).
_STEP_TOL: Final = 1e-8
#: The optimum is taken when the Newton step from it would move no ``theta`` by more than
#: this (relative); else Newton steps follow until it holds.
_NEWTON_TOL: Final = 1e-7
#: A ``theta`` below this counts as this large when a step's move is judged: an error of
#: ``1e-7 * _SMALL`` in ``theta`` is one of ``1e-10`` in ``gamma``.
_SMALL: Final = 0.1
#: Below this, a ``theta`` at the optimum is set to 0 (if that does not raise the
#: criterion beyond its rounding).
_ZERO: Final = 1e-5
#: Relative step of the second differences that scale the first step.
_START_STEP: Final = 1e-3
#: Relative step of the central differences of the gradient.
_DIFF_STEP: Final = 1e-5
#: The smallest starting variance of a component, as a share of the residual's: a start
#: at 0 would stay there (the gradient of an even function is 0 at 0).
_FLOOR: Final = 1e-4
#: The largest starting ``theta`` (a variance ratio of 1e4).
_START_MAX: Final = 100.0
#: Steps at most (each phase).
_MAX_ITERATIONS: Final = 200
#: Evaluations run at once by the central differences: each holds its own arrays (at
#: 2,000 roles about 300 MiB), and the GIL held between numpy's calls limits the gain of
#: more threads (measured on 2 cores: up to 1.8x for two).
_MAX_THREADS: Final = 2


@attrs.frozen(eq=False)
class RemlFit:
    """The REML estimate of a design's variance components and effects.

    Arrays over [`COMPONENTS`][relcoord.metrics.srm.criterion.COMPONENTS]: ``fitted`` (in the
    model), ``gamma`` (``s2_c / s2_e``) and ``variances``; ``residual`` is ``s2_e``.  ``covariance``
    is the ``5 x 5`` covariance of (``variances``, ``residual``) from the observed information, NaN
    in the rows and columns of components that are not fitted or lie on the boundary (0), and
    everywhere when the information is not positive definite.  ``solution`` holds the
    BLUPs; ``converged`` and ``evaluations`` (of the criterion) describe the optimisation.
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


def fit_reml(design: SRMDesign, fitted: Sequence[bool], *,
             solver: Literal["auto", "banded", "dense"] = "auto") -> RemlFit:
    """Minimise the REML criterion of ``design`` with the components ``fitted`` (see the
    module docstring); needs at least two observations with some variance.

    ``solver`` factors the system of the role effects
    ([`relcoord.metrics.srm.role_system`][relcoord.metrics.srm.role_system]): ``"banded"``
    (linear in the roles when ratings are local), ``"dense"`` (cubic, the reference) or
    ``"auto"`` (dense for small systems; see
    [`Criterion`][relcoord.metrics.srm.criterion.Criterion]).

    The fit runs with one BLAS thread: its work is many products and solves of matrices of
    the size of the roles, for which OpenBLAS's threads only cost (measured at 50 roles x
    100,000 respondents on a busy 2-core machine: a 101 x 101 solve 9.8 ms threaded, 1.1 ms
    on one thread; the whole fit 3x faster).  Independent evaluations (the central
    differences) run on one Python thread per processor instead, each with its one BLAS
    thread.
    """
    from threadpoolctl import threadpool_limits  # imported when a model is fitted

    with threadpool_limits(limits=1, user_api="blas"):
        return _fit(design, fitted, solver)


def _fit(design: SRMDesign, fitted: Sequence[bool],
         solver: Literal["auto", "banded", "dense"]) -> RemlFit:
    criterion = Criterion(design, fitted, solver=solver)
    free = np.flatnonzero(criterion.fitted)

    def full(values: Floats) -> Floats:
        theta = np.zeros(len(COMPONENTS))
        theta[free] = values
        return theta

    def objective(values: Floats) -> float:
        return criterion(full(values))

    def gradient(values: Floats) -> tuple[float, Floats]:
        value, grad = criterion.with_gradient(full(values))
        return value, grad[free]

    def sharing(values: Floats) -> AbstractContextManager[None]:
        return criterion.sharing(full(values))

    start = _moment_start(design, criterion.rater_overlap())[free]
    # the elimination of the rater roles' respondents and ties does not depend on
    # theta_a and theta_b: their central differences share one
    shared = free < COMPONENTS.index("relationship")
    values, hessian, converged = _minimise(objective, gradient, start, sharing, shared)
    if not converged:
        # from the moment start the search can stop on a flat part of the criterion (a
        # component at or near 0, the variances not identified) where theta = 1 leads
        # lower: search from there too and keep the lower criterion, the converged fit on
        # a tie (real surveys converge from the moment start; tiny or degenerate ones not)
        other = _minimise(objective, gradient, np.ones(len(free)), sharing, shared)
        if (other[2], -objective(other[0])) > (converged, -objective(values)):
            values, hessian, converged = other
    theta = full(np.abs(values))
    gamma = theta * theta
    solution = criterion.solve(theta)
    residual = solution.pwrss / (design.n - 1)
    return RemlFit(
        fitted=tuple(bool(v) for v in criterion.fitted),
        gamma=gamma,
        variances=gamma * residual,
        residual=residual,
        covariance=_covariance(free, theta, hessian, solution, residual, design.n),
        solution=solution,
        criterion=solution.criterion,
        converged=converged,
        evaluations=criterion.evaluations,
    )


def _moment_start(design: SRMDesign, overlap: float | None = None) -> Floats:
    """A starting ``theta`` from moment estimates of the variances, in the manner of the
    ANOVA estimators for unbalanced data (Searle, Casella & McCulloch 1992, chapter 5).

    ``s2_p + s2_e`` is the pooled variance ``V`` of the ratings around their tie means.
    ``s2_p`` comes from each respondent's mean deviation ``m_i`` from the tie means, whose
    expected square is ``s2_p (c_i^2 + o_i) + s2_e f_i``: a tie's mean holds ``1 / n_t`` of
    the respondent's own effect (``c_i = 1 - s_i / n_i``, ``s_i`` the sum of ``1 / n_t``
    over its ties), and of the effects of the others who rate its ties (``o_i``, from
    ``overlap``,
    [`Criterion.rater_overlap`][relcoord.metrics.srm.criterion.Criterion.rater_overlap]:
    ``sum_i (c_i^2 + o_i) = sum_i (1 - 2 s_i / n_i) + overlap``), and ``f_i = c_i / n_i`` of
    the residuals; so ``s2_p = (mean m^2 - V mean f) / (mean (c^2 + o) - mean f)``.  (Left
    out, these shares bias ``s2_p`` down by ``1 - c_i^2``: 28 % at 2,000 roles, where a tie
    has about 7 raters.)  The tie means are fitted additively by rater-role means and then
    target-role means; ``s2_g``, ``s2_a`` and ``s2_b`` are the mean squares of the residuals
    (on their degrees of freedom) and of the two sets of means, each less the sampling
    variance the levels below add.  Every variance is at least
    [`_FLOOR`][relcoord.metrics.srm.reml._FLOOR] of the residual's: ``theta_c = 0`` is a
    stationary point from which the search would not move.  Only a start: the optimum is
    the REML criterion's.  ``overlap`` is computed from a criterion of ``design`` when not
    given."""
    if overlap is None:
        overlap = Criterion(design, [True] * len(COMPONENTS)).rater_overlap()
    n = design.n
    n_ties = len(design.tie_pairs)
    tie_n = design.tie_n.astype(np.float64)
    tie_mean = design.tie_y / tie_n  # of the centred observations (the shift cancels)
    # the squares about the tie means, from the centred sums (a tie of one observation
    # has none: exactly 0, as a design of such ties must give)
    about = np.where(design.tie_n > 1, design.tie_y2 - design.tie_y * tie_mean, 0.0)
    within = float(np.maximum(about, 0.0).sum()) / max(n - n_ties, 1)  # s2_p + s2_e
    unit_n = design.unit_n.astype(np.float64)
    # a respondent's deviations from the tie means, summed: its sum less its ties' means
    unit_mean = (design.unit_y - design.unit_sums(tie_mean)) / unit_n
    shares = design.unit_sums(1.0 / tie_n) / unit_n  # s_i / n_i
    own = 1.0 - shares  # c_i
    f = float(np.mean(own / unit_n))
    spread = float(np.mean(unit_mean * unit_mean))
    scale = (float(np.sum(1.0 - 2.0 * shares)) + overlap) / design.n_units - f
    if scale > 1e-3:  # else (nearly) every tie has one rater: the shares tell nothing
        s2_p = (spread - within * f) / scale
    else:
        s2_p = spread - float(np.mean(within / unit_n))
    s2_e = max(within - max(s2_p, 0.0), 1e-12)
    floor = _FLOOR * s2_e
    n_s, n_t = len(design.sources), len(design.targets)
    tie_source = design.tie_source
    tie_target = design.tie_target
    grand = float(tie_mean.mean())
    per_source = np.bincount(tie_source, minlength=n_s).astype(np.float64)
    a = np.bincount(tie_source, weights=tie_mean - grand, minlength=n_s) / per_source
    rest = tie_mean - grand - a[tie_source]
    per_target = np.bincount(tie_target, minlength=n_t).astype(np.float64)
    b = np.bincount(tie_target, weights=rest, minlength=n_t) / per_target
    g = rest - b[tie_target]
    # a role's tie means share its respondents (and their effects): per role, the
    # variance of the mean over its ties of the respondents' and the residuals' parts
    shared = np.bincount(design.unit_source, weights=(shares * unit_n) ** 2, minlength=n_s)
    spread_n = np.bincount(tie_source, weights=1.0 / tie_n, minlength=n_s)
    s2_p_part = max(s2_p, 0.0)
    role_noise = (s2_p_part * shared + s2_e * spread_n) / per_source**2
    noise = within / tie_n - role_noise[tie_source]  # per tie, about its role's mean
    s2_g = (float(g @ g) - float(noise.sum())) / max(n_ties - n_s - n_t + 1, 1)
    s2_a = float(np.mean(a * a)) - float(np.mean(max(s2_g, 0.0) / per_source + role_noise))
    tie_noise = float(np.mean(within / tie_n))
    s2_b = float(np.mean(b * b)) - float(np.mean((max(s2_g, 0.0) + tie_noise) / per_target))
    variances = np.maximum(np.array([s2_a, s2_b, s2_g, s2_p]), floor)
    theta = np.sqrt(variances / s2_e)
    # a design the moments cannot describe (no rating shares a tie: no within variance)
    # starts where lme4 does; no start beyond a ratio of 1e4
    theta = np.where(np.isfinite(theta), np.minimum(theta, _START_MAX), 1.0)
    if not within > 0:
        theta[:] = 1.0
    return np.asarray(theta, dtype=np.float64)


def _no_sharing(x: Floats) -> AbstractContextManager[None]:
    """No evaluations share anything (the default of
    [`_minimise`][relcoord.metrics.srm.reml._minimise])."""
    return nullcontext()


def _minimise(objective: Callable[[Floats], float], gradient: Gradient, start: Floats,
              sharing: Sharing = _no_sharing,
              shared: npt.NDArray[np.bool_] | None = None) -> tuple[Floats, Floats, bool]:
    """The optimum (see the module docstring), the profiled Hessian there and whether the
    fit converged.

    ``sharing(x)`` is held around the evaluations at ``x`` and at the points that differ
    from it in one of the ``shared`` components (the first step's curvatures, the central
    differences; see
    [`Criterion.sharing`][relcoord.metrics.srm.criterion.Criterion.sharing]), and released
    before the others run, so that what it shares is not kept beside them."""
    x = start.astype(np.float64)
    if not len(x):
        return x, np.zeros((0, 0)), True
    together = np.zeros(len(x), dtype=bool) if shared is None else np.asarray(shared)
    cap = math.sqrt(_GAMMA_MAX)
    # the first guess of the inverse Hessian: the curvature along each theta_c (the
    # components differ in scale by orders of magnitude, which a multiple of the identity
    # leaves BFGS to learn over dozens of steps), from one value each
    curvatures = np.empty(len(x))
    with sharing(x):
        fx, gx = gradient(x)
        curvatures[together] = _curvatures(objective, x, fx, gx, together)
    curvatures[~together] = _curvatures(objective, x, fx, gx, ~together)
    inverse = np.diag(1.0 / np.maximum(curvatures, 1e-8 * max(float(curvatures.max()), 1.0)))
    for _ in range(_MAX_ITERATIONS):  # 1. quasi-Newton
        moved, x_new, f_new, g_new = _step(objective, gradient, x, fx, gx, -inverse @ gx,
                                           cap)
        if x_new is None:
            break
        s, y = x_new - x, g_new - gx
        inverse = _bfgs(inverse, s, y)
        x, fx, gx = x_new, f_new, g_new
        if moved <= _STEP_TOL:
            break
    converged = False
    hessian = _hessian(gradient, x, sharing, together)
    for _ in range(_MAX_ITERATIONS):  # 2. Newton, while its step is not negligible
        step = -_positive_inverse(hessian) @ gx
        if float(np.max(np.abs(step) / np.maximum(np.abs(x), _SMALL))) <= _NEWTON_TOL:
            converged = True
            break
        moved, x_new, f_new, g_new = _step(objective, gradient, x, fx, gx, step, cap)
        if x_new is None:
            break
        x, fx, gx = x_new, f_new, g_new
        hessian = _hessian(gradient, x, sharing, together)
    # a theta set to 0 keeps the Hessian of the others: the criterion is even in it, so
    # their block changes by O(theta^2) (below 1e-10), and its own row is not used
    x, fx = _snapped(objective, x, fx)
    inside = x != 0
    positive = bool(np.all(np.linalg.eigvalsh(hessian[np.ix_(inside, inside)]) > 0))
    at_cap = bool(np.any(np.abs(x) >= cap * (1 - 1e-9)))
    sign = np.where(x < 0, -1.0, 1.0)  # the Hessian at |x|: the criterion is even
    return np.abs(x), hessian * np.outer(sign, sign), converged and positive and not at_cap


def _step(objective: Callable[[Floats], float], gradient: Gradient, x: Floats, fx: float,
          gx: Floats, step: Floats, cap: float
          ) -> tuple[float, Floats | None, float, Floats]:
    """``step`` from ``x``, halved until the criterion falls by Armijo's rule (or, once
    the fall is below its rounding, does not rise): the largest relative move, the new
    point (``None`` if no step helps), its value and gradient.  The full step is evaluated
    with its gradient (it is usually taken), a halved one without."""
    slope = min(float(gx @ step), 0.0)
    rounding = 1e-13 * max(1.0, abs(fx))
    scale = 1.0
    for attempt in range(40):
        trial = np.clip(x + scale * step, -cap, cap)
        g_trial: Floats | None = None
        if attempt == 0:
            f_trial, g_trial = gradient(trial)
        else:
            f_trial = objective(trial)
        if f_trial <= fx + max(1e-4 * scale * slope, 0.0) + rounding:
            moved = np.abs(trial - x) / np.maximum(np.abs(x), _SMALL)
            if g_trial is None:
                f_trial, g_trial = gradient(trial)
            return float(moved.max()), trial, f_trial, g_trial
        scale /= 2
    return 0.0, None, fx, gx


def _snapped(objective: Callable[[Floats], float], x: Floats, fx: float
             ) -> tuple[Floats, float]:
    """``x`` with every ``theta_c`` that is practically 0 set to exactly 0, when that does
    not raise the criterion beyond its rounding."""
    out = x.copy()
    for c in np.flatnonzero((out != 0) & (np.abs(out) < _ZERO)):
        trial = out.copy()
        trial[c] = 0.0
        f_trial = objective(trial)
        if f_trial <= fx + 1e-12 * max(1.0, abs(fx)):
            out, fx = trial, min(fx, f_trial)
    return out, fx


def _curvatures(objective: Callable[[Floats], float], x: Floats, fx: float, gx: Floats,
                components: npt.NDArray[np.bool_]) -> Floats:
    """The diagonal of the Hessian at ``x`` along the ``components`` from one value each,
    ``f(x + h e_i) = f(x) + h g_i + h^2 H_ii / 2`` (a scale for the first step; made
    positive, and at least a 1e-8 share of the largest by the caller).  The values are
    independent: they run concurrently
    ([`_concurrently`][relcoord.metrics.srm.reml._concurrently])."""
    indices = np.flatnonzero(components).tolist()
    steps = [_START_STEP * max(abs(float(x[i])), _SMALL) for i in indices]
    points = []
    for i, h in zip(indices, steps, strict=True):
        up = x.copy()
        up[i] += h
        points.append(up)
    values = _concurrently(objective, points)
    return np.abs(np.array([2.0 * (f - fx - h * float(gx[i])) / (h * h)
                            for i, f, h in zip(indices, values, steps, strict=True)],
                           dtype=np.float64))


def _hessian(gradient: Gradient, x: Floats, sharing: Sharing = _no_sharing,
             shared: npt.NDArray[np.bool_] | None = None) -> Floats:
    """Central differences of the gradient, symmetrised.  The ``2 n`` gradients are
    independent: they run concurrently
    ([`_concurrently`][relcoord.metrics.srm.reml._concurrently]), those along the
    ``shared`` components first, inside ``sharing(x)`` (see
    [`_minimise`][relcoord.metrics.srm.reml._minimise]), then the others."""
    n = len(x)
    together = np.zeros(n, dtype=bool) if shared is None else np.asarray(shared)
    steps = [_DIFF_STEP * max(abs(float(v)), _SMALL) for v in x]

    def around(columns: list[int]) -> list[Floats]:
        points = []
        for i in columns:
            up, down = x.copy(), x.copy()
            up[i] += steps[i]
            down[i] -= steps[i]
            points += [up, down]
        return [g for _, g in _concurrently(gradient, points)]

    out = np.empty((n, n))
    first, rest = np.flatnonzero(together).tolist(), np.flatnonzero(~together).tolist()
    with sharing(x):
        grads = around(first)
    grads += around(rest)
    for k, i in enumerate(first + rest):
        out[:, i] = (grads[2 * k] - grads[2 * k + 1]) / (2 * steps[i])
    return np.asarray((out + out.T) / 2, dtype=np.float64)


def _workers() -> int:
    """The threads of [`_concurrently`][relcoord.metrics.srm.reml._concurrently]: the
    processors this process may run on, at most
    [`_MAX_THREADS`][relcoord.metrics.srm.reml._MAX_THREADS]."""
    affinity = getattr(os, "sched_getaffinity", None)
    cpus = len(affinity(0)) if affinity is not None else os.cpu_count() or 1
    return min(cpus, _MAX_THREADS)


def _concurrently(function: Callable[[Floats], _T], points: Sequence[Floats]) -> list[_T]:
    """``[function(p) for p in points]``, on up to one thread per processor
    ([`_workers`][relcoord.metrics.srm.reml._workers]).

    Most of an evaluation's time is in numpy's batched products and LAPACK, which release
    the GIL (each thread runs one BLAS thread, as the whole fit does), and
    [`Criterion`][relcoord.metrics.srm.criterion.Criterion] keeps no state between
    evaluations but their count, so the results are those of the loop, bit for bit.
    """
    workers = min(len(points), _workers())
    if workers < 2:
        return [function(p) for p in points]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, points))


def _positive_inverse(hessian: Floats) -> Floats:
    """The inverse of ``hessian`` with its eigenvalues made positive (absolute values, at
    least a 1e-8 share of the largest)."""
    values, vectors = np.linalg.eigh(hessian)
    floor = 1e-8 * max(1.0, float(np.abs(values).max()))
    return np.asarray((vectors / np.maximum(np.abs(values), floor)) @ vectors.T,
                      dtype=np.float64)


def _bfgs(inverse: Floats, s: Floats, y: Floats) -> Floats:
    """The BFGS update of an inverse Hessian (Nocedal & Wright 2006, eq. 6.17); unchanged
    when the curvature condition ``s'y > 0`` fails."""
    sy = float(s @ y)
    if sy <= 1e-12 * float(np.linalg.norm(s) * np.linalg.norm(y)):
        return inverse
    rho = 1.0 / sy
    left = np.eye(len(s)) - rho * np.outer(s, y)
    return np.asarray(left @ inverse @ left.T + rho * np.outer(s, s), dtype=np.float64)


def _covariance(free: npt.NDArray[np.intp], theta: Floats, hessian: Floats,
                solution: Solution, residual: float, n: int) -> Floats:
    """Covariance of (variances, residual) from the profiled Hessian at the optimum (see
    the module docstring); NaN where a component is not fitted or is 0, and everywhere when
    the information is not positive definite."""
    size = len(COMPONENTS) + 1
    out = np.full((size, size), np.nan)
    keep = theta[free] > 0
    index = free[keep]
    if residual <= 0:
        return out
    effects = (solution.rater, solution.target, solution.tie, solution.unit)
    squares = np.array([float(effects[c] @ effects[c]) for c in index])
    t = theta[index]
    d_pwrss = -2 * squares / t**3  # |u_c|^2 = |b_c|^2 / theta_c^2
    f_ss = (n - 1) / residual**2
    f_ts = -d_pwrss / residual**2
    k = len(index)
    info = np.empty((k + 1, k + 1))
    info[:k, :k] = hessian[np.ix_(keep, keep)] + np.outer(f_ts, f_ts) / f_ss
    info[:k, k] = info[k, :k] = f_ts
    info[k, k] = f_ss
    if not np.all(np.linalg.eigvalsh(info) > 0):
        return out
    jacobian = np.zeros((k + 1, k + 1))  # d(s2_c, s2_e) / d(theta_c, s2_e)
    jacobian[np.arange(k), np.arange(k)] = 2 * t * residual
    jacobian[:k, k] = t * t
    jacobian[k, k] = 1.0
    rows = np.append(index, len(COMPONENTS))
    covariance = 2 * jacobian @ np.linalg.inv(info) @ jacobian.T
    if not np.all(np.diagonal(covariance) >= 0):
        # the information is positive definite only to rounding (an eigenvalue near 0):
        # its inverse is noise, as undefined as when it is not positive at all
        return out
    out[np.ix_(rows, rows)] = covariance
    return out
