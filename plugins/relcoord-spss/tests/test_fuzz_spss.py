"""Fuzzing the spss and stata importers with the core's harness (issue 17).

The corpus is a small labelled survey written by pyreadstat as ``.sav``, ``.zsav`` and
``.dta`` (a ``.por`` file's eight-character names would need an item mapping): mutations
of their bytes (a header cut, a label's length flipped, a NUL inserted) give a study or
relcoord's own located error, never another exception.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat
import pytest

from relcoord.model import Study
from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import (
    CorpusInput,
    assert_reads_cleanly,
    corpus_reads_test,
    mutated_inputs_test,
    register_corpus,
)

HOST = PluginHost()
_ROLES = {1.0: "nurse", 2.0: "doctor", 3.0: "porter"}


def _timeless(data: bytes) -> bytes:
    """``data`` with the creation time pyreadstat wrote replaced by a fixed one, so that
    the derandomised ``ci`` examples mutate the same bytes on every run (a file that
    crashes readstat is an error of the reader process now, but CI's examples should not
    change because the clock moved)."""
    if data[:4] in (b"$FL2", b"$FL3"):
        return data[:92] + b"01 Jan 2400:00:00" + data[109:]
    return re.sub(rb"<timestamp>.[^<]*</timestamp>", b"<timestamp>\x1101 Jan 2024 00:00"
                  b"</timestamp>", data, count=1)


def _survey(name: str, write: Callable[..., Any], **extra: Any) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        frame = pd.DataFrame({
            "respondent": ["r1", "r2", "r3"], "source": [1.0, 2.0, 3.0],
            "target": [2.0, 1.0, 1.0], "frequent": [4.0, 2.0, 9.0], "timely": [3.0, 3.0, 1.0],
            "accurate": [5.0, 3.0, 2.0], "problem_solving": [4.0, 4.0, 3.0],
            "shared_goals": [4.0, 5.0, 1.0], "shared_knowledge": [3.0, 4.0, 2.0],
            "mutual_respect": [5.0, 4.0, 1.0]})
        path = folder / name
        write(frame, path, **extra)
        path.write_bytes(_timeless(path.read_bytes()))
        return path

    return make


#: Value labels for the role codes and variable labels.
_LABELS: dict[str, Any] = {
    "variable_value_labels": {"source": _ROLES, "target": _ROLES},
    "column_labels": {"source": "Rater role", "target": "Target role"}}
_OPTIONS = {"max_bytes": 1 << 20, "values": "positions", "missing_codes": (9,)}
INPUTS = tuple(register_corpus(entry) for entry in (
    CorpusInput("spss", "sav", _survey("survey.sav", pyreadstat.write_sav, **_LABELS),
                _OPTIONS),
    CorpusInput("spss", "zsav", _survey("survey.zsav", pyreadstat.write_sav, compress=True,
                                        **_LABELS), _OPTIONS),
    CorpusInput("stata", "dta", _survey("survey.dta", pyreadstat.write_dta, **_LABELS),
                _OPTIONS),
))
#: The exporters these tests fuzz: none (this plugin only reads).
FUZZED_EXPORTERS: tuple[str, ...] = ()


test_the_corpus_input_itself_reads = corpus_reads_test(HOST, INPUTS)


test_mutated_files_give_a_study_or_relcoords_own_error = mutated_inputs_test(HOST, INPUTS)


def test_a_variable_record_of_impossible_width_is_refused_before_readstat(
        tmp_path: Path) -> None:
    """Found by fuzzing: one byte of a variable's width flipped made readstat crash the
    whole process (a segmentation fault); the record is checked first."""
    import struct

    from relcoord.errors import InvalidInputError

    path = INPUTS[0].write(tmp_path)
    data = bytearray(path.read_bytes())
    third = 176 + 32 + 48  # the header, a string record, a labelled numeric record
    assert struct.unpack("<i", data[third:third + 4])[0] == 2  # a variable record
    data[third + 6] = 0xEA  # its width: 15335424
    path.write_bytes(bytes(data))
    result = assert_reads_cleanly(HOST, path, format="spss", options=INPUTS[0].options)
    assert isinstance(result, InvalidInputError), result
    assert result.location.endswith("variable record 3 (byte 256)")
    assert "width 15335424" in result.message


def test_a_header_claiming_more_cases_than_the_file_holds_is_refused(tmp_path: Path) -> None:
    """Found by fuzzing: a header whose case count was overwritten (538,976,288 cases in a
    1.4 kB file) made readstat allocate 21 GB and the process be killed."""
    import struct

    from relcoord.errors import InvalidInputError

    path = INPUTS[0].write(tmp_path)
    data = bytearray(path.read_bytes())
    data[80:84] = struct.pack("<i", 538_976_288)
    path.write_bytes(bytes(data))
    result = assert_reads_cleanly(HOST, path, format="spss", options=INPUTS[0].options)
    assert isinstance(result, InvalidInputError), result
    assert result.location.endswith("header (byte 80)")
    assert "538,976,288 cases" in result.message


def test_a_string_without_its_continuation_records_is_refused_before_readstat(
        tmp_path: Path) -> None:
    """Found by fuzzing: a numeric variable's width flipped to 159 (a string that needs 19
    continuation records, which do not follow) made readstat crash the process."""
    from relcoord.errors import InvalidInputError

    path = INPUTS[0].write(tmp_path)
    data = bytearray(path.read_bytes())
    data[256 + 4] = 159  # the third variable record's width
    path.write_bytes(bytes(data))
    result = assert_reads_cleanly(HOST, path, format="spss", options=INPUTS[0].options)
    assert isinstance(result, InvalidInputError), result
    assert result.location.endswith("variable record 4 (byte 304)")
    assert "continuation record is missing" in result.message


@pytest.mark.parametrize(("change", "location", "message"), [
    (lambda d: d[:176 + 32 + 34], "variable record 2 (byte 208)", "label of -1 bytes"),
    (lambda d: d[:176 + 32 + 48 + 20], "variable record 3", "ends among its variable records"),
    (lambda d: d[:176] + d[176:208] * 4 + d[208:], "header (byte 68)",
     "a case has 10 values but the file has 13 variable records"),
], ids=["cut-in-a-label-length", "cut-in-a-record", "records-repeated"])
def test_a_cut_or_repeated_dictionary_is_refused_before_readstat(
        tmp_path: Path, change: Callable[[bytes], bytes], location: str, message: str) -> None:
    """Found by fuzzing (the third one crashed the process): the variable records must be
    whole and as many as the header's values per case."""
    from relcoord.errors import InvalidInputError

    path = INPUTS[0].write(tmp_path)
    path.write_bytes(change(path.read_bytes()))
    result = assert_reads_cleanly(HOST, path, format="spss", options=INPUTS[0].options)
    assert isinstance(result, InvalidInputError), result
    assert result.location.endswith(location), result.location
    assert message in result.message


def _crashing_sav(tmp_path: Path) -> Path:
    """The corpus ``.sav`` with its second variable (the numeric, value-labelled rater
    role) turned into a one-character string: every record is well formed, and readstat
    (pyreadstat 1.3.8) dies of a segmentation fault reading it."""
    path = INPUTS[0].write(tmp_path)
    data = bytearray(path.read_bytes())
    assert data[208:216] == b"\x02\x00\x00\x00\x00\x00\x00\x00"  # record 2: a number
    data[212] = 1
    path.write_bytes(bytes(data))
    return path


def test_a_file_that_crashes_readstat_is_a_located_error(tmp_path: Path) -> None:
    """Found by fuzzing: this file passes every check of the dictionary and still kills
    readstat; read in the reader process, it is relcoord's own error and the next file
    reads."""
    from relcoord.errors import InvalidInputError

    path = _crashing_sav(tmp_path)
    result = assert_reads_cleanly(HOST, path, format="spss", options=INPUTS[0].options)
    assert isinstance(result, InvalidInputError), result
    assert result.location == str(path)
    assert re.match(r"the file is damaged: the SPSS reader stopped with signal \d+",
                    result.message), result.message
    again = tmp_path / "again"
    again.mkdir()
    assert isinstance(assert_reads_cleanly(HOST, INPUTS[0].write(again), format="spss",
                                           options=INPUTS[0].options), Study)


def test_the_command_line_reports_a_crashing_file_and_writes_nothing(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from relcoord.cli import cli

    path = _crashing_sav(tmp_path)
    out = tmp_path / "study.json"
    result = CliRunner().invoke(cli, ["convert", str(path), str(out), "-I", "values=positions"])
    assert result.exit_code == 1, result.output
    assert "the SPSS reader stopped with signal" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_a_read_that_takes_longer_than_max_seconds_is_stopped(tmp_path: Path) -> None:
    from relcoord.errors import InvalidInputError

    path = INPUTS[0].write(tmp_path)
    result = assert_reads_cleanly(HOST, path, format="spss",
                                  options={**INPUTS[0].options, "max_seconds": 1e-6})
    assert isinstance(result, InvalidInputError), result
    assert "took more than 1e-06 seconds" in result.message
    assert "-I max_seconds=SECONDS" in result.message
    assert isinstance(assert_reads_cleanly(HOST, path, format="spss",
                                           options=INPUTS[0].options), Study)


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf"])
def test_max_seconds_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    from relcoord.errors import InvalidInputError

    path = INPUTS[0].write(tmp_path)
    result = assert_reads_cleanly(HOST, path, format="spss",
                                  options={**INPUTS[0].options, "max_seconds": value})
    assert isinstance(result, InvalidInputError), result
    assert "max_seconds" in str(result)
    assert "seconds" in result.message


@pytest.mark.parametrize(("entry", "location"), [
    (INPUTS[0], "variable record 3 (byte 256)"), (INPUTS[1], "variable record 3 (byte 256)"),
    (INPUTS[2], "variable target")], ids=["sav", "zsav", "dta"])
def test_more_variables_than_max_columns_are_refused(entry: CorpusInput, location: str,
                                                     tmp_path: Path) -> None:
    """A ``.sav`` file's dictionary is counted before readstat reads the file; other files
    once read."""
    from relcoord.errors import InvalidInputError

    path = entry.write(tmp_path)
    result = assert_reads_cleanly(HOST, path, format=entry.format,
                                  options={**entry.options, "max_columns": 2})
    assert isinstance(result, InvalidInputError), result
    assert result.location.startswith(f"{path}: {location}"), result.location
    assert "more than the limit of 2; raise the option max_columns" in result.message


def test_a_text_longer_than_max_cell_bytes_is_refused_at_its_case(tmp_path: Path) -> None:
    from relcoord.errors import InvalidInputError

    path = INPUTS[2].write(tmp_path)
    result = assert_reads_cleanly(HOST, path, format="stata",
                                  options={**INPUTS[2].options, "max_cell_bytes": 1})
    assert isinstance(result, InvalidInputError), result
    assert result.location == f"{path}: variable respondent, row 1"
    assert "a cell of 2 bytes," in result.message
    assert "-I max_cell_bytes=BYTES" in result.message


def test_a_fifo_is_refused_before_readstat_waits_on_it(tmp_path: Path) -> None:
    import os

    from relcoord.errors import InvalidInputError

    fifo = tmp_path / "survey.sav"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)  # a writer, so that opening does not block
    (tmp_path / "x").mkdir()
    try:
        os.write(writer, INPUTS[0].write(tmp_path / "x").read_bytes()[:4096])
        result = assert_reads_cleanly(HOST, fifo, format="spss", options=INPUTS[0].options)
    finally:
        os.close(writer)
    assert isinstance(result, InvalidInputError), result
    assert "is not a regular file" in result.message
