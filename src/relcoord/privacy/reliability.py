"""Publishable reliability: alpha, agreement and the ICC under the minimum-respondent rule.

Reliability is computed from the published study (the withheld ratings are gone already),
but agreement is shown per tie *and wave*, and a tie that is publishable pooled may still
have a wave with fewer raters: r_wg of two raters would describe those two.  So each
agreement entry is kept only when enough distinct raters with complete answers stand behind
it, and alpha and the ICC are blanked when they rest on fewer cases (rule 4 of
[`relcoord.privacy`][relcoord.privacy]).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from relcoord.metrics.reliability import (
    CronbachAlpha,
    IntraclassCorrelation,
    ReliabilitySettings,
    ReliabilitySummary,
    TieAgreement,
)
from relcoord.metrics.reliability.parts import (
    ReliabilityPart,
    reliability_of_part,
    reliability_settings,
)
from relcoord.metrics.reliability.summary import reliability_summary_and_raters
from relcoord.model import Study
from relcoord.settings import AnalysisSettings

__all__ = ["publishable_reliability", "publishable_reliability_from_parts"]


def publishable_reliability(
    published: Study, settings: AnalysisSettings,
    reliability: ReliabilitySettings | None = None,
) -> tuple[ReliabilitySummary, int]:
    """Reliability and agreement of the publishable ratings, under the same rule.

    ``reliability`` defaults to the analysis's own choices: alpha on the ratings the scores
    count under ``settings.min_items``, ICC(1) with ``settings.icc_group_size``.
    ``published`` must be the study without its withheld ratings
    ([`withhold`][relcoord.privacy.withholding.withhold]), so that alpha, the ICC and the agreement
    of a tie use publishable ties only.  Agreement is computed per tie *and wave*; an entry is kept
    only when at least ``settings.min_respondents`` distinct raters with complete answers
    stand behind it.  Alpha and the ICCs are single figures over all published ratings; they
    are blanked as well when they rest on fewer than ``k`` cases (rule 4, second line of
    defence), and with the ICC of ratings by tie every tie's ICC(2) that rests on it.
    Returns the summary and the number of per-wave agreement entries left out.
    """
    if reliability is None:
        reliability = reliability_settings(published, settings)
    summary, raters = reliability_summary_and_raters(published, reliability)
    return _publishable(summary, raters.of, settings.min_respondents)


def publishable_reliability_from_parts(
    study: Study, part: ReliabilityPart, settings: AnalysisSettings,
) -> tuple[ReliabilitySummary, int]:
    """[`publishable_reliability`][relcoord.privacy.reliability.publishable_reliability] of the
    published study whose rows ``part`` sums up
    ([`combine_reliability_parts`][relcoord.metrics.reliability.parts.combine_reliability_parts] of
    the [`reliability_part`][relcoord.metrics.reliability.parts.reliability_part] of every block of
    its rater roles): the same figures under the same rule, without the rows.  ``study`` gives the
    instrument, roles and respondents only (its ratings may be empty)."""
    summary = reliability_of_part(study, part, reliability_settings(study, settings))
    index = {role_id: i for i, role_id in enumerate(study.role_ids)}

    def raters(source: str, target: str, wave: str | None) -> int:
        return part.raters_of(index[source], index[target], wave)

    return _publishable(summary, raters, settings.min_respondents)


def _publishable(summary: ReliabilitySummary, raters: Callable[[str, str, str | None], int],
                 k: int) -> tuple[ReliabilitySummary, int]:
    """``summary`` under the minimum-respondent rule ``k``: the agreement entries with fewer than
    ``k`` raters (``n``) or distinct complete raters (``raters(source, target, wave)``) left
    out, alpha and the ICCs on fewer than ``k`` cases blanked; and the number left out."""
    table = summary.agreement

    def shown(tie: TieAgreement) -> bool:
        return tie.n >= k and raters(tie.source, tie.target, tie.wave) >= k

    kept = tuple(t for t in table.ties if shown(t))
    by_tie = table.icc
    if by_tie is not None and by_tie.n < k:
        by_tie = _no_icc(by_tie)
        kept = tuple(attrs.evolve(t, icc2=None) for t in kept)
    alpha = {scale: a if a.n >= k else _no_alpha(a) for scale, a in summary.alpha.items()}
    icc = summary.icc if summary.icc.n >= k else _no_icc(summary.icc)
    by_target = summary.icc_by_target
    if by_target is not None and by_target.n < k:
        by_target = _no_icc(by_target)
    result = attrs.evolve(summary, alpha=alpha, icc=icc, icc_by_target=by_target,
                          agreement=attrs.evolve(table, ties=kept, icc=by_tie))
    return result, len(table.ties) - len(kept)


def _no_alpha(alpha: CronbachAlpha) -> CronbachAlpha:
    nothing = (None,) * len(alpha.items)
    return attrs.evolve(alpha, alpha=None, item_total=nothing, alpha_if_deleted=nothing)


def _no_icc(icc: IntraclassCorrelation) -> IntraclassCorrelation:
    return attrs.evolve(icc, k=None, k0=None, ms_between=None, ms_within=None, icc1=None,
                        icc2=None)

