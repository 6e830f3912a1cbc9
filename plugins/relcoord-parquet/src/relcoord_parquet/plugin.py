"""The hook implementations: the ``parquet`` study store as an importer and an exporter.

The entry point ``parquet = "relcoord_parquet.plugin"`` in ``pyproject.toml`` points here.
pyarrow is imported when a store is read or written, not when relcoord lists its plugins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relcoord.formats import Format
from relcoord.formats.format_option import parse_options
from relcoord.plugins import hookimpl
from relcoord_parquet.partitioned_export import PARTS_READ_OPTIONS
from relcoord_parquet.read_limits import LIMIT_OPTIONS

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = ["PARQUET_PARTS", "PARQUET_STORE", "relcoord_register_exporters",
           "relcoord_register_importers"]


def _read(source: Path, options: Mapping[str, Any]) -> Study:
    from relcoord_parquet.store import read_store

    values = parse_options("parquet", options, LIMIT_OPTIONS)
    return read_store(source, max_bytes=values["max_bytes"], max_files=values["max_files"],
                      max_columns=values["max_columns"])


def _read_parts(source: Path, options: Mapping[str, Any]) -> Study:
    from relcoord_parquet.partitioned_export import read_partitioned_export

    return read_partitioned_export(source, options)


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
    read_options=LIMIT_OPTIONS,
    write_options=(),
    description="A folder for large studies and data platforms: the study's facts in "
                "study.json, its ratings in Hive partitions wave=.../organisation=...",
)


#: A folder of Parquet or CSV partitions exported by another system, read as one table in
#: the CSV importers' layouts (``--from parquet-parts``).
PARQUET_PARTS = Format(
    id="parquet-parts",
    title="A folder of Parquet or CSV partitions exported by another system",
    extensions=(),
    media_type="application/vnd.apache.parquet",
    carries="study",
    read=_read_parts,
    read_options=PARTS_READ_OPTIONS,
    description="Hive folders KEY=VALUE of part files (.parquet, or .csv/.tsv, optionally "
                ".gz) from a data platform; the partition keys are columns, read in the "
                "long, wide or relationskort layout with the CSV importers' options.  Chosen "
                "by id: --from parquet-parts.",
)


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """This plugin reads study stores and folders of partitions exported elsewhere."""
    return (PARQUET_STORE, PARQUET_PARTS)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """This plugin writes study stores."""
    return (PARQUET_STORE,)
