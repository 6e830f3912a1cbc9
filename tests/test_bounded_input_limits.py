"""A table's shape is bounded while it is read: ``max_columns`` at the header, ``max_cell_bytes``
for any one cell, options of every table importer with documented defaults (issue 17, item 1:
"limits on size, depth, columns, cells and decompressed bytes ... are options with sane
defaults")."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from relcoord.bounded_input import (
    DEFAULT_MAX_CELL_BYTES,
    DEFAULT_MAX_COLUMNS,
    long_run,
    too_long_cell,
    too_many_columns,
)
from relcoord.cli import cli
from relcoord.errors import InvalidInputError, RelcoordError
from relcoord.formats.csv.table import parse_table
from relcoord.plugins import PluginHost

HOST = PluginHost()
ITEMS = ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
         "shared_knowledge", "mutual_respect")
#: The table importers of a file, and a file name each fits.
TABLE_IMPORTERS = {"csv-wide": "answers.csv", "csv-long": "answers.csv",
                   "csv-relationskort": "kort.csv"}


def _study(path: Path, format: str, **options: object) -> Any:
    with warnings.catch_warnings():  # the extra columns are noted: not what is tested
        warnings.simplefilter("ignore")
        return HOST.read(path, format=format, options={"values": "positions", **options})


def _read(path: Path, format: str, **options: object) -> InvalidInputError:
    with pytest.raises(RelcoordError) as caught:
        _study(path, format, **options)
    assert isinstance(caught.value, InvalidInputError), caught.value
    return caught.value


def _wide(path: Path, extra_columns: int = 0, cell: str = "nurse") -> Path:
    header = ["respondent", "source", "target", *ITEMS, *(f"x{i}" for i in range(extra_columns))]
    row = ["r1", cell, "doctor", *("4" for _ in ITEMS), *("" for _ in range(extra_columns))]
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    return path


def test_the_defaults_are_a_worksheet_s_columns_and_a_mebibyte() -> None:
    assert DEFAULT_MAX_COLUMNS == 16_384
    assert DEFAULT_MAX_CELL_BYTES == 1 << 20


@pytest.mark.parametrize("format", sorted(TABLE_IMPORTERS))
def test_too_many_columns_is_refused_at_the_header(format: str, tmp_path: Path) -> None:
    path = _wide(tmp_path / TABLE_IMPORTERS[format], extra_columns=DEFAULT_MAX_COLUMNS)
    error = _read(path, format)
    assert isinstance(error, InvalidInputError), error
    assert error.location == f"{path}:1:{DEFAULT_MAX_COLUMNS + 1}"
    assert error.message == "the header has " + too_many_columns(DEFAULT_MAX_COLUMNS + 10,
                                                                 DEFAULT_MAX_COLUMNS)
    assert "-I max_columns=N" in error.message


def test_ten_thousand_columns_read_under_the_default_and_stop_at_a_lower_limit(
        tmp_path: Path) -> None:
    path = _wide(tmp_path / "answers.csv", extra_columns=10_000)
    study = _study(path, "csv-wide")
    assert len(study.ratings) == 1
    error = _read(path, "csv-wide", max_columns=100)
    assert error.location == f"{path}:1:101"


@pytest.mark.parametrize("format", sorted(TABLE_IMPORTERS))
def test_a_huge_cell_is_refused_at_its_line_and_column(format: str, tmp_path: Path) -> None:
    path = _wide(tmp_path / TABLE_IMPORTERS[format], cell="n" * (DEFAULT_MAX_CELL_BYTES + 1))
    error = _read(path, format)
    assert isinstance(error, InvalidInputError), error
    assert error.location == f"{path}:2:2"
    assert error.message == too_long_cell(None, DEFAULT_MAX_CELL_BYTES)
    assert "-I max_cell_bytes=BYTES" in error.message


def test_a_quoted_huge_cell_with_delimiters_and_line_breaks_is_found_once_parsed(
        tmp_path: Path) -> None:
    path = _wide(tmp_path / "answers.csv", cell='"' + "a,b\n" * 300 + '"')
    error = _read(path, "csv-wide", max_cell_bytes=1000)
    assert isinstance(error, InvalidInputError), error
    assert error.location == f"{path}:2:2"
    assert error.message == too_long_cell(1200, 1000)


def test_a_cell_at_the_limit_reads(tmp_path: Path) -> None:
    path = _wide(tmp_path / "answers.csv", cell="n" * 1000)
    study = _study(path, "csv-wide", max_cell_bytes=1000)
    assert "n" * 1000 in study.role_ids


def test_a_roles_table_is_bounded_by_the_same_options(tmp_path: Path) -> None:
    roles = tmp_path / "roles.csv"
    roles.write_text("id,name\nnurse," + "N" * 2000 + "\ndoctor,Doctors\n", encoding="utf-8")
    error = _read(_wide(tmp_path / "answers.csv"), "csv-wide", roles=str(roles),
                  max_cell_bytes=1000)
    assert error.location == f"{roles}:2:2"


def test_the_zip_importer_bounds_its_tables(tmp_path: Path) -> None:
    from relcoord.example import load_example

    HOST.write(load_example(), tmp_path / "study.csv.zip", format="csv-zip")
    with zipfile.ZipFile(tmp_path / "study.csv.zip") as packed:
        members = {i.filename: packed.read(i) for i in packed.infolist()}
    roles = next(m for m in members if m.endswith("roles.csv"))
    lines = members[roles].split(b"\n")
    lines[1] = lines[1] + b"x" * 5000
    members[roles] = b"\n".join(lines)
    with zipfile.ZipFile(tmp_path / "big.csv.zip", "w", zipfile.ZIP_DEFLATED) as packed:
        for name, data in members.items():
            packed.writestr(name, data)
    with pytest.raises(InvalidInputError) as caught:
        HOST.read(tmp_path / "big.csv.zip", format="csv-zip", options={"max_cell_bytes": 4096})
    assert caught.value.location.startswith(f"{tmp_path / 'big.csv.zip'}/")
    assert caught.value.location.endswith(":2:" + str(lines[1].count(b",") + 1))
    with pytest.raises(InvalidInputError) as caught:
        HOST.read(tmp_path / "big.csv.zip", format="csv-zip", options={"max_columns": 2})
    assert ":1:3" in caught.value.location


@pytest.mark.parametrize("option", ["max_columns", "max_cell_bytes"])
@pytest.mark.parametrize("value", ["-1", "0", "many", "1.5"])
def test_a_limit_that_is_no_count_is_a_clear_error(option: str, value: str,
                                                   tmp_path: Path) -> None:
    path = _wide(tmp_path / "answers.csv")
    result = CliRunner().invoke(cli, ["validate", str(path), "--from", "csv-wide",
                                      "-I", f"{option}={value}"])
    assert result.exit_code == 1, result.output
    assert f"option {option}=" in result.stderr
    assert "expected a whole number" in result.stderr
    assert "Traceback" not in result.output


def test_the_command_line_reports_a_huge_cell_in_one_line(tmp_path: Path) -> None:
    path = _wide(tmp_path / "answers.csv", cell="n" * 5000)
    out = tmp_path / "study.json"
    result = CliRunner().invoke(cli, ["convert", str(path), str(out), "--from", "csv-wide",
                                      "-I", "values=positions", "-I", "max_cell_bytes=4096"])
    assert result.exit_code == 1, result.output
    assert f"{path}:2:2: a cell longer than the limit of 4,096 bytes" in result.stderr
    assert not out.exists()


def test_parse_table_takes_the_limits() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_table(b"a,b,c\n1,2,3\n", "t.csv", max_columns=2)
    assert caught.value.location == "t.csv:1:3"
    with pytest.raises(InvalidInputError) as caught:
        parse_table(b"a,b\n1,2345\n", "t.csv", max_cell_bytes=3)
    assert caught.value.location == "t.csv:2:2"
    assert parse_table(b"a,b\n1,234\n", "t.csv", max_cell_bytes=3).header == ("a", "b")


@given(cells=st.lists(st.lists(st.binary(max_size=12).map(
    lambda b: b.replace(b",", b"").replace(b"\n", b"").replace(b"\r", b"")),
    min_size=1, max_size=4), max_size=6), limit=st.integers(0, 10))
def test_long_run_finds_exactly_the_first_cell_past_the_limit(cells: list[list[bytes]],
                                                              limit: int) -> None:
    data = b"\n".join(b",".join(row) for row in cells)
    starts = []
    at = 0
    for row in cells:
        for cell in row:
            if len(cell) > limit:
                starts.append(at)
            at += len(cell) + 1
    assert long_run(data, limit, b"\n,\r") == (starts[0] if starts else None)
