"""Text columns coded in one compiled pass: the long layout's labels without categoricals.

Parsing millions of label cells as polars categoricals costs about as much again as the
bare parse (every cell goes through one shared dictionary).  Parsed as text instead, a
column is coded here by a compiled hash table, cell by cell, each distinct text getting a
code in the order of its first appearance, with the row where it first appears
([`label_codes`][relcoord.formats.csv.hashed_labels.label_codes]).

The keys are exact, never a hash trusted to be unique.  Polars keeps a text cell as a
16-byte *view* (Arrow's ``string_view`` layout): its length, then, for a text of at most 12
bytes, the text itself, zero-padded.  Labels (respondent ids, role ids, items, waves) are
mostly that short, and then the view *is* the text: two cells hold the same text exactly
when their views are equal, so the views are the keys, read where polars keeps them
(no copy).  A column with a longer text is keyed by polars' 64-bit hash of each cell
instead, and then every cell is compared with the first cell of its code, so that two
texts sharing a hash are caught (``None``: the caller codes the column another way).

Needs numba (the ``fast`` extra):
[`coding_kernel`][relcoord.formats.csv.hashed_labels.coding_kernel] is ``None`` without it,
and the long layout keeps its categorical path.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt

from relcoord.optional_dependencies import numba_jit, optional_module

if TYPE_CHECKING:
    import polars as pl
else:
    pl = optional_module("polars", "reading and writing CSV files")

__all__ = ["LabelCoder", "LabelCodes", "coding_kernel", "label_codes", "label_mixer"]

#: The longest text a view holds itself (Arrow's ``string_view`` layout).
INLINE_BYTES: Final = 12
#: The seed of `polars.Series.hash` for longer texts (any fixed one: codes are checked).
_SEED: Final = 0x5EED
#: Slots of the first hash table (it grows fourfold when half full).
_FIRST_SLOTS: Final = 1 << 10

Kernel = Callable[..., tuple[int, int]]


class LabelCodes:
    """A text column as one code per cell, codes numbered in order of first appearance.

    ``codes[i]`` is the code of row ``i``; ``first[c]`` the first row holding code ``c``;
    ``texts[c]`` its text (a null cell reads as ``""``).  Equal codes hold equal texts (and,
    as polars writes its views, equal texts equal codes; the callers look the texts up, so
    nothing relies on that).
    """

    def __init__(self, codes: npt.NDArray[np.int32], first: npt.NDArray[np.int64],
                 texts: list[str]) -> None:
        self.codes = codes
        self.first = first
        self.texts = texts


def _views(chunk: pl.Series) -> npt.NDArray[np.uint64] | None:
    """The 16-byte views of one chunk of a text column, as ``(n, 2)`` words (no copy), or
    ``None`` when polars hands the chunk over in another layout."""
    array = chunk.to_arrow(compat_level=pl.CompatLevel.newest())
    if str(array.type) != "string_view":
        return None
    words = np.frombuffer(array.buffers()[1], dtype=np.uint64).reshape(-1, 2)
    out: npt.NDArray[np.uint64] = words[array.offset:array.offset + len(array)]
    return out


def _longest(views: npt.NDArray[np.uint64]) -> int:
    """The longest text among ``views`` in bytes (a view's first four bytes)."""
    lengths = views.view(np.uint32)[:, 0]  # a view starts with its length (little-endian)
    return int(lengths.max()) if len(lengths) else 0


class _Table:
    """The state of the compiled hash table while a column's chunks pass through it."""

    def __init__(self, slots: int) -> None:
        self.slots = np.full(slots, -1, dtype=np.int32)
        self.distinct = np.zeros((slots // 2, 2), dtype=np.uint64)
        self.first = np.zeros(slots // 2, dtype=np.int64)
        self.count = 0

    def grown(self, rehash: Callable[..., None]) -> _Table:
        bigger = _Table(len(self.slots) * 4)
        k = self.count
        bigger.distinct[:k] = self.distinct[:k]
        bigger.first[:k] = self.first[:k]
        bigger.count = k
        rehash(bigger.distinct, k, bigger.slots)
        return bigger


def _code_keys(keys_of: list[npt.NDArray[np.uint64]], n: int, kernels: tuple[Kernel, Any]
               ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    """Code ``(m, 2)`` key blocks (consecutive rows, ``n`` in all) in one compiled pass."""
    code_block, rehash = kernels
    codes = np.empty(n, dtype=np.int32)
    state = _Table(_FIRST_SLOTS)
    offset = 0
    for keys in keys_of:
        m, start = len(keys), 0
        while start < m:
            start, state.count = code_block(keys, start, codes[offset:offset + m], offset,
                                            state.slots, state.distinct, state.first,
                                            state.count)
            if start < m:  # half full: grow and go on where it stopped
                state = state.grown(rehash)
        offset += m
    return codes, state.first[:state.count].copy()


class LabelCoder:
    """Codes a text column batch by batch, as a streaming parse hands its batches over
    ([`streamed_long`][relcoord.formats.csv.streamed_long]): the hash table carries over
    from batch to batch, so every batch's codes are those of the whole column.

    A text of at most 12 bytes is keyed by its view (exact); a longer one by polars'
    64-bit hash of it, in a key no view can equal (its length field all ones), and every
    such cell is compared with the text of its code, so two texts sharing a hash are
    caught (`add` is ``False``: the caller reads the file the general way).  The text of
    each code is taken from its first cell as the batch passes, so no cell is kept.
    ``capacity`` bounds the rows of all batches.
    """

    def __init__(self, kernels: tuple[Kernel, Any], capacity: int) -> None:
        self._kernels = kernels
        self._codes = np.empty(capacity, dtype=np.int32)
        self._state = _Table(_FIRST_SLOTS)
        self._texts: list[str] = []
        self.rows = 0

    def add(self, series: pl.Series) -> bool:
        """Code the next batch of cells; ``False`` when two long texts share a hash,
        polars hands a chunk over in another layout, or the batches exceed the capacity
        (then the codes are not to be used)."""
        if series.null_count():
            series = series.fill_null("")  # a null cell reads as ""
        if sys.byteorder != "little" or self.rows + len(series) > len(self._codes):
            return False
        found = [_views(c) for c in series.get_chunks()]
        views = [v for v in found if v is not None]
        if len(views) < len(found):
            return False
        keys = views[0] if len(views) == 1 else np.concatenate(views or [_NO_VIEWS])
        long = keys.view(np.uint32)[:, 0] > INLINE_BYTES
        hashed = bool(long.any())
        if hashed:  # a long text: its hash in a key no view can equal
            keys = keys.copy()
            hashes = series.hash(_SEED).to_numpy()[long]
            keys[long, 0] = (hashes & np.uint64(0xFFFFFFFF00000000)) | np.uint64(0xFFFFFFFF)
            keys[long, 1] = hashes
        offset, known = self.rows, self._state.count
        codes = self._codes[offset:offset + len(keys)]
        self._code(keys, codes, offset)
        self.rows += len(keys)
        if self._state.count > known:  # the new codes' texts, read from their views
            self._texts += self._new_texts(series, known, offset, hashed)
        if hashed:  # every long cell against the text of its code
            texts = pl.Series(self._texts, dtype=pl.String).gather(codes[long])
            if not series.filter(pl.Series(long)).eq_missing(texts).all():
                return False
        return True

    def _new_texts(self, series: pl.Series, known: int, offset: int, hashed: bool
                   ) -> list[str]:
        """The texts of codes ``known ..`` (first met in the batch ``series`` starting at
        row ``offset``): a view holds its text (its length, then the text); a long text,
        keyed by its hash, is taken from its first cell."""
        distinct = self._state.distinct[known:self._state.count]
        raw = distinct.tobytes()  # 16 bytes a key
        lengths = distinct.view(np.uint32)[:, 0].tolist()
        texts = [raw[16 * c + 4:16 * c + 4 + size].decode("utf-8") if size <= INLINE_BYTES
                 else "" for c, size in enumerate(lengths)]
        if hashed:
            long = [c for c, size in enumerate(lengths) if size > INLINE_BYTES]
            rows = self._state.first[known:self._state.count][long] - offset
            for c, text in zip(long, series.gather(rows).to_list(), strict=True):
                texts[c] = text or ""
        return texts

    def _code(self, keys: npt.NDArray[np.uint64], codes: npt.NDArray[np.int32],
              offset: int) -> None:
        code_block, rehash = self._kernels
        m, start = len(keys), 0
        while start < m:
            start, self._state.count = code_block(
                keys, start, codes, offset, self._state.slots, self._state.distinct,
                self._state.first, self._state.count)
            if start < m:  # half full: grow and go on where it stopped
                self._state = self._state.grown(rehash)

    def coded(self) -> LabelCodes:
        """The codes of every row added, each code's first row and its text."""
        k = self._state.count
        return LabelCodes(self._codes[:self.rows], self._state.first[:k].copy(),
                          list(self._texts))


_NO_VIEWS: Final = np.zeros((0, 2), dtype=np.uint64)


def label_codes(series: pl.Series, kernels: tuple[Kernel, Any]) -> LabelCodes | None:
    """The text column ``series`` coded (see the module docstring), or ``None`` when two of
    its texts (longer than 12 bytes) share a hash.

    ``kernels`` are [`coding_kernel`][relcoord.formats.csv.hashed_labels.coding_kernel]'s.
    """
    if series.null_count():
        series = series.fill_null("")  # a null cell reads as ""
    n = len(series)
    found = [_views(c) for c in series.get_chunks()] if sys.byteorder == "little" else []
    views = [v for v in found if v is not None]
    if views and len(views) == len(found) and max(map(_longest, views)) <= INLINE_BYTES:
        codes, first = _code_keys(views, n, kernels)
        exact = True
    else:
        keys = np.zeros((n, 2), dtype=np.uint64)
        keys[:, 0] = series.hash(_SEED).to_numpy()
        codes, first = _code_keys([keys], n, kernels)
        exact = False
    heads = series.gather(first)
    if not exact:  # every cell against the first of its code: no two texts share a code
        spread = pl.Series(first, dtype=pl.Int64).gather(codes)
        if not series.gather(spread).eq_missing(series).all():
            return None
    texts = [t or "" for t in heads.cast(pl.String).to_list()]
    return LabelCodes(codes, first, texts)


@functools.cache
def label_mixer() -> Callable[[Any, Any], Any] | None:
    """The compiled mix of a label's two key words into one 64-bit hash (splitmix64's
    finaliser, so that every bit of the text moves the result: the bytes of labels such as
    "p0012345" vary little), shared by the hash tables that code labels; ``None`` without
    numba."""
    jit = numba_jit()
    if jit is None:
        return None

    @jit
    def mix(a: Any, b: Any) -> Any:  # pragma: no cover - compiled
        x = (a * np.uint64(0x9E3779B97F4A7C15)) ^ b
        x ^= x >> np.uint64(32)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(29)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(32)
        return x

    return mix


@functools.cache
def coding_kernel() -> tuple[Kernel, Any] | None:
    """The compiled coder and its rehash, or ``None`` without numba (the ``fast`` extra)."""
    jit = numba_jit()
    if jit is None:
        return None

    mix = label_mixer()
    if mix is None:  # pragma: no cover - numba is there (jit is)
        return None

    @jit
    def slot_of(a: Any, b: Any, mask: Any) -> Any:  # pragma: no cover - compiled
        return np.int64(mix(a, b) & mask)

    @jit
    def code_block(keys: Any, start: int, codes: Any, offset: int, slots: Any,
                   distinct: Any, first: Any, count: int) -> Any:  # pragma: no cover
        # open addressing, linear probing; stops (returning the row) when half full.  A
        # cell equal to the one before takes its code without a look-up (files in order
        # repeat each label for a run of rows)
        mask = np.uint64(slots.shape[0] - 1)
        wrap = slots.shape[0] - 1
        limit = distinct.shape[0]
        k = count
        last = -1
        for i in range(start, keys.shape[0]):
            a = keys[i, 0]
            b = keys[i, 1]
            if last >= 0 and a == keys[i - 1, 0] and b == keys[i - 1, 1]:
                codes[i] = last
                continue
            at = slot_of(a, b, mask)
            while True:  # the slots hold codes; the keys are compared where the codes are
                c = slots[at]
                if c < 0 or (distinct[c, 0] == a and distinct[c, 1] == b):
                    break
                at = (at + 1) & wrap
            if c < 0:
                if k == limit:
                    return i, k
                c = k
                k += 1
                slots[at] = c
                distinct[c, 0] = a
                distinct[c, 1] = b
                first[c] = offset + i
            codes[i] = c
            last = c
        return keys.shape[0], k

    @jit
    def rehash(distinct: Any, count: int, slots: Any) -> None:  # pragma: no cover
        mask = np.uint64(slots.shape[0] - 1)
        wrap = slots.shape[0] - 1
        for c in range(count):
            a = distinct[c, 0]
            b = distinct[c, 1]
            at = slot_of(a, b, mask)
            while slots[at] >= 0:
                at = (at + 1) & wrap
            slots[at] = c

    return code_block, rehash
