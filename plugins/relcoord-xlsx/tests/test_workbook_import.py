"""The xlsx importer: the same survey in a workbook and in a CSV file gives the same study;
Danish headers, Excel dates and numbers stored as text; roles, ties and invitations
sheets; and every kind of bad workbook refused at its cell, with exit status 1 and nothing
written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from relcoord.cli import cli
from relcoord.errors import InvalidInputError, InvalidStudyError
from relcoord.formats.csv import read_long, read_relationskort, read_wide
from relcoord.model import Study
from relcoord.testing.conformance import study_differences
from relcoord.testing.strategies import studies
from relcoord_xlsx.sheets import EXCEL_MAX_ROWS
from relcoord_xlsx.workbook_import import read_xlsx

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "csv"
TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


def _cell(text: str, as_text: bool) -> Any:
    """A CSV cell as Excel would hold it: a whole number as a number, unless ``as_text``."""
    if not as_text and text.strip().lstrip("-").isdigit():
        return int(text)
    return text


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def csv_rows(path: Path, *, as_text: bool = False) -> list[list[Any]]:
    text = path.read_bytes().decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    return [rows[0], *([_cell(c, as_text) for c in row] for row in rows[1:] if row)]


def quiet(read: Any, *args: Any) -> Study:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        study: Study = read(*args)
    return study


@pytest.mark.parametrize("as_text", [False, True], ids=["numbers", "numbers-as-text"])
@pytest.mark.parametrize(("name", "reader", "options"), [
    ("good_long.csv", read_long, {}),
    ("wide_danish.csv", read_wide, {"decimal": ",", "values": "positions"}),
    ("relationskort.csv", read_relationskort, {}),
])
def test_a_workbook_holds_the_same_survey_as_its_csv(tmp_path: Path, name: str, reader: Any,
                                                     options: dict[str, str],
                                                     as_text: bool) -> None:
    source = DATA / name
    expected = quiet(reader, source, options)
    book = workbook(tmp_path / name.replace(".csv", ".xlsx"),
                    {"Ark1": csv_rows(source, as_text=as_text)})
    back = quiet(read_xlsx, book, options)
    assert study_differences(expected, back) == []


def test_the_danish_excel_export_with_its_roles(tmp_path: Path) -> None:
    folder = DATA / "danish_excel"
    roles = tmp_path / "roles.csv"
    roles.write_bytes((folder / "roles.csv").read_bytes())
    expected = quiet(read_wide, folder / "survey.csv",
                     {"roles": str(roles), "values": "positions"})
    book = workbook(tmp_path / "survey.xlsx", {
        "Besvarelser": csv_rows(folder / "survey.csv"),
        "Roller": csv_rows(folder / "roles.csv"),
    })
    back = quiet(read_xlsx, book, {"values": "positions"})
    assert study_differences(expected, back) == []
    assert back.role("Lærere").names  # the roles sheet's Navn_en column


def _long_rows(study: Study, rng: random.Random) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for n, rating in enumerate(study.ratings):
        for key, value in rating.scores.items():
            rows.append([n, rating.respondent or "", rating.source, rating.target,
                         rating.wave or "", key, value])
    rng.shuffle(rows)
    return [["rating", "respondent", "source", "target", "wave", "item", "score"], *rows]


@TMP
@given(study=studies(instrument="rc7", with_ties=False, with_invitations=False),
       seed=st.integers(0, 1000))
def test_any_generated_survey_reads_the_same_from_csv_and_workbook(
        tmp_path: Path, study: Study, seed: int) -> None:
    rows = _long_rows(study, random.Random(seed))
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in row] for row in rows])
    (tmp_path / "s.csv").write_text(text.getvalue(), encoding="utf-8")
    book = workbook(tmp_path / "s.xlsx", {"data": rows})
    if not study.ratings:
        return
    assert study_differences(quiet(read_long, tmp_path / "s.csv", {}),
                             quiet(read_xlsx, book, {})) == []


def test_excel_dates_text_numbers_and_side_sheets(tmp_path: Path) -> None:
    arrows = workbook(tmp_path / "arrows.xlsx", {
        "Relationskort": [["Fra gruppe", "Til gruppe", "Konference", "Hyppig", "Rettidig"],
                          ["teachers", "kui", dt.datetime(2019, 11, 5), 4, "3"],
                          [], ["Lærere", "teachers", dt.datetime(2019, 11, 5), " 2 ", None]],
        "Roller": [["Kode", "Navn", "Til stede"], ["teachers", "Lærere", "ja"],
                   ["kui", "KUI", "nej"]],
        "Invitationer": [["Fra", "Til", "Emne", "Status"],
                         ["Lærere", "KUI", "Fravær", "Accepteret"],
                         ["kui", "teachers", "Overlevering", "ubesvaret"]],
    })
    study = quiet(read_xlsx, arrows, {})
    assert {(t.source, t.target, t.wave) for t in study.ties} == {
        ("teachers", "kui", "2019-11-05"), ("teachers", "teachers", "2019-11-05")}
    scores = {(r.source, r.target): dict(r.scores) for r in study.ratings}
    assert scores[("teachers", "kui")] == {"frequent": 4.0, "timely": 3.0,
                                           "accurate": None, "problem_solving": None}
    assert scores[("teachers", "teachers")]["frequent"] == 2.0
    assert {(i.source, i.target, i.status) for i in study.invitations} == {
        ("teachers", "kui", "accepted"), ("kui", "teachers", "pending")}
    assert {r.id: r.present for r in study.roles} == {"teachers": True, "kui": False}


def _error(path: Path, options: dict[str, Any] | None = None) -> str:
    with pytest.raises((InvalidInputError, InvalidStudyError)) as caught:
        quiet(read_xlsx, path, options or {})
    return str(caught.value)


def test_problems_are_located_at_their_cell(tmp_path: Path) -> None:
    book = workbook(tmp_path / "b.xlsx", {"Svar": [
        ["respondent", "source", "target", "item", "answer"],
        ["r1", "teachers", "kui", "frequent", 3],
        ["r1", "teachers", "kui", "nonsense", 3],
        ["r2", "kui", "teachers", "timely", 9],
    ]})
    message = _error(book)
    assert f"{book}!Svar!D3: unknown item 'nonsense'" in message
    message = _error(workbook(tmp_path / "c.xlsx", {"Svar": [
        ["respondent", "source", "target", "item", "answer"],
        ["r2", "kui", "teachers", "timely", 9]]}))
    assert f"{tmp_path / 'c.xlsx'}!Svar!E2: 9 is not an answer position" in message
    message = _error(workbook(tmp_path / "d.xlsx", {"Svar": [
        ["respondent", "source", "item", "answer"], ["r2", "kui", "timely", 2]]}))
    assert f"{tmp_path / 'd.xlsx'}!Svar!A1: missing column for target" in message


def test_the_header_may_start_lower_down(tmp_path: Path) -> None:
    book = workbook(tmp_path / "b.xlsx", {"Svar": [
        [], ["source", "target", "item", "answer"], ["kui", "teachers", "timely", 9]]})
    assert f"{book}!Svar!D3: 9 is not an answer position" in _error(book)


def test_header_cells_and_other_records_are_named_as_excel_does(tmp_path: Path) -> None:
    """The worksheet's location hooks: a header cell below row 1, the header as a whole at
    its first cell, and another record named by its Excel row (a CSV file says line)."""
    book = workbook(tmp_path / "h.xlsx", {"Svar": [
        [], [], ["respondent", "source", "target", "item", "answer", "Answer"],
        ["r1", "kui", "teachers", "timely", 2, 2]]})
    message = _error(book)
    assert f"{book}!Svar!F3: duplicate column 'Answer' (also column 5)" in message
    message = _error(workbook(tmp_path / "m.xlsx", {"Svar": [
        [], ["respondent", "source", "item", "answer"], ["r2", "kui", "timely", 2]]}))
    assert f"{tmp_path / 'm.xlsx'}!Svar!A2: missing column for target" in message
    roles = workbook(tmp_path / "r.xlsx", {
        "Svar": [["respondent", "source", "target", "item", "answer"],
                 ["r1", "kui", "teachers", "timely", 2]],
        "Roller": [["id", "name"], ["kui", "Kui"], ["teachers", "Lærere"], ["kui", "Kui"]]})
    assert (f"{roles}!Roller!A4: duplicate role id 'kui' (first at row 2)"
            in _error(roles))


def test_formulas_error_values_and_merged_cells_are_refused(tmp_path: Path) -> None:
    path = workbook(tmp_path / "f.xlsx", {"Svar": [
        ["source", "target", "item", "answer"], ["kui", "teachers", "timely", "=1+2"]]})
    assert f"{path}!Svar!D2: the cell holds a formula (=1+2)" in _error(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "Svar"
    sheet.append(["source", "target", "item", "answer"])
    sheet.append(["kui", "teachers", "timely", 2])
    sheet.append(["kui", "teachers", "frequent", 2])
    sheet.merge_cells("A2:A3")
    book.save(tmp_path / "m.xlsx")
    message = _error(tmp_path / "m.xlsx")
    assert f"{tmp_path / 'm.xlsx'}!Svar!A2: merged cells (A2:A3)" in message
    sheet.unmerge_cells("A2:A3")
    sheet["A3"] = "kui"
    sheet["D2"] = "#N/A"
    sheet["D2"].data_type = "e"
    book.save(tmp_path / "e.xlsx")
    assert f"{tmp_path / 'e.xlsx'}!Svar!D2: the cell holds the error value #N/A" in _error(
        tmp_path / "e.xlsx")


def test_a_sheet_reaching_excels_last_row_is_refused(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Svar"
    sheet.append(["source", "target", "item", "answer"])
    sheet.append(["kui", "teachers", "timely", 2])
    sheet.cell(row=EXCEL_MAX_ROWS, column=1, value="kui")
    book.save(tmp_path / "huge.xlsx")
    assert f"{tmp_path / 'huge.xlsx'}!Svar!A{EXCEL_MAX_ROWS}: the sheet reaches Excel's last " \
        "row" in _error(tmp_path / "huge.xlsx")


def test_encrypted_corrupt_and_missing_sheets(tmp_path: Path) -> None:
    encrypted = tmp_path / "secret.xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert "encrypted (password-protected)" in _error(encrypted)
    good = workbook(tmp_path / "good.xlsx", {"Svar": [["source", "target", "item", "answer"],
                                                      ["kui", "teachers", "timely", 2]]})
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:-300])
    assert "not a readable .xlsx workbook" in _error(truncated)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(info, data)
    assert "not a readable .xlsx workbook" in _error(broken) or "broken.xlsx" in _error(broken)
    assert f"{good}!Besvarelser: no such sheet" in _error(good, {"sheet": "Besvarelser"})
    assert f"{good}!roller: no such sheet for the roles" in _error(good, {"roles": "roller"})
    assert "more than the limit of 100" in _error(good, {"max_bytes": "100"})


def test_bad_workbooks_exit_1_without_a_traceback_or_output(tmp_path: Path,
                                                            relcoord_host: Any) -> None:
    path = workbook(tmp_path / "f.xlsx", {"Svar": [
        ["source", "target", "item", "answer"], ["kui", "teachers", "timely", "=1+2"]]})
    out = tmp_path / "study.json"
    result = CliRunner().invoke(cli, ["convert", str(path), str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{path}!Svar!D2" in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_an_answers_sheet_named_like_a_side_sheet(tmp_path: Path) -> None:
    """"Pile" is the Danish name of the ties sheet; named as the answers sheet, its
    ratings are read, not dropped."""
    book = workbook(tmp_path / "pile.xlsx", {"Pile": [
        ["Fra gruppe", "Til gruppe", "Hyppig"], ["teachers", "kui", 4]]})
    as_ties = quiet(read_xlsx, book, {})
    assert len(as_ties.ties) == 1
    assert not as_ties.ratings
    arrows = quiet(read_xlsx, book, {"sheet": "Pile"})
    assert len(arrows.ties) == 1
    assert len(arrows.ratings) == 1


def test_a_header_that_fits_another_layout_names_the_layout_option(tmp_path: Path) -> None:
    book = workbook(tmp_path / "wide.xlsx", {"Svar": [
        ["respondent", "source", "target", "frequent", "timely"], ["r1", "a", "b", 1, 2]]})
    message = _error(book, {"layout": "long"})
    assert "read it with --from xlsx -I layout=wide" in message


def _limited_book(path: Path, name: str = "nurse", extra: int = 0) -> Path:
    header = ["respondent", "source", "target", "item", "value"]
    return workbook(path, {"Svar": [
        header, ["r1", name, "doctor", "frequent", 4, *([None] * (extra - 1)),
                 *(["stray"] if extra else [])]]})


def test_a_text_longer_than_max_cell_bytes_is_refused_at_its_cell(tmp_path: Path) -> None:
    path = _limited_book(tmp_path / "long.xlsx", name="ø" * 60)  # 120 bytes in UTF-8
    with pytest.raises(InvalidInputError) as caught:
        quiet(read_xlsx, path, {"values": "positions", "max_cell_bytes": 100})
    assert caught.value.location == f"{path}!Svar!B2"
    assert "a cell of 120 bytes, more than the limit of 100 bytes" in caught.value.message
    assert "-I max_cell_bytes=BYTES" in caught.value.message
    study = quiet(read_xlsx, path, {"values": "positions", "max_cell_bytes": 120})
    assert "ø" * 60 in study.role_ids


def test_a_value_past_max_columns_is_refused_at_its_column(tmp_path: Path) -> None:
    path = _limited_book(tmp_path / "wide.xlsx", extra=20)
    with pytest.raises(InvalidInputError) as caught:
        quiet(read_xlsx, path, {"values": "positions", "max_columns": 10})
    assert caught.value.location == f"{path}!Svar!K2"
    assert "more than the limit of 10; raise the option max_columns" in caught.value.message
    assert len(quiet(read_xlsx, path, {"values": "positions"}).ratings) == 1


@pytest.mark.parametrize("option", ["max_columns", "max_cell_bytes"])
def test_a_limit_below_one_is_an_error(tmp_path: Path, option: str) -> None:
    path = _limited_book(tmp_path / "book.xlsx")
    result = CliRunner().invoke(cli, ["validate", str(path), "-I", f"{option}=-1"])
    assert result.exit_code == 1, result.output
    assert f"option {option}=" in result.stderr


def test_a_part_whose_compressed_data_is_damaged_is_a_located_error(tmp_path: Path) -> None:
    """A part whose deflate stream is broken (found by the fuzz test): zlib's own error is
    the importer's located error, not the plugin host's catch-all."""
    good = tmp_path / "good.xlsx"
    Workbook().save(good)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        info = archive.infolist()[0]
    assert info.compress_type == zipfile.ZIP_DEFLATED
    # the local header: 30 bytes, the name and the extra field, then the compressed data,
    # whose first byte 0xFF declares the reserved block type 3
    start = info.header_offset + 30 + len(info.filename.encode()) + int.from_bytes(
        data[info.header_offset + 28: info.header_offset + 30], "little")
    data[start] = 0xFF
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(data))
    with pytest.raises(InvalidInputError, match=r"not a readable \.xlsx workbook") as error:
        read_xlsx(bad, {})
    assert str(bad) in str(error.value)
