"""The relcoord plugin host (pluggy): hooks, loading, and the registered formats.

Plugins implement the hooks in `relcoord.plugins.hookspecs` with the
`hookimpl` marker and advertise themselves through an entry
point in the ``relcoord`` group.  The built-in formats are registered through the same hooks.  Most
code needs only [`find_format`][relcoord.plugins.manager.find_format],
[`read`][relcoord.plugins.read] and [`write`][relcoord.plugins.write]; ``docs/plugins/guide.md``
shows how to write a plugin.

[`read`][relcoord.plugins.read] and [`write`][relcoord.plugins.write] are the one path by which a
study enters and leaves relcoord in any format: the command line, ``relcoord demo`` and plugin
commands use them too, and [`relcoord.load`][relcoord.study_json.load] /
[`relcoord.dump`][relcoord.study_json.dump] are their JSON case (the same bytes).  What they check
and the policy on respondent ids live in [`relcoord.plugins.format_io`][relcoord.plugins.format_io]
and [`relcoord.plugins.respondent_ids`][relcoord.plugins.respondent_ids].
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

    from relcoord.analysis import Analysis
    from relcoord.formats.format_type import Format
    from relcoord.model import Study
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
        UnknownEngineError,
        UnknownFormatError,
    )

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "LoadFailure",
    "PluginError",
    "PluginHost",
    "PluginInfo",
    "UnknownEngineError",
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


#: Where each name lives; imported on first use (PEP 562), so that importing this package (a
#: plugin's ``from relcoord.plugins import hookimpl``, or ``relcoord --help``) does not load
#: the host, the formats and numpy.
_HOMES: Final[dict[str, str]] = {
    "hookimpl": "relcoord.plugins.hookspecs",
    **dict.fromkeys(("DEFAULT_PLUGINS", "ENTRY_POINT_GROUP", "PluginHost", "exporters",
                     "find_format", "get_host", "get_manager", "get_strict", "importers",
                     "install_host", "load_failures", "reset", "set_strict"),
                    "relcoord.plugins.manager"),
    **dict.fromkeys(("LoadFailure", "PluginError", "PluginInfo", "UnknownEngineError",
                     "UnknownFormatError"),
                    "relcoord.plugins.registry"),
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use, then keep it here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'relcoord.plugins' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def read(
    source: str | Path, *, format: str | None = None, options: Mapping[str, Any] | None = None
) -> Study:
    """Read a study with any registered importer, chosen by id, else by the file's name
    (and for a ``.csv`` file its header); see
    [`PluginHost.read`][relcoord.plugins.manager.PluginHost.read].

    ``options`` are the format's (``relcoord plugins --options`` lists them) and the host's
    ``respondent_ids`` (``keep``, ``pseudonymise`` or ``omit``) and ``respondent_key``.
    """
    from relcoord.plugins.manager import get_host

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

    A study format (``json``) writes the study whole, respondents included unless
    ``options`` ask for ``respondent_ids=pseudonymise`` (or, with a warning, ``omit``); a
    format of published results needs ``analysis`` when it carries one and never sees a
    respondent id.  Returns the format used.  See
    [`PluginHost.write`][relcoord.plugins.manager.PluginHost.write].
    """
    from relcoord.plugins.manager import get_host

    return get_host().write(study, destination, format=format, analysis=analysis,
                            options=options)
