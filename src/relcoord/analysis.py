"""``analyze(study) -> Analysis``: every metric of a study and its findings, in one object.

An :class:`Analysis` is frozen and complete: the RC scores (:mod:`relcoord.metrics.scores`),
one summary per role (degrees, RC as rater and target, weak ties), the role network's
measures (:mod:`relcoord.metrics.network`), the dialogue invitations
(:mod:`relcoord.metrics.invitations`), the roles named but absent, the reliability and
agreement of the ratings (:mod:`relcoord.metrics.reliability`), the change between two waves
when the settings ask for one (:mod:`relcoord.metrics.waves`), and the findings
(:mod:`relcoord.findings`).  Everything is ordered by role id so that outputs diff cleanly,
and carries the :class:`~relcoord.settings.AnalysisSettings` that produced it.

:func:`analysis_to_mapping` gives the JSON form, which validates against the shipped
``analysis.schema.json`` (:func:`analysis_schema`); a missing value is ``null``, never NaN.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any, Final

import attrs
import numpy as np

from relcoord.analysis_result import Analysis, DegreeBasis, RoleSummary
from relcoord.findings import findings
from relcoord.metrics.invitations import InvitationMetrics, invitation_metrics
from relcoord.metrics.network import NetworkMetrics, network_metrics
from relcoord.metrics.reliability import ICC1_TYPICAL, ICC2_CUTOFF
from relcoord.metrics.scores import Figure
from relcoord.metrics.waves import WaveComparison, arrow_changes, compare_waves
from relcoord.model import Study
from relcoord.privacy import (
    comparable_ratings,
    publishable_reliability,
    published_scores,
)
from relcoord.settings import AnalysisSettings, InvalidSettingsError

__all__ = [
    "ANALYSIS_FORMAT_VERSION",
    "Analysis",
    "DegreeBasis",
    "RoleSummary",
    "analysis_schema",
    "analysis_to_mapping",
    "analyze",
    "change_to_mapping",
    "reliability_to_mapping",
]

#: Version of the JSON form written by :func:`analysis_to_mapping`.
ANALYSIS_FORMAT_VERSION: Final = "1"


def _resolve_settings(
    settings: AnalysisSettings | None, overrides: Mapping[str, Any]
) -> AnalysisSettings:
    if settings is None:
        return AnalysisSettings.from_mapping(overrides)
    if not isinstance(settings, AnalysisSettings):
        raise InvalidSettingsError("settings", f"expected AnalysisSettings, got {settings!r}")
    if not overrides:
        return settings
    return AnalysisSettings.from_mapping({**attrs.asdict(settings), **overrides})


def _arrow_pairs(study: Study) -> set[tuple[str, str]]:
    return {(t.source, t.target) for t in study.ties if t.source != t.target}


def _check_compare(study: Study, settings: AnalysisSettings) -> None:
    """Refuse a comparison of waves the study does not have, before any work is done."""
    if settings.compare is None:
        return
    known = ", ".join(repr(w) for w in study.waves) or "none"
    for wave in settings.compare:
        if wave not in study.waves:
            raise InvalidSettingsError("compare", f"no wave {wave!r} in the study "
                                       f"(waves: {known})")


def _change(
    study: Study, published: Study, settings: AnalysisSettings
) -> tuple[WaveComparison | None, tuple[tuple[str, str], ...]]:
    """The wave comparison of ``settings.compare`` on the ties publishable in every wave.

    The figures use only the ratings :func:`~relcoord.privacy.comparable_ratings` allows;
    the arrows gained, lost and reversed are those of the published study (named arrows are
    workshop facts; rated ties are those the analysis shows).
    """
    if settings.compare is None:
        return None, ()
    wave_a, wave_b = settings.compare
    rows, left_out = comparable_ratings(study, settings, wave_a, wave_b)
    compared = attrs.evolve(study, ratings=study.ratings.select(rows))
    result = compare_waves(compared, wave_a, wave_b, settings=settings,
                           n_boot=settings.n_boot, seed=settings.seed)
    arrows = arrow_changes(published, wave_a, wave_b, min_items=result.min_items)
    return attrs.evolve(result, arrows=arrows), left_out


def analyze(
    study: Study, settings: AnalysisSettings | None = None, **overrides: Any
) -> Analysis:
    """Analyse ``study``: RC scores, network, invitations, reliability, change and findings.

    Settings come from ``settings`` and/or keyword values (``weighting="tie"``,
    ``min_items=7``, ``bands=(3.5, 4.0)``, ``min_respondents=5``, ``lang="da"``,
    ``compare=("wave-1", "wave-2")``, ``n_boot=2000``, ``seed=1``); a keyword value
    overrides the same field of ``settings``.  Raises
    :class:`~relcoord.settings.InvalidSettingsError` for a bad or unknown setting, or a
    wave to compare that the study does not have.
    """
    chosen = _resolve_settings(settings, overrides)
    _check_compare(study, chosen)
    # privacy before output (docs/privacy.md): every figure below is computed from the
    # publishable ratings only; see relcoord.privacy
    published, result, privacy = published_scores(study, chosen)
    tie_rc = {(t.source, t.target): t.rc for t in result.ties if t.rc is not None}
    network = network_metrics(published, basis="auto", tie_rc=tie_rc)
    summaries = tuple(
        RoleSummary(
            role=role, in_degree=place.in_degree, out_degree=place.out_degree,
            reciprocated=place.out_degree - place.unreciprocated_out,
            n_respondents=score.n_respondents, n_raters=score.n_raters,
            rc_as_rater=score.rc_as_rater, rc_as_target=score.rc_as_target,
            rc_within=score.rc_within, n_rated_ties=score.n_rated_ties,
            n_weak_ties=score.n_weak_ties, weak_share=score.weak_share,
            suppressed=score.suppressed, suppressed_reason=score.suppressed_reason,
        )
        for role, score, place in zip(study.roles, result.roles, network.roles, strict=True)
    )
    weak_or_asymmetric = {
        (t.source, t.target) for t in result.ties if t.source != t.target and t.band == "weak"
    } | set(network.unreciprocated)
    invitations = (
        invitation_metrics(study, weak_or_asymmetric=weak_or_asymmetric)
        if study.invitations else None
    )
    reliability, reliability_withheld = publishable_reliability(published, chosen)
    change, left_out = _change(study, published, chosen)
    analysis = Analysis(
        study=study, settings=chosen, scores=result, roles=summaries,
        degree_basis=network.basis, named_but_absent=network.named_but_absent,
        network=network, invitations=invitations, privacy=privacy,
        reliability=reliability, reliability_withheld=reliability_withheld,
        change=change, change_left_out=left_out,
    )
    return attrs.evolve(analysis, findings=findings(analysis))


# --- the JSON form -----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-ready: numpy scalars to Python, NaN and infinities to None, containers walked."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [_plain(v) for v in items]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _figure(fig: Figure) -> dict[str, Any]:
    return attrs.asdict(fig)


def _role(summary: RoleSummary, network: NetworkMetrics) -> dict[str, Any]:
    role = summary.role
    out: dict[str, Any] = {
        "id": role.id,
        "name": role.name,
        "names": dict(role.names),
        "organisation": role.organisation,
        "present": role.present,
        "in_degree": summary.in_degree,
        "out_degree": summary.out_degree,
        "reciprocated": summary.reciprocated,
        "n_respondents": summary.n_respondents,
        "n_raters": summary.n_raters,
        "rc_as_rater": summary.rc_as_rater,
        "rc_as_target": summary.rc_as_target,
        "rc_within": summary.rc_within,
        "n_rated_ties": summary.n_rated_ties,
        "n_weak_ties": summary.n_weak_ties,
        "weak_share": summary.weak_share,
        "suppressed": list(summary.suppressed),
        "suppressed_reason": summary.suppressed_reason,
    }
    out.update(network_role_fields(network, role.id))
    return out


def network_role_fields(network: NetworkMetrics, role_id: str) -> dict[str, Any]:
    """The per-role network measures of ``role_id`` (degrees aside) as JSON-ready values."""
    fields = attrs.asdict(network.role(role_id), recurse=False)
    for key in ("role", "in_degree", "out_degree"):
        fields.pop(key)
    return fields


def analysis_to_mapping(analysis: Analysis) -> dict[str, Any]:
    """The Analysis as a JSON-ready mapping (validates against :func:`analysis_schema`).

    Missing values are ``None``; ties, roles and pairs are sorted by role id.
    """
    result = analysis.scores
    split = result.organisations
    data: dict[str, Any] = {
        "relcoord_analysis": ANALYSIS_FORMAT_VERSION,
        "study": {
            "id": analysis.study.metadata.id,
            "title": analysis.study.metadata.title,
            "language": analysis.study.metadata.language,
        },
        "instrument": result.instrument,
        "settings": {**analysis.settings.to_mapping(), "min_items_used": result.min_items},
        "counts": {
            "roles": len(analysis.study.roles),
            "respondents": len(analysis.study.respondents),
            "ratings": analysis.privacy.n_ratings,
            "counted": result.n_counted,
            "excluded": result.n_excluded,
            "withheld": analysis.privacy.ratings_withheld,
            "arrows": len(_arrow_pairs(analysis.study)),
            "invitations": len(analysis.study.invitations),
        },
        "rc": {
            "weighting": analysis.settings.weighting,
            "overall": result.overall.rc,
            "communication": result.overall.communication,
            "relationship": result.overall.relationship,
            "within": result.within.rc,
            "between": result.between.rc,
            "internal": split.internal.rc,
            "external": split.external.rc,
            "band": result.overall.band,
            "n_respondents": result.overall.n_respondents,
            "by_dimension": dict(result.by_dimension),
            "figures": {
                "overall": _figure(result.overall),
                "within": _figure(result.within),
                "between": _figure(result.between),
                "internal": _figure(split.internal),
                "external": _figure(split.external),
            },
        },
        "organisations": [
            {"organisation": o.organisation, "internal": _figure(o.internal),
             "external": _figure(o.external)}
            for o in split.by_organisation
        ],
        "ties": [
            {
                "source": t.source, "target": t.target, "rc": t.rc,
                "communication": t.communication, "relationship": t.relationship,
                "n_respondents": t.n_respondents, "band": t.band,
                "dimensions": dict(t.dimensions), "lowest_dimension": t.lowest_dimension,
                "gap": t.gap, "suppressed": t.suppressed,
                "suppressed_reason": t.suppressed_reason,
            }
            for t in result.ties
        ],
        "roles": [_role(r, analysis.network) for r in analysis.roles],
        "asymmetry": [attrs.asdict(a) for a in result.asymmetry],
        "degree_basis": analysis.degree_basis,
        "named_but_absent": list(analysis.named_but_absent),
        "privacy": analysis.privacy.to_mapping(),
        "network": network_to_mapping(analysis.network),
        "invitations": (
            None if analysis.invitations is None
            else invitations_to_mapping(analysis.invitations)
        ),
        "reliability": reliability_to_mapping(analysis),
        "change": change_to_mapping(analysis),
        "findings": [
            {"kind": f.kind, "roles": list(f.roles), "figures": dict(f.figures),
             "text": dict(f.text)}
            for f in analysis.findings
        ],
    }
    return _plain(data)  # type: ignore[no-any-return]


def reliability_to_mapping(analysis: Analysis) -> dict[str, Any]:
    """The ``reliability`` section: alpha per scale, per-tie agreement and the ICC.

    ``cronbach_alpha`` holds the alpha of ``rc``, ``communication`` and ``relationship``
    (``None`` when undefined: a scale the instrument has no items for, too few complete
    cases, or fewer than ``min_respondents``); ``scales`` the full results with ``n`` and
    the item statistics.  ``agreement`` lists only tie-waves with at least
    ``min_respondents`` raters (``ties_withheld`` counts the others).
    """
    summary = analysis.reliability
    data = summary.to_mapping()
    data["scales"] = data.pop("cronbach_alpha")
    data["cronbach_alpha"] = {scale: a.alpha for scale, a in summary.alpha.items()}
    data["agreement"]["ties_withheld"] = analysis.reliability_withheld
    data["thresholds"] = {
        "alpha": summary.settings.alpha_cutoff, "rwg_j": summary.settings.rwg_cutoff,
        "icc1_typical": [ICC1_TYPICAL[0], ICC1_TYPICAL[1]], "icc2": ICC2_CUTOFF,
    }
    return _plain(data)  # type: ignore[no-any-return]


def change_to_mapping(analysis: Analysis) -> dict[str, Any] | None:
    """The ``change`` section (``None`` without a comparison): the change of the network,
    each role and each tie with bootstrap intervals and the MDC, the arrows gained, lost and
    reversed, and which ties the privacy rule left out of the comparison."""
    if analysis.change is None:
        return None
    data = analysis.change.to_mapping()
    data["privacy"] = {
        "rule": "only ties publishable in every wave and rated in both compared waves "
        "take part; roles and the network are computed from those ties",
        "ties_compared": len(analysis.change.ties),
        "ties_left_out": len(analysis.change_left_out),
    }
    return _plain(data)  # type: ignore[no-any-return]


def network_to_mapping(network: NetworkMetrics) -> dict[str, Any]:
    """The network-level measures (not the per-role ones) as JSON-ready values."""
    fields = attrs.asdict(network, recurse=True)
    fields.pop("roles", None)
    return _plain(fields)  # type: ignore[no-any-return]


def invitations_to_mapping(metrics: InvitationMetrics) -> dict[str, Any]:
    """The invitation (balkort) measures as JSON-ready values."""
    return _plain(attrs.asdict(metrics, recurse=True))  # type: ignore[no-any-return]


@cache
def _schema_text() -> str:
    path = resources.files("relcoord").joinpath("schemas").joinpath("analysis.schema.json")
    return path.read_text(encoding="utf-8")


def analysis_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of :func:`analysis_to_mapping`'s output."""
    return json.loads(_schema_text())  # type: ignore[no-any-return]
