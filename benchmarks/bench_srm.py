"""Benchmark the Social Relations Model: the embedded example and a large generated study.

The workloads: the embedded example (the seed's conferences, 564 ratings) and a study
drawn from the SRM by :func:`relcoord.testing.planted.planted_study`, by default 50 roles
(5 of them absent) x 2,000 respondents, each rater role rating about 60 % of the roles and
each respondent 85 % of their role's targets (about 49,000 ratings).  Printed per workload:
the ratings, rater roles, targets, ties and respondents the model uses, the wall time of
``social_relations_model`` (best of ``--repeat`` runs, ``time.perf_counter``; scipy's
optimiser is imported once before timing, as any second call in a process finds it) and
the variance shares.  Nothing is
asserted; the script prints figures.

    python benchmarks/bench_srm.py                       # both workloads
    python benchmarks/bench_srm.py --roles 80 --respondents 5000
"""

from __future__ import annotations

import argparse
import time

import scipy.optimize  # noqa: F401  (imported before timing, see the module docstring)

from relcoord.example import load_example
from relcoord.metrics.srm import social_relations_model
from relcoord.model import Study
from relcoord.testing.planted import planted_study


def measure(name: str, study: Study, repeat: int) -> None:
    """Time the model on ``study`` and print what it used and found."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = social_relations_model(study)
        best = min(best, time.perf_counter() - start)
    shares = ", ".join(f"{k} {v:.1%}" if v is not None else f"{k} -"
                       for k, v in result.variance_shares.items())
    print(f"{name}: {result.n_ratings:,} ratings, {result.n_rater_roles} rater roles, "
          f"{result.n_target_roles} targets, {result.n_ties:,} ties, "
          f"{result.n_respondents:,} respondents")
    print(f"  social_relations_model: {best:.3f} s (best of {repeat}), "
          f"converged {result.converged}")
    print(f"  shares: {shares}")


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    measure("embedded example", load_example(), args.repeat)
    large = planted_study(n_roles=args.roles, n_respondents=args.respondents,
                          n_absent=max(1, args.roles // 10), seed=args.seed).study
    measure(f"generated, {args.roles} roles x {args.respondents:,} respondents", large,
            args.repeat)


if __name__ == "__main__":
    main()
