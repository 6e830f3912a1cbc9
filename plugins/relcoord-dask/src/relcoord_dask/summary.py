"""The one place that names the mergeable summary and the analysis finished from it.

The engine is generic in the summary: anything built from a partition's
[`Study`][relcoord.model.Study] whose ``a + b`` merges two parts exactly.  The analysis uses
relcoord's ratings summary
([`RatingsSummary`][relcoord.metrics.ratings_summary.RatingsSummary]) and finishes with
[`relcoord.analyze`][relcoord.analysis.analyze] of the facts holding the merged summary's
rows ([`merged_study`][relcoord_dask.summary.merged_study]; what
[`analyze_summary`][relcoord.analysis.analyze_summary] does, but the summary can be released
before the analysis starts), which gives the same
[`Analysis`][relcoord.analysis_result.Analysis] as [`relcoord.analyze`][relcoord.analysis.analyze]
of the whole study (the partitioned reduction itself,
[`summarise_store`][relcoord_dask.reduction.summarise_store], works with any such summary, e.g.
[`TieStatistics`][relcoord.metrics.tie_statistics.TieStatistics]).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from relcoord.analysis import analyze
from relcoord.metrics.ratings_summary import RatingsSummary

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study
    from relcoord.settings import AnalysisSettings

__all__ = ["finish", "merged", "merged_study", "summary_of"]


def summary_of(study: Study, settings: AnalysisSettings) -> RatingsSummary:
    """The mergeable summary of one partition (a study with a part of the ratings)."""
    return RatingsSummary.of(study, settings)


def merged(parts: list[RatingsSummary]) -> RatingsSummary:
    """The summaries of every group merged at once, on the client (a ratings summary holds
    the respondent-tie rows, so it is gathered rather than merged as a tree on the workers;
    see [`summarise_store`][relcoord_dask.reduction.summarise_store])."""
    return RatingsSummary.merged(parts)


def merged_study(facts: Study, summary: RatingsSummary) -> Study:
    """The study's facts with the merged summary's rating rows, in canonical order (what
    [`analyze_summary`][relcoord.analysis.analyze_summary] analyses).  The store shares only
    the summary's role codes, so the summary's answer codes can be released once this
    returns: the client then holds the rows once, not twice, through the analysis."""
    return attrs.evolve(facts, ratings=summary.ratings(facts))


def finish(study: Study, settings: AnalysisSettings) -> Analysis:
    """The analysis of the whole study from [`merged_study`][relcoord_dask.summary.merged_study]:
    ``relcoord.analyze``, which reads rows already in canonical order without a copy, so
    the result is that of ``analyze_summary(facts, summary)``, bit for bit."""
    return analyze(study, settings)
