"""The one place that names the mergeable summary and the analysis finished from it.

The engine is generic in the summary: anything built from a partition's
[`Study`][relcoord.model.Study] whose ``a + b`` merges two respondent-disjoint parts exactly.  The
analysis uses relcoord's ratings summary (``relcoord.metrics.ratings_summary.RatingsSummary``)
and finishes with ``relcoord.analysis.analyze_summary``, which gives the same
[`Analysis`][relcoord.analysis_result.Analysis] as [`relcoord.analyze`][relcoord.analysis.analyze]
of the whole study.  Both are looked up here, when the analysis runs, and nowhere else: a relcoord
without them makes ``--engine dask`` fail with a message saying so (the partitioned reduction
itself, [`summarise_store`][relcoord_dask.reduction.summarise_store], works with any summary,
e.g. [`TieStatistics`][relcoord.metrics.tie_statistics.TieStatistics]).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

from relcoord.errors import RelcoordError
from relcoord.model import Study
from relcoord.settings import AnalysisSettings

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["SUMMARY", "check_available", "finish", "summary_of"]

#: Where the summary type and the finishing function live (module, name).
SUMMARY: Final = (("relcoord.metrics.ratings_summary", "RatingsSummary"),
                  ("relcoord.analysis", "analyze_summary"))


def _named(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        raise RelcoordError(
            f"the dask engine needs {module}.{name}, which this relcoord does not have; "
            "install a relcoord with the mergeable ratings summary, or analyse with "
            "--engine memory") from None


def check_available() -> None:
    """Raise [`RelcoordError`][relcoord.errors.RelcoordError] now, before a cluster starts, when
    this relcoord lacks the summary or the finishing function."""
    for module, name in SUMMARY:
        _named(module, name)


def summary_of(study: Study, settings: AnalysisSettings) -> Any:
    """The mergeable summary of one partition (a study with a part of the ratings)."""
    (module, name), _ = SUMMARY
    return _named(module, name).of(study, settings)


def finish(facts: Study, summary: Any, settings: AnalysisSettings) -> Analysis:
    """The analysis of the whole study from its facts and the merged summary."""
    _, (module, name) = SUMMARY
    analysis: Analysis = _named(module, name)(facts, summary, settings)
    return analysis
