"""The root click group of the command line, with lazy core commands and plugin commands.

:class:`RelcoordGroup` resolves a command in three places, in order: commands added to the
group directly, core commands named as ``"module:attribute"`` and imported only when used
(the lazy-loading pattern of the click documentation, which keeps ``relcoord --help`` fast),
and commands added by plugins through ``relcoord_register_commands``.  A plugin command that
has a core command's name is refused and reported; a plugin that fails while adding commands
is reported by ``relcoord plugins`` and does not break the command line.

``--strict-plugins`` (see :func:`strict_plugins_option`) loads every plugin before the
command runs and turns the first plugin failure into exit status 1.  While the group runs,
core and plugin commands alike, every warning is printed as one line
(:func:`relcoord.cli_console.shows_warnings`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, Final, NoReturn, TypeVar

import click

from relcoord.cli_console import shows_warnings
from relcoord.cli_errors import echo_error
from relcoord.errors import RelcoordError
from relcoord.plugins import manager

__all__ = ["RelcoordGroup", "strict_plugins_option"]

_STRICT_KEY: Final = "relcoord.strict_plugins"
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
        self, *args: Any, lazy_commands: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, str] = dict(lazy_commands or {})

    def plugin_commands(self) -> dict[str, click.Command]:
        """The commands plugins add, after refusing any that has a core command's name."""
        host = manager.get_host()
        commands = host.commands()
        for name in sorted(commands):
            if name in self.commands or name in self.lazy_commands:
                host.refuse_command(name, "a relcoord command has that name")
        return host.commands()

    def _load_lazy(self, name: str) -> click.Command:
        module_name, _, attribute = self.lazy_commands[name].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy_commands[name]} is not a click command")
        return command

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Core commands and plugin commands, sorted."""
        names = set(super().list_commands(ctx)) | set(self.lazy_commands)
        try:
            names |= set(self.plugin_commands())
        except RelcoordError as error:  # strict mode and a plugin failed
            _echo_and_exit(error)
        return sorted(names)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """A core command, a lazily imported core command, or a plugin command."""
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        if cmd_name in self.lazy_commands:
            return self._load_lazy(cmd_name)
        return self.plugin_commands().get(cmd_name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line, printing every warning as one line on standard error."""
        with shows_warnings():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; with ``--strict-plugins``, load every plugin strictly first."""
        strict = bool(ctx.meta.get(_STRICT_KEY))
        previous = manager.get_strict()
        try:
            if strict:
                manager.set_strict(True)
                manager.get_host().failures()
            return super().invoke(ctx)
        except RelcoordError as error:
            _echo_and_exit(error)
        finally:
            if strict:
                manager.set_strict(previous)
