"""The conventions of the command line: warnings and notes as one line each, ``--quiet`` and
``--verbose``, progress only on a terminal, ``-o -`` for standard output, the study's language
as the default, and ``python -m relcoord``."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import attrs
import click
import pytest
from click.testing import CliRunner

import relcoord
from relcoord import cli_console
from relcoord.cli import cli
from relcoord.cli_console import Console, verbosity_options
from relcoord.cli_group import RelcoordGroup
from relcoord.errors import ImportNote, InputWarning
from relcoord.formats.csv import read_long

DATA = Path(__file__).resolve().parent / "data" / "csv"


def run(*args: str) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout_bytes, result.stderr


@pytest.fixture
def small_study(tmp_path: Path) -> Path:
    """A two-role study in the canonical JSON, without a language of its own (English)."""
    path = tmp_path / "small.json"
    relcoord.dump(read_long(DATA / "good_long.csv", {}), path)
    return path


def in_language(study_file: Path, language: str) -> Path:
    study = relcoord.load(study_file)
    path = study_file.with_name(f"small-{language}.json")
    relcoord.dump(attrs.evolve(study, metadata=attrs.evolve(study.metadata, language=language)),
                  path)
    return path


# --- warnings and notes ----------------------------------------------------------------------

@click.command("warns")
@verbosity_options
def _warns() -> None:
    warnings.warn(ImportNote("survey.csv", "read ';' as the delimiter"), stacklevel=1)
    warnings.warn(InputWarning("survey.csv:3:2", "a doubtful cell"), stacklevel=1)
    warnings.warn("something else", UserWarning, stacklevel=1)
    click.echo("done")


def _group() -> RelcoordGroup:
    @click.group(cls=RelcoordGroup)
    @verbosity_options
    def group() -> None:
        """A group holding one command that warns."""

    group.add_command(_warns)
    assert isinstance(group, RelcoordGroup)
    return group


def test_warnings_and_notes_are_one_line_each() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("default")  # Python's own filters, not the test suite's "error"
        result = CliRunner().invoke(_group(), ["warns"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "done\n"
    assert result.stderr.splitlines() == [
        "note: survey.csv: read ';' as the delimiter",
        "warning: survey.csv:3:2: a doubtful cell",
        "warning: something else",
    ]


@pytest.mark.parametrize("args", [["--quiet", "warns"], ["warns", "-q"]])
def test_quiet_drops_notes_but_not_warnings(args: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # only relcoord's warnings are shown
        result = CliRunner().invoke(_group(), args)
    assert result.exit_code == 0, result.output
    assert result.stderr == "warning: survey.csv:3:2: a doubtful cell\n"


def test_the_cp1252_fallback_is_a_located_warning_line(tmp_path: Path) -> None:
    out = tmp_path / "study.json"
    code, _, err = run("convert", str(DATA / "cp1252.csv"), str(out))
    assert code == 0, err
    lines = [line for line in err.splitlines() if not line.startswith("note: ")]
    assert lines[0].startswith(f"warning: {DATA / 'cp1252.csv'}:2:2: not UTF-8 (byte 0x")
    assert "read as Windows-1252" in lines[0]
    assert "UserWarning" not in err
    assert "warnings.warn" not in err
    assert lines[1:] == [f"{DATA / 'cp1252.csv'} (csv-long) -> {out} (json)"]
    # the importer's guesses are notes, silent with --quiet
    code, _, quiet = run("--quiet", "convert", str(DATA / "cp1252.csv"), str(out))
    assert code == 0, quiet
    assert "note: " not in quiet
    assert quiet.startswith(f"warning: {DATA / 'cp1252.csv'}:2:2: not UTF-8")


def test_quiet_and_verbose_exclude_each_other() -> None:
    code, _, err = run("--quiet", "validate", "--verbose", "x.json")
    assert code == 2
    assert "--quiet and --verbose exclude each other" in err


# --- --verbose timings, --quiet, and progress only on a terminal ------------------------------

TIMING = r"relcoord: {} in \d+\.\d\d s"


@pytest.mark.parametrize("where", ["group", "command"])
def test_verbose_prints_one_timing_line_per_step(small_study: Path, tmp_path: Path,
                                                 where: str) -> None:
    out = tmp_path / "small.analysis.json"
    args = ["export", str(small_study), "-o", str(out)]
    code, _, err = run(*(["--verbose", *args] if where == "group" else [*args, "-v"]))
    assert code == 0, err
    lines = err.splitlines()
    assert len(lines) == 4, err
    assert re.fullmatch(TIMING.format(f"read {re.escape(str(small_study))}"), lines[0])
    assert re.fullmatch(TIMING.format("analysed the study"), lines[1])
    assert re.fullmatch(TIMING.format(f"wrote {re.escape(str(out))}"), lines[2])
    assert lines[3] == f"{small_study} (json) -> {out} (analysis-json)"


def test_timing_lines_follow_lang(small_study: Path) -> None:
    code, _, err = run("analyze", str(small_study), "-v", "--lang", "da")
    assert code == 0, err
    assert re.fullmatch(r"relcoord: analyserede undersøgelsen på \d+,\d\d s", err.splitlines()[1])


def test_quiet_prints_nothing_on_success(small_study: Path, tmp_path: Path) -> None:
    code, _, err = run("-q", "convert", str(small_study), str(tmp_path / "copy.json"))
    assert code == 0
    assert err == ""


def test_no_progress_when_stderr_is_not_a_terminal(
    small_study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli_console, "PROGRESS_DELAY", 0.0)
    code, _, err = run("export", str(small_study), "-o", str(tmp_path / "analysis.json"))
    assert code == 0, err
    assert "\r" not in err
    assert "reading" not in err
    assert "analysing" not in err


def test_progress_is_drawn_on_a_terminal_and_cleared() -> None:
    stream = io.StringIO()
    console = Console(stream, terminal=True, progress_delay=0.0)
    with console.step("read", "survey.csv"):
        time.sleep(0.25)
    shown = stream.getvalue()
    assert re.search(r"\rrelcoord: reading survey\.csv [|/\\-] 0\.\d s", shown)
    assert shown.endswith("\r")  # the status line is blanked out, the cursor at its start
    assert shown.rsplit("\r", 2)[-2].strip() == ""


def test_progress_waits_and_is_silent_when_quiet() -> None:
    stream = io.StringIO()
    console = Console(stream, terminal=True)
    with console.step("analyse"):  # quicker than the delay: nothing is drawn
        pass
    console.quiet = True
    console.progress_delay = 0.0
    with console.step("analyse"):
        time.sleep(0.15)
    assert stream.getvalue() == ""


# --- -o -: standard output ---------------------------------------------------------------------

def test_dash_writes_a_file_format_to_standard_output(small_study: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("export", str(small_study), "--to", "analysis-json", "-o", "-")
    assert code == 0, err
    assert json.loads(out)["relcoord_analysis"] == "1"
    code, _, err = run("export", str(small_study), "-o", "file.analysis.json")
    assert code == 0, err
    assert out == (tmp_path / "file.analysis.json").read_bytes()
    assert not (tmp_path / "-").exists()


def test_dash_is_binary_safe(small_study: Path, tmp_path: Path) -> None:
    code, out, err = run("export", str(small_study), "--to", "csv-zip", "-o", "-")
    assert code == 0, err
    with zipfile.ZipFile(io.BytesIO(out)) as archive:
        assert "roles.csv" in archive.namelist()
    code, out, err = run("convert", str(small_study), "-", "--to", "json")
    assert code == 0, err
    code, _, err = run("convert", str(small_study), str(tmp_path / "copy.json"))
    assert code == 0, err
    assert out == (tmp_path / "copy.json").read_bytes()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["export", "{study}", "--to", "csv", "-o", "-"], "-o"),
        (["export", "{study}", "--to", "figures", "-o", "-"], "-o"),
        (["convert", "{study}", "-", "--to", "csv"], "OUT"),
        (["demo", "-o", "-"], "-o"),
    ],
)
def test_dash_is_refused_for_a_folder_and_nothing_is_written(
    small_study: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str],
    option: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.iterdir())
    code, out, err = run(*(a.format(study=small_study) for a in args))
    assert code == 1
    assert out == b""
    assert err.startswith(f"error: {option}: ")
    assert "folder, which cannot go to standard output ('-')" in err
    assert "Traceback" not in err
    assert sorted(tmp_path.iterdir()) == before


def test_dash_without_a_format_asks_for_one(small_study: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("export", str(small_study), "-o", "-")
    assert code == 1
    assert "name one by id (--to)" in err
    assert not (tmp_path / "-").exists()


# --- the study's language ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("language", "lang", "expected"),
    [("da", None, "da"), ("en", None, "en"), ("de", None, "en"), ("da", "en", "en"),
     ("en", "da", "da")],
)
def test_the_report_language_defaults_to_the_study_s(small_study: Path, language: str,
                                                     lang: str | None, expected: str) -> None:
    study = in_language(small_study, language)
    chosen = ["--lang", lang] if lang else []
    code, out, err = run("export", str(study), "--to", "analysis-json", "-o", "-", *chosen)
    assert code == 0, err
    assert json.loads(out)["settings"]["lang"] == expected
    code, out, err = run("analyze", str(study), *chosen)
    assert code == 0, err
    assert out.decode("utf-8").splitlines()[2].startswith(
        "Indstillinger:" if expected == "da" else "Settings:")


# --- python -m relcoord ------------------------------------------------------------------------

def test_python_m_relcoord() -> None:
    result = subprocess.run([sys.executable, "-m", "relcoord", "--help"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: relcoord [OPTIONS] COMMAND [ARGS]...")
    assert "--quiet" in result.stdout
    result = subprocess.run([sys.executable, "-m", "relcoord", "validate", "missing.json"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("error: missing.json")
