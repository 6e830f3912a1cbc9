"""The compiled path of the long layout: label columns coded cell by cell through their
16-byte views (or hashes, checked), and the runs packed from the codes.  It must read every
file exactly as the general (categorical) path does, problems and their places included."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.errors import InvalidStudyError
from relcoord.formats.csv import long_layout, rating_runs, read_long
from relcoord.formats.csv.hashed_labels import INLINE_BYTES, coding_kernel, label_codes
from relcoord.model import Study
from relcoord.testing.strategies import studies

from .test_rating_runs import _long_text, _store

pytestmark = pytest.mark.skipif(importlib.util.find_spec("numba") is None,
                                reason="numba (the fast extra) not installed")

TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)

LABELS = st.text(alphabet=st.sampled_from("ab1-é\u00ff\u4e2d,\" "), max_size=16)


def _kernels() -> tuple[object, object]:
    kernels = coding_kernel()
    assert kernels is not None
    return kernels


@given(texts=st.lists(LABELS, max_size=300), chunks=st.integers(1, 4))
def test_label_codes_code_equal_texts_alike(texts: list[str], chunks: int) -> None:
    """Every cell's code names its text, distinct texts get distinct codes, numbered in
    order of first appearance, whatever the chunks (short texts by their views, a column
    with a longer one by hashes)."""
    size = max(1, len(texts) // chunks)
    parts = [pl.Series(texts[i:i + size], dtype=pl.String)
             for i in range(0, len(texts), size)] or [pl.Series([], dtype=pl.String)]
    series = pl.concat(parts, rechunk=False)
    coded = label_codes(series, _kernels())  # type: ignore[arg-type]
    assert coded is not None
    assert [coded.texts[c] for c in coded.codes.tolist()] == texts
    assert len(set(coded.texts)) == len(coded.texts)
    firsts = list(dict.fromkeys(texts))
    assert coded.texts == firsts
    assert coded.first.tolist() == [texts.index(t) for t in firsts]


def test_a_null_cell_reads_as_empty() -> None:
    coded = label_codes(pl.Series(["a", None, ""]), _kernels())  # type: ignore[arg-type]
    assert coded is not None
    assert coded.texts == ["a", ""]
    assert coded.codes.tolist() == [0, 1, 1]


def test_long_texts_sharing_a_hash_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two texts of more than 12 bytes that share a hash are caught by the cell check:
    the column is not coded (the caller takes the general path)."""
    long_a, long_b = "a" * (INLINE_BYTES + 1), "b" * (INLINE_BYTES + 1)
    monkeypatch.setattr(pl.Series, "hash",
                        lambda self, seed=0: pl.Series(np.zeros(len(self), dtype=np.uint64)))
    assert label_codes(pl.Series([long_a, long_b]), _kernels()) is None  # type: ignore[arg-type]
    same = label_codes(pl.Series([long_a, long_a]), _kernels())  # type: ignore[arg-type]
    assert same is not None
    assert same.texts == [long_a]


def _read(path: Path, compiled: bool, monkeypatch: pytest.MonkeyPatch) -> Study:
    """``read_long`` by the compiled path (labels parsed as text, coded by the kernels,
    whatever the size) or by the general one (labels parsed as categories)."""
    with monkeypatch.context() as patch:
        patch.setattr(long_layout, "_stream_wanted", lambda path: False)  # see test_streamed_long
        patch.setattr(long_layout, "_labels_as_text", lambda path, opts: compiled)
        patch.setattr(long_layout, "COMPILED_ROWS", 0 if compiled else 1 << 62)
        return read_long(path, {})


def _problems(path: Path, compiled: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with pytest.raises(InvalidStudyError) as caught:
        _read(path, compiled, monkeypatch)
    return [str(p) for p in caught.value.problems]


@TMP
@given(study=studies(instrument="rc7", with_ties=False, with_invitations=False),
       seed=st.integers(0, 1000), order=st.sampled_from(["ordered", "shuffled"]))
def test_the_compiled_path_reads_as_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, study: Study, seed: int, order: str
) -> None:
    """The same study, rating for rating in the same order, rows in order or shuffled."""
    if not len(study.ratings):
        return
    path = tmp_path / "answers.csv"
    path.write_text(_long_text(study, order, random.Random(seed)), encoding="utf-8",
                    newline="")
    compiled, general = _read(path, True, monkeypatch), _read(path, False, monkeypatch)
    assert compiled == general
    assert _store(compiled) == _store(general)


HEADER = "respondent,source,target,wave,item,score\n"
BAD = {
    "unknown item": ["p1,a,b,2019,frequent,3", "p1,a,b,2019,sometimes,4"],
    "empty role": ["p1,a,b,2019,frequent,3", "p2,,b,2019,frequent,4",
                   "p3,a,,2019,frequent,4"],
    "answered twice": ["p1,a,b,2019,frequent,3", "p2,b,a,2019,frequent,2",
                       "p1,a,b,2019,frequent,4"],
    "off the scale": ["p1,a,b,2019,frequent,3", "p1,a,b,2019,timely,9"],
    "two roles": ["p1,a,b,2019,frequent,3", "p1,c,a,2019,frequent,2"],
    "long labels": ["respondent-with-a-long-id,a,b,2019,frequent,3",
                    "respondent-with-a-long-id,a,b,2019,frequent,3"],
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_problems_are_found_and_located_as_by_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "\n".join(BAD[case]) + "\n", encoding="utf-8")
    found = _problems(path, True, monkeypatch)
    assert found == _problems(path, False, monkeypatch)
    assert all(p.startswith(f"{path}:") for p in found)


def test_constants_and_an_empty_respondent(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A wave given as an option and respondents missing from some rows read alike."""
    path = tmp_path / "t.csv"
    path.write_text("respondent,source,target,item,score\np1,a,b,frequent,3\n"
                    ",b,a,frequent,2\np1,a,c,timely,4\n,b,a,timely,5\n", encoding="utf-8")
    for options in ({}, {"wave": "2019"}):
        studies_read = []
        for compiled in (True, False):
            with monkeypatch.context() as patch:
                patch.setattr(long_layout, "_stream_wanted", lambda path: False)
                patch.setattr(long_layout, "_labels_as_text", lambda path, opts, c=compiled: c)
                patch.setattr(long_layout, "COMPILED_ROWS", 0 if compiled else 1 << 62)
                studies_read.append(read_long(path, options))
        assert studies_read[0] == studies_read[1]
        assert _store(studies_read[0]) == _store(studies_read[1])


def test_a_clean_file_takes_the_compiled_path(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The equivalence tests above compare two paths only if the compiled one is taken."""
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "p1,a,b,2019,frequent,3\np2,b,a,2019,timely,2\n", encoding="utf-8")
    taken: list[int] = []
    real = rating_runs.coded_runs

    def counted(*args: object) -> object:
        taken.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(long_layout, "coded_runs", counted)
    _read(path, True, monkeypatch)
    assert taken == [1]
    _read(path, False, monkeypatch)
    assert taken == [1]


def test_shuffled_rows_are_told_from_rows_in_order(tmp_path: Path) -> None:
    """Only the quicker way is chosen by the head of the file (rows in order keep the
    categorical parse, shuffled rows take the compiled path); the study is the same."""
    from relcoord.formats.csv.read_options import parse_read_options

    rows = [f"p{p},a,b,2019,{item},3" for p in range(40)
            for item in ("frequent", "timely", "accurate")]
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    opts = parse_read_options("csv-long", path, {}, "rc7")
    assert long_layout._rows_in_order(path, opts)
    random.Random(1).shuffle(rows)
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    assert not long_layout._rows_in_order(path, opts)
    path.write_bytes(b"respondent,source\x00\n")
    assert long_layout._rows_in_order(path, opts)  # unreadable: the default parse


def test_the_hash_table_grows_across_chunks() -> None:
    """Thousands of distinct labels over several chunks: the table grows (and rehashes)
    while it codes, and every code still names its text."""
    rng = np.random.default_rng(3)
    texts = [f"p{int(i):07d}" for i in rng.integers(0, 5000, 40_000)]
    series = pl.concat([pl.Series(texts[i:i + 7000]) for i in range(0, len(texts), 7000)],
                       rechunk=False)
    coded = label_codes(series, _kernels())  # type: ignore[arg-type]
    assert coded is not None
    assert [coded.texts[c] for c in coded.codes.tolist()] == texts
    assert coded.texts == list(dict.fromkeys(texts))
