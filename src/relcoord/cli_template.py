"""The ``template`` command: workshop forms to fill in, for the groups of a roles table.

``relcoord template --roles roles.csv --kind relationskort|balkort|survey [--lang da|en]
-o workshop.xlsx`` reads the roles table (the CSV importers' roles reader: ``id``,
``name``, ``organisation``, ``present``, ``name_<lang>``), describes the forms as a
[`WorkshopTemplate`][relcoord.formats.workshop_template.WorkshopTemplate] and writes them with the
template writer a plugin registered for the output's extension (``.xlsx``:
``relcoord-xlsx``; ``.docx``: ``relcoord-docx``).  The core command line imports no
spreadsheet library; without such a plugin the command says which extensions it knows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import click

from relcoord.cli_console import current_console, verbosity_options
from relcoord.cli_errors import reports_errors
from relcoord.errors import InvalidInputError
from relcoord.settings import LANGS

__all__ = ["TEMPLATE_CHOICES", "template"]

#: The choices ``--kind`` and ``--instrument`` show, named here so that ``relcoord template
#: --help`` imports neither the forms nor the instruments (and so no numpy); a test checks
#: them against [`TEMPLATE_KINDS`][relcoord.formats.workshop_template.TEMPLATE_KINDS] and
#: [`INSTRUMENTS`][relcoord.instruments.INSTRUMENTS].
TEMPLATE_CHOICES: Final = {"kind": ("relationskort", "balkort", "survey"),
                           "instrument": ("rc7", "rc7-classic", "relationskort")}


@click.command("template")
@click.option("--roles", "roles_path", required=True, type=click.Path(path_type=Path),
              metavar="ROLES.csv",
              help="The groups: a roles table (id, name, organisation, present, name_<lang>).")
@click.option("--kind", required=True, type=click.Choice(TEMPLATE_CHOICES["kind"]),
              help="relationskort: arrows and their ratings; balkort: invitations; survey: "
                   "answers per respondent and group.")
@click.option("--lang", default="da", show_default=True, type=click.Choice(LANGS),
              help="The language of the forms (headers, answers, instructions).")
@click.option("--instrument", "instrument_id", metavar="|".join(TEMPLATE_CHOICES["instrument"]),
              help="The instrument whose items the forms ask (default: relationskort for "
                   "relationskort and balkort, rc7 for survey).")
@click.option("--study-id", metavar="ID",
              help="The study's id written into the template (default: OUT's name).")
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), metavar="OUT",
              help="The file to write: .xlsx (data entry, relcoord-xlsx) or .docx (printable "
                   "forms, relcoord-docx).")
@verbosity_options
@reports_errors
def template(roles_path: Path, kind: str, lang: str, instrument_id: str | None,
             study_id: str | None, output: Path) -> None:
    """Write workshop forms (KIND) for the groups of ROLES.csv to OUT."""
    from relcoord import messages
    from relcoord.formats.csv.records import read_roles
    from relcoord.formats.csv.table import load_table, raise_problems
    from relcoord.formats.workshop_template import WorkshopTemplate
    from relcoord.instruments import get_instrument
    from relcoord.model import Metadata
    from relcoord.plugins.manager import get_host

    console = current_console()
    with console.step("read", str(roles_path)):
        table = load_table(roles_path)
        roles, problems = read_roles(table)
        raise_problems(problems)
    if not roles:
        raise InvalidInputError(str(roles_path), "the roles table lists no groups")
    try:
        instrument = get_instrument(instrument_id) if instrument_id else None
    except KeyError as error:
        raise InvalidInputError("--instrument", str(error.args[0])) from None
    metadata = Metadata(id=study_id or output.name.split(".")[0] or "workshop", language=lang)
    forms = WorkshopTemplate.of(kind, roles, lang, instrument=instrument, metadata=metadata)
    with console.step("write", str(output)):
        get_host().write_template(forms, output)
    click.echo(messages.text("workbook.cli.written", lang, path=output,
                             kind=forms.sheet_name(), roles=len(roles), language=lang))
