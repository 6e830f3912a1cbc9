"""The Format type: what an importer or exporter is, as the plugin host sees it.

A [`Format`][relcoord.formats.format_type.Format] is a frozen description of one file format: its
id, title, file extensions, media type, what it can carry (a study, an analysis, or both) and the
functions that read and write it.  Built-in formats and plugin formats are the same kind of object,
registered through the same hooks (`relcoord.plugins.hookspecs`).

The contract for the two functions:

``read(source, options) -> Study``
    ``source`` is a path to a file (or a folder, for folder formats); ``options`` holds the
    format's own options (e.g. a CSV column mapping).  Bad input raises
    [`InvalidInputError`][relcoord.errors.InvalidInputError] (``file:line:column: message``) or
    [`InvalidStudyError`][relcoord.errors.InvalidStudyError] (every problem, located), never a bare
    exception.

``write(study, analysis, destination, options) -> None``
    ``destination`` is a *temporary* path in the final destination's folder, handed out by
    the host ([`relcoord.atomic_files.atomic_path`][relcoord.atomic_files.atomic_path]); the host
    renames it into place only when ``write`` returns, so a writer never has to clean up after a
    failure.  It is a file path (an empty file the writer overwrites), or an empty folder the writer
    fills when [`Format.writes_directory`][relcoord.formats.format_type.Format.writes_directory] is
    true. ``analysis`` is ``None`` when the caller only has a study; a format that carries an
    analysis computes nothing itself (the caller passes the result of
    [`relcoord.analyze`][relcoord.analysis.analyze]).

``detect(source, options) -> str | None``
    optional, for a format chosen by a file's extension that several layouts share (a
    ``.csv`` file): the id of the format that fits the file's content (its header), or
    ``None`` to keep this one.  The host asks it only when no format was named.

What a format ``carries`` decides how the host treats it (``docs/privacy.md``):

``"study"``
    study data: the whole study, lossless (``relcoord convert``,
    [`relcoord.dump`][relcoord.study_json.dump]). Respondents are kept as their ids unless the
    caller asks for pseudonyms or, with a warning, for none.
``"analysis"`` and ``"both"``
    published results (``relcoord export``, ``relcoord demo``): the results of an
    analysis, and with ``"both"`` the study's facts that are not answers (its roles, named
    ties and invitations).  They never hold a raw answer or a respondent id; the host
    hands their writers the study with pseudonyms in place of respondent ids.

Options are declared once, as [`FormatOption`][relcoord.formats.format_option.FormatOption]
objects in ``read_options`` and ``write_options``; the host refuses an option a format
does not declare before the format runs.  ``None`` (the default) means the format checks
its own options (plugins written before options were declared).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, get_args

import attrs

from relcoord.formats.format_option import FormatOption
from relcoord.model import Study

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = [
    "CARRIES",
    "FORMAT_ID_PATTERN",
    "Carries",
    "Detector",
    "Format",
    "Reader",
    "Writer",
]

Carries = Literal["study", "analysis", "both"]
#: What a format can hold: a study (its facts), an analysis (computed results), or both.
CARRIES: Final[tuple[str, ...]] = get_args(Carries)

#: A reader turns a file (or folder) and the format's options into a study.
Reader: TypeAlias = Callable[[Path, Mapping[str, Any]], Study]
#: A writer writes a study and, if the format carries one, an analysis to a path.
Writer: TypeAlias = Callable[[Study, "Analysis | None", Path, Mapping[str, Any]], None]
#: A detector names the format whose layout fits a file better (or ``None``: this one).
Detector: TypeAlias = Callable[[Path, Mapping[str, Any]], "str | None"]

#: Format ids are lower-case words joined by hyphens: ``json``, ``analysis-json``, ``csv-long``.
FORMAT_ID_PATTERN: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_EXTENSION = re.compile(r"(?:\.[a-z0-9]+)+")
_MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9][a-z0-9!#$&^_.+-]*")


def _check_id(instance: Format, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not FORMAT_ID_PATTERN.fullmatch(value):
        raise ValueError(
            f"format id {value!r} is not valid: use lower-case letters and digits, "
            "words joined by '-' (e.g. 'csv-long')"
        )


def _extensions(value: str | Iterable[str]) -> tuple[str, ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    return tuple(str(e).lower() for e in items)


def _check_extensions(
    instance: Format, attribute: attrs.Attribute[tuple[str, ...]], value: tuple[str, ...]
) -> None:
    for extension in value:
        if not _EXTENSION.fullmatch(extension):
            raise ValueError(
                f"format {instance.id!r}: extension {extension!r} must start with '.' "
                "and hold only letters and digits (e.g. '.json', '.csv.zip')"
            )
    if len(set(value)) != len(value):
        raise ValueError(f"format {instance.id!r}: extensions {value!r} repeat")


def _check_media_type(instance: Format, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _MEDIA_TYPE.fullmatch(value):
        raise ValueError(
            f"format {instance.id!r}: media type {value!r} is not of the form 'type/subtype'"
        )


def _check_carries(instance: Format, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in CARRIES:
        raise ValueError(
            f"format {instance.id!r}: carries must be one of {', '.join(CARRIES)}, not {value!r}"
        )


def _check_callable(instance: Format, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not callable(value):
        raise TypeError(f"format {instance.id!r}: {attribute.name} must be callable or None")


def _options(value: Iterable[FormatOption] | None) -> tuple[FormatOption, ...] | None:
    return None if value is None else tuple(value)


def _check_options(instance: Format, attribute: attrs.Attribute[Any],
                   value: tuple[FormatOption, ...] | None) -> None:
    if value is None:
        return
    if not all(isinstance(o, FormatOption) for o in value):
        raise TypeError(f"format {instance.id!r}: {attribute.name} must hold FormatOption "
                        "objects")
    names = [o.name for o in value]
    if len(set(names)) != len(names):
        raise ValueError(f"format {instance.id!r}: {attribute.name} declares an option twice")


@attrs.frozen
class Format:
    """One file format that relcoord can read, write or both.

    ``extensions`` are lower-case and start with a dot (``(".json",)``); the first one is
    the format's preferred extension.  A format that writes a folder sets
    ``writes_directory`` and may have no extensions (it is then chosen by id only), and so
    may an importer that is only ever chosen by id (``--from parquet-parts``).
    ``carries`` says what the format holds: ``"study"`` (study data: all of it),
    ``"analysis"`` (published results) or ``"both"`` (published results with the study's
    roles, named ties and invitations).  At least one of ``read`` and ``write`` must be
    given; ``read_options`` and ``write_options`` declare their options and ``detect``
    picks a sibling format by content (see the module docstring for each).
    """

    id: str = attrs.field(validator=_check_id)
    title: str
    extensions: tuple[str, ...] = attrs.field(converter=_extensions, validator=_check_extensions)
    media_type: str = attrs.field(validator=_check_media_type)
    carries: Carries = attrs.field(validator=_check_carries)
    read: Reader | None = attrs.field(default=None, validator=_check_callable, eq=False)
    write: Writer | None = attrs.field(default=None, validator=_check_callable, eq=False)
    description: str = ""
    writes_directory: bool = False
    read_options: tuple[FormatOption, ...] | None = attrs.field(
        default=None, converter=_options, validator=_check_options)
    write_options: tuple[FormatOption, ...] | None = attrs.field(
        default=None, converter=_options, validator=_check_options)
    detect: Detector | None = attrs.field(default=None, validator=_check_callable, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.read is None and self.write is None:
            raise ValueError(f"format {self.id!r} has neither read nor write")
        if not self.title.strip():
            raise ValueError(f"format {self.id!r} needs a title")
        if not self.extensions and not self.writes_directory and self.write is not None:
            raise ValueError(
                f"format {self.id!r} needs at least one file extension "
                "(only a folder format or an importer chosen by id may have none)"
            )

    @property
    def can_read(self) -> bool:
        """Whether the format has an importer."""
        return self.read is not None

    @property
    def can_write(self) -> bool:
        """Whether the format has an exporter."""
        return self.write is not None

    def matches(self, path: str | Path) -> int:
        """How well ``path``'s name matches an extension: the matched length, 0 for no match.

        Longer matches win, so ``tables.csv.zip`` picks a ``.csv.zip`` format over a
        ``.zip`` one.  Case is ignored.
        """
        name = Path(path).name.lower()
        return max((len(e) for e in self.extensions if name.endswith(e) and name != e), default=0)

