"""Work over the rows of a large array split into contiguous blocks, one per thread.

Some passes over millions of rating rows treat every row on its own: gathering rows into
another order (``np.take``, which releases the GIL), or a compiled kernel that writes one
output row per input row (numba's ``nogil`` functions, see
[`numba_jit`][relcoord.optional_dependencies.numba_jit]).  Such a pass gives the same bytes
whether it runs in one thread or in several over disjoint blocks of rows, so
[`in_row_blocks`][relcoord.row_blocks.in_row_blocks] runs it on the machine's cores.  A pass
that *adds* rows together (a sum, a count per group) must not use it: partial sums added in
another order are not the same floats.

How many threads: the cores this process may run on (``os.sched_getaffinity``), at most
[`MAX_THREADS`][relcoord.row_blocks.MAX_THREADS]; and one thread below
[`MIN_ROWS`][relcoord.row_blocks.MIN_ROWS] rows per block, where starting threads costs more
than it saves.  ``RELCOORD_THREADS`` in the environment sets the number (``1``: never a
thread; a process that already runs one analysis per core, such as a Dask worker, may want
that).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError

__all__ = ["MAX_THREADS", "MIN_ROWS", "group_block_bounds", "in_blocks", "in_row_blocks",
           "row_block_bounds", "thread_count"]

#: The most threads a pass uses.
MAX_THREADS: Final = 8

#: The fewest rows a block is given: below ``2 * MIN_ROWS`` rows a pass runs in one thread.
MIN_ROWS: Final = 262_144


def thread_count(n_rows: int) -> int:
    """The number of threads a pass over ``n_rows`` rows runs on (see the module docstring).

    ``RELCOORD_THREADS`` must be a positive integer when set; another value raises
    [`InvalidInputError`][relcoord.errors.InvalidInputError] located at the variable (a
    `ValueError`, and a clear message rather than a traceback in the CLI).
    """
    chosen = os.environ.get("RELCOORD_THREADS")
    if chosen is not None:
        if not chosen.strip().isdigit() or int(chosen) < 1:
            raise InvalidInputError("RELCOORD_THREADS (environment variable)",
                                    f"must be a positive integer (1: no threads), got "
                                    f"{chosen!r}")
        cores = int(chosen)
    else:
        try:
            cores = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not Linux
            cores = os.cpu_count() or 1
        cores = min(cores, MAX_THREADS)
    return max(1, min(cores, n_rows // MIN_ROWS))


def row_block_bounds(n_rows: int) -> list[int]:
    """The bounds ``[0, ..., n_rows]`` of the blocks
    [`in_row_blocks`][relcoord.row_blocks.in_row_blocks] gives its threads: one block per
    thread of [`thread_count`][relcoord.row_blocks.thread_count], of equal size to a row."""
    threads = thread_count(n_rows)
    return [n_rows * k // threads for k in range(threads + 1)]


def group_block_bounds(groups: npt.NDArray[np.integer[Any]]) -> list[int]:
    """Bounds of row blocks for [`in_blocks`][relcoord.row_blocks.in_blocks] that split no
    group: about [`row_block_bounds`][relcoord.row_blocks.row_block_bounds]'s, each moved to
    where the next group begins, when the rows are sorted by ``groups`` (an analysis reads
    its rows in canonical order, sorted by tie cell); ``[0, n]`` (one block) for rows in any
    other order.

    A sum per group over such blocks adds each group's values in one thread, in row order,
    from zero: the same float as one pass.
    """
    n = len(groups)
    bounds = row_block_bounds(n)
    if len(bounds) <= 2 or not bool(np.all(groups[1:] >= groups[:-1])):
        return [0, n]
    inner = np.searchsorted(groups, groups[np.asarray(bounds[1:-1]) - 1], side="right")
    return [0, *(int(k) for k in inner), n]


def in_row_blocks(n_rows: int, work: Callable[[int, int], None]) -> None:
    """Call ``work(start, stop)`` on contiguous blocks covering ``range(n_rows)``, each
    block in its own thread (one call over every row when one thread is chosen).

    ``work`` must touch only its own rows' outputs; an exception in any block is raised
    here, after every block has finished.
    """
    in_blocks(row_block_bounds(n_rows), work)


def in_blocks(bounds: Sequence[int], work: Callable[[int, int], None]) -> None:
    """Call ``work(bounds[k], bounds[k + 1])`` for every ``k``, each in its own thread (no
    thread for a single block).  For a pass whose blocks must end where the caller says:
    a sum per group over rows sorted by group is the same float in threads when no group
    is split between two blocks."""
    pairs = list(itertools.pairwise(bounds))
    if len(pairs) <= 1:
        for start, stop in pairs:
            work(start, stop)
        return
    with ThreadPoolExecutor(max_workers=len(pairs)) as pool:
        done = [pool.submit(work, start, stop) for start, stop in pairs]
        for future in done:
            future.result()
