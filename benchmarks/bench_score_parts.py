"""Scores parts: size and time of the RC scores from rater-role parts against the in-memory scores.

The study is `bench_analyze.build`'s seeded workload (``--roles`` x ``--respondents``, each
respondent rating 90 % of the roles, 5 % of the answers missing, rows shuffled).  Its published
rows are cut into ``--groups`` blocks of whole rater roles
(`relcoord.rater_role_blocks.rater_role_groups`), each block's
`relcoord.metrics.scores.scores_part` is made, the parts combined and the scores finished from
them on a study without ratings; the result is checked against `relcoord.metrics.scores.scores`
of the whole published study: to the last bit when its rows are in canonical order (as
`relcoord.analyze` gathers them), else floats to 1e-12.  Printed: the rows' arrays
against the parts' sizes (their arrays and pickled), and the seconds of each step.

    python benchmarks/bench_score_parts.py --roles 50 --respondents 20000 --groups 8
"""

from __future__ import annotations

import argparse
import math
import pickle
import time
from typing import Any

import attrs
from bench_analyze import build, input_bytes  # type: ignore[import-not-found]

from relcoord.metrics.scores import ScoresPart, scores, scores_from_parts, scores_part
from relcoord.privacy import published_scores
from relcoord.rater_role_blocks import rater_role_block, rater_role_blocks, rater_role_groups
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings


def close(a: Any, b: Any) -> bool:
    """Floats to 1e-12, everything else exactly, but a band where its RC is within 1e-12 of a
    band limit (an RC of 4 added in another order may come out a rounding above it)."""
    if isinstance(a, dict):
        limits = AnalysisSettings().bands
        return isinstance(b, dict) and a.keys() == b.keys() and all(
            close(a[k], b[k]) or (k == "band" and any(
                math.isclose(a["rc"], x, rel_tol=1e-12) for x in limits)) for k in a)
    if isinstance(a, list):
        return (isinstance(b, list) and len(a) == len(b)
                and all(close(x, y) for x, y in zip(a, b, strict=True)))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
    return type(a) is type(b) and a == b


def mib(n: float) -> str:
    return f"{n / 2**20:,.2f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--groups", type=int, default=8)
    args = parser.parse_args()
    study = build(args.roles, args.respondents)
    chosen = AnalysisSettings()
    published = published_scores(study, chosen)[0]
    print(f"study: {args.roles} roles, {args.respondents:,} respondents, "
          f"{len(published.ratings):,} published ratings; rating arrays "
          f"{mib(input_bytes(published))}")

    started = time.perf_counter()
    expected = scores(published, settings=chosen).to_mapping()
    in_memory = time.perf_counter() - started
    # the published rows in canonical order, as an analysis gathers them
    canonical = scores(rater_role_block(published, published.role_ids),
                       settings=chosen).to_mapping()

    blocks = rater_role_blocks(published, rater_role_groups(published, args.groups))
    started = time.perf_counter()
    parts = [scores_part(block, chosen) for block in blocks]
    making = time.perf_counter() - started
    largest = max(parts, key=lambda p: p.nbytes)
    started = time.perf_counter()
    part = ScoresPart.combine(parts)
    combining = time.perf_counter() - started
    metadata_only = attrs.evolve(published, ratings=Ratings.empty(published.instrument.keys))
    started = time.perf_counter()
    got = scores_from_parts(metadata_only, part, chosen).to_mapping()
    finishing = time.perf_counter() - started
    assert close(got, expected), "the scores from parts differ from the in-memory scores"
    assert got == canonical, "the scores from parts differ from those of the canonical rows"

    values = part.values
    print(f"parts: {len(parts)} blocks; the largest {mib(largest.nbytes)} "
          f"({len(pickle.dumps(largest)):,} bytes pickled), "
          f"all together {mib(sum(p.nbytes for p in parts))}")
    print(f"combined part: {mib(part.nbytes)} ({len(pickle.dumps(part)):,} bytes pickled): "
          f"{len(part.cells):,} rated cells, {len(values.values)} distinct RC values, "
          f"{len(values.count):,} (cell, value) pairs ({mib(values.nbytes)})")
    print(f"part / rating arrays: {part.nbytes / input_bytes(published):.4f}")
    print(f"seconds: in-memory scores {in_memory:.3f}; parts {making:.3f}, combine "
          f"{combining:.4f}, finish {finishing:.3f}; the same scores as of the canonical rows, "
          "to the last bit (as of the rows shuffled: floats to 1e-12)")


if __name__ == "__main__":
    main()
