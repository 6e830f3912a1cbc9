"""Benchmark: the RC scores and the network figures of a study with many roles.

The workload is :func:`bench_analyze.build` (seeded): by default the many-roles study of
issue 15, ``--roles 2000 --respondents 50000 --per-respondent 20`` (one million ratings,
about 150,000 rated ties on a 2,000 x 2,000 grid of four million tie cells, 5 % of the
answers missing, rows shuffled); ``--survey`` adds the survey study of ``bench_analyze.py``
(50 roles x 100,000 respondents rating 90 % of the roles, 4.5 million ratings) for the
scores.

Steps, each timed ``--repeat`` times, interleaved (every step once per round, so a busy
machine slows all of them alike), reported as medians:

* ``numpy tie matrix``: the reference of ``bench_analyze.py`` (respondent-tie RC and per
  tie its sum and count by ``np.bincount``), the floor any scores must stand on;
* ``scores``: :func:`relcoord.metrics.scores.scores` with the default settings (every
  figure: ties with their spread, roles, pairs, organisations);
* ``network_metrics``: :func:`relcoord.metrics.network.network_metrics` (rating-implied
  network: degrees, PageRank, betweenness, constraint, Louvain communities, E-I), and
  beside it its two largest parts, ``measure_network`` (igraph) and ``communities``
  (Louvain in networkx);
* with ``--baseline FILE``: the same ``scores`` and ``network_metrics`` from ``FILE``, a
  Python file outside the repository that defines both (a copy of an earlier
  implementation), so that before and after are measured in one run; their results are
  compared with this checkout's (``to_mapping()``: exactly; PageRank, an iteration whose
  last bits varied from call to call on two OpenMP threads, to 1e-12 relative or absolute,
  the tolerance of the project's golden check) and the ratio after / before is printed.

``--memory`` adds the peak memory of the scores (``tracemalloc``, which numpy reports its
buffers to) as a multiple of the input arrays.  Nothing is asserted; ``--json`` writes every
figure.

Run:  python benchmarks/bench_many_roles.py [--roles 2000] [--respondents 50000]
          [--per-respondent 20] [--survey] [--memory] [--repeat 3] [--baseline /tmp/old/baseline.py]
          [--json benchmarks/results/many_roles.json]
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
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_analyze import (
    Step,
    build,
    input_bytes,
    interleaved,
    numpy_tie_matrix,
    peak_bytes,
)

from relcoord.metrics.graph_measures import (
    communities,
    measure_network,
    sampled_betweenness_pivots,
)
from relcoord.metrics.network import network_metrics
from relcoord.metrics.scores import scores
from relcoord.model import Study
from relcoord.role_network import role_network
from relcoord.settings import AnalysisSettings


def load_baseline(path: Path) -> ModuleType:
    """The module at ``path`` (it must define ``scores`` and ``network_metrics``)."""
    spec = importlib.util.spec_from_file_location("relcoord_baseline", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _differences(a: Any, b: Any, path: str, out: list[str]) -> None:
    """Where two JSON-ready values differ: exactly, except PageRank (to 1e-12)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            out.append(f"{path}: keys differ")
            return
        for key in a:
            _differences(a[key], b[key], f"{path}.{key}", out)
    elif isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if len(a) != len(b):
            out.append(f"{path}: length {len(a)} != {len(b)}")
            return
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _differences(x, y, f"{path}[{i}]", out)
    elif path.endswith(".pagerank") and isinstance(a, float) and isinstance(b, float):
        if not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12):
            out.append(f"{path}: {a!r} != {b!r}")
    elif a != b or type(a) is not type(b):
        out.append(f"{path}: {a!r} != {b!r}")


def agreement(mine: Any, theirs: Any) -> str:
    """``identical`` or the first differences of two results' ``to_mapping()``."""
    out: list[str] = []
    _differences(mine.to_mapping(), theirs.to_mapping(), "$", out)
    return "identical" if not out else f"{len(out)} differences: " + "; ".join(out[:5])


def steps_of(study: Study, baseline: ModuleType | None, network: bool) -> dict[str, Step]:
    settings = AnalysisSettings()
    min_items = settings.items_needed(study.instrument)
    steps: dict[str, Step] = {
        "numpy tie matrix": lambda: numpy_tie_matrix(study, min_items),
        "scores": lambda: scores(study, settings=settings),
    }
    if baseline is not None:
        steps["scores (baseline)"] = lambda: baseline.scores(study, settings=settings)
    if network:
        rated = role_network(study, basis="ratings").without_self_loops()
        pivots = sampled_betweenness_pivots(rated.n_nodes, "auto", rated.n_edges)
        steps["network_metrics"] = lambda: network_metrics(study)
        if baseline is not None:
            steps["network_metrics (baseline)"] = lambda: baseline.network_metrics(study)
        steps["  of which measure_network"] = lambda: measure_network(
            rated, betweenness_pivots=pivots)
        steps["  of which communities (Louvain)"] = lambda: communities(rated)
    return steps


def run(study: Study, name: str, repeat: int, baseline: ModuleType | None, network: bool,
        memory: bool) -> dict[str, Any]:
    print(f"\n{name}: {len(study.roles):,} roles, {len(study.respondents):,} respondents, "
          f"{len(study.ratings):,} ratings, input arrays {input_bytes(study) / 2**20:.0f} MiB")
    steps = steps_of(study, baseline, network)
    checks: dict[str, str] = {}
    if baseline is not None:
        settings = AnalysisSettings()
        checks["scores"] = agreement(scores(study, settings=settings),
                                     baseline.scores(study, settings=settings))
        if network:
            checks["network_metrics"] = agreement(network_metrics(study),
                                                  baseline.network_metrics(study))
        for what, verdict in checks.items():
            print(f"{what}: this checkout and the baseline give {verdict} results")
    for warm_up in steps.values():  # warm-up: imports, igraph, caches
        warm_up()
    times = interleaved(steps, repeat)
    medians = {step: statistics.median(values) for step, values in times.items()}
    reference = medians["numpy tie matrix"]
    print(f"{'step':34} {'median s':>9} {'min s':>8} {'x numpy':>8} {'after/before':>13}")
    rows: dict[str, dict[str, float]] = {}
    for step, values in times.items():
        before = medians.get(f"{step} (baseline)")
        ratio = medians[step] / before if before else math.nan
        rows[step] = {"median_s": medians[step], "min_s": min(values), "max_s": max(values),
                      "x_numpy_tie_matrix": medians[step] / reference,
                      "after_over_before": ratio}
        shown = "" if math.isnan(ratio) else f"{ratio:.2f}"
        print(f"{step:34} {medians[step]:9.3f} {min(values):8.3f} "
              f"{medians[step] / reference:8.1f} {shown:>13}")
    if memory:  # tracemalloc sees numpy's buffers; once per step, after the timings
        for step in (s for s in ("scores", "scores (baseline)") if s in steps):
            peak = peak_bytes(steps[step])
            rows[step]["peak_bytes"] = peak
            print(f"peak memory of {step}: {peak / 2**20:.0f} MiB, "
                  f"{peak / input_bytes(study):.2f}x the input arrays")
    return {"roles": len(study.roles), "respondents": len(study.respondents),
            "ratings": len(study.ratings), "steps": rows, "agreement": checks}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--roles", type=int, default=2000)
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--per-respondent", type=int, default=20)
    parser.add_argument("--survey", action="store_true",
                        help="also the 50 roles x 100,000 respondents survey (scores only)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--memory", action="store_true",
                        help="also the peak memory of the scores (tracemalloc: slow)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    baseline = load_baseline(args.baseline) if args.baseline else None
    start = time.perf_counter()
    many = build(args.roles, args.respondents, per_respondent=args.per_respondent)
    print(f"built the many-roles study in {time.perf_counter() - start:.1f} s")
    results = {"many_roles": run(many, "many roles", args.repeat, baseline, network=True,
                               memory=args.memory)}
    del many
    if args.survey:
        survey = build(50, 100_000)
        results["survey"] = run(survey, "survey", args.repeat, baseline, network=False,
                                memory=args.memory)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "machine": platform.platform(), "python": platform.python_version(),
            "repeat": args.repeat, "baseline": str(args.baseline) if args.baseline else None,
            **results,
        }, indent=2))
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
