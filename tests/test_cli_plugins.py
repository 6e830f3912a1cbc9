"""The plugins, export and convert commands, and plugin commands, through click's CliRunner."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import relcoord.plugins as plugins
from relcoord.cli import cli
from relcoord.example import example_text, load_example
from relcoord.plugins import PluginHost
from relcoord.testing.fake_distributions import make_distribution


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_clean_failure(result: Result, *fragments: str) -> None:
    """Exit 1, a message holding every fragment on stderr, and no traceback anywhere."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output + result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.fixture
def study_file(tmp_path: Path) -> Path:
    path = tmp_path / "study.json"
    path.write_text(example_text(), encoding="utf-8")
    return path


@pytest.fixture
def real_host() -> Iterator[None]:
    """Let the CLI load plugins from the environment as it is during the test."""
    previous = plugins.install_host(None)
    yield
    plugins.set_strict(None)
    plugins.install_host(previous)


@pytest.fixture
def broken_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_host: None
                   ) -> Iterator[None]:
    """Installed plugins that fail: one on import, one shadowing a core command."""
    site = tmp_path / "site"
    make_distribution(site, "fake-broken", "0.9.1", {"broken": "fakecli_broken"},
                      {"fakecli_broken": "raise ImportError('needs a newer relcoord')"})
    make_distribution(site, "fake-shadow", "1.4", {"shadow": "fakecli_shadow"}, {
        "fakecli_shadow": """
            import click
            from relcoord.plugins import hookimpl

            @hookimpl
            def relcoord_register_commands(cli):
                cli.add_command(click.Command("validate", callback=lambda: None))
                cli.add_command(click.Command("shadow-hello",
                                              callback=lambda: click.echo("hello")))
            """})
    monkeypatch.syspath_prepend(str(site))
    yield
    for name in ("fakecli_broken", "fakecli_shadow"):
        sys.modules.pop(name, None)


# --- relcoord plugins ---------------------------------------------------------------------


def test_plugins_json_lists_builtins_and_the_example_plugin(relcoord_host: PluginHost) -> None:
    result = run("plugins", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    by_name = {p["name"]: p for p in report["plugins"]}
    builtin = by_name["relcoord.formats.json_format"]
    assert builtin["builtin"] is True
    assert (builtin["importers"], builtin["exporters"]) == (["json"], ["analysis-json", "json"])
    example = by_name["example"]
    assert (example["distribution"], example["builtin"]) == ("relcoord-example", False)
    assert example["importers"] == ["ties-tsv"]
    assert example["exporters"] == ["roles-markdown", "ties-tsv"]
    assert example["commands"] == ["roles-markdown"]
    formats = {f["id"]: f for f in report["formats"]}
    assert formats["json"]["read"]
    assert formats["json"]["write"]
    assert formats["analysis-json"]["carries"] == "analysis"
    assert not formats["analysis-json"]["read"]
    assert formats["ties-tsv"]["distribution"] == "relcoord-example"
    assert report["failures"] == []


def test_plugins_text_report(relcoord_host: PluginHost) -> None:
    result = run("plugins")
    assert result.exit_code == 0
    assert "example (entry point; relcoord-example" in result.stdout
    assert "Load failures: none" in result.stdout


def test_broken_plugins_are_listed_and_the_rest_works(broken_plugins: None, study_file: Path
                                                      ) -> None:
    report = json.loads(run("plugins", "--json").stdout)
    failures = {(f["distribution"], f["version"], f["stage"]): f["message"]
                for f in report["failures"]}
    assert "ImportError: needs a newer relcoord" in failures[("fake-broken", "0.9.1", "import")]
    assert "refused" in failures[("fake-shadow", "1.4", "commands")]
    # the core command is untouched, the plugin's other command works
    assert run("validate", str(study_file)).exit_code == 0
    assert run("shadow-hello").stdout == "hello\n"
    assert "example" in {p["name"] for p in report["plugins"]}


def test_strict_plugins_turns_failures_into_exit_1(broken_plugins: None, study_file: Path
                                                   ) -> None:
    result = run("--strict-plugins", "validate", str(study_file))
    assert_clean_failure(result, "fake-broken 0.9.1", "ImportError")
    assert run("validate", str(study_file)).exit_code == 0  # the setting did not stick


def test_strict_plugins_without_failures_runs_normally(real_host: None, study_file: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELCOORD_PLUGINS", "example")
    result = run("--strict-plugins", "plugins", "--json")
    assert result.exit_code == 0, result.stderr
    names = [p["name"] for p in json.loads(result.stdout)["plugins"] if not p["builtin"]]
    assert names == ["example"]


def test_disabled_plugins_hide_plugin_commands(real_host: None, study_file: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELCOORD_DISABLE_PLUGINS", "1")
    result = run("roles-markdown", str(study_file))
    assert result.exit_code == 2
    assert "No such command 'roles-markdown'" in result.stderr


# --- export ---------------------------------------------------------------------------------


def test_export_analysis_json_matches_analyze_json(relcoord_host: PluginHost, study_file: Path,
                                                  tmp_path: Path) -> None:
    out = tmp_path / "result.analysis.json"
    result = run("export", str(study_file), "-o", str(out), "--lang", "da", "--bands", "3.4,4.1")
    assert result.exit_code == 0, result.stderr
    assert "(analysis-json)" in result.stderr
    printed = run("analyze", str(study_file), "--json", "--lang", "da", "--bands", "3.4,4.1")
    assert out.read_text(encoding="utf-8") == printed.stdout
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["settings"]["bands"] == {"low": 3.4, "high": 4.1}
    assert document["settings"]["lang"] == "da"


def test_export_by_id_to_any_file_name(relcoord_host: PluginHost, study_file: Path,
                                       tmp_path: Path) -> None:
    out = tmp_path / "copy.txt"
    result = run("export", str(study_file), "--to", "analysis-json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["study"]["id"] == load_example().metadata.id


def test_export_refuses_study_data(relcoord_host: PluginHost, study_file: Path,
                                   tmp_path: Path) -> None:
    """Export writes published results; the study itself (every answer) is convert's."""
    out = tmp_path / "copy.json"
    result = run("export", str(study_file), "--to", "json", "-o", str(out))
    assert_clean_failure(result, "format json writes study data", "relcoord convert")
    assert not out.exists()


def test_export_failure_leaves_the_old_output(relcoord_host: PluginHost, study_file: Path,
                                              tmp_path: Path) -> None:
    out = tmp_path / "roles.md"
    out.write_text("keep me")
    result = run("export", str(study_file), "--to", "roles-markdown", "-o", str(out),
                 "-O", "colour=red")
    assert_clean_failure(result, "unknown option 'colour'; roles-markdown takes:", "lang=CODE")
    assert out.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roles.md", "study.json"]


def test_export_with_a_bad_analysis_option_is_a_usage_error(relcoord_host: PluginHost,
                                                            study_file: Path,
                                                            tmp_path: Path) -> None:
    result = run("export", str(study_file), "-o", str(tmp_path / "a.analysis.json"),
                 "--bands", "4,3")
    assert result.exit_code == 2
    assert "LOW must not exceed HIGH" in result.stderr


# --- convert --------------------------------------------------------------------------------


def test_convert_through_a_plugin_format_and_back(relcoord_host: PluginHost, study_file: Path,
                                                  tmp_path: Path) -> None:
    tsv, back = tmp_path / "arrows.ties.tsv", tmp_path / "back.json"
    assert run("export", str(study_file), "-o", str(tsv)).exit_code == 0
    result = run("convert", str(tsv), str(back), "-I", "study_id=trivsel")
    assert result.exit_code == 0, result.stderr
    study = plugins.read(back)
    assert study.ties == load_example().ties
    assert study.metadata.id == "trivsel"


def test_convert_by_explicit_ids_keeps_the_study_whole(relcoord_host: PluginHost,
                                                       study_file: Path, tmp_path: Path) -> None:
    odd = tmp_path / "study.data"
    odd.write_text(example_text(), encoding="utf-8")
    out = tmp_path / "copy.out"
    result = run("convert", str(odd), str(out), "--from", "json", "--to", "json")
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8") == example_text()  # respondents included


def test_convert_refuses_published_formats(relcoord_host: PluginHost, study_file: Path,
                                           tmp_path: Path) -> None:
    for name in ("x.analysis.json", "x.ties.tsv", "x.graphml", "x.zip"):
        result = run("convert", str(study_file), str(tmp_path / name))
        assert_clean_failure(result, "writes published results, not study data",
                             f"relcoord export {study_file} --to ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.json"]


def test_unknown_extension_lists_known_formats(relcoord_host: PluginHost, study_file: Path,
                                               tmp_path: Path) -> None:
    result = run("convert", str(study_file), str(tmp_path / "x.numbers"))
    assert_clean_failure(result, "no format that can write matches the file name 'x.numbers'",
                         "json (.json)", "ties-tsv (.ties.tsv, .tsv)", "--to")
    result = run("convert", str(tmp_path / "in.weird"), str(tmp_path / "x.json"))
    assert_clean_failure(result, "name one by id (--from)")
    result = run("convert", str(study_file), str(tmp_path / "x.json"), "--to", "nope")
    assert_clean_failure(result, "no format with id 'nope' can write")


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [
        ("truncated.json", '{"relcoord": "1", "study": {', ("truncated.json:1:", "truncated")),
        ("empty.json", "", ("empty.json", "empty")),
        ("schema.json", '{"relcoord": "1"}', ("$: 'roles' is a required property",)),
        ("header.ties.tsv", "from\tto\n", ("header.ties.tsv:1:1", "expected the header")),
        ("cells.ties.tsv", "source\ttarget\na\tb\tc\n", ("cells.ties.tsv:2:1", "expected 2")),
        ("latin1.ties.tsv", "source\ttarget\nl\xe6rer\tb\n",
         ("latin1.ties.tsv:2:2", "not UTF-8")),
    ],
)
def test_bad_input_gives_a_located_message(relcoord_host: PluginHost, tmp_path: Path,
                                           name: str, content: str,
                                           fragments: tuple[str, ...]) -> None:
    source = tmp_path / name
    source.write_bytes(content.encode("latin-1") if "latin1" in name else content.encode())
    result = run("convert", str(source), str(tmp_path / "out.json"))
    assert_clean_failure(result, *fragments)
    assert not (tmp_path / "out.json").exists()


def test_missing_input_and_bad_option_syntax(relcoord_host: PluginHost, tmp_path: Path,
                                             study_file: Path) -> None:
    result = run("convert", str(tmp_path / "missing.json"), str(tmp_path / "out.json"))
    assert_clean_failure(result, "missing.json: no such file")
    result = run("convert", str(study_file), str(tmp_path / "o.json"), "-O", "novalue")
    assert_clean_failure(result, "--write-option: expected KEY=VALUE")


# --- plugin commands ------------------------------------------------------------------------


def test_plugin_command_runs(relcoord_host: PluginHost, study_file: Path) -> None:
    result = run("roles-markdown", str(study_file), "--lang", "da")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "| id | name | organisation | present |"
    assert len(lines) == 2 + len(load_example().roles)


def test_help_lists_core_and_plugin_commands(relcoord_host: PluginHost) -> None:
    result = run("--help")
    assert result.exit_code == 0
    for name in ("convert", "export", "plugins", "roles-markdown", "--strict-plugins"):
        assert name in result.stdout
