"""The root click group of the command line, with lazy core commands and plugin commands.

[`RelcoordGroup`][relcoord.cli_group.RelcoordGroup] resolves a command in three places, in order:
commands added to the group directly, core commands named as ``"module:attribute"`` with their
one-line help ([`LazyCommand`][relcoord.cli_group.LazyCommand]) and imported only when used (the
lazy-loading pattern of the click documentation), and plugin commands: those declared in the
entry-point group ``relcoord.commands``
([`relcoord.plugins.declared_commands`][relcoord.plugins.declared_commands]) and those added through
``relcoord_register_commands``.  ``relcoord --help`` lists the core commands and the declared plugin
commands without importing any of them, nor the plugin host: it starts in about the time click takes
to import.  A plugin command that has a core command's name is refused and reported; a plugin that
fails while adding commands is reported by ``relcoord plugins`` and does not break the command line.

``--strict-plugins`` (see [`strict_plugins_option`][relcoord.cli_group.strict_plugins_option]) loads
every plugin before the command runs and turns the first plugin failure into exit status 1.  While
the group runs, core and plugin commands alike, every warning is printed as one line
([`relcoord.cli_console.shows_warnings`][relcoord.cli_console.shows_warnings]).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple, NoReturn, TypeVar

import click

from relcoord.cli_console import shows_warnings
from relcoord.cli_errors import echo_error
from relcoord.errors import RelcoordError
from relcoord.plugins.declared_commands import declared_commands

__all__ = ["LazyCommand", "RelcoordGroup", "strict_plugins_option"]


def _short(text: str, limit: int) -> str:
    """``text`` shortened as click shortens a command's help for the command list."""
    return click.Command(None, help=text).get_short_help_str(limit)


class LazyCommand(NamedTuple):
    """A core command imported when used: where it is and its one line of help."""

    target: str
    """The click command, as ``"module:attribute"``."""
    short_help: str
    """What ``relcoord --help`` shows beside its name (the first sentence of its help)."""

_STRICT_KEY: Final = "relcoord.strict_plugins"
_DECLARED_KEY: Final = "relcoord.declared_commands"
F = TypeVar("F", bound=Callable[..., Any])


def _echo_and_exit(error: RelcoordError) -> NoReturn:
    echo_error(error)
    raise SystemExit(1) from None


def _mark_strict(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.meta[_STRICT_KEY] = True


def strict_plugins_option(function: F) -> F:
    """The root group's ``--strict-plugins`` flag: any plugin failure is an error (exit 1)."""
    return click.option(
        "--strict-plugins",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_mark_strict,
        help="Treat any plugin failure (import, registration, duplicate format id) as an "
        "error instead of reporting it in 'relcoord plugins'.",
    )(function)


class RelcoordGroup(click.Group):
    """A click group that adds lazily imported core commands and plugin commands."""

    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, LazyCommand] | None = None,
        **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, LazyCommand] = dict(lazy_commands or {})

    def plugin_commands(self) -> dict[str, click.Command]:
        """The commands plugins add, after refusing any that has a core command's name.

        This loads the plugin host and imports every plugin.
        """
        from relcoord.plugins import manager

        host = manager.get_host()
        commands = host.commands()
        for name in sorted(commands):
            if name in self.commands or name in self.lazy_commands:
                host.refuse_command(name, "a relcoord command has that name")
        return host.commands()

    def _load_lazy(self, name: str) -> click.Command:
        target = self.lazy_commands[name].target
        module_name, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def _declared_plugin_commands(self) -> dict[str, str]:
        """The declared plugin commands (from metadata) without a core command's name, with
        their lines of help; read once per run (kept in the root context)."""
        ctx = click.get_current_context(silent=True)
        root = ctx.find_root() if ctx is not None else None
        cached = root.meta.get(_DECLARED_KEY) if root is not None else None
        if cached is None:
            cached = {name: declared.short_help
                      for name, declared in declared_commands().items()
                      if name not in self.commands and name not in self.lazy_commands}
            if root is not None:
                root.meta[_DECLARED_KEY] = cached
        return dict(cached)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Core commands and declared plugin commands, sorted (nothing imported).

        With ``--strict-plugins``, every plugin is loaded first and a failure ends the run.
        """
        names = set(super().list_commands(ctx)) | set(self.lazy_commands)
        names |= set(self._declared_plugin_commands())
        if ctx.meta.get(_STRICT_KEY):
            try:
                names |= set(self.plugin_commands())
            except RelcoordError as error:  # strict mode and a plugin failed
                _echo_and_exit(error)
        return sorted(names)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``: core commands, then plugin commands.

        Lines come from [`LazyCommand`][relcoord.cli_group.LazyCommand] and the plugins' metadata,
        so that listing imports no command; a command already imported shows its own short help.
        """
        declared = self._declared_plugin_commands()
        limit = formatter.width - 6 - max((len(n) for n in self.list_commands(ctx)), default=0)
        core: list[tuple[str, str]] = []
        plugin: list[tuple[str, str]] = []
        for name in self.list_commands(ctx):
            command = super().get_command(ctx, name)
            if command is not None:
                if command.hidden:
                    continue
                text = command.get_short_help_str(limit)
            elif name in self.lazy_commands:
                text = _short(self.lazy_commands[name].short_help, limit)
            elif name in declared:
                plugin.append((name, _short(declared[name], limit)))
                continue
            else:  # a hook plugin's command, listed under --strict-plugins
                found = self.plugin_commands().get(name)
                if found is None or found.hidden:
                    continue
                plugin.append((name, found.get_short_help_str(limit)))
                continue
            core.append((name, text))
        for title, rows in (("Commands", core), ("Plugin commands", plugin)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """A core command, a lazily imported core command, or a plugin command."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        if cmd_name in self.lazy_commands:
            return self._load_lazy(cmd_name)
        found = self.plugin_commands().get(cmd_name)
        if found is None and cmd_name in self._declared_plugin_commands():
            self._fail_declared(cmd_name)  # declared but not loaded: say why, exit 1
        return found

    def _fail_declared(self, name: str) -> None:
        from relcoord.plugins import manager
        from relcoord.plugins.registry import PluginError

        for failure in manager.get_host().failures():
            if failure.stage == "commands" and f"command {name!r}" in failure.message:
                _echo_and_exit(PluginError(failure))

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line, printing every warning as one line on standard error."""
        with shows_warnings():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; with ``--strict-plugins``, load every plugin strictly first.

        Without it the plugin host is left to the command that needs it, so that
        ``relcoord CMD --help`` loads no plugin.
        """
        if not ctx.meta.get(_STRICT_KEY):
            try:
                return super().invoke(ctx)
            except RelcoordError as error:
                _echo_and_exit(error)
        from relcoord.plugins import manager

        previous = manager.get_strict()
        try:
            manager.set_strict(True)
            manager.get_host().failures()
            return super().invoke(ctx)
        except RelcoordError as error:
            _echo_and_exit(error)
        finally:
            manager.set_strict(previous)
