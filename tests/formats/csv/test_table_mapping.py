"""A plain ASCII CSV file is mapped, not read: polars reads it from its path, the checks
read the mapping.  Every table and every problem must be what the bytes give."""

from __future__ import annotations

import codecs
import mmap
import warnings
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from relcoord.bounded_input import long_run
from relcoord.errors import InvalidInputError, InvalidStudyError
from relcoord.formats.csv import CsvEncodingWarning, read_long, table
from relcoord.formats.csv.table import load_table, parse_table

TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)

LONG = ("respondent,source,target,item,position\n"
        "p1,nurses,doctors,frequent,4\n"
        "p1,nurses,doctors,timely,5\n"
        "p2,doctors,nurses,frequent,3\n")


def _sources(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What each `polars.read_csv` call of the table module is given, recorded."""
    seen: list[Any] = []
    real = pl.read_csv

    def recording(source: Any, **kwargs: Any) -> pl.DataFrame:
        seen.append(source)
        return real(source, **kwargs)

    monkeypatch.setattr(pl, "read_csv", recording)  # the module table reads through
    return seen


@TMP
@given(data=st.binary(max_size=200).map(lambda b: b + b"x"),
       limit=st.integers(0, 40), stops=st.sampled_from([b"\n,\r", b"\n;\r", b"\n"]))
def test_long_run_finds_the_same_in_a_mapped_file_as_in_its_bytes(
        tmp_path: Path, data: bytes, limit: int, stops: bytes) -> None:
    path = tmp_path / "cells.bin"
    path.write_bytes(data)
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        assert long_run(mapped, limit, stops) == long_run(data, limit, stops)


def test_an_ascii_file_is_read_by_polars_from_its_path(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.csv"
    path.write_text(LONG, newline="")
    seen = _sources(monkeypatch)
    mapped = load_table(path)
    assert seen == [path]
    read = parse_table(path.read_bytes(), str(path))
    assert_frame_equal(mapped.frame, read.frame)
    assert (mapped.header, mapped.dialect) == (read.header, read.dialect)


@pytest.mark.parametrize("content", [
    codecs.BOM_UTF8 + LONG.encode(),                                # a byte-order mark
    LONG.replace("p2", "pø").encode(),                              # UTF-8 beyond ASCII
    LONG.replace("p2", "p\xf8").encode("cp1252"),                   # not UTF-8
])
def test_other_files_are_read_and_decoded_as_before(tmp_path: Path, content: bytes,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(content)
    seen = _sources(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CsvEncodingWarning)  # the cp1252 file
        loaded = load_table(path)
    assert seen
    assert all(isinstance(s, bytes) for s in seen)
    assert loaded.frame.height == 3


def test_a_file_that_changes_size_while_parsed_is_read_again(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    path = tmp_path / "long.csv"
    path.write_text(LONG, newline="")
    seen = _sources(monkeypatch)
    monkeypatch.setattr(table, "size_of", lambda path: -1)
    load_table(path)
    assert seen[0] == path
    assert isinstance(seen[-1], bytes)


def test_the_limit_still_refuses_a_larger_file(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(LONG, newline="")
    with pytest.raises(InvalidInputError, match="max_bytes"):
        load_table(path, max_bytes=len(LONG) - 1)


def test_problems_of_a_mapped_file_are_located_once_the_mapping_is_closed(
        tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(LONG + "p3,nurses,doctors,no_such_item,2\n", newline="")
    with pytest.raises(InvalidStudyError) as caught:
        read_long(path, {})
    assert f"{path}:5:4" in str(caught.value)
