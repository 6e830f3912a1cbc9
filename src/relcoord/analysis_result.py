"""The result of an analysis: [`Analysis`][relcoord.analysis_result.Analysis] and its per-role
[`RoleSummary`][relcoord.analysis_result.RoleSummary], and the Analysis JSON
([`Analysis.to_mapping`][relcoord.analysis_result.Analysis.to_mapping], its schema
[`analysis_schema`][relcoord.analysis_result.analysis_schema]).

The types live apart from the pipeline that fills them
([`relcoord.analysis.analyze`][relcoord.analysis.analyze]) and from the finding rules that read them
([`relcoord.findings`][relcoord.findings]), so that neither needs the other.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from relcoord.finding import Finding
from relcoord.json_values import json_ready
from relcoord.messages import decimal, section, text
from relcoord.metrics.invitations import InvitationMetrics
from relcoord.metrics.network import NetworkMetrics, RoleNetworkMetrics
from relcoord.metrics.reliability import ICC2_CUTOFF, ReliabilitySummary
from relcoord.metrics.scores import RCScores, Spread
from relcoord.metrics.srm import SocialRelations
from relcoord.metrics.waves import WaveComparison
from relcoord.model import Role, Study
from relcoord.notebook import notebook_language, summary_html
from relcoord.privacy import PrivacySummary
from relcoord.result_graphs import result_igraph, result_networkx
from relcoord.result_tables import PublishedTable, published_table
from relcoord.settings import AnalysisSettings
from relcoord.tables import FrameBackend, Table

if TYPE_CHECKING:
    import igraph
    import networkx

__all__ = [
    "ANALYSIS_FORMAT_VERSION",
    "SRM_SHARES",
    "Analysis",
    "DegreeBasis",
    "RoleSummary",
    "analysis_schema",
    "srm_variance_shares",
]

DegreeBasis = Literal["arrows", "ratings"]

#: Version of the Analysis JSON
#: ([`Analysis.to_mapping`][relcoord.analysis_result.Analysis.to_mapping]).
ANALYSIS_FORMAT_VERSION: Final = "1"

#: How the ``change`` section says which ties took part in the comparison.
_CHANGE_RULE: Final = (
    "only ties publishable in every wave and rated in both compared waves take part; roles "
    "and the network are computed from those ties"
)


@attrs.frozen
class RoleSummary:
    """One role at a glance: its degrees, its RC as rater and as target, its weak ties.

    ``in_degree``/``out_degree`` count named arrows (self excluded, pooled over waves) when
    the study has any, else rated ties
    ([`network_metrics`][relcoord.metrics.network.network_metrics] with ``basis="auto"``);
    ``reciprocated`` counts the role's outgoing arrows that are returned.  The RC fields (and the
    spreads of the scores behind ``rc_as_rater`` and ``rc_as_target``) are those of
    [`RoleScore`][relcoord.metrics.scores.results.RoleScore].
    """

    role: Role
    in_degree: int
    out_degree: int
    reciprocated: int
    n_respondents: int
    n_raters: int
    rc_as_rater: float | None
    rc_as_target: float | None
    rc_within: float | None
    n_rated_ties: int
    n_weak_ties: int
    weak_share: float | None
    suppressed: tuple[str, ...] = ()
    suppressed_reason: str | None = None
    spread_as_rater: Spread = attrs.field(factory=Spread)
    spread_as_target: Spread = attrs.field(factory=Spread)

    @property
    def id(self) -> str:
        """The role's id."""
        return self.role.id

    def to_mapping(self) -> dict[str, Any]:
        """The summary as JSON-ready values: the role (``id``, ``name``, ``names``,
        ``organisation``, ``present``), then one key per other attribute (the spreads as
        ``sd_as_rater``, ..., ``upper_quartile_as_target``, last)."""
        role = self.role
        return json_ready({
            "id": role.id, "name": role.name, "names": dict(role.names),
            "organisation": role.organisation, "present": role.present,
            "in_degree": self.in_degree, "out_degree": self.out_degree,
            "reciprocated": self.reciprocated, "n_respondents": self.n_respondents,
            "n_raters": self.n_raters, "rc_as_rater": self.rc_as_rater,
            "rc_as_target": self.rc_as_target, "rc_within": self.rc_within,
            "n_rated_ties": self.n_rated_ties, "n_weak_ties": self.n_weak_ties,
            "weak_share": self.weak_share, "suppressed": self.suppressed,
            "suppressed_reason": self.suppressed_reason,
            **self.spread_as_rater.flat("_as_rater"), **self.spread_as_target.flat("_as_target"),
        })


@attrs.frozen(eq=False)
class Analysis:
    """All results of analysing one study (see the module docstring).

    ``privacy`` records the minimum-respondent rule in force and what it withheld
    ([`relcoord.privacy`][relcoord.privacy]); every figure was computed from
    [`published`][relcoord.analysis_result.Analysis.published], the study without its withheld
    ratings.  ``reliability`` holds alpha, per-tie agreement and the ICC of the published ratings
    (agreement only for tie-waves with at least ``min_respondents`` raters; ``reliability_withheld``
    counts the tie-waves left out). ``change`` is the comparison of the two waves of
    ``settings.compare`` (``None`` without one), computed from the ties publishable in every wave
    and rated in both (``change_left_out`` lists the other ties rated in either wave).  ``srm`` is
    the Social Relations Model of the published ratings
    ([`relcoord.metrics.srm`][relcoord.metrics.srm]; ``None`` when it cannot be fitted, see
    [`relcoord.analysis.analyze`][relcoord.analysis.analyze]).
    """

    study: Study
    settings: AnalysisSettings
    scores: RCScores
    roles: tuple[RoleSummary, ...]
    degree_basis: DegreeBasis
    named_but_absent: tuple[str, ...]
    network: NetworkMetrics
    invitations: InvitationMetrics | None
    privacy: PrivacySummary
    reliability: ReliabilitySummary
    reliability_withheld: int = 0
    change: WaveComparison | None = None
    change_left_out: tuple[tuple[str, str], ...] = ()
    findings: tuple[Finding, ...] = ()
    srm: SocialRelations | None = None

    @property
    def published(self) -> Study:
        """The study without the ratings the privacy rule withheld: the input of every
        figure.  A metric added to the analysis must be computed from this, never from
        `study`, so that it cannot reveal a small group's
        answers."""
        return self.privacy.published(self.study)

    def role(self, role_id: str) -> RoleSummary:
        """The summary of role ``role_id``; `KeyError` when there is none."""
        for summary in self.roles:
            if summary.id == role_id:
                return summary
        raise KeyError(f"no role {role_id!r}")

    def findings_of(self, kind: str) -> tuple[Finding, ...]:
        """The findings of one kind (empty when the data does not support it)."""
        return tuple(f for f in self.findings if f.kind == kind)

    # --- tables, graphs and the notebook -----------------------------------------------------

    def table(self, name: PublishedTable) -> Table:
        """The published table ``name``, with typed columns: ``roles``, ``ties`` (the
        named arrows) and ``invitations`` of the study, or the analysis tables
        ``tie_metrics``, ``role_metrics``, ``matrix`` and ``findings``
        ([`relcoord.result_tables`][relcoord.result_tables]).  The names, columns and values are
        those of the CSV folder's ``<name>.csv``: published figures only, no answer, no respondent
        id, a withheld figure missing.

        Raises:
            ValueError: an unknown table name.
        """
        return published_table(name, self.study, self.to_mapping(), analysis_schema())

    def to_frame(self, name: PublishedTable, backend: FrameBackend = "pandas") -> Any:
        """The published table ``name`` ([`table`][relcoord.analysis_result.Analysis.table]) as a
        ``pandas.DataFrame`` (``backend="pandas"``) or a ``polars.DataFrame``
        (``backend="polars"``): text as strings, counts as (nullable) integers, figures as floats
        (``NaN`` or null when missing), flags as booleans.

        Raises:
            relcoord.tables.MissingPackageError: the backend's package is not installed.
            ValueError: an unknown table name or backend.
        """
        return self.table(name).to_frame(backend)

    def _graph_tables(self) -> tuple[Table, Table, Table, dict[str, Any]]:
        mapping, schema = self.to_mapping(), analysis_schema()
        rc = mapping["rc"]
        attributes = {
            "study": self.study.metadata.id, "title": self.study.metadata.title,
            "language": self.study.metadata.language, "weighting": self.settings.weighting,
            "band_low": self.settings.bands[0], "band_high": self.settings.bands[1],
            "min_respondents": self.settings.min_respondents, "rc": rc["overall"],
            "band": rc["band"], "degree_basis": self.degree_basis,
        }
        return (published_table("role_metrics", self.study, mapping, schema),
                published_table("tie_metrics", self.study, mapping, schema),
                published_table("ties", self.study, mapping, schema), attributes)

    def to_networkx(self) -> networkx.DiGraph:
        """The role network as a `networkx.DiGraph` with every published role and
        tie figure as an attribute ([`relcoord.result_graphs`][relcoord.result_graphs]): nodes are
        role ids, edges the rated and the named ties.

        Raises:
            relcoord.tables.MissingPackageError: networkx is not installed.
        """
        return result_networkx(*self._graph_tables())

    def to_igraph(self) -> igraph.Graph:
        """The role network as a directed `igraph.Graph`, the same attributes as
        [`to_networkx`][relcoord.analysis_result.Analysis.to_networkx] (``None`` where a figure is
        missing).

        Raises:
            relcoord.tables.MissingPackageError: igraph is not installed.
        """
        return result_igraph(*self._graph_tables())

    def __repr__(self) -> str:
        rc = self.scores.overall
        shown = "withheld" if rc.rc is None else f"{rc.rc:.2f} ({rc.band})"
        return (f"<Analysis of {self.study.metadata.id!r}: RC {shown}, "
                f"{len(self.scores.ties)} rated ties, {len(self.roles)} roles, "
                f"{len(self.findings)} findings; weighting={self.settings.weighting!r}, "
                f"min_respondents={self.settings.min_respondents}>")

    def _repr_html_(self) -> str:
        """The notebook's view: the main figures and the findings, in the study's
        language (else the settings' ``lang``)."""
        lang = notebook_language(self.study.metadata.language, self.settings.lang)
        result = self.scores

        def figure(value: float | None) -> str:
            return text("notebook.no_figure", lang) if value is None else decimal(value, lang)

        band = result.overall.band
        rows = [
            (text("notebook.rc", lang), figure(result.overall.rc)),
            (text("notebook.band", lang),
             "" if band is None else section("band", lang)[band]),
            (text("notebook.within", lang), figure(result.within.rc)),
            (text("notebook.between", lang), figure(result.between.rc)),
            (text("notebook.roles", lang), str(len(self.roles))),
            (text("notebook.rated_ties", lang), str(len(result.ties))),
            (text("notebook.counted", lang), str(result.n_counted)),
            (text("notebook.withheld", lang, k=self.settings.min_respondents),
             str(self.privacy.ratings_withheld)),
            (text("notebook.weighting", lang),
             text(f"report.weighting_{self.settings.weighting}", lang)),
        ]
        title = self.study.metadata.title or self.study.metadata.id
        return summary_html(text("notebook.analysis", lang, title=title), rows, lang,
                            [f.sentence(lang) for f in self.findings])

    # --- the Analysis JSON ------------------------------------------------------------------

    def to_mapping(self) -> dict[str, Any]:
        """The Analysis JSON: JSON-ready values that validate against
        [`analysis_schema`][relcoord.analysis_result.analysis_schema].

        Missing values are ``None``; ties, roles and pairs are sorted by role id.  Each
        section is the ``to_mapping()`` of the result it shows, arranged for a reader: the
        RC figures under ``rc``, one entry per role with its scores and its place in the
        network, the reliability and change sections with what the privacy rule left out.
        """
        result = self.scores
        split = result.organisations
        return json_ready({
            "relcoord_analysis": ANALYSIS_FORMAT_VERSION,
            "study": {
                "id": self.study.metadata.id,
                "title": self.study.metadata.title,
                "language": self.study.metadata.language,
            },
            "instrument": result.instrument,
            "settings": {**self.settings.to_mapping(), "min_items_used": result.min_items},
            "counts": self._counts(),
            "rc": {
                "weighting": self.settings.weighting,
                "overall": result.overall.rc,
                "communication": result.overall.communication,
                "relationship": result.overall.relationship,
                "within": result.within.rc,
                "between": result.between.rc,
                "internal": split.internal.rc,
                "external": split.external.rc,
                "band": result.overall.band,
                "n_respondents": result.overall.n_respondents,
                "by_dimension": result.by_dimension,
                "figures": {
                    "overall": result.overall,
                    "within": result.within,
                    "between": result.between,
                    "internal": split.internal,
                    "external": split.external,
                },
            },
            "organisations": split.by_organisation,
            "ties": result.ties,
            "roles": self._role_mappings(),
            "asymmetry": result.asymmetry,
            "degree_basis": self.degree_basis,
            "named_but_absent": self.named_but_absent,
            "privacy": self.privacy,
            "network": {k: v for k, v in self.network.to_mapping().items() if k != "roles"},
            "invitations": self.invitations,
            "reliability": self._reliability_mapping(),
            "change": self._change_mapping(),
            "findings": self.findings,
            "srm": None if self.srm is None else _srm_mapping(self.srm),
        })

    def _counts(self) -> dict[str, int]:
        """The ``counts`` section: roles, respondents, ratings and what became of them."""
        study, result = self.study, self.scores
        return {
            "roles": len(study.roles),
            "respondents": len(study.respondents),
            "ratings": self.privacy.n_ratings,
            "counted": result.n_counted,
            "excluded": result.n_excluded,
            "withheld": self.privacy.ratings_withheld,
            "arrows": len({(t.source, t.target) for t in study.ties if t.source != t.target}),
            "invitations": len(study.invitations),
        }

    def _role_mappings(self) -> list[dict[str, Any]]:
        """The ``roles`` section: each
        [`RoleSummary.to_mapping`][relcoord.analysis_result.RoleSummary.to_mapping] with the role's
        network measures
        ([`RoleNetworkMetrics.to_mapping`][relcoord.metrics.network.RoleNetworkMetrics.to_mapping],
        its degrees given once), the spreads of its scores last (added after the network measures,
        so the keys that were there before keep their order)."""
        places = {place.role: place for place in self.network.roles}
        out = []
        for summary in self.roles:
            mapping = summary.to_mapping()
            spreads = {key: mapping.pop(key) for key in (*Spread().flat("_as_rater"),
                                                         *Spread().flat("_as_target"))}
            out.append({**mapping, **_network_fields(places[summary.id]), **spreads})
        return out

    def _reliability_mapping(self) -> dict[str, Any]:
        """The ``reliability`` section: alpha per scale, per-tie agreement and the ICCs.

        ``cronbach_alpha`` holds the alpha of ``rc``, ``communication`` and
        ``relationship`` (``None`` when undefined: a scale the instrument has no items
        for, too few cases, or fewer than ``min_respondents``); ``scales`` the full results
        with ``n`` (the ratings the scores count that are complete on the scale) and the
        item statistics.  ``agreement`` lists only tie-waves with at least
        ``min_respondents`` raters (``ties_withheld`` counts the others), each with its
        ICC(2).  ``icc`` is the ICC of respondents by rater role, ``icc_by_target`` of
        ratings by target role, ``icc_by_tie`` of ratings by tie; each names its design and
        carries the thresholds that belong to it, so ``thresholds`` holds only those that
        read any design.
        """
        summary = self.reliability
        agreement = summary.agreement.to_mapping()
        agreement["ties_withheld"] = self.reliability_withheld
        return {
            "settings": summary.settings,
            "agreement": agreement,
            "icc": summary.icc,
            "scales": summary.alpha,
            "cronbach_alpha": {scale: a.alpha for scale, a in summary.alpha.items()},
            "thresholds": {
                "alpha": summary.settings.alpha_cutoff, "rwg_j": summary.settings.rwg_cutoff,
                "icc2": ICC2_CUTOFF,
                "sources": {"alpha": "Nunnally 1978", "rwg_j": "LeBreton & Senter 2008",
                            "icc2": "LeBreton & Senter 2008"},
            },
            "icc_by_target": summary.icc_by_target,
            "icc_by_tie": summary.icc_by_tie,
        }

    def _change_mapping(self) -> dict[str, Any] | None:
        """The ``change`` section (``None`` without a comparison): the change of the
        network, each role and each tie with bootstrap intervals and the MDC, the arrows
        gained, lost and reversed, and which ties the privacy rule left out of the
        comparison."""
        if self.change is None:
            return None
        return {
            **self.change.to_mapping(),
            "privacy": {
                "rule": _CHANGE_RULE,
                "ties_compared": len(self.change.ties),
                "ties_left_out": len(self.change_left_out),
            },
        }


#: The components of the SRM's ``variance_shares`` in the Analysis JSON; the respondent
#: component (individuals within their rater role) is counted in ``residual``.
SRM_SHARES: Final = ("rater", "target", "relationship", "residual")


def srm_variance_shares(srm: SocialRelations) -> dict[str, float | None]:
    """The shares of `SRM_SHARES`: the model's own, with the
    respondent component added to ``residual`` (see
    `_srm_mapping`)."""
    five = srm.variance_shares
    individual = [five["respondent"], five["residual"]]
    residual = (None if all(s is None for s in individual)
                else sum(s for s in individual if s is not None))
    return {**{name: five[name] for name in SRM_SHARES[:-1]}, "residual": residual}


def _srm_mapping(srm: SocialRelations) -> dict[str, Any]:
    """The ``srm`` section: the model's
    [`to_mapping`][relcoord.metrics.srm.result.SocialRelations.to_mapping] with ``variance_shares``
    of `SRM_SHARES` only.

    A tie's RC is a mean over its raters, so the RC reader's question is how much of the
    variance lies with the rater role, the target role, the tie, or none of them; the
    respondent component (a person's own leniency within their role) is part of the
    individuals' variation, and is added to ``residual``.  The shares of the fitted
    components sum to 1 (``None`` for a component the data cannot tell apart);
    ``components`` keeps the full five-way split with each variance, share and their
    standard errors (the folded residual share has none: its error needs the covariance of
    the two variances, which the fit does not report).  The top-level ``variances`` and
    ``standard_errors`` of the model's own mapping are left out: ``components`` holds them,
    keyed as the five-way split they belong to.
    """
    mapping = srm.to_mapping()
    for key in ("variance_shares", "standard_errors", "variances", "reason"):
        del mapping[key]
    shares = srm_variance_shares(srm)
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        if key == "components":
            out["variance_shares"] = shares
        out[key] = value
    return out


def _network_fields(place: RoleNetworkMetrics) -> dict[str, Any]:
    """A role's network measures without its id and degrees (the summary holds them)."""
    return {k: v for k, v in place.to_mapping().items()
            if k not in ("role", "in_degree", "out_degree")}


@cache
def _schema_text() -> str:
    path = resources.files("relcoord").joinpath("schemas").joinpath("analysis.schema.json")
    return path.read_text(encoding="utf-8")


def analysis_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of the Analysis JSON
    ([`Analysis.to_mapping`][relcoord.analysis_result.Analysis.to_mapping])."""
    return json.loads(_schema_text())  # type: ignore[no-any-return]
