"""The relcoord plugin host (pluggy): hooks, loading, and the registered formats.

Plugins implement the hooks in :mod:`relcoord.plugins.hookspecs` with the :data:`hookimpl`
marker and advertise themselves through an entry point in the ``relcoord`` group.  The
built-in formats are registered through the same hooks.  Most code needs only
:func:`find_format`, :func:`read` and :func:`write`; ``docs/plugins/guide.md`` shows how
to write a plugin.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from relcoord.plugins.hookspecs import hookimpl
from relcoord.plugins.manager import (
    DEFAULT_PLUGINS,
    ENTRY_POINT_GROUP,
    PluginHost,
    exporters,
    find_format,
    get_host,
    get_manager,
    get_strict,
    importers,
    install_host,
    load_failures,
    reset,
    set_strict,
)
from relcoord.plugins.registry import (
    LoadFailure,
    PluginError,
    PluginInfo,
    UnknownFormatError,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from relcoord.analysis import Analysis
    from relcoord.formats.format_type import Format
    from relcoord.model import Study

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "LoadFailure",
    "PluginError",
    "PluginHost",
    "PluginInfo",
    "UnknownFormatError",
    "exporters",
    "find_format",
    "get_host",
    "get_manager",
    "get_strict",
    "hookimpl",
    "importers",
    "install_host",
    "load_failures",
    "read",
    "reset",
    "set_strict",
    "write",
]


def read(
    source: str | Path, *, format: str | None = None, options: Mapping[str, Any] | None = None
) -> Study:
    """Read a study with any registered importer, chosen by id or by the file's extension."""
    return get_host().read(source, format=format, options=options)


def write(
    study: Study,
    destination: str | Path,
    *,
    format: str | None = None,
    analysis: Analysis | None = None,
    options: Mapping[str, Any] | None = None,
) -> Format:
    """Write atomically with any registered exporter, chosen by id or by extension.

    Returns the format used.  See :meth:`PluginHost.write`.
    """
    return get_host().write(study, destination, format=format, analysis=analysis,
                            options=options)
