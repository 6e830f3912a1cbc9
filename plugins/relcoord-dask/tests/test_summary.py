"""The client's finish: the facts holding the merged rows, analysed as ``analyze_summary``
would, with the summary released before the analysis starts."""

from __future__ import annotations

import gc
import weakref

import attrs

from relcoord.analysis import analyze_summary
from relcoord.example import load_example
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings
from relcoord_dask.summary import finish, merged, merged_study


def test_the_finish_is_analyze_summary_and_lets_the_summary_go() -> None:
    study = load_example()
    waves = study.ratings.wave
    parts = [RatingsSummary.of(attrs.evolve(study, ratings=study.ratings.select(waves == w)))
             for w in range(len(study.ratings.waves))]
    facts = attrs.evolve(study, ratings=Ratings.empty(study.instrument.keys))
    chosen = AnalysisSettings(compare=("konference-1", "konference-3"), n_boot=50)
    summary = merged(parts)
    expected = analyze_summary(facts, summary, chosen).to_mapping()
    released = weakref.ref(summary)
    whole = merged_study(facts, summary)
    del summary
    gc.collect()
    assert released() is None  # the study does not hold the summary
    assert finish(whole, chosen).to_mapping() == expected
