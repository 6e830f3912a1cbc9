"""``relcoord analyze FILE --compare WAVE_A WAVE_B``: change with intervals, reproducibly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from relcoord.analysis import analysis_schema, analyze
from relcoord.cli import cli
from relcoord.example import example_text, load_example
from relcoord.settings import DEFAULT_N_BOOT, DEFAULT_SEED, AnalysisSettings

#: The example's conferences had few participants per group: at the default k = 5 no tie is
#: publishable in two waves, at k = 3 a dozen are.
COMPARE = ("--compare", "konference-1", "konference-3", "--min-respondents", "3",
           "--boot", "300")


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    path = tmp_path / "example.json"
    path.write_text(example_text(), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_prints_the_change_with_intervals(example_file: Path) -> None:
    code, out, err = run("analyze", str(example_file), *COMPARE, "--lang", "en")
    assert code == 0, err
    assert "Change konference-1 → konference-3 (bootstrap 300 replicates, seed 20190101" in out
    assert re.search(r"network \(all ties\)\s+\d\.\d\d → \d\.\d\d\s+[+-]\d\.\d\d \[[+-]\d\.\d\d; "
                     r"[+-]\d\.\d\d\] MDC \d\.\d\d", out)
    expected = analyze(load_example(), min_respondents=3,
                       compare=("konference-1", "konference-3"), n_boot=300).change
    assert expected is not None
    assert f"{len(expected.ties)} ties compared" in out
    assert "Roles (change as rater; as target):" in out
    tie_lines = [line for line in out.splitlines() if " MDC " in line and "→" in line
                 and line.startswith("    ")]
    assert len(tie_lines) == len(expected.ties)
    arrows = expected.arrows
    assert (f"Arrows: {len(arrows.gained)} gained, {len(arrows.lost)} lost, "
            f"{len(arrows.reversed)} reversed") in out


def test_danish_text(example_file: Path) -> None:
    code, out, err = run("analyze", str(example_file), *COMPARE, "--lang", "da")
    assert code == 0, err
    assert "Ændring konference-1 → konference-3" in out
    assert re.search(r"netværket \(alle relationer\)\s+\d,\d\d → \d,\d\d", out)


def test_json_has_a_valid_change_section(example_file: Path) -> None:
    code, out, err = run("analyze", str(example_file), *COMPARE, "--json", "--seed", "7")
    assert code == 0, err
    data = json.loads(out)
    jsonschema.Draft202012Validator(analysis_schema()).validate(data)
    change = data["change"]
    assert (change["wave_a"], change["wave_b"]) == ("konference-1", "konference-3")
    assert change["bootstrap"]["seed"] == 7
    assert change["bootstrap"]["n_boot"] == 300
    assert data["settings"]["compare"] == ["konference-1", "konference-3"]
    assert change["ties"]
    for tie in change["ties"]:
        assert tie["ci_low"] <= tie["ci_high"]
        assert tie["mdc"] > 0
    assert change["privacy"]["ties_compared"] == len(change["ties"])
    assert "NaN" not in out


def test_without_compare_the_change_is_null(example_file: Path) -> None:
    code, out, _ = run("analyze", str(example_file), "--json")
    assert code == 0
    assert json.loads(out)["change"] is None


def test_same_seed_same_output_other_seed_other_intervals(example_file: Path) -> None:
    first = run("analyze", str(example_file), *COMPARE, "--seed", "11")
    second = run("analyze", str(example_file), *COMPARE, "--seed", "11")
    other = run("analyze", str(example_file), *COMPARE, "--seed", "12")
    assert first[0] == second[0] == other[0] == 0
    assert first[1] == second[1]
    assert first[1] != other[1]


def test_unknown_wave_is_a_located_error(example_file: Path) -> None:
    code, out, err = run("analyze", str(example_file), "--compare", "konference-1", "nope")
    assert code == 1
    assert "compare: no wave 'nope' in the study" in err
    assert "'konference-1', 'konference-2', 'konference-3'" in err
    assert "Traceback" not in err + out


def test_same_wave_twice_is_refused(example_file: Path) -> None:
    code, _, err = run("analyze", str(example_file), "--compare", "konference-1",
                       "konference-1")
    assert code == 1
    assert "compare two different waves" in err


def test_default_k_compares_nothing_and_says_why(example_file: Path) -> None:
    code, out, err = run("analyze", str(example_file), "--compare", "konference-1",
                         "konference-3", "--boot", "50", "--lang", "en")
    assert code == 0, err
    assert "No tie is publishable in both waves with min. respondents 5" in out


def test_documented_defaults() -> None:
    settings = AnalysisSettings()
    assert (settings.n_boot, settings.seed) == (DEFAULT_N_BOOT, DEFAULT_SEED) == (2000,
                                                                                  20190101)
    result = CliRunner().invoke(cli, ["analyze", "--help"])
    text = " ".join(result.stdout.split())
    assert "default 2000" in text
    assert "default 20190101" in text
    assert "--compare WAVE_A WAVE_B" in text
