"""The one place that names the mergeable summary and the analysis finished from it.

The engine is generic in the summary: anything built from a partition's
[`Study`][relcoord.model.Study] whose ``a + b`` merges two parts exactly.  The analysis uses
relcoord's ratings summary
([`RatingsSummary`][relcoord.metrics.ratings_summary.RatingsSummary]) and finishes with
[`analyze_summary`][relcoord.analysis.analyze_summary], which gives the same
[`Analysis`][relcoord.analysis_result.Analysis] as [`relcoord.analyze`][relcoord.analysis.analyze]
of the whole study (the partitioned reduction itself,
[`summarise_store`][relcoord_dask.reduction.summarise_store], works with any such summary, e.g.
[`TieStatistics`][relcoord.metrics.tie_statistics.TieStatistics]).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relcoord.analysis import analyze_summary
from relcoord.metrics.ratings_summary import RatingsSummary

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study
    from relcoord.settings import AnalysisSettings

__all__ = ["finish", "merged", "summary_of"]


def summary_of(study: Study, settings: AnalysisSettings) -> RatingsSummary:
    """The mergeable summary of one partition (a study with a part of the ratings)."""
    return RatingsSummary.of(study, settings)


def merged(parts: list[RatingsSummary]) -> RatingsSummary:
    """The summaries of every group merged at once, on the client (a ratings summary holds
    the respondent-tie rows, so it is gathered rather than merged as a tree on the workers;
    see [`summarise_store`][relcoord_dask.reduction.summarise_store])."""
    return RatingsSummary.merged(parts)


def finish(facts: Study, summary: RatingsSummary, settings: AnalysisSettings) -> Analysis:
    """The analysis of the whole study from its facts and the merged summary."""
    return analyze_summary(facts, summary, settings)
