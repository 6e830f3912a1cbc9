"""Benchmark: writing and reading the network files (GraphML, yEd GraphML, GEXF, Cytoscape.js).

On generated complete RC surveys (:func:`relcoord.testing.surveys.care_study`) of 5, 20, 40
and 60 roles: the time to write each file from an analysis (best of ``--repeat`` runs), its
size, and the time relcoord's importer takes to read it back.  The analysis itself is not
timed.  Nothing is asserted.

Run:  .venv/bin/python benchmarks/bench_network_files.py [--roles 5,20,40,60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from relcoord import analyze
from relcoord.formats.cytoscape import CYTOSCAPE
from relcoord.formats.format_type import Format
from relcoord.formats.gexf import GEXF
from relcoord.formats.graphml import GRAPHML
from relcoord.testing.surveys import care_study

CASES: tuple[tuple[str, Format, dict[str, str], str], ...] = (
    ("graphml", GRAPHML, {}, "roles.graphml"),
    ("graphml yed", GRAPHML, {"style": "yed"}, "yed.graphml"),
    ("gexf", GEXF, {}, "roles.gexf"),
    ("cytoscape", CYTOSCAPE, {}, "cytoscape"),
)


def best_time(function: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def quietly(read: Callable[[Path, dict[str, Any]], Any], path: Path) -> None:
    """Read ``path``, without the note about a file that names no instrument."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read(path, {})


def size(path: Path) -> int:
    """Bytes of a file, or of every file in a folder."""
    return sum(p.stat().st_size for p in path.rglob("*")) if path.is_dir() else (
        path.stat().st_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", default="5,20,40,60")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'roles':>5} {'edges':>6}  {'file':<12} {'write ms':>9} {'KiB':>8} {'read ms':>8}")
    for n in (int(x) for x in args.roles.split(",")):
        study = care_study(n)
        analysis = analyze(study)
        edges = len({(t.source, t.target) for t in study.ties}
                    | {(t.source, t.target) for t in analysis.scores.ties})
        with tempfile.TemporaryDirectory() as folder:
            for label, chosen, options, name in CASES:
                path = Path(folder) / name
                assert chosen.write is not None
                assert chosen.read is not None
                seconds = best_time(partial(chosen.write, study, analysis, path, options),
                                    args.repeat)
                back = best_time(partial(quietly, chosen.read, path), args.repeat)
                print(f"{n:>5} {edges:>6}  {label:<12} {seconds * 1000:>9.1f} "
                      f"{size(path) / 1024:>8.1f} {back * 1000:>8.1f}")


if __name__ == "__main__":
    main()
