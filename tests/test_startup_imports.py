"""What starting relcoord imports: ``import relcoord`` and ``relcoord --help`` stay light.

Each check runs a fresh interpreter and lists the modules it ended with (timing is for
``benchmarks/bench_startup.py``; tests never assert on time).  ``import relcoord`` imports
its public names on first use, ``relcoord --help`` lists the core commands from
:data:`relcoord.cli.CORE_COMMANDS` and the plugin commands from their metadata, so neither
loads numpy, a plugin or an optional package.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

import relcoord
from relcoord.cli import CORE_COMMANDS, cli
from relcoord.cli_group import RelcoordGroup

#: Modules no start-up may load: the heavy libraries, the plugin host, every plugin.
HEAVY = ("numpy", "polars", "docx", "matplotlib", "igraph", "networkx", "scipy", "pandas",
         "jsonschema", "pluggy", "relcoord.plugins.manager", "relcoord.analysis",
         "relcoord_docx", "relcoord_example")


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code`` (exit included)."""
    probe = ("import atexit, json, sys\n"
             "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), "
             "file=sys.__stderr__))\n" + code)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=False, timeout=120)
    return set(json.loads(result.stderr.strip().splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(h for h in HEAVY if h in modules)


def test_import_relcoord_loads_nothing_heavy() -> None:
    assert heavy_in(modules_after("import relcoord")) == []


def test_help_loads_nothing_heavy() -> None:
    code = ("import sys\nsys.argv = ['relcoord', '--help']\nfrom relcoord.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n")
    assert heavy_in(modules_after(code)) == []


@pytest.mark.parametrize("name", sorted(CORE_COMMANDS))
def test_a_commands_help_loads_nothing_heavy(name: str) -> None:
    """``relcoord CMD --help`` imports the command's module, not the plugin host, the
    analysis, numpy or the study model: its options are described without them."""
    code = (f"import sys\nsys.argv = ['relcoord', {name!r}, '--help']\n"
            "from relcoord.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n")
    modules = modules_after(code)
    assert CORE_COMMANDS[name].target.partition(":")[0] in modules
    assert heavy_in(modules) == []
    assert "relcoord.model" not in modules
    assert "relcoord.messages" not in modules


def test_the_template_commands_choices_are_the_real_ones() -> None:
    from relcoord.cli_template import TEMPLATE_CHOICES
    from relcoord.formats.workshop_template import TEMPLATE_KINDS
    from relcoord.instruments import INSTRUMENTS

    assert TEMPLATE_CHOICES["kind"] == TEMPLATE_KINDS
    assert sorted(TEMPLATE_CHOICES["instrument"]) == sorted(INSTRUMENTS)


def test_a_commands_help_is_the_same_with_everything_loaded() -> None:
    """The help a fresh ``relcoord CMD --help`` prints (nothing heavy imported) is the help
    of the command once the plugins, the model and the analysis are loaded."""
    loaded = ("import relcoord.analysis\nfrom relcoord.plugins.manager import get_host\n"
              "get_host()\nfrom relcoord.cli import main\nmain()\n")
    for name in ["--help", *(f"{command} --help" for command in sorted(CORE_COMMANDS))]:
        arguments = name.split()
        lazy = subprocess.run([sys.executable, "-m", "relcoord", *arguments],
                              capture_output=True, text=True, check=True, timeout=120)
        full = subprocess.run([sys.executable, "-c", loaded, *arguments], capture_output=True,
                              text=True, check=True, timeout=120)
        assert lazy.stdout == full.stdout, name


def test_a_public_name_imports_its_module_on_first_use() -> None:
    modules = modules_after("import relcoord\nrelcoord.Study")
    assert "relcoord.model" in modules
    assert "relcoord.analysis" not in modules


def test_the_public_names_resolve() -> None:
    for name in relcoord.__all__:
        assert getattr(relcoord, name) is not None
    assert set(relcoord.__all__) <= set(dir(relcoord))
    from relcoord import Study  # the from-import form goes through the same hook
    from relcoord.model import Study as home

    assert Study is home
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = relcoord.nothing


def test_importing_the_plugins_package_loads_no_host() -> None:
    modules = modules_after("from relcoord.plugins import hookimpl")
    assert "relcoord.plugins.manager" not in modules
    assert "relcoord.plugins.hookspecs" in modules


def test_every_core_command_has_its_own_line_of_help() -> None:
    assert isinstance(cli, RelcoordGroup)
    for name, lazy in CORE_COMMANDS.items():
        command = cli.get_command(click.Context(cli), name)
        assert command is not None, name
        assert command.name == name
        assert command.get_short_help_str(1000) == lazy.short_help, name


def test_help_lists_core_and_declared_plugin_commands() -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    commands, _, plugin_commands = result.stdout.partition("Plugin commands:")
    for name in CORE_COMMANDS:
        assert f"  {name} " in commands
    # relcoord-example declares roles-markdown in the entry-point group relcoord.commands
    assert "roles-markdown  From plugin relcoord-example" in plugin_commands
