"""Workbook import: a wide survey sheet read by relcoord-xlsx beside the same rows as CSV,
and beside a bare openpyxl read-only pass over the cells.

The sheet: 40 roles x ``--respondents`` respondents spread over them, each rating all 40
roles on the 7 items, one row per respondent and rated role (``Respondent, Faggruppe,
Vurderet faggruppe, RC1_COM .. RC7_REL``; whole-number answer positions, about 1 %
empty).  Three contenders, each run ``--repeat`` times in rounds that take turns; each
one's best time counts.  Nothing is asserted; figures are printed.

- ``openpyxl``: ``load_workbook(read_only=True)`` and a pass over every cell's value (the
  floor for any openpyxl-based reader);
- ``relcoord xlsx``: :func:`relcoord_xlsx.workbook_import.read_xlsx` (cells to text,
  checks, the CSV wide layout, the Study);
- ``relcoord csv``: :func:`relcoord.formats.csv.read_wide` on the same rows as CSV.

Run:  .venv/bin/python benchmarks/bench_xlsx_import.py [--respondents 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
from openpyxl import Workbook, load_workbook

from relcoord.formats.csv import read_wide
from relcoord_xlsx.workbook_import import read_xlsx

ROLES = 40
HEADER = ("Respondent", "Faggruppe", "Vurderet faggruppe", "RC1_COM", "RC2_COM", "RC3_COM",
          "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")


def write_files(folder: Path, respondents: int) -> tuple[Path, Path, int]:
    rng = np.random.default_rng(2024)
    roles = [f"role-{i:02d}" for i in range(ROLES)]
    answers = rng.integers(1, 6, size=(respondents * ROLES, 7))
    empty = rng.random(answers.shape) < 0.01
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Besvarelser")
    sheet.append(HEADER)
    path_csv = folder / "survey.csv"
    with path_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        row = 0
        for person in range(respondents):
            own = roles[person % ROLES]
            for target in roles:
                cells = [None if empty[row, j] else int(answers[row, j]) for j in range(7)]
                sheet.append([f"R{person}", own, target, *cells])
                writer.writerow([f"R{person}", own, target,
                                 *("" if c is None else c for c in cells)])
                row += 1
    path_xlsx = folder / "survey.xlsx"
    book.save(path_xlsx)
    return path_xlsx, path_csv, row


def bare_openpyxl(path: Path) -> None:
    book = load_workbook(path, read_only=True)
    count = sum(1 for row in book.active.iter_rows(values_only=True) for _ in row)
    book.close()
    assert count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    options = {"values": "positions"}
    with tempfile.TemporaryDirectory() as folder:
        xlsx, table, rows = write_files(Path(folder), args.respondents)
        contenders: dict[str, Callable[[], object]] = {
            "openpyxl read-only pass": lambda: bare_openpyxl(xlsx),
            "relcoord xlsx": lambda: read_xlsx(xlsx, options),
            "relcoord csv": lambda: read_wide(table, options),
        }
        best = dict.fromkeys(contenders, float("inf"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(args.repeat):
                for name, run in contenders.items():
                    start = time.perf_counter()
                    run()
                    best[name] = min(best[name], time.perf_counter() - start)
        print(f"{rows:,} rows x {len(HEADER)} columns; xlsx {xlsx.stat().st_size:,} bytes, "
              f"csv {table.stat().st_size:,} bytes")
        for name, seconds in best.items():
            print(f"  {name:<24} {seconds:8.2f} s  ({rows / seconds:,.0f} rows/s)")


if __name__ == "__main__":
    main()
