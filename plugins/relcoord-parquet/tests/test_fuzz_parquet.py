"""Fuzzing the parquet study store with the core's harness (issue 17).

The corpus is a store written by the exporter (``study.json`` and the ratings' Parquet
partitions); a mutation of any file in it gives a study or relcoord's own located error.
Hostile studies are written to stores, or refused with relcoord's own error that leaves
nothing behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.model import Study
from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import (
    CorpusInput,
    assert_reads_cleanly,
    fuzz_export,
    fuzz_import,
    register_corpus,
    small_study,
)

HOST = PluginHost()


def _store(folder: Path) -> Path:
    path = folder / "study.parquet"
    HOST.write(small_study(), path, format="parquet")
    return path


STORE = register_corpus(CorpusInput("parquet", "store", _store))
#: The exporters these tests fuzz (``tests/fuzz/test_fuzz_coverage.py`` checks that every
#: installed exporter is fuzzed somewhere).
FUZZED_EXPORTERS = ("parquet",)


def test_the_corpus_input_itself_reads(tmp_path: Path) -> None:
    result = assert_reads_cleanly(HOST, STORE.write(tmp_path), format=STORE.format,
                                  options=STORE.options)
    assert isinstance(result, Study), result


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_stores_give_a_study_or_relcoords_own_error(data: st.DataObject) -> None:
    fuzz_import(HOST, STORE, data.draw)


@pytest.mark.parametrize("format_id", FUZZED_EXPORTERS)
@settings(max_examples=max(10, settings().max_examples // 4), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_hostile_studies_are_written_or_refused_cleanly(format_id: str,
                                                        data: st.DataObject) -> None:
    fuzz_export(HOST, format_id, data.draw)


def test_a_partition_with_text_that_is_not_utf8_is_a_located_error(tmp_path: Path) -> None:
    from relcoord.errors import InvalidInputError

    store = STORE.write(tmp_path)
    part = sorted((store / "ratings").rglob("*.parquet"))[0]
    data = part.read_bytes()
    # a role id's first byte (in the dictionary page, before the footer's statistics)
    # replaced by a byte that cannot start a UTF-8 character
    at = data.index(b"health-staff") if b"health-staff" in data else None
    assert at is not None, "the corpus store should hold role id 'health-staff'"
    part.write_bytes(data[:at] + b"\xe6" + data[at + 1:])
    result = assert_reads_cleanly(HOST, store, format="parquet", options={})
    assert isinstance(result, InvalidInputError), result
    assert "not UTF-8" in result.message
    assert result.location.endswith(("column 'source'", "column 'target'"))
