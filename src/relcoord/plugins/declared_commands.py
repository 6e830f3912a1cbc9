"""Plugin commands described by entry-point metadata, imported only when they run.

A plugin declares each command it adds to the command line as an entry point in the group
``relcoord.commands``: the entry point's name is the command's name, its value the click
command (``module:attribute``).  ``relcoord --help`` lists these commands from the installed
distributions' metadata alone, without importing any plugin (which keeps it fast: a
plugin may import python-docx, polars or matplotlib); the command is imported when it runs
or when its own ``--help`` is asked for.

```toml
[project.entry-points."relcoord.commands"]
roles-markdown = "relcoord_example.commands:roles_markdown"
```

The environment switches of the plugin host (``RELCOORD_DISABLE_PLUGINS``,
``RELCOORD_PLUGINS``) apply here too; for ``RELCOORD_PLUGINS`` a declared command counts
when its own name, its distribution or one of its distribution's plugins is listed.
Commands added through the hook ``relcoord_register_commands`` still work but are listed
by ``relcoord plugins`` only, because finding them means importing every plugin.

This module imports nothing of relcoord at the top, so that the command line's help reads
it without loading the plugin host.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import click

__all__ = ["COMMANDS_GROUP", "DeclaredCommand", "all_declared", "declared_commands"]

#: The entry-point group in which plugins declare their commands.
COMMANDS_GROUP: Final = "relcoord.commands"
#: The entry-point group of the plugins themselves (their hooks).
PLUGINS_GROUP: Final = "relcoord"

_TRUE: Final = frozenset({"1", "true", "yes", "on"})


@dataclass(frozen=True)
class DeclaredCommand:
    """A plugin command as its distribution's metadata declares it (nothing imported yet).

    Attributes:
        name: the command's name on the command line (the entry point's name).
        target: where the click command is, ``module:attribute``.
        distribution: the distribution that declares it (``None`` when unknown).
        version: that distribution's version (``None`` when unknown).
    """

    name: str
    target: str
    distribution: str | None
    version: str | None
    entry_point: metadata.EntryPoint

    @property
    def short_help(self) -> str:
        """What ``relcoord --help`` shows beside the name before the plugin is imported."""
        origin = " ".join(p for p in (self.distribution, self.version) if p) or "a plugin"
        return f"From plugin {origin}."

    def load(self) -> click.Command:
        """Import the command; raise ``TypeError`` when the target is not a click command."""
        import click

        command = self.entry_point.load()
        if not isinstance(command, click.Command):
            raise TypeError(f"entry point {self.name} = {self.target!r} in group "
                            f"{COMMANDS_GROUP!r} is {type(command).__name__}, expected a "
                            "click command")
        if command.name != self.name:  # the entry point's name is the one users type
            command.name = self.name
        return command


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in _TRUE


def _names(declared: DeclaredCommand, dist: metadata.Distribution | None) -> set[str]:
    """The names by which ``RELCOORD_PLUGINS`` may allow a declared command: its own, its
    distribution's and those of its distribution's plugins (group ``relcoord``)."""
    names = {declared.name, declared.distribution or ""}
    if dist is not None:
        names |= {ep.name for ep in dist.entry_points.select(group=PLUGINS_GROUP)}
    return names


def all_declared(environ: Mapping[str, str] | None = None) -> list[DeclaredCommand]:
    """Every installed plugin's declared commands, read from metadata only.

    Sorted by distribution, then name; two distributions may declare the same name (the
    host keeps the first and reports the other when it loads the commands).  ``environ``
    (default ``os.environ``) supplies the plugin switches.
    """
    environ = os.environ if environ is None else environ
    if _flag(environ, "RELCOORD_DISABLE_PLUGINS"):
        return []
    allowed = {n.strip() for n in environ.get("RELCOORD_PLUGINS", "").split(",")} - {""}
    found: dict[tuple[str | None, str], DeclaredCommand] = {}
    for entry_point in metadata.entry_points(group=COMMANDS_GROUP):
        dist = entry_point.dist
        declared = DeclaredCommand(
            name=entry_point.name, target=entry_point.value,
            distribution=dist.name if dist is not None else None,
            version=dist.version if dist is not None else None,
            entry_point=entry_point,
        )
        if allowed and not _names(declared, dist) & allowed:
            continue
        # the same distribution found twice on sys.path counts once
        found.setdefault((declared.distribution, declared.name), declared)
    return sorted(found.values(), key=lambda d: (d.distribution or "", d.name))


def declared_commands(environ: Mapping[str, str] | None = None) -> dict[str, DeclaredCommand]:
    """The declared commands by name (the first distribution's, when two declare a name)."""
    commands: dict[str, DeclaredCommand] = {}
    for declared in all_declared(environ):
        commands.setdefault(declared.name, declared)
    return commands
