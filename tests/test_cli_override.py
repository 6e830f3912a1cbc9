"""``--min-respondents-override``: values below 3 only on request, shared by every command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from relcoord.cli import cli
from relcoord.example import example_text


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "example.json"
    path.write_text(example_text(), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", ["analyze", "export"])
def test_below_three_is_refused_naming_the_flag(example_file: Path, command: str,
                                                tmp_path: Path) -> None:
    args = [command, str(example_file), "--min-respondents", "2"]
    if command == "export":
        args += ["-o", str(tmp_path / "out.json"), "--to", "analysis-json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "min_respondents: 2 is below 3" in result.stderr
    assert "--min-respondents-override" in result.stderr
    assert "Traceback" not in result.stderr


def test_override_is_accepted_and_recorded(example_file: Path) -> None:
    result = CliRunner().invoke(cli, ["analyze", str(example_file), "--json",
                                      "--min-respondents", "2", "--min-respondents-override"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["settings"]["min_respondents"] == 2
    assert data["privacy"]["min_respondents_override"] is True
    strict = json.loads(CliRunner().invoke(cli, ["analyze", str(example_file),
                                                 "--json"]).stdout)
    assert data["privacy"]["ratings_withheld"] < strict["privacy"]["ratings_withheld"]


def test_override_alone_changes_nothing(example_file: Path) -> None:
    plain = CliRunner().invoke(cli, ["analyze", str(example_file), "--json"])
    flagged = CliRunner().invoke(cli, ["analyze", str(example_file), "--json",
                                       "--min-respondents-override"])
    assert flagged.exit_code == plain.exit_code == 0
    first, second = json.loads(plain.stdout), json.loads(flagged.stdout)
    assert second["settings"]["min_respondents_override"] is True
    assert first["ties"] == second["ties"]


def test_demo_takes_the_flag() -> None:
    result = CliRunner().invoke(cli, ["demo", "--help"])
    assert "--min-respondents-override" in result.stdout
