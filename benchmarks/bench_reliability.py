"""Benchmark: the reliability part of ``analyze`` beside the numpy tie matrix in the same run.

The workload is :func:`bench_analyze.build` (seeded; ``--roles``, ``--respondents``,
``--missing``, ``--per-respondent`` as there), with its rows put in the canonical order in
which ``analyze`` hands them to the figures (``RatingsSummary.with_order``).  Steps, each
timed ``--repeat`` times, interleaved (every step once per round), reported as medians and
as ratios to the reference:

* ``numpy tie matrix``: the reference of issue 15 (:func:`bench_analyze.numpy_tie_matrix`:
  respondent-tie RC and per tie its sum and count with ``np.bincount``);
* ``relcoord publishable_reliability``: what ``analyze`` runs for its ``reliability``
  section (:func:`relcoord.privacy.reliability.publishable_reliability`): alpha of the three
  scales, r_wg / r_wg(J) / AD and ICC(2) per tie and wave, the three ICC designs and the
  distinct raters behind each tie, from the answer counts
  (:mod:`relcoord.metrics.reliability.answer_counts`);
* ``relcoord reliability_summary``: the same figures without the privacy rule's filtering,
  like for like with the row-by-row step below
  (:func:`relcoord.metrics.reliability.summary.reliability_summary_and_raters`);
* ``relcoord AnswerCounts.of (numpy / numba)``: the one pass that tallies the answers, on
  either engine (numba is the ``fast`` extra; ``publishable_reliability`` uses it when it is
  installed);
* ``relcoord row by row``: the same figures computed row by row
  (:func:`relcoord.metrics.reliability.summary.reliability_summary_and_rows`, the way for
  scales that are not integers, and the implementation the answer counts replaced).

Before timing, the two relcoord results are compared figure by figure (1e-12 relative) and
the number of differing values printed.  Peak memory of each step is measured separately
with :mod:`tracemalloc` (``--no-memory`` skips it) and given as a multiple of the input
arrays.  Nothing is asserted; ``--json`` writes every figure.

Run:  python benchmarks/bench_reliability.py [--roles 50] [--respondents 100000]
          [--per-respondent N] [--repeat 5] [--no-memory]
          [--json benchmarks/results/reliability-50x100000.json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import attrs
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # benchmarks.bench_analyze

from benchmarks.bench_analyze import (
    Step,
    add_workload_arguments,
    build,
    input_bytes,
    interleaved,
    numpy_tie_matrix,
    peak_bytes,
)

from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.reliability import ReliabilitySettings
from relcoord.metrics.reliability.answer_counts import AnswerCounts
from relcoord.metrics.reliability.summary import (
    reliability_summary_and_raters,
    reliability_summary_and_rows,
)
from relcoord.model import Study
from relcoord.privacy.reliability import publishable_reliability
from relcoord.settings import AnalysisSettings


def canonical(study: Study) -> Study:
    """``study`` with its rows in the order ``analyze`` computes the figures in."""
    summary, _ = RatingsSummary.with_order(study)
    rows = summary.ratings(study)
    return study if rows is study.ratings else attrs.evolve(study, ratings=rows)


def differing(a: Any, b: Any) -> int:
    """How many values of two JSON-ready structures differ (floats beyond 1e-12 relative)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return 1
        return sum(differing(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return 1
        return sum(differing(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return 0 if math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) else 1
    return 0 if a == b else 1


def steps_of(study: Study, settings: AnalysisSettings) -> dict[str, Step]:
    min_items = settings.items_needed(study.instrument)
    rows_settings = ReliabilitySettings(min_items=min_items,
                                        icc_group_size=settings.icc_group_size)
    steps: dict[str, Step] = {
        "numpy tie matrix": lambda: numpy_tie_matrix(study, min_items),
        "relcoord publishable_reliability": lambda: publishable_reliability(study, settings),
        "relcoord reliability_summary": lambda: reliability_summary_and_raters(study,
                                                                             rows_settings),
        "relcoord AnswerCounts.of (numpy)": lambda: AnswerCounts.of(study, engine="numpy"),
    }
    if importlib.util.find_spec("numba") is not None:
        steps["relcoord AnswerCounts.of (numba)"] = lambda: AnswerCounts.of(study,
                                                                           engine="numba")
    steps["relcoord row by row"] = lambda: reliability_summary_and_rows(study, rows_settings)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_workload_arguments(parser)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    start = time.perf_counter()
    study = canonical(build(args.roles, args.respondents, share=args.share,
                            missing=args.missing, per_respondent=args.per_respondent))
    n = len(study.ratings)
    size = input_bytes(study)
    print(f"study: {args.roles} roles, {args.respondents:,} respondents, {n:,} ratings, "
          f"{args.missing:.0%} answers missing, rows in canonical order; input arrays "
          f"{size / 2**20:.0f} MiB (built in {time.perf_counter() - start:.1f} s)")
    settings = AnalysisSettings()
    steps = steps_of(study, settings)
    counted, _ = publishable_reliability(study, settings)
    row_by_row, _ = reliability_summary_and_rows(study, ReliabilitySettings(
        min_items=settings.items_needed(study.instrument),
        icc_group_size=settings.icc_group_size))
    differences = differing(counted.to_mapping(), row_by_row.to_mapping())
    print(f"answer counts vs row by row: {differences} differing values (1e-12 relative)")
    for step in steps.values():  # warm-up: imports, caches
        step()
    times = interleaved(steps, args.repeat)
    figures = {name: {"median_s": statistics.median(values), "min_s": min(values),
                      "max_s": max(values)} for name, values in times.items()}
    if not args.no_memory:
        for name, step in steps.items():
            figures[name]["peak_bytes"] = peak_bytes(step)
    base = figures["numpy tie matrix"]["median_s"]
    print(f"{'':34} {'median s':>9} {'x numpy':>8} {'peak/input':>11}")
    for name, f in figures.items():
        peak = f.get("peak_bytes")
        print(f"{name:34} {f['median_s']:9.3f} {f['median_s'] / base:8.2f} "
              f"{'' if peak is None else f'{peak / size:11.2f}'}")
    speedup = (figures["relcoord row by row"]["median_s"]
               / figures["relcoord reliability_summary"]["median_s"])
    print(f"reliability_summary from answer counts: {speedup:.1f}x faster than row by row")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "workload": {"roles": args.roles, "respondents": args.respondents, "ratings": n,
                         "share": args.share, "missing": args.missing,
                         "per_respondent": args.per_respondent, "input_bytes": size,
                         "repeat": args.repeat, "order": "canonical"},
            "machine": {"python": platform.python_version(), "numpy": np.__version__,
                        "processor": platform.processor() or platform.machine()},
            "differing_values": differences,
            "steps": figures,
            "ratios": {name: {"x_numpy": f["median_s"] / base} for name, f in figures.items()},
            "speedup_over_row_by_row": speedup,
        }, indent=2) + "\n")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
