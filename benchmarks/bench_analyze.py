"""Benchmark: ``analyze`` on 40 roles x 20,000 respondents x 40 targets x 7 items.

5.6 million item values (800,000 respondent-ties).  Printed beside a bare numpy reference
measured in the same run: the same tie matrix from the integer codes with ``np.bincount``
(row means, then sums and counts per ``source * k + target`` cell).  Targets: relcoord's
tie matrix within 2x of the reference, the whole ``analyze`` within 5x.  Wall time is the
best of ``--repeat`` runs; peak memory is measured with :mod:`tracemalloc` (numpy reports
its buffers to it) in a separate run.  Nothing is asserted.

Run:  .venv/bin/python benchmarks/bench_analyze.py [--roles 40] [--respondents 20000]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from relcoord import Respondent, Role, Study, analyze
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.scores import scores, tie_matrix
from relcoord.model import Metadata
from relcoord.ratings import Ratings


def build(n_roles: int, n_people: int, seed: int = 2019) -> Study:
    """Every respondent rates every role on all 7 items (classic scale, scores 1..5)."""
    rng = np.random.default_rng(seed)
    roles = [Role(f"role{i:02d}", f"Role {i}", organisation=f"org{i % 3}")
             for i in range(n_roles)]
    owner = np.arange(n_people) % n_roles
    people = [Respondent(f"p{j:06d}", roles[owner[j]].id) for j in range(n_people)]
    respondent = np.repeat(np.arange(n_people, dtype=np.int32), n_roles)
    source = owner[respondent].astype(np.int32)
    target = np.tile(np.arange(n_roles, dtype=np.int32), n_people)
    level = rng.integers(2, 6, size=(n_roles, n_roles))[source, target]
    noise = rng.integers(-1, 2, size=(len(source), len(DIMENSION_KEYS)))
    scores = np.clip(level[:, None] + noise, 1, 5).astype(np.float64)
    ratings = Ratings.from_arrays(
        source=source, target=target, scores=scores, dimensions=DIMENSION_KEYS,
        roles=[r.id for r in roles], respondent=respondent, respondents=[p.id for p in people],
    )
    return Study(metadata=Metadata(id="bench"), instrument="rc7-classic", roles=roles,
                 respondents=people, ratings=ratings)


def reference(study: Study) -> npt.NDArray[np.float64]:
    """The bare tie matrix: respondent-tie means, then bincount sums / counts per cell."""
    k = len(study.roles)
    ratings = study.ratings
    rt = ratings.scores.mean(axis=1)
    cell = ratings.source.astype(np.intp) * k + ratings.target
    sums = np.bincount(cell, weights=rt, minlength=k * k)
    counts = np.bincount(cell, minlength=k * k)
    return np.asarray(sums / counts, dtype=np.float64).reshape(k, k)


def best_time(func: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mib(func: Callable[[], Any]) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=40)
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    study = build(args.roles, args.respondents)
    built = time.perf_counter() - start
    n = len(study.ratings)
    print(f"study: {args.roles} roles, {args.respondents:,} respondents, {n:,} ratings, "
          f"{n * len(DIMENSION_KEYS):,} item values (built and validated in {built:.2f} s)")
    ours = tie_matrix(study)
    ref = reference(study)
    print(f"tie matrices agree: max |difference| = {np.nanmax(np.abs(ours - ref)):.2e}")
    analyze(study)  # warm-up: imports, igraph
    rows = [
        ("numpy reference (codes + bincount)", lambda: reference(study)),
        ("relcoord tie_matrix", lambda: tie_matrix(study)),
        ("relcoord metrics.scores (all RC scores)", lambda: scores(study)),
        ("relcoord analyze (everything)", lambda: analyze(study)),
    ]
    results = [(name, best_time(f, args.repeat), peak_mib(f)) for name, f in rows]
    base_time, base_mem = results[0][1], results[0][2]
    print(f"{'':42} {'wall s':>8} {'x ref':>6} {'peak MiB':>9} {'x ref':>6}")
    for name, seconds, mib in results:
        print(f"{name:42} {seconds:8.3f} {seconds / base_time:6.2f} {mib:9.1f} "
              f"{mib / base_mem:6.2f}")
    print("targets: tie matrix within 2x of the reference, analyze within 5x (wall time); "
          "analyze adds the privacy rule, the network and the findings to the scores")


if __name__ == "__main__":
    main()
