"""The plugin host: a pluggy ``PluginManager`` behind a typed facade.

[`PluginHost`][relcoord.plugins.manager.PluginHost] registers the built-in format modules
([`DEFAULT_PLUGINS`][relcoord.plugins.manager.DEFAULT_PLUGINS]) and then every entry point in the
``relcoord`` group, one at a time, so that a plugin that fails to import, to register or inside one
of its hooks is reported by distribution name and version
([`LoadFailure`][relcoord.plugins.registry.LoadFailure]) while the rest keep working.  The facade
calls each hook plugin by plugin, which lets it attribute every format and command to the plugin
that added it and type what pluggy returns as ``Any``.

Environment switches, read when a host is created:

``RELCOORD_DISABLE_PLUGINS=1``
    load no third-party plugins (the built-in formats stay).
``RELCOORD_PLUGINS=name1,name2``
    load only the listed plugins (entry point or distribution names).
``RELCOORD_STRICT_PLUGINS=1``
    strict mode: the first plugin failure raises
    [`PluginError`][relcoord.plugins.registry.PluginError].  The library setting
    [`set_strict`][relcoord.plugins.manager.set_strict] and the command line flag
    ``--strict-plugins`` do the same.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import click
import pluggy

from relcoord.atomic_files import atomic_path
from relcoord.errors import RelcoordError, RelcoordWarning
from relcoord.formats.format_type import Format
from relcoord.formats.workshop_template import TemplateWriter, WorkshopTemplate, writer_for
from relcoord.model import Study
from relcoord.plugins import hookspecs
from relcoord.plugins.analysis_engine import MEMORY_ENGINE, AnalysisEngine
from relcoord.plugins.declared_commands import DeclaredCommand, all_declared
from relcoord.plugins.format_io import read_through, run_guarded, write_through
from relcoord.plugins.registry import (
    FormatKind,
    FormatRegistry,
    LoadFailure,
    PluginError,
    PluginInfo,
    Stage,
    UnknownEngineError,
    describe_exception,
)

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginHost",
    "exporters",
    "find_format",
    "get_host",
    "get_manager",
    "get_strict",
    "importers",
    "install_host",
    "load_failures",
    "reset",
    "set_strict",
]

#: The built-in plugins: modules of relcoord registered through the same hooks as any
#: third-party plugin, in this order (before any entry point).
DEFAULT_PLUGINS: Final[tuple[str, ...]] = (
    "relcoord.formats.json_format",
    "relcoord.formats.csv.plugin",
    "relcoord.formats.graphml",
    "relcoord.formats.gexf",
    "relcoord.formats.cytoscape",
    "relcoord.formats.pictures_format",
)
#: The entry-point group third-party plugins register under.
ENTRY_POINT_GROUP: Final = hookspecs.PROJECT_NAME

_TRUE = frozenset({"1", "true", "yes", "on"})
_HOOK_NAMES: Final = (
    "relcoord_register_importers",
    "relcoord_register_exporters",
    "relcoord_register_commands",
    "relcoord_register_template_writers",
    "relcoord_register_engines",
)


def _flag(environ: Mapping[str, str], name: str) -> bool:
    return environ.get(name, "").strip().lower() in _TRUE


def _builtin_info(module: str) -> PluginInfo:
    from relcoord import __version__

    return PluginInfo(name=module, distribution="relcoord", version=__version__, builtin=True)


def _entry_point_info(entry_point: metadata.EntryPoint) -> PluginInfo:
    dist = entry_point.dist
    return PluginInfo(
        name=entry_point.name,
        distribution=dist.name if dist is not None else None,
        version=dist.version if dist is not None else None,
    )


def _installed_entry_points() -> Iterable[metadata.EntryPoint]:
    return metadata.entry_points(group=ENTRY_POINT_GROUP)


class PluginHost:
    """Loads plugins and answers, with types, which formats and commands they add.

    ``strict`` makes the first plugin failure raise
    [`PluginError`][relcoord.plugins.registry.PluginError] instead of being recorded.  ``builtins``
    are module names registered first; ``entry_points`` supplies the third-party plugins (default:
    the installed ``relcoord`` entry points), filtered by ``RELCOORD_DISABLE_PLUGINS`` and
    ``RELCOORD_PLUGINS`` in ``environ``.
    """

    def __init__(
        self,
        *,
        strict: bool = False,
        builtins: Iterable[str] = DEFAULT_PLUGINS,
        entry_points: Callable[[], Iterable[metadata.EntryPoint]] = _installed_entry_points,
        environ: Mapping[str, str] | None = None,
        declared: Callable[[Mapping[str, str]], Iterable[DeclaredCommand]] | None = None,
    ) -> None:
        environ = os.environ if environ is None else environ
        if declared is None:  # a host built on given entry points sees only those
            installed = entry_points is _installed_entry_points
            declared = all_declared if installed else (lambda environ: ())
        self._declared = tuple(declared(environ))
        self.strict = strict
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self._plugins: dict[str, PluginInfo] = {}
        self._failures: list[LoadFailure] = []
        self._registry: FormatRegistry | None = None
        self._commands: dict[str, tuple[click.Command, PluginInfo]] | None = None
        self._template_owners: dict[str, PluginInfo] = {}
        self._templates: tuple[TemplateWriter, ...] | None = None
        self._engines: dict[str, tuple[AnalysisEngine, PluginInfo]] | None = None
        for module in builtins:
            self._load_builtin(module)
        if not _flag(environ, "RELCOORD_DISABLE_PLUGINS"):
            allowed = {n.strip() for n in environ.get("RELCOORD_PLUGINS", "").split(",")}
            allowed.discard("")
            self._load_entry_points(entry_points(), allowed or None)

    # -- loading ---------------------------------------------------------------------------

    def _fail(self, plugin: PluginInfo, stage: Stage, message: str) -> None:
        failure = LoadFailure(plugin, stage, message)
        if self.strict:
            raise PluginError(failure)
        self._failures.append(failure)

    def register(self, plugin: object, info: PluginInfo) -> bool:
        """Register a plugin object (a module or any object with hook functions).

        Returns whether it was registered; a plugin pluggy refuses (a name taken, a hook
        with a wrong signature, an unknown ``relcoord_*`` hook) is reported as a failure.
        """
        try:
            self.pm.register(plugin, name=info.name)
        except Exception as error:  # pluggy raises ValueError or PluginValidationError
            self._fail(info, "register", describe_exception(error))
            return False
        try:
            self.pm.check_pending()
            for hook_name in _HOOK_NAMES:
                for impl in self._impls(hook_name, info.name):
                    if impl.hookwrapper or impl.wrapper:
                        raise pluggy.PluginValidationError(
                            plugin, f"{hook_name}: relcoord calls its hooks plugin by "
                            "plugin, so wrappers are not supported")
        except pluggy.PluginValidationError as error:
            self.pm.unregister(plugin)
            self._fail(info, "register", describe_exception(error))
            return False
        self._plugins[info.name] = info
        self._registry = None
        self._commands = None
        self._templates = None
        self._engines = None
        return True

    def _load_builtin(self, module: str) -> None:
        info = _builtin_info(module)
        try:
            plugin = importlib.import_module(module)
        except Exception as error:
            self._fail(info, "import", describe_exception(error))
            return
        self.register(plugin, info)

    def _load_entry_points(
        self, entry_points: Iterable[metadata.EntryPoint], allowed: set[str] | None
    ) -> None:
        seen: set[tuple[str | None, str]] = set()
        found: set[str] = set()
        points = sorted(entry_points, key=lambda ep: (_entry_point_info(ep).distribution or "",
                                                      ep.name))
        for entry_point in points:
            info = _entry_point_info(entry_point)
            key = (info.distribution, info.name)
            if key in seen:  # the same distribution found twice on sys.path
                continue
            seen.add(key)
            if allowed is not None:
                names = {info.name, info.distribution or ""}
                if not names & allowed:
                    continue
                found |= names & allowed
            try:
                plugin = entry_point.load()
            except Exception as error:
                self._fail(info, "import", describe_exception(error))
                continue
            self.register(plugin, info)
        for missing in sorted((allowed or set()) - found):
            self._fail(
                PluginInfo(name=missing, distribution=None, version=None),
                "import",
                "named in RELCOORD_PLUGINS but no such plugin is installed",
            )

    def _impls(self, hook_name: str, plugin_name: str) -> list[pluggy.HookImpl]:
        hook: pluggy.HookCaller = getattr(self.pm.hook, hook_name)
        return [i for i in hook.get_hookimpls() if i.plugin_name == plugin_name]

    def _call_per_plugin(
        self, hook_name: str, stage: Stage, **kwargs: Any
    ) -> Iterator[tuple[PluginInfo, list[Any]]]:
        """Call one hook for each plugin alone, in load order, yielding what each returned.

        Calling the implementations directly (as pluggy would, arguments by name) lets the
        host attribute results and failures to one plugin.
        """
        for info in list(self._plugins.values()):
            yield info, self._call_one(info, hook_name, stage, **kwargs)

    def _call_one(self, info: PluginInfo, hook_name: str, stage: Stage, **kwargs: Any
                  ) -> list[Any]:
        """What one plugin's implementations of a hook return; a failure is reported."""
        results = []
        for impl in self._impls(hook_name, info.name):
            try:
                results.append(impl.function(*(kwargs[a] for a in impl.argnames)))
            except Exception as error:
                self._fail(info, stage, describe_exception(error))
        return results

    @property
    def registry(self) -> FormatRegistry:
        """The formats of all plugins, collected on first use."""
        if self._registry is None:
            registry = FormatRegistry()
            hooks: tuple[tuple[str, Stage, FormatKind], ...] = (
                ("relcoord_register_importers", "importers", "read"),
                ("relcoord_register_exporters", "exporters", "write"),
            )
            for hook_name, stage, kind in hooks:
                for info, results in self._call_per_plugin(hook_name, stage):
                    for result in results:
                        try:
                            items = list(result)
                        except TypeError:
                            self._fail(info, stage, f"returned {type(result).__name__}, "
                                       "expected an iterable of Format objects")
                            continue
                        for item in items:
                            try:
                                registry.add(kind, item, info)
                            except (TypeError, ValueError) as error:
                                self._fail(info, stage, str(error))
            self._registry = registry
        return self._registry

    # -- the typed facade ------------------------------------------------------------------

    def plugins(self) -> tuple[PluginInfo, ...]:
        """The plugins that registered, built-ins first, in load order."""
        return tuple(self._plugins.values())

    def failures(self) -> tuple[LoadFailure, ...]:
        """Every plugin failure so far (collecting formats and commands first)."""
        _ = self.registry
        _ = self.commands()
        _ = self.template_writers()
        _ = self.engines()
        return tuple(self._failures)

    def importers(self) -> tuple[Format, ...]:
        """Every format that can read, sorted by id."""
        return self.registry.formats("read")

    def exporters(self) -> tuple[Format, ...]:
        """Every format that can write, sorted by id."""
        return self.registry.formats("write")

    def find_format(
        self, id: str | None = None, path: str | Path | None = None, kind: FormatKind = "read",
        accept: Callable[[Format], bool] | None = None,
    ) -> Format:
        """The format to ``kind`` (read or write) by ``id``, else by ``path``'s extension
        (among the formats ``accept`` takes, when given).

        Raises [`UnknownFormatError`][relcoord.plugins.registry.UnknownFormatError] listing the
        known formats when none matches (or several match a file name equally well).
        """
        if id is not None:
            return self.registry.get(kind, id)
        if path is None:
            raise TypeError("find_format needs an id or a path")
        return self.registry.for_path(kind, path, accept)

    def owner(self, format: Format) -> PluginInfo:
        """The plugin that registered ``format``."""
        return self.registry.owner(format.id)

    def commands(self) -> dict[str, click.Command]:
        """The commands plugins add, by name (collected once, importing every plugin).

        First those of the hook ``relcoord_register_commands`` (each plugin is given its own
        scratch `click.Group`), then those declared in the entry-point group
        ``relcoord.commands``
        ([`relcoord.plugins.declared_commands`][relcoord.plugins.declared_commands]), each
        attributed to its distribution's plugin.  A command name that another plugin already added
        is refused and reported.
        """
        if self._commands is None:
            collected: dict[str, tuple[click.Command, PluginInfo]] = {}
            self._commands = collected
            for info in list(self._plugins.values()):
                group = click.Group("relcoord")
                failures = len(self._failures)
                self._call_one(info, "relcoord_register_commands", "commands", cli=group)
                if len(self._failures) > failures:  # its hook raised: add none of its commands
                    continue
                for name, command in sorted(group.commands.items()):
                    self._collect(collected, name, command, info)
            for declared in self._declared:
                info = self._declaring_plugin(declared)
                try:
                    command = declared.load()
                except Exception as error:
                    self._fail(info, "commands", f"command {declared.name!r} "
                               f"({declared.target}): {describe_exception(error)}")
                    continue
                self._collect(collected, declared.name, command, info)
        return {name: command for name, (command, _) in self._commands.items()}

    def _collect(self, collected: dict[str, tuple[click.Command, PluginInfo]], name: str,
                 command: click.Command, info: PluginInfo) -> None:
        if name in collected:
            self._fail(info, "commands", f"command {name!r} is already added by "
                       f"plugin {collected[name][1].label}")
            return
        collected[name] = (command, info)

    def _declaring_plugin(self, declared: DeclaredCommand) -> PluginInfo:
        """The loaded plugin of the distribution that declares ``declared``, else its own."""
        for info in self._plugins.values():
            if declared.distribution is not None and info.distribution == declared.distribution:
                return info
        return PluginInfo(name=declared.name, distribution=declared.distribution,
                          version=declared.version)

    def command_owner(self, name: str) -> PluginInfo:
        """The plugin that added command ``name``."""
        self.commands()
        assert self._commands is not None
        return self._commands[name][1]

    def refuse_command(self, name: str, reason: str) -> None:
        """Drop plugin command ``name`` and report why (e.g. it shadows a core command)."""
        self.commands()
        assert self._commands is not None
        command = self._commands.pop(name, None)
        if command is not None:
            self._fail(command[1], "commands", f"command {name!r} refused: {reason}")

    def template_writers(self) -> tuple[TemplateWriter, ...]:
        """The formats plugins write workshop templates in (see
        ``relcoord_register_template_writers``), in load order, collected once; a plugin
        whose hook fails or returns something else is reported and skipped."""
        if self._templates is not None:
            return self._templates
        found: list[TemplateWriter] = []
        for info, results in self._call_per_plugin("relcoord_register_template_writers",
                                                   "templates"):
            for result in results:
                items = list(result) if isinstance(result, Iterable) else [result]
                for item in items:
                    if isinstance(item, TemplateWriter):
                        found.append(item)
                        self._template_owners[item.id] = info
                    else:
                        self._fail(info, "templates", f"returned {type(item).__name__}, "
                                   "expected TemplateWriter objects")
        self._templates = tuple(found)
        return self._templates

    def template_owner(self, writer_id: str) -> PluginInfo:
        """The plugin that registered the template writer ``writer_id``."""
        self.template_writers()
        return self._template_owners[writer_id]

    def write_template(self, template: WorkshopTemplate, destination: str | Path
                       ) -> TemplateWriter:
        """Write ``template`` to ``destination`` atomically with the writer its extension
        names; return the writer.  A writer's bug is a
        [`PluginError`][relcoord.plugins.registry.PluginError] naming it."""
        writer = writer_for(self.template_writers(), destination)
        with atomic_path(Path(destination)) as temporary:
            try:
                writer.write(template, temporary)
            except (RelcoordError, RelcoordWarning):
                raise
            except Exception as error:
                owner = self.template_owner(writer.id)
                raise PluginError(LoadFailure(owner, "templates", f"template writer "
                                              f"{writer.id!r}: {describe_exception(error)}")
                                  ) from error
        return writer

    # -- analysis engines (relcoord.plugins.analysis_engine) -------------------------------

    def engines(self) -> tuple[AnalysisEngine, ...]:
        """The analysis engines plugins add (hook ``relcoord_register_engines``), sorted by id,
        collected once; an engine id that another plugin already registered is refused and
        reported, and so is anything that is not an
        [`AnalysisEngine`][relcoord.plugins.analysis_engine.AnalysisEngine]."""
        if self._engines is None:
            found: dict[str, tuple[AnalysisEngine, PluginInfo]] = {}
            self._engines = found
            for info, results in self._call_per_plugin("relcoord_register_engines", "engines"):
                for result in results:
                    items = list(result) if isinstance(result, Iterable) else [result]
                    for item in items:
                        if not isinstance(item, AnalysisEngine):
                            self._fail(info, "engines", f"returned {type(item).__name__}, "
                                       "expected AnalysisEngine objects")
                        elif item.id in found:
                            self._fail(info, "engines", f"engine id {item.id!r} is already "
                                       f"registered by plugin {found[item.id][1].label}")
                        else:
                            found[item.id] = (item, info)
        return tuple(engine for _, (engine, _) in sorted(self._engines.items()))

    def engine_owner(self, engine_id: str) -> PluginInfo:
        """The plugin that registered the engine ``engine_id``."""
        self.engines()
        assert self._engines is not None
        return self._engines[engine_id][1]

    def find_engine(self, engine_id: str) -> AnalysisEngine | None:
        """The engine ``engine_id``; ``None`` for the built-in ``memory`` engine.

        Raises [`UnknownEngineError`][relcoord.plugins.registry.UnknownEngineError] listing the
        installed engines (and which plugin brings each) when no engine has that id.
        """
        if engine_id == MEMORY_ENGINE:
            return None
        engines = {engine.id: engine for engine in self.engines()}
        if engine_id not in engines:
            known = [f"{MEMORY_ENGINE} (built in: the whole study in this process)"]
            known += [f"{e.id} ({e.title}; plugin {self.engine_owner(e.id).label})"
                      for e in engines.values()]
            raise UnknownEngineError(f"no analysis engine {engine_id!r}; installed engines: "
                                     f"{', '.join(known)}")
        return engines[engine_id]

    # -- reading and writing through a format (relcoord.plugins.format_io) -------------

    def reader_for(self, source: str | Path, format: str | None = None,
                   options: Mapping[str, Any] | None = None) -> Format:
        """The format to read ``source`` with: the one named ``format``, else the one its
        name fits, refined by that format's ``detect`` (a ``.csv`` file's header decides
        between the CSV layouts)."""
        chosen = self.find_format(id=format, path=source, kind="read")
        detect = chosen.detect
        if format is not None or detect is None or not Path(source).is_file():
            return chosen
        better = run_guarded(chosen, "read", self.owner,
                             lambda: detect(Path(source), dict(options or {})))
        return chosen if better in (None, chosen.id) else self.find_format(id=better)

    def read(
        self,
        source: str | Path,
        *,
        format: str | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Study:
        """Read a study from ``source`` with the format named ``format`` or fitting the file.

        Options are checked against the format's declaration (an unknown one is an error
        listing every option); ``respondent_ids`` / ``respondent_key`` are the host's own
        ([`relcoord.plugins.respondent_ids`][relcoord.plugins.respondent_ids]).  Bad input raises
        the format's [`InvalidInputError`][relcoord.errors.InvalidInputError] or
        [`InvalidStudyError`][relcoord.errors.InvalidStudyError]; any other exception inside the
        format becomes a [`PluginError`][relcoord.plugins.registry.PluginError] naming the plugin
        and its version.
        """
        given = dict(options or {})
        chosen = self.reader_for(source, format, given)
        return read_through(chosen, source, given, owner=self.owner)

    def write(
        self,
        study: Study,
        destination: str | Path,
        *,
        format: str | None = None,
        analysis: Analysis | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> Format:
        """Write ``study`` (and ``analysis``) to ``destination`` atomically; return the format.

        The format is the one named ``format`` or the one fitting the destination's name.  A
        format that carries only an analysis needs ``analysis`` (from
        [`relcoord.analyze`][relcoord.analysis.analyze]); formats never compute one themselves.  On
        any failure the destination is left as it was.

        Study data (a format that carries ``"study"``, such as ``json``) is written whole:
        respondents keep their ids unless ``respondent_ids`` asks for pseudonyms or, with a
        warning, for none.  Published results never see a raw respondent id
        ([`relcoord.plugins.respondent_ids`][relcoord.plugins.respondent_ids]).
        """
        chosen = self.find_format(id=format, path=destination, kind="write")
        write_through(chosen, study, destination, analysis=analysis,
                      options=dict(options or {}), owner=self.owner)
        return chosen


# -- the process-wide host ------------------------------------------------------------------

_lock = threading.Lock()
_host: PluginHost | None = None
_strict: bool | None = None


def get_strict() -> bool | None:
    """The library setting for strict mode (``None``: follow ``RELCOORD_STRICT_PLUGINS``)."""
    return _strict


def set_strict(strict: bool | None) -> None:
    """Make plugin failures fatal (``True``), reported (``False``), or follow the environment.

    ``None`` (the default) reads ``RELCOORD_STRICT_PLUGINS``.  Changing the setting drops
    the loaded host, so the next use loads the plugins again under the new rule.
    """
    global _strict
    with _lock:
        if strict != _strict:
            _strict = strict
            _reset_locked()


def _reset_locked() -> None:
    global _host
    _host = None


def reset() -> None:
    """Drop the loaded host; the next use loads the plugins again (re-reading the environment)."""
    with _lock:
        _reset_locked()


def get_host() -> PluginHost:
    """The process-wide plugin host, loaded on first use."""
    global _host
    with _lock:
        if _host is None:
            strict = _strict if _strict is not None else _flag(os.environ,
                                                                "RELCOORD_STRICT_PLUGINS")
            _host = PluginHost(strict=strict)
        return _host


def install_host(host: PluginHost | None) -> PluginHost | None:
    """Make ``host`` the process-wide host and return the previous one (for test fixtures)."""
    global _host
    with _lock:
        previous, _host = _host, host
        return previous


def get_manager() -> pluggy.PluginManager:
    """The pluggy ``PluginManager`` of the process-wide host (for advanced use)."""
    return get_host().pm


def importers() -> tuple[Format, ...]:
    """Every registered format that can read, sorted by id."""
    return get_host().importers()


def exporters() -> tuple[Format, ...]:
    """Every registered format that can write, sorted by id."""
    return get_host().exporters()


def find_format(
    id: str | None = None, path: str | Path | None = None, kind: FormatKind = "read"
) -> Format:
    """Find a registered format by id or by file name; see
    [`PluginHost.find_format`][relcoord.plugins.manager.PluginHost.find_format]."""
    return get_host().find_format(id=id, path=path, kind=kind)


def load_failures() -> tuple[LoadFailure, ...]:
    """The plugin failures of the process-wide host (empty when every plugin loaded)."""
    return get_host().failures()
