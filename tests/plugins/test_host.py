"""The plugin host: registry, attribution, broken plugins, environment switches, strict mode."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

import click
import pytest

import relcoord.plugins as plugins
from relcoord import Metadata, Role, Study
from relcoord.errors import InvalidInputError, RelcoordError
from relcoord.formats.format_type import Format
from relcoord.plugins import (
    PluginError,
    PluginHost,
    PluginInfo,
    UnknownFormatError,
    hookimpl,
)
from relcoord.testing.fake_distributions import make_distribution


def small_study() -> Study:
    return Study(
        metadata=Metadata(id="s"),
        instrument="rc7",
        roles=[Role("a", "A"), Role("b", "B")],
    )


def reader(path: Path, options: Mapping[str, Any]) -> Study:
    return small_study()


def writer(study: Study, analysis: object, path: Path, options: Mapping[str, Any]) -> None:
    path.write_text(study.metadata.id, encoding="utf-8")


def fmt(id: str, *, extensions: tuple[str, ...] = (".x",), read: bool = True,
        write: bool = True, carries: str = "study") -> Format:
    return Format(id, f"Format {id}", extensions, "text/plain", carries,  # type: ignore[arg-type]
                  read=reader if read else None, write=writer if write else None)


class FormatsPlugin:
    """A plugin object with both format hooks, returning what it was given."""

    def __init__(self, readers: Iterable[object] = (), writers: Iterable[object] = ()) -> None:
        self.readers = list(readers)
        self.writers = list(writers)

    @hookimpl
    def relcoord_register_importers(self) -> Iterable[object]:
        return self.readers

    @hookimpl
    def relcoord_register_exporters(self) -> Iterable[object]:
        return self.writers


class CommandsPlugin:
    """A plugin adding commands through ``relcoord_register_commands``."""

    def __init__(self, *names: str) -> None:
        self.names = names

    @hookimpl
    def relcoord_register_commands(self, cli: click.Group) -> None:
        for name in self.names:
            cli.add_command(click.Command(name, callback=lambda: click.echo("hi")))


def info(name: str, dist: str = "dist", version: str = "1.0") -> PluginInfo:
    return PluginInfo(name=name, distribution=dist, version=version)


def bare_host(**kwargs: Any) -> PluginHost:
    """A host with the built-ins and no third-party entry points."""
    return PluginHost(entry_points=list, environ={}, **kwargs)


@pytest.fixture
def fake_modules() -> Iterator[None]:
    """Forget the fake plugin modules a test imported."""
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.startswith("fakeplug_"):
            del sys.modules[name]


GOOD = """
from relcoord.formats.format_type import Format
from relcoord.plugins import hookimpl

def read(path, options):
    raise ZeroDivisionError("boom in read")

def write(study, analysis, path, options):
    path.write_text("partial")
    raise KeyError("boom in write")

@hookimpl
def relcoord_register_importers():
    return [Format("good-fmt", "Good", (".good",), "text/plain", "study", read=read)]

@hookimpl
def relcoord_register_exporters():
    return [Format("good-fmt", "Good", (".good",), "text/plain", "study", write=write)]
"""


@pytest.fixture
def fake_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_modules: None
              ) -> Callable[..., list[metadata.EntryPoint]]:
    """Make fake installed distributions importable from ``tmp_path``."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def make_dist(name: str, version: str, entry_points: Mapping[str, str],
                  modules: Mapping[str, str]) -> list[metadata.EntryPoint]:
        return make_distribution(site, name, version, entry_points, modules)

    return make_dist


# --- format objects -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"id": "Bad Id"}, "not valid"),
        ({"id": "csv-"}, "not valid"),
        ({"extensions": ("json",)}, "must start with '.'"),
        ({"extensions": (".json", ".JSON")}, "repeat"),
        ({"media_type": "json"}, "type/subtype"),
        ({"carries": "everything"}, "carries must be one of"),
        ({"read": None, "write": None}, "neither read nor write"),
        ({"title": " "}, "needs a title"),
        ({"extensions": ()}, "at least one file extension"),
    ],
)
def test_format_refuses_malformed_fields(kwargs: dict[str, Any], message: str) -> None:
    fields: dict[str, Any] = {
        "id": "ok", "title": "OK", "extensions": (".ok",), "media_type": "text/plain",
        "carries": "study", "read": reader, "write": writer,
    }
    fields.update(kwargs)
    with pytest.raises(ValueError, match=message):
        Format(**fields)


def test_format_normalises_extensions_and_matches_longest() -> None:
    item = Format("tables", "Tables", ".CSV.ZIP", "application/zip", "both", write=writer)
    assert item.extensions == (".csv.zip",)
    assert item.matches("Out.csv.zip") == len(".csv.zip")
    assert item.matches("out.zip") == 0
    assert item.matches(".csv.zip") == 0  # a bare extension is not a file name
    folder = Format("tables-dir", "Tables", (), "text/csv", "both", write=writer,
                    writes_directory=True)
    assert folder.matches("anything") == 0


def test_format_refuses_non_callable_functions() -> None:
    with pytest.raises(TypeError, match="read must be callable"):
        Format("x", "X", (".x",), "text/plain", "study", read="nope")  # type: ignore[arg-type]


# --- the built-ins and the registry -------------------------------------------------------


def test_builtins_register_through_the_same_hooks() -> None:
    host = bare_host()
    assert [p.name for p in host.plugins()] == list(plugins.DEFAULT_PLUGINS)
    assert all(p.builtin and p.distribution == "relcoord" for p in host.plugins())
    assert host.failures() == ()
    json_plugin = host.owner(host.find_format(id="json", kind="write"))
    assert json_plugin.name == "relcoord.formats.json_format"
    assert host.registry.ids_of(json_plugin, "read") == ("json",)
    assert host.registry.ids_of(json_plugin, "write") == ("analysis-json", "json")
    ids = [f.id for f in host.importers()]
    assert ids == sorted(ids)
    assert "json" in ids
    assert {f.id for f in host.exporters()} >= {"analysis-json", "json"}


def test_installed_example_plugin_is_found_and_attributed(relcoord_host: PluginHost) -> None:
    tsv = relcoord_host.find_format(id="ties-tsv", kind="read")
    owner = relcoord_host.owner(tsv)
    assert (owner.name, owner.distribution, owner.builtin) == ("example", "relcoord-example", False)
    assert owner.version == metadata.version("relcoord-example")
    assert plugins.find_format(id="ties-tsv") is tsv  # the fixture installed the host
    assert "roles-markdown" in relcoord_host.commands()


def test_duplicate_format_id_is_refused_naming_both_plugins() -> None:
    host = bare_host()
    host.register(FormatsPlugin(readers=[fmt("dup")]), info("first", "dist-one", "1.0"))
    host.register(FormatsPlugin(readers=[fmt("dup", extensions=(".y",))]),
                  info("second", "dist-two", "2.0"))
    (failure,) = host.failures()
    assert failure.stage == "importers"
    assert failure.plugin.distribution == "dist-two"
    assert "dist-one 1.0" in failure.message
    assert "dist-two 2.0" in failure.message
    assert host.find_format(id="dup").extensions == (".x",)  # the first one stays


def test_duplicate_of_a_builtin_id_is_refused_whatever_the_kind() -> None:
    host = bare_host()
    host.register(FormatsPlugin(writers=[fmt("json", extensions=(".j",))]), info("mine"))
    (failure,) = host.failures()
    assert "relcoord.formats.json_format" in failure.message
    assert host.owner(host.find_format(id="json", kind="write")).builtin


def test_one_plugin_may_register_an_id_as_importer_and_exporter() -> None:
    host = bare_host()
    item = fmt("both-ways")
    host.register(FormatsPlugin(readers=[item], writers=[item]), info("p"))
    assert host.failures() == ()
    assert host.find_format(id="both-ways", kind="read") is host.find_format(
        id="both-ways", kind="write")


@pytest.mark.parametrize(
    ("readers", "writers", "message"),
    [
        (["not a format"], [], "expected a relcoord Format"),
        ([fmt("w-only", read=False)], [], "has no read function"),
        ([], [fmt("r-only", write=False)], "has no write function"),
        ([fmt("twice"), fmt("twice")], [], "registered twice"),
    ],
)
def test_malformed_registrations_are_reported_and_the_rest_kept(
    readers: list[object], writers: list[object], message: str
) -> None:
    host = bare_host()
    good = fmt("fine")
    host.register(FormatsPlugin(readers=[*readers, good], writers=writers), info("p"))
    (failure,) = host.failures()
    assert message in failure.message
    assert host.find_format(id="fine") is good
    assert host.find_format(id="json").id == "json"


def test_hook_returning_a_non_iterable_is_reported() -> None:
    class Plugin:
        @hookimpl
        def relcoord_register_importers(self) -> object:
            return 42

    host = bare_host()
    host.register(Plugin(), info("p"))
    (failure,) = host.failures()
    assert "expected an iterable of Format objects" in failure.message


def test_hook_raising_is_reported_with_the_exception() -> None:
    class Plugin:
        @hookimpl
        def relcoord_register_exporters(self) -> Iterable[Format]:
            return [Format("Bad", "B", (".b",), "text/plain", "study", write=writer)]

    host = bare_host()
    host.register(Plugin(), info("p", "broken-dist", "0.3"))
    (failure,) = host.failures()
    assert failure.stage == "exporters"
    assert failure.message.startswith("ValueError: format id 'Bad' is not valid")
    assert "broken-dist 0.3" in str(failure)


def test_unknown_hook_is_caught_by_check_pending() -> None:
    class Plugin:
        @hookimpl
        def relcoord_register_widgets(self) -> None:
            """A typo of a hook name."""

    host = bare_host()
    assert host.register(Plugin(), info("typo")) is False
    (failure,) = host.failures()
    assert failure.stage == "register"
    assert "relcoord_register_widgets" in failure.message
    assert [p.name for p in host.plugins()] == list(plugins.DEFAULT_PLUGINS)


def test_hookimpl_with_wrong_arguments_is_refused() -> None:
    class Plugin:
        @hookimpl
        def relcoord_register_commands(self, group: click.Group) -> None:
            """``group`` is not an argument of the hook."""

    host = bare_host()
    assert host.register(Plugin(), info("wrong")) is False
    assert "group" in host.failures()[0].message


# --- entry points: broken plugins reported by name and version ----------------------------


def test_entry_point_that_fails_to_import_is_reported(
    fake_dist: Callable[..., list[metadata.EntryPoint]]
) -> None:
    points = fake_dist("fake-broken", "0.9.1", {"broken": "fakeplug_broken"},
                       {"fakeplug_broken": "raise ImportError('needs numpy 3')"})
    points += fake_dist("fake-good", "2.0", {"good": "fakeplug_good"}, {"fakeplug_good": GOOD})
    host = PluginHost(entry_points=lambda: points, environ={})
    (failure,) = host.failures()
    assert (failure.plugin.name, failure.plugin.distribution, failure.plugin.version) == (
        "broken", "fake-broken", "0.9.1")
    assert failure.stage == "import"
    assert "ImportError: needs numpy 3" in str(failure)
    assert "fake-broken 0.9.1" in str(failure)
    assert host.find_format(id="good-fmt").id == "good-fmt"  # the rest keep working
    assert host.find_format(id="json").id == "json"


def test_entry_point_naming_a_missing_module_is_reported(
    fake_dist: Callable[..., list[metadata.EntryPoint]]
) -> None:
    points = fake_dist("fake-missing", "1.0", {"gone": "fakeplug_not_there"}, {})
    host = PluginHost(entry_points=lambda: points, environ={})
    (failure,) = host.failures()
    assert "ModuleNotFoundError" in failure.message


def test_exceptions_inside_read_and_write_name_the_plugin(
    fake_dist: Callable[..., list[metadata.EntryPoint]], tmp_path: Path
) -> None:
    points = fake_dist("fake-good", "2.0", {"good": "fakeplug_good2"}, {"fakeplug_good2": GOOD})
    host = PluginHost(entry_points=lambda: points, environ={})
    source = tmp_path / "in.good"
    source.write_text("x")
    with pytest.raises(PluginError, match=r"fake-good 2\.0.*ZeroDivisionError: boom in read"):
        host.read(source)
    destination = tmp_path / "out.good"
    destination.write_text("precious")
    with pytest.raises(PluginError, match=r"fake-good 2\.0.*KeyError") as caught:
        host.write(small_study(), destination)
    assert caught.value.failure.stage == "write"
    assert destination.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.good", "out.good", "site"]


def test_reader_returning_something_else_than_a_study_is_a_plugin_error(tmp_path: Path) -> None:
    host = bare_host()
    odd = Format("odd", "Odd", (".odd",), "text/plain", "study",
                 read=lambda path, options: {"not": "a study"})  # type: ignore[arg-type,return-value]
    host.register(FormatsPlugin(readers=[odd]), info("odd-plugin"))
    (tmp_path / "a.odd").write_text("")
    with pytest.raises(PluginError, match="returned dict, expected a Study"):
        host.read(tmp_path / "a.odd")


def test_relcoord_errors_from_a_format_pass_through(tmp_path: Path) -> None:
    def bad_input(path: Path, options: Mapping[str, Any]) -> Study:
        raise InvalidInputError(f"{path}:3:7", "not a number")

    host = bare_host()
    host.register(FormatsPlugin(readers=[Format("strict-fmt", "S", (".s",), "text/plain",
                                                "study", read=bad_input)]), info("p"))
    (tmp_path / "a.s").write_text("")
    with pytest.raises(InvalidInputError, match=r"a\.s:3:7"):
        host.read(tmp_path / "a.s")


# --- environment switches and strict mode ------------------------------------------------


def two_plugins(fake_dist: Callable[..., list[metadata.EntryPoint]]
                ) -> list[metadata.EntryPoint]:
    points = fake_dist("fake-alpha", "1.0", {"alpha": "fakeplug_alpha"},
                       {"fakeplug_alpha": "from relcoord.plugins import hookimpl\n"})
    points += fake_dist("fake-beta", "1.0", {"beta": "fakeplug_beta"},
                        {"fakeplug_beta": "x = 1\n"})
    return points


def test_disable_plugins_keeps_only_builtins(
    fake_dist: Callable[..., list[metadata.EntryPoint]]
) -> None:
    points = two_plugins(fake_dist)
    host = PluginHost(entry_points=lambda: points, environ={"RELCOORD_DISABLE_PLUGINS": "1"})
    assert all(p.builtin for p in host.plugins())
    enabled = PluginHost(entry_points=lambda: points,
                         environ={"RELCOORD_DISABLE_PLUGINS": "0"})
    assert {p.name for p in enabled.plugins() if not p.builtin} == {"alpha", "beta"}


def test_allow_list_by_entry_point_or_distribution_name(
    fake_dist: Callable[..., list[metadata.EntryPoint]]
) -> None:
    points = two_plugins(fake_dist)
    by_name = PluginHost(entry_points=lambda: points, environ={"RELCOORD_PLUGINS": "beta"})
    assert [p.name for p in by_name.plugins() if not p.builtin] == ["beta"]
    by_dist = PluginHost(entry_points=lambda: points,
                         environ={"RELCOORD_PLUGINS": " fake-alpha , "})
    assert [p.name for p in by_dist.plugins() if not p.builtin] == ["alpha"]
    assert by_dist.failures() == ()


def test_allow_list_naming_a_missing_plugin_is_reported(
    fake_dist: Callable[..., list[metadata.EntryPoint]]
) -> None:
    points = two_plugins(fake_dist)
    host = PluginHost(entry_points=lambda: points, environ={"RELCOORD_PLUGINS": "alpha,gamma"})
    (failure,) = host.failures()
    assert failure.plugin.name == "gamma"
    assert "RELCOORD_PLUGINS" in failure.message


def test_strict_mode_raises_on_the_first_failure(
    fake_dist: Callable[..., list[metadata.EntryPoint]]
) -> None:
    points = fake_dist("fake-broken", "0.9.1", {"broken": "fakeplug_broken2"},
                       {"fakeplug_broken2": "raise RuntimeError('kaput')"})
    with pytest.raises(PluginError, match=r"fake-broken 0\.9\.1.*RuntimeError: kaput"):
        PluginHost(entry_points=lambda: points, environ={}, strict=True)
    host = bare_host(strict=True)
    host.register(FormatsPlugin(readers=[fmt("json")]), info("clash"))
    with pytest.raises(PluginError, match="already registered"):
        host.importers()


def test_library_setting_and_environment_select_strict_mode(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = plugins.install_host(None)
    try:
        monkeypatch.setenv("RELCOORD_STRICT_PLUGINS", "1")
        assert plugins.get_strict() is None
        assert plugins.get_host().strict is True
        plugins.set_strict(False)
        assert plugins.get_host().strict is False
        plugins.set_strict(True)
        monkeypatch.delenv("RELCOORD_STRICT_PLUGINS")
        assert plugins.get_host().strict is True
    finally:
        plugins.set_strict(None)
        plugins.install_host(previous)


def test_module_functions_use_the_process_wide_host(relcoord_host: PluginHost) -> None:
    assert plugins.get_host() is relcoord_host
    assert plugins.get_manager() is relcoord_host.pm
    assert plugins.importers() == relcoord_host.importers()
    assert plugins.exporters() == relcoord_host.exporters()
    assert plugins.load_failures() == relcoord_host.failures()
    plugins.reset()
    assert plugins.get_host() is not relcoord_host


# --- choosing a format --------------------------------------------------------------------


def test_find_format_by_extension_prefers_longest_then_builtin_then_preferred() -> None:
    host = bare_host()
    assert host.find_format(path="study.json", kind="write").id == "json"
    assert host.find_format(path="x.analysis.json", kind="write").id == "analysis-json"
    assert host.find_format(path="STUDY.JSON").id == "json"
    host.register(FormatsPlugin(readers=[fmt("my-json", extensions=(".json",))]), info("p"))
    assert host.find_format(path="study.json").id == "json"  # a plugin never takes over
    host.register(FormatsPlugin(readers=[fmt("main-dat", extensions=(".dat",)),
                                         fmt("other-dat", extensions=(".txt", ".dat"))]),
                  info("q"))
    assert host.find_format(path="a.dat").id == "main-dat"  # its preferred extension


def test_find_format_ambiguity_and_unknown_list_candidates() -> None:
    host = bare_host()
    host.register(FormatsPlugin(readers=[fmt("one", extensions=(".dat",)),
                                         fmt("two", extensions=(".dat",))]), info("p"))
    with pytest.raises(UnknownFormatError, match=r"several formats can read 'a\.dat': one, two"):
        host.find_format(path="a.dat")
    with pytest.raises(UnknownFormatError, match=r"json \(\.json\)"):
        host.find_format(path="a.xlsx")
    with pytest.raises(UnknownFormatError, match="can only write"):
        host.find_format(id="analysis-json", kind="read")
    with pytest.raises(UnknownFormatError, match="no format with id 'nope'"):
        host.find_format(id="nope")
    with pytest.raises(TypeError, match="needs an id or a path"):
        host.find_format()


def test_write_and_read_through_the_facade(tmp_path: Path) -> None:
    host = bare_host()
    study = small_study()
    used = host.write(study, tmp_path / "s.json")
    assert used.id == "json"
    assert host.read(tmp_path / "s.json") == study
    assert plugins.UnknownFormatError is UnknownFormatError
    with pytest.raises(RelcoordError, match="writes an analysis"):
        host.write(study, tmp_path / "a.analysis.json")
    with pytest.raises(InvalidInputError, match="no such file"):
        host.read(tmp_path / "missing.json")
    with pytest.raises(InvalidInputError, match="unknown option"):
        host.read(tmp_path / "s.json", options={"max_byte": 10})


# --- commands ------------------------------------------------------------------------------


def test_plugin_commands_are_collected_and_clashes_refused() -> None:
    host = bare_host()
    host.register(CommandsPlugin("hello", "shared"), info("one", "dist-one"))
    host.register(CommandsPlugin("shared"), info("two", "dist-two"))
    assert sorted(host.commands()) == ["hello", "shared"]
    assert host.command_owner("shared").name == "one"
    (failure,) = host.failures()
    assert failure.stage == "commands"
    assert "dist-one" in failure.message


def test_commands_hook_raising_does_not_break_the_rest() -> None:
    class Broken:
        @hookimpl
        def relcoord_register_commands(self, cli: click.Group) -> None:
            raise RuntimeError("no commands today")

    host = bare_host()
    host.register(Broken(), info("broken"))
    host.register(CommandsPlugin("fine"), info("fine"))
    assert list(host.commands()) == ["fine"]
    assert "no commands today" in host.failures()[0].message


def test_refused_command_is_dropped_and_reported() -> None:
    host = bare_host()
    host.register(CommandsPlugin("validate"), info("shadow"))
    host.refuse_command("validate", "a relcoord command has that name")
    assert host.commands() == {}
    assert "refused" in host.failures()[0].message


def test_unhashable_plugin_objects_work() -> None:
    class Unhashable(FormatsPlugin):
        __hash__ = None  # type: ignore[assignment]

    host = bare_host()
    assert host.register(Unhashable(readers=[fmt("unhashable")]), info("u"))
    assert host.find_format(id="unhashable").id == "unhashable"
    assert host.commands() == {}


def test_hook_wrappers_are_refused() -> None:
    class Wrapper:
        @hookimpl(wrapper=True)
        def relcoord_register_importers(self) -> Iterator[None]:
            return (yield)

    host = bare_host()
    assert host.register(Wrapper(), info("wrapper")) is False
    assert "wrappers are not supported" in host.failures()[0].message


# --- template writers ----------------------------------------------------------------------


class TemplatesPlugin:
    """Writes a workshop template as a text file listing the groups."""

    def __init__(self, *, fail: bool = False) -> None:
        self.fail = fail

    @hookimpl
    def relcoord_register_template_writers(self) -> Iterable[object]:
        from relcoord.formats.workshop_template import TemplateWriter

        def write(template: Any, path: Path) -> None:
            if self.fail:
                raise RuntimeError("the printer is on fire")
            path.write_text("\n".join(template.role_labels()), encoding="utf-8")

        return [TemplateWriter("txt", "Plain text forms", (".txt",), write), "not a writer"]


def test_template_writers_are_collected_and_write_atomically(tmp_path: Path) -> None:
    from relcoord.formats.workshop_template import WorkshopTemplate

    host = bare_host()
    host.register(TemplatesPlugin(), info("forms"))
    assert [w.id for w in host.template_writers()] == ["txt"]
    (failure,) = host.failures()  # the string it returned beside the writer
    assert failure.stage == "templates"
    template = WorkshopTemplate.of("balkort", small_study().roles, "en")
    host.write_template(template, tmp_path / "forms.txt")
    assert (tmp_path / "forms.txt").read_text(encoding="utf-8").splitlines() == list(
        template.role_labels())
    with pytest.raises(InvalidInputError, match=r"\.txt"):
        host.write_template(template, tmp_path / "forms.pdf")
    broken = bare_host()
    broken.register(TemplatesPlugin(fail=True), info("broken-forms"))
    with pytest.raises(PluginError, match="printer is on fire"):
        broken.write_template(template, tmp_path / "other.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forms.txt"]


# --- analysis engines ----------------------------------------------------------------------


class EnginesPlugin:
    """An analysis engine that analyses the small study, and something that is not one."""

    def __init__(self, engine_id: str = "tiny") -> None:
        self.engine_id = engine_id

    @hookimpl
    def relcoord_register_engines(self) -> Iterable[object]:
        from relcoord.analysis import analyze
        from relcoord.plugins.analysis_engine import AnalysisEngine

        return [AnalysisEngine(id=self.engine_id, title="the small study",
                               facts=lambda path: small_study(),
                               analyze=lambda path, settings, options: analyze(small_study(),
                                                                               settings),
                               options={"speed": "how fast"}),
                "not an engine"]


def test_engines_are_collected_attributed_and_listed_when_unknown() -> None:
    from relcoord.plugins.registry import UnknownEngineError
    from relcoord.settings import AnalysisSettings

    host = bare_host()
    host.register(EnginesPlugin(), info("engines"))
    host.register(EnginesPlugin(), info("engines-again"))
    (engine,) = host.engines()
    assert engine.id == "tiny"
    assert host.engine_owner("tiny").name == "engines"
    assert host.find_engine("tiny") is engine
    assert host.find_engine("memory") is None  # the built-in engine
    stages = [(f.plugin.name, f.stage, f.message) for f in host.failures()]
    assert ("engines", "engines", "returned str, expected AnalysisEngine objects") in stages
    assert any(name == "engines-again" and "already registered by plugin" in message
               for name, _, message in stages)
    with pytest.raises(UnknownEngineError, match=r"no analysis engine 'big'; installed "
                       r"engines: memory \(built in.*tiny \(the small study; plugin dist 1\.0"):
        host.find_engine("big")
    analysis = engine.analyze(Path("x"), AnalysisSettings(), {})
    assert analysis.study == small_study()


def test_an_engine_id_is_checked() -> None:
    from relcoord.plugins.analysis_engine import AnalysisEngine

    for bad in ("memory", "Dask", "2x", ""):
        with pytest.raises(ValueError, match="engine id"):
            AnalysisEngine(id=bad, title="t", facts=lambda path: small_study(),
                           analyze=lambda path, settings, options: None)  # type: ignore[arg-type,return-value]
