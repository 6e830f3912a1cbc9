"""The options of the SPSS and Stata importers, declared once.

They are the CSV layout importers' options (`relcoord.formats.csv.read_options.layout_options`
: ``columns``, ``items``, ``instrument``, ``values``, ``missing``,
``encoding``, ``max_bytes``, ``roles``, ``ties``, ``invitations``, ``study_id``, ``title``,
``language``, ``rater_role``, ``target_role``, ``wave``, ``drop_empty``) without the two a
labelled file has no use for (``delimiter``, ``decimal``), and the options of labelled
files: ``layout``, ``value_labels``, ``missing_codes``, ``merge``, ``file_column``,
``merge_respondents`` and ``max_seconds`` (how long reading one file may take: the reader
process is stopped after it).  `parse_labelled_options` checks them and returns the CSV part
as a [`ReadOptions`][relcoord.formats.csv.read_options.ReadOptions] (which the layouts read) and
the rest as `LabelledOptions`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from relcoord.formats.csv.read_options import ReadOptions, layout_options
from relcoord.formats.format_option import FormatOption, parse_options, text_list
from relcoord_spss.reader_process import DEFAULT_MAX_SECONDS

__all__ = ["LABELLED_READ_OPTIONS", "LabelledOptions", "parse_labelled_options"]

_NOT_FOR_LABELLED_FILES: Final = frozenset({"delimiter", "decimal"})
#: What the shared options' defaults are for a labelled file, in words.
_SHOWN_DEFAULTS: Final = {
    "instrument": "rc7",
    "encoding": "what the file says",
    "drop_empty": "true for the wide layout, else false",
}


def _shared_options() -> tuple[FormatOption, ...]:
    """The CSV layouts' options that a labelled file takes, their defaults said for it."""
    return tuple(
        attrs.evolve(o, shown_default=_SHOWN_DEFAULTS[o.name]) if o.name in _SHOWN_DEFAULTS
        else o
        for o in layout_options("rc7") if o.name not in _NOT_FOR_LABELLED_FILES)


def _seconds(value: Any) -> float:
    """A number of seconds above zero (text or number)."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ValueError("expected a number of seconds, e.g. 600") from None
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError("expected a number of seconds above zero, e.g. 600")
    return seconds


def _codes(value: Any) -> tuple[float, ...]:
    """Numeric codes: a sequence of numbers, or comma-separated text (``8,9``)."""
    try:
        return tuple(float(v) for v in text_list(value) if str(v).strip())
    except ValueError:
        raise ValueError("expected numeric codes, comma-separated (e.g. 8,9)") from None


#: The options of the ``spss`` and ``stata`` importers.
LABELLED_READ_OPTIONS: Final = (
    *_shared_options(),
    FormatOption("layout", "long: one case per item answer (item and answer variables); "
                 "wide: one case per respondent and target role, one variable per item",
                 choices=("auto", "long", "wide"), default="auto",
                 shown_default="auto: by the variables"),
    FormatOption("value_labels", "how labelled codes are read: labels (an answer code by "
                 "its label among the instrument's answers in da, en or de, a role code as "
                 "its label), codes (as they are), or auto (labels where every code held "
                 "matches, else codes)", choices=("auto", "labels", "codes"), default="auto"),
    FormatOption("missing_codes", "answer codes read as a missing answer, besides the "
                 "user-missing codes the file declares", parse=_codes, default=(),
                 metavar="CODE,CODE,...", shown_default="none"),
    FormatOption("merge", "more files of the same survey (one per survey mode or site), "
                 "merged with this one", parse=text_list, default=(),
                 metavar="PATH,PATH,...", shown_default="none"),
    FormatOption("file_column", "the column that says which file each row of merged files "
                 "came from", default="file", metavar="NAME"),
    FormatOption("max_seconds", "give up reading a file (and stop the reader process that "
                 "reads it) after this many seconds", parse=_seconds,
                 default=DEFAULT_MAX_SECONDS, metavar="SECONDS",
                 shown_default=f"{DEFAULT_MAX_SECONDS:g}"),
    FormatOption("merge_respondents", "merged files that share a respondent id: the same "
                 "person (same), or ids prefixed with the file's name (per_file)",
                 choices=("auto", "same", "per_file"), default="auto",
                 shown_default="auto: an error when ids are shared"),
)


@attrs.frozen
class LabelledOptions:
    """The options only labelled files have (see `LABELLED_READ_OPTIONS`)."""

    layout: str = "auto"
    value_labels: str = "auto"
    missing_codes: tuple[float, ...] = ()
    merge: tuple[str, ...] = ()
    file_column: str = "file"
    merge_respondents: str = "auto"
    max_seconds: float = DEFAULT_MAX_SECONDS


def parse_labelled_options(format_id: str, path: Path, options: Mapping[str, Any]
                           ) -> tuple[ReadOptions, LabelledOptions]:
    """Check the options of importer ``format_id`` for ``path``: the layouts' options and
    the labelled files' own."""
    values = parse_options(format_id, options, LABELLED_READ_OPTIONS)
    own = {f.name: values.pop(f.name) for f in attrs.fields(LabelledOptions)}
    own["merge"] = tuple(p for p in own["merge"] if p)
    values["columns"] = values["columns"] or {}
    values["items"] = values["items"] or {}
    return (ReadOptions(name=str(path), delimiter=None, decimal=".", **values),
            LabelledOptions(**own))
