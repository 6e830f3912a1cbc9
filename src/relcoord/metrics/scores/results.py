"""The RC score results: one aggregate figure, a tie, a role, a pair, the organisation split
and the whole set ([`RCScores`][relcoord.metrics.scores.results.RCScores]), each with its JSON form
(``to_mapping()``).

The formulas behind each value are in [`relcoord.metrics.scores`][relcoord.metrics.scores]; the
values are floats or ``None`` where a figure is undefined or withheld, never NaN.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from relcoord.frozen_mapping import FrozenMapping
from relcoord.json_values import json_ready
from relcoord.settings import AnalysisSettings

__all__ = [
    "Band",
    "Figure",
    "OrganisationScore",
    "OrganisationSplit",
    "PairAsymmetry",
    "RCScores",
    "RatedTie",
    "RoleScore",
    "Spread",
]

Band = Literal["weak", "moderate", "strong"]


def _frozen_map(value: Mapping[str, float | None] | Iterable[tuple[str, float | None]]
                ) -> Mapping[str, float | None]:
    """A read-only copy of ``value``, a mapping or its ``(key, value)`` pairs (which spares the
    scores a dict per tie that would only be copied here)."""
    return FrozenMapping(value)


@attrs.frozen
class Spread:
    """How the respondent-tie RC scores behind a figure are spread: their standard deviation
    (``ddof=1``; ``None`` for fewer than two), median and first and third quartiles
    (linear interpolation, R's type 7; ``None`` without scores or when the figure is
    withheld).  See `relcoord.metrics.scores.spread`."""

    sd: float | None = None
    median: float | None = None
    lower_quartile: float | None = None
    upper_quartile: float | None = None

    def to_mapping(self) -> dict[str, Any]:
        """The spread as JSON-ready values."""
        return json_ready({"sd": self.sd, "median": self.median,
                           "lower_quartile": self.lower_quartile,
                           "upper_quartile": self.upper_quartile})

    def flat(self, suffix: str = "") -> dict[str, float | None]:
        """The four values keyed ``sd``, ``median``, ``lower_quartile`` and
        ``upper_quartile`` with ``suffix`` added (``"_as_rater"``): how a result shows them
        beside its own fields."""
        return {f"sd{suffix}": self.sd, f"median{suffix}": self.median,
                f"lower_quartile{suffix}": self.lower_quartile,
                f"upper_quartile{suffix}": self.upper_quartile}


_NO_SPREAD = Spread()


@attrs.frozen
class Figure:
    """One aggregate RC figure over a set of ties, under the settings' weighting.

    ``n_respondents`` counts distinct respondents behind it (a rating without respondent
    counts as one), ``n_ratings`` the respondent-ties, ``n_ties`` the ties.
    ``suppressed_reason`` is set (and the values are None) when the privacy rule
    ([`relcoord.privacy`][relcoord.privacy]) hid the figure.  ``spread`` describes the
    respondent-tie RC scores behind ``rc`` (SD, median, quartiles).
    """

    rc: float | None
    communication: float | None
    relationship: float | None
    n_respondents: int
    n_ratings: int
    n_ties: int
    band: Band | None
    suppressed_reason: str | None = None
    spread: Spread = _NO_SPREAD

    def to_mapping(self) -> dict[str, Any]:
        """The figure as JSON-ready values, one key per attribute (the spread's four values
        after the others)."""
        return json_ready({
            "rc": self.rc, "communication": self.communication,
            "relationship": self.relationship, "n_respondents": self.n_respondents,
            "n_ratings": self.n_ratings, "n_ties": self.n_ties, "band": self.band,
            "suppressed_reason": self.suppressed_reason, **self.spread.flat(),
        })


@attrs.frozen
class RatedTie:
    """A rated tie ``source -> target``: how respondents in ``source`` rate ``target``.

    Not to be confused with a [`NamedTie`][relcoord.model.NamedTie], an arrow drawn on a
    relationskort: an RC survey rates every pair, named or not.

    ``dimensions`` maps each item to its mean over the counted respondent-ties;
    ``lowest_dimension`` is the item with the lowest mean (first in survey order on a tie);
    ``gap`` is communication minus relationship (None if either is missing).
    ``n_respondents`` counts the distinct people behind the tie (across waves, when they
    are pooled: a person rating the tie in two waves is one), a rating without respondent
    counting as one; ``n_ratings`` the counted respondent-ties; ``spread`` describes their
    RC scores (SD, median, quartiles).  A tie rated only by groups smaller than the privacy
    rule's minimum ([`relcoord.privacy`][relcoord.privacy]) has ``suppressed=True``, a
    ``suppressed_reason`` and every number None, ``n_respondents`` included.
    """

    source: str
    target: str
    rc: float | None
    communication: float | None
    relationship: float | None
    n_respondents: int | None
    band: Band | None
    dimensions: Mapping[str, float | None] = attrs.field(converter=_frozen_map)
    lowest_dimension: str | None
    gap: float | None
    suppressed: bool = False
    suppressed_reason: str | None = None
    n_ratings: int | None = None
    spread: Spread = _NO_SPREAD

    def to_mapping(self) -> dict[str, Any]:
        """The tie as JSON-ready values, one key per attribute (``dimensions`` a dict; the
        spread's four values last)."""
        return json_ready({
            "source": self.source, "target": self.target, "rc": self.rc,
            "communication": self.communication, "relationship": self.relationship,
            "n_respondents": self.n_respondents, "band": self.band,
            "dimensions": self.dimensions, "lowest_dimension": self.lowest_dimension,
            "gap": self.gap, "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason, "n_ratings": self.n_ratings,
            **self.spread.flat(),
        })


@attrs.frozen
class RoleScore:
    """One role's RC as rater (its row) and as target (its column), self-tie excluded.

    ``n_respondents`` counts the role's own respondents with a counted rating of another
    role; ``n_raters`` the respondents of other roles who rated it.  ``weak_share`` is the
    share of the between-group ties it takes part in (as rater or target) whose RC is weak.
    ``suppressed`` names the fields the privacy rule ([`relcoord.privacy`][relcoord.privacy]) set to
    None because they rest on fewer respondents than its minimum, ``suppressed_reason`` says why;
    the spread beside a suppressed figure is withheld with it.  ``spread_as_rater`` and
    ``spread_as_target`` describe the respondent-tie RC scores of the role's row and column
    (self-tie left out).
    """

    id: str
    rc_as_rater: float | None
    rc_as_target: float | None
    rc_within: float | None
    n_respondents: int
    n_raters: int
    n_rated_ties: int
    n_weak_ties: int
    weak_share: float | None
    suppressed: tuple[str, ...] = ()
    suppressed_reason: str | None = None
    spread_as_rater: Spread = _NO_SPREAD
    spread_as_target: Spread = _NO_SPREAD

    def to_mapping(self) -> dict[str, Any]:
        """The role's scores as JSON-ready values, one key per attribute (the spreads' values
        last, as ``sd_as_rater``, ..., ``upper_quartile_as_target``)."""
        return json_ready({
            "id": self.id, "rc_as_rater": self.rc_as_rater, "rc_as_target": self.rc_as_target,
            "rc_within": self.rc_within, "n_respondents": self.n_respondents,
            "n_raters": self.n_raters, "n_rated_ties": self.n_rated_ties,
            "n_weak_ties": self.n_weak_ties, "weak_share": self.weak_share,
            "suppressed": self.suppressed, "suppressed_reason": self.suppressed_reason,
            **self.spread_as_rater.flat("_as_rater"), **self.spread_as_target.flat("_as_target"),
        })


@attrs.frozen
class PairAsymmetry:
    """Rating asymmetry of a pair of roles: ``rc(first -> second) - rc(second -> first)``."""

    first: str
    second: str
    rc_forward: float
    rc_backward: float
    difference: float

    def to_mapping(self) -> dict[str, Any]:
        """The pair as JSON-ready values, one key per attribute."""
        return json_ready({
            "first": self.first, "second": self.second, "rc_forward": self.rc_forward,
            "rc_backward": self.rc_backward, "difference": self.difference,
        })


@attrs.frozen
class OrganisationScore:
    """One organisation's ties: internal (both roles in it) and external (rater in it)."""

    organisation: str
    internal: Figure
    external: Figure

    def to_mapping(self) -> dict[str, Any]:
        """The organisation's figures as JSON-ready values."""
        return json_ready({"organisation": self.organisation, "internal": self.internal,
                           "external": self.external})


@attrs.frozen
class OrganisationSplit:
    """Internal vs external RC: ties inside one organisation vs ties across organisations.

    Only between-group ties of roles with a known organisation take part.
    """

    internal: Figure
    external: Figure
    by_organisation: tuple[OrganisationScore, ...]

    def to_mapping(self) -> dict[str, Any]:
        """The split as JSON-ready values (``by_organisation`` a list)."""
        return json_ready({"internal": self.internal, "external": self.external,
                           "by_organisation": self.by_organisation})


@attrs.frozen
class RCScores:
    """Every RC score of a study, with the settings that produced them.

    ``min_items`` is the rule in force (resolved from the settings for the instrument);
    ``n_ratings`` counts all ratings, ``n_counted`` those with enough answered items and
    ``n_excluded`` the rest.  Ties and roles are sorted by role id.
    """

    settings: AnalysisSettings
    instrument: str
    min_items: int
    overall: Figure
    within: Figure
    between: Figure
    by_dimension: Mapping[str, float | None] = attrs.field(converter=_frozen_map)
    ties: tuple[RatedTie, ...]
    roles: tuple[RoleScore, ...]
    asymmetry: tuple[PairAsymmetry, ...]
    organisations: OrganisationSplit
    n_ratings: int
    n_counted: int
    n_excluded: int

    def tie(self, source: str, target: str) -> RatedTie | None:
        """The tie ``source -> target``, or None when nobody rated it."""
        for tie in self.ties:
            if tie.source == source and tie.target == target:
                return tie
        return None

    def role(self, role_id: str) -> RoleScore:
        """The scores of role ``role_id``; `KeyError` when there is none."""
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(f"no role {role_id!r}")

    def __repr__(self) -> str:
        rc = self.overall.rc
        return (f"<RCScores: RC {'withheld' if rc is None else f'{rc:.2f}'}, "
                f"{len(self.ties)} ties, {len(self.roles)} roles, {self.n_counted} of "
                f"{self.n_ratings} ratings counted; weighting={self.settings.weighting!r}>")

    def to_mapping(self) -> dict[str, Any]:
        """Every score as JSON-ready values, one key per attribute (the Analysis JSON
        arranges them in its own sections:
        [`relcoord.analysis_result.Analysis.to_mapping`][relcoord.analysis_result.Analysis.to_mapping])."""
        return json_ready({
            "settings": self.settings, "instrument": self.instrument,
            "min_items": self.min_items, "overall": self.overall, "within": self.within,
            "between": self.between, "by_dimension": self.by_dimension, "ties": self.ties,
            "roles": self.roles, "asymmetry": self.asymmetry,
            "organisations": self.organisations, "n_ratings": self.n_ratings,
            "n_counted": self.n_counted, "n_excluded": self.n_excluded,
        })
