"""``relcoord analyze STORE --engine dask``, and its Python equivalent `analyze`.

The analysis of a study store on a Dask cluster.  The client reads ``study.json`` and the file
footers and groups the files ([`plan_store`][relcoord_dask.partitions.plan_store]).  Then, by
default, the workers read the groups, move the rows into blocks of rater roles and compute
each block's part of the analysis
([`relcoord_dask.rater_roles`][relcoord_dask.rater_roles]); the client combines the parts and
finishes ([`analyze_parts`][relcoord.analysis.analyze_parts]) without holding a rating row.
A comparison of waves (``compare``) needs every respondent's rows together for its
bootstrap: then every group is summarised on a worker, the client gathers the summaries as
they finish and merges them ([`summarise_store`][relcoord_dask.reduction.summarise_store]
with ``combine``), and finishes the analysis from the merged rows
([`relcoord_dask.summary`][relcoord_dask.summary]), holding them all.  Either way the result
equals ``relcoord.analyze`` of the whole study (floats to rounding, counts exactly), privacy
included: the minimum-respondent rule is applied to whole tie cells, never per partition.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from relcoord.analysis import analyze_parts
from relcoord.errors import InvalidInputError
from relcoord.rater_role_blocks import without_rows
from relcoord.settings import AnalysisSettings, SettingsOverrides
from relcoord_dask.cluster import connect
from relcoord_dask.partitions import (
    DEFAULT_ROWS_PER_TASK,
    DEFAULT_SPLIT_ROWS,
    plan_store,
    read_facts,
)
from relcoord_dask.rater_roles import DEFAULT_ROWS_PER_BLOCK, blocks_of, parts_of_store
from relcoord_dask.reduction import summarise_store
from relcoord_dask.summary import finish, merged, merged_study, summary_of

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = ["analyze", "analyze_with_options"]

def analyze(
    path: str | Path,
    scheduler: str | None = None,
    *,
    workers: int | None = None,
    memory_limit: str | int | None = "auto",
    rows_per_task: int = DEFAULT_ROWS_PER_TASK,
    split_rows: int | None = DEFAULT_SPLIT_ROWS,
    rows_per_block: int = DEFAULT_ROWS_PER_BLOCK,
    settings: AnalysisSettings | None = None,
    **overrides: Unpack[SettingsOverrides],
) -> Analysis:
    """Analyse the study store at ``path`` on Dask: the same result as
    ``relcoord.analyze(relcoord.plugins.read(path))``, without the whole study in one process.

    ``scheduler`` is the address of a running ``dask.distributed`` scheduler; without it a
    local cluster of ``workers`` processes with ``memory_limit`` each is started and closed.
    Small groups of files are packed into tasks of at least ``rows_per_task`` rows; a group of
    more than ``split_rows`` rows is read in shares of respondents (``None``: never).
    Settings come from ``settings`` and/or keywords, as for ``relcoord.analyze``.
    """
    folder = Path(path)
    chosen = settings if settings is not None else AnalysisSettings()
    if overrides:
        chosen = chosen.replace(**overrides)
    facts = read_facts(folder)
    plan = plan_store(folder, rows_per_task=rows_per_task, split_rows=split_rows)
    if chosen.compare is not None:
        summarise = functools.partial(summary_of, settings=chosen)
        with connect(scheduler, workers=workers, memory_limit=memory_limit) as client:
            # the merged summary is a temporary: released once its rows are the study's
            study = merged_study(facts, summarise_store(client, facts, plan, summarise,
                                                        combine=merged))
        return finish(study, chosen)
    facts = without_rows(facts, waves=plan.waves)
    blocks = blocks_of(facts, plan.rows, rows_per_block)
    with connect(scheduler, workers=workers, memory_limit=memory_limit) as client:
        parts = parts_of_store(client, facts, plan, blocks, chosen)
    return analyze_parts(facts, parts, chosen)


def _whole(options: Mapping[str, str], name: str, default: int | None, least: int
           ) -> int | None:
    text = options.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise InvalidInputError(f"-E {name}", f"expected a whole number of at least {least}, "
                                f"got {text!r}")
    return value


def analyze_with_options(source: Path, settings: AnalysisSettings, options: Mapping[str, str]
                         ) -> Analysis:
    """The engine's entry from the command line: its options as text (``-E KEY=VALUE``,
    [`ENGINE_OPTIONS`][relcoord_dask.plugin.ENGINE_OPTIONS]), each checked."""
    memory_limit = options.get("memory_limit", "auto")
    if memory_limit != "auto":
        from dask.utils import parse_bytes

        try:
            parse_bytes(memory_limit)
        except ValueError:
            raise InvalidInputError("-E memory_limit", f"expected a size such as 2GiB or "
                                    f"500MB, got {memory_limit!r}") from None
    return analyze(
        source, options.get("scheduler"), workers=_whole(options, "workers", None, 1),
        memory_limit=memory_limit,
        rows_per_task=_whole(options, "rows_per_task", DEFAULT_ROWS_PER_TASK, 1) or 1,
        split_rows=_whole(options, "split_rows", DEFAULT_SPLIT_ROWS, 1),
        rows_per_block=_whole(options, "rows_per_block", DEFAULT_ROWS_PER_BLOCK, 1) or 1,
        settings=settings)
