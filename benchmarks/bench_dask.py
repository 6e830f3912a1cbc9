"""The partitioned pass on Dask at scale: a study store far larger than a worker's memory.

Writes a study store (relcoord-parquet's layout) of ``--scale`` times the 50 roles x 100,000
respondents case of ``bench_analyze.py`` (``--scale 10``: one million respondents, about 45
million respondent-ties, 315 million answers), generated from a seed *file by file*, so the
whole study is never in memory, not even here: 50 roles of unequal size (a Dirichlet draw) in
10 organisations, every respondent rating about 90 % of the roles on the 7 items of the
classic scale, 5 % of the answers missing, the rows of each file shuffled.  Each
``ratings/wave=.../organisation=.../part-K.parquet`` holds the ratings of ``--per-file``
consecutive respondents, so the files of one organisation have disjoint respondent ranges and
every file is a task of its own.

Then, by default (``--path by-rater-role``), it runs what ``relcoord analyze STORE --engine
dask`` runs: the pass by rater role (``relcoord_dask.rater_roles``: every group of files
summarised and cut by block of rater roles, every block's part of the analysis computed on
the workers, the client combining the parts and finishing without a rating row) on a
``LocalCluster`` of ``--workers`` processes with ``--memory-limit`` each, started here and
handed to the engine as a running scheduler.  It prints the wall time, each worker's peak
memory (its resident set's high-water mark, ``VmHWM``, read on the worker) and CPU time,
and the client's peak memory over the run alone.  With ``--in-memory`` it also runs
``relcoord.analyze`` of the whole store in a fresh process and compares the two Analysis
JSONs (``relcoord.testing.analysis_equality``).

``--path gather`` runs the summary pass alone (``relcoord_dask.summarise_store``, the
engine's path with ``--compare``), with the ratings summary when this relcoord has it
(``relcoord.metrics.ratings_summary``), else the tie statistics
(``relcoord.metrics.tie_statistics.TieStatistics``).  With ``--finish`` the client then
finishes the analysis from the merged rows in its own memory (``relcoord.analyze`` of the
store's facts with the merged summary's rows) and prints its time and peak memory; with
``--in-memory`` the in-memory read and summary run in a fresh process and the merged
summary is checked against the whole study's (counts exactly, sums to 1e-12).

    python benchmarks/bench_dask.py --scale 1 --workers 2 --memory-limit 1GiB --in-memory \\
        --json benchmarks/results/dask-1x-by-rater-role.json
    python benchmarks/bench_dask.py --scale 10 --workers 2 --memory-limit 1.5GiB \\
        --json benchmarks/results/dask-10x-by-rater-role.json
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import importlib.util
import json
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from relcoord.metrics.tie_statistics import TieStatistics
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.settings import AnalysisSettings
from relcoord.study_json import dump

ITEMS = ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
         "shared_knowledge", "mutual_respect")
ROLES_PER_ORGANISATION = 5
HAS_SUMMARY = importlib.util.find_spec("relcoord.metrics.ratings_summary") is not None


def mib(n_bytes: float) -> float:
    return n_bytes / 2**20


def peak_rss() -> int:
    """This process's peak resident set (bytes), from /proc (Linux) or getrusage."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --- the store, file by file ---------------------------------------------------------------

def role_ids(n_roles: int) -> list[str]:
    return [f"role-{i:03d}" for i in range(n_roles)]


def group_sizes(n_roles: int, respondents: int, rng: np.random.Generator) -> np.ndarray[Any, Any]:
    shares = rng.dirichlet(np.full(n_roles, 2.0))
    sizes = np.maximum(1, np.floor(shares * respondents)).astype(np.int64)
    sizes[int(np.argmax(sizes))] += respondents - int(sizes.sum())
    return sizes


def write_store(folder: Path, *, n_roles: int, respondents: int, waves: int, per_file: int,
                seed: int) -> dict[str, Any]:
    """Write the store (see the module docstring); return what it holds."""
    rng = np.random.default_rng(seed)
    ids = role_ids(n_roles)
    organisation = [f"org-{i // ROLES_PER_ORGANISATION:02d}" for i in range(n_roles)]
    sizes = group_sizes(n_roles, respondents, rng)
    role_of = np.repeat(np.arange(n_roles), sizes)  # respondent k's role: ids in role order
    people = [Respondent(f"r{k:08d}", ids[int(role_of[k])]) for k in range(respondents)]
    facts = Study(metadata=Metadata(id=f"bench-{respondents}", title="Dask benchmark"),
                  instrument="rc7", roles=[Role(id=i, name=i.upper(), organisation=o)
                                           for i, o in zip(ids, organisation, strict=True)],
                  respondents=people)
    folder.mkdir(parents=True)
    dump(facts, folder / "study.json")
    del people, facts
    quality = 3.6 + rng.normal(0, 0.5, (n_roles, n_roles))
    dictionary = pa.array(ids)
    rows = files = 0
    wave_names = [f"wave-{w + 1}" for w in range(waves)]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    for wave in wave_names:
        for org in sorted(set(organisation)):
            members = [r for r in range(n_roles) if organisation[r] == org]
            first, last = int(starts[members[0]]), int(starts[members[-1] + 1])
            for part, lo in enumerate(range(first, last, per_file)):
                who = np.arange(lo, min(lo + per_file, last))
                rated = rng.random((len(who), n_roles)) < 0.9
                person, target = np.nonzero(rated)
                person = who[person]
                source = role_of[person]
                n = len(person)
                base = quality[source, target][:, None] + rng.normal(0, 0.7, (n, 1))
                answers = np.clip(np.rint(base + rng.normal(0, 0.6, (n, len(ITEMS)))), 1, 5)
                answers[rng.random(answers.shape) < 0.05] = np.nan
                order = rng.permutation(n)  # rows in any order, as exports come
                person, source, target, answers = (person[order], source[order],
                                                   target[order], answers[order])
                number = pc.cast(pa.array(person), pa.string())
                columns: dict[str, Any] = {
                    "respondent": pc.binary_join_element_wise(
                        "r", pc.utf8_lpad(number, width=8, padding="0"), ""),
                    "source": pa.DictionaryArray.from_arrays(
                        pa.array(source.astype(np.int32)), dictionary).cast(pa.string()),
                    "target": pa.DictionaryArray.from_arrays(
                        pa.array(target.astype(np.int32)), dictionary).cast(pa.string()),
                }
                for j, item in enumerate(ITEMS):
                    columns[item] = pa.array(answers[:, j], from_pandas=True)
                where = folder / "ratings" / f"wave={wave}" / f"organisation={org}"
                where.mkdir(parents=True, exist_ok=True)
                pq.write_table(pa.table(columns), where / f"part-{part}.parquet",
                               compression="zstd")
                rows += n
                files += 1
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {"rows": rows, "answers": rows * len(ITEMS), "files": files, "bytes_on_disk": size,
            "in_memory_bytes": rows * (len(ITEMS) * 8 + 4 * 4)}


# --- the summary, and the two paths ------------------------------------------------------------

def summary_function() -> tuple[str, Callable[[Study], Any]]:
    """The summary the benchmark computes: the ratings summary when relcoord has it."""
    settings = AnalysisSettings()
    if HAS_SUMMARY:
        from relcoord_dask.summary import summary_of

        return "RatingsSummary", functools.partial(summary_of, settings=settings)
    return "TieStatistics", functools.partial(_tie_statistics, settings=settings)


def _tie_statistics(study: Study, settings: AnalysisSettings) -> TieStatistics:
    return TieStatistics.of(study, min_items=settings.items_needed(study.instrument))


def worker_peak(dask_worker: Any = None) -> int:
    return peak_rss()


def worker_cpu(dask_worker: Any = None) -> float:
    return time.process_time()


def on_dask(folder: Path, *, workers: int, memory_limit: str, fan_in: int,
            rows_per_task: int) -> tuple[dict[str, Any], Any, Study]:
    from distributed import Client, LocalCluster

    from relcoord_dask.partitions import plan_store, read_facts
    from relcoord_dask.reduction import summarise_store

    name, summarise = summary_function()
    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      memory_limit=memory_limit, dashboard_address=":0",
                      scheduler_kwargs={"dashboard": False}) as cluster, \
            Client(cluster) as client:
        ready = time.perf_counter()
        facts = read_facts(folder)
        plan = plan_store(folder, rows_per_task=rows_per_task)
        planned = time.perf_counter()
        cpu_before = client.run(worker_cpu)
        # the ratings summary grows with the ratings: gathered and merged on the client, as
        # the engine does; fixed-size statistics are merged as a tree on the workers
        combine: Callable[[list[Any]], Any] | None = None
        if name == "RatingsSummary":
            from relcoord_dask.summary import merged

            combine = merged
        summary = summarise_store(client, facts, plan, summarise, fan_in=fan_in,
                                  combine=combine)
        done = time.perf_counter()
        cpu = {w: t - cpu_before.get(w, 0.0) for w, t in client.run(worker_cpu).items()}
        peaks = client.run(worker_peak)
        limits = {w: info["memory_limit"] for w, info in
                  client.scheduler_info()["workers"].items()}
    return {
        "summary": name, "workers": workers, "memory_limit": memory_limit,
        "tasks": len(plan.groups), "fan_in": fan_in,
        "cluster_start_s": ready - started, "facts_and_plan_s": planned - ready,
        "pass_s": done - planned, "wall_s": done - ready,
        "worker_peak_mib": {w: mib(p) for w, p in sorted(peaks.items())},
        "worker_cpu_s": dict(sorted(cpu.items())),
        "worker_limit_mib": {w: mib(v) for w, v in sorted(limits.items())},
        "client_peak_mib": mib(peak_rss()),
    }, summary, facts


def reset_peak_rss() -> None:
    """Start this process's peak resident set afresh (Linux: ``5`` to ``clear_refs``), so
    that the peak read next is that of what runs from now on."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


def by_rater_role(folder: Path, *, workers: int, memory_limit: str, rows_per_task: int,
                  rows_per_block: int) -> tuple[dict[str, Any], Any]:
    """``relcoord analyze STORE --engine dask`` as the engine runs it by default: the pass by
    rater role on the workers and the finish from the blocks' parts on the client, on a
    local cluster started here (given to the engine as a running scheduler, so that the
    workers' peaks can be read afterwards); the client's peak is that of the run alone."""
    from distributed import Client, LocalCluster

    from relcoord_dask.engine import analyze as on_the_cluster

    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      memory_limit=memory_limit, dashboard_address=":0",
                      scheduler_kwargs={"dashboard": False}) as cluster, \
            Client(cluster) as client:
        ready = time.perf_counter()
        cpu_before = client.run(worker_cpu)
        reset_peak_rss()
        cpu = time.process_time()
        analysis = on_the_cluster(folder, cluster.scheduler_address,
                                  rows_per_task=rows_per_task, rows_per_block=rows_per_block)
        done = time.perf_counter()
        client_cpu = time.process_time() - cpu
        worker_cpu_s = {w: t - cpu_before.get(w, 0.0)
                        for w, t in client.run(worker_cpu).items()}
        peaks = client.run(worker_peak)
        limits = {w: info["memory_limit"] for w, info in
                  client.scheduler_info()["workers"].items()}
    return {
        "path": "by rater role", "workers": workers, "memory_limit": memory_limit,
        "rows_per_block": rows_per_block,
        "cluster_start_s": ready - started, "wall_s": done - ready,
        "client_cpu_s": client_cpu, "client_peak_mib": mib(peak_rss()),
        "worker_peak_mib": {w: mib(p) for w, p in sorted(peaks.items())},
        "worker_cpu_s": dict(sorted(worker_cpu_s.items())),
        "worker_limit_mib": {w: mib(v) for w, v in sorted(limits.items())},
        "ties": len(analysis.scores.ties), "srm": analysis.srm is not None,
    }, analysis


def analysis_in_memory(folder: Path, out: Path) -> None:
    """``relcoord.analyze`` of the whole store read into this (fresh) process: its JSON,
    time and peak memory."""
    from relcoord.analysis import analyze
    from relcoord.plugins import read

    started = time.perf_counter()
    study = read(folder)
    loaded = time.perf_counter()
    mapping = analyze(study).to_mapping()
    analysed = time.perf_counter()
    with out.open("wb") as file:
        pickle.dump({"read_s": loaded - started, "analyze_s": analysed - loaded,
                     "wall_s": analysed - started, "peak_mib": mib(peak_rss()),
                     "value": mapping}, file)


def finish_on_client(facts: Study, holder: list[Any]) -> dict[str, Any]:
    """The engine's finishing step, in this process (the client): the analysis of the
    store's facts with the merged ratings summary's rows, timed, with the client's peak
    memory.  ``holder`` holds the summary, the only reference to it, so that it is released
    once its rows are the study's, as the engine releases it."""
    from relcoord_dask.summary import finish, merged_study

    started = time.perf_counter()
    cpu = time.process_time()
    study = merged_study(facts, holder.pop())
    analysis = finish(study, AnalysisSettings())
    return {"finish_s": time.perf_counter() - started,
            "finish_cpu_s": time.process_time() - cpu,
            "client_peak_mib": mib(peak_rss()),
            "ties": len(analysis.scores.ties), "srm": analysis.srm is not None}


def in_memory(folder: Path, out: Path) -> None:
    """The in-memory path, in this (fresh) process: read, summarise, analyse."""
    from relcoord.analysis import analyze
    from relcoord.plugins import read

    name, summarise = summary_function()
    started = time.perf_counter()
    study = read(folder)
    loaded = time.perf_counter()
    summary = summarise(study)
    summarised = time.perf_counter()
    peak_summary = peak_rss()
    analyze(study)
    analysed = time.perf_counter()
    with out.open("wb") as file:
        pickle.dump({"summary": name, "read_s": loaded - started,
                     "summary_s": summarised - loaded, "analyze_s": analysed - summarised,
                     "read_and_summary_s": summarised - started,
                     "peak_after_summary_mib": mib(peak_summary), "peak_mib": mib(peak_rss()),
                     "value": summary}, file)


def equal(a: Any, b: Any) -> bool | None:
    """Whether the merged summary equals the whole study's: tie statistics with their float
    sums to 1e-12, a ratings summary (counts and codes only) exactly."""
    if isinstance(a, TieStatistics) and isinstance(b, TieStatistics):
        return a.equals(b, rtol=1e-12)
    check = getattr(a, "equals", None)
    return bool(check(b)) if check is not None else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="times the 50 x 100,000 case (10: 315 million answers)")
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--waves", type=int, default=1)
    parser.add_argument("--per-file", type=int, default=20_000,
                        help="respondents per Parquet file (a task each)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--folder", type=Path, default=None,
                        help="where the store goes (kept; reused when it exists)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-limit", default="1GiB")
    parser.add_argument("--fan-in", type=int, default=8)
    parser.add_argument("--rows-per-task", type=int, default=1)
    parser.add_argument("--in-memory", action="store_true",
                        help="also run the in-memory path (in a fresh process) and compare")
    parser.add_argument("--finish", action="store_true",
                        help="also run the finishing step (analyze of the merged rows) on "
                        "the client")
    parser.add_argument("--path", choices=("by-rater-role", "gather"), default="by-rater-role",
                        help="by-rater-role: the engine's default (parts of blocks of rater "
                        "roles on the workers, the client holds no row); gather: the "
                        "summary pass, the client gathering every row (the engine with "
                        "--compare)")
    parser.add_argument("--rows-per-block", type=int, default=2_000_000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--reference", type=Path, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--reference-analysis", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.finish and args.path != "gather":
        parser.error("--finish is the gathering client's step: give --path gather")
    if args.reference:
        in_memory(*args.reference)
        return
    if args.reference_analysis:
        analysis_in_memory(*args.reference_analysis)
        return
    respondents = round(100_000 * args.scale)
    folder = args.folder or Path(tempfile.gettempdir()) / (
        f"relcoord-bench-dask-{args.roles}x{respondents}-w{args.waves}-s{args.seed}.parquet")
    figures: dict[str, Any] = {
        "scale": args.scale, "roles": args.roles, "respondents": respondents,
        "waves": args.waves, "per_file": args.per_file, "seed": args.seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
    }
    info_file = folder / "bench.json"
    if info_file.is_file():
        store = json.loads(info_file.read_text(encoding="utf-8"))
        print(f"store: reusing {folder}")
    else:
        started = time.perf_counter()
        store = write_store(folder, n_roles=args.roles, respondents=respondents,
                            waves=args.waves, per_file=args.per_file, seed=args.seed)
        store["written_s"] = time.perf_counter() - started
        info_file.write_text(json.dumps(store), encoding="utf-8")
    figures["store"] = store
    print(f"store: {args.roles} roles, {respondents:,} respondents, {store['rows']:,} "
          f"respondent-ties, {store['answers']:,} answers in {store['files']} files; "
          f"{mib(store['bytes_on_disk']):,.0f} MiB on disk, "
          f"{mib(store['in_memory_bytes']):,.0f} MiB as arrays"
          + (f" (written in {store['written_s']:.1f} s)" if "written_s" in store else ""))
    if args.path == "by-rater-role":
        run_by_rater_role(args, folder, figures)
        return
    dask_figures, merged, facts = on_dask(folder, workers=args.workers,
                                   memory_limit=args.memory_limit, fan_in=args.fan_in,
                                   rows_per_task=args.rows_per_task)
    figures["dask"] = dask_figures
    peaks, cpu = per_worker(dask_figures)
    print(f"dask ({dask_figures['summary']}): {dask_figures['tasks']} tasks on "
          f"{args.workers} workers, limit {args.memory_limit} each: pass "
          f"{dask_figures['pass_s']:.1f} s (+ {dask_figures['facts_and_plan_s']:.1f} s facts "
          f"and plan, cluster start {dask_figures['cluster_start_s']:.1f} s); peak per worker "
          f"{peaks} MiB, CPU per worker {cpu} s; client "
          f"{dask_figures['client_peak_mib']:,.0f} MiB")
    if args.finish:
        if dask_figures["summary"] != "RatingsSummary":
            parser.error("--finish needs the ratings summary (relcoord.metrics.ratings_summary)")
        holder = [merged]
        if not args.in_memory:  # else kept for the comparison below, and in the peak
            del merged  # finish_on_client releases the summary, as the engine does
        finished = finish_on_client(facts, holder)
        figures["finish"] = finished
        print(f"finish on the client (analyze of the merged rows): "
              f"{finished['finish_s']:.1f} s wall, {finished['finish_cpu_s']:.1f} s CPU; client "
              f"peak {finished['client_peak_mib']:,.0f} MiB; {finished['ties']:,} ties")
    if args.in_memory:
        reference = in_a_fresh_process("--reference", folder)
        value = reference.pop("value")
        figures["in_memory"] = reference
        same = equal(merged, value)
        figures["merged_equals_whole"] = same
        ratio = dask_figures["wall_s"] / reference["read_and_summary_s"]
        figures["ratio_dask_to_in_memory"] = ratio
        print(f"in memory: read {reference['read_s']:.1f} s + {reference['summary']} "
              f"{reference['summary_s']:.1f} s (peak {reference['peak_after_summary_mib']:,.0f}"
              f" MiB); analyze {reference['analyze_s']:.1f} s more (peak "
              f"{reference['peak_mib']:,.0f} MiB)")
        print(f"dask / in memory (read + summary): {ratio:.2f}; merged summary equals the "
              f"whole study's: {same}")
        if "finish" in figures:
            whole = dask_figures["wall_s"] + figures["finish"]["finish_s"]
            reference_whole = reference["read_and_summary_s"] + reference["analyze_s"]
            figures["ratio_whole_dask_to_in_memory"] = whole / reference_whole
            print(f"whole analysis, dask pass + finish / in memory read + analyze: "
                  f"{whole:.1f} s / {reference_whole:.1f} s = {whole / reference_whole:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def in_a_fresh_process(flag: str, folder: Path) -> dict[str, Any]:
    """The figures this script pickles when run as ``bench_dask.py FLAG FOLDER OUT`` (the
    in-memory paths), run in a fresh process so that its peak memory is its own."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "reference.pickle"
        subprocess.run([sys.executable, __file__, flag, str(folder), str(out)], check=True)
        with out.open("rb") as file:
            figures: dict[str, Any] = pickle.load(file)
    return figures


def per_worker(run: dict[str, Any]) -> tuple[str, str]:
    """Each worker's peak memory (MiB) and CPU seconds, as text."""
    return (", ".join(f"{v:,.0f}" for v in run["worker_peak_mib"].values()),
            ", ".join(f"{v:,.0f}" for v in run["worker_cpu_s"].values()))


def run_by_rater_role(args: argparse.Namespace, folder: Path, figures: dict[str, Any]) -> None:
    """The engine's default path, its figures printed and stored; with ``--in-memory`` the
    in-memory analysis in a fresh process and the comparison of the two Analysis JSONs."""
    run, analysis = by_rater_role(folder, workers=args.workers, memory_limit=args.memory_limit,
                                  rows_per_task=args.rows_per_task,
                                  rows_per_block=args.rows_per_block)
    figures["by_rater_role"] = run
    peaks, cpu = per_worker(run)
    print(f"dask, by rater role: {args.workers} workers, limit {args.memory_limit} each, "
          f"blocks of {args.rows_per_block:,} rows: {run['wall_s']:.1f} s (cluster start "
          f"{run['cluster_start_s']:.1f} s); peak per worker {peaks} MiB, CPU per worker "
          f"{cpu} s; client peak {run['client_peak_mib']:,.0f} MiB, client CPU "
          f"{run['client_cpu_s']:.1f} s; {run['ties']:,} ties")
    if args.in_memory:
        reference = in_a_fresh_process("--reference-analysis", folder)
        mapping = reference.pop("value")
        figures["in_memory_analysis"] = reference
        from relcoord.testing.analysis_equality import analysis_differences

        found = analysis_differences(analysis.to_mapping(), mapping)
        figures["analysis_equals_in_memory"] = not found
        figures["differences"] = found[:20]
        ratio = run["wall_s"] / reference["wall_s"]
        figures["ratio_dask_to_in_memory"] = ratio
        print(f"in memory: read {reference['read_s']:.1f} s + analyze "
              f"{reference['analyze_s']:.1f} s, peak {reference['peak_mib']:,.0f} MiB; "
              f"dask / in memory: {ratio:.2f}; Analysis JSON equal (floats 1e-12, SRM "
              f"1e-8): {not found}" + (f" ({len(found)} differences, first {found[0]})"
                                       if found else ""))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
