"""Built-in plugin: the canonical study JSON (``json``) and the Analysis JSON (``analysis-json``).

``json`` reads and writes the canonical study format (the documentation's "Study format"
page, ``docs/format.md``) through [`relcoord.study_json.load`][relcoord.study_json.load] and
[`relcoord.study_json.dumps`][relcoord.study_json.dumps], so the plugin path and the library path
give the same bytes.
It carries the whole study; nothing is lost in a round trip.

``analysis-json`` writes the results of [`relcoord.analyze`][relcoord.analysis.analyze] as one JSON
document ([`Analysis.to_mapping()`][relcoord.analysis_result.Analysis.to_mapping]).  It is an
output only: an analysis is computed from a study, never read back into one.

Both are deterministic: UTF-8, two-space indentation, a trailing newline, no ``NaN``.  Key
order is the order the ``to_mapping()`` methods give, which is fixed by the code and meaningful
(the format version first; dimensions in the instrument's order); lists are ordered by role
id.  The Analysis JSON file holds exactly what ``relcoord analyze --json`` prints.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from relcoord.formats.format_option import FormatOption, parse_options, whole_number
from relcoord.formats.format_type import Format
from relcoord.plugins.hookspecs import hookimpl
from relcoord.study_json import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study

__all__ = [
    "ANALYSIS_JSON",
    "JSON",
    "JSON_READ_OPTIONS",
    "analysis_json_bytes",
    "relcoord_register_exporters",
    "relcoord_register_importers",
]

#: The options of the ``json`` importer.
JSON_READ_OPTIONS: Final = (
    FormatOption("max_bytes", "refuse files larger than this many bytes",
                 parse=whole_number(1), default=DEFAULT_MAX_BYTES, metavar="BYTES",
                 shown_default=f"{DEFAULT_MAX_BYTES} (2 GiB)"),
)


def read_study(source: Path, options: Mapping[str, Any]) -> Study:
    """Read a canonical study JSON file; options: ``max_bytes`` (size guard, in bytes)."""
    from relcoord.study_json import load

    values = parse_options("json", options, JSON_READ_OPTIONS)
    return load(source, max_bytes=values["max_bytes"])


def write_study(
    study: Study, analysis: Analysis | None, destination: Path, options: Mapping[str, Any]
) -> None:
    """Write the study as canonical JSON (the analysis, if any, is not part of a study)."""
    from relcoord.study_json import dumps

    parse_options("json", options, ())
    destination.write_bytes(dumps(study).encode("utf-8"))


def analysis_json_bytes(analysis: Analysis) -> bytes:
    """The Analysis JSON document as bytes: two-space indent, final newline, no NaN."""
    text = json.dumps(analysis.to_mapping(), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def write_analysis(
    study: Study, analysis: Analysis | None, destination: Path, options: Mapping[str, Any]
) -> None:
    """Write the Analysis JSON; the host passes an analysis for this format (it carries one)."""
    parse_options("analysis-json", options, ())
    if analysis is None:
        raise TypeError("analysis-json needs an analysis; compute one with relcoord.analyze")
    destination.write_bytes(analysis_json_bytes(analysis))


#: The canonical study format (read and write).
JSON: Final = Format(
    id="json",
    title="relcoord study JSON",
    extensions=(".json",),
    media_type="application/json",
    carries="study",
    read=read_study,
    write=write_study,
    description="The canonical study document (format version 1): roles, respondents, "
    "ties, ratings and invitations, validated against the shipped JSON Schema.",
    read_options=JSON_READ_OPTIONS,
    write_options=(),
)

#: The results of an analysis (write only).
ANALYSIS_JSON: Final = Format(
    id="analysis-json",
    title="relcoord Analysis JSON",
    extensions=(".analysis.json", ".json"),
    media_type="application/json",
    carries="analysis",
    write=write_analysis,
    description="Every result of relcoord.analyze (indices, sub-indices, bands, network "
    "measures, findings) with the settings that produced them; output only.",
    write_options=(),
)


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """The JSON importer."""
    return (JSON,)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The JSON exporters: study and analysis."""
    return (JSON, ANALYSIS_JSON)
