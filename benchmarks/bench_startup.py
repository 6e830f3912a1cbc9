"""Benchmark start-up: ``import relcoord`` and ``relcoord --help`` against a bare Python start.

Each command runs in a fresh interpreter (a subprocess, as a user starts it), the commands
interleaved round by round so that a busy machine slows them alike; the script prints the
median wall time of each, its ratio to ``python -c pass`` and the time it adds to it, and
writes the figures as JSON (``--json``).  The targets (issue 15): ``import relcoord`` loads
no polars, python-docx or matplotlib; ``relcoord --help`` within 0.15 s of a bare start
(and ``relcoord CMD --help`` as quick: it imports the command's module, nothing heavy).
Nothing is asserted; the tests check which modules each start imports
(``tests/test_startup_imports.py``).

    python benchmarks/bench_startup.py                  # 15 rounds
    python benchmarks/bench_startup.py --rounds 40 --json benchmarks/results/startup.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: The target: what ``relcoord --help`` may add to a bare Python start, in seconds.
HELP_TARGET_S = 0.15

_MODULES = ("numpy", "polars", "docx", "matplotlib", "pluggy", "jsonschema",
            "relcoord.plugins.manager", "relcoord.model", "relcoord_docx", "relcoord_example")


def commands() -> dict[str, list[str]]:
    """The starts measured, by name."""
    python = sys.executable
    found: dict[str, list[str]] = {
        "python -c pass": [python, "-c", "pass"],
        "import numpy (reference)": [python, "-c", "import numpy"],
        "import relcoord": [python, "-c", "import relcoord"],
        "python -m relcoord --help": [python, "-m", "relcoord", "--help"],
        "relcoord analyze --help": [python, "-m", "relcoord", "analyze", "--help"],
        "relcoord template --help": [python, "-m", "relcoord", "template", "--help"],
        "import relcoord; relcoord.Study": [python, "-c", "import relcoord; relcoord.Study"],
    }
    script = shutil.which("relcoord", path=str(Path(python).parent))
    if script is not None:
        found["relcoord --help (script)"] = [script, "--help"]
    return found


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run, in seconds (output discarded).

    CPU time is the steadier figure on a machine that other work keeps busy: waiting for
    a core does not count in it.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def loaded_modules(code: str) -> list[str]:
    """Which of the heavy modules a start imports."""
    probe = (f"import sys, atexit, json\n"
             f"atexit.register(lambda: print(json.dumps(sorted(m for m in {_MODULES!r} "
             f"if m in sys.modules)), file=sys.__stderr__))\n{code}")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=False)
    return list(json.loads(result.stderr.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    args = parser.parse_args()

    starts = commands()
    for command in starts.values():  # warm the file cache and the bytecode
        run_once(command)
    times: dict[str, list[float]] = {name: [] for name in starts}
    cpu: dict[str, list[float]] = {name: [] for name in starts}
    for _ in range(args.rounds):
        for name, command in starts.items():
            wall, used = run_once(command)
            times[name].append(wall)
            cpu[name].append(used)
    bare = statistics.median(times["python -c pass"])
    bare_cpu = statistics.median(cpu["python -c pass"])
    figures = {
        name: {"median_s": statistics.median(ts), "min_s": min(ts),
               "ratio_to_bare": statistics.median(ts) / bare,
               "added_s": statistics.median(ts) - bare,
               "cpu_median_s": statistics.median(cpu[name]),
               "cpu_added_s": statistics.median(cpu[name]) - bare_cpu}
        for name, ts in times.items()
    }
    width = max(map(len, figures))
    print(f"{'start':<{width}}  median    ratio   added (s)   cpu     added   ({args.rounds} "
          f"rounds, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f})")
    for name, f in figures.items():
        print(f"{name:<{width}}  {f['median_s']:.3f}s  {f['ratio_to_bare']:6.1f}x  "
              f"{f['added_s']:+.3f}      {f['cpu_median_s']:.3f}s  {f['cpu_added_s']:+.3f}")
    helped = figures["python -m relcoord --help"]
    print()
    for name in ("python -m relcoord --help", "relcoord analyze --help"):
        helped = figures[name]
        print(f"{name} adds {helped['added_s']:.3f} s wall, {helped['cpu_added_s']:.3f} s "
              f"CPU to a bare start (target {HELP_TARGET_S} s): "
              f"{'met' if helped['added_s'] <= HELP_TARGET_S else 'missed'} (wall)")

    def help_of(*arguments: str) -> str:
        return (f"import sys\nsys.argv = ['relcoord', *{arguments!r}]\n"
                "from relcoord.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass")

    imported = {
        "import relcoord": loaded_modules("import relcoord"),
        "relcoord --help": loaded_modules(help_of("--help")),
        "relcoord analyze --help": loaded_modules(help_of("analyze", "--help")),
        "relcoord template --help": loaded_modules(help_of("template", "--help")),
    }
    for name, modules in imported.items():
        print(f"{name} imports: {', '.join(modules) or 'none'} of {', '.join(_MODULES)}")
    if args.json is not None:
        args.json.write_text(json.dumps({"rounds": args.rounds, "figures": figures,
                                         "help_target_s": HELP_TARGET_S,
                                         "imports": imported}, indent=2) + "\n",
                             encoding="utf-8")


if __name__ == "__main__":
    main()
