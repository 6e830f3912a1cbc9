"""``analyze(study) -> Analysis``: every metric of a study and its findings, in one object.

An [`Analysis`][relcoord.analysis_result.Analysis] is frozen and complete: the RC scores
([`relcoord.metrics.scores`][relcoord.metrics.scores]), one summary per role (degrees, RC as rater
and target, weak ties), the role network's measures
([`relcoord.metrics.network`][relcoord.metrics.network]), the dialogue invitations
([`relcoord.metrics.invitations`][relcoord.metrics.invitations]), the roles named but absent, the
reliability and agreement of the ratings
([`relcoord.metrics.reliability`][relcoord.metrics.reliability]), the Social Relations Model of the
ratings ([`relcoord.metrics.srm`][relcoord.metrics.srm]), the change between two waves when the
settings ask for one ([`relcoord.metrics.waves`][relcoord.metrics.waves]), and the findings
([`relcoord.findings`][relcoord.findings]).  Everything is ordered by role id so that outputs diff
cleanly, and carries the [`AnalysisSettings`][relcoord.settings.AnalysisSettings] that produced it.

A study too large for one process is analysed in blocks of rater roles
([`relcoord.rater_role_blocks`][relcoord.rater_role_blocks]): each block's part
([`analysis_part`][relcoord.analysis_parts.analysis_part]) holds no rating row, and
[`analyze_parts`][relcoord.analysis.analyze_parts] finishes the same analysis from the parts
(the ``dask`` engine computes them on its workers).

The JSON form is [`Analysis.to_mapping()`][relcoord.analysis_result.Analysis.to_mapping],
which validates against the shipped ``analysis.schema.json``
([`analysis_schema`][relcoord.analysis_result.analysis_schema]); a missing value is ``null``, never
NaN.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Final, Generic, TypeVar, Unpack

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.analysis_parts import AnalysisPart, check_no_comparison
from relcoord.analysis_result import (
    ANALYSIS_FORMAT_VERSION,
    Analysis,
    DegreeBasis,
    RoleSummary,
    analysis_schema,
)
from relcoord.findings import findings
from relcoord.metrics.graph_measures import Backend
from relcoord.metrics.invitations import invitation_metrics
from relcoord.metrics.network import NetworkMetrics, network_metrics
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.reliability import ReliabilitySummary
from relcoord.metrics.scores import RCScores, shared_respondent_tie_scores
from relcoord.metrics.scores.parts import scores_from_parts
from relcoord.metrics.srm import SocialRelations, social_relations_model
from relcoord.metrics.srm.parts import social_relations_model_from_parts
from relcoord.metrics.waves import WaveComparison, arrow_changes, compare_waves
from relcoord.model import Study
from relcoord.optional_dependencies import is_available
from relcoord.privacy import (
    PrivacySummary,
    comparable_ratings,
    publishable_reliability,
    published_scores,
)
from relcoord.privacy.parts import published_scores_from_parts
from relcoord.privacy.reliability import publishable_reliability_from_parts
from relcoord.rater_role_blocks import without_rows
from relcoord.role_network import rated_network
from relcoord.row_blocks import thread_count
from relcoord.settings import AnalysisSettings, InvalidSettingsError, SettingsOverrides

_T = TypeVar("_T")

__all__ = [
    "ANALYSIS_FORMAT_VERSION",
    "SRM_MIN_ROLES",
    "Analysis",
    "DegreeBasis",
    "RoleSummary",
    "analysis_schema",
    "analyze",
    "analyze_parts",
    "analyze_summary",
]


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
    study: Study, published: Study, settings: AnalysisSettings,
    order: npt.NDArray[np.intp] | None,
) -> tuple[WaveComparison | None, tuple[tuple[str, str], ...]]:
    """The wave comparison of ``settings.compare`` on the ties publishable in every wave.

    The figures use only the ratings
    [`comparable_ratings`][relcoord.privacy.publishable.comparable_ratings] allows, read in
    ``order`` (the canonical order of ``study``'s rows, ``None``: the study's order); the arrows
    gained, lost and reversed are those of the published study (named arrows are workshop facts;
    rated ties are those the analysis shows).
    """
    if settings.compare is None:
        return None, ()
    wave_a, wave_b = settings.compare
    rows, left_out = comparable_ratings(study, settings, wave_a, wave_b)
    taken = np.flatnonzero(rows) if order is None else order[rows[order]]
    compared = attrs.evolve(study, ratings=study.ratings.taken(taken))
    result = compare_waves(compared, wave_a, wave_b, settings=settings,
                           n_boot=settings.n_boot, seed=settings.seed)
    arrows = arrow_changes(published, wave_a, wave_b, min_items=result.min_items)
    return attrs.evolve(result, arrows=arrows), left_out


#: The fewest roles (with a rater or target effect) an SRM is reported for: with two, every
#: tie is its rater role's only tie, and leniency, reputation and tie cannot be told apart.
SRM_MIN_ROLES: Final = 3


def _social_relations(published: Study, settings: AnalysisSettings) -> SocialRelations | None:
    """The Social Relations Model of the published ratings, or ``None`` when it cannot be
    fitted: nothing estimated (fewer than two counted ratings, all ratings equal) or
    fewer than [`SRM_MIN_ROLES`][relcoord.analysis.SRM_MIN_ROLES] roles in the model."""
    return _reported(social_relations_model(published, settings=settings))


def _reported(srm: SocialRelations) -> SocialRelations | None:
    """``srm`` when the analysis reports it (see ``_social_relations``), else ``None``."""
    if srm.reason is not None or srm.n_roles < SRM_MIN_ROLES:
        return None
    return srm


class _StepBeside(Generic[_T]):
    """A step that reads only the published study, started in a thread as soon as that
    study exists, when it is large enough for threads
    (`relcoord.row_blocks.thread_count`), else run when its result is asked for.  The
    thread runs in a copy of the starting context, so it shares the analysis's
    respondent-tie scores."""

    def __init__(self, pool: ThreadPoolExecutor,
                 step: Callable[[Study, AnalysisSettings], _T],
                 settings: AnalysisSettings) -> None:
        self._pool, self._step, self._settings = pool, step, settings
        self._future: Future[_T] | None = None
        self._published: Study | None = None

    def start(self, published: Study) -> None:
        """Start the step on ``published`` (in a thread for a large study)."""
        if thread_count(len(published.ratings)) > 1:
            context = contextvars.copy_context()
            self._future = self._pool.submit(context.run, self._step, published,
                                             self._settings)
        else:
            self._published = published

    def result(self) -> _T:
        """The step's result (waiting for its thread)."""
        if self._future is not None:
            return self._future.result()
        if self._published is None:
            raise RuntimeError("the step was not started")
        return self._step(self._published, self._settings)


def analyze(
    study: Study, settings: AnalysisSettings | None = None,
    **overrides: Unpack[SettingsOverrides],
) -> Analysis:
    """Analyse ``study``: RC scores, network, invitations, reliability, the Social Relations
    Model, change and findings.

    Settings come from ``settings`` and/or keyword values (``weighting="tie"``,
    ``min_items=7``, ``bands=(3.5, 4.0)``, ``min_respondents=5``, ``lang="da"``,
    ``compare=("wave-1", "wave-2")``, ``n_boot=2000``, ``seed=1``,
    ``icc_group_size="k0"``, ``mdc_reliability=0.8``); a keyword value
    overrides the same field of ``settings``.  The keywords are typed as the fields
    ([`SettingsOverrides`][relcoord.settings.SettingsOverrides]), so mypy or an IDE refuses
    ``weighting="persons"`` before the code runs; at run time the same value raises.  Raises
    [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError] for a bad or unknown setting,
    or a wave to compare that the study does not have.

    This equals ``analyze_summary(study, RatingsSummary.of(study, settings), settings)``
    ([`analyze_summary`][relcoord.analysis.analyze_summary]): the ratings are read in the
    canonical order of their [`RatingsSummary`][relcoord.metrics.ratings_summary.RatingsSummary]
    ([`canonical_order`][relcoord.metrics.ratings_summary.RatingsSummary.canonical_order]:
    one sort of the row keys, without coding and decoding the answers), as they are when the
    summaries of partitions are merged, so every figure is the same to the last bit.  Only
    the published rows are gathered into that order, once.  One difference:
    the result carries ``study`` itself (``analysis.study is study``), with the privacy
    rule's withheld rows in ``study``'s row order, where ``analyze_summary`` carries the study
    with the summary's rows in their canonical order.
    """
    chosen = _resolve_settings(settings, overrides)
    _check_compare(study, chosen)
    return _analyze_rows(study, chosen, canonical=False)


def analyze_summary(
    study: Study, summary: RatingsSummary, settings: AnalysisSettings | None = None,
    **overrides: Unpack[SettingsOverrides],
) -> Analysis:
    """Analyse the ratings that ``summary`` holds, with ``study``'s metadata.

    ``study`` gives the roles, named ties, invitations, respondents and instrument; its
    ratings may be empty (the ratings are those of ``summary``, for example the merged
    [`RatingsSummary`][relcoord.metrics.ratings_summary.RatingsSummary] of a study's
    partitions).  Settings as for [`analyze`][relcoord.analysis.analyze].  The result equals
    ``analyze`` of the study with the summary's ratings: the figures are computed from the
    summary's respondent-tie rows in their canonical order, so they do not depend on how the
    ratings were split or in which order the parts were merged.

    Raises `ValueError` when ``summary`` belongs to another study (other roles or items, a
    respondent the study does not list).
    """
    chosen = _resolve_settings(settings, overrides)
    analysed = attrs.evolve(study, ratings=summary.ratings(study))
    _check_compare(analysed, chosen)  # the waves are the summary's
    return _analyze_rows(analysed, chosen, canonical=True)


def analyze_parts(
    study: Study, parts: Sequence[AnalysisPart], settings: AnalysisSettings | None = None,
    **overrides: Unpack[SettingsOverrides],
) -> Analysis:
    """Analyse a study from the parts of its blocks of rater roles
    ([`analysis_part`][relcoord.analysis_parts.analysis_part] of every block of
    [`rater_role_blocks`][relcoord.rater_role_blocks.rater_role_blocks]), without its rating rows.

    ``study`` gives the roles, named ties, invitations, respondents and instrument; its
    rating rows are not read (it may have none:
    [`without_rows`][relcoord.rater_role_blocks.without_rows]; the parts name their waves,
    and parts cut in different wave vocabularies are refused).  ``parts`` must
    cover every rater role once, under the same settings (with ``settings`` here).  The
    result equals ``analyze`` of the whole study, counts exactly and floats to rounding
    (sums over the cells of different blocks are added in another order), with two
    differences: its ``study`` holds no rating row (so ``analysis.published`` holds none
    either), and a wave comparison cannot be made (``compare`` raises
    [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError]: its bootstrap draws
    respondents of every rater role together).
    """
    chosen = _resolve_settings(settings, overrides)
    check_no_comparison(chosen)
    part = AnalysisPart.combine(parts)
    facts = without_rows(study)
    result = scores_from_parts(facts, part.scores, chosen)
    shown, privacy = published_scores_from_parts(facts, part.privacy, result, chosen)
    network = network_metrics(facts, basis="auto", tie_rc=_tie_rc(shown), backend=_backend(),
                              rated=rated_network(facts, part.rated_pairs))
    reliability = publishable_reliability_from_parts(facts, part.reliability, chosen)
    srm = _reported(social_relations_model_from_parts(facts, part.srm, chosen))
    return _assembled(facts, chosen, shown, privacy, network, reliability, (None, ()), srm)


def _analyze_rows(study: Study, chosen: AnalysisSettings, *, canonical: bool) -> Analysis:
    """The analysis of ``study``'s ratings read in their canonical order (``canonical``:
    they are in it already)."""
    # the privacy rule, the scores, the SRM and the wave comparison all score the same
    # respondent-ties: compute them once per ratings store
    with shared_respondent_tie_scores():
        return _analysis_of(study, chosen, canonical=canonical)


def _analysis_of(study: Study, chosen: AnalysisSettings, *, canonical: bool) -> Analysis:
    # privacy before output (docs/privacy.md): every figure below is computed from the
    # publishable ratings only; see relcoord.privacy.  The rule's counts do not depend on
    # the order of the rows; the published rows are gathered once, in canonical order, so
    # that every figure is that of the rows in the order a merged summary has them.
    # The permutation into canonical order (4.5 million positions, 0.11x the input at
    # 50 x 100,000) is held here only when the wave comparison reads the study's rows in
    # order again; else it is handed over, and published_scores lets it go once the rows
    # are gathered (an argument is moved into the callee's frame, not kept on this one)
    # The SRM reads only the published rows and is the longest step: on a large study it
    # runs in a thread from the moment they are gathered, beside the scores, network,
    # reliability and wave steps (its kernels and numpy's release the GIL); every step
    # computes what it would alone, the same bits.
    # The permutation is found in that thread too, while the privacy rule decides (it does
    # not read the order); published_scores asks for it once the decision is made.
    with ThreadPoolExecutor(max_workers=1) as pool:
        srm = _StepBeside(pool, _social_relations, chosen)
        order: npt.NDArray[np.intp] | None = None
        if canonical:
            published, result, privacy = published_scores(study, chosen, gathered=srm.start)
        elif chosen.compare is None:
            published, result, privacy = published_scores(
                study, chosen, order=_canonical_order_beside(pool, study), gathered=srm.start)
        else:
            order = RatingsSummary.canonical_order(study)
            published, result, privacy = published_scores(study, chosen, order=order,
                                                          gathered=srm.start)
        return _analysis_after_scores(study, published, result, privacy, chosen, order,
                                      srm.result)


def _canonical_order_beside(pool: ThreadPoolExecutor, study: Study
                            ) -> Callable[[], npt.NDArray[np.intp] | None]:
    """The function that gives
    [`RatingsSummary.canonical_order`][relcoord.metrics.ratings_summary.RatingsSummary.canonical_order]
    of ``study``: started now in ``pool``'s thread for a study large enough for threads,
    else computed when called."""
    if thread_count(len(study.ratings)) <= 1:
        return lambda: RatingsSummary.canonical_order(study)
    return pool.submit(RatingsSummary.canonical_order, study).result


def _analysis_after_scores(
    study: Study, published: Study, result: RCScores, privacy: PrivacySummary,
    chosen: AnalysisSettings, order: npt.NDArray[np.intp] | None,
    srm: Callable[[], SocialRelations | None],
) -> Analysis:
    network = network_metrics(published, basis="auto", tie_rc=_tie_rc(result),
                              backend=_backend())
    reliability = publishable_reliability(published, chosen)
    change = _change(study, published, chosen, order)
    return _assembled(study, chosen, result, privacy, network, reliability, change, srm())


def _tie_rc(result: RCScores) -> dict[tuple[str, str], float]:
    return {(t.source, t.target): t.rc for t in result.ties if t.rc is not None}


def _backend() -> Backend:
    # igraph when the extra is installed, else networkx: the same figures (a property test
    # checks it), and NetworkMetrics.backend says which one computed them
    return "igraph" if is_available("igraph") else "networkx"


def _assembled(
    study: Study, chosen: AnalysisSettings, result: RCScores, privacy: PrivacySummary,
    network: NetworkMetrics, reliability: tuple[ReliabilitySummary, int],
    change: tuple[WaveComparison | None, tuple[tuple[str, str], ...]],
    srm: SocialRelations | None,
) -> Analysis:
    """The Analysis of the computed figures, with each role's summary, the invitations and
    the findings that follow from them."""
    summaries = tuple(
        RoleSummary(
            role=role, in_degree=place.in_degree, out_degree=place.out_degree,
            reciprocated=place.out_degree - place.unreciprocated_out,
            n_respondents=score.n_respondents, n_raters=score.n_raters,
            rc_as_rater=score.rc_as_rater, rc_as_target=score.rc_as_target,
            rc_within=score.rc_within, n_rated_ties=score.n_rated_ties,
            n_weak_ties=score.n_weak_ties, weak_share=score.weak_share,
            suppressed=score.suppressed, suppressed_reason=score.suppressed_reason,
            spread_as_rater=score.spread_as_rater, spread_as_target=score.spread_as_target,
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
    analysis = Analysis(
        study=study, settings=chosen, scores=result, roles=summaries,
        degree_basis=network.basis, named_but_absent=network.named_but_absent,
        network=network, invitations=invitations, privacy=privacy,
        reliability=reliability[0], reliability_withheld=reliability[1],
        change=change[0], change_left_out=change[1],
        srm=srm,
    )
    return attrs.evolve(analysis, findings=findings(analysis))
