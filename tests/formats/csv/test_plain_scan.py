"""The compiled scan of plain long files: every file it takes, it reads cell for cell as
polars parses it (the streamed read's batches); anything else it leaves (``None``)."""

from __future__ import annotations

import importlib.util
import mmap
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.formats.csv import plain_scan
from relcoord.formats.csv.hashed_labels import LabelCodes

pytestmark = pytest.mark.skipif(importlib.util.find_spec("numba") is None,
                                reason="numba (the fast extra) not installed")

TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None,
               max_examples=60)
HEADER = ["respondent", "source", "target", "wave", "item", "note", "answer"]
POS = {"respondent": 0, "source": 1, "target": 2, "wave": 3, "item": 4, "value": 6}
FIELDS = ("respondent", "source", "target", "wave", "item")


def _scan(path: Path, sep: str = ",", max_cell_bytes: int = 1 << 20
          ) -> tuple[dict[str, LabelCodes], np.ndarray] | None:
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return plain_scan.scan_plain(data, sep, HEADER, POS, FIELDS, max_cell_bytes)


def _polars(path: Path) -> pl.DataFrame:
    """The file as the streamed read has polars parse it."""
    columns = [f"c{i}" for i in range(len(HEADER))]
    types = dict.fromkeys(columns, pl.String) | {"c6": pl.Float64}
    return pl.read_csv(path, has_header=True, new_columns=columns, infer_schema=False,
                       quote_char='"', empty_string_is_null=False, schema_overrides=types)


def _assert_as_polars(found: tuple[dict[str, LabelCodes], np.ndarray], path: Path) -> None:
    labels, numbers = found
    frame = _polars(path)
    for field in FIELDS:
        coded = labels[field]
        cells = frame.get_column(f"c{POS[field]}").fill_null("").to_list()
        assert [coded.texts[c] for c in coded.codes] == cells
        # codes numbered in order of first appearance, each with its first row
        assert np.array_equal(np.unique(coded.codes, return_index=True)[1], coded.first)
        assert coded.codes.max() + 1 == len(coded.texts) == len(set(coded.texts))
    expected = frame.get_column("c6").to_numpy()
    assert numbers.dtype == np.float64
    assert np.array_equal(numbers.view(np.uint64)[~np.isnan(expected)],
                          expected.view(np.uint64)[~np.isnan(expected)])  # bit for bit
    assert np.array_equal(np.isnan(numbers), np.isnan(expected))


LABEL = st.text(st.characters(min_codepoint=32, max_codepoint=126, exclude_characters=',"'),
                max_size=12)
NUMBER = st.one_of(
    st.just(""),
    st.integers(-10**15 + 1, 10**15 - 1).map(str),
    st.builds(lambda m, k: f"{m / 10**k:.{k}f}", st.integers(-10**9, 10**9),
              st.integers(1, 6)),
)
ROW = st.tuples(*[LABEL] * 6, NUMBER)


@TMP
@given(rows=st.lists(ROW, min_size=1, max_size=60), final_newline=st.booleans(),
       parts=st.sampled_from([1, 2, 3]), segment=st.sampled_from([1, 40, 1 << 26]))
def test_a_plain_file_reads_as_polars_parses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: list[tuple[str, ...]],
    final_newline: bool, parts: int, segment: int,
) -> None:
    """Labels of 0 to 12 printable bytes (spaces kept), answers empty, integers of up to
    15 digits, or decimals: the same cells as polars, the file in one part or cut in
    several (one part per thread on a large file), each part scanned in one segment or in
    several (each segment's pages let go once scanned)."""
    path = tmp_path / "t.csv"
    text = ",".join(HEADER) + "\n" + "\n".join(",".join(r) for r in rows)
    path.write_bytes((text + ("\n" if final_newline else "")).encode())
    monkeypatch.setattr(plain_scan, "_part_count", lambda size: parts)
    monkeypatch.setattr(plain_scan, "_SEGMENT", segment)
    found = _scan(path)
    assert found is not None
    _assert_as_polars(found, path)


def test_many_labels_grow_the_tables_and_join_across_parts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Enough distinct respondents that every part's table grows several times; the later
    parts' codes are mapped to the first part's, in order of first appearance."""
    rng = np.random.default_rng(7)
    people = rng.integers(0, 30_000, size=60_000)
    lines = [f"p{p},r{p % 40},r{p % 7},2019,i{k % 7},x,{k % 5 + 1}"
             for k, p in enumerate(people)]
    path = tmp_path / "t.csv"
    path.write_text(",".join(HEADER) + "\n" + "\n".join(lines) + "\n", encoding="ascii")
    monkeypatch.setattr(plain_scan, "_part_count", lambda size: 2)
    found = _scan(path)
    assert found is not None
    assert len(found[0]["respondent"].texts) == len(set(people.tolist()))
    _assert_as_polars(found, path)


ROW_TEXT = "p1,a,b,2019,frequent,x,3"
REFUSED = {
    "quote in a cell": 'p1,"a",b,2019,frequent,x,3',
    "quote in a skipped cell": 'p1,a,b,2019,frequent,"x",3',
    "carriage return": ROW_TEXT + "\r",
    "beyond ASCII": "pé,a,b,2019,frequent,x,3",
    "NUL byte": "p1,a\x00,b,2019,frequent,x,3",
    "label of 13 bytes": "p123456789012,a,b,2019,frequent,x,3",
    "blank line": "",
    "short record": "p1,a,b,2019,frequent,3",
    "long record": ROW_TEXT + ",9",
    "exponent": "p1,a,b,2019,frequent,x,1e3",
    "plus sign": "p1,a,b,2019,frequent,x,+3",
    "trailing point": "p1,a,b,2019,frequent,x,3.",
    "leading point": "p1,a,b,2019,frequent,x,.5",
    "space in a number": "p1,a,b,2019,frequent,x, 3",
    "minus alone": "p1,a,b,2019,frequent,x,-",
    "sixteen digits": "p1,a,b,2019,frequent,x,1234567890123456",
    "text answer": "p1,a,b,2019,frequent,x,NA",
    "two points": "p1,a,b,2019,frequent,x,1.2.3",
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_anything_else_is_left_to_polars(tmp_path: Path, case: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes((",".join(HEADER) + f"\n{ROW_TEXT}\n{REFUSED[case]}\n{ROW_TEXT}\n")
                     .encode("utf-8"))
    assert _scan(path) is None


def test_a_long_skipped_cell_and_an_odd_header_are_left_to_polars(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(",".join(HEADER) + f"\n{ROW_TEXT}\n"
                    + ROW_TEXT.replace(",x,", ",xxxxxxxxxx,") + "\n", encoding="ascii")
    assert _scan(path, max_cell_bytes=10) is not None
    assert _scan(path, max_cell_bytes=9) is None
    path.write_text('"respondent",' + ",".join(HEADER[1:]) + f"\n{ROW_TEXT}\n", encoding="ascii")
    assert _scan(path) is None
    path.write_text(",".join(HEADER) + "\n", encoding="ascii")  # no record
    assert _scan(path) is None


def test_another_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(";".join(HEADER) + "\n" + ROW_TEXT.replace(",", ";") + "\n"
                    + "p2;b;a;;i;;-0.25\n", encoding="ascii")
    labels, numbers = _scan(path, sep=";") or ({}, np.zeros(0))
    assert labels["wave"].texts == ["2019", ""]
    assert numbers.tolist() == [3.0, -0.25]
    assert _scan(path, sep=",") is None  # one column: not as wide as the header
