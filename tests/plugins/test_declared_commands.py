"""Plugin commands declared in the entry-point group ``relcoord.commands``: listed from
metadata, imported when they run, and refused or reported like any plugin command."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import relcoord.plugins as plugins
from relcoord.cli import cli
from relcoord.plugins.declared_commands import COMMANDS_GROUP, all_declared, declared_commands
from relcoord.testing.fake_distributions import make_distribution

HELLO = """
    import click

    @click.command()
    def hello():
        '''Say hello from a declared command.'''
        click.echo("hello")
    """


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for fake distributions, with the real host reloaded around."""
    root = tmp_path / "site"
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.delenv("RELCOORD_PLUGINS", raising=False)  # the switches are tested below
    monkeypatch.delenv("RELCOORD_DISABLE_PLUGINS", raising=False)
    previous = plugins.install_host(None)
    yield root
    plugins.install_host(previous)
    for name in [m for m in sys.modules if m.startswith("fakedeclared")]:
        del sys.modules[name]


def test_a_declared_command_is_listed_without_importing_it(site: Path) -> None:
    make_distribution(site, "fake-declared", "2.0", {"say-hello": "fakedeclared_hello:hello"},
                      {"fakedeclared_hello": HELLO}, group=COMMANDS_GROUP)
    declared = declared_commands()["say-hello"]
    assert (declared.distribution, declared.version) == ("fake-declared", "2.0")
    result = run("--help")
    assert "say-hello" in result.stdout
    assert "From plugin fake-declared 2.0." in result.stdout
    assert "fakedeclared_hello" not in sys.modules
    ran = run("say-hello")
    assert ran.exit_code == 0, ran.output
    assert ran.stdout == "hello\n"
    assert "fakedeclared_hello" in sys.modules


def test_the_plugin_switches_apply(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_distribution(site, "fake-declared", "2.0", {"say-hello": "fakedeclared_hello:hello"},
                      {"fakedeclared_hello": HELLO}, group=COMMANDS_GROUP)
    assert "say-hello" not in declared_commands({"RELCOORD_DISABLE_PLUGINS": "1"})
    assert "say-hello" not in declared_commands({"RELCOORD_PLUGINS": "example"})
    assert "say-hello" in declared_commands({"RELCOORD_PLUGINS": "fake-declared"})
    # the example plugin's command counts when its plugin's entry point name is listed
    assert "roles-markdown" in declared_commands({"RELCOORD_PLUGINS": "example"})
    monkeypatch.setenv("RELCOORD_DISABLE_PLUGINS", "1")
    assert "say-hello" not in run("--help").stdout


def test_a_broken_or_shadowing_declaration_is_reported(site: Path) -> None:
    make_distribution(site, "fake-declared", "2.0", {
        "say-hello": "fakedeclared_missing:hello",  # no such module
        "validate": "fakedeclared_hello:hello",  # a core command's name
        "not-a-command": "fakedeclared_hello:HELLO_TEXT",
    }, {"fakedeclared_hello": HELLO.rstrip() + "\n    HELLO_TEXT = 'text'\n"}, group=COMMANDS_GROUP)
    assert [d.name for d in all_declared()
            if d.distribution == "fake-declared"] == ["not-a-command", "say-hello", "validate"]
    plugin_part = run("--help").stdout.partition("Plugin commands:")[2]
    assert "say-hello" in plugin_part
    assert "validate" not in plugin_part  # a core command's name is never a plugin's
    result = run("say-hello")
    assert result.exit_code == 1
    assert "fake-declared 2.0" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    report = run("plugins", "--json")
    assert "fakedeclared_missing" in report.stdout  # the failed import, by distribution
    assert "TypeError" in report.stdout  # the attribute that is not a click command
    assert "refused" in report.stdout  # the shadowing name
    assert run("validate", "--help").stdout.startswith("Usage: cli validate")
