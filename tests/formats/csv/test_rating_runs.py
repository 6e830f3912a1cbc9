"""The linear-time grouping of the long layout: runs grouped by a radix sort exactly as
``np.unique`` groups them, respondents' first ratings found without a sort, and a file read
in order or shuffled giving the same study, located errors included."""

from __future__ import annotations

import csv
import importlib.util
import io
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from relcoord.errors import InvalidStudyError
from relcoord.formats.csv import read_long
from relcoord.formats.csv.rating_runs import _group_runs
from relcoord.formats.csv.study_assembly import _file_order, _first_ratings
from relcoord.model import Study
from relcoord.testing.strategies import studies

TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


ENGINES = ["numpy", pytest.param("numba", marks=pytest.mark.skipif(
    importlib.util.find_spec("numba") is None, reason="numba (the fast extra) not installed"))]


@pytest.mark.parametrize("engine", ENGINES)
@given(size=st.sampled_from([1, 2, 7, 1 << 11, (1 << 11) + 1, 1 << 16, (1 << 16) + 1,
                             5 * 10**8, 1 << 31, (1 << 40) + 3]),
       data=st.data())
def test_group_runs_equals_np_unique(engine: str, size: int, data: st.DataObject) -> None:
    """Both engines, numpy's radix sort and the compiled one, group as np.unique does."""
    keys = data.draw(hnp.arrays(np.int64, st.integers(0, 300),
                                elements=st.integers(0, size - 1)))
    if data.draw(st.booleans()):  # few distinct keys, repeated: runs of one rating
        keys = keys % 5 * (size // 5)
    first, group = _group_runs(keys, size, engine=engine)
    if first is None or group is None:
        assert len(keys) < 2 or bool((np.diff(keys) > 0).all())
        return
    _, want_first, want_group = np.unique(keys, return_index=True, return_inverse=True)
    np.testing.assert_array_equal(first, want_first)
    np.testing.assert_array_equal(group, want_group.reshape(-1))


@given(data=st.data())
def test_first_ratings_equal_the_sorted_path(data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 200))
    codes = np.sort(data.draw(hnp.arrays(np.int32, n, elements=st.integers(0, 20))))
    rows = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, 60)))  # may repeat
    people, first = _first_ratings(codes, rows)
    order = _file_order(codes, rows)
    ordered = codes[order]
    heads = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    np.testing.assert_array_equal(people, ordered[heads])
    np.testing.assert_array_equal(first, order[heads])


def _long_text(study: Study, order: str, rng: random.Random) -> str:
    """``study``'s ratings as a long table: grouped by rating in key order (as exporters
    write it), or every row shuffled."""
    rows = []
    seen = set()
    for rating in study.ratings:
        rating_key = (rating.respondent, rating.source, rating.target, rating.wave)
        if rating_key in seen:  # without a rating column, rows of one key are one rating
            continue
        seen.add(rating_key)
        for key, value in rating.scores.items():
            rows.append([rating.respondent or "", rating.source, rating.target,
                         rating.wave or "", key, "" if value is None else value])
    if order == "shuffled":
        rng.shuffle(rows)
    else:
        rows.sort(key=lambda r: (str(r[0]), str(r[1]), str(r[2]), str(r[3])))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["respondent", "source", "target", "wave", "item", "score"])
    writer.writerows(rows)
    return out.getvalue()


def _store(study: Study) -> tuple[object, ...]:
    r = study.ratings
    return (r.roles, r.respondents, r.waves, r.source.tolist(), r.target.tolist(),
            r.respondent.tolist(), r.wave.tolist(), np.nan_to_num(r.scores, nan=-1).tolist())


@TMP
@given(study=studies(instrument="rc7", with_ties=False, with_invitations=False),
       seed=st.integers(0, 1000))
def test_ordered_and_shuffled_rows_give_the_same_study(
    tmp_path: Path, study: Study, seed: int
) -> None:
    """The fast path (rows in order: runs are ratings) and the general path (shuffled rows:
    the radix grouping) build the same store, rating for rating in the same order."""
    if not len(study.ratings):
        return
    rng = random.Random(seed)
    read = {}
    for order in ("ordered", "shuffled"):
        path = tmp_path / order / "answers.csv"  # one name: the study id comes from it
        path.parent.mkdir(exist_ok=True)
        path.write_text(_long_text(study, order, rng), encoding="utf-8", newline="")
        read[order] = read_long(path, {})
    assert read["ordered"] == read["shuffled"]
    assert _store(read["ordered"]) == _store(read["shuffled"])


def test_a_respondent_in_two_roles_is_located_in_either_order(tmp_path: Path) -> None:
    """The respondent check finds the first rating in the file, grouped or not."""
    body = ["p1,a,b,2019,frequent,3", "p1,a,c,2019,frequent,4", "p2,b,a,2019,frequent,2",
            "p1,c,a,2019,frequent,2"]
    found = []
    for lines in (body, [body[2], body[3], body[0], body[1]]):
        path = tmp_path / "t.csv"
        path.write_text("respondent,source,target,wave,item,score\n" + "\n".join(lines) + "\n")
        with pytest.raises(InvalidStudyError) as caught:
            read_long(path, {})
        found.append([str(p) for p in caught.value.problems])
    assert found[0] == [f"{tmp_path / 't.csv'}:5:2: respondent 'p1' rates from role 'c' "
                        "here, but from 'a' at line 2"]
    assert found[1] == [f"{tmp_path / 't.csv'}:4:2: respondent 'p1' rates from role 'a' "
                        "here, but from 'c' at line 3",
                        f"{tmp_path / 't.csv'}:5:2: respondent 'p1' rates from role 'a' "
                        "here, but from 'c' at line 3"]
