"""The ``.stats`` file: one site's shareable statistics, byte for byte reproducible.

A zip archive (the same study and settings give the same bytes, so that a site can check
that nothing but the sums changed between two exports)::

    relcoord-site-statistics.json   what the file is: format version, sites, min_items,
                                    min_respondents, and each summary field's dtype and
                                    shape (arrays) or value (the rest)
    study.json                      the facts, as a relcoord study without respondents
                                    or ratings
    summary/NAME.npy                each array of the summary (numpy's .npy format,
                                    no pickles)

Reading checks the archive within limits (``max_bytes`` in total, ``max_ratio`` per entry,
as the CSV zip importer does), the description against its JSON schema, the facts as a
study, and each array against the summary's dtypes and shapes before the statistics are
built; every problem is an [`InvalidInputError`][relcoord.errors.InvalidInputError] naming the
entry (``site.stats/summary/item_sum.npy``).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path
from typing import Any, Final

import attrs
import jsonschema
import numpy as np

from relcoord.atomic_files import write_bytes_atomic
from relcoord.bounded_input import read_bounded
from relcoord.bounded_zip import UNREADABLE_ZIP, unpack_entry, zip_entries
from relcoord.errors import InvalidInputError, RelcoordError
from relcoord.site_statistics import SiteStatistics, Summary, shared_sums
from relcoord.study_json import DEFAULT_MAX_BYTES, dumps, load, parse_json

__all__ = ["FORMAT", "FORMAT_VERSION", "read_site_statistics", "write_site_statistics"]

#: The ``format`` of the description entry.
FORMAT: Final = "relcoord site statistics"
#: Its version: a reader refuses a file of a newer one.
FORMAT_VERSION: Final = 1
#: The largest ratio of an entry's unpacked to packed size read without ``max_ratio``.
DEFAULT_MAX_RATIO: Final = 1000

_DESCRIPTION: Final = "relcoord-site-statistics.json"
_FACTS: Final = "study.json"
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)

_SCHEMA: Final[dict[str, Any]] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["format", "version", "sites", "min_items", "min_respondents", "summary"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "version": {"type": "integer", "minimum": 1},
        "sites": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                  "uniqueItems": True},
        "min_items": {"type": "integer", "minimum": 1},
        "min_respondents": {"type": "integer", "minimum": 1},
        "summary": {
            "type": "object",
            "additionalProperties": {
                "oneOf": [
                    {"type": "object", "required": ["dtype", "shape"],
                     "additionalProperties": False,
                     "properties": {"dtype": {"type": "string"},
                                    "shape": {"type": "array",
                                              "items": {"type": "integer", "minimum": 0}}}},
                    {"type": "object", "required": ["value"], "additionalProperties": False,
                     "properties": {"value": {}}},
                ],
            },
        },
    },
}


def _arrays_and_values(summary: Summary) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    arrays: dict[str, np.ndarray] = {}
    values: dict[str, Any] = {}
    for field in attrs.fields(type(summary)):
        value = getattr(summary, field.name)
        if isinstance(value, np.ndarray):
            arrays[field.name] = value
        else:
            values[field.name] = value
    return arrays, values


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def site_statistics_bytes(statistics: SiteStatistics) -> bytes:
    """The ``.stats`` file of ``statistics``, as bytes."""
    arrays, values = _arrays_and_values(statistics.summary)
    description = {
        "format": FORMAT, "version": FORMAT_VERSION, "sites": list(statistics.sites),
        "min_items": statistics.min_items, "min_respondents": statistics.min_respondents,
        "summary": {
            **{name: {"dtype": a.dtype.str, "shape": list(a.shape)} for name, a in arrays.items()},
            **{name: {"value": v} for name, v in values.items()},
        },
    }
    entries = {
        _DESCRIPTION: json.dumps(description, indent=2, sort_keys=True).encode() + b"\n",
        _FACTS: dumps(statistics.study).encode("utf-8"),
        **{f"summary/{name}.npy": _npy(a) for name, a in arrays.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return buffer.getvalue()


def write_site_statistics(statistics: SiteStatistics, destination: str | os.PathLike[str]
                          ) -> None:
    """Write ``statistics`` as a ``.stats`` file to ``destination`` (atomically)."""
    write_bytes_atomic(Path(destination), site_statistics_bytes(statistics))


def _tuples(value: Any) -> Any:
    """JSON arrays back to tuples (the summary's non-array fields are tuples)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _array(data: bytes, where: str, dtype: np.dtype[Any], trailing: tuple[int, ...]
           ) -> np.ndarray:
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise InvalidInputError(where, f"not a readable .npy array: {exc}") from None
    if not isinstance(array, np.ndarray) or array.dtype != dtype or array.ndim < 1 \
            or array.shape[1:] != trailing:
        shape = ", ".join(["n", *map(str, trailing)])
        raise InvalidInputError(where, (
            f"expected an array of {dtype} of shape ({shape}), found "
            f"{getattr(array, 'dtype', type(array).__name__)} of shape "
            f"{getattr(array, 'shape', '?')}"))
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise InvalidInputError(where, "expected finite sums, found NaN or infinity")
    if array.dtype.kind == "i" and (array < 0).any():
        raise InvalidInputError(where, "expected counts or codes of at least 0, found a "
                                "negative number")
    return array


def read_site_statistics(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES,
                         max_ratio: int = DEFAULT_MAX_RATIO) -> SiteStatistics:
    """Read a ``.stats`` file written by
    [`write_site_statistics`][relcoord.site_statistics_file.write_site_statistics]."""
    where = str(path)
    packed = read_bounded(path, where, limit=max_bytes, expected="a .stats file")
    try:
        archive = zipfile.ZipFile(io.BytesIO(packed))
    except UNREADABLE_ZIP as exc:
        raise InvalidInputError(where, f"not a .stats file (not a readable zip: {exc})"
                                ) from None
    with archive:
        entries = zip_entries(archive, where)
        budget = max_bytes

        def entry(name: str) -> bytes:
            nonlocal budget
            if name not in entries:
                raise InvalidInputError(f"{where}/{name}", "missing; a .stats file written by "
                                        "relcoord stats has it")
            data = unpack_entry(archive, entries[name], f"{where}/{name}", budget, max_ratio,
                                what="the statistics")
            budget -= len(data)
            return data

        description = parse_json(entry(_DESCRIPTION), f"{where}/{_DESCRIPTION}")
        _check_description(description, f"{where}/{_DESCRIPTION}")
        document = parse_json(entry(_FACTS), f"{where}/{_FACTS}")
        if not isinstance(document, dict):
            raise InvalidInputError(f"{where}/{_FACTS}", "expected the study's facts as a "
                                    "relcoord study (a JSON object)")
        try:
            facts = load(document)
        except RelcoordError as exc:
            raise InvalidInputError(f"{where}/{_FACTS}", str(exc)) from None
        template = shared_sums(facts, description["min_items"])
        declared = description["summary"]
        arrays, values = _arrays_and_values(template)
        expected = set(arrays) | set(values)
        if set(declared) != expected:
            missing, extra = sorted(expected - set(declared)), sorted(set(declared) - expected)
            raise InvalidInputError(f"{where}/{_DESCRIPTION}", (
                f"the summary's fields do not match this version of relcoord (missing: "
                f"{', '.join(missing) or 'none'}; unknown: {', '.join(extra) or 'none'})"))
        fields: dict[str, Any] = {}
        for name, like in arrays.items():
            fields[name] = _array(entry(f"summary/{name}.npy"), f"{where}/summary/{name}.npy",
                                  like.dtype, like.shape[1:])
        for name in values:
            if "value" not in declared[name]:
                raise InvalidInputError(f"{where}/{_DESCRIPTION}",
                                        f"summary field {name!r} must be given as a value")
            fields[name] = _tuples(declared[name]["value"])
        summary = _consistent(type(template)(**fields), template, where)
    return SiteStatistics(study=facts, summary=summary, min_items=description["min_items"],
                          min_respondents=description["min_respondents"],
                          sites=tuple(description["sites"]))


def _check_description(description: Any, where: str) -> None:
    errors = sorted(jsonschema.Draft202012Validator(_SCHEMA).iter_errors(description),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        at = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
        raise InvalidInputError(f"{where}: ${at}", error.message)
    if description["version"] > FORMAT_VERSION:
        raise InvalidInputError(f"{where}: $.version", (
            f"version {description['version']} is newer than this relcoord reads "
            f"({FORMAT_VERSION}); update relcoord"))


def _consistent(summary: Summary, template: Summary, where: str) -> Summary:
    """``summary`` when its cells agree with its arrays and its grid with the facts."""
    if summary.grid[0] != template.grid[0] or summary.grid[2:4] != template.grid[2:4]:
        raise InvalidInputError(f"{where}/{_DESCRIPTION}: $.summary.grid", (
            "the summary's roles, items or min_items differ from the study's facts"))
    cells = summary.cells
    if (np.diff(cells) <= 0).any() or (len(cells) and cells[-1] >= summary.size):
        raise InvalidInputError(f"{where}/summary/cells.npy", (
            f"expected ascending distinct cell codes below {summary.size}"))
    for name in _arrays_and_values(template)[0]:
        rows = getattr(summary, name).shape[0]
        per_person = name.startswith("people")
        if rows != (0 if per_person else len(cells)):
            raise InvalidInputError(f"{where}/summary/{name}.npy", (
                f"expected {0 if per_person else len(cells)} rows (one per cell"
                f"{'; no per-person sums leave a site' if per_person else ''}), found {rows}"))
    return summary
