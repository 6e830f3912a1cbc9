"""The hook implementations: the ``parquet`` study store as an importer and an exporter.

The entry point ``parquet = "relcoord_parquet.plugin"`` in ``pyproject.toml`` points here.
pyarrow is imported when a store is read or written, not when relcoord lists its plugins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relcoord.formats import Format
from relcoord.plugins import hookimpl

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = ["PARQUET_STORE", "relcoord_register_exporters", "relcoord_register_importers"]


def _read(source: Path, options: Mapping[str, Any]) -> Study:
    from relcoord_parquet.store import read_store

    return read_store(source)


def _write(study: Study, analysis: Analysis | None, destination: Path,
           options: Mapping[str, Any]) -> None:
    from relcoord_parquet.store import write_store

    write_store(study, destination)


#: The study store: study data (lossless), a folder named ``*.parquet``.
PARQUET_STORE = Format(
    id="parquet",
    title="Study store: study.json and the ratings as Parquet partitioned by wave and "
          "organisation",
    extensions=(".parquet",),
    media_type="application/vnd.apache.parquet",
    carries="study",
    read=_read,
    write=_write,
    writes_directory=True,
    read_options=(),
    write_options=(),
    description="A folder for large studies and data platforms: the study's facts in "
                "study.json, its ratings in Hive partitions wave=.../organisation=...",
)


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """This plugin reads study stores."""
    return (PARQUET_STORE,)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """This plugin writes study stores."""
    return (PARQUET_STORE,)
