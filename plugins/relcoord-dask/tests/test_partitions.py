"""Grouping a store's files by respondent, and reading a group: no cluster needed."""

from __future__ import annotations

import pickle
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from relcoord import InvalidInputError, InvalidStudyError, Study
from relcoord.example import load_example
from relcoord.plugins import read
from relcoord.testing.surveys import care_study
from relcoord_dask.partitions import (
    PartitionGroup,
    StorePart,
    StorePlan,
    plan_store,
    read_facts,
    read_group,
)
from relcoord_dask.testing import split_files
from relcoord_parquet import write_store


def store(study: Study, folder: Path) -> Path:
    folder.mkdir()
    write_store(study, folder)
    return folder


def read_every_group(folder: Path) -> list[Study]:
    plan = plan_store(folder, rows_per_task=1)
    facts = read_facts(folder)
    return [read_group(facts, plan, group) for group in plan.groups]


def rows_of(study: Study) -> list[tuple[object, ...]]:
    ratings = study.ratings
    return sorted(
        (r.respondent or "", r.source, r.target, r.wave or "",
         tuple(-1.0 if v is None else v for v in r.scores.values()))
        for r in ratings)


def test_a_converted_store_is_grouped_by_organisation_over_its_waves(tmp_path: Path) -> None:
    study = load_example()
    plan = plan_store(store(study, tmp_path / "s.parquet"), rows_per_task=1)
    assert plan.waves == study.ratings.waves
    assert [sorted({p.organisation or "" for p in g.parts}) for g in plan.groups] == [
        ["municipality"], ["school"]]
    assert all(sorted(p.wave or "" for p in g.parts) == list(study.waves) for g in plan.groups)
    assert plan.rows == len(study.ratings)
    # packed: everything in one task when the groups are small
    assert len(plan_store(tmp_path / "s.parquet").groups) == 1


def test_files_of_disjoint_respondent_ranges_are_groups_of_their_own(tmp_path: Path) -> None:
    def part(name: str, first: str | None, last: str | None, known: bool = True,
             organisation: str | None = "o") -> StorePart:
        return StorePart(name, "w", organisation, 10, first, last, known)

    from relcoord_dask.partitions import _disjoint_groups

    a, b, c = part("a", "p01", "p10"), part("b", "p11", "p20"), part("c", "p05", "p12")
    nobody = part("n", None, None)
    assert [[p.name for p in g] for g in _disjoint_groups([a, b])] == [["a"], ["b"]]
    # c overlaps both: one group through the chain; a file of anonymous ratings alone
    assert [[p.name for p in g] for g in _disjoint_groups([a, b, c, nobody])] == [
        ["a", "c", "b"], ["n"]]
    # a file without statistics joins every file of its organisation
    unknown = part("u", None, None, known=False)
    assert len(_disjoint_groups([a, b, unknown])) == 1


def test_split_files_give_groups_whose_union_is_the_study(
    tmp_path: Path,
) -> None:
    study = care_study(12, seed=7)
    folder = store(study, tmp_path / "care.parquet")
    split_files(folder, 3, 1)
    plan = plan_store(folder, rows_per_task=1)
    facts = read_facts(folder)
    pieces = [read_group(facts, plan, group) for group in plan.groups]
    people = [set(np.unique(p.ratings.respondent[p.ratings.respondent >= 0]).tolist())
              for p in pieces]
    assert sum(len(p) for p in people) == len(set().union(*people))  # disjoint
    assert sorted(r for p in pieces for r in rows_of(p)) == rows_of(study)
    assert read(folder) == study


def test_an_unknown_role_is_located_in_its_file(tmp_path: Path) -> None:
    folder = store(load_example(), tmp_path / "s.parquet")
    path = next(iter(sorted(folder.rglob("*.parquet"))))
    table = pq.read_table(path)
    targets = table.column("target").to_pylist()
    targets[2] = "nobody"
    pq.write_table(table.set_column(table.column_names.index("target"), "target",
                                    pa.array(targets)), path)
    plan = plan_store(folder)
    name = path.relative_to(folder).as_posix()
    with pytest.raises(InvalidStudyError, match=rf"{name}: row 3.target: unknown role 'nobody'"):
        read_group(read_facts(folder), plan, plan.groups[0])


def test_a_row_in_another_organisations_partition_is_refused(tmp_path: Path) -> None:
    study = load_example()
    folder = store(study, tmp_path / "s.parquet")
    school = sorted(folder.glob("ratings/wave=*/organisation=school/*.parquet"))[0]
    other = sorted(folder.glob("ratings/wave=*/organisation=municipality/*.parquet"))[0]
    moved = pq.read_table(school).slice(0, 1)
    pq.write_table(pa.concat_tables([pq.read_table(other), moved]), other)
    with pytest.raises(InvalidInputError, match=r"partition organisation='municipality' but "
                       r"role .* belongs to 'school'"):
        read_every_group(folder)


def test_a_score_off_the_scale_is_located_by_file_and_row(tmp_path: Path) -> None:
    folder = store(load_example(), tmp_path / "s.parquet")
    path = sorted(folder.rglob("*.parquet"))[1]
    table = pq.read_table(path)
    item = load_example().instrument.keys[0]
    values = table.column(item).to_pylist()
    values[4] = 99.0
    pq.write_table(table.set_column(table.column_names.index(item), item,
                                    pa.array(values, pa.float64())), path)
    name = path.relative_to(folder).as_posix()
    with pytest.raises(InvalidStudyError, match=rf"{name}: row 5.scores.{item}"):
        read_every_group(folder)


def test_what_is_not_a_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="a study store is a folder"):
        read_facts(tmp_path / "missing.parquet")
    (tmp_path / "empty.parquet").mkdir()
    with pytest.raises(InvalidInputError, match=r"no study\.json"):
        read_facts(tmp_path / "empty.parquet")
    folder = store(load_example(), tmp_path / "s.parquet")
    (sorted(folder.rglob("*.parquet"))[0]).write_bytes(b"not parquet")
    with pytest.raises(InvalidInputError, match="cannot read the Parquet partitions"):
        plan_store(folder)


def test_located_errors_survive_pickling() -> None:
    import pickle

    from relcoord_dask.partitions import TransportedInputError

    error = pickle.loads(pickle.dumps(TransportedInputError("a.parquet: row 1", "bad")))
    assert isinstance(error, InvalidInputError)
    assert str(error) == "a.parquet: row 1: bad"


def test_a_store_without_ratings_has_no_groups(tmp_path: Path) -> None:
    study = attrs.evolve(load_example(), ratings=load_example().ratings.select(
        np.zeros(len(load_example().ratings), dtype=bool)))
    plan = plan_store(store(study, tmp_path / "s.parquet"))
    assert plan.groups == ()
    assert isinstance(plan, StorePlan)
    assert PartitionGroup(()).rows == 0


def test_ids_written_as_categories_are_read(tmp_path: Path) -> None:
    study = load_example()
    folder = store(study, tmp_path / "s.parquet")
    for path in folder.rglob("*.parquet"):
        table = pq.read_table(path)
        for name in ("respondent", "source", "target"):
            index = table.column_names.index(name)
            table = table.set_column(index, name, table.column(name).dictionary_encode())
        pq.write_table(table, path)
    assert sorted(r for p in read_every_group(folder) for r in rows_of(p)) == rows_of(study)


def test_a_large_group_is_read_in_shares_of_respondents(tmp_path: Path) -> None:
    study = care_study(12, seed=7)
    folder = store(study, tmp_path / "care.parquet")
    whole = plan_store(folder, rows_per_task=1, split_rows=None)
    plan = plan_store(folder, rows_per_task=1, split_rows=100)
    assert len(plan.groups) > len(whole.groups)
    assert {g.shares for g in plan.groups} != {1}
    facts = read_facts(folder)
    pieces = [read_group(facts, plan, group) for group in plan.groups]
    people = [set(np.unique(p.ratings.respondent[p.ratings.respondent >= 0]).tolist())
              for p in pieces]
    assert sum(len(p) for p in people) == len(set().union(*people))  # disjoint
    assert sorted(r for p in pieces for r in rows_of(p)) == rows_of(study)
    assert plan.rows == whole.rows == len(study.ratings)  # the shares' files counted once


def test_an_error_in_a_share_is_located_in_its_file(tmp_path: Path) -> None:
    folder = store(care_study(8, seed=1), tmp_path / "s.parquet")
    path = sorted(folder.rglob("*.parquet"))[0]
    table = pq.read_table(path)
    item = table.column_names[3]
    values = table.column(item).to_pylist()
    values[6] = 42.0
    pq.write_table(table.set_column(3, item, pa.array(values, pa.float64())), path)
    plan = plan_store(folder, rows_per_task=1, split_rows=10)
    facts = read_facts(folder)
    name = path.relative_to(folder).as_posix()
    found = []
    for group in plan.groups:
        try:
            read_group(facts, plan, group)
        except InvalidStudyError as error:
            found.append(str(error))
    assert len(found) == 1
    assert f"{name}: row 7.scores.{item}" in found[0]


def test_a_group_is_read_within_the_store_reader_s_limits(tmp_path: Path) -> None:
    """A worker reads its files with the store's own reader, so within its byte budget: a
    group larger than ``max_bytes`` is a located error that reaches the client intact."""
    folder = store(load_example(), tmp_path / "s.parquet")
    plan = plan_store(folder)
    group = max(plan.groups, key=lambda g: g.rows)
    with pytest.raises(InvalidInputError, match=r"ratings/.*\.parquet: .*max_bytes") as caught:
        read_group(read_facts(folder), plan, group, max_bytes=200)
    assert isinstance(pickle.loads(pickle.dumps(caught.value)), InvalidInputError)
