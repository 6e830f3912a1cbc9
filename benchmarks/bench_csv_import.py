"""Long-CSV import beside a bare ``polars.read_csv`` of the same file, rows in order and shuffled.

The workload (:func:`make_file`, seeded), one file per scale and row order: ``--roles``
roles of unequal size (a Dirichlet draw), respondents each rating about 90 % of the roles
on the 7 items of the classic scale, 5 % of the answers missing (an empty cell), one row per
answer: ``respondent,source,target,wave,item,position``.  Scales:

* ``M``: 50 roles x 20,000 respondents, about 6.3 million rows (250 MB);
* ``L``: 50 roles x 100,000 respondents, about 31.5 million rows (1.26 GB), the size issue 15
  names.

``ordered`` lists each rating's answers together, ratings by respondent, as survey exports and
relcoord's own exporter write them; ``shuffled`` writes the same rows in random order, which
takes the importer's general path (grouping the rows of each rating from anywhere in the file).

For each file, ``polars.read_csv(path)`` (the reference: a bare parse with its default type
inference) and relcoord's ``read_long`` (parse, map items, score, group into ratings, build and
check the Study) run ``--repeat`` times in the same process, interleaved (one round runs
each once, so a change in machine load hits both alike); the medians of the wall-clock
times and their ratio are printed, and the ratio of the median CPU times (every thread of the
process; less moved by other jobs on a shared machine, but blind to how well each uses the
cores).  Peak memory is the largest resident set of a fresh interpreter doing one import
(``VmHWM``, Linux), minus that of one that only imported the modules.  Nothing is asserted;
``--json`` writes every figure.  Issue 15's targets: at most 1.5x the reference for
ordered rows and 2x for shuffled rows, on both scales.

Run:  python benchmarks/bench_csv_import.py [--scales M,L] [--repeat 3]
          [--json benchmarks/results/csv-import.json]
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from relcoord.formats.csv import read_long

ITEMS = ("RC1_COM", "RC2_COM", "RC3_COM", "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")
SCALES = {"M": 20_000, "L": 100_000}
TARGETS = {"ordered": 1.5, "shuffled": 2.0}


def make_file(path: Path, n_roles: int, n_people: int, *, shuffled: bool, share: float = 0.9,
              missing: float = 0.05, seed: int = 2019) -> int:
    """Write the seeded workload of the module docstring to ``path``; return its rows."""
    rng = np.random.default_rng(seed)
    owner = rng.choice(n_roles, size=n_people, p=rng.dirichlet(np.full(n_roles, 2.0)))
    person = np.repeat(np.arange(n_people, dtype=np.int32), n_roles)
    target = np.tile(np.arange(n_roles, dtype=np.int32), n_people)
    keep = rng.random(len(person)) < share
    person, target = person[keep], target[keep]
    source = owner[person]
    d = len(ITEMS)
    rows = len(person) * d
    rating = np.repeat(np.arange(len(person)), d)
    level = rng.integers(2, 6, size=(n_roles, n_roles))[source, target]
    answer = np.clip(level[rating] + rng.integers(-1, 2, size=rows), 1, 5).astype(np.float64)
    answer[rng.random(rows) < missing] = np.nan
    roles = pl.Series([f"role-{i:02d}" for i in range(n_roles)])
    frame = pl.DataFrame({
        "respondent": pl.Series([f"p{i:07d}" for i in range(n_people)]).gather(person[rating]),
        "source": roles.gather(source[rating]),
        "target": roles.gather(target[rating]),
        "wave": pl.repeat("2019", rows, eager=True),
        "item": pl.Series(ITEMS).gather(np.tile(np.arange(d), len(person))),
        "position": pl.Series(answer).cast(pl.Int64, strict=False),
    })
    if shuffled:
        frame = frame[rng.permutation(rows)]
    frame.write_csv(path)
    return rows


def medians(repeat: int, contenders: dict[str, Callable[[], object]]
            ) -> dict[str, dict[str, Any]]:
    """Per contender, the median wall-clock and CPU seconds (every thread of the process) of
    ``repeat`` interleaved runs, and every time."""
    wall: dict[str, list[float]] = {name: [] for name in contenders}
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeat):
        for name, run in contenders.items():
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            result = run()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
            del result
    return {name: {"wall_s": statistics.median(wall[name]), "cpu_s": statistics.median(cpu[name]),
                   "wall_times_s": wall[name], "cpu_times_s": cpu[name]}
            for name in contenders}


_PEAK = """
import sys, warnings
warnings.simplefilter("ignore")
import polars as pl
from relcoord.formats.csv import read_long
what, path = sys.argv[1], sys.argv[2]
if what == "polars":
    pl.read_csv(path)
elif what == "relcoord":
    read_long(path, {})
# VmHWM: this process's own peak (ru_maxrss would report the parent's if that was larger)
status = open("/proc/self/status").read().split("VmHWM:")[1].split()
print(int(status[0]) * 1024)
"""


def peak_bytes(what: str, path: Path) -> int:
    """The peak resident set of a fresh interpreter running ``what`` on ``path``."""
    out = subprocess.run([sys.executable, "-c", _PEAK, what, str(path)], check=True,
                         capture_output=True, text=True)
    return int(out.stdout.split()[-1])


def run_file(path: Path, repeat: int) -> dict[str, Any]:
    """Time the reference and the import on ``path``; measure their peak memory."""
    study = read_long(path, {})  # warm the page cache and the imports
    n_ratings = len(study.ratings)
    del study
    figures = medians(repeat, {
        "polars.read_csv": lambda: pl.read_csv(path),
        "relcoord read_long": lambda: read_long(path, {}),
    })
    ours, reference = figures["relcoord read_long"], figures["polars.read_csv"]
    base = peak_bytes("nothing", path)
    return {
        "ratings": n_ratings, "timings": figures,
        "ratio": ours["wall_s"] / reference["wall_s"],
        "cpu_ratio": ours["cpu_s"] / reference["cpu_s"],
        "peak_bytes": {"polars.read_csv": peak_bytes("polars", path) - base,
                       "relcoord read_long": peak_bytes("relcoord", path) - base},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="M,L",
                        help="comma-separated: M (20,000 respondents), L (100,000)")
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--orders", default="ordered,shuffled")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # the importer's notes (delimiter, columns) each run
    report: dict[str, Any] = {
        "python": platform.python_version(), "polars": pl.__version__,
        "machine": platform.machine(), "repeat": args.repeat, "roles": args.roles,
        "runs": [],
    }
    print(f"{'file':<34} {'polars s':>9} {'relcoord s':>10} {'ratio':>6} {'target':>6} "
          f"{'cpu ratio':>9} {'peak MiB polars / relcoord':>27}")
    for scale in args.scales.split(","):
        respondents = SCALES[scale]
        for order in args.orders.split(","):
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"answers-{scale}-{order}.csv"
                rows = make_file(path, args.roles, respondents, shuffled=order == "shuffled")
                size = path.stat().st_size
                figures = run_file(path, args.repeat)
            figures.update(scale=scale, order=order, rows=rows, bytes=size,
                           respondents=respondents, target_ratio=TARGETS[order])
            report["runs"].append(figures)
            timing, peak = figures["timings"], figures["peak_bytes"]
            label = f"{scale} {order}: {rows / 1e6:.1f}M rows, {size / 1e6:.0f} MB"
            print(f"{label:<34} {timing['polars.read_csv']['wall_s']:9.3f} "
                  f"{timing['relcoord read_long']['wall_s']:10.3f} "
                  f"{figures['ratio']:6.2f} {TARGETS[order]:6.1f} {figures['cpu_ratio']:9.2f} "
                  f"{peak['polars.read_csv'] / 2**20:14.0f} / "
                  f"{peak['relcoord read_long'] / 2**20:<10.0f}", flush=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
