"""The result of the Social Relations Model: variance components, effects, reciprocity.

Frozen attrs values; every figure that cannot be estimated is ``None`` (never NaN), and
[`SocialRelations.to_mapping`][relcoord.metrics.srm.result.SocialRelations.to_mapping] gives
JSON-ready values.  How each figure is computed is in
[`relcoord.metrics.srm`][relcoord.metrics.srm].
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any, Final

import attrs

from relcoord.frozen_mapping import FrozenMapping

__all__ = [
    "COMPONENT_ORDER",
    "PerceptionGap",
    "Reciprocity",
    "RelationshipEffect",
    "RoleEffects",
    "SocialRelations",
    "VarianceComponent",
]

#: The components in the order of the output; ``residual`` is always in the model.
COMPONENT_ORDER: Final = ("rater", "target", "relationship", "respondent", "residual")


def optional(value: float | None) -> float | None:
    """A float, or ``None`` for ``None``, NaN and infinities (JSON has none of them)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


@attrs.frozen
class VarianceComponent:
    """One variance component of the model.

    ``name`` is one of `COMPONENT_ORDER`; ``level``
    says what its effects belong to. ``fitted`` is false when the data cannot tell the component
    apart (fewer than two levels, as many levels as ratings, or the same grouping as a component
    before it); then ``variance`` and ``share`` are ``None``.  ``share`` is the variance over the
    sum of the fitted variances; the standard errors come from the observed information (``None``
    for a component estimated at 0, on the boundary of the parameter space).
    """

    name: str
    level: str
    fitted: bool
    n_levels: int
    variance: float | None
    variance_se: float | None
    share: float | None
    share_se: float | None

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {
            "name": self.name, "level": self.level, "fitted": self.fitted,
            "n_levels": self.n_levels, "variance": self.variance,
            "variance_se": self.variance_se, "share": self.share, "share_se": self.share_se,
        }


@attrs.frozen
class RoleEffects:
    """A role's effects: ``rater`` (its leniency as rater role, ``None`` when it rated no
    other role or the component is not in the model) and ``target`` (its reputation as a
    target, ``None`` likewise), both BLUPs on the RC scale.

    ``given_rc`` and ``received_rc`` are the plain means of the ratings it gave and
    received (among those the model uses); ``received_rc_adjusted`` is the mean of the
    ratings it received after taking each rater's leniency off (its rater role's and its
    own respondent effect), i.e. what it would receive from raters of average leniency.
    """

    role: str
    rater: float | None
    target: float | None
    n_given: int
    n_received: int
    given_rc: float | None
    received_rc: float | None
    received_rc_adjusted: float | None

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready values."""
        return attrs.asdict(self)


@attrs.frozen
class RelationshipEffect:
    """The tie ``source -> target``: its ``relationship`` effect (BLUP; ``None`` when the
    component is not in the model), its mean ``rc`` and its number of ratings."""

    source: str
    target: str
    relationship: float | None
    rc: float
    n_ratings: int

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready values."""
        return attrs.asdict(self)


@attrs.frozen
class Reciprocity:
    """A correlation ``r`` over ``n`` roles or pairs (``None`` below 3 or without variance)."""

    r: float | None
    n: int

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {"r": self.r, "n": self.n}


@attrs.frozen
class PerceptionGap:
    """The gap between ``first -> second`` and ``second -> first`` split by the model.

    ``difference`` is the tie RC of ``first -> second`` minus that of ``second ->
    first``; ``rater`` is the part due to the rater roles' leniency
    (``a[first] - a[second]``), ``target`` the part due to the roles' reputation
    (``b[second] - b[first]``), ``relationship`` the part of the ties themselves
    (``g[first, second] - g[second, first]``), and ``respondents`` what is left: the
    respondents' own leniency and the residuals of the ratings behind the two ties.
    """

    first: str
    second: str
    difference: float
    rater: float
    target: float
    relationship: float
    respondents: float

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready values."""
        return attrs.asdict(self)


def _frozen(value: Mapping[str, VarianceComponent]) -> Mapping[str, VarianceComponent]:
    return FrozenMapping(value)


@attrs.frozen
class SocialRelations:
    """The Social Relations Model of one (published) study.

    ``model`` is the model fitted, in lme4's notation (the terms of the components in it);
    ``components`` maps each name of
    `COMPONENT_ORDER` to its
    [`VarianceComponent`][relcoord.metrics.srm.result.VarianceComponent]; ``roles`` and ``ties``
    hold the effects; ``mean`` is the estimated grand mean ``mu``.  ``reason`` says why nothing was
    estimated (too few ratings, no variance), else ``None``.  The counts describe the ratings used:
    ``n_ratings`` respondent-ties (counted under ``min_items``, without the within ties unless
    ``within``), ``n_respondents`` distinct respondents (a rating without a respondent counts as
    one), ``n_roles`` roles with a rater or target effect, ``n_ties`` ties; ``n_within_left_out``
    and ``n_not_counted`` the rating rows left out.
    """

    estimator: str
    model: str
    min_items: int
    within: bool
    mean: float | None
    components: Mapping[str, VarianceComponent] = attrs.field(converter=_frozen)
    roles: tuple[RoleEffects, ...]
    ties: tuple[RelationshipEffect, ...]
    generalized_reciprocity: Reciprocity
    dyadic_reciprocity: Reciprocity
    n_ratings: int
    n_respondents: int
    n_roles: int
    n_rater_roles: int
    n_target_roles: int
    n_ties: int
    n_within_left_out: int
    n_not_counted: int
    reml_criterion: float | None
    converged: bool
    reason: str | None = None

    @property
    def variance_shares(self) -> dict[str, float | None]:
        """Each component's share of the total variance (the fitted ones sum to 1)."""
        return {name: self.components[name].share for name in COMPONENT_ORDER}

    @functools.cached_property
    def _role_index(self) -> dict[str, RoleEffects]:
        return {effects.role: effects for effects in reversed(self.roles)}

    @functools.cached_property
    def _tie_index(self) -> dict[tuple[str, str], RelationshipEffect]:
        return {(e.source, e.target): e for e in reversed(self.ties)}

    def role(self, role_id: str) -> RoleEffects:
        """The effects of ``role_id``; `KeyError` when the model has none."""
        try:
            return self._role_index[role_id]
        except KeyError:
            raise KeyError(f"no effects for role {role_id!r}") from None

    def tie(self, source: str, target: str) -> RelationshipEffect:
        """The tie ``source -> target``; `KeyError` when the model has none.

        Looked up in an index built on first use (a scan per lookup made the findings'
        perception gaps quadratic in the ties: 44 s at 300 roles)."""
        try:
            return self._tie_index[source, target]
        except KeyError:
            raise KeyError(f"no tie {source!r} -> {target!r} in the model") from None

    def perception_gap(self, first: str, second: str) -> PerceptionGap | None:
        """The gap between the two ties of a pair split into rater, target and relationship
        parts (see [`PerceptionGap`][relcoord.metrics.srm.result.PerceptionGap]); ``None`` unless
        both ties and all three effects are in the model."""
        try:
            forward, backward = self.tie(first, second), self.tie(second, first)
            one, two = self.role(first), self.role(second)
        except KeyError:
            return None
        parts = (one.rater, two.rater, one.target, two.target, forward.relationship,
                 backward.relationship)
        if any(p is None for p in parts):
            return None
        a1, a2, b1, b2, g12, g21 = (float(p) for p in parts)  # type: ignore[arg-type]
        difference = forward.rc - backward.rc
        rater, target, relationship = a1 - a2, b2 - b1, g12 - g21
        return PerceptionGap(
            first=first, second=second, difference=difference, rater=rater, target=target,
            relationship=relationship, respondents=difference - rater - target - relationship,
        )

    def __repr__(self) -> str:
        if self.reason is not None:
            return f"<SocialRelations: not estimated ({self.reason})>"
        return (f"<SocialRelations {self.model!r}: {self.n_ratings} ratings, "
                f"{self.n_roles} roles, {self.n_ties} ties>")

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready values: ``variance_shares`` (and their ``standard_errors``),
        ``variances``, ``components`` in full, ``effects`` (``roles`` with their ``rater``
        and ``target`` effects, ``ties`` with their ``relationship`` effect),
        ``reciprocity`` (``generalized``, ``dyadic``), the estimator and the counts."""
        parts = [self.components[name] for name in COMPONENT_ORDER]
        return {
            "estimator": self.estimator,
            "model": self.model,
            "min_items": self.min_items,
            "within": self.within,
            "reason": self.reason,
            "converged": self.converged,
            "reml_criterion": self.reml_criterion,
            "mean": self.mean,
            "variance_shares": {c.name: c.share for c in parts},
            "standard_errors": {c.name: c.share_se for c in parts},
            "variances": {c.name: c.variance for c in parts},
            "components": [c.to_mapping() for c in parts],
            "effects": {
                "roles": [r.to_mapping() for r in self.roles],
                "ties": [t.to_mapping() for t in self.ties],
            },
            "reciprocity": {
                "generalized": self.generalized_reciprocity.to_mapping(),
                "dyadic": self.dyadic_reciprocity.to_mapping(),
            },
            "n_ratings": self.n_ratings,
            "n_respondents": self.n_respondents,
            "n_roles": self.n_roles,
            "n_rater_roles": self.n_rater_roles,
            "n_target_roles": self.n_target_roles,
            "n_ties": self.n_ties,
            "n_within_left_out": self.n_within_left_out,
            "n_not_counted": self.n_not_counted,
        }
