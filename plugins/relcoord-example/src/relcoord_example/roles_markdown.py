"""``roles-markdown``: the study's roles as a Markdown table (write only).

A table people paste into a report or a wiki: id, name, organisation and whether anyone
from the role was present.  Pipes and line breaks in names are escaped so the table stays
one row per role.  Roles are facts, not answers: a published output (``carries="both"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from relcoord import Study
from relcoord.formats import Format, FormatOption, parse_options

__all__ = ["ROLES_MARKDOWN", "WRITE_OPTIONS", "roles_table"]

#: The options of the role table, declared once.
WRITE_OPTIONS: Final = (
    FormatOption("lang", "the language of the role names, where a role has one (e.g. da)",
                 metavar="CODE", shown_default="the roles' own names"),
)


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def roles_table(study: Study, lang: str | None = None) -> str:
    """The roles of ``study`` as a Markdown table, names in ``lang`` where a role has one."""
    lines = ["| id | name | organisation | present |", "| --- | --- | --- | --- |"]
    for role in study.roles:
        present = "yes" if role.present else "no"
        cells = (role.id, role.label(lang), role.organisation or "", present)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def write_roles(
    study: Study, analysis: object, destination: Path, options: Mapping[str, Any]
) -> None:
    """Write the role table; option ``lang`` picks the names' language."""
    lang = parse_options("roles-markdown", options, WRITE_OPTIONS)["lang"]
    destination.write_text(roles_table(study, lang), encoding="utf-8", newline="\n")


#: The ``roles-markdown`` format: write only.
ROLES_MARKDOWN: Final = Format(
    id="roles-markdown",
    title="Role table (Markdown)",
    extensions=(".roles.md", ".md"),
    media_type="text/markdown",
    carries="both",
    write=write_roles,
    write_options=WRITE_OPTIONS,
    description="The roles (id, name, organisation, present) as a Markdown table.",
)
