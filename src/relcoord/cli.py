"""The ``relcoord`` command line (click).

Commands are small: they parse options, call the library and print.  Errors that come from
bad input ([`RelcoordError`][relcoord.errors.RelcoordError]) are printed as located one-line
messages on stderr with exit status 1, never as a traceback; warnings, progress and timings go to
stderr through [`relcoord.cli_console`][relcoord.cli_console].  ``python -m relcoord`` runs the same
group.

This module holds the root group only: every command is imported when it runs (or when its
own ``--help`` is asked for), and plugin commands are listed from their distributions'
metadata ([`relcoord.plugins.declared_commands`][relcoord.plugins.declared_commands]), so that
``relcoord --help`` imports neither numpy nor any plugin.
[`CORE_COMMANDS`][relcoord.cli.CORE_COMMANDS] names each command's module and its one-line help; a
test checks that the line is the command's own.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any, Final

import click

from relcoord import __version__
from relcoord.cli_console import verbosity_options
from relcoord.cli_errors import reports_errors
from relcoord.cli_group import LazyCommand, RelcoordGroup, strict_plugins_option

__all__ = ["CORE_COMMANDS", "cli", "main", "reports_errors"]

#: The core commands: where each is, and the line ``relcoord --help`` shows for it.
CORE_COMMANDS: Final[dict[str, LazyCommand]] = {
    "analyze": LazyCommand(
        "relcoord.cli_study:analyze",
        "Analyse FILE (any importer's input): RC scores, network, invitations, reliability "
        "and findings."),
    "convert": LazyCommand(
        "relcoord.cli_commands:convert",
        "Read the study in IN with any importer and write it, whole, as study data to OUT."),
    "demo": LazyCommand(
        "relcoord.cli_study:demo",
        "Run relcoord on the embedded example study, end to end."),
    "export": LazyCommand(
        "relcoord.cli_commands:export",
        "Analyse the study in FILE and write published results with any exporter."),
    "plugins": LazyCommand(
        "relcoord.cli_commands:plugins_command",
        "List loaded plugins, their versions and formats, and plugins that failed to load."),
    "merge": LazyCommand(
        "relcoord.cli_stats:merge",
        "Add the .stats FILES of several sites into one .stats file OUT."),
    "stats": LazyCommand(
        "relcoord.cli_stats:stats",
        "Write the statistics FILE's site may share for a federated analysis to OUT."),
    "template": LazyCommand(
        "relcoord.cli_template:template",
        "Write workshop forms (KIND) for the groups of ROLES.csv to OUT."),
    "validate": LazyCommand(
        "relcoord.cli_study:validate",
        "Read FILE with any importer and check it: exit 0 if valid, 1 listing every "
        "problem."),
}


@click.group(
    cls=RelcoordGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    lazy_commands=CORE_COMMANDS,
)
@click.version_option(__version__, prog_name="relcoord")
@strict_plugins_option
@verbosity_options
def cli() -> None:
    """Relational Coordination analysis: validate, analyse and export RC studies."""


def main(argv: Sequence[str] | None = None) -> Any:
    """Entry point of the ``relcoord`` script."""
    return cli.main(args=list(argv) if argv is not None else sys.argv[1:], prog_name="relcoord")
