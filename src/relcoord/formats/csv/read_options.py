"""The options of the CSV layout importers (``csv-long``, ``csv-wide``, ``csv-relationskort``).

:data:`READ_OPTIONS` lists what each option means; :func:`parse_read_options` checks the
options a caller gave (a mapping, or strings from the command line's ``-I KEY=VALUE``) and
returns them as one :class:`ReadOptions`.  An unknown option or a bad value raises
:class:`~relcoord.errors.InvalidInputError` before any file is read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from relcoord.errors import InvalidInputError
from relcoord.formats.csv.answers import DEFAULT_MISSING
from relcoord.formats.csv.columns import item_index
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES
from relcoord.formats.format_type import check_options
from relcoord.instruments import Instrument, get_instrument
from relcoord.model import Metadata

__all__ = ["READ_OPTIONS", "ReadOptions", "parse_read_options", "positive_int"]

#: Options every CSV layout importer takes, with what they mean.
READ_OPTIONS: Final[Mapping[str, str]] = {
    "columns": "field -> header, e.g. {'respondent': 'RespID', 'source': 'Rolle'}",
    "items": "header or item label -> dimension key, e.g. {'Q12': 'frequent'}",
    "instrument": "built-in instrument id or Instrument (default rc7; relationskort layout: "
                  "relationskort)",
    "values": "'auto' (default), 'positions' or 'scores': what the answer cells hold",
    "missing": "cell texts read as a missing answer (default '', NA, N/A, NaN, '.', '-')",
    "delimiter": "',', ';' or tab (default: sniffed)",
    "decimal": "'auto' (default), '.' or ','",
    "encoding": "the file's encoding (default: UTF-8, else cp1252 with a warning)",
    "max_bytes": f"refuse files larger than this (default {DEFAULT_MAX_BYTES:,})",
    "roles": "path of a roles table (id, name, organisation, present, name_<lang>)",
    "ties": "path of a named-arrows table (source, target, wave)",
    "invitations": "path of an invitations table (source, target, topic, status, wave)",
    "study_id": "the study's id (default: the file name without extension)",
    "title": "the study's title",
    "language": "the language of the role names (default en)",
    "rater_role": "the rater role of every row, for files without a rater column",
    "target_role": "the target role of every row, for files without a target column",
    "wave": "the wave of every row, for files without a wave column",
    "drop_empty": "drop ratings whose items are all missing (default: wide true, else false)",
}


@attrs.frozen
class ReadOptions:
    """The options of a CSV importer, checked (see :data:`READ_OPTIONS`).

    ``name`` is the file the options are for (to locate problems); ``raw`` holds the
    options as given, for those read only once (the side tables, the study's metadata).
    """

    name: str
    columns: Mapping[str, str]
    items: Mapping[str, str]
    instrument: Instrument
    values: str
    missing: tuple[str, ...]
    delimiter: str | None
    decimal: str
    encoding: str | None
    max_bytes: int
    rater_role: str | None
    target_role: str | None
    wave: str | None
    drop_empty: bool | None
    raw: Mapping[str, Any]

    @property
    def constants(self) -> dict[str, str | None]:
        """The label a field has in every row when an option gives it (else ``None``)."""
        return {"source": self.rater_role, "target": self.target_role, "wave": self.wave}

    def item_index(self) -> dict[str, str]:
        """Normalised item label -> dimension key (see
        :func:`~relcoord.formats.csv.columns.item_index`), with the ``items`` option."""
        try:
            return item_index(self.instrument, self.items)
        except ValueError as exc:
            raise InvalidInputError(self.name, str(exc)) from None

    def metadata(self, path: Path) -> Metadata:
        """The study's metadata: the ``study_id`` (default: the file name without
        extension), ``title`` and ``language`` options."""
        stem = path.name.split(".")[0] or "study"
        return Metadata(id=str(self.raw.get("study_id") or stem),
                        title=str(self.raw.get("title") or ""),
                        language=str(self.raw.get("language") or "en"))


def _mapping(name: str, key: str, value: Any) -> dict[str, str]:
    """A mapping option, given as a mapping or (from the command line) as a JSON object."""
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = None
    if not isinstance(value, Mapping):
        raise InvalidInputError(name, f"option {key} must be a mapping (on the command line "
                                f'a JSON object such as {{"respondent": "RespID"}})')
    return {str(k): str(v) for k, v in value.items()}


def _flag(name: str, key: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise InvalidInputError(name, f"option {key} must be true or false, not {value!r}")


def positive_int(name: str, key: str, value: Any) -> int:
    """An integer option > 0 (a string from the command line is accepted)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or number <= 0 or (isinstance(value, float)
                                                   and not value.is_integer()):
        raise InvalidInputError(name, f"{key} must be a positive integer, not {value!r}")
    return number


def _instrument(name: str, value: Any) -> Instrument:
    if isinstance(value, str):
        try:
            value = get_instrument(value)
        except KeyError as exc:
            raise InvalidInputError(name, str(exc.args[0])) from None
    if not isinstance(value, Instrument):
        raise InvalidInputError(name, "the instrument option must be an id or an Instrument")
    return value


def _missing(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):  # from the command line: comma-separated
        value = [m.strip() for m in value.split(",")]
    return tuple(str(m) for m in value)


def parse_read_options(format_id: str, path: Path, options: Mapping[str, Any],
                       default_instrument: str) -> ReadOptions:
    """Check the options of importer ``format_id`` for the file ``path``."""
    check_options(format_id, options, READ_OPTIONS)
    name = str(path)
    instrument = _instrument(name, options.get("instrument", default_instrument))
    if options.get("values", "auto") not in ("auto", "positions", "scores"):
        raise InvalidInputError(name, "values must be 'auto', 'positions' or 'scores', not "
                                f"{options['values']!r}")
    max_bytes = positive_int(name, "max_bytes", options.get("max_bytes", DEFAULT_MAX_BYTES))

    def text(key: str) -> str | None:
        value = options.get(key)
        return None if value is None else str(value)

    return ReadOptions(
        name=name, columns=_mapping(name, "columns", options.get("columns")),
        items=_mapping(name, "items", options.get("items")), instrument=instrument,
        values=str(options.get("values", "auto")),
        missing=_missing(options.get("missing", DEFAULT_MISSING)),
        delimiter=text("delimiter"), decimal=str(options.get("decimal", "auto")),
        encoding=text("encoding"), max_bytes=max_bytes, rater_role=text("rater_role"),
        target_role=text("target_role"), wave=text("wave"),
        drop_empty=_flag(name, "drop_empty", options.get("drop_empty")),
        raw=options,
    )
