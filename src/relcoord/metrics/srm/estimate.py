"""``social_relations_model``: from a published study to
[`SocialRelations`][relcoord.metrics.srm.result.SocialRelations].

It builds the design ([`design`][relcoord.metrics.srm.design]), decides which components the
data can tell apart, fits them by REML (`reml`) and turns the
fit into shares, effects and reciprocity (the formulas are in
[`relcoord.metrics.srm`][relcoord.metrics.srm]).
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from relcoord.metrics.srm.design import SRMDesign, srm_design
from relcoord.metrics.srm.reml import COMPONENTS, RemlFit, fit_reml
from relcoord.metrics.srm.result import (
    COMPONENT_ORDER,
    Reciprocity,
    RelationshipEffect,
    RoleEffects,
    SocialRelations,
    VarianceComponent,
    optional,
)
from relcoord.model import Study
from relcoord.settings import AnalysisSettings, InvalidSettingsError

__all__ = ["ESTIMATOR", "MODEL", "social_relations_model", "social_relations_of_design"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

#: The estimator, as the output names it.
ESTIMATOR: Final = "REML"
#: The lme4 term of each component.
_TERMS: Final = {"rater": "(1 | source)", "target": "(1 | target)",
                 "relationship": "(1 | source:target)", "respondent": "(1 | respondent)"}
#: The full model in lme4's notation (``source``: rater role; ``target``: target role);
#: a result names the terms it fitted.
MODEL: Final = "rc ~ 1 + " + " + ".join(_TERMS.values())

#: The largest design matrix (columns) whose rank
#: [`_saturated`][relcoord.metrics.srm.estimate._saturated] computes.
_DENSE_RANK: Final = 2000

_LEVELS: Final = {
    "rater": "rater role",
    "target": "target role",
    "relationship": "tie (rater role x target role)",
    "respondent": "respondent within rater role",
    "residual": "rating (respondent x target role)",
}


def social_relations_model(
    study: Study,
    *,
    min_items: int | None = None,
    settings: AnalysisSettings | None = None,
    within: bool = False,
) -> SocialRelations:
    """The Social Relations Model of ``study``'s respondent-tie RC (see
    [`relcoord.metrics.srm`][relcoord.metrics.srm]).

    Pass the **published** study (``relcoord.privacy.withhold(study, settings)[0]``, the
    study ``analyze()`` keeps as ``analysis.published``): the model sees every rating it
    is given, and the effects of a role or tie rest on the ratings behind them, so ties the
    privacy rule withholds must not be in it.

    Args:
        study: the study, already reduced to its publishable ratings.
        min_items: a respondent-tie counts when it has at least this many answered items;
            default: the settings' rule
                ([`AnalysisSettings.items_needed`][relcoord.settings.AnalysisSettings.items_needed]).
        settings: where the default ``min_items`` comes from (default settings if ``None``).
        within: also model the ratings of a role about itself (default: left out, as
            Kenny's round robin leaves out self-ratings).

    Raises:
        InvalidSettingsError: ``min_items`` below 1 or above the instrument's item count.
    """
    settings = settings or AnalysisSettings()
    n_items = len(study.instrument.keys)
    if min_items is None:
        min_items = settings.items_needed(study.instrument)
    elif not 1 <= min_items <= n_items:
        raise InvalidSettingsError(
            "min_items", f"{min_items} is not between 1 and the {n_items} items of "
            f"instrument {study.instrument.id!r}")
    return social_relations_of_design(srm_design(study, min_items=min_items, within=within))


def social_relations_of_design(design: SRMDesign) -> SocialRelations:
    """The Social Relations Model fitted to a design's sums: what
    [`social_relations_model`][relcoord.metrics.srm.estimate.social_relations_model] does once it
    has the design of its study, and what the design combined from rater-role parts
    ([`relcoord.metrics.srm.parts`][relcoord.metrics.srm.parts]) is fitted with.  Not
    estimable (``reason`` set, no fit) below two ratings or when all ratings are equal."""
    if design.n < 2 or not design.spread > 0:
        reason = "fewer than two ratings" if design.n < 2 else "all ratings are equal"
        return _unestimated(design, reason)
    fitted = _identifiable(design)
    fit = fit_reml(design, fitted)
    return _result(design, fit)


def _identifiable(design: SRMDesign) -> tuple[bool, ...]:
    """Which of [`COMPONENTS`][relcoord.metrics.srm.criterion.COMPONENTS] the data can tell apart,
    in their order.

    A factor is in the model when it has at least two levels, fewer levels than ratings,
    and does not group the ratings exactly as a factor before it does (lme4 refuses the
    first two cases; in the third the split between the two would be arbitrary).  Then,
    while the factors in the model fit every rating exactly (no residual degrees of
    freedom, so the residual variance cannot be estimated), the last of them is left out.

    The groupings are compared on the design's sums: the rater role, the target role and
    the tie are functions of the tie, and every tie has a rating, so two of them group the
    ratings alike exactly when they group the ties alike; a respondent lies in one rater
    role, so the respondents group the ratings as a role factor does exactly when there
    are as many of them as of its levels and each respondent's ratings have one level
    (for the target role and the tie: each respondent rates one tie).
    """
    n = design.n
    ties = {"rater": design.tie_source, "target": design.tie_target,
            "relationship": np.arange(len(design.tie_pairs))}
    sizes = {"rater": len(design.sources), "target": len(design.targets),
             "relationship": len(design.tie_pairs), "respondent": design.n_units}
    one_tie = None  # whether every respondent rates one tie (counted once, if asked)
    chosen: list[str] = []
    out = []
    for name in COMPONENTS:
        levels = sizes[name]
        ok = 2 <= levels < n
        for other in chosen if ok else ():
            if levels != sizes[other]:
                continue
            if name != "respondent":
                same = _same_grouping(ties[name], ties[other], levels, levels)
            elif other == "rater":
                same = True  # as many respondents as rater roles, each in one
            else:
                if one_tie is None:
                    one_tie = bool(np.all(np.count_nonzero(design.counts, axis=1) == 1))
                same = one_tie
            if same:
                ok = False
                break
        if ok:
            chosen.append(name)
        out.append(ok)
    while chosen and _saturated(design, chosen):
        out[COMPONENTS.index(chosen.pop())] = False
    return tuple(out)


def _saturated(design: SRMDesign, chosen: list[str]) -> bool:
    """Whether the intercept and the factors ``chosen`` span all ratings.

    Their rank is at most ``1 + sum(levels - 1)``; only when that reaches the number of
    ratings (small or very sparse designs) is the rank computed, from the dense design
    matrix when it has at most [`_DENSE_RANK`][relcoord.metrics.srm.estimate._DENSE_RANK]
    columns (beyond that the fit is left to show it).
    """
    n = design.n
    sizes = {"rater": len(design.sources), "target": len(design.targets),
             "relationship": len(design.tie_pairs), "respondent": design.n_units}
    levels = [sizes[name] for name in chosen]
    if 1 + sum(v - 1 for v in levels) < n:
        return False
    columns = 1 + sum(levels)
    if columns > _DENSE_RANK:
        return False
    unit, tie = design.observations()
    codes = {"rater": design.tie_source[tie], "target": design.tie_target[tie],
             "relationship": tie, "respondent": unit}
    matrix = np.zeros((n, columns))
    matrix[:, 0] = 1.0
    offset = 1
    for name, count in zip(chosen, levels, strict=True):
        matrix[np.arange(n), offset + codes[name]] = 1.0
        offset += count
    return bool(np.linalg.matrix_rank(matrix) >= n)


def _same_grouping(one: Ints, two: Ints, levels_one: int | None = None,
                   levels_two: int | None = None) -> bool:
    """Whether two factors group the observations alike (level codes aside): as many
    levels, and every level of ``one`` with a single level of ``two`` (one pass, no
    sort).  The numbers of levels are counted unless given."""
    levels_one = int(one.max()) + 1 if levels_one is None else levels_one
    levels_two = int(two.max()) + 1 if levels_two is None else levels_two
    if levels_one != levels_two:
        return False
    partner = np.empty(levels_one, dtype=two.dtype)
    partner[one] = two  # the level of two that each level of one has (its last)
    return bool(np.array_equal(partner[one], two))


def _shares(fit: RemlFit) -> tuple[Floats, Floats]:
    """Shares of (components, residual) and their delta-method standard errors (NaN where
    a component is not fitted or lies on the boundary, and everywhere when the observed
    information could not be inverted)."""
    variances = np.append(fit.variances, fit.residual)
    fitted = np.append(fit.fitted, True)
    total = float(variances[fitted].sum())
    shares = np.where(fitted, variances / total, np.nan)
    inside = fitted & (variances > 0)
    cov = fit.covariance[np.ix_(inside, inside)]
    se = np.full(len(variances), np.nan)
    if not np.isnan(cov).any():
        # d share_c / d v_d = (delta_cd - share_c) / total (boundary components held at 0)
        jac = (np.eye(len(cov)) - shares[inside][:, None]) / total
        se[inside] = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", jac, cov, jac), 0.0))
    return shares, se


def _result(design: SRMDesign, fit: RemlFit) -> SocialRelations:
    shares, share_se = _shares(fit)
    variances = np.append(fit.variances, fit.residual)
    fitted = np.append(fit.fitted, True)
    variance_se = np.sqrt(np.diagonal(fit.covariance))  # NaN stays NaN
    levels = (len(design.sources), len(design.targets), len(design.tie_pairs),
              design.n_units, design.n)
    names = (*COMPONENTS, "residual")
    components = {
        name: VarianceComponent(
            name=name, level=_LEVELS[name], fitted=bool(fitted[i]), n_levels=levels[i],
            variance=optional(variances[i]) if fitted[i] else None,
            variance_se=optional(variance_se[i]),
            share=optional(shares[i]),
            share_se=optional(share_se[i]),
        )
        for i, name in enumerate(names)
    }
    solution = fit.solution
    rater = solution.rater if fit.fitted[0] else None
    target = solution.target if fit.fitted[1] else None
    tie = solution.tie if fit.fitted[2] else None
    terms = [_TERMS[name] for name, fitted in zip(COMPONENTS, fit.fitted, strict=True)
             if fitted]
    return SocialRelations(
        estimator=ESTIMATOR,
        model=" + ".join(["rc ~ 1", *terms]),
        min_items=design.min_items,
        within=design.within,
        mean=solution.mu,
        components={name: components[name] for name in COMPONENT_ORDER},
        roles=_roles(design, rater, target, solution.unit if fit.fitted[3] else None),
        ties=_ties(design, tie),
        generalized_reciprocity=_generalized(design, rater, target),
        dyadic_reciprocity=_dyadic(design, tie),
        reml_criterion=optional(fit.criterion),
        converged=fit.converged,
        **_counts(design),
    )


def _counts(design: SRMDesign) -> dict[str, Any]:
    roles = np.union1d(design.sources, design.targets)
    return {
        "n_ratings": design.n, "n_respondents": design.n_units, "n_roles": len(roles),
        "n_rater_roles": len(design.sources), "n_target_roles": len(design.targets),
        "n_ties": len(design.tie_pairs), "n_within_left_out": design.n_within_left_out,
        "n_not_counted": design.n_not_counted,
    }


def _sums(codes: Ints, weights: Floats, size: int) -> Floats:
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)


def _mean(sums: Floats, counts: Floats, i: int) -> float | None:
    return float(sums[i] / counts[i]) if counts[i] else None


def _roles(design: SRMDesign, rater: Floats | None, target: Floats | None,
           unit: Floats | None) -> tuple[RoleEffects, ...]:
    k = len(design.role_ids)
    role_of_source, role_of_target = design.sources, design.targets
    # per tie first, then per role
    tie_n = design.tie_n.astype(np.float64)
    tie_y = design.tie_sum
    tie_source, tie_target = design.tie_pairs[:, 0], design.tie_pairs[:, 1]
    n_given = _sums(tie_source, tie_n, k)
    n_received = _sums(tie_target, tie_n, k)
    given = _sums(tie_source, tie_y, k)
    received = _sums(tie_target, tie_y, k)
    # leniency of the raters: a[i] per tie, p[r] per rating
    tie_leniency = tie_y.copy()
    if rater is not None:
        tie_leniency -= tie_n * rater[np.searchsorted(role_of_source, tie_source)]
    adjusted = _sums(tie_target, tie_leniency, k)
    if unit is not None:
        adjusted[role_of_target] -= _sums(design.tie_target, design.tie_sums(unit),
                                          len(role_of_target))
    rater_of = np.full(k, np.nan)
    target_of = np.full(k, np.nan)
    if rater is not None:
        rater_of[role_of_source] = rater
    if target is not None:
        target_of[role_of_target] = target
    out = []
    for i in np.union1d(role_of_source, role_of_target).tolist():
        out.append(RoleEffects(
            role=design.role_ids[i],
            rater=optional(rater_of[i]),
            target=optional(target_of[i]),
            n_given=int(n_given[i]),
            n_received=int(n_received[i]),
            given_rc=_mean(given, n_given, i),
            received_rc=_mean(received, n_received, i),
            received_rc_adjusted=_mean(adjusted, n_received, i),
        ))
    return tuple(out)


def _ties(design: SRMDesign, tie: Floats | None) -> tuple[RelationshipEffect, ...]:
    counts = design.tie_n
    means = design.tie_mean
    ids = design.role_ids
    return tuple(
        RelationshipEffect(
            source=ids[s], target=ids[t],
            relationship=None if tie is None else float(tie[g]),
            rc=float(means[g]), n_ratings=int(counts[g]),
        )
        for g, (s, t) in enumerate(design.tie_pairs.tolist())
    )


def _correlation(x: Floats, y: Floats) -> float | None:
    dx, dy = x - x.mean(), y - y.mean()
    denominator = math.sqrt(float(dx @ dx) * float(dy @ dy))
    if not denominator > 1e-12 * max(1.0, float(np.abs(x).max()) * float(np.abs(y).max())):
        return None
    return max(-1.0, min(1.0, float(dx @ dy) / denominator))


def _generalized(design: SRMDesign, rater: Floats | None, target: Floats | None
                 ) -> Reciprocity:
    """Pearson correlation, over the roles with both, of rater and target effects."""
    both, in_sources, in_targets = np.intersect1d(design.sources, design.targets,
                                                  return_indices=True)
    if rater is None or target is None or len(both) < 3:
        return Reciprocity(r=None, n=len(both))
    return Reciprocity(r=_correlation(rater[in_sources], target[in_targets]), n=len(both))


def _dyadic(design: SRMDesign, tie: Floats | None) -> Reciprocity:
    """Double-entry (pairwise intraclass) correlation of ``g[i, j]`` and ``g[j, i]`` over
    the pairs of roles with both ties (Griffin & Gonzalez 1995)."""
    k = len(design.role_ids)
    pairs = design.tie_pairs
    if not len(pairs):
        return Reciprocity(r=None, n=0)
    key = pairs[:, 0] * k + pairs[:, 1]  # sorted: the design's tie order
    reverse = pairs[:, 1] * k + pairs[:, 0]
    found = np.minimum(np.searchsorted(key, reverse), len(key) - 1)
    has = (pairs[:, 0] != pairs[:, 1]) & (key[found] == reverse)
    n_pairs = int(np.count_nonzero(has)) // 2
    if tie is None or n_pairs < 3:
        return Reciprocity(r=None, n=n_pairs)
    # each pair entered twice, once in each order: both columns hold the same values
    return Reciprocity(r=_correlation(tie[has], tie[found[has]]), n=n_pairs)


def _unestimated(design: SRMDesign, reason: str) -> SocialRelations:
    components = {
        name: VarianceComponent(name=name, level=_LEVELS[name], fitted=False, n_levels=0,
                                variance=None, variance_se=None, share=None, share_se=None)
        for name in COMPONENT_ORDER
    }
    return SocialRelations(
        estimator=ESTIMATOR, model=MODEL, min_items=design.min_items, within=design.within,
        mean=design.center if design.n else None, components=components,
        roles=_roles(design, None, None, None), ties=_ties(design, None),
        generalized_reciprocity=Reciprocity(r=None, n=0),
        dyadic_reciprocity=Reciprocity(r=None, n=0), reml_criterion=None, converged=False,
        reason=reason, **_counts(design),
    )
