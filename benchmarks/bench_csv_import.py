"""Long-CSV import of 5.6 million answers beside a bare pandas and a bare polars parse.

The file: 40 roles x 20,000 respondents (500 per role), each rating all 40 roles on the 7
items: 20,000 x 40 x 7 = 5,600,000 rows of ``respondent,source,target,wave,item,position``
(one wave, answer positions 1..5, about 1 % missing; the header says they are positions).
Each contender runs ``--repeat`` times on the same file in the same process (warm page
cache), in rounds that take turns
(pandas, polars, relcoord, pandas, ...) so that a change in machine load hits all of them
alike; each one's best time counts.  The target: relcoord's import (parse, map items,
score, group into ratings, build and check the Study) within 2x of the fastest bare parse
(the documentation's CSV page, ``docs/csv.md``, reports a run).  Nothing is asserted;
figures are printed.

The file lists each rating's answers together, in key order and item order, as survey
exports and relcoord's own exporter do; the importer has fast paths for that.
``--shuffled`` writes the same rows in random order, which takes the general path
(merging runs by sorting, scattering answers into the score matrix).

Run:  .venv/bin/python benchmarks/bench_csv_import.py [--respondents 20000] [--repeat 3]
      [--shuffled]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from relcoord.formats.csv import read_long
from relcoord.instruments import DIMENSION_KEYS

ROLES = 40
ITEMS = ("RC1_COM", "RC2_COM", "RC3_COM", "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")


def make_file(path: Path, respondents: int, seed: int = 1, *, shuffled: bool = False) -> int:
    """Write the benchmark file (rows in random order if ``shuffled``); return its rows."""
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
        "position": pl.Series(answer).cast(pl.Int64, strict=False),
    })
    if shuffled:
        frame = frame[rng.permutation(per)]
    frame.write_csv(path)
    return per


def best_of(repeat: int, contenders: dict[str, Callable[[], object]]
            ) -> tuple[dict[str, float], dict[str, object]]:
    """The fastest of ``repeat`` runs (seconds) of each contender, taking turns, and the
    last result of each."""
    best = dict.fromkeys(contenders, float("inf"))
    results: dict[str, object] = {}
    for _ in range(repeat):
        for name, run in contenders.items():
            start = time.perf_counter()
            results[name] = run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shuffled", action="store_true",
                        help="rows in random order (the importer's general path)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # the importer's notes (delimiter, columns) each run
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        rows = make_file(path, args.respondents, shuffled=args.shuffled)
        size = path.stat().st_size
        print(f"file: {rows:,} answers, {size / 1e6:.1f} MB, {ROLES} roles, "
              f"{args.respondents:,} respondents, {len(ITEMS)} items"
              f"{', rows shuffled' if args.shuffled else ''}")
        best, results = best_of(args.repeat, {
            "pandas": lambda: pd.read_csv(path, engine="c"),
            "polars": lambda: pl.read_csv(path),
            "relcoord": lambda: read_long(path, {}),
        })
        pandas_s, polars_s, ours_s = best["pandas"], best["polars"], best["relcoord"]
        study = results["relcoord"]
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
