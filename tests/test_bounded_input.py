"""Hostile input: limits hold while reading, every importer answers with relcoord's own
located error, and errors name the place in the user's file (issue 17, items 1 and 5)."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from pathlib import Path
from typing import Any

import attrs
import polars as pl
import pytest
from click.testing import CliRunner

import relcoord
from relcoord.bounded_input import read_bounded, read_stream_bounded
from relcoord.cli import cli
from relcoord.errors import InvalidInputError, InvalidStudyError, RelcoordError
from relcoord.example import load_example
from relcoord.formats.csv.table import parse_table
from relcoord.formats.graphml import graphml_bytes
from relcoord.formats.graphml.safe_xml import MAX_DEPTH
from relcoord.formats.graphml.writer import GRAPHML_NAMESPACE
from relcoord.model import Metadata, NamedTie, Role, Study
from relcoord.plugins import PluginError, PluginHost

HOST = PluginHost()
#: Every importer of a file, with a name its format fits (the folder importer reads folders).
FILE_IMPORTERS = ("json", "csv-long", "csv-wide", "csv-relationskort", "csv-zip", "graphml",
                  "ties-tsv")


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def read_error(path: Path, format: str, **options: Any) -> RelcoordError:
    with pytest.raises(RelcoordError) as caught:
        HOST.read(path, format=format, options=options)
    assert not isinstance(caught.value, PluginError), caught.value
    return caught.value


# --- limits hold while reading, whatever stat() says -------------------------------------

def test_read_bounded_stops_one_byte_past_the_limit_of_an_endless_file() -> None:
    with pytest.raises(InvalidInputError, match="larger than the limit of 1,000 bytes"):
        read_bounded("/dev/zero", limit=1000)
    assert read_bounded("/dev/null", limit=10) == b""
    assert read_stream_bounded(io.BytesIO(b"x" * 10), "s", 10) == b"x" * 10


@pytest.mark.parametrize("format", FILE_IMPORTERS)
def test_dev_zero_stops_at_every_importer_s_limit(format: str) -> None:
    error = read_error(Path("/dev/zero"), format, max_bytes=4096)
    assert isinstance(error, InvalidInputError)
    assert "/dev/zero" in str(error)
    assert "4,096" in str(error)


def test_dev_zero_as_a_roles_table_stops_at_the_limit(tmp_path: Path) -> None:
    survey = tmp_path / "s.csv"
    survey.write_text("respondent,source,target,item,value\nr1,a,b,frequent,4\n")
    code, stderr = run("validate", survey, "-I", "roles=/dev/zero", "-I", "max_bytes=4096",
                       "-I", "values=positions")
    assert code == 1
    assert "error: /dev/zero: the file is larger than the limit of 4,096 bytes" in stderr


def test_a_fifo_is_read_as_a_stream_within_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "study.json"
    os.mkfifo(fifo)
    text = relcoord.dumps(load_example()).encode()

    def feed() -> None:
        with open(fifo, "wb") as writer:
            writer.write(text)

    feeder = threading.Thread(target=feed)
    feeder.start()
    study = HOST.read(fifo, format="json")
    feeder.join(timeout=10)
    assert study == load_example()


@pytest.mark.parametrize("value", ["-5", "0", "lots", "1.5"])
def test_a_limit_that_is_no_size_is_refused(value: str, tmp_path: Path) -> None:
    study = tmp_path / "s.json"
    relcoord.dump(load_example(), study)
    code, stderr = run("validate", study, "-I", f"max_bytes={value}")
    assert code == 1
    assert f"max_bytes={value!r}" in stderr


@pytest.mark.parametrize("format", FILE_IMPORTERS)
def test_a_folder_given_to_a_file_importer_is_a_located_error(format: str,
                                                              tmp_path: Path) -> None:
    error = read_error(tmp_path, format)
    assert isinstance(error, InvalidInputError)
    assert error.location == str(tmp_path)
    assert "folder" in error.message


# --- zips -------------------------------------------------------------------------------------

@pytest.fixture
def tables_zip(tmp_path: Path) -> Path:
    path = tmp_path / "tables.csv.zip"
    HOST.write(load_example(), path, format="csv-zip", analysis=relcoord.analyze(load_example()))
    return path


def _rezip(source: Path, target: Path, extra: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, old.read(info))
        for name, data in extra:
            new.writestr(name, data)


def test_a_zip_with_two_members_of_one_name_is_refused(tables_zip: Path,
                                                       tmp_path: Path) -> None:
    twice = tmp_path / "twice.csv.zip"
    with pytest.warns(UserWarning, match="Duplicate name"):
        _rezip(tables_zip, twice, [("roles.csv", b"id,name\nx,X\n")])
    error = read_error(twice, "csv-zip")
    assert error.location == f"{twice}/roles.csv"  # type: ignore[attr-defined]
    assert "two entries of this name" in str(error)


def test_an_encrypted_member_is_refused(tables_zip: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked.csv.zip"
    data = bytearray(tables_zip.read_bytes())
    # set the 'encrypted' flag bit of every local and central header
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            data[start + offset] |= 0x01
            start += 4
    locked.write_bytes(bytes(data))
    error = read_error(locked, "csv-zip")
    assert "encrypted" in str(error)


def test_a_zip_bomb_is_refused_while_unpacking(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.csv.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("roles.csv", b"id,name\n" + b"\n" * (64 << 20))  # 64 MiB of blanks
    assert bomb.stat().st_size < 200_000
    error = read_error(bomb, "csv-zip")
    assert "times its compressed size" in str(error)
    assert "max_ratio" in str(error)


def test_a_member_that_unpacks_past_what_it_declares_is_refused(tmp_path: Path) -> None:
    liar = tmp_path / "liar.csv.zip"
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_STORED) as packed:
        packed.writestr("roles.csv", b"id,name\na,A\nb,B\n")
    data = bytearray(liar.read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 24:central + 28] = (4).to_bytes(4, "little")  # declared size: 4 bytes
    liar.write_bytes(bytes(data))
    error = read_error(liar, "csv-zip")
    assert isinstance(error, InvalidInputError)


# --- CSV --------------------------------------------------------------------------------------

def test_ten_thousand_columns_build_the_schema_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    schema = pl.DataFrame.schema

    def counting(self: pl.DataFrame) -> Any:
        nonlocal calls
        calls += 1
        return schema.fget(self)  # type: ignore[attr-defined]

    monkeypatch.setattr(pl.DataFrame, "schema", property(counting))
    header = ",".join(f"q{i}" for i in range(10_000))
    row = ",".join('"3"' for _ in range(10_000))
    table = parse_table(f"{header}\n{row}\n".encode(), "wide.csv")
    assert len(table.header) == 10_000
    assert calls < 10  # was once per column: quadratic in the width
    table.unguarded()
    assert calls < 20


def test_a_nul_byte_far_into_a_csv_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    rows = "".join(f"r{i},nurse,doctor,frequent,4\n" for i in range(1000))
    path.write_bytes(b"respondent,source,target,item,value\n" + rows.encode()
                     + b"r9,nur\x00se,doctor,frequent,4\n")
    error = read_error(path, "csv-long", values="positions")
    assert isinstance(error, InvalidInputError)
    assert error.location.startswith(f"{path}:1002:")


def test_a_parser_panic_is_relcoords_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def panic(*args: object, **kwargs: object) -> None:
        raise pl.exceptions.PanicException("capacity overflow")

    monkeypatch.setattr(pl, "read_csv", panic)
    with pytest.raises(InvalidInputError, match="cannot parse as CSV"):
        parse_table(b"a,b\n1,2\n", "s.csv")


# --- GraphML ----------------------------------------------------------------------------------

def _graphml(body: str, *, head: str = "", edgedefault: str = "directed") -> str:
    return (f'{head}<graphml xmlns="{GRAPHML_NAMESPACE}">'
            f'<graph edgedefault="{edgedefault}">{body}</graph></graphml>')


@pytest.mark.parametrize(("text", "place", "fragment"), [
    (_graphml('<node id="a"/>', edgedefault="sideways"), "1:", "edgedefault='sideways'"),
    (_graphml('<node id="a"/><edge source="a" target="b"/>'), "1:", "'b' is not a <node>"),
    (_graphml('<node id="a"/><node id="b"/><edge source="a" target="b" directed="maybe"/>'),
     "1:", "directed='maybe'"),
    (_graphml('<node id="a"/>', head='<?xml version="1.0" encoding="x-klingon"?>'), "1:",
     "unknown encoding"),
    (_graphml('<node id="a"><data key="d">' + "<x>" * (MAX_DEPTH + 5) + "</x>"
              * (MAX_DEPTH + 5) + "</data></node>"), "1:", "nested more than"),
])
def test_hostile_graphml_is_a_located_error(tmp_path: Path, text: str, place: str,
                                            fragment: str) -> None:
    path = tmp_path / "g.graphml"
    path.write_text(text, encoding="utf-8")
    error = read_error(path, "graphml")
    assert isinstance(error, InvalidInputError)
    assert error.location.startswith(f"{path}:{place}")
    assert fragment in error.message


def test_the_nesting_limit_is_an_option(tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    nested = "<x>" * 20 + "</x>" * 20
    path.write_text(f'<graphml xmlns="{GRAPHML_NAMESPACE}"><key id="d" for="node" '
                    'attr.name="shape" attr.type="string"/><graph edgedefault="directed">'
                    f'<node id="a"><data key="d">{nested}</data></node></graph></graphml>')
    assert HOST.read(path, format="graphml").role_ids == ("a",)
    error = read_error(path, "graphml", max_depth=10)
    assert "nested more than 10 deep" in str(error)
    assert "max_depth" in str(error)


def test_a_role_is_never_invented_for_an_undeclared_node(tmp_path: Path) -> None:
    path = tmp_path / "g.graphml"
    path.write_text(_graphml('<node id="a"/><edge source="a" target="ghost"/>'))
    with pytest.raises(InvalidInputError, match="ghost"):
        HOST.read(path, format="graphml")


# --- text that is no text ----------------------------------------------------------------

def test_a_nul_in_a_json_role_id_is_refused_at_its_place(tmp_path: Path) -> None:
    document = relcoord.serialization.study_to_mapping(load_example())
    document["roles"][3]["id"] = document["roles"][3]["id"] + "\x00"
    with pytest.raises(InvalidStudyError, match=r"\$\.roles\[3\]\.id: .*NUL"):
        relcoord.load(document)


def test_a_lone_surrogate_is_refused_when_read_not_when_written(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    text = relcoord.dumps(load_example())
    first = load_example().roles[0].name
    path.write_text(text.replace(f'"name": "{first}"', '"name": "\\ud800"', 1))
    error = read_error(path, "json")
    assert "$.roles[0].name" in str(error)
    assert "surrogate" in str(error)


@pytest.mark.parametrize("breaker", ["\x1c", "\x1d", "\x1e", "\x0b", "\x0c", "\x85",
                                     "\u2028", "\u2029"])
def test_line_breaks_only_splitlines_knows_stay_inside_a_tie_list_row(
        breaker: str, tmp_path: Path) -> None:
    path = tmp_path / "t.ties.tsv"
    path.write_text(f"source\ttarget\twave\na{breaker}x\tb\t\nb\tc\t\nc\t\t\n",
                    encoding="utf-8")
    error = read_error(path, "ties-tsv")
    assert isinstance(error, InvalidInputError)
    assert error.location == f"{path}:4:3"  # the line a text editor shows, not one later
    path.write_text(f"source\ttarget\twave\na{breaker}x\tb\t\n", encoding="utf-8")
    study = HOST.read(path, format="ties-tsv")
    assert f"a{breaker}x" in study.role_ids
    out = tmp_path / "back.ties.tsv"
    HOST.write(study, out, format="ties-tsv")
    assert HOST.read(out, format="ties-tsv").ties == study.ties


def test_a_nul_in_a_tie_list_is_located(tmp_path: Path) -> None:
    path = tmp_path / "t.ties.tsv"
    path.write_text("source\ttarget\twave\na\tb\x00c\t\n", encoding="utf-8")
    error = read_error(path, "ties-tsv")
    assert error.location == f"{path}:2:4"  # type: ignore[attr-defined]


# --- item 5: the place in the user's file, not in the sorted study -------------------------

def test_an_export_error_names_the_role_s_index_in_the_users_file(tmp_path: Path) -> None:
    roles = [Role(i, i.upper()) for i in ("d", "e", "b", "c")] + [Role("a", "bad \ufffe")]
    study = Study(metadata=Metadata(id="s"), instrument="rc7", roles=roles,
                  ties=[NamedTie("a", "b")])
    assert study.roles[0].id == "a"  # the study keeps roles sorted
    with pytest.raises(InvalidInputError) as caught:
        graphml_bytes(study)
    assert caught.value.location == "$.roles[4].name"
    path = tmp_path / "s.json"
    relcoord.dump(study, path)  # the canonical file sorts: there the role is first
    with pytest.raises(InvalidInputError) as again:
        graphml_bytes(relcoord.load(path))
    assert again.value.location == "$.roles[0].name"


def test_the_input_order_survives_edits_that_keep_the_role(tmp_path: Path) -> None:
    roles = [Role("b", "B"), Role("a", "A\ufffe")]
    study = Study(metadata=Metadata(id="s"), instrument="rc7", roles=roles)
    edited = attrs.evolve(study, metadata=Metadata(id="t"))
    assert edited.input_path("roles", 0) == "$.roles[1]"
    assert study.input_path("roles", 1) == "$.roles[0]"


def test_line_breaks_only_splitlines_knows_do_not_shift_a_csv_quote_error() -> None:
    data = ("respondent,source,target,item,value\n"
            "r1,a\u2028b,c,frequent,4\nr1,a\x1cb,c,timely,4\n"
            'r2,x,"y"z,frequent,4\n').encode()
    with pytest.raises(InvalidInputError) as caught:
        parse_table(data, "s.csv")
    assert caught.value.location == "s.csv:4:3"
