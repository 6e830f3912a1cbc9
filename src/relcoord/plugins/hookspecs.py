"""The hooks a relcoord plugin can implement.

Each hook is a typed function with an empty body; a plugin implements it by defining a
function of the same name decorated with `hookimpl`.  The
reference page ``docs/plugins/hooks.md`` documents every hook here, and a test checks that it does.

One hook per kind of thing a plugin adds (importers, exporters, commands), each returning
frozen objects with a unique id, as hatch does for its plugin kinds.  The built-in formats
are registered through the same hooks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

import pluggy

if TYPE_CHECKING:
    import click

    from relcoord.formats.format_type import Format
    from relcoord.formats.workshop_template import TemplateWriter
    from relcoord.plugins.analysis_engine import AnalysisEngine

__all__ = [
    "PROJECT_NAME",
    "hookimpl",
    "hookspec",
    "relcoord_register_commands",
    "relcoord_register_engines",
    "relcoord_register_exporters",
    "relcoord_register_importers",
    "relcoord_register_template_writers",
]

#: The pluggy project name; also the entry-point group plugins register under.
PROJECT_NAME: Final = "relcoord"

#: Marks a hook specification (used only by relcoord itself).
hookspec: Final = pluggy.HookspecMarker(PROJECT_NAME)
#: Marks a hook implementation in a plugin: ``@hookimpl def relcoord_register_importers(): ...``.
hookimpl: Final = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def relcoord_register_importers() -> Iterable[Format]:  # type: ignore[empty-body]
    """Return the formats this plugin can read.

    Each item is a [`Format`][relcoord.formats.format_type.Format] with a ``read`` function.  Format
    ids are unique across all plugins: an importer id that another plugin already registered
    is refused, and the error names both plugins.  A format that can also write may be
    returned from
    [`relcoord_register_exporters`][relcoord.plugins.hookspecs.relcoord_register_exporters] as well
    (the same object, or one with the same id).
    """


@hookspec
def relcoord_register_exporters() -> Iterable[Format]:  # type: ignore[empty-body]
    """Return the formats this plugin can write.

    Each item is a [`Format`][relcoord.formats.format_type.Format] with a ``write`` function.  The
    host calls ``write`` with a temporary path beside the destination and renames it into
    place only when ``write`` returns, so exporters need not clean up after a failure.
    Exporter ids are unique across all plugins, like importer ids.
    """


@hookspec
def relcoord_register_commands(cli: click.Group) -> None:
    """Add commands to the ``relcoord`` command line.

    Prefer declaring a command in the entry-point group ``relcoord.commands``
    ([`relcoord.plugins.declared_commands`][relcoord.plugins.declared_commands]): ``relcoord
    --help`` lists declared commands without importing the plugin, but not the commands this hook
    adds. ``cli`` is a `click.Group`; add commands with ``@cli.command()`` or
    ``cli.add_command(...)``.  Called once per process, the first time the command line
    needs plugin commands.  A command whose name a relcoord command or another plugin
    already uses is refused (not added, and listed by ``relcoord plugins``).  Decorate
    commands with [`relcoord.cli.reports_errors`][relcoord.cli_errors.reports_errors] so that bad
    input ends with a located message and exit status 1.
    """


@hookspec
def relcoord_register_template_writers() -> Iterable[TemplateWriter]:  # type: ignore[empty-body]
    """Return the file formats this plugin writes workshop templates in.

    Each item is a [`TemplateWriter`][relcoord.formats.workshop_template.TemplateWriter]: an id, a
    title, its extensions (``(".xlsx",)``) and ``write(template, path)``, which writes the
    forms a [`WorkshopTemplate`][relcoord.formats.workshop_template.WorkshopTemplate] describes to a
    temporary path that the host renames into place when it returns.  ``relcoord
    template -o FILE`` picks the writer by FILE's extension.
    """


@hookspec
def relcoord_register_engines() -> Iterable[AnalysisEngine]:  # type: ignore[empty-body]
    """Return the analysis engines this plugin adds (``relcoord analyze --engine ID``).

    Each item is an [`AnalysisEngine`][relcoord.plugins.analysis_engine.AnalysisEngine]: an id, a
    title, a function that reads the study without its ratings, and one that runs the whole
    analysis where the study lies (on a cluster, over partitions) and returns the same
    [`Analysis`][relcoord.analysis_result.Analysis] as
    [`relcoord.analyze`][relcoord.analysis.analyze].
    Engine ids are unique across plugins; ``memory`` is the built-in engine's.
    """
