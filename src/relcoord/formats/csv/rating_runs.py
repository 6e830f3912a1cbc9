"""Which rows of a long table form one rating: runs of rows with the same rating key.

A long table has one row per item answer; the rows of one rating share its key, the
``rating`` column if there is one, else respondent, rater role, target role and wave.
Files list a rating's answers together, so the rows are cut into *runs* where the key
changes from the row before (compared as integer cell codes, see
[`coded_column`][relcoord.formats.csv.coded_column]), and labels are decoded once per run, not once
per row.  Runs with the same key anywhere in the file are then merged into one rating.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import Problem
from relcoord.formats.csv.coded_column import CodedColumn, changed_rows
from relcoord.formats.csv.hashed_labels import LabelCodes
from relcoord.formats.csv.table import Table
from relcoord.optional_dependencies import compiled_engine, numba_jit

__all__ = ["LABEL_FIELDS", "RatingRuns", "coded_runs", "find_runs"]

#: The label fields of a rating, in the order their problems are reported.
LABEL_FIELDS: Final = ("respondent", "source", "target", "wave")
#: Runs from which the grouping imports numba (the ``fast`` extra) when it is installed but
#: not loaded yet: below this, importing it costs more than its sort saves.
COMPILED_FROM: Final = 1 << 23

Codes = npt.NDArray[np.int32]
#: Cells as column codes, a table from code to an index into distinct texts (``-1``
#: beyond the largest code), and the texts; see ``CodedColumn.text_table``.
Cells = tuple[npt.NDArray[np.uint32], Codes, list[str]]


@attrs.frozen(eq=False)
class RatingRuns:
    """Runs of rows with the same rating key, and the ratings they form.

    ``starts`` are the rows where runs start (``starts_mask`` marks them); ``first`` is
    the first run of each rating (in key order) and ``group`` each run's rating, both
    ``None`` when every run is a rating of its own, in key order already.  ``source`` and
    friends are the codes of each *rating's* labels into ``roles``, ``respondents`` and
    ``waves`` (those of its first run).  ``problems`` are ratings whose runs disagree.
    """

    starts_mask: npt.NDArray[np.bool_]
    starts: npt.NDArray[np.intp]
    source: Codes
    target: Codes
    respondent: Codes
    wave: Codes
    roles: tuple[str, ...]
    respondents: tuple[str, ...]
    waves: tuple[str, ...]
    first: npt.NDArray[np.intp] | None
    group: npt.NDArray[np.intp] | None
    problems: list[Problem]

    @property
    def n_ratings(self) -> int:
        """How many ratings the runs form."""
        return len(self.starts) if self.first is None else len(self.first)

    def first_rows(self, row_numbers: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        """The ``row`` (of ``row_numbers``, one per table row) where each rating starts."""
        at = self.starts if self.first is None else self.starts[self.first]
        rows: npt.NDArray[np.int64] = row_numbers[at].astype(np.int64, copy=False)
        return rows


def _vocab_of(*texts: Sequence[str]) -> list[str]:
    """The sorted labels in ``texts``, without the empty one."""
    return sorted({t for group in texts for t in group if t})


def _codes_of(cells: Cells, vocab: Sequence[str]) -> Codes:
    """Codes into ``vocab`` of cells given as column codes and their texts; ``-1`` for an
    empty one.  One look-up per cell: the table from column code to text is mapped to
    ``vocab`` first."""
    codes, lut, texts = cells
    index = {label: i for i, label in enumerate(vocab)}
    table = np.asarray([*(index.get(t, -1) for t in texts), -1], dtype=np.int32)
    mapped = table[lut]  # an entry -1 of lut picks the last: -1
    out: Codes = mapped[codes]
    return out


def _empty_heads(table: Table, codes: Codes, rows: npt.NDArray[Any], column: int | None,
                 what: str) -> list[Problem]:
    empty = codes < 0
    if not empty.any():
        return []
    return table.problems_at(rows[empty], column, f"empty {what}", summary=f"an empty {what}")


def _changes_within_a_rating(
    table: Table, pos: Mapping[str, int], coded: Mapping[str, CodedColumn],
    starts_mask: npt.NDArray[np.bool_], row_numbers: npt.NDArray[Any],
) -> list[Problem]:
    """Rows, inside a run of one rating id, whose label differs from the row before."""
    problems: list[Problem] = []
    n = len(starts_mask)
    for f in LABEL_FIELDS:
        if f not in pos:
            continue
        inside = np.flatnonzero(~starts_mask & changed_rows([coded[f]], n))
        if len(inside):
            problems += table.problems_at(
                row_numbers[inside], pos[f],
                f"this row has another {f} than the row before, within one rating",
                summary=f"a {f} that changes within one rating")
    return problems


def _head_cells(coded: Mapping[str, CodedColumn], starts: npt.NDArray[np.intp],
                constants: Mapping[str, str | None]) -> dict[str, Cells]:
    """The labels of each run's first row; a field without a column has its constant.
    Every row of a run has its head's labels, so checking the heads checks every row."""
    heads: dict[str, Cells] = {}
    for f in (*LABEL_FIELDS, "rating"):
        if f in coded:
            heads[f] = coded[f].text_table(starts)
        elif f != "rating":
            heads[f] = (np.zeros(len(starts), dtype=np.uint32), np.array([0, -1], dtype=np.int32),
                        [constants.get(f) or ""])
    return heads


def _key_order(keys: npt.NDArray[Any], size: int) -> npt.NDArray[np.intp]:
    """The stable order that sorts ``keys`` (values in ``0 .. size - 1``).

    A least-significant-digit radix sort on 16-bit digits: numpy sorts 16-bit integers
    stably by counting (``kind="stable"``), in linear time, so two or three such passes
    beat one comparison sort of the whole keys (the keys of a shuffled file are about as
    many as its rows).
    """
    order: npt.NDArray[np.intp] = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while size - 1 >> shift:
        digit = ((keys[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def _group_runs(run_key: npt.NDArray[np.int64], size: int, *, engine: str = "auto"
                ) -> tuple[npt.NDArray[np.intp] | None, npt.NDArray[np.intp] | None]:
    """The first run of each distinct key (in key order) and each run's group.

    ``run_key`` holds one key in ``0 .. size - 1`` per run.  ``(None, None)`` when the keys
    strictly increase, as in a file sorted by its key: then each run is its own group, in
    file order, which is key order.  Otherwise the runs are put in key order by a stable
    radix sort (the first run of a key is the first in the file), which gives what
    ``np.unique(run_key, return_index=True, return_inverse=True)`` gives, in linear time:
    [`_key_order`][relcoord.formats.csv.rating_runs._key_order] in numpy, or, with numba
    (``engine`` ``"numba"``, or ``"auto"`` when numba is loaded already or the runs are
    at least `COMPILED_FROM`), one compiled pass per digit that carries the keys along
    instead of gathering them (about half the CPU time on 31.5 million shuffled rows).
    Both give the same arrays.
    """
    n = len(run_key)
    if n < 2 or bool((run_key[1:] > run_key[:-1]).all()):
        return None, None
    keys: npt.NDArray[Any] = run_key.astype(np.int32) if size <= 1 << 31 else run_key
    compiled = _compiled_grouping(engine, n)
    if compiled is not None:
        first, group = compiled(keys, size)
        return first, group
    order = _key_order(keys, size)
    ordered = keys[order]
    new_key = np.empty(n, dtype=bool)
    new_key[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new_key[1:])
    group = np.empty(n, dtype=np.intp)
    group[order] = np.cumsum(new_key, dtype=np.intp) - 1
    first = order[new_key]
    return first, group


Grouping = Callable[[npt.NDArray[Any], int],
                    tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]


def _compiled_grouping(engine: str, n: int) -> Grouping | None:
    """The compiled grouping ``engine`` asks for, or ``None`` for numpy's."""
    if engine == "auto" and n < COMPILED_FROM and "numba" not in sys.modules:
        return None  # importing numba would cost more than it saves
    return compiled_engine(engine, None, _numba_grouping,
                           purpose="the compiled grouping of rows (engine='numba')")


@functools.cache
def _numba_grouping() -> Grouping | None:
    """The compiled radix grouping, or ``None`` without numba (the ``fast`` extra)."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def group_keys(keys: Any, size: int) -> Any:  # pragma: no cover - compiled
        # least-significant digit first, digits of at most 11 bits (a count table that
        # stays in the cache); each pass moves the keys with their positions, so no pass
        # gathers keys at random
        n = keys.shape[0]
        bits = 1
        while (size - 1) >> bits:
            bits += 1
        passes = (bits + 10) // 11
        width = (bits + passes - 1) // passes
        mask = (1 << width) - 1
        order = np.arange(n)
        spare = np.empty(n, dtype=np.intp)
        ordered = keys.copy()
        moved = np.empty_like(ordered)
        count = np.empty((1 << width) + 1, dtype=np.intp)
        for p in range(passes):
            shift = p * width
            count[:] = 0
            for i in range(n):
                count[((ordered[i] >> shift) & mask) + 1] += 1
            for d in range(1 << width):
                count[d + 1] += count[d]
            for i in range(n):
                key = ordered[i]
                d = (key >> shift) & mask
                at = count[d]
                spare[at] = order[i]
                moved[at] = key
                count[d] = at + 1
            order, spare = spare, order
            ordered, moved = moved, ordered
        group = np.empty(n, dtype=np.intp)
        first = spare  # at most n groups
        g = -1
        for i in range(n):
            if i == 0 or ordered[i] != ordered[i - 1]:
                g += 1
                first[g] = order[i]
            group[order[i]] = g
        return first[:g + 1].copy(), group

    return group_keys


def _inconsistent_runs(
    table: Table, pos: Mapping[str, int], group: npt.NDArray[np.intp],
    first: npt.NDArray[np.intp], start_rows: npt.NDArray[np.int64],
    *columns: Codes,
) -> list[Problem]:
    """Runs of one rating id whose labels differ from the rating's first run."""
    problems: list[Problem] = []
    for field, codes in zip(("source", "target", "respondent", "wave"), columns, strict=True):
        bad = np.flatnonzero(codes != codes[first][group])
        if len(bad):
            place = table.record_place(int(start_rows[first[group[bad[0]]]]))
            problems += table.problems_at(
                start_rows[bad], pos.get(field),
                f"this rating has another {field} than where its rating id first appears "
                f"({place})", summary=f"a {field} that differs within one rating")
    return problems


def find_runs(table: Table, pos: Mapping[str, int], constants: Mapping[str, str | None],
              row_numbers: npt.NDArray[Any]) -> tuple[RatingRuns | None, list[Problem]]:
    """The runs of a long table and their labels, or ``None`` and the problems found.

    ``pos`` holds the columns of the fields (``rating`` among them if the table has one),
    ``constants`` the labels of fields without a column.  A label that changes within a
    rating id's run comes first; then empty labels.
    """
    label_fields = [f for f in LABEL_FIELDS if f in pos]
    key_fields = ["rating"] if "rating" in pos else label_fields
    coded = {f: CodedColumn(table.column(pos[f]))
             for f in dict.fromkeys([*label_fields, *key_fields])}
    starts_mask = changed_rows([coded[f] for f in key_fields], len(table))
    if "rating" in pos:  # labels must not change within a rating
        problems = _changes_within_a_rating(table, pos, coded, starts_mask, row_numbers)
        if problems:
            return None, problems
    starts = np.flatnonzero(starts_mask)
    head_rows = row_numbers[starts]
    heads = _head_cells(coded, starts, constants)
    roles = _vocab_of(heads["source"][2], heads["target"][2])
    people, waves = _vocab_of(heads["respondent"][2]), _vocab_of(heads["wave"][2])
    source, target = _codes_of(heads["source"], roles), _codes_of(heads["target"], roles)
    person, wave = _codes_of(heads["respondent"], people), _codes_of(heads["wave"], waves)
    problems = _empty_heads(table, source, head_rows, pos.get("source"), "rater role")
    problems += _empty_heads(table, target, head_rows, pos.get("target"), "target role")
    if "rating" in pos:
        rating_vocab = _vocab_of(heads["rating"][2])
        rating_ids = _codes_of(heads["rating"], rating_vocab)
        problems += _empty_heads(table, rating_ids, head_rows, pos["rating"], "rating id")
        run_key = rating_ids.astype(np.int64)
        key_size = max(len(rating_vocab), 1)
    else:
        n_roles, n_waves = len(roles), len(waves) + 1
        run_key = ((person.astype(np.int64) + 1) * n_roles + source) * n_roles + target
        run_key = run_key * n_waves + (wave.astype(np.int64) + 1)
        key_size = (len(people) + 1) * n_roles * n_roles * n_waves
    if problems:
        return None, problems
    first_run, run_group = _group_runs(run_key, key_size)
    if ("rating" in pos and first_run is not None and run_group is not None
            and len(first_run) < len(starts)):
        problems += _inconsistent_runs(table, pos, run_group, first_run, head_rows,
                                       source, target, person, wave)
    if first_run is not None:  # each rating's labels: those of its first run
        source, target, person, wave = (a[first_run] for a in (source, target, person, wave))
    return RatingRuns(
        starts_mask=starts_mask, starts=starts, source=source, target=target,
        respondent=person, wave=wave, roles=tuple(roles), respondents=tuple(people),
        waves=tuple(waves), first=first_run, group=run_group, problems=problems,
    ), []


def coded_runs(labels: Mapping[str, LabelCodes], constants: Mapping[str, str | None],
               n: int) -> RatingRuns | None:
    """The runs of a long table of ``n`` rows without a ``rating`` column, from its label
    columns coded cell by cell ([`hashed_labels`][relcoord.formats.csv.hashed_labels]; a
    field without a column has its constant), or ``None`` when a rater or target role is
    empty (for [`find_runs`][relcoord.formats.csv.rating_runs.find_runs] to report), or
    without numba.

    The same runs and ratings as `find_runs` finds, by another way, in two compiled
    passes: the first codes each row's labels into the sorted vocabularies, packs them into
    one integer key per row (runs start where the key changes) and counts the digits of
    the runs' keys for the radix sort; the second sorts the runs' keys by those digits
    and numbers the ratings in key order.  Each rating's labels are unpacked from its key
    (no array of labels per run is written).
    """
    def texts(field: str) -> Sequence[str]:
        return labels[field].texts if field in labels else [constants.get(field) or ""]

    roles = _vocab_of(texts("source"), texts("target"))
    people, waves = _vocab_of(texts("respondent")), _vocab_of(texts("wave"))
    kernels = _run_kernels()
    if kernels is None:
        return None
    pack, group_runs = kernels
    columns = []
    for field, vocab in (("respondent", people), ("source", roles), ("target", roles),
                         ("wave", waves)):
        index = {label: i for i, label in enumerate(vocab)}
        if field in labels:
            found = labels[field]
            table = np.fromiter((index.get(t, -1) for t in found.texts), dtype=np.int32,
                                count=len(found.texts))
            columns += [found.codes, table]
        else:  # a constant: every row's code is 0, and 0 is its label
            columns += [np.zeros(n, dtype=np.int32),
                        np.array([index.get(constants.get(field) or "", -1)], dtype=np.int32)]
    n_roles, n_waves = len(roles), len(waves) + 1
    size = (len(people) + 1) * n_roles * n_roles * n_waves
    bits = max(1, (size - 1).bit_length())
    passes = (bits + _DIGIT_BITS - 1) // _DIGIT_BITS  # digits of at most _DIGIT_BITS bits
    width = (bits + passes - 1) // passes
    counts = np.zeros((passes, (1 << width) + 1), dtype=np.intp)
    starts_mask = np.empty(n, dtype=bool)
    run_key = np.empty(n, dtype=np.int32 if size <= 1 << 31 else np.int64)
    starts = np.empty(n, dtype=np.intp)
    n_runs, increasing = pack(*columns, n_roles, n_waves, starts_mask, run_key, starts,
                              counts, width)
    if n_runs < 0:  # an empty rater or target role
        return None
    # views, not copies: a shuffled file has about a run per row, so trimming copies all
    run_key, starts = run_key[:n_runs], starts[:n_runs]
    first_run: npt.NDArray[np.intp] | None = None
    run_group: npt.NDArray[np.intp] | None = None
    rating_keys: npt.NDArray[Any] = run_key
    if n_runs >= 2 and not increasing:
        first_run, run_group, rating_keys = group_runs(run_key, counts, width)
    rest, wave = np.divmod(rating_keys.astype(np.int64), n_waves)
    rest, target = np.divmod(rest, n_roles)
    person, source = np.divmod(rest, n_roles)
    return RatingRuns(
        starts_mask=starts_mask, starts=starts, source=source.astype(np.int32),
        target=target.astype(np.int32), respondent=(person - 1).astype(np.int32),
        wave=(wave - 1).astype(np.int32), roles=tuple(roles), respondents=tuple(people),
        waves=tuple(waves), first=first_run, group=run_group, problems=[],
    )


#: The widest digit of the compiled radix sorts (a count table that stays in the cache).
_DIGIT_BITS: Final = 11


@functools.cache
def _run_kernels() -> tuple[Callable[..., tuple[int, bool]], Callable[..., Any]] | None:
    """The two compiled passes of `coded_runs`, or ``None`` without numba."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def pack(person: Any, person_code: Any, source: Any, source_code: Any, target: Any,
             target_code: Any, wave: Any, wave_code: Any, n_roles: int, n_waves: int,
             starts_mask: Any, run_key: Any, starts: Any, counts: Any,
             width: int) -> Any:  # pragma: no cover - compiled
        # each row's codes into the sorted vocabularies, packed into one key; a run
        # starts where the key changes, and its key is written once and its digits counted
        runs = 0
        previous = np.int64(-1)
        increasing = True
        mask = (1 << width) - 1
        passes = counts.shape[0]
        for i in range(person.shape[0]):
            p = person_code[person[i]]
            s = source_code[source[i]]
            t = target_code[target[i]]
            w = wave_code[wave[i]]
            if s < 0 or t < 0:
                return -1, False
            key = (((np.int64(p) + 1) * n_roles + s) * n_roles + t) * n_waves + w + 1
            if key != previous:
                if key < previous:
                    increasing = False
                starts_mask[i] = True
                run_key[runs] = key
                starts[runs] = i
                for d in range(passes):
                    counts[d, ((key >> (d * width)) & mask) + 1] += 1
                runs += 1
                previous = key
            else:
                starts_mask[i] = False
        return runs, increasing

    @jit
    def group_runs(keys: Any, counts: Any, width: int) -> Any:  # pragma: no cover
        # least-significant digit first, from the counts of `pack`; each pass moves the
        # keys with their positions, so no pass gathers keys at random.  ``keys`` serves
        # as a buffer (the caller does not read it again)
        n = keys.shape[0]
        mask = (1 << width) - 1
        order = np.empty(n, dtype=np.intp)
        spare = np.empty(n, dtype=np.intp)
        ordered = keys
        moved = np.empty_like(keys)
        for p in range(counts.shape[0]):
            count = counts[p]
            for d in range(1 << width):
                count[d + 1] += count[d]
            shift = p * width
            for i in range(n):
                key = ordered[i]
                d = (key >> shift) & mask
                at = count[d]
                spare[at] = i if p == 0 else order[i]
                moved[at] = key
                count[d] = at + 1
            order, spare = spare, order
            ordered, moved = moved, ordered
        group = np.empty(n, dtype=np.intp)
        first = spare  # at most n ratings
        unique = moved
        g = -1
        for i in range(n):
            key = ordered[i]
            if i == 0 or key != ordered[i - 1]:
                g += 1
                first[g] = order[i]
                unique[g] = key
            group[order[i]] = g
        return first[:g + 1].copy(), group, unique[:g + 1].copy()

    return pack, group_runs
