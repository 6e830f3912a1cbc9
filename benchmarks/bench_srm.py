"""Benchmark the Social Relations Model: the embedded example, a planted study, many roles.

The workloads:

* the embedded example (the seed's conferences, 564 ratings);
* ``planted``: a study drawn from the SRM by :func:`relcoord.testing.planted.planted_study`,
  by default 50 roles (5 of them absent) x 2,000 respondents, each rater role rating about
  60 % of the roles and each respondent 85 % of their role's targets (about 49,000
  ratings);
* ``many roles`` (``--many R ...``): the many-roles study of issue 15 at ``R`` roles, as
  ``benchmarks/bench_analyze.py --per-respondent`` draws it: ``25 R`` respondents in roles
  of unequal size, each rating ``--per-respondent`` (20) distinct roles among the ``4 x 20``
  nearest their own (a team works with its neighbours), 7 items, 5 % of the answers
  missing.  At 2,000 roles that is one million ratings.

Printed per workload: the ratings, rater roles, targets, ties and respondents the model
uses, the wall and CPU time of ``social_relations_model`` (best of ``--repeat`` runs,
``time.perf_counter`` and ``time.process_time``: on a shared machine the CPU time is the
steadier figure), the criterion evaluations and the variance shares.  ``--dense``
also times the dense reference solver of the global system (``fit_reml(...,
solver="dense")``, cubic in roles) on the same design and prints the largest difference of
the variances.  Nothing is asserted; the script prints figures.

``--evaluate`` times instead one evaluation of the REML criterion, without and with its
gradient, for each solver and, for the banded one, also with every rater role's
respondents eliminated first (``Criterion(order="respondents")``, the elimination before
the ties-first one; one BLAS thread, as the fit runs), and prints whether the solvers
agree: what a whole fit costs at sizes where the dense fit would take too long.

    python benchmarks/bench_srm.py                                # example and planted
    python benchmarks/bench_srm.py --many 50 200 400 --dense-max 400 --repeat 1
    python benchmarks/bench_srm.py --many 2000 --evaluate --dense-max 2000

``--survey`` adds the survey of ``bench_analyze.py`` (50 roles x 100,000 respondents, 4.5
million ratings); ``--memory`` prints, per workload, the peak memory of
``social_relations_model`` above its base (``tracemalloc``, one more run), once on its own
and once with the respondent-tie scores computed beforehand and shared, as ``analyze``
runs it, beside the size of the study's rating arrays.

    python benchmarks/bench_srm.py --survey --memory --repeat 1

``--parts N`` also fits each workload's model from rater-role parts
(`relcoord.metrics.srm.parts`), as the bounded Dask client is to: the rater roles in ``N``
groups of about equal rows (``rater_role_groups``), each group's published block's part
(``srm_part``), the parts combined and the model fitted from them.  Printed: the time of the
parts (all, and the largest), of the combination and of the finish beside the in-memory model
of the whole published study, the parts' size (their arrays and pickled), and the largest
difference of the two results' numbers (relative, beyond an absolute 1e-8).

    python benchmarks/bench_srm.py --survey --parts 10 --repeat 1
"""

from __future__ import annotations

import argparse
import functools
import gc
import math
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Literal, TypeVar

import numpy as np

from relcoord.example import load_example
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.srm import social_relations_model
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.ratings import Ratings
from relcoord.testing.planted import planted_study

_T = TypeVar("_T")


def many_roles(n_roles: int, per_respondent: int = 20, per_role: int = 25,
               missing: float = 0.05, seed: int = 2019) -> Study:
    """The many-roles workload (see the module docstring), seeded."""
    rng = np.random.default_rng(seed)
    n_people = per_role * n_roles
    roles = [Role(f"role{i:04d}", f"Role {i}") for i in range(n_roles)]
    owner = rng.choice(n_roles, size=n_people, p=rng.dirichlet(np.full(n_roles, 2.0)))
    people = [Respondent(f"p{j:07d}", roles[owner[j]].id) for j in range(n_people)]
    width = min(4 * per_respondent, n_roles)
    per = min(per_respondent, width)
    respondent = np.repeat(np.arange(n_people, dtype=np.int32), per)
    offset = np.argsort(rng.random((n_people, width)), axis=1)[:, :per].ravel()
    target = ((owner[respondent] + offset - width // 2) % n_roles).astype(np.int32)
    source = owner[respondent].astype(np.int32)
    # planted effects: rater, target, tie, respondent, residual
    a, b = rng.normal(0, 0.25, n_roles), rng.normal(0, 0.3, n_roles)
    tie = rng.normal(0, 0.35, (n_roles, 4 * per_respondent + 1))
    p = rng.normal(0, 0.25, n_people)
    level = (3.3 + a[source] + b[target] + tie[source, (target - source) % tie.shape[1]]
             + p[respondent])
    noise = rng.normal(0, 0.6, size=(len(source), len(DIMENSION_KEYS)))
    scores = np.clip(np.rint(level[:, None] + noise), 1, 5)
    scores[rng.random(scores.shape) < missing] = np.nan
    ratings = Ratings.from_arrays(
        source=source, target=target, scores=scores, dimensions=DIMENSION_KEYS,
        roles=[r.id for r in roles], respondent=respondent,
        respondents=[q.id for q in people])
    return Study(metadata=Metadata(id="bench-srm"), instrument="rc7-classic", roles=roles,
                 respondents=people, ratings=ratings)


def measure(name: str, study: Study, repeat: int, dense: bool) -> None:
    """Time the model on ``study`` and print what it used and found."""
    best = best_cpu = float("inf")
    calls = []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = social_relations_model(study)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    shares = ", ".join(f"{k} {v:.1%}" if v is not None else f"{k} -"
                       for k, v in result.variance_shares.items())
    print(f"{name}: {result.n_ratings:,} ratings, {result.n_rater_roles} rater roles, "
          f"{result.n_target_roles} targets, {result.n_ties:,} ties, "
          f"{result.n_respondents:,} respondents", flush=True)
    print(f"  social_relations_model: {best:.3f} s wall, {best_cpu:.3f} s CPU (best of "
          f"{repeat}), converged {result.converged}", flush=True)
    print(f"  shares: {shares}", flush=True)
    if dense:
        from relcoord.metrics.srm.design import srm_design
        from relcoord.metrics.srm.estimate import _identifiable
        from relcoord.metrics.srm.reml import fit_reml
        from relcoord.settings import AnalysisSettings

        design = srm_design(study, min_items=AnalysisSettings().items_needed(
            study.instrument))
        fitted = _identifiable(design)
        timings = {}
        fits = {}
        for solver in ("banded", "dense"):
            start = time.perf_counter()
            fits[solver] = fit_reml(design, fitted, solver=solver)
            timings[solver] = time.perf_counter() - start
            calls.append(fits[solver].evaluations)
        diff = float(np.nanmax(np.abs(fits["banded"].variances - fits["dense"].variances)))
        print(f"  fit_reml: banded {timings['banded']:.3f} s, dense {timings['dense']:.3f} s "
              f"(x{timings['dense'] / timings['banded']:.1f}), {calls[0]} / {calls[1]} "
              f"evaluations, max |variance difference| {diff:.1e}", flush=True)


def memory(study: Study) -> None:
    """Print the peak of ``social_relations_model`` above its base (tracemalloc), on its
    own and with the respondent-tie scores shared and computed beforehand."""
    from relcoord.metrics.scores import respondent_tie_scores, shared_respondent_tie_scores
    from relcoord.settings import AnalysisSettings

    ratings = study.ratings
    size = sum(a.nbytes for a in (ratings.source, ratings.target, ratings.respondent,
                                  ratings.scores))

    def peak() -> int:
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        social_relations_model(study)
        top = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        return top

    alone = peak()
    with shared_respondent_tie_scores():
        respondent_tie_scores(study, min_items=AnalysisSettings().items_needed(
            study.instrument))
        shared = peak()
    mib = 2.0**20
    print(f"  peak above base: {alone / mib:.0f} MiB alone, {shared / mib:.0f} MiB with the "
          f"scores shared ({shared / size:.2f}x the rating arrays, {size / mib:.0f} MiB: "
          "codes, respondents, scores)", flush=True)


def from_parts(study: Study, n_groups: int, repeat: int) -> None:
    """The model from ``n_groups`` rater-role parts beside the in-memory model of the whole
    published study: times, the parts' sizes and the largest difference."""
    import pickle

    from relcoord.metrics.srm.parts import (
        combine_srm_parts,
        social_relations_model_from_parts,
        srm_part,
    )
    from relcoord.privacy import published_scores
    from relcoord.rater_role_blocks import rater_role_blocks, rater_role_groups
    from relcoord.settings import AnalysisSettings

    settings = AnalysisSettings()
    published = published_scores(study, settings)[0]
    blocks = [published_scores(block, settings)[0]
              for block in rater_role_blocks(study, rater_role_groups(study, n_groups))]

    def best(step: Callable[[], _T]) -> tuple[_T, float, float]:
        wall = cpu = float("inf")
        for _ in range(repeat):
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            out = step()
            wall = min(wall, time.perf_counter() - start)
            cpu = min(cpu, time.process_time() - start_cpu)
        return out, wall, cpu

    whole, whole_wall, whole_cpu = best(lambda: social_relations_model(published,
                                                                       settings=settings))
    timed = [best(functools.partial(srm_part, block, settings)) for block in blocks]
    parts = [part for part, _, _ in timed]
    part, combine_wall, combine_cpu = best(lambda: combine_srm_parts(parts[::-1]))
    result, finish_wall, finish_cpu = best(
        lambda: social_relations_model_from_parts(study, part, settings))
    mib = 2.0**20
    print(f"  from {len(parts)} parts of {min(len(b.ratings) for b in blocks):,} to "
          f"{max(len(b.ratings) for b in blocks):,} published ratings:", flush=True)
    print(f"    parts: {sum(t[1] for t in timed):.3f} s wall, {sum(t[2] for t in timed):.3f} s "
          f"CPU in all (largest {max(t[1] for t in timed):.3f} s wall); combine "
          f"{combine_wall:.3f} s wall, {combine_cpu:.3f} s CPU; finish (design and fit) "
          f"{finish_wall:.3f} s wall, {finish_cpu:.3f} s CPU", flush=True)
    print(f"    in memory on the whole published study: {whole_wall:.3f} s wall, "
          f"{whole_cpu:.3f} s CPU", flush=True)
    print(f"    size: parts {min(p.nbytes for p in parts) / mib:.2f} to "
          f"{max(p.nbytes for p in parts) / mib:.2f} MiB (pickled up to "
          f"{max(len(pickle.dumps(p)) for p in parts) / mib:.2f} MiB), combined "
          f"{part.nbytes / mib:.2f} MiB for {part.n_units:,} respondents and "
          f"{len(part.tie_pairs):,} ties", flush=True)
    print(f"    largest relative difference beyond 1e-8 absolute: "
          f"{_largest_difference(whole.to_mapping(), result.to_mapping()):.1e}", flush=True)


def _largest_difference(one: object, two: object) -> float:
    """The largest relative difference of two JSON trees' numbers that differ by more than
    1e-8; ``inf`` where anything else differs."""
    if isinstance(one, dict) and isinstance(two, dict):
        if one.keys() != two.keys():
            return math.inf
        return max((_largest_difference(one[k], two[k]) for k in one), default=0.0)
    if isinstance(one, list) and isinstance(two, list):
        if len(one) != len(two):
            return math.inf
        return max((_largest_difference(x, y) for x, y in zip(one, two, strict=True)),
                   default=0.0)
    if isinstance(one, float) and isinstance(two, float):
        gap = abs(one - two)
        return 0.0 if gap <= 1e-8 else gap / max(abs(one), abs(two))
    return 0.0 if one == two else math.inf


def evaluate(name: str, study: Study, dense: bool) -> None:
    """One criterion evaluation, without and with the gradient, per solver, and for the
    banded solver also with every rater role's respondents eliminated first (the order
    before the ties-first elimination of roles with few respondents)."""
    from threadpoolctl import threadpool_limits

    from relcoord.metrics.srm.criterion import Criterion
    from relcoord.metrics.srm.design import srm_design
    from relcoord.metrics.srm.estimate import _identifiable
    from relcoord.settings import AnalysisSettings

    design = srm_design(study, min_items=AnalysisSettings().items_needed(study.instrument))
    fitted = _identifiable(design)
    theta = np.array([0.6, 0.7, 0.9, 0.5])
    print(f"{name}: {design.n:,} ratings", flush=True)
    found = {}
    runs: list[tuple[str, Literal["banded", "dense"], Literal["auto", "respondents"]]] = [
        ("banded", "banded", "auto"), ("banded, respondents first", "banded", "respondents")]
    if dense:
        runs.append(("dense", "dense", "auto"))
    for label, solver, order in runs:
        start = time.perf_counter()
        criterion = Criterion(design, fitted, solver=solver, order=order)
        setup = time.perf_counter() - start
        with threadpool_limits(limits=1, user_api="blas"):
            start = time.perf_counter()
            value = criterion(theta)
            middle = time.perf_counter()
            found[label] = criterion.with_gradient(theta)
            end = time.perf_counter()
        print(f"  {label}: set-up {setup:.2f} s, value {middle - start:.2f} s, value and "
              f"gradient {end - middle:.2f} s (criterion {value:.10g})", flush=True)
    if dense:
        (v1, g1), (v2, g2) = found["banded"], found["dense"]
        print(f"  |criterion difference| {abs(v1 - v2):.1e} (relative "
              f"{abs(v1 - v2) / abs(v2):.1e}), max |gradient difference| "
              f"{float(np.abs(g1 - g2).max()):.1e} of max |gradient| "
              f"{float(np.abs(g2).max()):.1e}", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--many", type=int, nargs="*", default=[],
                        help="role counts of the many-roles workload")
    parser.add_argument("--per-respondent", type=int, default=20)
    parser.add_argument("--dense-max", type=int, default=0,
                        help="also run the dense reference up to this many roles")
    parser.add_argument("--evaluate", action="store_true",
                        help="time one criterion evaluation per solver instead of the fit")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--survey", action="store_true",
                        help="also the survey of bench_analyze.py (50 x 100,000)")
    parser.add_argument("--memory", action="store_true",
                        help="also the peak memory of each workload (tracemalloc)")
    parser.add_argument("--parts", type=int, default=0,
                        help="also the model from this many rater-role parts")
    args = parser.parse_args(argv)
    if not args.many and not args.survey:
        measure("embedded example", load_example(), args.repeat, False)
        large = planted_study(n_roles=args.roles, n_respondents=args.respondents,
                              n_absent=max(1, args.roles // 10), seed=args.seed).study
        measure(f"planted, {args.roles} roles x {args.respondents:,} respondents", large,
                args.repeat, args.dense_max >= args.roles)
        if args.parts:
            from_parts(large, args.parts, args.repeat)
        if args.memory:
            memory(large)
    if args.survey:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from benchmarks.bench_analyze import build

        survey = build(50, 100_000)
        measure("survey, 50 roles x 100,000 respondents", survey, args.repeat, False)
        if args.parts:
            from_parts(survey, args.parts, args.repeat)
        if args.memory:
            memory(survey)
    for n_roles in args.many:
        study = many_roles(n_roles, args.per_respondent)
        if args.evaluate:
            evaluate(f"many roles, {n_roles} roles", study, args.dense_max >= n_roles)
            continue
        measure(f"many roles, {n_roles} roles x {25 * n_roles:,} respondents x "
                f"{args.per_respondent}", study, args.repeat, args.dense_max >= n_roles)
        if args.parts:
            from_parts(study, args.parts, args.repeat)
        if args.memory:
            memory(study)


if __name__ == "__main__":
    main()
