"""Import of a partitioned Parquet export (``--from parquet-parts``) beside a bare pyarrow read.

The export: 50 roles x 100,000 respondents (2,000 per role), each rating 45 of the 50 roles on
the 7 items of the classic scale, 5 % of the answers missing: 100,000 x 45 x 7 = 31.5 million
rows of ``respondent, source, target, wave, item, position`` in the long layout, as a data
platform exports a survey table, split into 20 Hive partitions ``site=s00`` ... ``site=s19``
(one Parquet file each, zstd, text columns dictionary-encoded as Spark and pyarrow write them).
It is written partition by partition from a seed, so the whole table is never in memory at
once.

Contenders, each run ``--repeat`` times in rounds that take turns (so that a change in the
machine's load hits both alike), each one's best time counting:

- **pyarrow.dataset**: ``pyarrow.dataset.dataset(folder, partitioning="hive").to_table()``, the
  bare read of the same files into one Arrow table (no checks, no study);
- **relcoord**: ``relcoord.plugins.read(folder, format="parquet-parts")``: every file read within
  the limits (bytes counted while reading, the metadata checked before decoding), the schemas
  compared, the columns mapped, the answers scored, grouped into ratings and built into a checked
  study.

Nothing is asserted; the figures are printed, with relcoord's time as a multiple of the bare
read (wall clock, and CPU seconds of the process, which a loaded machine disturbs less), and
written as JSON with ``--json PATH``.

Run:  .venv/bin/python benchmarks/bench_parquet_import.py [--respondents 100000] [--repeat 3]
      [--json benchmarks/results/parquet-import-50x100000.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from relcoord.plugins import PluginHost

ROLES = 50
RATED = 45
SITES = 20
ITEMS = ("RC1_COM", "RC2_COM", "RC3_COM", "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")


def _text(values: list[str], codes: np.ndarray) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(values))


def make_export(folder: Path, respondents: int, seed: int = 1) -> int:
    """Write the export (see the module) into ``folder``; return its rows."""
    rng = np.random.default_rng(seed)
    roles = [f"role-{i:02d}" for i in range(ROLES)]
    total = 0
    for site in range(SITES):
        people = np.arange(site, respondents, SITES)
        n = len(people)
        own = people % ROLES
        # each person rates the 45 roles after their own (their own role among them)
        offsets = np.arange(RATED)
        target = (own[:, None] + offsets[None, :]) % ROLES
        rows = n * RATED * len(ITEMS)
        person = np.repeat(people, RATED * len(ITEMS))
        answer = rng.integers(1, 6, rows).astype(np.int64)
        missing = rng.random(rows) < 0.05
        ids = [f"p{p:06d}" for p in people]
        table = pa.table({
            "respondent": _text(ids, np.repeat(np.arange(n), RATED * len(ITEMS))),
            "source": _text(roles, person % ROLES),
            "target": _text(roles, np.repeat(target.reshape(-1), len(ITEMS))),
            "wave": _text(["2025"], np.zeros(rows, dtype=np.int64)),
            "item": _text(list(ITEMS), np.tile(np.arange(len(ITEMS)), n * RATED)),
            "position": pa.array(answer, mask=missing),
        })
        place = folder / f"site=s{site:02d}"
        place.mkdir(parents=True)
        pq.write_table(table, place / "part-0000.parquet", compression="zstd")
        total += rows
    return total


def best_of(repeat: int, contenders: dict[str, Callable[[], object]]
            ) -> tuple[dict[str, float], dict[str, float], dict[str, object]]:
    """The fastest of ``repeat`` runs of each contender, taking turns: wall-clock seconds and
    CPU seconds of the process (every thread; steadier than the wall clock on a loaded
    machine), and the last result of each."""
    wall = dict.fromkeys(contenders, float("inf"))
    cpu = dict.fromkeys(contenders, float("inf"))
    results: dict[str, object] = {}
    for _ in range(repeat):
        for name, run in contenders.items():
            results.pop(name, None)  # free the last result before the next run
            start, start_cpu = time.perf_counter(), time.process_time()
            results[name] = run()
            wall[name] = min(wall[name], time.perf_counter() - start)
            cpu[name] = min(cpu[name], time.process_time() - start_cpu)
    return wall, cpu, results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # the importer's notes (layout, columns) each run
    host = PluginHost(environ={"RELCOORD_PLUGINS": "parquet"})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        start = time.perf_counter()
        rows = make_export(folder, args.respondents)
        made = time.perf_counter() - start
        size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
        print(f"export: {rows:,} answers in {SITES} Parquet partitions, {size / 1e6:.1f} MB; "
              f"{ROLES} roles, {args.respondents:,} respondents, {len(ITEMS)} items "
              f"(written in {made:.1f} s)")
        best, cpu, results = best_of(args.repeat, {
            "pyarrow.dataset": lambda: ds.dataset(folder, format="parquet",
                                                  partitioning="hive").to_table(),
            "relcoord": lambda: host.read(folder, format="parquet-parts"),
        })
        bare, ours = best["pyarrow.dataset"], best["relcoord"]
        study = results["relcoord"]
        ratings = len(study.ratings)  # type: ignore[attr-defined]
        people = len(study.respondents)  # type: ignore[attr-defined]
        bare_cpu, ours_cpu = cpu["pyarrow.dataset"], cpu["relcoord"]
        print("                                          wall s    CPU s")
        print(f"bare pyarrow.dataset read:              {bare:8.3f} {bare_cpu:8.3f}")
        print(f"relcoord parquet-parts import -> Study: {ours:8.3f} {ours_cpu:8.3f}  "
              f"({ours / bare:.2f}x the bare read's wall time, {ours_cpu / bare_cpu:.2f}x "
              "its CPU time)")
        print(f"  {ratings:,} ratings, {people:,} respondents; {rows / ours / 1e6:.1f} M "
              "answers/s")
        if args.json is not None:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({
                "benchmark": "bench_parquet_import", "answers": rows, "roles": ROLES,
                "respondents": args.respondents, "partitions": SITES, "bytes": size,
                "repeat": args.repeat, "seconds": {"pyarrow.dataset": bare, "relcoord": ours},
                "cpu_seconds": {"pyarrow.dataset": bare_cpu, "relcoord": ours_cpu},
                "ratio": ours / bare, "cpu_ratio": ours_cpu / bare_cpu, "ratings": ratings,
                "load_average": os.getloadavg()[0],
                "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                            "pyarrow": pa.__version__},
            }, indent=2) + "\n", encoding="utf-8")
            print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
