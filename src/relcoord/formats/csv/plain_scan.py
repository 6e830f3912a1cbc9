"""A plain long file scanned by compiled passes: labels coded and answers read from the bytes.

The streamed read ([`streamed_long`][relcoord.formats.csv.streamed_long]) lets polars parse
the file and then codes the label cells polars made.  For the plainest files (ASCII,
no quotes, no carriage return, labels of at most 12 bytes, answers written as plain decimal
numbers) the cells polars would make are known from the bytes alone, so a compiled scan
reads them straight from the mapped file: each record's label cells are coded by one hash
table (keyed, as [`hashed_labels`][relcoord.formats.csv.hashed_labels] keys them, by the
16-byte view of the text: exact, no hash trusted), its answer parsed as a number, every
other cell skipped.  The file is cut at line breaks into one part per thread; each part
has its own table, and the codes of the later parts are mapped to those of the first
(codes stay numbered in order of first appearance in the file).  The scan also checks
what the streamed read's byte checks and polars' parse check: every record as wide as the
header, no NUL byte, no byte beyond ASCII, no quote, no cell longer than the limit.

[`scan_plain`][relcoord.formats.csv.plain_scan.scan_plain] gives what the streamed read's
batches give (each label field's codes, each row's answer, ``NaN`` when empty), or ``None``
at the first thing it does not take: then the streamed read parses the file with polars as
before (and, at any problem, the general path reads it and reports).  It takes only what
polars reads in exactly one way:

* an answer is empty or ``-``, then 1 to 15 digits, then optionally ``.`` and 1 to 15
  digits (at most 15 digits in all), read as ``m / 10**k``, which is the correctly
  rounded value (``m`` and ``10**k`` are exact doubles), as polars' parser gives it;
* a label is any run of ASCII bytes other than the delimiter, a quote, a line break or a
  NUL byte, of at most 12 bytes (polars keeps it as is, spaces included).

Needs numba (the ``fast`` extra).
"""

from __future__ import annotations

import functools
import itertools
import mmap
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from relcoord.formats.csv.hashed_labels import INLINE_BYTES, LabelCodes, label_mixer
from relcoord.optional_dependencies import numba_jit

__all__ = ["scan_plain"]

#: Files below this size are scanned in one part (a second thread would not pay).
TWO_PARTS_FROM: Final = 1 << 24
#: Bytes scanned before their pages are let go.
_SEGMENT: Final = 1 << 26
#: How the scan lets go of the pages it has read (``None`` where mmap cannot).
_LET_GO: Final = getattr(mmap, "MADV_DONTNEED", None)
#: Slots of a part's first hash table (it grows fourfold when half full; half of it
#: holds a block of every field's labels).
_FIRST_SLOTS: Final = 1 << 13
#: What a column is to the scan: skipped, or the answer (label fields are ``0, 1, ...``).
_SKIP: Final = -1
_VALUE: Final = -2
#: Records read before their labels are coded (the look-ups of a block overlap).
_BLOCK: Final = 256
#: Entries of the scan's direct-mapped cache per field (a power of two).
_NEAR: Final = 128  # the top 7 bits of a key's mix
#: A key's first word: the text's length (bits 0-3), its field (bits 4-6), the text's
#: first bytes (bits 32-63); in a slot of the table also its code + 1 (bits 7-31).
_CODE_BITS: Final = (1 << 25) - 1
#: The most codes of one field (more: the streamed read parses the file).
_MOST_CODES: Final = _CODE_BITS - 1
#: What the kernel returns: the part is done, its table is half full, or it is refused.
_DONE, _FULL, _REFUSED = 0, 1, 2


class _Part:
    """One part of the file (``start .. end``, whole lines) and the state of its scan."""

    def __init__(self, start: int, end: int, fields: int, width: int) -> None:
        self.start, self.end = start, end
        # no record is shorter than its delimiters and line break: a bound on the rows,
        # in address space only (a page is used once written)
        capacity = (end - start + 1) // width + 1
        self.codes = np.empty((fields, capacity), dtype=np.int32)
        self.numbers = np.empty(capacity)
        self.rows = 0
        self.slots = np.zeros((_FIRST_SLOTS, 2), dtype=np.uint64)
        self.keys = np.zeros((_FIRST_SLOTS // 2, 2), dtype=np.uint64)
        self.local = np.zeros(_FIRST_SLOTS // 2, dtype=np.int32)
        self.first = np.zeros(_FIRST_SLOTS // 2, dtype=np.int64)
        self.entries = 0
        self.counts = np.zeros(fields, dtype=np.int32)

    def grow(self, rehash: Any) -> None:
        """Four times the slots, the entries kept."""
        k = self.entries
        slots = len(self.slots) * 4
        keys = np.zeros((slots // 2, 2), dtype=np.uint64)
        local = np.zeros(slots // 2, dtype=np.int32)
        first = np.zeros(slots // 2, dtype=np.int64)
        keys[:k], local[:k], first[:k] = self.keys[:k], self.local[:k], self.first[:k]
        self.slots = np.zeros((slots, 2), dtype=np.uint64)
        self.keys, self.local, self.first = keys, local, first
        rehash(self.keys, self.local, k, self.slots)

    def scan(self, mapped: mmap.mmap, data: npt.NDArray[np.uint8],
             kinds: npt.NDArray[np.int64], classes: npt.NDArray[np.uint8], sep: int,
             max_cell_bytes: int, kernels: tuple[Any, Any, Any]) -> bool:
        """Scan the part to its end, a segment of whole lines at a time, each segment's
        pages let go once scanned (the page cache keeps them, this process need not);
        ``False`` when it is refused."""
        scan, rehash, _ = kernels
        position = self.start
        while position < self.end:
            begun = position
            stop = self.end
            if self.end - position > _SEGMENT:
                cut = mapped.find(b"\n", position + _SEGMENT, self.end)
                stop = self.end if cut < 0 else cut + 1
            while position < stop:
                position, self.rows, self.entries, status = scan(
                    data, position, stop, kinds, classes, sep, max_cell_bytes,
                    min(max_cell_bytes, INLINE_BYTES), self.codes, self.numbers, self.rows,
                    self.slots, self.keys, self.local, self.first, self.entries,
                    self.counts)
                if status == _REFUSED:
                    return False
                if status == _FULL:
                    self.grow(rehash)
            if _LET_GO is not None:
                page = begun - begun % mmap.PAGESIZE
                mapped.madvise(_LET_GO, page, position - page)
        return True

    def texts(self, fields: int) -> list[list[str]]:
        """Each field's texts, by code."""
        out: list[list[str]] = [[""] * int(c) for c in self.counts]
        k = self.entries
        raw = self.keys[:k].tobytes()
        head = self.keys[:k, 0].tolist()
        for e, (word, code) in enumerate(zip(head, self.local[:k].tolist(), strict=True)):
            size, field = word & 0xF, (word >> 4) & 0x7
            out[field][code] = raw[16 * e + 4:16 * e + 4 + size].decode("ascii")
        return out[:fields]

    def first_rows(self, fields: int) -> list[npt.NDArray[np.int64]]:
        """Each field's first row (in the part) of each code."""
        k = self.entries
        field = (self.keys[:k, 0] >> np.uint64(4)) & np.uint64(0x7)
        out = []
        for f in range(fields):
            rows = np.empty(int(self.counts[f]), dtype=np.int64)
            mine = field == f
            rows[self.local[:k][mine]] = self.first[:k][mine]
            out.append(rows)
        return out


def _part_count(size: int) -> int:
    """How many parts (threads) scan ``size`` bytes."""
    return 2 if size > TWO_PARTS_FROM else 1


def _parts(data: mmap.mmap, start: int, count: int) -> list[tuple[int, int]]:
    """``data[start:]`` cut into ``count`` parts of whole lines (fewer when short)."""
    end = len(data)
    cuts = [start]
    for i in range(1, count):
        at = data.find(b"\n", start + (end - start) * i // count)
        if at < 0 or at + 1 >= end or at + 1 <= cuts[-1]:
            break
        cuts.append(at + 1)
    cuts.append(end)
    return list(itertools.pairwise(cuts))


def scan_plain(data: mmap.mmap, sep: str, header: Sequence[str], pos: Mapping[str, int],
               label_fields: Sequence[str], max_cell_bytes: int
               ) -> tuple[dict[str, LabelCodes], npt.NDArray[np.float64]] | None:
    """The label codes and answers of the mapped long file ``data`` (see the module
    docstring), or ``None`` when it is not plain (then nothing has been noted).

    ``header`` is the file's header (its first line), ``pos`` the column of each field
    (``value`` the answers), ``label_fields`` the fields coded (those of them in ``pos``).
    """
    kernels = _kernels()
    if kernels is None or len(sep) != 1 or not sep.isascii() or sep in '"\r\n\x00':
        return None
    line = data.find(b"\n")
    head = data[:line if line >= 0 else len(data)]
    if line < 0 or not head.isascii() or any(b in head for b in b'"\r\x00'):
        return None  # a header the scan does not take: the streamed read decides
    fields = [f for f in label_fields if f in pos]
    if len(fields) > 7:  # a key has three bits for its field
        return None
    width = len(header)
    kinds = np.full(width, _SKIP, dtype=np.int64)
    for f, field in enumerate(fields):
        kinds[pos[field]] = f
    if kinds[pos["value"]] != _SKIP:
        return None
    kinds[pos["value"]] = _VALUE
    classes = np.zeros(256, dtype=np.uint8)  # 1: a cell ends; 2: the scan stops
    classes[[0, ord('"'), ord("\r")]] = 2
    classes[128:] = 2
    classes[[ord(sep), ord("\n")]] = 1
    view = np.frombuffer(data, dtype=np.uint8)
    parts = [_Part(a, b, len(fields), width)
             for a, b in _parts(data, line + 1, _part_count(len(data) - line))]

    def scan(part: _Part) -> bool:
        return part.scan(data, view, kinds, classes, ord(sep), max_cell_bytes, kernels)

    with ThreadPoolExecutor(len(parts)) as pool:
        scanned = list(pool.map(scan, parts))
    return _joined(parts, fields, kernels) if all(scanned) else None


def _joined(parts: list[_Part], fields: Sequence[str], kernels: tuple[Any, Any, Any]
            ) -> tuple[dict[str, LabelCodes], npt.NDArray[np.float64]] | None:
    """The parts' codes as those of one table over the whole file (the first part's codes,
    the later parts' mapped to them), and their answers, in file order."""
    total = sum(p.rows for p in parts)
    if not total:
        return None
    lead = parts[0]
    k = len(fields)
    texts, firsts = lead.texts(k), lead.first_rows(k)
    codes, numbers = lead.codes, lead.numbers
    if len(parts) > 1 and lead.codes.shape[1] < total:  # room for all rows
        codes = np.empty((k, total), dtype=np.int32)
        codes[:, :lead.rows] = lead.codes[:, :lead.rows]
        numbers = np.empty(total)
        numbers[:lead.rows] = lead.numbers[:lead.rows]
    _, _, remap = kernels
    offset = lead.rows
    for part in parts[1:]:
        part_texts, part_firsts = part.texts(k), part.first_rows(k)
        for f in range(k):
            index = {t: c for c, t in enumerate(texts[f])}
            mapping = np.empty(len(part_texts[f]), dtype=np.int32)
            new = []
            for c, text in enumerate(part_texts[f]):
                known = index.get(text)
                if known is None:
                    known = len(texts[f])
                    texts[f].append(text)
                    new.append(c)
                mapping[c] = known
            firsts[f] = np.concatenate([firsts[f], part_firsts[f][new] + offset])
            remap(part.codes[f, :part.rows], mapping, codes[f, offset:offset + part.rows])
        numbers[offset:offset + part.rows] = part.numbers[:part.rows]
        offset += part.rows
    return ({field: LabelCodes(codes[f, :total], firsts[f], texts[f])
             for f, field in enumerate(fields)}, numbers[:total])


#: Exact powers of ten, ``10**0 .. 10**15``.
_POWERS: Final = np.array([10.0 ** k for k in range(16)])


@functools.cache
def _kernels() -> tuple[Any, Any, Any] | None:
    """The compiled scan, its rehash and the mapping of a part's codes, or ``None``
    without numba (the ``fast`` extra)."""
    jit = numba_jit()
    if jit is None:
        return None
    powers = _POWERS

    mix = label_mixer()  # the words mixed as hashed_labels mixes them
    if mix is None:  # pragma: no cover - numba is there (jit is)
        return None

    @jit
    def scan(data: Any, position: int, end: int, kinds: Any, classes: Any, sep: int,
             max_cell: int, longest: int, codes: Any, numbers: Any, rows: int, slots: Any,
             keys: Any, local: Any, first: Any, entries: int,
             counts: Any) -> Any:  # pragma: no cover - compiled
        # a block of records at a time from a line start: first their cells are read
        # (labels as keys), then each field's keys are coded, one field after another, so
        # that the look-ups of a block, independent of each other, overlap in the
        # processor (a shuffled file's respondents miss the cache).  Returns where it
        # stopped, the rows and entries so far, and _DONE, _FULL (before a block, when the
        # table could not take a block's labels) or _REFUSED
        width = kinds.shape[0]
        fields = counts.shape[0]
        limit = keys.shape[0]
        mask = np.uint64(slots.shape[0] - 1)
        wrap = slots.shape[0] - 1
        key_bits = ~(np.uint64(_CODE_BITS) << np.uint64(7))
        block_a = np.empty((fields, _BLOCK), dtype=np.uint64)
        block_b = np.empty((fields, _BLOCK), dtype=np.uint64)
        mixes = np.empty(_BLOCK, dtype=np.uint64)
        probes = np.zeros(fields, dtype=np.int64)  # look-ups in the table, last block
        sink = np.zeros(1, dtype=np.uint64)
        last_a = np.zeros(fields, dtype=np.uint64)
        last_b = np.zeros(fields, dtype=np.uint64)
        last_code = np.full(fields, -1, dtype=np.int32)
        # a small direct-mapped cache per field in front of the table: the labels of the
        # small fields (roles, items, waves) are found there, in the first-level cache
        near_a = np.zeros((fields, _NEAR), dtype=np.uint64)
        near_b = np.zeros((fields, _NEAR), dtype=np.uint64)
        near_code = np.full((fields, _NEAR), -1, dtype=np.int32)
        while position < end:
            if entries + fields * _BLOCK > limit:
                return position, rows, entries, 1
            n = 0
            while n < _BLOCK and position < end:
                for column in range(width):
                    kind = kinds[column]
                    if kind >= 0:  # a label: its view, the field in the length word
                        a = np.uint64(0)
                        b = np.uint64(0)
                        size = 0
                        while position < end:
                            c = data[position]
                            kind_of_byte = classes[c]
                            if kind_of_byte == 1:  # the delimiter or a line break
                                break
                            if kind_of_byte == 2 or size == longest:
                                return position, rows, entries, 2
                            if size < 4:
                                a |= np.uint64(c) << np.uint64(32 + 8 * size)
                            else:
                                b |= np.uint64(c) << np.uint64(8 * (size - 4))
                            size += 1
                            position += 1
                        block_a[kind, n] = a | np.uint64(size) | (np.uint64(kind) << np.uint64(4))
                        block_b[kind, n] = b
                    elif kind == -2:  # the answer: empty, or -digits[.digits]
                        value = np.nan
                        if position < end and classes[data[position]] != 1:
                            negative = data[position] == 45
                            if negative:
                                position += 1
                            m = np.int64(0)
                            digits = 0
                            decimals = 0
                            point = False
                            while position < end:
                                c = data[position]
                                if classes[c] == 1:
                                    break
                                if c == 46 and not point and digits > 0:
                                    point = True
                                elif 48 <= c <= 57 and digits < 15:
                                    m = m * 10 + (c - 48)
                                    digits += 1
                                    if point:
                                        decimals += 1
                                else:
                                    return position, rows, entries, 2
                                position += 1
                            if digits == 0 or (point and decimals == 0):
                                return position, rows, entries, 2
                            value = np.float64(m) / powers[decimals]
                            if negative:
                                value = -value
                        numbers[rows + n] = value
                    else:  # a column the import does not read: checked, skipped
                        size = 0
                        while position < end:
                            kind_of_byte = classes[data[position]]
                            if kind_of_byte == 1:
                                break
                            if kind_of_byte == 2 or size == max_cell:
                                return position, rows, entries, 2
                            size += 1
                            position += 1
                    if column < width - 1:  # a delimiter must follow
                        if position >= end or data[position] != sep:
                            return position, rows, entries, 2
                        position += 1
                    elif position < end:  # the record ends at a line break or the end
                        if data[position] != 10:
                            return position, rows, entries, 2
                        position += 1
                n += 1
            for kind in range(fields):
                if probes[kind] * 4 > n:  # most labels miss the caches: each key's slot
                    touched = np.uint64(0)  # is loaded first, all independent loads
                    for j in range(n):
                        mixes[j] = mix(block_a[kind, j], block_b[kind, j])
                        touched ^= slots[np.int64(mixes[j] & mask), 0]
                    sink[0] ^= touched
                else:
                    for j in range(n):
                        mixes[j] = mix(block_a[kind, j], block_b[kind, j])
                probes[kind] = 0
                for j in range(n):
                    a = block_a[kind, j]
                    b = block_b[kind, j]
                    if last_code[kind] >= 0 and a == last_a[kind] and b == last_b[kind]:
                        codes[kind, rows + j] = last_code[kind]
                        continue
                    mixed = mixes[j]
                    near = np.int64(mixed >> np.uint64(57))  # 0 .. _NEAR - 1
                    code = near_code[kind, near]
                    if code < 0 or near_a[kind, near] != a or near_b[kind, near] != b:
                        probes[kind] += 1
                        at = np.int64(mixed & mask)
                        while True:  # a slot holds the key and its code: one load
                            word = slots[at, 0]
                            if word == 0 or ((word & key_bits) == a and slots[at, 1] == b):
                                break
                            at = (at + 1) & wrap
                        if word == 0:
                            if counts[kind] == _MOST_CODES:
                                return position, rows, entries, 2
                            code = counts[kind]
                            counts[kind] += 1
                            slots[at, 0] = a | (np.uint64(code + 1) << np.uint64(7))
                            slots[at, 1] = b
                            keys[entries, 0] = a
                            keys[entries, 1] = b
                            local[entries] = code
                            first[entries] = rows + j
                            entries += 1
                        else:
                            code = np.int32((word >> np.uint64(7)) & _CODE_BITS) - 1
                        near_a[kind, near] = a
                        near_b[kind, near] = b
                        near_code[kind, near] = code
                    last_a[kind] = a
                    last_b[kind] = b
                    last_code[kind] = code
                    codes[kind, rows + j] = code
            rows += n
        return position, rows, entries, 0

    @jit
    def rehash(keys: Any, local: Any, count: int, slots: Any) -> None:  # pragma: no cover
        mask = np.uint64(slots.shape[0] - 1)
        wrap = slots.shape[0] - 1
        for e in range(count):
            at = np.int64(mix(keys[e, 0], keys[e, 1]) & mask)
            while slots[at, 0] != 0:
                at = (at + 1) & wrap
            slots[at, 0] = keys[e, 0] | (np.uint64(local[e] + 1) << np.uint64(7))
            slots[at, 1] = keys[e, 1]

    @jit
    def remap(codes: Any, mapping: Any, out: Any) -> None:  # pragma: no cover - compiled
        for i in range(codes.shape[0]):
            out[i] = mapping[codes[i]]

    return scan, rehash, remap

