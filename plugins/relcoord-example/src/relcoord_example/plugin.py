"""The hook implementations: what this plugin adds to relcoord.

The entry point ``example = "relcoord_example.plugin"`` in ``pyproject.toml`` points here.
Each function has the name of a hook in :mod:`relcoord.plugins.hookspecs` and is marked
with :data:`relcoord.plugins.hookimpl`.
"""

from __future__ import annotations

from collections.abc import Iterable

import click

from relcoord.cli_errors import reports_errors
from relcoord.cli_input import read_input, study_input_options
from relcoord.formats import Format
from relcoord.plugins import hookimpl
from relcoord_example.roles_markdown import ROLES_MARKDOWN, roles_table
from relcoord_example.ties_tsv import TIES_TSV

__all__ = [
    "relcoord_register_commands",
    "relcoord_register_exporters",
    "relcoord_register_importers",
]


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """This plugin reads tie lists."""
    return (TIES_TSV,)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """This plugin writes tie lists and role tables."""
    return (TIES_TSV, ROLES_MARKDOWN)


@hookimpl
def relcoord_register_commands(cli: click.Group) -> None:
    """Add ``relcoord roles-markdown FILE``."""

    @cli.command("roles-markdown")
    @click.argument("file", type=click.Path(allow_dash=True))
    @study_input_options  # --from and -I, read as every relcoord command reads a study
    @click.option("--lang", help="Language of the role names (e.g. da, en).")
    @reports_errors
    def roles_markdown(file: str, from_id: str | None, read_options: tuple[str, ...],
                       lang: str | None) -> None:
        """Print the roles of FILE (any study file relcoord can read) as a Markdown table."""
        study, _ = read_input(file, from_id, read_options)
        click.echo(roles_table(study, lang), nl=False)
