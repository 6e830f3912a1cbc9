"""The format registry: which plugin owns which format id, and what went wrong loading.

The registry refuses a malformed format or a format id that another plugin already owns,
naming both plugins; each refusal is kept as a
[`LoadFailure`][relcoord.plugins.registry.LoadFailure] so that ``relcoord plugins`` can list it
while everything else keeps working.  In strict mode the host turns the first failure into a
[`PluginError`][relcoord.plugins.registry.PluginError] instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final, Literal, get_args

import attrs

from relcoord.errors import RelcoordError
from relcoord.formats.format_type import Format

__all__ = [
    "STAGES",
    "FormatKind",
    "FormatRegistry",
    "LoadFailure",
    "PluginError",
    "PluginInfo",
    "Stage",
    "UnknownEngineError",
    "UnknownFormatError",
]

FormatKind = Literal["read", "write"]
#: Where a plugin failed: importing it, registering it with pluggy, one of its hooks, or
#: inside a format's ``read`` / ``write`` function.
Stage = Literal["import", "register", "importers", "exporters", "commands", "read", "write",
                "templates", "engines"]
STAGES: Final[tuple[str, ...]] = get_args(Stage)


@attrs.frozen
class PluginInfo:
    """Where a plugin comes from: its registered name, distribution and version.

    Built-in plugins are modules of relcoord itself (``distribution`` is ``"relcoord"``);
    third-party plugins are entry points in the ``relcoord`` group of an installed
    distribution.
    """

    name: str
    distribution: str | None
    version: str | None
    builtin: bool = False

    @property
    def label(self) -> str:
        """A human-readable name: ``relcoord-example 0.1.0 (entry point 'example')``."""
        if self.distribution is None:
            where = "unknown distribution"
        else:
            where = f"{self.distribution} {self.version or '(version unknown)'}"
        kind = "built-in" if self.builtin else "entry point"
        return f"{where} ({kind} {self.name!r})"

    def __str__(self) -> str:
        return self.label


@attrs.frozen
class LoadFailure:
    """One plugin problem, reported instead of raised (outside strict mode)."""

    plugin: PluginInfo
    stage: Stage
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin.label} failed ({self.stage}): {self.message}"


class PluginError(RelcoordError):
    """A plugin failed to load or failed inside ``read``/``write``; names plugin and version."""

    def __init__(self, failure: LoadFailure) -> None:
        self.failure = failure
        super().__init__(str(failure))


class UnknownFormatError(RelcoordError, LookupError):
    """No registered format matches the id or file name asked for; lists the known ones."""


class UnknownEngineError(RelcoordError, LookupError):
    """No installed analysis engine has the id asked for; lists the installed ones."""


def describe_exception(error: BaseException) -> str:
    """``TypeName: message`` for a failure report (no traceback)."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@attrs.define
class FormatRegistry:
    """Formats by kind and id, each attributed to the plugin that registered it.

    A format id belongs to one plugin: the same plugin may register an id as importer and
    exporter, but a second plugin using the id is refused, whatever the kind.
    """

    _formats: dict[FormatKind, dict[str, Format]] = attrs.field(
        factory=lambda: {"read": {}, "write": {}}
    )
    _owners: dict[str, PluginInfo] = attrs.field(factory=dict)

    def add(self, kind: FormatKind, item: object, plugin: PluginInfo) -> None:
        """Register ``item`` as a ``kind`` format of ``plugin``; raise ValueError if refused.

        The error message names both plugins when the id is taken.
        """
        if not isinstance(item, Format):
            raise TypeError(
                f"returned {type(item).__name__} {item!r:.80}, expected a relcoord Format"
            )
        if kind == "read" and item.read is None:
            raise ValueError(f"importer {item.id!r} has no read function")
        if kind == "write" and item.write is None:
            raise ValueError(f"exporter {item.id!r} has no write function")
        owner = self._owners.get(item.id)
        if owner is not None and owner != plugin:
            raise ValueError(
                f"format id {item.id!r} is already registered by plugin {owner.label}; "
                f"refused from plugin {plugin.label}"
            )
        if item.id in self._formats[kind]:
            raise ValueError(f"format id {item.id!r} registered twice as {kind}er")
        self._owners[item.id] = plugin
        self._formats[kind][item.id] = item

    def formats(self, kind: FormatKind) -> tuple[Format, ...]:
        """The formats of one kind, sorted by id."""
        table = self._formats[kind]
        return tuple(table[key] for key in sorted(table))

    def owner(self, format_id: str) -> PluginInfo:
        """The plugin that registered ``format_id``."""
        return self._owners[format_id]

    def ids_of(self, plugin: PluginInfo, kind: FormatKind) -> tuple[str, ...]:
        """The ids of the formats of one kind that ``plugin`` registered, sorted."""
        return tuple(sorted(i for i in self._formats[kind] if self._owners[i] == plugin))

    def get(self, kind: FormatKind, format_id: str) -> Format:
        """The format ``format_id`` of ``kind``;
        [`UnknownFormatError`][relcoord.plugins.registry.UnknownFormatError] lists the rest."""
        try:
            return self._formats[kind][format_id]
        except KeyError:
            other: FormatKind = "write" if kind == "read" else "read"
            hint = ""
            if format_id in self._formats[other]:
                hint = f" (format {format_id!r} can only {other})"
            raise UnknownFormatError(
                f"no format with id {format_id!r} can {kind}{hint}; "
                f"formats that can {kind}: {self._known(kind)}"
            ) from None

    def for_path(self, kind: FormatKind, path: str | Path,
                 accept: Callable[[Format], bool] | None = None) -> Format:
        """The format of ``kind`` whose extension fits ``path`` best (among those ``accept``
        takes, when given: ``relcoord export`` looks among published results only).

        The longest matching extension wins; on a tie a built-in format beats a plugin's (so
        installing a plugin never changes what an existing command does), and then a format
        whose *preferred* (first) extension matches beats one that merely accepts it.  A tie
        after that is an error that names the candidates.
        """
        name = Path(path).name
        scored: list[tuple[tuple[int, bool, bool], Format]] = []
        for item in self._formats[kind].values():
            if accept is not None and not accept(item):
                continue
            length = item.matches(name)
            if length:
                preferred = name.lower().endswith(item.extensions[0])
                scored.append(((length, self._owners[item.id].builtin, preferred), item))
        if not scored:
            raise UnknownFormatError(
                f"no format that can {kind} matches the file name {name!r}; name one by id "
                f"({'--from' if kind == 'read' else '--to'}). Formats that can {kind}: "
                f"{self._known(kind)}"
            )
        best = max(score for score, _ in scored)
        winners = sorted(item.id for score, item in scored if score == best)
        if len(winners) > 1:
            raise UnknownFormatError(
                f"several formats can {kind} {name!r}: {', '.join(winners)}; name one by id "
                f"({'--from' if kind == 'read' else '--to'})"
            )
        return self._formats[kind][winners[0]]

    def _known(self, kind: FormatKind) -> str:
        items = self.formats(kind)
        if not items:
            return "none"
        return ", ".join(
            f"{f.id} ({', '.join(f.extensions) or 'folder'})" for f in items
        )

