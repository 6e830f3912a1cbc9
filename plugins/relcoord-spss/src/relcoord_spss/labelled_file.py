"""One SPSS or Stata data file, read with pyreadstat: its cases, variables and labels.

`read_labelled_file` reads ``.sav`` and ``.zsav`` (SPSS system files, the second
compressed), ``.por`` (SPSS portable files) and ``.dta`` (Stata) into a
`LabelledFile`: a polars frame with one column per variable (numbers as ``Float64``,
text as ``String``, a system-missing value as null), each variable's label, each numeric
variable's value labels (code -> label) and the codes it declares *user-missing* (SPSS's
missing values, for example 8 = "ved ikke" and 9 = no answer), read with pyreadstat's
``user_missing=True`` so that they reach relcoord as codes and are reported when they turn
into missing answers (`answer_codes`).  A date or time variable (a
wave given as the date of the survey round) is read as ISO 8601 text: ``2024-03-01``,
``2024-03-01T10:00:00``.

pyreadstat reads in a reader process (`relcoord_spss.reader_process`), so that a file
that crashes or hangs readstat cannot take relcoord with it.  Whatever pyreadstat cannot
read, because the file is not such a file, is truncated or corrupt (or crashes it), or is
written in a character set it does not know, is a located
[`InvalidInputError`][relcoord.errors.InvalidInputError] that says what was expected and, for the
character set, that the ``encoding`` option decides.
"""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Final

import attrs
import numpy as np
import numpy.typing as npt
import polars as pl
import pyreadstat

from relcoord.bounded_input import TableLimits, too_large, too_long_cell, too_many_columns
from relcoord.errors import InvalidInputError
from relcoord_spss.reader_process import DEFAULT_MAX_SECONDS, read_in_child

__all__ = ["LABELLED_EXTENSIONS", "LabelledFile", "read_labelled_file"]

#: The file kinds this module reads, by extension: what pyreadstat calls them.
LABELLED_EXTENSIONS: Final = {".sav": "sav", ".zsav": "sav", ".por": "por", ".dta": "dta"}
#: What each kind of file is called in messages.
_KINDS: Final = {"sav": "an SPSS system file (.sav or .zsav)", "por": "an SPSS portable file "
                 "(.por)", "dta": "a Stata data file (.dta)"}
_SAV_MAGIC: Final = (b"$FL2", b"$FL3")
_POR_MAGIC: Final = b"SPSS PORT FILE"
_DTA_OLD_VERSIONS: Final = frozenset(range(0x66, 0x74))  # Stata 5 .. 12 (byte 0)


@attrs.frozen(eq=False)
class LabelledFile:
    """The cases and variables of one SPSS or Stata file.

    ``frame`` has one column per variable, named as the variable (numbers ``Float64``, text
    ``String``, system-missing null).  ``variable_labels`` holds each labelled variable's
    label, ``value_labels`` each numeric variable's labels by code, and ``missing`` the
    user-missing ranges each variable declares, as ``(low, high)`` pairs of codes (a single
    code is a range of one).  ``tagged`` marks, per variable, the cases that hold one of
    Stata's missing values ``.a`` ... ``.z`` (null in ``frame``) and names the ones held.
    """

    name: str
    frame: pl.DataFrame
    variable_labels: Mapping[str, str]
    value_labels: Mapping[str, Mapping[float, str]]
    missing: Mapping[str, tuple[tuple[float, float], ...]]
    tagged: Mapping[str, tuple[npt.NDArray[np.bool_], tuple[str, ...]]] = attrs.field(
        factory=dict)

    @property
    def variables(self) -> tuple[str, ...]:
        """The variables' names, in file order."""
        return tuple(self.frame.columns)

    def user_missing(self, variable: str, values: npt.NDArray[np.float64]
                     ) -> npt.NDArray[np.bool_]:
        """Which of ``values`` (codes of ``variable``) are user-missing codes."""
        found = np.zeros(len(values), dtype=bool)
        for low, high in self.missing.get(variable, ()):
            found |= (values >= low) & (values <= high)
        if variable in self.tagged and len(self.tagged[variable][0]) == len(values):
            found |= self.tagged[variable][0]
        return found


def _kind(path: Path, chosen: str | None, default: str) -> str:
    if chosen is not None:
        return chosen
    return LABELLED_EXTENSIONS.get(path.suffix.lower(), default)


def _check_signature(head: bytes, kind: str, name: str) -> None:
    """Refuse a file whose first bytes are not those of ``kind`` (before pyreadstat reads
    it, whose own message would only say that it cannot)."""
    if kind == "sav":
        ok = head[:4] in _SAV_MAGIC
    elif kind == "por":
        ok = _POR_MAGIC in head[:600]
    else:
        ok = head.startswith(b"<stata_dta>") or (len(head) > 1 and head[0] in _DTA_OLD_VERSIONS
                                                 and head[1] in (1, 2))
    if not ok:
        raise InvalidInputError(name, f"not {_KINDS[kind]}: its first bytes are not those of "
                                "such a file (is it another format? name the importer with "
                                "--from)")


#: A ``.sav`` file's variable records: a string's width is 1..255 (``-1`` continues a long
#: string, ``0`` is a number), a label flag 0 or 1, up to three missing values or a range
#: (``-2``, ``-3``); the IBM SPSS Statistics "System File Format" documentation.
_SAV_HEADER: Final = 176
_SAV_MISSING: Final = frozenset((-3, -2, 0, 1, 2, 3))


#: The most a zlib stream (``.zsav``) expands: 1032 bytes out for one in.
_ZLIB_RATIO: Final = 1032


def _check_sav_variables(handle: BinaryIO, name: str, size: int, max_columns: int) -> None:
    """Check a ``.sav`` or ``.zsav`` file's header and variable records before readstat
    reads them: readstat (pyreadstat 1.3) crashes the process on a record whose width is
    out of range, and allocates memory for as many cases as the header claims (gigabytes
    for a kilobyte file), so such a file must never reach it.  More than ``max_columns``
    variables are refused at the first one past the limit."""
    handle.seek(64)
    fields = handle.read(20)
    if len(fields) < 20:
        return  # too short to hold variables: readstat's own error says so
    order = "<" if struct.unpack("<i", fields[:4])[0] in (2, 3) else ">"
    values, compression, _, cases = struct.unpack(order + "4i", fields[4:])
    # a case takes 8 bytes a value uncompressed, at least one code byte a value compressed
    room = size * (_ZLIB_RATIO if compression == 2 else 1 if compression == 1 else 1 / 8)
    if cases > room / max(values, 1):
        raise InvalidInputError(f"{name}: header (byte 80)", (
            f"the header says the file holds {cases:,} cases of {values} values, more than "
            f"{size:,} bytes can hold; the file is corrupt or truncated"))
    handle.seek(_SAV_HEADER)
    number = 0
    pending = 0  # continuation records (width -1) the last string still needs
    variables = 0
    while (record := handle.read(32)) and len(record) == 32:
        kind, width, labelled, missing = struct.unpack(order + "4i", record[:16])
        if kind != 2:
            break
        number += 1
        where = f"{name}: variable record {number} (byte {handle.tell() - 32})"
        if not -1 <= width <= 255 or labelled not in (0, 1) or missing not in _SAV_MISSING:
            raise InvalidInputError(where, (
                f"width {width}, label flag {labelled}, missing-value count {missing} are "
                "not those of an SPSS variable (width -1..255, flag 0 or 1, count -3..3); "
                "the file is corrupt"))
        if (width == -1) != (pending > 0):
            raise InvalidInputError(where, (
                "a string's continuation record is missing here" if pending else
                "a continuation record (width -1) follows no string that needs it"
            ) + "; the file is corrupt")
        pending = pending - 1 if width == -1 else max(0, (width + 7) // 8 - 1)
        variables += width != -1
        if variables > max_columns:
            raise InvalidInputError(where, "the file has " + too_many_columns(
                variables, max_columns, what="variables or more"))
        if labelled:
            field = handle.read(4)
            length = struct.unpack(order + "i", field)[0] if len(field) == 4 else -1
            if not 0 <= length <= 0xFFFF:
                raise InvalidInputError(where, f"a variable label of {length} bytes; the "
                                        "file is corrupt")
            handle.seek((length + 3) // 4 * 4, 1)
        handle.seek(8 * abs(missing), 1)
    else:  # the dictionary always ends in a record of another kind (999 at the latest)
        raise InvalidInputError(f"{name}: variable record {number + 1}", (
            "the file ends among its variable records; it is truncated or corrupt"))
    if pending:
        raise InvalidInputError(f"{name}: variable record {number}", (
            f"the last string variable lacks {pending} continuation records; the file is "
            "corrupt"))
    if values >= 0 and number != values:
        raise InvalidInputError(f"{name}: header (byte 68)", (
            f"the header says a case has {values} values but the file has {number} variable "
            "records; the file is corrupt"))


def _readstat_problem(type_name: str, message: str, decoding: bool, kind: str, name: str
                      ) -> InvalidInputError:
    reason = message.strip() or type_name
    if "character set" in reason or "encoding" in reason.casefold() or decoding:
        return InvalidInputError(name, f"cannot decode the file's text ({reason}); name its "
                                 "character encoding with -I encoding=NAME, e.g. "
                                 "-I encoding=cp1252 or -I encoding=latin1")
    return InvalidInputError(name, f"cannot read {_KINDS[kind]}: {reason}; the file may be "
                             "truncated or corrupt")


def _reader(kind: str, encoding: str | None) -> Callable[..., Any]:
    def read(path: str) -> Any:
        common: dict[str, Any] = {"output_format": "polars"}
        if kind == "sav":
            return pyreadstat.read_sav(path, user_missing=True, encoding=encoding, **common)
        if kind == "dta":
            return pyreadstat.read_dta(path, user_missing=True, encoding=encoding, **common)
        return pyreadstat.read_por(path, **common)

    return read


def _ranges(raw: Mapping[str, Any]) -> dict[str, tuple[tuple[float, float], ...]]:
    """The user-missing ranges of numeric variables (a text variable's are not codes)."""
    out: dict[str, tuple[tuple[float, float], ...]] = {}
    for variable, ranges in raw.items():
        pairs = tuple((float(r["lo"]), float(r["hi"])) for r in ranges
                      if isinstance(r.get("lo"), int | float)
                      and isinstance(r.get("hi"), int | float))
        if pairs:
            out[str(variable)] = pairs
    return out


def _stata_missing(frame: pl.DataFrame, letters: Mapping[str, Any]
                   ) -> tuple[pl.DataFrame, dict[str, tuple[npt.NDArray[np.bool_],
                                                             tuple[str, ...]]]]:
    """Stata's missing values ``.a`` ... ``.z``, which pyreadstat gives as letters among a
    numeric variable's numbers: null in the frame, marked in the masks returned."""
    tagged: dict[str, tuple[npt.NDArray[np.bool_], tuple[str, ...]]] = {}
    replaced: list[pl.Series] = []
    for variable, declared in letters.items():
        column = str(variable)
        if column not in frame.columns or frame.schema[column].is_numeric():
            continue
        values = frame.get_column(column).to_list()
        codes = {str(v) for v in declared}
        mask = np.asarray([isinstance(v, str) and v in codes for v in values], dtype=bool)
        try:
            numbers = [None if m or v is None else float(v)
                       for v, m in zip(values, mask.tolist(), strict=True)]
        except (TypeError, ValueError):
            continue  # a text variable: left as text
        replaced.append(pl.Series(column, numbers, dtype=pl.Float64))
        held = sorted({"." + str(v) for v, m in zip(values, mask.tolist(), strict=True) if m})
        tagged[column] = (mask, tuple(held))
    return (frame.with_columns(replaced) if replaced else frame), tagged


def _as_text(column: str, dtype: pl.DataType) -> pl.Expr:
    """A column as text: dates and times in ISO 8601, anything else as polars writes it."""
    if dtype == pl.Date:
        return pl.col(column).dt.to_string("%Y-%m-%d")
    if isinstance(dtype, pl.Datetime):
        return pl.col(column).dt.to_string("%Y-%m-%dT%H:%M:%S")
    if dtype == pl.Time:
        return pl.col(column).dt.to_string("%H:%M:%S")
    return pl.col(column).cast(pl.String)


def _typed(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as ``Float64`` (numbers) or ``String`` (anything else)."""
    return frame.with_columns(
        pl.col(c).cast(pl.Float64) if frame.schema[c].is_numeric()
        else _as_text(c, frame.schema[c])
        for c in frame.columns
    )


def read_raw(path: str, kind: str, encoding: str | None
             ) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Read the file at ``path`` with pyreadstat (what the reader process runs): its frame,
    every column ``Float64`` or ``String`` with Stata's missing letters null, and its labels,
    user-missing ranges and Stata missing-value masks as a mapping (what `LabelledFile`
    holds besides the frame).  pyreadstat's exceptions propagate."""
    frame, meta = _reader(kind, encoding)(path)
    if not isinstance(frame, pl.DataFrame):  # pragma: no cover - output_format="polars"
        raise TypeError("pyreadstat returned no polars frame")
    frame, tagged = _stata_missing(frame, getattr(meta, "missing_user_values", None) or {})
    labels = {str(k): str(v) for k, v in zip(meta.column_names, meta.column_labels,
                                             strict=False) if v}
    value_labels = {
        str(variable): {float(code): str(text) for code, text in mapping.items()
                        if isinstance(code, int | float)}
        for variable, mapping in (meta.variable_value_labels or {}).items()
        if frame.schema.get(str(variable), pl.String).is_numeric()
    }
    return _typed(frame), {
        "variable_labels": labels, "value_labels": {k: v for k, v in value_labels.items() if v},
        "missing": _ranges(getattr(meta, "missing_ranges", None) or {}), "tagged": tagged}


def _open_checked(path: Path, name: str, chosen: str, max_bytes: int | None,
                  max_columns: int) -> None:
    """Refuse, before readstat sees it, a file that is too large, not a regular file (a
    FIFO or a device: readstat seeks), empty, of another kind or (``.sav``) whose
    dictionary is impossible."""
    try:
        with path.open("rb") as handle:
            status = os.fstat(handle.fileno())
            if stat.S_ISDIR(status.st_mode):
                raise InvalidInputError(name, f"is a folder; expected {_KINDS[chosen]}")
            if not stat.S_ISREG(status.st_mode):
                raise InvalidInputError(name, (
                    f"is not a regular file (a pipe or a device); expected {_KINDS[chosen]}, "
                    "which is read by seeking in it: save it as a file first"))
            size = status.st_size
            if max_bytes is not None and size > max_bytes:
                raise InvalidInputError(name, too_large(f"the file has {size:,} bytes,",
                                                        max_bytes))
            head = handle.read(600)
            if not head:
                raise InvalidInputError(name, f"the file is empty; expected {_KINDS[chosen]}")
            _check_signature(head, chosen, name)
            if chosen == "sav":
                _check_sav_variables(handle, name, size, max_columns)
    except IsADirectoryError:
        raise InvalidInputError(name, f"is a folder; expected {_KINDS[chosen]}") from None
    except OSError as exc:
        raise InvalidInputError(name, f"cannot read the file: {exc.strerror or exc}") from None


#: The default limits of a file's shape.
_DEFAULT_LIMITS: Final = TableLimits()


def _check_shape(frame: pl.DataFrame, name: str, limits: TableLimits) -> None:
    """Refuse a file of more variables, or with a longer text, than ``limits`` allow."""
    if frame.width > limits.max_columns:
        column = frame.columns[limits.max_columns]
        raise InvalidInputError(f"{name}: variable {column}", "the file has " + too_many_columns(
            frame.width, limits.max_columns, what="variables"))
    text = [c for c, t in frame.schema.items() if t == pl.String]
    if not text or not len(frame):
        return
    longest = frame.select(pl.col(text).str.len_bytes().max()).row(0)
    for column, size in zip(text, longest, strict=True):
        if size is not None and size > limits.max_cell_bytes:
            case = int(frame.select(pl.col(column).str.len_bytes()
                                    .gt(limits.max_cell_bytes).arg_true().first()).item())
            raise InvalidInputError(f"{name}: variable {column}, row {case + 1}",
                                    too_long_cell(int(size), limits.max_cell_bytes))


def read_labelled_file(path: Path, *, encoding: str | None = None,
                       max_bytes: int | None = None, kind: str | None = None,
                       default_kind: str = "sav",
                       max_seconds: float = DEFAULT_MAX_SECONDS,
                       limits: TableLimits = _DEFAULT_LIMITS) -> LabelledFile:
    """Read an SPSS or Stata file: ``kind`` (``sav``, ``por`` or ``dta``), else the kind
    its extension says (`LABELLED_EXTENSIONS`), else ``default_kind``.

    ``encoding`` is the character set of a ``.sav`` or ``.dta`` file's text (pyreadstat's
    names: ``cp1252``, ``latin1``, ``utf-8``...; default: what the file says).  A file
    larger than ``max_bytes`` is refused before it is read.  pyreadstat reads the file in a
    reader process ([`relcoord_spss.reader_process`][relcoord_spss.reader_process]): a file
    that crashes it, or that takes longer than ``max_seconds`` to read, is an
    [`InvalidInputError`][relcoord.errors.InvalidInputError] too, as is a file of more
    variables than ``limits.max_columns`` or a text longer than ``limits.max_cell_bytes``
    bytes.
    """
    path = Path(path)
    name = str(path)
    chosen = _kind(path, kind, default_kind)
    _open_checked(path, name, chosen, max_bytes, limits.max_columns)
    read = read_in_child((name, chosen, encoding), name=name, max_seconds=max_seconds,
                         read_here=read_raw)
    if isinstance(read[0], str):
        type_name, message, decoding = read
        raise _readstat_problem(type_name, str(message), bool(decoding), chosen, name)
    frame, parts = read
    _check_shape(frame, name, limits)
    return LabelledFile(name=name, frame=frame, **parts)
