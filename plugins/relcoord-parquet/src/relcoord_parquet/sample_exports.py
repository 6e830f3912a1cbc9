"""Write a study as another system would export it: Hive folders of Parquet or CSV parts.

For trying the ``parquet-parts`` importer
([`relcoord_parquet.partitioned_export`][relcoord_parquet.partitioned_export]) and for its
tests, round-trip property, fuzz corpus and benchmark.  The export holds the ratings only,
as a data platform's would; the roles, named ties and invitations travel beside it as
relcoord's own CSV tables (given with ``-I roles=... ties=... invitations=...``).
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from relcoord.formats.csv.exporters import study_tables
from relcoord.formats.csv.profiles import PROFILES
from relcoord.model import Study
from relcoord.serialization import study_to_mapping
from relcoord_parquet.partition_folders import HIVE_NULL

__all__ = ["export_rows", "side_tables", "write_export"]

Layout = Literal["long", "wide"]


def export_rows(study: Study, layout: Layout) -> list[dict[str, Any]]:
    """The study's ratings as rows of ``layout``: long (``rating``, ``respondent``,
    ``source``, ``target``, ``wave``, ``item``, ``score``) or wide (one ``score`` column per
    item, named by its key)."""
    keys = study.instrument.keys
    rows: list[dict[str, Any]] = []
    for index, rating in enumerate(study_to_mapping(study)["ratings"]):
        labels = {"respondent": rating.get("respondent"), "source": rating["source"],
                  "target": rating["target"], "wave": rating.get("wave")}
        scores = rating["scores"]
        if layout == "wide":
            rows.append({**labels, **{k: _score(scores.get(k)) for k in keys}})
            continue
        for key in keys:
            rows.append({"rating": f"r{index}", **labels, "item": key,
                         "score": _score(scores.get(key))})
    return rows


def _score(value: Any) -> float | None:
    return None if value is None else float(value)


def _folder(keys: Sequence[str], row: dict[str, Any]) -> str:
    parts = []
    for key in keys:
        value = row[key]
        parts.append(f"{key}={HIVE_NULL if value is None else quote(str(value), safe='')}")
    return "/".join(parts)


def write_export(rows: Sequence[dict[str, Any]], folder: Path, *, keys: Sequence[str] = (),
                 kind: Literal["parquet", "csv", "csv.gz"] = "parquet", files: int = 1,
                 columns: Sequence[str] | None = None) -> list[Path]:
    """Write ``rows`` into ``folder`` as an export partitioned by the columns ``keys``
    (Hive folders), each partition split into up to ``files`` part files of ``kind``; the
    files hold the other ``columns`` (default: the first row's).  Returns the files."""
    folder.mkdir(parents=True, exist_ok=True)
    names = list(columns or (rows[0].keys() if rows else ()))
    kept = [c for c in names if c not in keys]
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(_folder(keys, row), []).append(row)
    written: list[Path] = []
    for place, members in sorted(groups.items()):
        target = folder / place if place else folder
        target.mkdir(parents=True, exist_ok=True)
        size = -(-len(members) // files)
        for number, start in enumerate(range(0, len(members), size)):
            chunk = members[start:start + size]
            data = {c: [r.get(c) for r in chunk] for c in kept}
            path = target / f"part-{number:04d}.{kind}"
            if kind == "parquet":
                pq.write_table(pa.table(data), path)
            else:
                frame = pl.DataFrame(data, schema={c: _polars_type(data[c]) for c in kept})
                text = frame.write_csv().encode("utf-8")
                path.write_bytes(gzip.compress(text, mtime=0) if kind == "csv.gz" else text)
            written.append(path)
    return written


def _polars_type(values: list[Any]) -> Any:
    return pl.Float64 if any(isinstance(v, float) for v in values) else pl.String


def side_tables(study: Study, folder: Path) -> dict[str, str]:
    """Write the study's roles, named ties and invitations as relcoord's CSV tables into
    ``folder``; return the options that name them."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = study_tables(study, PROFILES["plain"])
    options = {}
    for name in ("roles", "ties", "invitations"):
        path = folder / f"{name}.csv"
        path.write_bytes(tables[f"{name}.csv"])
        options[name] = str(path)
    return options
