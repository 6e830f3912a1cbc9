"""Every command reads every importer's input (--from, -I, the same detection), and bad input
to any of it is a located error, exit status 1, no traceback and no file written."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from relcoord.cli import cli
from relcoord.example import example_text

DATA = Path(__file__).resolve().parent / "data" / "csv"
DANISH = DATA / "danish_excel"
SCORES = ("-I", "values=scores", "-I", "roles=roles.csv")


def run(*args: str, stdin: str | None = None) -> Result:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # notes and warnings: printed by the command line
        return CliRunner().invoke(cli, list(args), input=stdin)


def assert_clean_failure(result: Result, *fragments: str) -> None:
    """Exit 1, ``error: ...`` lines holding every fragment, and no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    # the importer's notes and warnings may come first; then the error
    said = [line for line in result.stderr.splitlines()
            if not line.startswith(("note: ", "warning: "))]
    assert said, result.stderr
    assert said[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in ("survey.csv", "roles.csv"):
        shutil.copy(DANISH / name, tmp_path / name)
    shutil.copy(DATA / "good_long.csv", tmp_path / "answers.csv")
    (tmp_path / "study.json").write_text(example_text(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    left = sorted(p.name for p in tmp_path.iterdir())
    assert set(left) <= {"survey.csv", "roles.csv", "answers.csv", "study.json", "out.json",
                         "tables", "result.analysis.json"}, left


# --- every command, every importer --------------------------------------------------------


def test_validate_and_analyze_read_any_importer_s_input(folder: Path) -> None:
    result = run("validate", "survey.csv", *SCORES)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("survey.csv: valid study 'survey' (6 roles, 24 respondents")
    result = run("analyze", "answers.csv")  # a long file: not 'not valid JSON'
    assert result.exit_code == 0, result.output
    assert run("analyze", "survey.csv", "--from", "csv-wide", *SCORES).exit_code == 0


def test_export_and_convert_read_with_the_same_options(folder: Path) -> None:
    assert run("convert", "survey.csv", "out.json", *SCORES).exit_code == 0
    result = run("export", "survey.csv", "--to", "csv", "-o", "tables", *SCORES)
    assert result.exit_code == 0, result.output
    assert "survey.csv (csv-wide) -> tables (csv)" in result.stderr
    assert sorted(p.name for p in (folder / "tables").iterdir()) == [
        ".relcoord-output", "findings.csv", "invitations.csv", "matrix.csv", "role_metrics.csv",
        "roles.csv", "study.csv", "tie_metrics.csv", "ties.csv"]


def test_export_picks_a_format_of_published_results_by_name(folder: Path) -> None:
    result = run("export", "study.json", "-o", "result.analysis.json")
    assert result.exit_code == 0, result.output
    result = run("export", "study.json", "-o", "out.json")  # .json: analysis-json, not json
    assert result.exit_code == 0, result.output
    assert "study.json (json) -> out.json (analysis-json)" in result.stderr


def test_a_plugin_command_reads_any_importer_s_input(folder: Path) -> None:
    result = run("roles-markdown", "survey.csv", *SCORES)
    assert result.exit_code == 0, result.output
    assert "| Psykologer | PPR-psykologer | Kommune | yes |" in result.stdout


def test_standard_input_is_read_with_any_importer(folder: Path) -> None:
    result = run("validate", "-", "--from", "csv-long",
                 stdin=(folder / "answers.csv").read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    bad = run("validate", "-", stdin='{"relcoord": "1", "study": {')
    assert_clean_failure(bad, "<stdin>:1:")


# --- bad input: located, exit 1, no traceback, nothing written ---------------------------


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("convert", "survey.csv", "out.json", "-I", "valeus=scores"),
         ("format 'csv-wide': unknown option 'valeus' (did you mean 'values'?)",
          "values=auto|positions|scores")),
        (("convert", "survey.csv", "out.json", "-I", "values=maybe"),
         ("option values='maybe': expected one of auto, positions, scores",)),
        (("convert", "survey.csv", "out.json", "-I", "values"),
         ("--read-option: expected KEY=VALUE, got 'values'",)),
        (("convert", "survey.csv", "out.json", "-I", "roles=roles.csv"),
         ("survey.csv:1:5: column 'RC1_COM' (frequent) could hold answer positions or scores",
          "-I values=positions")),
        (("convert", "survey.csv", "out.json", "--from", "csv-long", *SCORES),
         ("the header fits the wide layout: read it with --from csv-wide",)),
        (("convert", "missing.csv", "out.json"), ("missing.csv: no such file or folder",)),
        (("convert", "study.json", "out.json", "-O", "respondent_key=k"),
         ("option respondent_key: respondent_key is only used with",)),
        (("convert", "study.json", "out.json", "-O", "respondent_ids=forget"),
         ("option respondent_ids: 'forget': expected one of keep, pseudonymise, omit",)),
        (("convert", "study.json", "tables.zip"),
         ("format csv-zip writes published results, not study data",
          "relcoord export study.json --to csv-zip -o tables.zip")),
        (("export", "study.json", "-o", "out.json", "--to", "json"),
         ("format json writes study data",)),
        (("export", "study.json", "-o", "tables", "--to", "csv", "-O",
          "respondent_ids=pseudonymise"),
         ("format 'csv': writes published results, which never hold respondent ids",)),
        (("export", "study.json", "-o", "tables", "--to", "csv", "-O", "profile=lotus"),
         ("option profile='lotus': expected one of plain, excel",)),
        (("analyze", "answers.csv", "-I", "max_bytes=0"),
         ("option max_bytes='0': expected a whole number of at least 1",)),
        (("validate", "survey.csv", "-I", "columns={bad json"),
         ("option columns='{bad json': expected a JSON object",)),
    ],
)
def test_bad_input_is_a_located_error_and_writes_nothing(
        folder: Path, args: tuple[str, ...], fragments: tuple[str, ...]) -> None:
    assert_clean_failure(run(*args), *fragments)
    assert not (folder / "out.json").exists()
    assert not (folder / "tables").exists()
    assert not (folder / "tables.zip").exists()
