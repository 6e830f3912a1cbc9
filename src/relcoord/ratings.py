"""The columnar rating store behind `Study.ratings`.

A study can hold millions of ratings, so they are kept as numpy arrays rather than Python
objects: integer codes for respondent, source role, target role and wave (``-1`` for "none")
into small label tuples, and one ``float64`` column of *scored* values per dimension
(``NaN`` = missing).  Build a store from records
([`Ratings.from_records`][relcoord.ratings.Ratings.from_records]), from arrays of codes
([`Ratings.from_arrays`][relcoord.ratings.Ratings.from_arrays]), from arrays of labels
([`Ratings.from_labels`][relcoord.ratings.Ratings.from_labels]) or from a pandas or polars DataFrame
([`Ratings.from_frame`][relcoord.ratings.Ratings.from_frame]); iterate it to get
[`Rating`][relcoord.ratings.Rating] value objects, or take it whole as a table
([`Ratings.table`][relcoord.ratings.Ratings.table]) or a DataFrame
([`Ratings.to_frame`][relcoord.ratings.Ratings.to_frame], which
[`Ratings.from_frame`][relcoord.ratings.Ratings.from_frame] reads back to an equal store).  Arrays
are read-only, so a store never changes after it is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.row_blocks import in_row_blocks
from relcoord.tables import FrameBackend, Table, TableColumn

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl

__all__ = ["Codes", "Rating", "Ratings", "Scores"]

Codes = npt.NDArray[np.int32]
Scores = npt.NDArray[np.float64]


def _scores(value: Mapping[str, float | None]) -> Mapping[str, float | None]:
    return MappingProxyType(
        {str(k): (None if v is None or v != v else float(v)) for k, v in value.items()}
    )


@attrs.frozen(kw_only=True, hash=False)
class Rating:
    """One respondent's (or one workshop group's) scores for the tie ``source -> target``.

    ``scores`` maps dimension keys to scored values (higher is better); ``None`` or an
    absent key is a missing item ("don't know" is missing, not low).
    """

    source: str
    target: str
    scores: Mapping[str, float | None] = attrs.field(converter=_scores)
    respondent: str | None = None
    wave: str | None = None


def _handed_over(array: Any, dtype: type[Any]) -> bool:
    """Whether the caller's ``array`` can become the store's own without a copy.

    It must already be what the store keeps (of ``dtype``, C-contiguous) and read-only, and
    nothing that can write may hold its memory: every array it is a view of is read-only
    too, and the memory at the bottom is the array's own, a ``bytes`` object or a read-only
    buffer (a file mapped for reading).  A read-only view of a writeable array is copied,
    since whoever holds the writeable one could change the store's ratings.
    """
    if not (isinstance(array, np.ndarray) and array.dtype == dtype
            and array.flags.c_contiguous and not array.flags.writeable):
        return False
    base: object = array.base
    while isinstance(base, np.ndarray):
        if base.flags.writeable:
            return False
        base = base.base
    if base is None or isinstance(base, bytes):
        return True
    try:  # a file mapped for reading is kept, a bytearray is not
        return memoryview(base).readonly  # type: ignore[arg-type]  # any buffer will do
    except TypeError:  # not a buffer: keep nothing we cannot vouch for
        return False


def _frozen(array: npt.ArrayLike, dtype: type[Any]) -> Any:
    """``array`` as a read-only, C-contiguous array of ``dtype``: the caller's own when it is
    handed over (see `_handed_over`), else one copy, made read-only (the caller's
    array keeps its flags)."""
    if _handed_over(array, dtype):
        return array
    out = np.array(array, dtype=dtype, order="C", copy=True)
    out.setflags(write=False)
    return out


def _labels(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(map(str, values))  # a C loop: a store may have 100,000s of respondents


def _check_codes(name: str, codes: npt.NDArray[Any], size: int, *, optional: bool) -> None:
    """Refuse codes that are not integers or lie outside their vocabulary, naming the code
    and the first row that holds it."""
    if codes.ndim != 1:
        raise ValueError(f"{name} codes must be one-dimensional, got shape {codes.shape}")
    if codes.dtype.kind not in "iu":
        raise ValueError(f"{name} codes must be integers, got dtype {codes.dtype} "
                         "(Ratings.from_arrays converts and checks them)")
    if not len(codes):
        return
    low, high = int(codes.min()), int(codes.max())
    if high >= size or low < (-1 if optional else 0):
        allowed = f"-1..{size - 1}" if optional else f"0..{size - 1}"
        bad = low if low < (-1 if optional else 0) else high
        row = int(np.flatnonzero(codes == bad)[0])
        raise ValueError(f"{name} code {bad} is outside {allowed} (row {row})")


def _codes(name: str, values: npt.ArrayLike, size: int, *, optional: bool) -> Codes:
    """``values`` as read-only ``int32`` codes, checked before they are cast: a NaN, a
    fraction or a code outside ``0..size-1`` (``-1..`` when ``optional``) is refused with
    its row, never truncated or wrapped into another code."""
    array = np.asarray(values)
    if array.dtype.kind not in "iuf":  # booleans, strings, objects: not codes
        if array.size:
            raise ValueError(f"{name} codes must be integers, got dtype {array.dtype}")
        array = array.astype(np.int32)
    if array.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(array) | (array != np.floor(array)))
        if len(bad):
            row = int(bad[0])
            value = float(array[row])
            raise ValueError(f"{name} code {value!r} at row {row} is not an integer")
    if array.ndim == 1 and len(array) and array.dtype != np.int32:
        # checked before the cast to int32 can wrap a code into another; int32 codes are
        # checked once, by the store itself
        wide = array.astype(np.int64) if array.dtype.kind == "f" else array
        _check_codes(name, wide, size, optional=optional)
    return _frozen(array, np.int32)  # type: ignore[no-any-return]


@attrs.frozen(kw_only=True, eq=False)
class Ratings:
    """Ratings as columns.  Prefer the ``from_*`` constructors to calling this directly.

    ``source``/``target`` index `roles`; ``respondent`` indexes
    `respondents` and ``wave`` indexes
    `waves`, both ``-1`` for none; ``scores[:, j]`` holds the
    scored values of dimension ``dimensions[j]``.
    """

    dimensions: tuple[str, ...] = attrs.field(converter=_labels)
    roles: tuple[str, ...] = attrs.field(converter=_labels)
    respondents: tuple[str, ...] = attrs.field(converter=_labels)
    waves: tuple[str, ...] = attrs.field(converter=_labels)
    source: Codes
    target: Codes
    respondent: Codes
    wave: Codes
    scores: Scores

    def __getstate__(self) -> dict[str, Any]:
        return {field.name: getattr(self, field.name) for field in attrs.fields(Ratings)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickled arrays come back writeable (``pickle`` makes fresh ones); the store's
        promise is that its arrays are read-only, so they are made so again.  No check runs:
        the pickled store was checked when it was made."""
        for name, value in state.items():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            object.__setattr__(self, name, value)

    def __attrs_post_init__(self) -> None:
        n = len(self.source)
        for name in ("target", "respondent", "wave"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} has {len(getattr(self, name))} codes, source has {n}")
        if self.scores.dtype != np.float64:
            raise ValueError(f"scores must be float64, got dtype {self.scores.dtype} "
                             "(Ratings.from_arrays converts them)")
        if self.scores.shape != (n, len(self.dimensions)):
            raise ValueError(
                f"scores has shape {self.scores.shape}, expected ({n}, {len(self.dimensions)})"
            )
        if len(set(self.dimensions)) != len(self.dimensions):
            raise ValueError(f"a dimension is listed twice in {self.dimensions}")
        _check_codes("source", self.source, len(self.roles), optional=False)
        _check_codes("target", self.target, len(self.roles), optional=False)
        _check_codes("respondent", self.respondent, len(self.respondents), optional=True)
        _check_codes("wave", self.wave, len(self.waves), optional=True)

    # --- construction --------------------------------------------------------------------

    @classmethod
    def empty(cls, dimensions: Sequence[str] = ()) -> Ratings:
        """A store without ratings."""
        none = np.empty(0, dtype=np.int32)
        return cls.from_arrays(
            source=none, target=none, scores=np.empty((0, len(dimensions))),
            dimensions=dimensions, roles=(),
        )

    @classmethod
    def from_arrays(
        cls,
        *,
        source: npt.ArrayLike,
        target: npt.ArrayLike,
        scores: npt.ArrayLike | Mapping[str, npt.ArrayLike],
        dimensions: Sequence[str],
        roles: Sequence[str],
        respondent: npt.ArrayLike | None = None,
        respondents: Sequence[str] = (),
        wave: npt.ArrayLike | None = None,
        waves: Sequence[str] = (),
    ) -> Ratings:
        """Build a store from integer codes (each array checked, copied at most once, and
        read-only in the store).

        A writeable array is copied, so that the caller's later changes cannot reach the
        store, and the copy is made read-only; the caller's array keeps its flags.  An array
        that is already what the store keeps (``int32`` codes, ``float64`` scores,
        C-contiguous) and read-only is *handed over*: the store shares its memory and makes no
        copy.  So a caller that builds large arrays saves the copy by calling
        ``array.setflags(write=False)`` first, and promises by that not to make them
        writeable again.  A read-only view of a writeable array is copied all the same.
        Other types (``int64`` or float codes, ``float32`` scores) and other layouts (a
        column slice, Fortran order) are converted in the one copy; codes are checked before
        they are cast, so that a NaN, a fraction or a code out of range is refused with its
        row, whatever the type or layout it came in.

        Args:
            source: ``(n,)`` codes into ``roles`` of the rater role of each rating.
            target: ``(n,)`` codes into ``roles`` of the rated role.
            scores: ``(n, len(dimensions))`` scored values, ``NaN`` for missing; or a
                mapping from dimension key to an ``(n,)`` column.
            dimensions: dimension keys, one per score column.
            roles: role ids the source and target codes index.
            respondent: ``(n,)`` codes into ``respondents``, ``-1`` for none (default: none).
            respondents: respondent ids.
            wave: ``(n,)`` codes into ``waves``, ``-1`` for none (default: none).
            waves: wave names.
        """
        src = _codes("source", source, len(roles), optional=False)
        n = len(src)
        if isinstance(scores, Mapping):
            matrix = np.empty((n, len(dimensions)))
            for j, key in enumerate(dimensions):
                matrix[:, j] = scores[key]
            matrix.setflags(write=False)
        else:
            matrix = _frozen(scores, np.float64)
            if matrix.ndim == 1 and len(dimensions) == 1:
                matrix = matrix.reshape(-1, 1)
        none = np.empty(0, dtype=np.int32)
        if respondent is None or wave is None:  # no respondents or no waves: -1 everywhere
            none = np.full(n, -1, dtype=np.int32)
            none.setflags(write=False)
        return cls(
            dimensions=dimensions,
            roles=roles,
            respondents=respondents,
            waves=waves,
            source=src,
            target=_codes("target", target, len(roles), optional=False),
            respondent=none if respondent is None else _codes(
                "respondent", respondent, len(respondents), optional=True),
            wave=none if wave is None else _codes("wave", wave, len(waves), optional=True),
            scores=matrix,
        )

    @classmethod
    def from_labels(
        cls,
        *,
        source: npt.ArrayLike,
        target: npt.ArrayLike,
        scores: npt.ArrayLike | Mapping[str, npt.ArrayLike],
        dimensions: Sequence[str],
        respondent: Sequence[str | None] | npt.ArrayLike | None = None,
        wave: Sequence[str | None] | npt.ArrayLike | None = None,
    ) -> Ratings:
        """Build a store from arrays of labels (role ids, respondent ids, wave names).

        ``None`` (or ``NaN``) in ``respondent`` or ``wave`` means none.  Labels are encoded
        as `numpy.unique` encodes them (a sorted vocabulary): lists of texts through a
        dict, in one linear pass, anything else with `numpy.unique` itself.
        """
        found = (_encode_texts(source + target)
                 if isinstance(source, list) and isinstance(target, list) else None)
        codes: npt.NDArray[np.integer[Any]]
        if found is not None:
            role_list, codes = found
        else:
            role_ids, codes = np.unique(
                np.concatenate([np.asarray(source, dtype=str), np.asarray(target, dtype=str)]),
                return_inverse=True,
            )
            role_list = role_ids.tolist()
        n = len(codes) // 2
        people, person_codes = _encode_optional(respondent, n)
        wave_names, wave_codes = _encode_optional(wave, n)
        return cls.from_arrays(
            source=codes[:n], target=codes[n:], scores=scores, dimensions=dimensions,
            roles=role_list, respondent=person_codes, respondents=people,
            wave=wave_codes, waves=wave_names,
        )

    @classmethod
    def from_records(
        cls,
        records: Iterable[Rating | Mapping[str, Any]],
        *,
        dimensions: Sequence[str] | None = None,
    ) -> Ratings:
        """Build a store from [`Rating`][relcoord.ratings.Rating] objects or mappings with the same
        fields.

        ``dimensions`` fixes the score columns; by default they are the keys met, in the
        order met.
        """
        rows = [r if isinstance(r, Rating) else Rating(**r) for r in records]
        if dimensions is None:
            dimensions = list(dict.fromkeys(k for r in rows for k in r.scores))
        column = {key: j for j, key in enumerate(dimensions)}
        matrix = np.full((len(rows), len(dimensions)), np.nan)
        for i, r in enumerate(rows):
            for key, value in r.scores.items():
                if key not in column:
                    raise ValueError(f"rating {i} has a score for unknown dimension {key!r}")
                if value is not None:
                    matrix[i, column[key]] = value
        return cls.from_labels(
            source=[r.source for r in rows], target=[r.target for r in rows], scores=matrix,
            dimensions=dimensions,
            respondent=[r.respondent for r in rows], wave=[r.wave for r in rows],
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame | pl.DataFrame,
        *,
        dimensions: Sequence[str],
        source: str = "source",
        target: str = "target",
        respondent: str | None = "respondent",
        wave: str | None = "wave",
    ) -> Ratings:
        """Build a store from a pandas or polars DataFrame with one row per rating.

        ``dimensions`` name the score columns (a missing score is ``NaN``, ``<NA>`` or
        null); the other arguments name the columns that hold the rater role, target role,
        respondent and wave (``None`` or a column that is absent: no such column; a missing
        respondent or wave is ``None``, ``NaN``, ``<NA>`` or null).  The frame of
        [`to_frame`][relcoord.ratings.Ratings.to_frame] gives back an equal store.
        """
        polars = type(frame).__module__.split(".")[0] == "polars"

        def series(name: str) -> Any:
            return frame[name]  # a Series in both libraries

        def labels(name: str) -> Any:
            column = series(name)
            missing = (column.is_null() if polars else column.isna()).to_numpy()
            values = column.to_numpy().astype(object)
            values[missing] = None
            return values

        def optional(name: str | None) -> Any:
            if name is None or name not in frame.columns:
                return None
            return labels(name)

        def numbers(name: str) -> Any:
            column = series(name)
            if polars:
                return column.to_numpy().astype(np.float64)
            return column.to_numpy(dtype=np.float64, na_value=np.nan)

        n = len(frame)
        scores = np.empty((n, len(dimensions)), dtype=np.float64)
        for j, key in enumerate(dimensions):
            scores[:, j] = numbers(key)
        return cls.from_labels(
            source=labels(source).astype(str), target=labels(target).astype(str),
            scores=scores, dimensions=dimensions, respondent=optional(respondent),
            wave=optional(wave),
        )

    @classmethod
    def coerce(cls, value: Ratings | Iterable[Rating | Mapping[str, Any]] | None) -> Ratings:
        """A store from a store, an iterable of ratings or ``None`` (empty)."""
        if isinstance(value, Ratings):
            return value
        if value is None:
            return cls.empty()
        return cls.from_records(value)

    @classmethod
    def concat(cls, stores: Sequence[Ratings]) -> Ratings:
        """All ratings of ``stores`` in one store, their vocabularies merged."""
        dims = list(dict.fromkeys(d for s in stores for d in s.dimensions))
        roles = sorted({r for s in stores for r in s.roles})
        people = sorted({p for s in stores for p in s.respondents})
        waves = sorted({w for s in stores for w in s.waves})
        parts = [s.recode(roles=roles, respondents=people, dimensions=dims, waves=waves)
                 for s in stores]
        return cls.from_arrays(
            source=np.concatenate([p.source for p in parts]),
            target=np.concatenate([p.target for p in parts]),
            respondent=np.concatenate([p.respondent for p in parts]),
            wave=np.concatenate([p.wave for p in parts]),
            scores=np.concatenate([p.scores for p in parts]).reshape(-1, len(dims)),
            dimensions=dims, roles=roles, respondents=people, waves=waves,
        )

    # --- views and transformations -------------------------------------------------------

    def __len__(self) -> int:
        return len(self.source)

    def __iter__(self) -> Iterator[Rating]:
        for i in range(len(self)):
            yield self[i]

    def __getitem__(self, index: int) -> Rating:
        person = int(self.respondent[index])
        wave = int(self.wave[index])
        return Rating(
            source=self.roles[self.source[index]],
            target=self.roles[self.target[index]],
            respondent=None if person < 0 else self.respondents[person],
            wave=None if wave < 0 else self.waves[wave],
            scores={k: float(v) if v == v else None
                    for k, v in zip(self.dimensions, self.scores[index], strict=True)},
        )

    def table(self) -> Table:
        """The ratings as a table ``ratings``, one row per rating: ``source``, ``target``,
        ``respondent`` and ``wave`` (text, missing for none), then one ``number`` column
        per dimension (``NaN`` for a missing item), named by its key."""
        return Table("ratings", (
            TableColumn("source", "text", _decode(self.roles, self.source).tolist()),
            TableColumn("target", "text", _decode(self.roles, self.target).tolist()),
            TableColumn("respondent", "text", _labels_or_none(self.respondents,
                                                              self.respondent)),
            TableColumn("wave", "text", _labels_or_none(self.waves, self.wave)),
            *(TableColumn(key, "number", self.scores[:, j])
              for j, key in enumerate(self.dimensions)),
        ))

    def to_frame(self, backend: FrameBackend = "pandas") -> Any:
        """The ratings as a pandas or polars DataFrame ([`table`][relcoord.ratings.Ratings.table]);
        lossless: ``Ratings.from_frame(frame, dimensions=ratings.dimensions)`` gives back an equal
        store.

        Raises:
            relcoord.tables.MissingPackageError: the backend's package is not installed.
        """
        return self.table().to_frame(backend)

    def column(self, key: str) -> Scores:
        """The scored values of dimension ``key`` (read-only view)."""
        return self.scores[:, self.dimensions.index(key)]

    def used_waves(self) -> tuple[str, ...]:
        """The waves that at least one rating belongs to."""
        if not len(self) or not self.waves:
            return ()
        counts = np.bincount(self.wave[self.wave >= 0], minlength=len(self.waves))
        return tuple(w for w, c in zip(self.waves, counts, strict=True) if c)

    def select(self, mask: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> Ratings:
        """The ratings picked by a boolean mask or an index array, vocabularies kept."""
        return Ratings.from_arrays(
            source=self.source[mask], target=self.target[mask], scores=self.scores[mask],
            dimensions=self.dimensions, roles=self.roles, respondent=self.respondent[mask],
            respondents=self.respondents, wave=self.wave[mask], waves=self.waves,
        )

    def taken(self, rows: npt.NDArray[np.intp]) -> Ratings:
        """The rating rows at the positions ``rows`` (an index array), in that order,
        vocabularies kept: ``select(rows)`` with one read-only copy of each column and
        without checking the rows again.

        Every check a store makes of its rows is a check of single rows (codes in range,
        scores on the scale) or of equal lengths, which rows of a checked store pass, so
        the new store is made without its ``__init__``; at millions of ratings that saves
        the checks' passes and ``select``'s second copy of the score block.
        """
        rows = np.asarray(rows, dtype=np.intp)
        if len(rows) and not (int(rows.min()) >= 0 and int(rows.max()) < len(self)):
            raise IndexError(f"row positions must lie in 0..{len(self) - 1}")
        # checked once above, so np.take need not check every index ("clip" mode: it then
        # writes straight into its result, a third faster than fancy indexing); a gather at
        # random is bound by memory latency, so blocks of rows go to the cores in threads
        # (np.take releases the GIL; every block writes its own rows: the same bytes)
        names = ("source", "target", "respondent", "wave", "scores")
        columns: dict[str, npt.NDArray[Any]] = {}
        for name in names:
            column = getattr(self, name)
            columns[name] = np.empty((len(rows), *column.shape[1:]), dtype=column.dtype)

        def gather(start: int, stop: int) -> None:
            for name in names:
                np.take(getattr(self, name), rows[start:stop], axis=0,
                        out=columns[name][start:stop], mode="clip")

        in_row_blocks(len(rows), gather)
        fresh = Ratings.__new__(Ratings)
        for field in attrs.fields(Ratings):
            value = columns.get(field.name)
            if value is None:
                value = getattr(self, field.name)
            else:
                value.setflags(write=False)
            object.__setattr__(fresh, field.name, value)
        return fresh

    def recode(
        self,
        *,
        roles: Sequence[str] | None = None,
        respondents: Sequence[str] | None = None,
        dimensions: Sequence[str] | None = None,
        waves: Sequence[str] | None = None,
    ) -> Ratings:
        """The same ratings expressed in other vocabularies (codes remapped, no copy if equal).

        Raises `ValueError` if a label in use is missing from a new vocabulary, or a
        dimension with values is dropped.
        """
        roles = self.roles if roles is None else tuple(roles)
        respondents = self.respondents if respondents is None else tuple(respondents)
        dimensions = self.dimensions if dimensions is None else tuple(dimensions)
        waves = self.waves if waves is None else tuple(waves)
        if (roles, respondents, dimensions, waves) == (
            self.roles, self.respondents, self.dimensions, self.waves,
        ):
            return self
        source, target = self.source, self.target
        if roles != self.roles:
            lut = _lookup(self.roles, roles, "role")
            source, target = _remap(lut, source, "role"), _remap(lut, target, "role")
        person = self.respondent
        if respondents != self.respondents:
            person = _remap(_lookup(self.respondents, respondents, "respondent"), person,
                            "respondent", optional=True)
        wave = self.wave
        if waves != self.waves:
            wave = _remap(_lookup(self.waves, waves, "wave"), wave, "wave", optional=True)
        scores = self.scores
        if dimensions != self.dimensions:
            dropped = [d for d in self.dimensions if d not in dimensions]
            for key in dropped:
                if not np.isnan(self.column(key)).all():
                    raise ValueError(f"dimension {key!r} has scores and cannot be dropped")
            scores = np.full((len(self), len(dimensions)), np.nan)
            for j, key in enumerate(dimensions):
                if key in self.dimensions:
                    scores[:, j] = self.column(key)
        return Ratings(
            dimensions=dimensions, roles=roles, respondents=respondents, waves=waves,
            source=_readonly(source), target=_readonly(target), respondent=_readonly(person),
            wave=_readonly(wave), scores=_readonly(scores),
        )

    # --- comparison ----------------------------------------------------------------------

    def _canonical(self) -> tuple[Any, ...]:
        """Decoded columns in a canonical row order: equality ignores order and codes."""
        dims = sorted(self.dimensions)
        scores = self.scores[:, [self.dimensions.index(d) for d in dims]] if dims else self.scores
        source = np.asarray(self.roles, dtype=str)[self.source] if len(self) else np.array([])
        target = np.asarray(self.roles, dtype=str)[self.target] if len(self) else np.array([])
        person = _decode(self.respondents, self.respondent)
        wave = _decode(self.waves, self.wave)
        sortable = np.where(np.isnan(scores), np.inf, scores)
        keys = [sortable[:, j] for j in reversed(range(scores.shape[1]))]
        order = np.lexsort([*keys, person, wave, target, source])
        return (tuple(dims), source[order], target[order], person[order], wave[order],
                scores[order])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ratings):
            return NotImplemented
        if len(self) != len(other):
            return False
        a, b = self._canonical(), other._canonical()
        if a[0] != b[0]:
            return False
        return all(np.array_equal(x, y) for x, y in zip(a[1:5], b[1:5], strict=True)) and (
            np.array_equal(a[5], b[5], equal_nan=True)
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"Ratings({len(self)} ratings, {len(self.roles)} roles, "
                f"{len(self.respondents)} respondents, dimensions={self.dimensions})")


def _readonly(array: Any) -> Any:
    if array.flags.writeable:
        array.setflags(write=False)
    return array


def _decode(labels: Sequence[str], codes: Codes) -> npt.NDArray[np.str_]:
    table = np.asarray(["", *labels], dtype=str)
    return table[codes + 1]


def _labels_or_none(labels: Sequence[str], codes: Codes) -> list[str | None]:
    """The label of each code, ``None`` for ``-1``."""
    table: list[str | None] = [*labels, None]
    return [table[c] for c in codes.tolist()]


def _lookup(old: Sequence[str], new: Sequence[str], what: str) -> npt.NDArray[np.int32]:
    index = {label: i for i, label in enumerate(new)}
    return np.array([index.get(label, -2) for label in old], dtype=np.int32)


def _remap(lut: npt.NDArray[np.int32], codes: Codes, what: str, *, optional: bool = False
           ) -> Codes:
    if not len(codes):
        return codes
    if optional:
        out = np.where(codes >= 0, lut[np.maximum(codes, 0)] if len(lut) else -1, -1)
    else:
        out = lut[codes]
    if (out == -2).any():
        raise ValueError(f"a {what} in use is missing from the new vocabulary")
    return out.astype(np.int32, copy=False)


def _encode_texts(values: list[Any], *, optional: bool = False
                  ) -> tuple[list[str], npt.NDArray[np.int32]] | None:
    """A list of texts (and ``None`` for a gap when ``optional``) to (sorted vocabulary,
    codes, -1 for a gap), as `numpy.unique` would encode them, through a dict: linear
    in the labels instead of a sort of them all.  ``None`` when a value is anything else
    (the caller then takes the numpy path, which converts it)."""
    allowed = (str, type(None)) if optional else (str,)
    if not all(type(v) in allowed for v in values):
        return None
    index: dict[str, int] = {}
    if optional:
        codes = (-1 if v is None else index.setdefault(v, len(index)) for v in values)
    else:
        codes = (index.setdefault(v, len(index)) for v in values)
    first = np.fromiter(codes, dtype=np.int32, count=len(values))
    vocab = sorted(index)  # code point order, as numpy.unique sorts
    rank = np.empty(len(index) + 1, dtype=np.int32)
    rank[[index[v] for v in vocab]] = np.arange(len(vocab), dtype=np.int32)
    rank[-1] = -1  # a gap's code -1 picks this last slot and stays -1
    return vocab, rank[first]


def _encode_optional(
    values: Sequence[str | None] | npt.ArrayLike | None, n: int
) -> tuple[list[str], Any]:
    """Labels with gaps (None/NaN) to (vocabulary, codes with -1 for gaps)."""
    if values is None:
        return [], None
    if isinstance(values, list):
        found = _encode_texts(values, optional=True)
        if found is not None:
            vocab_list, codes = found
            return (vocab_list, codes) if vocab_list else ([], None)
    array = np.asarray(values, dtype=object)
    missing = np.array([v is None or v != v for v in array], dtype=bool) if n else np.zeros(0, bool)
    if missing.all():
        return [], None
    vocab, inverse = np.unique(array[~missing].astype(str), return_inverse=True)
    codes = np.full(n, -1, dtype=np.int32)
    codes[~missing] = inverse
    return vocab.tolist(), codes
