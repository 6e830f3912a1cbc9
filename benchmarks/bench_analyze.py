"""Benchmark: ``analyze`` on realistic survey data beside two references in the same run.

The workload (:func:`build`, seeded): ``--roles`` roles of unequal size (a Dirichlet draw),
``--respondents`` respondents, each rating a random ``--share`` of the roles (all of them:
the default 0.9 of 50 gives about 4.5 million respondent-ties at 100,000 respondents) on the
7 items of the classic scale, ``--missing`` of the answers missing ("don't know"), the rows
shuffled.  ``--per-respondent N`` makes every respondent rate N random roles instead (the
many-roles study: ``--roles 2000 --respondents 50000 --per-respondent 20`` is one million
ratings).

Steps, each timed ``--repeat`` times, interleaved (every step once per round, so a busy
machine slows all of them alike), reported as medians and as ratios to the references:

* ``numpy tie matrix``: the reference the issue names; respondent-tie RC (item mean when at
  least ``min_items`` answered) and per tie its sum and count, with ``np.bincount`` on the
  same arrays;
* ``numba single pass``: one compiled loop over the rows computing the same tie matrix and
  each tie's item sums (needs numba; skipped without it);
* ``relcoord TieStatistics (numpy / numba)``: the one-pass statistics of
  :mod:`relcoord.metrics.tie_statistics`;
* ``relcoord RatingsSummary.of``: the summary of the ratings that ``analyze`` reads them
  through (:mod:`relcoord.metrics.ratings_summary`: answers coded, rows in canonical order);
* ``relcoord analyze``: everything (scores, privacy, network, reliability, SRM, findings),
  which is ``RatingsSummary.of`` followed by ``analyze_summary``.

Peak memory is measured separately with :mod:`tracemalloc` (numpy reports its buffers to
it; numba's are numpy arrays too) and given as a multiple of the input arrays (the study's
codes and scores).  ``--growth`` also runs every step at half the respondents and reports
the exponent ``log(t_full / t_half) / log(n_full / n_half)`` (1: linear in ratings).
Nothing is asserted; ``--json`` writes every figure.

Run:  python benchmarks/bench_analyze.py [--roles 50] [--respondents 100000] [--repeat 3]
          [--growth] [--json benchmarks/results/analyze.json]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import math
import os
import platform
import pstats
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from relcoord import Respondent, Role, Study, analyze
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.tie_statistics import TieStatistics
from relcoord.model import Metadata
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings

Floats = npt.NDArray[np.float64]
Step = Callable[[], Any]


def build(n_roles: int, n_people: int, *, share: float = 0.9, missing: float = 0.05,
          per_respondent: int | None = None, seed: int = 2019) -> Study:
    """The seeded workload described in the module docstring."""
    rng = np.random.default_rng(seed)
    roles = [Role(f"role{i:04d}", f"Role {i}", organisation=f"org{i % 3}")
             for i in range(n_roles)]
    owner = rng.choice(n_roles, size=n_people, p=rng.dirichlet(np.full(n_roles, 2.0)))
    people = [Respondent(f"p{j:07d}", roles[owner[j]].id) for j in range(n_people)]
    if per_respondent is None:
        respondent = np.repeat(np.arange(n_people, dtype=np.int32), n_roles)
        target = np.tile(np.arange(n_roles, dtype=np.int32), n_people)
        keep = rng.random(len(respondent)) < share
        respondent, target = respondent[keep], target[keep]
    else:
        respondent = np.repeat(np.arange(n_people, dtype=np.int32), per_respondent)
        # a respondent's targets: per_respondent distinct roles near their own (a team
        # works with its neighbours), so that ties repeat across respondents
        offset = np.stack([rng.choice(4 * per_respondent, per_respondent, replace=False)
                           for _ in range(n_people)]).ravel()
        target = ((owner[respondent] + offset - 2 * per_respondent) % n_roles).astype(np.int32)
    source = owner[respondent].astype(np.int32)
    level = rng.integers(2, 6, size=len(source)) if n_roles > 200 else (
        rng.integers(2, 6, size=(n_roles, n_roles))[source, target])
    noise = rng.integers(-1, 2, size=(len(source), len(DIMENSION_KEYS)))
    scores = np.clip(level[:, None] + noise, 1, 5).astype(np.float64)
    scores[rng.random(scores.shape) < missing] = np.nan
    order = rng.permutation(len(source))
    ratings = Ratings.from_arrays(
        source=source[order], target=target[order], scores=scores[order],
        dimensions=DIMENSION_KEYS, roles=[r.id for r in roles],
        respondent=respondent[order], respondents=[p.id for p in people],
    )
    return Study(metadata=Metadata(id="bench"), instrument="rc7-classic", roles=roles,
                 respondents=people, ratings=ratings)


def input_bytes(study: Study) -> int:
    """The size of the study's rating arrays: codes and scores."""
    r = study.ratings
    return sum(a.nbytes for a in (r.source, r.target, r.respondent, r.wave, r.scores))


# --- the references ----------------------------------------------------------------------


def numpy_tie_matrix(study: Study, min_items: int) -> Floats:
    """Respondent-tie RC (mean of the answered items, when at least ``min_items``), then
    per tie the mean of those: ``np.bincount`` sums and counts."""
    ratings, k = study.ratings, len(study.roles)
    x = ratings.scores
    answered = (~np.isnan(x)).sum(axis=1)
    rc = np.nansum(x, axis=1) / np.maximum(answered, 1)
    ok = answered >= min_items
    cell = ratings.source[ok].astype(np.intp) * k + ratings.target[ok]
    sums = np.bincount(cell, weights=rc[ok], minlength=k * k)
    counts = np.bincount(cell, minlength=k * k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(sums / counts, dtype=np.float64).reshape(k, k)


def numba_pass() -> Callable[[Study, int], Floats] | None:
    """One compiled loop over the rows: the tie matrix and each tie's item sums and counts,
    or ``None`` without numba."""
    try:
        import numba
    except ImportError:
        return None

    @numba.njit(cache=True)
    def loop(x: Any, source: Any, target: Any, k: int, min_items: int, sums: Any,
             counts: Any, item_sums: Any, item_counts: Any) -> None:
        n, d = x.shape
        for r in range(n):
            total, m = 0.0, 0
            for j in range(d):
                v = x[r, j]
                if v == v:
                    total += v
                    m += 1
            if m < min_items:
                continue
            c = source[r] * k + target[r]
            sums[c] += total / m
            counts[c] += 1
            for j in range(d):
                v = x[r, j]
                if v == v:
                    item_sums[c, j] += v
                    item_counts[c, j] += 1

    def run(study: Study, min_items: int) -> Floats:
        ratings, k = study.ratings, len(study.roles)
        d = ratings.scores.shape[1]
        sums, counts = np.zeros(k * k), np.zeros(k * k, dtype=np.int64)
        item_sums, item_counts = np.zeros((k * k, d)), np.zeros((k * k, d), dtype=np.int64)
        loop(ratings.scores, ratings.source, ratings.target, k, min_items, sums, counts,
             item_sums, item_counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(sums / counts, dtype=np.float64).reshape(k, k)

    return run


# --- measuring ---------------------------------------------------------------------------


def interleaved(steps: dict[str, Step], repeat: int) -> dict[str, list[float]]:
    """Wall times of every step, ``repeat`` rounds of each step once."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):
        for name, step in steps.items():
            gc.collect()
            start = time.perf_counter()
            step()
            times[name].append(time.perf_counter() - start)
    return times


def peak_bytes(step: Step) -> int:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    step()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def steps_of(study: Study) -> dict[str, Step]:
    min_items = AnalysisSettings().items_needed(study.instrument)
    steps: dict[str, Step] = {"numpy tie matrix": lambda: numpy_tie_matrix(study, min_items)}
    compiled = numba_pass()
    if compiled is not None:
        steps["numba single pass"] = lambda: compiled(study, min_items)
    steps["relcoord TieStatistics (numpy)"] = lambda: TieStatistics.of(
        study, min_items=min_items, engine="numpy")
    if compiled is not None:
        steps["relcoord TieStatistics (numba)"] = lambda: TieStatistics.of(
            study, min_items=min_items, engine="numba")
    steps["relcoord RatingsSummary.of"] = lambda: RatingsSummary.of(study)
    steps["relcoord analyze"] = lambda: analyze(study)
    return steps


def measure(study: Study, repeat: int, memory: bool) -> dict[str, dict[str, float]]:
    steps = steps_of(study)
    for step in steps.values():  # warm-up: imports, numba compilation, igraph
        step()
    times = interleaved(steps, repeat)
    out: dict[str, dict[str, float]] = {}
    for name, values in times.items():
        out[name] = {"median_s": statistics.median(values), "min_s": min(values),
                     "max_s": max(values)}
        if memory:
            out[name]["peak_bytes"] = peak_bytes(steps[name])
    return out


#: The steps of ``analyze`` the breakdown names: (label, module path suffix, function).
BREAKDOWN: Final = (
    ("canonical order (sort of the row keys)", "metrics/ratings_summary.py", "canonical_order"),
    ("privacy rule + scores", "privacy/suppression.py", "published_scores"),
    ("  of which the privacy decision", "privacy/withholding.py", "privacy_summary"),
    ("  of which the published rows' gather", "privacy/withholding.py", "published"),
    ("  of which the scores", "metrics/scores/aggregation.py", "scores"),
    ("network", "metrics/network.py", "network_metrics"),
    ("reliability", "privacy/reliability.py", "publishable_reliability"),
    ("Social Relations Model", "metrics/srm/estimate.py", "social_relations_model"),
    ("findings", "relcoord/findings.py", "findings"),
)


def breakdown(study: Study) -> dict[str, float]:
    """Where ``analyze``'s time goes: one run under cProfile (which slows Python-heavy steps
    more than numpy-heavy ones), the cumulative seconds of each step of
    ``BREAKDOWN`` and of the whole.

    The run is made in one thread (``RELCOORD_THREADS=1``): cProfile sees only the thread
    it runs in, and ``analyze`` otherwise fits the SRM in a thread of its own and runs
    some passes over blocks of rows in threads, so the steps are timed as one core runs
    them (their sum is more than the threaded ``analyze``'s wall time)."""
    profile = cProfile.Profile()
    before = os.environ.get("RELCOORD_THREADS")
    os.environ["RELCOORD_THREADS"] = "1"
    try:
        profile.enable()
        analyze(study)
        profile.disable()
    finally:
        if before is None:
            del os.environ["RELCOORD_THREADS"]
        else:
            os.environ["RELCOORD_THREADS"] = before
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    out: dict[str, float] = {}
    for label, path, function in BREAKDOWN:
        out[label] = sum(entry[3] for (file, _, name), entry in stats.items()
                         if name == function and file.replace("\\", "/").endswith(path))
    out["analyze (whole, profiled)"] = sum(
        entry[3] for (file, _, name), entry in stats.items()
        if name == "analyze" and file.replace("\\", "/").endswith("relcoord/analysis.py"))
    return out


def add_workload_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of :func:`build`'s workload, shared by the benchmarks that use it."""
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.9)
    parser.add_argument("--missing", type=float, default=0.05)
    parser.add_argument("--per-respondent", type=int, default=None)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add_workload_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--growth", action="store_true")
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--breakdown", action="store_true",
                        help="also profile one analyze and print the seconds of each step")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    def study_of(n_people: int) -> Study:
        return build(args.roles, n_people, share=args.share, missing=args.missing,
                     per_respondent=args.per_respondent)

    start = time.perf_counter()
    study = study_of(args.respondents)
    n = len(study.ratings)
    size = input_bytes(study)
    print(f"study: {args.roles} roles, {args.respondents:,} respondents, {n:,} ratings, "
          f"{args.missing:.0%} answers missing, rows shuffled; input arrays "
          f"{size / 2**20:.0f} MiB (built in {time.perf_counter() - start:.1f} s)")
    min_items = AnalysisSettings().items_needed(study.instrument)
    reference = numpy_tie_matrix(study, min_items)
    ours = TieStatistics.of(study, min_items=min_items)
    matrix = ours.dense(ours.tie_rc()[0], np.nan).reshape(len(study.roles), -1)
    print(f"tie matrices agree: max |difference| = "
          f"{np.nanmax(np.abs(matrix - reference)):.1e}")
    summary_bytes = RatingsSummary.of(study).nbytes
    print(f"ratings summary: {summary_bytes / 2**20:.0f} MiB, {summary_bytes / size:.2f}x the "
          "input arrays (per-person respondent-tie rows)")
    full = measure(study, args.repeat, not args.no_memory)
    base = full["numpy tie matrix"]["median_s"]
    numba_base = full.get("numba single pass", {}).get("median_s", math.nan)
    growth: dict[str, float] = {}
    if args.growth:
        half = study_of(args.respondents // 2)
        small = measure(half, args.repeat, memory=False)
        ratio = n / len(half.ratings)
        growth = {name: math.log(full[name]["median_s"] / small[name]["median_s"])
                  / math.log(ratio) for name in full}
    print(f"{'':32} {'median s':>9} {'x numpy':>8} {'x numba':>8} {'peak/input':>11}"
          + (f" {'growth n^':>9}" if growth else ""))
    for name, figures in full.items():
        peak = figures.get("peak_bytes")
        line = (f"{name:32} {figures['median_s']:9.3f} {figures['median_s'] / base:8.2f} "
                f"{figures['median_s'] / numba_base:8.2f} "
                f"{'' if peak is None else f'{peak / size:11.2f}'}")
        if growth:
            line += f" {growth[name]:9.2f}"
        print(line)
    print("targets (issue 15): analyze within 3x the numpy tie matrix and 10x the numba "
          "pass, peak within 1.5x the input arrays, growth n^1")
    steps: dict[str, float] = {}
    if args.breakdown:
        steps = breakdown(study)
        print("where analyze's time goes (one run in one thread under cProfile, "
              "cumulative seconds):")
        for label, seconds in steps.items():
            print(f"  {label:40} {seconds:7.3f}")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "workload": {"roles": args.roles, "respondents": args.respondents, "ratings": n,
                         "share": args.share, "missing": args.missing,
                         "per_respondent": args.per_respondent,
                         "input_bytes": size, "repeat": args.repeat,
                         "summary_bytes": summary_bytes},
            "machine": {"python": platform.python_version(), "numpy": np.__version__,
                        "processor": platform.processor() or platform.machine()},
            "steps": full, "growth_exponent": growth, "analyze_breakdown_s": steps,
            "ratios": {name: {"x_numpy": f["median_s"] / base,
                              "x_numba": f["median_s"] / numba_base}
                       for name, f in full.items()},
        }, indent=2) + "\n")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
