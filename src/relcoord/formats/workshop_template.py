"""Workshop templates: the forms a workshop fills in, as a plugin writes them.

``relcoord template --roles roles.csv --kind relationskort|balkort|survey -o workshop.xlsx``
describes the forms as a [`WorkshopTemplate`][relcoord.formats.workshop_template.WorkshopTemplate]
and hands it to the [`TemplateWriter`][relcoord.formats.workshop_template.TemplateWriter] whose
extension the output has, registered by a plugin through
`relcoord_register_template_writers` (``.xlsx``: the data-entry workbook of
``relcoord-xlsx``; ``.docx``: its printable twin in ``relcoord-docx``).  The core knows
what goes into a template, in which language and
under which headers; it imports no spreadsheet or word-processor library.

One row of a template is one of:

``relationskort``
    an arrow a group drew on the relationship map: the group, the group it points to,
    the wave and the four communication qualities of the ``relationskort`` instrument;
``balkort``
    an invitation to a dialogue: the group inviting, the group invited, the topic, its
    status and the wave;
``survey``
    one respondent's answers about one other group: respondent, own group, the group
    rated, the wave and one answer per item of the instrument (``rc7`` by default).

Groups are shown by their names in the template's language; answers by the instrument's
answer labels in that language; statuses by the catalogue's words.  The headers are words
the CSV importers' column aliases know (``workbook.column.*``), so a filled template reads
back through the same column finding as a CSV file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final, Literal, get_args

import attrs

from relcoord import messages
from relcoord.errors import InvalidInputError
from relcoord.instruments import INSTRUMENTS, Dimension, Instrument
from relcoord.model import INVITATION_STATUSES, Metadata, Role

__all__ = [
    "DEFAULT_INSTRUMENTS",
    "TEMPLATE_KINDS",
    "TemplateKind",
    "TemplateWriter",
    "WorkshopTemplate",
    "answer_labels",
    "role_label",
    "status_label",
    "writer_for",
]

TemplateKind = Literal["relationskort", "balkort", "survey"]
#: The kinds of template, in the order the command line lists them.
TEMPLATE_KINDS: Final[tuple[str, ...]] = get_args(TemplateKind)
#: The instrument of each kind when none is named (a balkort rates nothing).
DEFAULT_INSTRUMENTS: Final = {"relationskort": "relationskort", "balkort": "relationskort",
                              "survey": "rc7"}


def role_label(role: Role, lang: str) -> str:
    """How a template shows ``role``: its name in ``lang``, else its name."""
    return role.label(lang)


def answer_labels(dimension: Dimension, lang: str) -> tuple[str, ...]:
    """The answers of ``dimension`` as the template lists them, in the order shown: the
    labels in ``lang``, else in the instrument's first language, else the positions."""
    labels = dimension.answers.get(lang) or next(iter(dimension.answers.values()), None)
    if labels is None:
        return tuple(str(p) for p in range(1, len(dimension.scoring) + 1))
    return tuple(labels)


def status_label(status: str, lang: str) -> str:
    """An invitation status as the template lists it (the catalogue's word)."""
    return messages.capital(messages.text(f"status.{status}", lang))


@attrs.frozen
class WorkshopTemplate:
    """What a template holds: its kind, the groups, the language and the instrument.

    ``metadata`` is written into the template (its id, title and language) so that the
    filled template reads back as the same study.  The groups' labels in ``lang``
    ([`role_label`][relcoord.formats.workshop_template.role_label]) must differ from each other: a
    drop-down list could not tell two groups apart.
    """

    kind: TemplateKind
    roles: tuple[Role, ...] = attrs.field(converter=tuple)
    lang: str
    instrument: Instrument
    metadata: Metadata

    def __attrs_post_init__(self) -> None:
        if self.kind not in TEMPLATE_KINDS:
            raise ValueError(f"template kind must be one of {', '.join(TEMPLATE_KINDS)}, "
                             f"not {self.kind!r}")
        if not self.roles:
            raise InvalidInputError("roles", "a template needs at least one group")
        seen: dict[str, str] = {}
        ids = {r.id.strip() for r in self.roles}
        for role in self.roles:
            shown = role_label(role, self.lang)
            label = shown.strip().casefold()
            if label in seen:
                raise InvalidInputError("roles", (
                    f"groups {seen[label]!r} and {role.id!r} are both called {shown!r}; a "
                    "template lists groups by name, so give them different names"))
            if shown.strip() in ids - {role.id.strip()} or not label:
                raise InvalidInputError("roles", (
                    f"group {role.id!r} is called {shown!r}, which is empty or another "
                    "group's id; a template lists groups by name, so give it another"))
            seen[label] = role.id

    @classmethod
    def of(cls, kind: str, roles: Iterable[Role], lang: str, *,
           instrument: Instrument | None = None, metadata: Metadata | None = None
           ) -> WorkshopTemplate:
        """A template of ``kind`` for ``roles``; the instrument defaults to the kind's
        (`DEFAULT_INSTRUMENTS`), the
        metadata to a study ``workshop`` in ``lang``."""
        if kind not in TEMPLATE_KINDS:
            raise InvalidInputError("--kind", f"expected one of {', '.join(TEMPLATE_KINDS)}, "
                                    f"not {kind!r}")
        chosen = instrument or INSTRUMENTS[DEFAULT_INSTRUMENTS[kind]]
        return cls(kind=kind, roles=tuple(roles), lang=lang,  # type: ignore[arg-type]
                   instrument=chosen, metadata=metadata or Metadata(id="workshop",
                                                                     language=lang))

    def text(self, key: str, **fields: object) -> str:
        """The catalogue's phrase ``workbook.<key>`` in the template's language."""
        return messages.text(f"workbook.{key}", self.lang, **fields)

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields of one row, in column order (items after the labels)."""
        if self.kind == "balkort":
            return ("source", "target", "topic", "status", "wave")
        labels = ("source", "target", "wave")
        return (("respondent", *labels) if self.kind == "survey" else labels)

    @property
    def items(self) -> tuple[Dimension, ...]:
        """The items a row answers (none on a balkort)."""
        return () if self.kind == "balkort" else self.instrument.dimensions

    def header(self) -> tuple[str, ...]:
        """The entry sheet's header: a word per field, then each item's name."""
        words = tuple(self.field_header(f) for f in self.fields)
        return words + tuple(d.name(self.lang) for d in self.items)

    def field_header(self, field: str) -> str:
        """The header of ``field`` (``status`` is the report's word)."""
        if field == "status":
            return messages.text("report.status", self.lang)
        return self.text(f"column.{field}")

    def role_labels(self) -> tuple[str, ...]:
        """The groups as the template lists them."""
        return tuple(role_label(r, self.lang) for r in self.roles)

    def status_labels(self) -> tuple[str, ...]:
        """The invitation statuses as the template lists them."""
        return tuple(status_label(s, self.lang) for s in INVITATION_STATUSES)

    def sheet_name(self) -> str:
        """The name of the entry sheet."""
        return self.text(f"sheet.{self.kind}")


def _extensions(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v).lower() for v in values)


#: Writes a template to a (temporary) path; the host renames it into place.
TemplateWrite = Callable[[WorkshopTemplate, Path], None]


@attrs.frozen
class TemplateWriter:
    """A file format a plugin writes templates in: an id, a title, its extensions and
    the function that writes (to a temporary path beside the destination)."""

    id: str
    title: str
    extensions: tuple[str, ...] = attrs.field(converter=_extensions)
    write: TemplateWrite = attrs.field(eq=False)

    def matches(self, path: str | Path) -> bool:
        """Whether ``path``'s name ends in one of the extensions (case ignored)."""
        name = Path(path).name.lower()
        return any(name.endswith(e) and name != e for e in self.extensions)


def writer_for(writers: Sequence[TemplateWriter], destination: str | Path) -> TemplateWriter:
    """The writer whose extension ``destination`` has; a located error listing the
    extensions the installed plugins write otherwise."""
    for writer in writers:
        if writer.matches(destination):
            return writer
    known = ", ".join(e for w in writers for e in w.extensions) or "none (install relcoord-xlsx)"
    raise InvalidInputError(str(destination), (
        f"no plugin writes templates of this kind of file; the extensions known are {known}"))
