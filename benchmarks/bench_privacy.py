"""Benchmark: the privacy rule's part of ``analyze`` beside the numpy tie matrix, in one run.

The workload is ``benchmarks/bench_analyze.py``'s (its ``build``, seeded): by
default 50 roles x 100,000 respondents, about 4.5 million respondent-ties on 7 items, 5 % of
the answers missing, rows shuffled; ``--roles 2000 --respondents 50000 --per-respondent 20``
is the many-roles study (one million ratings).  ``--waves W`` spreads the ratings over ``W``
waves and lets each respondent rate a tie again in a later wave (a tenth of the ratings
repeated), so that distinct respondents pooled over waves are counted from people, not rows.

Steps, each timed ``--repeat`` times, interleaved (every step once per round, so that a busy
machine slows all of them alike), reported as medians and as ratios to the reference:

* ``numpy tie matrix``: the reference of issue 15 (``bench_analyze.numpy_tie_matrix``):
  respondent-tie RC and per tie its sum and count with ``np.bincount``;
* ``numba single pass``: the other reference (``bench_analyze.numba_pass``: one compiled loop
  computing the tie matrix and each tie's item sums; without numba it is left out);
* ``publishable_rows``: rules 1 and 1b, which rows may be published
  (:func:`relcoord.privacy.publishable.publishable_rows`);
* ``withhold + published``: :func:`relcoord.privacy.withholding.withhold`, which returns the
  published study (the rule and the copy of the publishable ratings);
* ``suppress_scores``: rules 3 and 4 on the scores of the published study
  (:func:`relcoord.privacy.suppression.suppress_scores`);
* ``scores``: every RC score of the published study, from its respondent-tie scores
  (:func:`relcoord.metrics.scores.scores`);
* ``published_scores``: the rule, the published study in canonical order, its scores and
  their suppression, as ``analyze`` runs them
  (:func:`relcoord.privacy.suppression.published_scores`, respondent-tie scores included);
* ``comparable_ratings`` (with ``--waves``): the rule per wave for a comparison of two waves.

Apart from ``published_scores``, the respondent-tie scores are computed once beforehand, as
``analyze`` computes them once.  With numba (the ``fast`` extra) the compiled passes run; the
ratios to both references are printed.  Nothing is asserted; ``--json`` writes every figure.

Run:  python benchmarks/bench_privacy.py [--roles 50] [--respondents 100000]
          [--per-respondent N] [--waves W] [--repeat 5] [--json benchmarks/results/privacy.json]
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks.bench_analyze

from benchmarks.bench_analyze import (
    add_workload_arguments,
    build,
    interleaved,
    numba_pass,
    numpy_tie_matrix,
)

from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.scores import (
    respondent_tie_scores,
    scores,
    shared_respondent_tie_scores,
)
from relcoord.model import Study
from relcoord.privacy import comparable_ratings, published_scores, suppress_scores, withhold
from relcoord.privacy.publishable import publishable_rows
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings

Step = Callable[[], Any]


def with_waves(study: Study, n_waves: int, *, repeated: float = 0.1, seed: int = 15) -> Study:
    """``study`` with its ratings spread over ``n_waves`` waves and a ``repeated`` share of
    them given again, by the same respondent with the same answers, in a later wave."""
    rng = np.random.default_rng(seed)
    r = study.ratings
    n = len(r)
    wave = rng.integers(0, n_waves, size=n).astype(np.int32)
    again = np.flatnonzero((rng.random(n) < repeated) & (wave < n_waves - 1))
    rows = np.concatenate([np.arange(n), again])
    later = rng.integers(wave[again] + 1, n_waves).astype(np.int32)
    ratings = Ratings.from_arrays(
        source=r.source[rows], target=r.target[rows], scores=r.scores[rows],
        dimensions=r.dimensions, roles=r.roles, respondent=r.respondent[rows],
        respondents=r.respondents, wave=np.concatenate([wave, later]),
        waves=[f"w{i}" for i in range(n_waves)],
    )
    return attrs.evolve(study, ratings=ratings)


def steps_of(study: Study, settings: AnalysisSettings) -> tuple[dict[str, Step], dict[str, int]]:
    """The timed steps, and what the rule withheld (printed beside the times)."""
    min_items = settings.items_needed(study.instrument)
    per = respondent_tie_scores(study, min_items=min_items)
    published, summary = withhold(study, settings, respondent_ties=per)
    kept = per if published is study else per.select(~summary.withheld)
    result = scores(published, settings=settings, respondent_ties=kept)
    _, done = suppress_scores(result, study, summary)
    counts = {"ratings": summary.n_ratings, "ratings_withheld": summary.ratings_withheld,
              "rare_pattern_ratings": summary.rare_pattern_ratings,
              "cells_withheld": summary.cells_withheld,
              "ties_suppressed": len(done.ties_suppressed)}
    k = settings.min_respondents
    order = RatingsSummary.canonical_order(study)

    def as_analyze_runs_it() -> Any:
        with shared_respondent_tie_scores():
            return published_scores(study, settings, order=order)

    steps: dict[str, Step] = {"numpy tie matrix": lambda: numpy_tie_matrix(study, min_items)}
    compiled = numba_pass()
    if compiled is not None:
        steps["numba single pass"] = lambda: compiled(study, min_items)
    steps.update({
        "publishable_rows": lambda: publishable_rows(study, per, k),
        "withhold + published": lambda: withhold(study, settings, respondent_ties=per),
        "suppress_scores": lambda: suppress_scores(result, study, summary),
        "scores": lambda: scores(published, settings=settings, respondent_ties=kept),
        "published_scores": as_analyze_runs_it,
    })
    waves = study.ratings.waves
    if len(waves) >= 2:
        steps["comparable_ratings"] = lambda: comparable_ratings(study, settings, waves[0],
                                                                 waves[-1])
    return steps, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_workload_arguments(parser)
    parser.add_argument("--waves", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    start = time.perf_counter()
    study = build(args.roles, args.respondents, share=args.share, missing=args.missing,
                  per_respondent=args.per_respondent)
    if args.waves:
        study = with_waves(study, args.waves)
    settings = AnalysisSettings()
    steps, counts = steps_of(study, settings)
    print(f"study: {args.roles} roles, {args.respondents:,} respondents, "
          f"{counts['ratings']:,} ratings in {max(1, args.waves)} wave(s), "
          f"{args.missing:.0%} answers missing (built in {time.perf_counter() - start:.1f} s); "
          f"withheld {counts['ratings_withheld']:,} ratings ({counts['rare_pattern_ratings']:,}"
          f" for their answer pattern) in {counts['cells_withheld']:,} cells, "
          f"{counts['ties_suppressed']:,} ties suppressed")
    for step in steps.values():  # warm-up
        step()
    times = interleaved(steps, args.repeat)
    figures = {name: {"median_s": statistics.median(values), "min_s": min(values),
                      "max_s": max(values)} for name, values in times.items()}
    base = figures["numpy tie matrix"]["median_s"]
    numba_base = figures.get("numba single pass", {}).get("median_s", math.nan)
    print(f"{'':24} {'median s':>9} {'x numpy':>8} {'x numba':>8}")
    for name, f in figures.items():
        print(f"{name:24} {f['median_s']:9.3f} {f['median_s'] / base:8.2f} "
              f"{f['median_s'] / numba_base:8.2f}")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "workload": {"roles": args.roles, "respondents": args.respondents,
                         "per_respondent": args.per_respondent, "missing": args.missing,
                         "waves": args.waves, "repeat": args.repeat, **counts},
            "machine": {"python": platform.python_version(), "numpy": np.__version__,
                        "processor": platform.processor() or platform.machine()},
            "steps": figures,
            "ratios": {name: {"x_numpy": f["median_s"] / base,
                              "x_numba": (None if math.isnan(numba_base)
                                          else f["median_s"] / numba_base)}
                       for name, f in figures.items()},
        }, indent=2) + "\n")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
