"""The command this plugin adds: ``relcoord roles-markdown FILE``.

It is declared in ``pyproject.toml`` as an entry point in the group ``relcoord.commands``::

    [project.entry-points."relcoord.commands"]
    roles-markdown = "relcoord_example.commands:roles_markdown"

so ``relcoord --help`` lists it from the metadata alone, and this module is imported only
when the command runs (or its own ``--help`` is asked for).
"""

from __future__ import annotations

import click

from relcoord.cli_errors import reports_errors
from relcoord.cli_input import read_input, study_input_options
from relcoord_example.roles_markdown import roles_table

__all__ = ["roles_markdown"]


@click.command("roles-markdown")
@click.argument("file", type=click.Path(allow_dash=True))
@study_input_options  # --from and -I, read as every relcoord command reads a study
@click.option("--lang", help="Language of the role names (e.g. da, en).")
@reports_errors
def roles_markdown(file: str, from_id: str | None, read_options: tuple[str, ...],
                   lang: str | None) -> None:
    """Print the roles of FILE (any study file relcoord can read) as a Markdown table."""
    study, _ = read_input(file, from_id, read_options)
    click.echo(roles_table(study, lang), nl=False)
