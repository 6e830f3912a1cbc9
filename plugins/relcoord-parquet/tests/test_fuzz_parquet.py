"""Fuzzing the parquet study store with the core's harness (issue 17).

The corpus is a store written by the exporter (``study.json`` and the ratings' Parquet
partitions), and for the ``parquet-parts`` importer two exports another system might write
(Hive folders of Parquet parts in the long layout, of gzip-compressed CSV parts in the wide
layout); a mutation of any file in them gives a study or relcoord's own located error.
Hostile studies are written to stores, or refused with relcoord's own error that leaves
nothing behind.
"""

from __future__ import annotations

from pathlib import Path

from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import (
    CorpusInput,
    assert_reads_cleanly,
    corpus_reads_test,
    hostile_studies_test,
    mutated_inputs_test,
    register_corpus,
    small_study,
)
from relcoord_parquet.sample_exports import export_rows, write_export

HOST = PluginHost()


def _store(folder: Path) -> Path:
    path = folder / "study.parquet"
    HOST.write(small_study(), path, format="parquet")
    return path


STORE = register_corpus(CorpusInput("parquet", "store", _store))


def _parquet_export(folder: Path) -> Path:
    path = folder / "export"
    write_export(export_rows(small_study(), "long"), path, keys=("wave", "source"), files=2)
    return path


def _csv_export(folder: Path) -> Path:
    path = folder / "export-csv"
    write_export(export_rows(small_study(), "wide"), path, keys=("wave",), kind="csv.gz")
    return path


#: Small limits keep a mutation from making the importer read much.
_LIMITS = {"max_bytes": 4_000_000, "max_files": 200, "max_columns": 100,
           "instrument": small_study().instrument.id}
PARTS = register_corpus(CorpusInput("parquet-parts", "parquet export", _parquet_export,
                                    _LIMITS))
CSV_PARTS = register_corpus(CorpusInput("parquet-parts", "csv.gz export", _csv_export,
                                        {**_LIMITS, "layout": "wide", "values": "scores"}))
#: The exporters these tests fuzz (``tests/fuzz/test_fuzz_coverage.py`` checks that every
#: installed exporter is fuzzed somewhere).
FUZZED_EXPORTERS = ("parquet",)


test_the_corpus_input_itself_reads = corpus_reads_test(HOST, [STORE, PARTS, CSV_PARTS])


test_mutated_stores_and_exports_give_a_study_or_relcoords_own_error = (
    mutated_inputs_test(HOST, [STORE, PARTS, CSV_PARTS]))


test_hostile_studies_are_written_or_refused_cleanly = hostile_studies_test(
    HOST, FUZZED_EXPORTERS)


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
