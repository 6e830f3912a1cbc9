"""Each format declares its options once (relcoord.formats.format_option): the checks, the
error for an unknown option, ``relcoord plugins --options`` and the documentation's tables
all come from that declaration."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from click.testing import CliRunner

from relcoord.cli import cli
from relcoord.errors import InvalidInputError
from relcoord.formats import (
    Format,
    FormatOption,
    check_options,
    instrument,
    json_object,
    parse_options,
    single_character,
    text_list,
    true_or_false,
    whole_number,
)
from relcoord.model import Study
from relcoord.plugins.format_io import options_of
from relcoord.plugins.manager import PluginHost
from relcoord.plugins.registry import PluginInfo

REPO = Path(__file__).resolve().parents[2]
DECLARED = (
    FormatOption("size", "how many", parse=whole_number(1, 10), default=3, metavar="N"),
    FormatOption("mode", "which way", choices=("fast", "exact"), default="exact",
                 aliases={"quick": "fast"}),
)


def _updater() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "update_option_tables", REPO / "scripts" / "update_option_tables.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("parse", "given", "value"),
    [
        (whole_number(1), "12", 12), (whole_number(1), 7, 7), (true_or_false, "yes", True),
        (true_or_false, "off", False), (true_or_false, True, True),
        (json_object, '{"a": "b"}', {"a": "b"}), (json_object, {"a": 1}, {"a": "1"}),
        (text_list, "NA, -", ("NA", "-")), (text_list, ["x"], ("x",)),
        (single_character, "tab", "\t"), (single_character, ";", ";"),
    ],
)
def test_parsers_read_text_and_python_values(parse: Any, given: Any, value: Any) -> None:
    assert parse(given) == value
    assert parse(value) == value  # parsing a parsed value gives it back


@pytest.mark.parametrize(
    ("parse", "given", "message"),
    [
        (whole_number(72, 600), "50", "at least 72 and at most 600"),
        (whole_number(1), "1.5", "whole number"), (true_or_false, "maybe", "true or false"),
        (json_object, "{not json", "JSON object"), (single_character, ";;", "one character"),
        (instrument, "rc99", "built-in instrument"),
    ],
)
def test_parsers_say_what_they_expect(parse: Any, given: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(given)


def test_parse_options_fills_defaults_and_names_the_bad_value() -> None:
    assert parse_options("demo", {}, DECLARED) == {"size": 3, "mode": "exact"}
    assert parse_options("demo", {"size": "4", "mode": "QUICK"}, DECLARED) == {
        "size": 4, "mode": "fast"}
    with pytest.raises(InvalidInputError) as caught:
        parse_options("demo", {"mode": "slow"}, DECLARED)
    assert caught.value.location == "format 'demo'"
    assert caught.value.message == "option mode='slow': expected one of fast, exact"


def test_an_unknown_option_lists_every_option_with_its_help() -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_options("demo", {"siz": 1}, DECLARED)
    assert caught.value.message.splitlines() == [
        "unknown option 'siz' (did you mean 'size'?); demo takes:",
        "  size=N           how many (default 3)",
        "  mode=fast|exact  which way (default exact)",
    ]
    with pytest.raises(InvalidInputError, match="legacy takes no options"):
        check_options("legacy", {"x": 1}, ())
    with pytest.raises(InvalidInputError, match="known options: a, b"):
        check_options("legacy", {"x": 1}, ("b", "a"))  # names only, as older plugins pass


def test_a_format_refuses_malformed_declarations() -> None:
    with pytest.raises(ValueError, match="option name 'Bad Name'"):
        FormatOption("Bad Name", "x")
    with pytest.raises(ValueError, match="declares an option twice"):
        Format(id="x", title="X", extensions=(".x",), media_type="text/plain",
               carries="study", read=lambda p, o: None,  # type: ignore[arg-type,return-value]
               read_options=(DECLARED[0], DECLARED[0]))


def test_the_host_refuses_an_undeclared_option_before_the_format_runs(tmp_path: Path) -> None:
    calls: list[object] = []

    def read(path: Path, options: Any) -> Study:
        calls.append(options)
        raise AssertionError("not reached")

    declared = Format(id="demo", title="Demo", extensions=(".demo",), media_type="text/plain",
                      carries="study", read=read, read_options=DECLARED)
    host = PluginHost(builtins=(), entry_points=list, environ={})
    host.registry.add("read", declared, PluginInfo("demo", "demo", "1"))
    (tmp_path / "a.demo").write_text("x")
    with pytest.raises(InvalidInputError, match="unknown option 'colour'") as caught:
        host.read(tmp_path / "a.demo", options={"colour": "red"})
    assert "respondent_ids=keep|pseudonymise|omit" in caught.value.message  # the host's own
    assert calls == []


@pytest.fixture(scope="module")
def builtin_host() -> PluginHost:
    return PluginHost(environ={"RELCOORD_DISABLE_PLUGINS": "1"})


def test_every_builtin_format_declares_its_options(builtin_host: PluginHost) -> None:
    for kind, formats in (("read", builtin_host.importers()), ("write", builtin_host.exporters())):
        for chosen in formats:
            assert options_of(chosen, kind) is not None, (chosen.id, kind)  # type: ignore[arg-type]


def test_the_documentation_tables_are_the_declarations(builtin_host: PluginHost) -> None:
    updater = _updater()
    pages = [REPO / "docs" / "formats.md", REPO / "docs" / "csv.md"]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert updater.filled(text) == text, (
            f"{page.name}: an option table differs from the formats' declarations; run "
            "python scripts/update_option_tables.py")
    documented = "".join(p.read_text(encoding="utf-8") for p in pages)
    from relcoord.formats.format_option import options_table

    for kind, formats in (("read", builtin_host.importers()), ("write", builtin_host.exporters())):
        for chosen in formats:
            declared = options_of(chosen, kind)  # type: ignore[arg-type]
            if declared:
                assert options_table(declared) in documented, (chosen.id, kind)


def test_plugins_lists_every_format_s_options() -> None:
    result = CliRunner().invoke(cli, ["plugins", "--options"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    wide = lines.index(next(line for line in lines if line.strip().startswith("csv-wide ")))
    shown = "\n".join(lines[wide:wide + 23])
    assert "-I values=auto|positions|scores" in shown
    assert "-I respondent_ids=keep|pseudonymise|omit" in shown
    assert "-O profile=plain|excel" in result.stdout
    report = json.loads(CliRunner().invoke(cli, ["plugins", "--json"]).stdout)
    formats = {f["id"]: f for f in report["formats"]}
    values = next(o for o in formats["csv-long"]["read_options"] if o["name"] == "values")
    assert values["choices"] == ["auto", "positions", "scores"]
    assert formats["analysis-json"]["write_options"] == []
    assert formats["analysis-json"]["read_options"] is None  # it cannot read
