"""Bad CSV input: every case gives a located relcoord error (exit 1 on the command line),
never a traceback.  The corpus lives in tests/data/csv/ (small synthetic files)."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from relcoord.cli import cli
from relcoord.errors import InputWarning, InvalidInputError, InvalidStudyError, RelcoordError
from relcoord.formats.csv import (
    CsvEncodingWarning,
    read_long,
    read_relationskort,
    read_wide,
    read_zip,
    write_folder,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"

# file, options, expected error class, "line:column", a fragment of the message
CASES: list[tuple[str, dict[str, Any], type[RelcoordError], str, str]] = [
    ("truncated.csv", {}, InvalidStudyError, "4:4", "found 3; the row is short"),
    ("truncated_quote.csv", {}, InvalidInputError, "3:2", "quoted field is never closed"),
    ("wrong_delimiter.csv", {}, InvalidStudyError, "1:1", "is the delimiter right?"),
    ("semicolon.csv", {"delimiter": ","}, InvalidStudyError, "1:1", "single column"),
    ("missing_column.csv", {}, InvalidStudyError, "1:1", "missing column for target"),
    ("duplicate_column.csv", {}, InvalidStudyError, "1:4", "duplicate column 'target'"),
    ("ambiguous_column.csv", {}, InvalidStudyError, "1:3", "can hold source"),
    ("unknown_role.csv", {"roles": str(DATA / "roles.csv")}, InvalidStudyError, "3:2",
     "unknown rater role 'nurses'"),
    ("text_in_score.csv", {}, InvalidStudyError, "3:6", "'four' is not a number"),
    ("formula_cells.csv", {}, InvalidStudyError, "3:6", "'=1+2' is not a number"),
    ("off_scale.csv", {}, InvalidStudyError, "3:6", "not an answer position 1..5"),
    ("off_scale.csv", {"values": "scores"}, InvalidStudyError, "3:6", "not a score on the"),
    ("unknown_item.csv", {}, InvalidStudyError, "3:5", "unknown item 'speed'"),
    ("empty_item.csv", {}, InvalidStudyError, "3:5", "unknown item ''"),
    ("too_many_fields.csv", {}, InvalidStudyError, "3:7", "found 7"),
    ("two_roles.csv", {}, InvalidStudyError, "3:2", "but from 'teachers' at line 2"),
    ("repeated_answer.csv", {}, InvalidStudyError, "4:5", "answered twice"),
    ("mixed_encoding.csv", {}, InvalidInputError, "3:3", "mixes encodings"),
    ("cp1252.csv", {"encoding": "utf-8"}, InvalidInputError, "2:2", "not valid utf-8"),
    ("empty.csv", {}, InvalidInputError, "1:1", "empty"),
    ("header_only.csv", {}, InvalidInputError, "1:1", "no data rows"),
    ("binary.csv", {}, InvalidInputError, "1:1", "binary file"),
    ("good_long.csv", {"invitations": str(DATA / "invitations_bad_status.csv")},
     InvalidStudyError, "2:4", "unknown invitation status 'maybe'"),
    ("good_long.csv", {"roles": str(DATA / "missing.csv")}, InvalidInputError, "",
     "cannot read the file"),
]


def _where(error: RelcoordError) -> list[str]:
    if isinstance(error, InvalidStudyError):
        return [p.path for p in error.problems]
    assert isinstance(error, InvalidInputError)
    return [error.location]


@pytest.mark.parametrize(("name", "options", "kind", "place", "fragment"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_bad_long_input_gives_a_located_error(
    name: str, options: dict[str, Any], kind: type[RelcoordError], place: str, fragment: str
) -> None:
    with pytest.raises(kind) as info:
        read_long(DATA / name, options)
    assert fragment in str(info.value)
    where = _where(info.value)
    file = str(DATA / (Path(options.get("invitations", "")).name or name))
    if "invitations" in options:
        file = options["invitations"]
    if place:
        assert f"{file}:{place}" in where, where
    else:
        assert any(w.startswith(str(DATA)) for w in where)


def test_size_guard_refuses_a_large_file_with_a_clear_message() -> None:
    with pytest.raises(InvalidInputError, match="larger than the limit of 100 bytes") as info:
        read_long(DATA / "good_long.csv", {"max_bytes": 100})
    assert info.value.location == str(DATA / "good_long.csv")
    assert "option max_bytes" in info.value.message


def test_cp1252_fallback_says_so() -> None:
    with pytest.warns(CsvEncodingWarning, match=r"cp1252\.csv:2:2: not UTF-8.*Windows-1252"):
        study = read_long(DATA / "cp1252.csv", {})
    assert "lærer" in study.role_ids
    assert issubclass(CsvEncodingWarning, InputWarning)  # printed as 'warning: ...'
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)  # notes of the other guesses may come
        assert read_long(DATA / "cp1252.csv", {"encoding": "cp1252"}) == study


def test_formula_cells_are_kept_as_text_and_guarded_on_excel_export(tmp_path: Path) -> None:
    study = read_long(DATA / "formula_roles.csv", {})
    assert "=cmd|' /C calc'!A0" in study.role_ids
    write_folder(study, None, tmp_path / "out", {"profile": "excel"})
    roles = (tmp_path / "out" / "roles.csv").read_text(encoding="utf-8-sig")
    assert "\"'=cmd|' /C calc'!A0\"" in roles or "'=cmd|' /C calc'!A0" in roles
    assert "'@SUM(1)" in roles
    assert "\n=" not in roles
    assert ";=" not in roles


def test_unknown_options_and_bad_option_values_are_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"unknown option 'colums' \(did you mean "
                       r"'columns'\?\)") as caught:
        read_long(DATA / "good_long.csv", {"colums": {}})
    assert "values=auto|positions|scores" in caught.value.message  # every option, with help
    with pytest.raises(InvalidInputError, match="values='codes': expected one of auto, "
                       "positions, scores"):
        read_long(DATA / "good_long.csv", {"values": "codes"})
    with pytest.raises(InvalidInputError, match="max_bytes='lots': expected a whole number"):
        read_long(DATA / "good_long.csv", {"max_bytes": "lots"})
    with pytest.raises(InvalidInputError, match="instrument='rc9': expected a built-in"):
        read_long(DATA / "good_long.csv", {"instrument": "rc9"})
    with pytest.raises(InvalidInputError, match="does not have"):
        read_wide(DATA / "wide_danish.csv", {"items": {"Kommentar": "speed"}})


def test_wide_and_relationskort_errors_are_located(tmp_path: Path) -> None:
    bad = tmp_path / "w.csv"
    bad.write_text("respondent,role,target,RC1_COM,RC2_COM\nr1,a,b,3,x\n", encoding="utf-8")
    with pytest.raises(InvalidStudyError) as info:
        read_wide(bad, {})
    assert any(p.path == f"{bad}:1:1" and "no column for item(s) accurate" in p.message
               for p in info.value.problems)
    with pytest.raises(InvalidStudyError) as info:
        read_relationskort(bad, {"items": {"RC2_COM": "timely"}})
    assert [p.path for p in info.value.problems] == [f"{bad}:2:5"]


def test_zip_guards(tmp_path: Path) -> None:
    not_zip = tmp_path / "x.zip"
    not_zip.write_bytes(b"not a zip")
    with pytest.raises(InvalidInputError, match="not a readable zip"):
        read_zip(not_zip, {})
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ratings.csv", "rating,source,target,item,score\n" + "1,a,b,frequent,3\n"
                         * 20000)
    with pytest.raises(InvalidInputError, match=r"unpack to .* more than the limit"):
        read_zip(big, {"max_bytes": 10000})
    odd = tmp_path / "odd.zip"
    with zipfile.ZipFile(odd, "w") as archive:
        archive.writestr("rolls.csv", "id\na\n")
    with pytest.raises(InvalidInputError, match=r"unknown table 'rolls\.csv'"):
        read_zip(odd, {})


@pytest.mark.parametrize("name", ["truncated.csv", "mixed_encoding.csv", "text_in_score.csv",
                                  "binary.csv", "duplicate_column.csv"])
def test_command_line_exits_1_with_a_located_message(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out.json"
    result = CliRunner().invoke(cli, ["convert", str(DATA / name), str(out),
                                      "--from", "csv-long"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"error: {DATA / name}:" in result.output
    assert not out.exists()


def test_command_line_size_guard(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["convert", str(DATA / "good_long.csv"),
                                      str(tmp_path / "o.json"), "-I", "max_bytes=50"])
    assert result.exit_code == 1
    assert "larger than the limit of 50 bytes" in result.output
