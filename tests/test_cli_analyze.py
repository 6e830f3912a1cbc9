"""``relcoord analyze FILE``: findings as text in Danish or English, or the Analysis as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from relcoord.analysis import analysis_schema
from relcoord.cli import cli
from relcoord.example import example_text


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "example.json"
    path.write_text(example_text(), encoding="utf-8")
    return path


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_findings_in_english_and_danish(example_file: Path) -> None:
    code, out, err = run("analyze", str(example_file), "--lang", "en")
    assert code == 0, err
    assert "Findings:" in out
    assert "Most arrows point to School leaders and Teachers" in out
    assert "Overlooked resources" in out
    assert "Roles (degrees count named arrows)" in out
    code, out, err = run("analyze", str(example_file), "--lang", "da")
    assert code == 0, err
    assert "Fund:" in out
    assert "Flest pile peger mod Skoleledere og Undervisere" in out
    assert "Oversete ressourcer" in out
    assert "Svageste relationer" in out


def test_json_validates_against_the_shipped_schema(example_file: Path) -> None:
    code, out, err = run("analyze", str(example_file), "--json", "--weighting", "group",
                         "--bands", "3.0,4.2", "--min-items", "4", "--min-respondents", "7")
    assert code == 0, err
    data = json.loads(out)
    jsonschema.Draft202012Validator(analysis_schema()).validate(data)
    assert data["settings"]["weighting"] == "group"
    assert data["settings"]["bands"] == {"low": 3.0, "high": 4.2}
    assert data["settings"]["min_items"] == 4
    assert data["settings"]["min_respondents"] == 7
    assert "NaN" not in out


def test_reads_standard_input(example_file: Path) -> None:
    code, out, _ = run("analyze", "-", "--json", stdin=example_file.read_text("utf-8"))
    assert code == 0
    assert json.loads(out)["study"]["id"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bands", "4.0,3.5"], "LOW must not exceed HIGH"),
        (["--bands", "low,high"], "expected LOW,HIGH"),
        (["--weighting", "people"], "Invalid value for '--weighting'"),
        (["--min-items", "9"], "min_items: 9 is more than the 4 items"),
        (["--min-respondents", "2"], "min_respondents: 2 is below 3"),
    ],
)
def test_bad_options_fail_cleanly(example_file: Path, args: list[str], message: str) -> None:
    code, _, err = run("analyze", str(example_file), *args)
    assert code != 0
    assert message in err
    assert "Traceback" not in err


def test_a_broken_file_is_reported_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"relcoord": "1", "roles": [', encoding="utf-8")
    code, out, err = run("analyze", str(bad))
    assert code == 1
    assert out == ""
    assert err.startswith("error: ")
    assert "Traceback" not in err


# --- --icc-group-size and --mdc-reliability: the settings icc_group_size, mdc_reliability --


@pytest.mark.parametrize(("typed", "setting"), [("mean", "mean_group_size"), ("k0", "k0")])
def test_icc_group_size_option_sets_the_setting(typed: str, setting: str,
                                                tmp_path: Path) -> None:
    path = tmp_path / "example.json"
    path.write_text(example_text(), encoding="utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(path), "--json",
                                      "--icc-group-size", typed])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["settings"]["icc_group_size"] == setting
    assert data["reliability"]["icc"]["k_method"] == setting


def test_mdc_reliability_option_sets_the_setting(tmp_path: Path) -> None:
    path = tmp_path / "example.json"
    path.write_text(example_text(), encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "analyze", str(path), "--json", "--compare", "konference-1", "konference-3",
        "--boot", "0", "--min-respondents", "3", "--mdc-reliability", "0.8"])
    refused = CliRunner().invoke(cli, ["analyze", str(path), "--mdc-reliability", "1.5"])
    unknown = CliRunner().invoke(cli, ["analyze", str(path), "--icc-group-size", "median"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["settings"]["mdc_reliability"] == 0.8
    assert data["change"]["mdc"]["reliability"] == 0.8
    assert data["change"]["mdc"]["reliability_source"] == "given"
    assert refused.exit_code == unknown.exit_code == 2
