"""Benchmark the core: building a study from arrays and loading the canonical JSON.

The workload, a large survey: 40 roles x 20,000 respondents, every respondent rating all
40 roles on the 7 RC dimensions (800,000 ratings, 5.6 million values).  Every relcoord
figure is printed beside a reference measured in the same run on the same data:

- construction from arrays  vs  a bare numpy copy of the same five arrays;
- peak memory of construction  vs  the size of the raw arrays;
- ``relcoord.load`` of the canonical JSON file  vs  a bare ``json.load`` of the same file
  (and, for scale, msgspec's untyped decode and the slow path load takes for broken files).

Targets (issue 15): construction within 1.5x the bare copy; peak memory within 2x the raw
arrays; ``relcoord.load`` within 1.5x ``json.load``.
Nothing is asserted; the script prints figures.  Wall times are the best of ``--repeat``
runs (``time.perf_counter``); peak memory is measured in a separate pass with
:mod:`tracemalloc` (numpy reports its buffers to it), so tracing does not slow the timings.

    python benchmarks/bench_core.py                     # the full workload
    python benchmarks/bench_core.py --respondents 2000  # a tenth of it, quicker
    python benchmarks/bench_core.py --skip-json         # arrays only
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import msgspec
import numpy as np
import numpy.typing as npt

import relcoord
from relcoord import Metadata, Ratings, Respondent, Role, Study, get_instrument
from relcoord.serialization import study_from_mapping
from relcoord.study_json import parse_json
from relcoord.validation import schema_problems

T = TypeVar("T")
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


def best_time(function: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Best wall time of ``repeat`` calls (seconds) and the last result."""
    best = float("inf")
    result: T
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


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
    """One line of the report: time (and ratio), memory (and ratio)."""
    text = f"  {label:<50} {seconds * 1000:9.1f} ms"
    text += f"  {seconds / reference:6.2f}x" if reference else " " * 9
    if mib is not None:
        text += f"   peak {mib:8.1f} MiB"
        if mib_reference:
            text += f"  {mib / mib_reference:5.2f}x"
    return text


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--roles", type=int, default=40)
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-json", action="store_true", help="arrays only")
    args = parser.parse_args(argv)

    work = workload(args.roles, args.respondents)
    arrays = work["arrays"]
    raw = sum(a.nbytes for a in arrays.values()) / MiB
    n = len(arrays["source"])
    print(f"relcoord {relcoord.__version__}, numpy {np.__version__}")
    print(f"workload: {args.roles} roles x {args.respondents:,} respondents -> {n:,} ratings x "
          f"{len(work['instrument'].keys)} dimensions = {arrays['scores'].size:,} values; "
          f"raw arrays {raw:.1f} MiB")

    print(f"\nconstruction from arrays (best of {args.repeat}; memory: separate tracemalloc "
          "pass)")
    copy_s, _ = best_time(lambda: bare_copy(arrays), max(10, args.repeat))  # cheap: more runs
    copy_mib = peak_memory(lambda: bare_copy(arrays))
    print(row("reference: bare numpy copy of the arrays", copy_s, None, copy_mib, raw))
    objects_s, (roles, people) = best_time(lambda: make_objects(work), args.repeat)
    print(row("  step 1: Role and Respondent objects", objects_s, copy_s))
    store_s, store = best_time(lambda: make_store(work), args.repeat)
    print(row("  step 2: Ratings.from_arrays", store_s, copy_s))
    checks_s, _ = best_time(partial(make_study, work, roles, people, store), args.repeat)
    print(row("  step 3: Study(...) checks and canonical order", checks_s, copy_s))
    study_s, study = best_time(lambda: build_study(work), args.repeat)
    study_mib = peak_memory(lambda: build_study(work))
    print(row("Study from arrays (steps 1-3)", study_s, copy_s, study_mib, raw))
    print(row("Study from arrays, steps 2-3 (objects given)", store_s + checks_s, copy_s))
    frozen = dict(work, arrays={k: v.copy() for k, v in work["arrays"].items()})
    for array in frozen["arrays"].values():
        array.setflags(write=False)  # handed over: Ratings.from_arrays keeps them
    handed_s, _ = best_time(partial(make_study_from_store, frozen, roles, people),
                            args.repeat)
    print(row("Study from read-only arrays (no copy), steps 2-3", handed_s, copy_s))
    arrays_s = store_s + checks_s  # from arrays: the role and respondent objects are given
    print(f"  target: construction from arrays (steps 2-3) <= 1.5x bare copy -> "
          f"{'met' if arrays_s <= 1.5 * copy_s else 'MISSED'} ({arrays_s / copy_s:.2f}x); "
          f"memory <= 2x raw arrays -> "
          f"{'met' if study_mib <= 2 * raw else 'MISSED'} ({study_mib / raw:.2f}x)")

    if args.skip_json:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.json"
        dump_s, _ = best_time(partial(relcoord.dump, study, path), 1)
        size = path.stat().st_size / MiB
        print(f"\ncanonical JSON ({size:,.1f} MiB on disk; relcoord.dump took {dump_s:.1f} s)")
        del study
        gc.collect()

        def bare_load() -> Any:
            with path.open("rb") as handle:
                return json.load(handle)

        def msgspec_load() -> Any:
            return msgspec.json.decode(path.read_bytes())

        def slow_load() -> Any:  # relcoord.load before its typed fast path
            document = parse_json(path.read_bytes(), str(path))
            assert not schema_problems(document)
            return study_from_mapping(document)

        steps = {"json": bare_load, "msgspec": msgspec_load,
                 "load": lambda: relcoord.load(path), "slow": slow_load}
        best = {name: float("inf") for name in steps}
        for _ in range(args.repeat):  # interleaved: a busy machine slows all alike
            for name, step in steps.items():
                start = time.perf_counter()
                step()
                best[name] = min(best[name], time.perf_counter() - start)
        json_mib = peak_memory(bare_load)
        print(row("reference: bare json.load", best["json"], None, json_mib))
        print(row("reference: msgspec.json.decode (untyped)", best["msgspec"], best["json"]))
        print(row("slow path: parse_json + schema + domain", best["slow"], best["json"]))
        load_mib = peak_memory(lambda: relcoord.load(path))
        print(row("relcoord.load (typed fast path + domain)", best["load"], best["json"],
                  load_mib, json_mib))
        ratio = best["load"] / best["json"]
        print(f"  target: relcoord.load <= 1.5x json.load -> "
              f"{'met' if ratio <= 1.5 else 'MISSED'} ({ratio:.2f}x)")

if __name__ == "__main__":
    main()
