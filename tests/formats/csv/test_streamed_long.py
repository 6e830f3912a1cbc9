"""The streamed path of the long layout: the file parsed in batches, labels coded as they
come.  It must read every file exactly as the general path does, notes included, and leave
every problem to the general path, which locates it."""

from __future__ import annotations

import importlib.util
import random
import warnings
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.errors import ImportNote, InvalidInputError, InvalidStudyError
from relcoord.formats.csv import long_layout, read_long
from relcoord.model import Study
from relcoord.testing.strategies import studies

from .test_hashed_labels import BAD, HEADER
from .test_rating_runs import _long_text, _store

pytestmark = pytest.mark.skipif(importlib.util.find_spec("numba") is None,
                                reason="numba (the fast extra) not installed")

TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


def _read(path: Path, streamed: bool, monkeypatch: pytest.MonkeyPatch,
          options: dict[str, str] | None = None) -> tuple[Study, list[str], int]:
    """``read_long`` with the streamed path tried (whatever the size) or not, the notes
    and warnings it gave, and how many times the streamed path gave the ratings."""
    taken: list[int] = []
    real = long_layout._streamed_ratings

    def counted(*args: object) -> object:
        found = real(*args)  # type: ignore[arg-type]
        taken.extend([1] if found is not None else [])
        return found

    with monkeypatch.context() as patch, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        patch.setattr(long_layout, "_stream_wanted", lambda path: streamed)
        patch.setattr(long_layout, "_streamed_ratings", counted)
        study = read_long(path, options or {})
    return study, [str(w.message) for w in caught], len(taken)


def _problems(path: Path, streamed: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with pytest.raises((InvalidStudyError, InvalidInputError)) as caught:
        _read(path, streamed, monkeypatch)
    error = caught.value
    return ([str(p) for p in error.problems] if isinstance(error, InvalidStudyError)
            else [str(error)])


@TMP
@given(study=studies(instrument="rc7", with_ties=False, with_invitations=False),
       seed=st.integers(0, 1000), order=st.sampled_from(["ordered", "shuffled"]))
def test_the_streamed_path_reads_as_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, study: Study, seed: int, order: str
) -> None:
    """The same study, rating for rating in the same order, and the same notes."""
    if not len(study.ratings):
        return
    path = tmp_path / "answers.csv"
    text = _long_text(study, order, random.Random(seed))
    path.write_text(text, encoding="utf-8", newline="")
    streamed, notes, taken = _read(path, True, monkeypatch)
    general, general_notes, _ = _read(path, False, monkeypatch)
    assert streamed == general
    assert _store(streamed) == _store(general)
    assert notes == general_notes
    if text.isascii() and '"' not in text:
        assert taken == 1  # the common case is streamed


@pytest.mark.parametrize("case", sorted(BAD))
def test_problems_are_left_to_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "\n".join(BAD[case]) + "\n", encoding="utf-8")
    found = _problems(path, True, monkeypatch)
    assert found == _problems(path, False, monkeypatch)
    assert all(p.startswith(f"{path}:") for p in found)


ROWS = ["p1,a,b,2019,frequent,3", "p1,a,b,2019,timely,4", "p2,b,a,2019,frequent,2"]
ODD = {  # files the streamed path leaves to the general one, read or refused alike
    "quoted": HEADER + '"p1",a,b,2019,frequent,3\np2,b,a,2019,timely,2\n',
    "semicolons": HEADER.replace(",", ";") + "\n".join(r.replace(",", ";") for r in ROWS),
    "crlf": HEADER.replace("\n", "\r\n") + "\r\n".join(ROWS) + "\r\n",
    "blank line": HEADER + ROWS[0] + "\n\n" + "\n".join(ROWS[1:]) + "\n",
    "short row": HEADER + ROWS[0] + "\np1,a,b,2019,timely\n" + ROWS[2] + "\n",
    "long row": HEADER + ROWS[0] + ",9\n" + "\n".join(ROWS[1:]) + "\n",
    "short and long": HEADER + ROWS[0] + ",9\np1,a,b,2019,timely\n" + ROWS[2] + "\n",
    "missing markers": HEADER + ROWS[0] + "\np1,a,b,2019,timely,NA\n" + ROWS[2] + "\n",
    "text answer": HEADER + ROWS[0] + "\np1,a,b,2019,timely,often\n" + ROWS[2] + "\n",
    "empty answer": HEADER + ROWS[0] + "\np1,a,b,2019,timely,\n" + ROWS[2] + "\n",
    "empty respondent": HEADER + ",a,b,2019,frequent,3\n" + "\n".join(ROWS) + "\n",
    "rating column": "rating," + HEADER + "\n".join(f"r{i},{r}" for i, r in enumerate(ROWS)),
    "utf-8": HEADER + "\n".join(r.replace("p1", "pé") for r in ROWS) + "\n",
    "no final newline": HEADER + "\n".join(ROWS),
    "nul byte": HEADER + ROWS[0] + "\np1,a\x00,b,2019,timely,4\n" + ROWS[2] + "\n",
    "ambiguous values": "respondent,source,target,wave,item,value\n" + ROWS[0]
    + "\np1,a,b,2019,timely,2\n",
}


@pytest.mark.parametrize("case", sorted(ODD))
def test_other_files_read_or_fail_as_by_the_general_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(ODD[case].encode())
    try:
        general, general_notes, _ = _read(path, False, monkeypatch)
    except (InvalidStudyError, InvalidInputError):
        assert _problems(path, True, monkeypatch) == _problems(path, False, monkeypatch)
        return
    streamed, notes, _ = _read(path, True, monkeypatch)
    assert streamed == general
    assert _store(streamed) == _store(general)
    assert notes == general_notes


def test_a_clean_file_is_streamed_and_notes_once(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests above compare two paths only if the streamed one is taken; its notes are
    written once (none from an attempt that gave up)."""
    path = tmp_path / "t.csv"
    path.write_text("Respondent,Rater,Target,Wave,Item,Answer,Comment\n"
                    + "\n".join(f"{r},x" for r in ROWS) + "\n", encoding="utf-8")
    study, notes, taken = _read(path, True, monkeypatch, {"values": "positions"})
    assert taken == 1
    general, general_notes, _ = _read(path, False, monkeypatch, {"values": "positions"})
    assert study == general
    assert notes == general_notes
    assert len(notes) == len(set(notes)) >= 2  # the columns guessed, the comment ignored
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImportNote)
        assert _read(path, True, monkeypatch, {"wave": "2020", "values": "positions"})[2] == 1


def test_long_labels_sharing_a_hash_leave_the_streamed_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Labels longer than a view are keyed by hash and checked cell by cell: two that
    share a hash are caught, and the general path reads the file."""
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "respondent-number-one,a,b,2019,frequent,3\n"
                    "respondent-number-two,a,b,2019,frequent,4\n", encoding="utf-8")
    general, _, _ = _read(path, False, monkeypatch)
    assert _read(path, True, monkeypatch)[2] == 1  # distinct hashes: streamed
    monkeypatch.setattr(pl.Series, "hash",
                        lambda self, seed=0: pl.Series(np.zeros(len(self), dtype=np.uint64)))
    study, _, taken = _read(path, True, monkeypatch)
    assert taken == 0
    assert study == general
    assert len(study.ratings) == 2
