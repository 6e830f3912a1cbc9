"""Benchmark the core: building a study from arrays and loading the canonical JSON.

The workload, a large survey: 40 roles x 20,000 respondents, every respondent rating all
40 roles on the 7 RC dimensions (800,000 ratings, 5.6 million values).  Every relcoord
figure is printed beside a reference measured in the same run on the same data:

- construction from arrays  vs  a bare numpy copy of the same five arrays;
- peak memory of construction  vs  the size of the raw arrays;
- construction from read-only arrays, which the study keeps without a copy;
- the same again once numba (the ``fast`` extra) is loaded, when the study checks its
  scores in one compiled pass (it never imports numba for that alone);
- ``relcoord.load`` of the canonical JSON file  vs  a bare ``json.load`` of the same file
  (and, for scale, orjson and msgspec's untyped decode, and the slow path load takes for
  broken files).

Targets (issue 15): a study from arrays within 1.5x the bare copy, or no copy when the
caller's arrays already fit; ``relcoord.load`` within 1.5x ``json.load``.
Nothing is asserted; the script prints figures.  Every step runs ``--repeat`` times,
interleaved with its references (one round runs each once), and the medians are printed
with their ratios; peak memory is measured in a separate pass with :mod:`tracemalloc` (numpy
reports its buffers to it), so tracing does not slow the timings.  ``--json`` writes every
figure.

    python benchmarks/bench_core.py --json benchmarks/results/core.json   # the full workload
    python benchmarks/bench_core.py --respondents 2000  # a tenth of it, quicker
    python benchmarks/bench_core.py --skip-json         # arrays only
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

try:
    import orjson
except ImportError:  # a reference only: the benchmark runs without it
    orjson = None  # type: ignore[assignment]

import relcoord
from relcoord import Metadata, Ratings, Respondent, Role, Study, get_instrument
from relcoord.serialization import study_from_mapping
from relcoord.study_json import parse_json
from relcoord.validation import schema_problems

MiB = 1024 * 1024


def workload(n_roles: int, n_respondents: int, seed: int = 7) -> dict[str, Any]:
    """Codes and scores: respondent i belongs to role i % n_roles and rates every role."""
    rng = np.random.default_rng(seed)
    instrument = get_instrument("rc7")
    person = np.repeat(np.arange(n_respondents, dtype=np.int32), n_roles)
    source = (person % n_roles).astype(np.int32)
    target = np.tile(np.arange(n_roles, dtype=np.int32), n_respondents)
    wave = (person % 3).astype(np.int32)
    scores = rng.integers(1, 6, size=(len(person), len(instrument.keys))).astype(np.float64)
    scores[rng.random(scores.shape) < 0.02] = np.nan  # "don't know"
    width = len(str(n_respondents))
    return {
        "instrument": instrument,
        "role_ids": [f"role-{i:02d}" for i in range(n_roles)],
        "respondent_ids": [f"r{i:0{width}d}" for i in range(n_respondents)],
        "waves": ["wave-1", "wave-2", "wave-3"],
        "arrays": {"source": source, "target": target, "respondent": person, "wave": wave,
                   "scores": scores},
    }


def bare_copy(arrays: dict[str, npt.NDArray[Any]]) -> dict[str, npt.NDArray[Any]]:
    """The reference: one numpy copy of each array, nothing else."""
    return {name: array.copy() for name, array in arrays.items()}


def make_objects(work: dict[str, Any]) -> tuple[list[Role], list[Respondent]]:
    """The role and respondent value objects (20,000 Python objects in the full workload)."""
    ids = work["role_ids"]
    roles = [Role(id=r, name=r.replace("-", " ").title()) for r in ids]
    people = [Respondent(id=p, role=ids[i % len(ids)])
              for i, p in enumerate(work["respondent_ids"])]
    return roles, people


def make_store(work: dict[str, Any]) -> Ratings:
    """The columnar rating store from integer codes (one checked copy of each array)."""
    a = work["arrays"]
    return Ratings.from_arrays(
        source=a["source"], target=a["target"], scores=a["scores"],
        dimensions=work["instrument"].keys, roles=work["role_ids"],
        respondent=a["respondent"], respondents=work["respondent_ids"],
        wave=a["wave"], waves=work["waves"],
    )


def make_study(work: dict[str, Any], roles: list[Role], people: list[Respondent],
               store: Ratings) -> Study:
    """The checked study: referential integrity, source = respondent's role, scores on
    the scale, canonical order."""
    return Study(metadata=Metadata(id="bench"), instrument=work["instrument"], roles=roles,
                 respondents=people, ratings=store)


def make_study_from_store(work: dict[str, Any], roles: list[Role], people: list[Respondent]
                          ) -> Study:
    """Steps 2-3 together: the store from the arrays, then the checked study."""
    return make_study(work, roles, people, make_store(work))


def build_study(work: dict[str, Any]) -> Study:
    """What a user does to get a study from arrays: all three steps."""
    roles, people = make_objects(work)
    return make_study(work, roles, people, make_store(work))


def interleaved(steps: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """Wall times (seconds) of every step, ``rounds`` times, interleaved: each round runs
    every step once, so that a machine that other work slows down slows them alike."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(rounds):
        for name, step in steps.items():
            gc.collect()
            start = time.perf_counter()
            result = step()
            times[name].append(time.perf_counter() - start)
            del result
    return times


def peak_memory(function: Callable[[], Any]) -> float:
    """Peak bytes allocated while ``function`` runs (tracemalloc), in MiB."""
    gc.collect()
    tracemalloc.start()
    try:
        result = function()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / MiB


def row(label: str, seconds: float, reference: float | None = None,
        mib: float | None = None, mib_reference: float | None = None) -> str:
    """One line of the report: median time (and ratio), memory (and ratio)."""
    text = f"  {label:<50} {seconds * 1000:9.1f} ms"
    text += f"  {seconds / reference:6.2f}x" if reference else " " * 9
    if mib is not None:
        text += f"   peak {mib:8.1f} MiB"
        if mib_reference:
            text += f"  {mib / mib_reference:5.2f}x"
    return text


def handed_over(work: dict[str, Any]) -> dict[str, Any]:
    """The workload with read-only copies of its arrays: what a caller hands over."""
    frozen = dict(work, arrays={k: v.copy() for k, v in work["arrays"].items()})
    for array in frozen["arrays"].values():
        array.setflags(write=False)  # handed over: Ratings.from_arrays keeps them
    return frozen


def construction(work: dict[str, Any], rounds: int, title: str = "") -> dict[str, Any]:
    """Time building a study from the workload's arrays beside a bare copy of them."""
    arrays = work["arrays"]
    raw = sum(a.nbytes for a in arrays.values()) / MiB
    roles, people = make_objects(work)
    store = make_store(work)
    frozen = handed_over(work)
    steps: dict[str, Callable[[], Any]] = {
        "bare copy": lambda: bare_copy(arrays),
        "objects": lambda: make_objects(work),
        "Ratings.from_arrays": lambda: make_store(work),
        "Study checks": partial(make_study, work, roles, people, store),
        "from arrays": partial(make_study_from_store, work, roles, people),
        "from read-only arrays": partial(make_study_from_store, frozen, roles, people),
    }
    times = interleaved(steps, rounds)
    median = {name: statistics.median(ts) for name, ts in times.items()}
    copy_s = median["bare copy"]
    memory = {"bare copy": peak_memory(lambda: bare_copy(arrays)),
              "from arrays": peak_memory(partial(make_study_from_store, work, roles, people)),
              "from read-only arrays": peak_memory(
                  partial(make_study_from_store, frozen, roles, people))}
    print(f"\nconstruction from arrays{title} (median of {rounds} interleaved rounds; "
          "memory: a separate tracemalloc pass)")
    print(row("reference: bare numpy copy of the arrays", copy_s, None,
              memory["bare copy"], raw))
    print(row("  step 1: Role and Respondent objects (caller's)", median["objects"], copy_s))
    print(row("  step 2: Ratings.from_arrays", median["Ratings.from_arrays"], copy_s))
    print(row("  step 3: Study(...) checks and canonical order", median["Study checks"],
              copy_s))
    print(row("Study from arrays (steps 2-3)", median["from arrays"], copy_s,
              memory["from arrays"], raw))
    print(row("Study from read-only arrays (handed over, no copy)",
              median["from read-only arrays"], copy_s, memory["from read-only arrays"], raw))
    ratio = median["from arrays"] / copy_s
    handed = median["from read-only arrays"] / copy_s
    print(f"  target: a Study from arrays <= 1.5x a bare copy, or no copy when the arrays fit: "
          f"{ratio:.2f}x copied, {handed:.2f}x handed over (no copy) -> "
          f"{'met' if min(ratio, handed) <= 1.5 else 'MISSED'}")
    return {"raw_mib": raw, "rounds": rounds, "median_s": median,
            "ratio_to_copy": {name: s / copy_s for name, s in median.items()},
            "peak_mib": memory, "times_s": times}


def loading(study: Study, rounds: int) -> dict[str, Any]:
    """Time ``relcoord.load`` of the study's canonical JSON beside json, orjson and msgspec."""
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.json"
        start = time.perf_counter()
        relcoord.dump(study, path)
        dump_s = time.perf_counter() - start
        size = path.stat().st_size / MiB
        print(f"\ncanonical JSON ({size:,.1f} MiB on disk; relcoord.dump took {dump_s:.1f} s; "
              f"median of {rounds} interleaved rounds)")

        def bare_load() -> Any:
            with path.open("rb") as handle:
                return json.load(handle)

        def slow_load() -> Any:  # relcoord.load before its typed fast path
            document = parse_json(path.read_bytes(), str(path))
            assert not schema_problems(document)
            return study_from_mapping(document)

        steps: dict[str, Callable[[], Any]] = {
            "json.load": bare_load,
            "msgspec.json.decode": lambda: msgspec.json.decode(path.read_bytes()),
        }
        if orjson is not None:
            steps["orjson.loads"] = lambda: orjson.loads(path.read_bytes())
        steps["relcoord.load"] = lambda: relcoord.load(path)
        steps["slow path"] = slow_load
        times = interleaved(steps, rounds)
        median = {name: statistics.median(ts) for name, ts in times.items()}
        memory = {"json.load": peak_memory(bare_load),
                  "relcoord.load": peak_memory(lambda: relcoord.load(path))}
    json_s = median["json.load"]
    print(row("reference: json.load", json_s, None, memory["json.load"]))
    print(row("reference: msgspec.json.decode (untyped)", median["msgspec.json.decode"],
              json_s))
    if "orjson.loads" in median:
        print(row("reference: orjson.loads", median["orjson.loads"], json_s))
    print(row("slow path: parse_json + schema + domain", median["slow path"], json_s))
    print(row("relcoord.load (typed fast path + domain)", median["relcoord.load"], json_s,
              memory["relcoord.load"], memory["json.load"]))
    ratio = median["relcoord.load"] / json_s
    orjson_ratio = (f", {median['relcoord.load'] / median['orjson.loads']:.2f}x orjson"
                    if "orjson.loads" in median else "")
    print(f"  target: relcoord.load <= 1.5x json.load -> "
          f"{'met' if ratio <= 1.5 else 'MISSED'} ({ratio:.2f}x json{orjson_ratio})")
    figures.update({"file_mib": size, "dump_s": dump_s, "rounds": rounds, "median_s": median,
                    "ratio_to_json": {name: s / json_s for name, s in median.items()},
                    "peak_mib": memory, "times_s": times})
    return figures


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark, print the figures and (``--json``) write them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--roles", type=int, default=40)
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5,
                        help="interleaved rounds of the construction (the loads: at least 3)")
    parser.add_argument("--skip-json", action="store_true", help="arrays only")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    args = parser.parse_args(argv)

    work = workload(args.roles, args.respondents)
    arrays = work["arrays"]
    n = len(arrays["source"])
    raw = sum(a.nbytes for a in arrays.values()) / MiB
    print(f"relcoord {relcoord.__version__}, numpy {np.__version__}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"workload: {args.roles} roles x {args.respondents:,} respondents -> {n:,} ratings x "
          f"{len(work['instrument'].keys)} dimensions = {arrays['scores'].size:,} values; "
          f"raw arrays {raw:.1f} MiB")
    figures: dict[str, Any] = {
        "workload": {"roles": args.roles, "respondents": args.respondents, "ratings": n},
        "construction": construction(work, args.repeat, ", numba not loaded (numpy checks)"),
    }
    if importlib.util.find_spec("numba") is not None:
        # the study's score check is compiled when numba is loaded already (an analysis
        # loads it), never imported for the check alone: measured again once it is
        import numba  # noqa: F401
        figures["construction_numba_loaded"] = construction(
            work, args.repeat, ", numba loaded (compiled score check)")
    if not args.skip_json:
        figures["load"] = loading(build_study(work), max(3, min(args.repeat, 5)))
    print(f"(load average at the end: {os.getloadavg()[0]:.2f})")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
