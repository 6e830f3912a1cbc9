"""The hook implementation: the ``dask`` analysis engine.

The entry point ``dask = "relcoord_dask.plugin"`` in ``pyproject.toml`` points here.  Dask is
imported when the engine runs, not when relcoord lists its plugins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final

from relcoord.model import Study
from relcoord.plugins import hookimpl
from relcoord.plugins.analysis_engine import AnalysisEngine
from relcoord.settings import AnalysisSettings

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["DASK_ENGINE", "ENGINE_OPTIONS", "relcoord_register_engines"]

#: The engine's options on the command line (``-E KEY=VALUE``; ``--scheduler`` sets
#: ``scheduler``).
ENGINE_OPTIONS: Final = {
    "scheduler": "address of a running dask.distributed scheduler (also --scheduler); "
                 "default: start a local cluster for the run",
    "workers": "worker processes of the local cluster (default: one per core)",
    "memory_limit": "memory limit per worker of the local cluster, e.g. 2GiB (default: "
                    "the machine's memory shared out)",
    "rows_per_task": "least rating rows per task; smaller groups of files are packed "
                     "together (default 1000000)",
    "split_rows": "a group of files with more rating rows is read in shares of its "
                  "respondents, a task each (default 4000000)",
    "rows_per_block": "rating rows per block of rater roles that a worker analyses at once "
                      "(default 2000000); sets the workers' memory",
}


def _facts(source: Path) -> Study:
    from relcoord_dask.partitions import read_facts

    return read_facts(source)


def _analyze(source: Path, settings: AnalysisSettings, options: Mapping[str, str]
             ) -> Analysis:
    from relcoord_dask.engine import analyze_with_options

    return analyze_with_options(source, settings, options)


#: The engine as the plugin host sees it (Dask is imported when it runs).
DASK_ENGINE: Final = AnalysisEngine(
    id="dask", title="a study store analysed partition by partition on a Dask cluster",
    facts=_facts, analyze=_analyze, options=ENGINE_OPTIONS)


@hookimpl
def relcoord_register_engines() -> Iterable[AnalysisEngine]:
    """This plugin runs the analysis of a study store on Dask."""
    return (DASK_ENGINE,)
