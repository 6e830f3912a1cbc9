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
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.model import Study
from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import (
    CorpusInput,
    assert_reads_cleanly,
    fuzz_import,
    register_corpus,
)

HOST = PluginHost()
_ROLES = {1.0: "nurse", 2.0: "doctor", 3.0: "porter"}


def _timeless(data: bytes) -> bytes:
    """``data`` with the creation time pyreadstat wrote replaced by a fixed one, so that
    the derandomised ``ci`` examples mutate the same bytes on every run: readstat still
    crashes the process on some corrupt extension records (found with the ``fuzz``
    profile), and CI must not meet one because the clock moved."""
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


@pytest.mark.parametrize("entry", INPUTS, ids=lambda e: f"{e.format}/{e.name}")
def test_the_corpus_input_itself_reads(entry: CorpusInput, tmp_path: Path) -> None:
    result = assert_reads_cleanly(HOST, entry.write(tmp_path), format=entry.format,
                                  options=entry.options)
    assert isinstance(result, Study), result


@pytest.mark.parametrize("entry", INPUTS, ids=lambda e: f"{e.format}/{e.name}")
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_files_give_a_study_or_relcoords_own_error(entry: CorpusInput,
                                                           data: st.DataObject) -> None:
    fuzz_import(HOST, entry, data.draw)


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
