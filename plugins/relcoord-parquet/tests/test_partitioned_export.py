"""Importing folders of Parquet or CSV partitions exported by another system (parquet-parts)."""

from __future__ import annotations

import gzip
import os
import struct
import tempfile
import threading
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from relcoord import InvalidInputError, InvalidStudyError, Study, load
from relcoord.cli import cli
from relcoord.errors import ImportNote
from relcoord.example import load_example
from relcoord.model import Metadata
from relcoord.plugins import PluginHost
from relcoord.testing.conformance import study_differences
from relcoord.testing.strategies import instruments, studies
from relcoord_parquet.sample_exports import export_rows, side_tables, write_export

ITEMS = ("RC1_COM", "RC2_COM", "RC3_COM", "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")


@cache
def host() -> PluginHost:
    """One host with only this plugin, shared by the examples of the property test."""
    return PluginHost(environ={"RELCOORD_PLUGINS": "parquet"})


def _read(folder: Path, **options: Any) -> Study:
    """Read with the host; the warning about the ignored ``region`` column is expected."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*column\(s\) 'region' ignored")
        return host().read(folder, format="parquet-parts", options=options)


def _survey_rows(people: int = 6, waves: tuple[str, ...] = ("2024", "2025")
                 ) -> list[dict[str, Any]]:
    """A long export as a survey platform writes it: one row per answer, answer positions."""
    roles = ("nurse", "doctor", "therapist")
    rows = []
    for year in waves:
        for person in range(people):
            source = roles[person % 3]
            for target in roles:
                for number, item in enumerate(ITEMS):
                    rows.append({"respondent": f"p{person}", "Faggruppe": source,
                                 "target": target, "item": item, "year": year,
                                 "region": "north" if person < people // 2 else "south",
                                 "position": 1 + (person + number) % 5})
    return rows


@pytest.fixture
def export(tmp_path: Path) -> Path:
    folder = tmp_path / "export"
    write_export(_survey_rows(), folder, keys=("year", "region"))
    (folder / "_SUCCESS").write_bytes(b"")
    return folder


MAPPING = '-I', 'columns={"wave": "year", "source": "Faggruppe"}'


def test_cli_converts_a_parquet_export_and_analyzes_it(export: Path, tmp_path: Path) -> None:
    out = tmp_path / "study.json"
    runner = CliRunner()
    result = runner.invoke(cli, ["convert", str(export), *MAPPING, "--from", "parquet-parts",
                                 str(out)])
    assert result.exit_code == 0, result.output
    # every guess is a note
    assert "_SUCCESS" in result.output
    assert "skipped" in result.output
    assert "partition folders' keys are read as columns: year, region" in result.output
    assert "read as the long layout" in result.output
    assert "'region' ignored" in result.output
    study = load(out)
    assert study.waves == ("2024", "2025")
    assert len(study.ratings) == 2 * 6 * 3
    assert {r.id for r in study.roles} == {"nurse", "doctor", "therapist"}
    result = runner.invoke(cli, ["analyze", str(out), "--json"])
    assert result.exit_code == 0, result.output
    direct = runner.invoke(cli, ["analyze", str(export), "--from", "parquet-parts",
                                 *MAPPING, "--json"])
    assert direct.exit_code == 0, direct.output
    assert direct.stdout == result.stdout


def test_gzip_csv_parts_with_danish_headers_and_a_roles_table(tmp_path: Path) -> None:
    danish = ("Hyppig", "Rettidig", "Præcis", "Problemløsende", "Fælles mål", "Fælles viden",
              "Gensidig respekt")
    rows = []
    for person in range(4):
        for target in ("sosu", "laege"):
            rows.append({"Deltager": f"d{person}", "Faggruppe": "sosu" if person < 2 else "laege",
                         "Vurderet faggruppe": target, "bølge": "2025",
                         **{name: float(1 + (person + i) % 5) for i, name in enumerate(danish)}})
    folder = tmp_path / "eksport"
    write_export(rows, folder, keys=("bølge",), kind="csv.gz", files=2)
    (tmp_path / "roller.csv").write_text("id,name,organisation\nsosu,Social- og "
                                         "sundhedsassistent,municipality\nlaege,Læge,hospital\n",
                                         encoding="utf-8")
    out = tmp_path / "s.json"
    result = CliRunner().invoke(cli, [
        "convert", str(folder), "--from", "parquet-parts", "-I", "layout=wide",
        "-I", 'columns={"wave": "bølge"}', "-I", f"roles={tmp_path / 'roller.csv'}",
        "-I", "values=positions", str(out)])
    assert result.exit_code == 0, result.output
    assert "columns found by their headers" in result.output  # Deltager, Faggruppe ...
    study = load(out)
    assert study.role("laege").organisation == "hospital"
    assert len(study.ratings) == 8
    assert study.waves == ("2025",)


def test_a_bad_answer_is_located_at_its_file_and_row(export: Path, tmp_path: Path) -> None:
    part = export / "year=2025" / "region=north" / "part-0000.parquet"
    table = pq.read_table(part)
    values = table.column("position").to_pylist()
    values[16] = 9
    pq.write_table(table.set_column(table.column_names.index("position"), "position",
                                    pa.array(values)), part)
    out = tmp_path / "s.json"
    result = CliRunner().invoke(cli, ["convert", str(export), *MAPPING, "--from",
                                      "parquet-parts", str(out)])
    assert result.exit_code == 1
    assert (f'{export}/year=2025/region=north/part-0000.parquet: row 17, column "position": '
            "9 is not an answer position") in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_bad_csv_cell_is_located_at_file_line_column(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "wave=a").mkdir(parents=True)
    (folder / "wave=b").mkdir()
    head = "respondent,source,target,item,position\n"
    (folder / "wave=a" / "part-0.csv.gz").write_bytes(gzip.compress(
        (head + "p1,a,b,RC1_COM,3\n").encode()))
    (folder / "wave=b" / "part-0.csv").write_text(head + "p2,b,a,RC1_COM,3\n\n"
                                                  "p2,b,a,RC2_COM,x\n")
    with pytest.raises(InvalidStudyError) as caught:
        _read(folder)
    assert f"{folder}/wave=b/part-0.csv:4:5: 'x' is not a number" in str(caught.value)


def test_a_respondent_in_two_roles_names_both_files(export: Path) -> None:
    part = export / "year=2025" / "region=south" / "part-0000.parquet"
    table = pq.read_table(part)
    sources = ["doctor"] * table.num_rows
    pq.write_table(table.set_column(table.column_names.index("Faggruppe"), "Faggruppe",
                                    pa.array(sources)), part)
    with pytest.raises(InvalidStudyError) as caught:
        _read(export, columns={"wave": "year", "source": "Faggruppe"})
    text = str(caught.value)
    assert "region=south/part-0000.parquet: row" in text
    assert "region=south/part-0000.parquet row" in text or "part-0000.parquet row" in text


def test_a_column_missing_in_one_partition_is_refused(export: Path) -> None:
    part = export / "year=2025" / "region=north" / "part-0000.parquet"
    pq.write_table(pq.read_table(part).drop_columns(["target"]), part)
    with pytest.raises(InvalidInputError) as caught:
        _read(export, columns={"wave": "year", "source": "Faggruppe"})
    assert caught.value.location == str(part)
    assert 'no column "target", which' in caught.value.message
    assert "expected the same columns in every partition" in caught.value.message


def test_another_type_in_one_partition_is_refused(export: Path) -> None:
    part = export / "year=2025" / "region=north" / "part-0000.parquet"
    table = pq.read_table(part)
    index = table.column_names.index("position")
    pq.write_table(table.set_column(index, "position", table.column(index).cast(pa.string())),
                   part)
    with pytest.raises(InvalidInputError) as caught:
        _read(export, columns={"wave": "year", "source": "Faggruppe"})
    assert caught.value.location == f'{part}: column "position"'
    assert "holds text values here but integer values in" in caught.value.message


def test_integers_and_decimals_across_partitions_are_read_as_decimals(export: Path) -> None:
    part = export / "year=2025" / "region=north" / "part-0000.parquet"
    table = pq.read_table(part)
    index = table.column_names.index("position")
    pq.write_table(table.set_column(index, "position",
                                    table.column(index).cast(pa.float64())), part)
    with pytest.warns(ImportNote, match="integers in some partitions and decimals"):
        study = _read(export, columns={"wave": "year", "source": "Faggruppe"})
    assert len(study.ratings) == 36


def test_the_layout_can_be_named_and_a_misfit_says_which_fits(tmp_path: Path) -> None:
    study = load_example()
    folder = tmp_path / "wide"
    write_export(export_rows(study, "wide"), folder, keys=("wave",))
    with pytest.raises(InvalidStudyError) as caught:
        _read(folder, layout="long")
    assert "-I layout=wide" in str(caught.value)


@pytest.mark.parametrize("kind", ["parquet", "csv", "csv.gz"])
def test_the_example_reads_back_through_an_export(kind: str, tmp_path: Path) -> None:
    study = load_example()
    folder = tmp_path / "export"
    write_export(export_rows(study, "long"), folder, keys=("wave", "source"),
                 kind=kind, files=3)  # type: ignore[arg-type]
    options = side_tables(study, tmp_path / "tables")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = _read(folder, **options, instrument=study.instrument.id,
                     study_id=study.metadata.id,
                     title=study.metadata.title, language=study.metadata.language)
    assert study_differences(_carried(study), back) == []


# -- limits and hostile folders --------------------------------------------------------------


def test_max_bytes_counts_every_file_of_the_folder(export: Path) -> None:
    sizes = [p.stat().st_size for p in export.rglob("*.parquet")]
    limit = sum(sizes) - 1
    assert limit > max(sizes)  # each file alone fits: only the total is too much
    with pytest.raises(InvalidInputError, match="raise the option max_bytes"):
        _read(export, max_bytes=limit, columns={"wave": "year", "source": "Faggruppe"})


def test_decoded_size_is_checked_from_the_metadata_before_reading(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    # a million empty answers compress to a few hundred bytes, and decode to megabytes
    rows = 1_000_000
    pq.write_table(pa.table({"respondent": pa.nulls(rows, pa.string()),
                             "source": pa.nulls(rows, pa.string()),
                             "target": pa.nulls(rows, pa.string()),
                             "item": pa.nulls(rows, pa.string()),
                             "score": pa.nulls(rows, pa.float64())}),
                   folder / "part-0.parquet")
    size = (folder / "part-0.parquet").stat().st_size
    assert size < 100_000
    with pytest.raises(InvalidInputError) as caught:
        _read(folder, max_bytes=1_000_000)
    assert "the metadata declares 1,000,000 rows in 5 columns" in caught.value.message
    assert "once decoded" in caught.value.message


def _claiming_rows(data: bytes, rows: int, claimed: int) -> bytes:
    """A Parquet file whose footer claims ``claimed`` rows where its row group holds
    ``rows`` (the footer's first ``num_rows``, a Thrift compact i64, rewritten)."""
    def varint(number: int) -> bytes:
        out = bytearray()
        while True:
            low, number = number & 0x7F, number >> 7
            out.append(low | 0x80 if number else low)
            if not number:
                return bytes(out)

    length = struct.unpack("<I", data[-8:-4])[0]
    footer, body = data[-8 - length:-8], data[:-8 - length]
    field = b"\x16" + varint(rows << 1)  # field 3 (i64, zigzag): FileMetaData.num_rows
    at = footer.index(field)
    footer = footer[:at] + b"\x16" + varint(claimed << 1) + footer[at + len(field):]
    return body + footer + struct.pack("<I", len(footer)) + b"PAR1"


def test_a_file_claiming_absurd_rows_is_refused_before_its_data(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    buffer = pa.BufferOutputStream()
    pq.write_table(pa.table({"respondent": ["p"] * 1000, "source": ["a"] * 1000,
                             "target": ["b"] * 1000, "item": ["RC1_COM"] * 1000,
                             "score": [3.0] * 1000}), buffer)
    part = folder / "part-0.parquet"
    part.write_bytes(_claiming_rows(buffer.getvalue().to_pybytes(), 1000, 10**12))
    assert pq.ParquetFile(part).metadata.num_rows == 10**12
    with pytest.raises(InvalidInputError) as caught:
        _read(folder)
    assert caught.value.location == str(part)
    assert ("claims 1,000,000,000,000 rows but its row groups hold 1,000"
            in caught.value.message)


def test_a_fifo_posing_as_a_partition_is_cut_off_at_the_limit(export: Path) -> None:
    fifo = export / "year=2025" / "region=north" / "part-9999.parquet"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:  # writes without end, as /dev/zero would
        try:
            with open(fifo, "wb") as handle:
                while not stop.is_set():
                    handle.write(b"PAR1" + b"\0" * 65536)
        except (BrokenPipeError, OSError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        with pytest.raises(InvalidInputError, match="raise the option max_bytes"):
            _read(export, max_bytes=5_000_000, columns={"wave": "year", "source": "Faggruppe"})
    finally:
        stop.set()
        writer.join(timeout=10)


def test_dev_zero_linked_as_a_partition_is_cut_off_at_the_limit(export: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (export / "year=2025" / "region=north" / "part-9999.parquet").symlink_to("/dev/zero")
    with pytest.raises(InvalidInputError, match="raise the option max_bytes"):
        _read(export, max_bytes=3_000_000, columns={"wave": "year", "source": "Faggruppe"})


def test_max_files_and_max_columns(export: Path) -> None:
    with pytest.raises(InvalidInputError, match="more than 3 files and partition folders"):
        _read(export, max_files=3)
    with pytest.raises(InvalidInputError, match="7 columns, more than the limit of 5"):
        _read(export, max_columns=5, columns={"wave": "year", "source": "Faggruppe"})


@pytest.mark.parametrize("content", [b"", b"PAR1", b"not parquet at all", b"PAR1" + b"\x00" * 64
                                     + b"PAR1"])
def test_a_file_that_is_not_parquet_is_a_located_error(export: Path, content: bytes,
                                                        tmp_path: Path) -> None:
    part = export / "year=2024" / "region=south" / "part-0000.parquet"
    part.write_bytes(content)
    out = tmp_path / "s.json"
    result = CliRunner().invoke(cli, ["convert", str(export), "--from", "parquet-parts",
                                      *MAPPING, str(out)])
    assert result.exit_code == 1, result.output
    assert f"error: {part}: not" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_truncated_parquet_file_is_a_located_error(export: Path) -> None:
    part = export / "year=2024" / "region=south" / "part-0000.parquet"
    data = part.read_bytes()
    part.write_bytes(data[:len(data) // 2] + data[-8:])
    with pytest.raises(InvalidInputError) as caught:
        _read(export, columns={"wave": "year", "source": "Faggruppe"})
    assert caught.value.location == str(part)


def test_a_corrupt_gzip_part_is_a_located_error(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "part-0.csv.gz").write_bytes(b"\x1f\x8b\x08\x00 not gzip")
    with pytest.raises(InvalidInputError, match="cannot decompress"):
        _read(folder)


def test_a_symlink_loop_is_a_located_error(export: Path) -> None:
    (export / "year=2025" / "region=loop").symlink_to(export / "year=2025")
    with pytest.raises(InvalidInputError) as caught:
        _read(export)
    assert caught.value.location == f"{export}/year=2025/region=loop"
    assert "symbolic link loop" in caught.value.message
    (export / "year=2025" / "region=loop").unlink()
    (export / "year=2026").symlink_to(export / "year=2026")  # a link to itself
    with pytest.raises(InvalidInputError, match="symbolic link loop"):
        _read(export)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root reads any file whatever its mode")
def test_an_unreadable_file_is_a_located_error(export: Path) -> None:
    part = export / "year=2024" / "region=south" / "part-0000.parquet"
    part.chmod(0)
    with pytest.raises(InvalidInputError, match="cannot read the file"):
        _read(export)


@pytest.mark.parametrize(("name", "message"), [
    ("year=2025/notes.txt", "not a partition file"),
    ("year=2025/plain/part-0.parquet", "a partition folder is named KEY=VALUE"),
    ("part-0.parquet", "expected every file at the same partition keys"),
    ("year=2025/region=north/part-1.csv", "mixes Parquet files"),
])
def test_a_folder_that_is_not_one_export_is_refused(export: Path, name: str,
                                                    message: str) -> None:
    extra = export / name
    extra.parent.mkdir(parents=True, exist_ok=True)
    source = next(export.rglob("part-0000.parquet"))
    extra.write_bytes(source.read_bytes())
    with pytest.raises(InvalidInputError, match=message):
        _read(export)


def test_a_store_over_the_limit_is_refused_while_reading(tmp_path: Path) -> None:
    store = tmp_path / "s.parquet"
    host().write(load_example(), store, format="parquet")
    with pytest.raises(InvalidInputError, match="raise the option max_bytes"):
        host().read(store, format="parquet", options={"max_bytes": 2000})
    part = next(store.rglob("*.parquet"))
    part.unlink()
    part.symlink_to("/dev/zero")
    with pytest.raises(InvalidInputError, match="raise the option max_bytes"):
        host().read(store, format="parquet", options={"max_bytes": 3_000_000})
    facts = store / "study.json"
    facts.unlink()
    facts.symlink_to("/dev/zero")
    with pytest.raises(InvalidInputError, match="raise the option max_bytes") as caught:
        host().read(store, format="parquet", options={"max_bytes": 3_000_000})
    assert caught.value.location == str(facts)


# -- the round trip ---------------------------------------------------------------------------


def _carried(study: Study) -> Study:
    """What an export and the tables beside it carry: not the focal process or the
    description, and only the respondents who rated."""
    rating = {r.respondent for r in study.ratings if r.respondent is not None}
    meta = Metadata(id=study.metadata.id, title=study.metadata.title,
                    language=study.metadata.language)
    return attrs.evolve(study, metadata=meta,
                        respondents=[p for p in study.respondents if p.id in rating])


@st.composite
def _exports(draw: st.DrawFn) -> tuple[Study, str, str, tuple[str, ...], int]:
    study = draw(studies(max_roles=4, max_respondents=6, max_ratings=12, max_waves=2,
                         instrument=draw(instruments(custom=False))))
    assume(len(study.ratings) > 0)
    layout = draw(st.sampled_from(["long", "wide"]))
    kind = draw(st.sampled_from(["parquet", "csv", "csv.gz"]))
    keys = tuple(draw(st.lists(st.sampled_from(["wave", "source", "target"]), unique=True,
                               max_size=2)))
    return study, layout, kind, keys, draw(st.integers(1, 3))


@given(case=_exports())
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_study_exported_as_partitions_in_any_layout_reads_back_equal(
    case: tuple[Study, str, str, tuple[str, ...], int],
) -> None:
    study, layout, kind, keys, files = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        write_export(export_rows(study, layout), folder, keys=keys,  # type: ignore[arg-type]
                     kind=kind, files=files)  # type: ignore[arg-type]
        options = side_tables(study, Path(tmp) / "tables")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            back = _read(folder, **options, layout=layout, instrument=study.instrument,
                         values="scores", drop_empty=False, study_id=study.metadata.id,
                         title=study.metadata.title, language=study.metadata.language,
                         **({"delimiter": ","} if kind != "parquet" else {}))
    assert study_differences(_carried(study), back) == []


def test_the_documentation_lists_the_declared_options() -> None:
    from relcoord.formats.format_option import options_table
    from relcoord.plugins.format_io import options_of
    from relcoord_parquet.plugin import PARQUET_PARTS, PARQUET_STORE

    page = Path(__file__).resolve().parents[3] / "docs" / "plugins" / "parquet.md"
    text = page.read_text(encoding="utf-8")
    for chosen in (PARQUET_STORE, PARQUET_PARTS):
        declared = options_of(chosen, "read")
        assert declared
        assert options_table(declared) in text, chosen.id


def _text_with_bytes(values: list[bytes]) -> pa.Array:
    """A string array holding ``values`` as they are, UTF-8 or not (as a Parquet file from
    another system may: neither Parquet nor pyarrow's reader checks it)."""
    import numpy as np

    offsets = np.cumsum([0, *(len(v) for v in values)]).astype(np.int32)
    return pa.Array.from_buffers(pa.string(), len(values), [
        None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(values))])


@pytest.mark.parametrize("dictionary", [False, True], ids=["plain", "dictionary"])
def test_text_that_is_not_utf8_is_a_located_error_not_a_panic(tmp_path: Path,
                                                              dictionary: bool) -> None:
    """Found by fuzzing: polars panicked (a traceback through the CLI) on the first
    operation that decoded an id that is not UTF-8; the column is checked as it is read."""
    people = _text_with_bytes([b"r1", b"r\xff2", b"r3", b"r4"])
    if dictionary:
        people = pa.DictionaryArray.from_arrays(pa.array([0, 1, 2, 3], pa.int32()), people)
    table = pa.table({"respondent": people, "source": ["a", "a", "b", "b"],
                      "target": ["b", "b", "a", "a"], "item": ["frequent"] * 4,
                      "value": [3, 4, 2, 5]})
    folder = tmp_path / "export" / "wave=1"
    folder.mkdir(parents=True)
    pq.write_table(table, folder / "part-0.parquet")
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "export"), "--from",
                                      "parquet-parts", "-I", "values=scores"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert 'part-0.parquet: column "respondent": holds text that is not UTF-8' in result.output
