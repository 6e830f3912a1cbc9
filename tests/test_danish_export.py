"""A Danish Excel survey export and its role list, imported with the commands docs/csv.md
shows, give the study whose analysis equals that of the same study in canonical JSON.

The files (tests/data/csv/danish_excel, made by its make_files.py): ``;``, a byte-order mark,
Danish headers, the items already scored in ``RC1_COM`` ... ``RC7_REL``, a comment column, a
three-wave panel in which two psychologists rate the teachers in every wave (a group the
minimum-respondent rule withholds), and ``study.json``, the same study as canonical JSON.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import relcoord
from relcoord.cli import cli
from relcoord.cli_options import report_language
from relcoord.formats.json_format import analysis_json_bytes

REPO = Path(__file__).resolve().parents[1]
FILES = REPO / "tests" / "data" / "csv" / "danish_excel"
SECTION = re.compile(r"^## From a Danish Excel export\n(.*?)^## ", re.S | re.M)
CONSOLE = re.compile(r"^```console\n(.*?)^```", re.S | re.M)


def documented_commands() -> list[list[str]]:
    """The ``$ relcoord ...`` lines of the first console block of the docs' section."""
    section = SECTION.search((REPO / "docs" / "csv.md").read_text(encoding="utf-8"))
    assert section is not None, "docs/csv.md has no section 'From a Danish Excel export'"
    block = CONSOLE.search(section.group(1))
    assert block is not None
    return [shlex.split(line[2:])[1:] for line in block.group(1).splitlines()
            if line.startswith("$ relcoord ")]


def published(analysis: relcoord.Analysis) -> Any:
    """The Analysis JSON as data."""
    return json.loads(analysis_json_bytes(analysis))


def run(args: list[str]) -> tuple[Result, dict[str, list[str]]]:
    """Run the CLI; what it said on stderr as ``{"note": [...], "warning": [...]}`` (each
    line without its prefix: ``LOCATION: MESSAGE``)."""
    result = CliRunner().invoke(cli, args)
    said: dict[str, list[str]] = {"note": [], "warning": []}
    for line in result.stderr.splitlines():
        kind, _, text = line.partition(": ")
        if kind in said:
            said[kind].append(text)
    return result, said


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("survey.csv", "roles.csv"):
        shutil.copy(FILES / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def same(got: object, want: object, path: str = "$") -> None:
    """Equal, floats to 12 digits: the same ratings in another order are summed in another
    order, which moves the last bit of a mean.  The Social Relations Model (``srm``, and the
    findings' figures from it) is an iterative optimum whose standard errors come from a
    Hessian of finite differences: to 8 digits."""
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        assert got.keys() == want.keys(), path
        for key in want:
            same(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list), path
        assert len(got) == len(want), path
        for i, (a, b) in enumerate(zip(got, want, strict=True)):
            same(a, b, f"{path}[{i}]")
    elif isinstance(want, float) and isinstance(got, float):
        tolerance = 1e-8 if ".srm" in path else 1e-12
        assert got == pytest.approx(want, rel=tolerance, abs=tolerance), path
    else:
        assert got == want, path


def ties(analysis: Mapping[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(t["source"], t["target"]): t for t in analysis["ties"]}


def test_the_documented_commands_give_the_canonical_study_s_analysis(folder: Path) -> None:
    commands = documented_commands()
    assert [c[0] for c in commands] == ["convert", "analyze"]
    notes: list[str] = []
    warned: list[str] = []
    for args in commands:
        result, said = run(args)
        assert result.exit_code == 0, result.output
        notes += said["note"]
        warned += said["warning"]
    assert any("read as csv-wide" in n for n in notes)
    assert any("source='Faggruppe', target='Vurderet faggruppe', wave='Bølge'" in n
               for n in notes)
    assert warned == [
        "survey.csv: column(s) 'Kommentar' ignored: neither a field nor an item of instrument "
        "'rc7' (name an item column with -I 'items={\"HEADER\": \"frequent\"}')"]
    study = relcoord.load(folder / "study.json")
    canonical = relcoord.load(FILES / "study.json")
    assert len(study.respondents) == len(canonical.respondents) == 24
    got = published(relcoord.analyze(study))
    want = published(relcoord.analyze(canonical))
    assert got["network"] == want["network"]  # the network RC and its measures
    assert {k: (t["n_respondents"], t["suppressed"]) for k, t in ties(got).items()} == {
        k: (t["n_respondents"], t["suppressed"]) for k, t in ties(want).items()}
    assert got["privacy"] == want["privacy"]
    assert got == want  # and everything else
    psychologists = ties(got)[("Psykologer", "Lærere")]
    assert psychologists["suppressed"] is True  # 2 people, 6 ratings


def test_analyze_reads_the_export_directly(folder: Path) -> None:
    convert, analyze = documented_commands()
    options = convert[3:]
    result, _ = run(["analyze", "survey.csv", "--json", *options])
    assert result.exit_code == 0, result.output
    study = relcoord.load(FILES / "study.json")
    # the command line reports in the study's language (Danish) unless --lang says otherwise
    canonical = relcoord.analyze(study, lang=report_language(None, study))
    same(json.loads(result.stdout), published(canonical))
    assert analyze == ["analyze", "study.json"]


def test_without_values_the_import_stops_and_names_the_option(folder: Path) -> None:
    result, _ = run(["convert", "survey.csv", "study.json", "-I", "roles=roles.csv"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors[0].startswith("error: survey.csv:1:5: column 'RC1_COM' (frequent) could "
                                "hold answer positions or scores")
    assert "-I values=positions" in result.stderr
    assert "-I values=scores" in result.stderr
    assert not (folder / "study.json").exists()


def test_leaving_the_respondents_out_shows_the_small_group(folder: Path) -> None:
    """What the issue saw: without respondents, six ratings of two people pass as six."""
    convert, _ = documented_commands()
    result, said = run([*convert, "-O", "respondent_ids=omit"])
    assert result.exit_code == 0, result.output
    assert any("counts every rating as a respondent" in w for w in said["warning"])
    lost = published(relcoord.analyze(relcoord.load(folder / "study.json")))
    assert ties(lost)[("Psykologer", "Lærere")]["suppressed"] is False
