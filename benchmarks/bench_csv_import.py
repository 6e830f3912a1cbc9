"""Long-CSV import of 5.6 million answers beside a bare pandas and a bare polars parse.

The file: 40 roles x 20,000 respondents (500 per role), each rating all 40 roles on the 7
items: 20,000 x 40 x 7 = 5,600,000 rows of ``respondent,source,target,wave,item,answer``
(one wave, answer positions 1..5, about 1 % missing).  Each parser runs ``--repeat`` times
on the same file in the same process (warm page cache); the best time counts.  The target
of issue 4: relcoord's import (parse, map items, score, group into ratings, build and check
the Study) within 2x of the fastest bare parse.  Nothing is asserted; figures are printed.

Run:  .venv/bin/python benchmarks/bench_csv_import.py [--respondents 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from relcoord.formats.csv import read_long
from relcoord.instruments import DIMENSION_KEYS

ROLES = 40
ITEMS = ("RC1_COM", "RC2_COM", "RC3_COM", "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")


def make_file(path: Path, respondents: int, seed: int = 1) -> int:
    """Write the benchmark file; return its number of data rows."""
    rng = np.random.default_rng(seed)
    per = respondents * ROLES * len(ITEMS)
    person = np.repeat(np.arange(respondents), ROLES * len(ITEMS))
    source = person % ROLES
    target = np.tile(np.repeat(np.arange(ROLES), len(ITEMS)), respondents)
    item = np.tile(np.arange(len(ITEMS)), respondents * ROLES)
    answer = rng.integers(1, 6, per).astype(np.float64)
    answer[rng.random(per) < 0.01] = np.nan
    role_names = pl.Series([f"role-{i:02d}" for i in range(ROLES)])
    frame = pl.DataFrame({
        "respondent": pl.Series([f"p{i:06d}" for i in range(respondents)]).gather(person),
        "source": role_names.gather(source),
        "target": role_names.gather(target),
        "wave": pl.repeat("2019", per, eager=True),
        "item": pl.Series(ITEMS).gather(item),
        "answer": pl.Series(answer).cast(pl.Int64, strict=False),
    })
    frame.write_csv(path)
    return per


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, object]:
    """The fastest of ``repeat`` runs (seconds) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        rows = make_file(path, args.respondents)
        size = path.stat().st_size
        print(f"file: {rows:,} answers, {size / 1e6:.1f} MB, {ROLES} roles, "
              f"{args.respondents:,} respondents, {len(ITEMS)} items")
        pandas_s, _ = best_of(args.repeat, lambda: pd.read_csv(path, engine="c"))
        polars_s, _ = best_of(args.repeat, lambda: pl.read_csv(path))
        ours_s, study = best_of(args.repeat, lambda: read_long(path, {}))
        fastest = min(pandas_s, polars_s)
        print(f"bare pandas.read_csv (C engine):  {pandas_s:7.3f} s")
        print(f"bare polars.read_csv:             {polars_s:7.3f} s")
        print(f"relcoord csv-long import -> Study: {ours_s:7.3f} s  "
              f"({ours_s / fastest:.2f}x the fastest bare parse; target <= 2x)")
        ratings = study.ratings  # type: ignore[attr-defined]
        print(f"  {len(ratings):,} ratings x {len(DIMENSION_KEYS)} dimensions, "
              f"{len(study.respondents):,} respondents, "  # type: ignore[attr-defined]
              f"{len(study.roles)} roles; "  # type: ignore[attr-defined]
              f"{rows / ours_s / 1e6:.1f} M answers/s")


if __name__ == "__main__":
    main()
