"""Tables with typed columns, and the same tables as pandas or polars DataFrames.

A [`Table`][relcoord.tables.Table] is the one definition of a table relcoord hands out: the CSV
exporters encode it (``relcoord.formats.csv.exporters``),
[`Table.to_frame`][relcoord.tables.Table.to_frame] turns it into a DataFrame, so a table's name, its
columns and their order are the same in a CSV folder and in a notebook.  Each
[`TableColumn`][relcoord.tables.TableColumn] has a kind:

| kind | values | pandas dtype | polars dtype |
|---|---|---|---|
| ``text`` | ``str``, ``None`` | ``string`` (missing: ``<NA>``) | ``String`` |
| ``integer`` | ``int``, ``None`` | ``Int64`` (missing: ``<NA>``) | ``Int64`` |
| ``number`` | ``float``, ``NaN``, ``None`` | ``float64`` (missing: ``NaN``) | ``Float64`` (null) |
| ``boolean`` | ``bool``, ``None`` | ``boolean`` (missing: ``<NA>``) | ``Boolean`` |

pandas and polars are imported inside [`Table.to_frame`][relcoord.tables.Table.to_frame], never when
relcoord is imported; a caller without the one asked for gets a
[`MissingPackageError`][relcoord.tables.MissingPackageError] naming it.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Any, Final, Literal, get_args

import attrs
import numpy as np

from relcoord.errors import RelcoordError

__all__ = [
    "COLUMN_KINDS",
    "FRAME_BACKENDS",
    "ColumnKind",
    "FrameBackend",
    "MissingPackageError",
    "Table",
    "TableColumn",
    "column_kind",
    "import_optional",
]

#: What a column holds (see the module docstring).
ColumnKind = Literal["text", "integer", "number", "boolean"]
#: The kinds of `ColumnKind`.
COLUMN_KINDS: Final[tuple[str, ...]] = get_args(ColumnKind)
#: The DataFrame libraries [`Table.to_frame`][relcoord.tables.Table.to_frame] builds for.
FrameBackend = Literal["pandas", "polars"]
#: The backends of [`FrameBackend`][relcoord.tables.FrameBackend].
FRAME_BACKENDS: Final[tuple[str, ...]] = get_args(FrameBackend)


class MissingPackageError(RelcoordError, ImportError):
    """An optional package that a call needs is not installed; the message names it and
    says how to install it."""

    def __init__(self, package: str, needed_for: str) -> None:
        self.package = package
        self.needed_for = needed_for
        super().__init__(f"{needed_for} needs the package {package!r}, which is not "
                         f"installed: pip install {package}")


def import_optional(module: str, needed_for: str, *, package: str | None = None) -> ModuleType:
    """Import ``module``, or raise [`MissingPackageError`][relcoord.tables.MissingPackageError]
    naming ``package`` (the distribution to install, ``module`` by default) and what needed it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingPackageError(package or module, needed_for) from None


@attrs.frozen(eq=False)
class TableColumn:
    """One column: its name, its kind and one value per row (a sequence or numpy array)."""

    name: str
    kind: ColumnKind
    values: Sequence[Any] | np.ndarray[Any, Any]

    def __attrs_post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"column {self.name!r}: unknown kind {self.kind!r}; "
                             f"expected one of {', '.join(COLUMN_KINDS)}")

    def __len__(self) -> int:
        return len(self.values)


def column_kind(values: Iterable[Any]) -> ColumnKind:
    """The kind of a column of JSON-ready values: ``boolean`` when every value given is a
    bool, ``integer`` when every one is an int, ``number`` when every one is a number (and
    for a column without any value: every unknown figure is a number), else ``text``."""
    given = [v for v in values if v is not None]
    if not given:
        return "number"
    if all(isinstance(v, bool) for v in given):
        return "boolean"
    if any(isinstance(v, bool) for v in given):
        return "text"
    if all(isinstance(v, int) for v in given):
        return "integer"
    if all(isinstance(v, int | float) for v in given):
        return "number"
    return "text"


@attrs.frozen(eq=False)
class Table:
    """A named table of [`TableColumn`][relcoord.tables.TableColumn] columns of equal length."""

    name: str
    columns: tuple[TableColumn, ...]

    def __attrs_post_init__(self) -> None:
        lengths = {len(c) for c in self.columns}
        if len(lengths) > 1:
            raise ValueError(f"table {self.name!r}: columns of different lengths "
                             f"{sorted(lengths)}")

    @property
    def column_names(self) -> tuple[str, ...]:
        """The columns' names, in order."""
        return tuple(c.name for c in self.columns)

    @property
    def n_rows(self) -> int:
        """The number of rows."""
        return len(self.columns[0]) if self.columns else 0

    def column(self, name: str) -> TableColumn:
        """The column ``name``; `KeyError` when there is none."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"table {self.name!r} has no column {name!r}")

    def __repr__(self) -> str:
        return f"Table({self.name!r}, {self.n_rows} rows, columns={list(self.column_names)})"

    def to_frame(self, backend: FrameBackend = "pandas") -> Any:
        """This table as a ``pandas.DataFrame`` or a ``polars.DataFrame``, with the dtypes of
        the module docstring.

        Raises:
            MissingPackageError: the backend's package is not installed.
            ValueError: an unknown backend.
        """
        if backend == "pandas":
            return _pandas_frame(self)
        if backend == "polars":
            return _polars_frame(self)
        raise ValueError(f"unknown backend {backend!r}; expected one of "
                         f"{', '.join(FRAME_BACKENDS)}")


def _floats(values: Sequence[Any] | np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    if isinstance(values, np.ndarray):
        return values.astype(np.float64, copy=False)
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def _pandas_frame(table: Table) -> Any:
    pd = import_optional("pandas", f"to_frame(backend='pandas') of the table {table.name!r}")
    data: dict[str, Any] = {}
    for column in table.columns:
        values = column.values
        if column.kind == "number":
            data[column.name] = pd.Series(_floats(values), dtype="float64")
        elif column.kind == "integer":
            data[column.name] = pd.Series(pd.array(list(values), dtype="Int64"))
        elif column.kind == "boolean":
            data[column.name] = pd.Series(pd.array(list(values), dtype="boolean"))
        else:
            data[column.name] = pd.Series(pd.array(list(values), dtype="string"))
    return pd.DataFrame(data, index=pd.RangeIndex(table.n_rows))


def _polars_frame(table: Table) -> Any:
    pl = import_optional("polars", f"to_frame(backend='polars') of the table {table.name!r}")
    dtypes = {"text": pl.String, "integer": pl.Int64, "number": pl.Float64,
              "boolean": pl.Boolean}
    series = []
    for column in table.columns:
        if column.kind == "number":
            series.append(pl.Series(column.name, _floats(column.values), dtype=pl.Float64,
                                    nan_to_null=True))
        else:
            values = column.values
            listed = values.tolist() if isinstance(values, np.ndarray) else list(values)
            series.append(pl.Series(column.name, listed, dtype=dtypes[column.kind]))
    return pl.DataFrame(series)
