"""The hook implementations: what this plugin adds to relcoord.

The entry point ``example = "relcoord_example.plugin"`` in ``pyproject.toml`` points here.
The plugin's command is not a hook: it is declared in the entry-point group
``relcoord.commands`` (see [`relcoord_example.commands`][relcoord_example.commands]), so that
``relcoord --help`` lists it without importing this plugin.
Each function has the name of a hook in `relcoord.plugins.hookspecs`
and is marked with `relcoord.plugins.hookimpl`.
"""

from __future__ import annotations

from collections.abc import Iterable

from relcoord.formats import Format
from relcoord.plugins import hookimpl
from relcoord_example.roles_markdown import ROLES_MARKDOWN
from relcoord_example.ties_tsv import TIES_TSV

__all__ = [
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
