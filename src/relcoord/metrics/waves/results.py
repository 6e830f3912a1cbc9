"""What a wave comparison finds: the change of each figure, of ties, roles and arrows.

Frozen results of [`compare_waves`][relcoord.metrics.waves.compare.compare_waves]; every
``to_mapping`` gives the JSON-ready part of the Analysis ``change`` section.
[`Change`][relcoord.metrics.waves.results.Change] also holds the one definition of a *clear* change
([`Change.is_clear`][relcoord.metrics.waves.results.Change.is_clear]).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, Literal

import attrs

from relcoord.json_values import json_ready
from relcoord.settings import AnalysisSettings

__all__ = [
    "MDC_FORMULA",
    "ArrowBasis",
    "ArrowChanges",
    "Change",
    "Direction",
    "RoleChange",
    "TieChange",
    "WaveComparison",
]

#: What arrows were compared: named arrows (``study.ties``) or the ties rated in each wave.
ArrowBasis = Literal["arrows", "ratings"]
#: The direction of a clear change
#: ([`Change.direction`][relcoord.metrics.waves.results.Change.direction]).
Direction = Literal["rise", "fall"]
#: How the MDC of each figure is computed, as the ``change`` section states it.
MDC_FORMULA: Final = (
    "1.96 * SEM * sqrt(1/n_eff_a + 1/n_eff_b), n_eff = 1 / sum of the squared weights of "
    "the respondent-tie scores in the figure's weighted mean (Kish 1965)"
)


@attrs.frozen(kw_only=True)
class Change:
    """One figure in two waves and its change ``b - a``, with interval and MDC.

    ``n_a``/``n_b`` are the respondent-ties behind the figure in each wave; ``ci_low`` and
    ``ci_high`` the percentile bootstrap limits of the change; ``mdc`` the minimal
    detectable change of the difference of the two weighted means, and ``n_eff_a`` /
    ``n_eff_b`` the effective number of scores of each, ``1 / sum w_i^2`` of its weights
    (Kish 1965): ``n_a``/``n_b`` under the ``respondent`` weighting, fewer under ``tie`` or
    ``group`` when the ties or groups differ in size.  ``None`` where a value is undefined
    (for example a tie rated in one wave only).
    """

    a: float | None
    b: float | None
    change: float | None
    ci_low: float | None
    ci_high: float | None
    mdc: float | None
    n_a: int
    n_b: int
    n_eff_a: float | None = None
    n_eff_b: float | None = None

    @property
    def ci_excludes_zero(self) -> bool | None:
        """True when the confidence interval lies wholly above or below 0."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return self.ci_low > 0 or self.ci_high < 0

    @property
    def exceeds_mdc(self) -> bool | None:
        """True when the change is larger (in size) than the minimal detectable change."""
        if self.change is None or self.mdc is None:
            return None
        return abs(self.change) > self.mdc

    @property
    def is_clear(self) -> bool | None:
        """True when the change is clear: its interval excludes 0 and it exceeds the MDC.

        The one definition of a clear change; the report's "clear" column, the colours of
        the change figure and the ``*`` of the text all read it.  The percentile bootstrap
        interval covers sampling (Efron & Tibshirani 1993, ch. 13), the minimal detectable
        change measurement error (Weir 2005); a change is clear only when it stands out
        from both.  ``None`` when either test is undefined (no interval or no MDC).
        """
        excludes, exceeds = self.ci_excludes_zero, self.exceeds_mdc
        if excludes is None or exceeds is None:
            return None
        return excludes and exceeds

    @property
    def direction(self) -> Direction | None:
        """``"rise"`` or ``"fall"`` (the sign of the change) when
        [`is_clear`][relcoord.metrics.waves.results.Change.is_clear], else None."""
        if not self.is_clear or self.change is None:
            return None
        return "rise" if self.change > 0 else "fall"

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` for undefined values)."""
        return json_ready({
            "a": self.a, "b": self.b, "change": self.change, "ci_low": self.ci_low,
            "ci_high": self.ci_high, "ci_excludes_zero": self.ci_excludes_zero,
            "mdc": self.mdc, "exceeds_mdc": self.exceeds_mdc, "n_a": self.n_a, "n_b": self.n_b,
            "n_eff_a": self.n_eff_a, "n_eff_b": self.n_eff_b,
        })


@attrs.frozen(kw_only=True)
class TieChange:
    """The change of tie ``source -> target`` (RC) between the waves."""

    source: str
    target: str
    rc: Change

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict: the tie, then its
        [`Change.to_mapping`][relcoord.metrics.waves.results.Change.to_mapping]."""
        return json_ready({"source": self.source, "target": self.target,
                           **self.rc.to_mapping()})


@attrs.frozen(kw_only=True)
class RoleChange:
    """The change of one role's RC as rater (its row) and as target (its column)."""

    id: str
    as_rater: Change
    as_target: Change

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return json_ready({"id": self.id, "as_rater": self.as_rater,
                           "as_target": self.as_target})


@attrs.frozen(kw_only=True)
class ArrowChanges:
    """Arrows (source, target) gained, lost and reversed from wave A to wave B.

    ``basis`` says whether named arrows or rated ties were compared.  ``reversed`` holds the
    wave-B direction of each pair whose only arrow turned round.
    """

    basis: ArrowBasis
    gained: tuple[tuple[str, str], ...]
    lost: tuple[tuple[str, str], ...]
    reversed: tuple[tuple[str, str], ...]
    kept: int

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (pairs as ``{"source", "target"}`` objects)."""
        def pairs(items: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
            return [{"source": s, "target": t} for s, t in items]

        return json_ready({"basis": self.basis, "gained": pairs(self.gained),
                           "lost": pairs(self.lost), "reversed": pairs(self.reversed),
                           "kept": self.kept})


@attrs.frozen(kw_only=True)
class WaveComparison:
    """Everything `compare_waves` found (see the module docstring).

    ``reliability`` is the value used for the SEM and ``reliability_source`` says where it
    came from; ``sd`` is the SD of respondent-tie RC in wave A, ``sem`` and ``mdc`` the
    individual-level SEM and MDC95.  The MDC of each figure is
    ``z * SEM * sqrt(1/n_eff_a + 1/n_eff_b)`` under the settings' weighting
    ([`Change`][relcoord.metrics.waves.results.Change]).
    """

    wave_a: str
    wave_b: str
    settings: AnalysisSettings
    min_items: int
    n_boot: int
    seed: int
    confidence: float
    reliability: float | None
    reliability_source: str
    sd: float | None
    sem: float | None
    mdc: float | None
    network: Change
    within: Change
    between: Change
    ties: tuple[TieChange, ...]
    roles: tuple[RoleChange, ...]
    arrows: ArrowChanges

    def tie(self, source: str, target: str) -> TieChange:
        """The change of tie ``source -> target``; `KeyError` if rated in neither wave."""
        for t in self.ties:
            if (t.source, t.target) == (source, target):
                return t
        raise KeyError(f"tie {source!r} -> {target!r} is rated in neither wave")

    def role(self, role_id: str) -> RoleChange:
        """The change of role ``role_id``; `KeyError` when there is none."""
        for r in self.roles:
            if r.id == role_id:
                return r
        raise KeyError(f"no role {role_id!r}")

    def __repr__(self) -> str:
        return (f"<WaveComparison {self.wave_a!r} -> {self.wave_b!r}: {len(self.ties)} ties, "
                f"{len(self.roles)} roles, {self.n_boot} bootstrap replicates>")

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict for the Analysis ``change`` section (``None`` for missing)."""
        return json_ready({
            "wave_a": self.wave_a, "wave_b": self.wave_b,
            "weighting": self.settings.weighting, "min_items": self.min_items,
            "bootstrap": {"n_boot": self.n_boot, "seed": self.seed,
                          "confidence": self.confidence, "method": "percentile",
                          "resampling": "respondents within rater role and wave pattern"},
            "mdc": {"reliability": self.reliability,
                    "reliability_source": self.reliability_source,
                    "sd": self.sd, "sem": self.sem, "mdc95": self.mdc,
                    "formula": MDC_FORMULA},
            "network": self.network,
            "within": self.within,
            "between": self.between,
            "ties": self.ties,
            "roles": self.roles,
            "arrows": self.arrows,
        })
