"""The pass by rater role: every figure's first stage on the workers, the client holding none
of the rows.

Every figure that rests on people stays inside one rater role
([`relcoord.rater_role_blocks`][relcoord.rater_role_blocks]), so the workers can analyse the
study block by block of rater roles, and the client only combines the blocks' parts
([`relcoord.analysis_parts`][relcoord.analysis_parts]) and finishes
([`relcoord.analysis.analyze_parts`][relcoord.analysis.analyze_parts]).  The store's files,
though, are partitioned by wave and organisation, not by rater role, so the rows are moved
between workers first, in two stages of tasks:

1. **split** (one task per group of files of the
   [`StorePlan`][relcoord_dask.partitions.StorePlan]): read the group, cut its rows by block of
   rater roles and summarise each cut
   ([`RatingsSummary`][relcoord.metrics.ratings_summary.RatingsSummary]: coded respondent-tie
   rows, a third of the ratings' size); the cuts stay on the worker (Dask spills them to
   disk under its memory limit) until the blocks need them;
2. **part** (one task per block): merge the block's cuts from every group of files into the
   block's rows in canonical order and compute its
   [`AnalysisPart`][relcoord.analysis_parts.AnalysisPart].

The client then holds only the parts, whose size follows the roles, the tie cells and the
respondents (the Social Relations Model's per-respondent sums), never the rating rows.  The
blocks are chosen before any row is read, from the respondents per role in the study's
facts (a proxy for its rows): [`balanced_groups`][relcoord.rater_role_blocks.balanced_groups]
cuts the roles into about ``rows / rows_per_block`` blocks of equal respondents.  A worker
holds one block's rows at a time (with its cuts and the analysis of the block), so
``rows_per_block`` sets the workers' memory, and the study's largest rater role is the
least a block can hold.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Final

import numpy as np
from dask.sizeof import sizeof
from distributed import Client, as_completed

from relcoord.analysis_parts import AnalysisPart, analysis_part
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.model import Study
from relcoord.rater_role_blocks import balanced_groups
from relcoord.settings import AnalysisSettings
from relcoord_dask.partitions import PartitionGroup, StorePlan, read_group

__all__ = ["DEFAULT_ROWS_PER_BLOCK", "block_part", "blocks_of", "parts_of_store",
           "split_group"]

#: Rating rows per block of rater roles (a worker analyses one block at a time: at about
#: 150 bytes a row over the analysis, some 300 MiB).
DEFAULT_ROWS_PER_BLOCK: Final = 2_000_000


def _summary_size(summary: RatingsSummary) -> int:
    """What a summary holds, for Dask's memory accounting: without it Dask counts a few
    hundred bytes per summary, never spills the cuts to disk, and a worker holding them
    is killed at its memory limit instead."""
    return int(summary.nbytes) + 1024


sizeof.register(RatingsSummary)(_summary_size)


def blocks_of(facts: Study, rows: int, rows_per_block: int = DEFAULT_ROWS_PER_BLOCK
              ) -> tuple[tuple[str, ...], ...]:
    """Every role of ``facts`` in blocks of rater roles for a study of ``rows`` rating
    rows: about ``rows / rows_per_block`` blocks (at least one, at most one per role) of
    about equal numbers of respondents.  Roles without respondents (whose ratings, if any,
    are group ratings) are blocks' members too, so that every rating row has a block."""
    if rows_per_block < 1:
        raise ValueError(f"rows_per_block must be at least 1, got {rows_per_block}")
    ids = facts.role_ids
    people = np.bincount(facts.respondent_role_codes, minlength=len(ids)).tolist()
    wanted = max(1, math.ceil(rows / rows_per_block))
    return balanced_groups(ids, people, wanted)


def split_group(facts: Study, plan: StorePlan, group: PartitionGroup,
                blocks: Sequence[Sequence[str]], settings: AnalysisSettings
                ) -> tuple[RatingsSummary, ...]:
    """The summary of ``group``'s rows of each block of rater roles, in the order of
    ``blocks`` (runs on a worker): the group summarised once, then cut."""
    summary = RatingsSummary.of(read_group(facts, plan, group), settings)
    return tuple(summary.of_rater_roles(block) for block in blocks)


def block_part(facts: Study, settings: AnalysisSettings, *cuts: RatingsSummary
               ) -> AnalysisPart:
    """The analysis part of one block from its cuts of every group of files (runs on a
    worker): the cuts merged into the block's rows in canonical order, in ``facts``'
    vocabularies (their wave vocabulary must be the store's)."""
    rows = RatingsSummary.merged(list(cuts))
    block = facts.with_checked_ratings(rows.ratings(facts))
    del rows
    return analysis_part(block, settings)


def _cut(cuts: tuple[RatingsSummary, ...], b: int) -> RatingsSummary:
    return cuts[b]


def parts_of_store(client: Client, facts: Study, plan: StorePlan,
                   blocks: Sequence[Sequence[str]], settings: AnalysisSettings, *,
                   part_of: Callable[..., AnalysisPart] = block_part) -> list[AnalysisPart]:
    """The analysis part of every block of rater roles of the store ``plan`` reads,
    computed on ``client``'s cluster (see the module); ``facts`` must hold the store's wave
    vocabulary.  A part is fetched as soon as it is done and released on its worker.
    ``part_of`` computes a block's part from its cuts, as
    [`block_part`][relcoord_dask.rater_roles.block_part] (a test wraps it to kill a worker
    mid-run).  A worker that dies is replaced by its nanny and its tasks run again
    elsewhere: every task only reads files or its inputs, so running it twice changes
    nothing."""
    if not plan.groups:
        return [analysis_part(facts, settings)]
    run = uuid.uuid4().hex[:12]  # two runs on one cluster never share a task's key
    shared = client.scatter(facts, broadcast=True, hash=False)
    frozen_blocks = tuple(tuple(b) for b in blocks)
    splits = [client.submit(split_group, shared, plan, group, frozen_blocks, settings,
                            key=f"relcoord-split-{run}-{i}", pure=False)
              for i, group in enumerate(plan.groups)]
    parts: list[Any] = []
    for b in range(len(frozen_blocks)):
        cuts = [client.submit(_cut, split, b, key=f"relcoord-cut-{run}-{i}-{b}")
                for i, split in enumerate(splits)]
        parts.append(client.submit(part_of, shared, settings, *cuts,
                                   key=f"relcoord-part-{run}-{b}", pure=False))
        del cuts
    del splits  # the cuts keep what the parts still need; the rest is released
    done: list[AnalysisPart] = []
    for future in as_completed(parts):
        done.append(future.result())
        future.release()
    held = sum(part.privacy.n_ratings for part in done)
    if held != plan.rows:  # a rating whose rater role is in no block would be lost
        raise RuntimeError(f"the blocks of rater roles hold {held} ratings, the store's "
                           f"files {plan.rows}: every role must be in one block")
    return done
