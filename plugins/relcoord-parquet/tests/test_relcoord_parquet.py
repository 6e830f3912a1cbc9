"""The Parquet study store: lossless round trips, its layout, and located errors."""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from relcoord import InvalidInputError, InvalidStudyError, Study, dumps, load
from relcoord.cli import cli
from relcoord.example import load_example
from relcoord.plugins import PluginHost
from relcoord.ratings import Ratings
from relcoord.testing import assert_roundtrip
from relcoord.testing.strategies import studies
from relcoord_parquet import read_store, write_store


@cache
def parquet_host() -> PluginHost:
    """One host with only this plugin, shared by the examples of the property test."""
    return PluginHost(environ={"RELCOORD_PLUGINS": "parquet"})


def test_the_example_round_trips_and_is_partitioned_by_wave_and_organisation(
    tmp_path: Path,
) -> None:
    study = load_example()
    assert_roundtrip("parquet", study, tmp_path, host=parquet_host())
    folder = tmp_path / "roundtrip-1.parquet"
    parts = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet"))
    assert parts == [f"ratings/wave={w}/organisation={o}/part-0.parquet"
                     for w in study.waves for o in ("municipality", "school")]
    facts = json.loads((folder / "study.json").read_text(encoding="utf-8"))
    assert facts["ratings"] == []
    assert len(facts["roles"]) == len(study.roles)
    # the same bytes as the JSON study file once read back
    assert dumps(read_store(folder)) == dumps(study)


@given(study=studies(max_roles=4, max_respondents=8, max_ratings=20, max_waves=2))
@settings(max_examples=30, deadline=None)
def test_any_study_round_trips(study: Study) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert_roundtrip("parquet", study, Path(tmp), host=parquet_host())


def test_a_study_without_waves_organisations_or_ratings(tmp_path: Path) -> None:
    source = tmp_path / "bare.json"
    source.write_text(json.dumps({
        "relcoord": "1", "study": {"id": "bare"}, "instrument": "rc7",
        "roles": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "respondents": [{"id": "p", "role": "a"}],
        "ratings": [{"source": "a", "target": "b", "respondent": "p",
                     "scores": {"frequent": 4, "timely": 2}},
                    {"source": "b", "target": "a", "scores": {"frequent": 5}}],
    }), encoding="utf-8")
    study = load(source)
    back = assert_roundtrip("parquet", study, tmp_path, host=parquet_host())
    assert len(back.ratings) == 2
    nothing = attrs.evolve(study, ratings=Ratings.empty(study.ratings.dimensions))
    empty = tmp_path / "empty"
    empty.mkdir()
    write_store(nothing, empty)
    assert dumps(read_store(empty)) == dumps(nothing)


def test_cli_convert_both_ways(tmp_path: Path) -> None:
    source = tmp_path / "example.json"
    source.write_text(dumps(load_example()), encoding="utf-8")
    runner = CliRunner()
    store = tmp_path / "example.parquet"
    result = runner.invoke(cli, ["convert", str(source), str(store)])
    assert result.exit_code == 0, result.output
    assert (store / "study.json").is_file()
    back = tmp_path / "back.json"
    result = runner.invoke(cli, ["convert", str(store), str(back)])
    assert result.exit_code == 0, result.output
    assert back.read_text(encoding="utf-8") == source.read_text(encoding="utf-8")


def _store(tmp_path: Path) -> Path:
    folder = tmp_path / "s.parquet"
    folder.mkdir()
    write_store(load_example(), folder)
    return folder


def test_a_folder_without_study_json_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"no study\.json.*--from parquet-parts"):
        read_store(tmp_path)
    with pytest.raises(InvalidInputError, match="is a folder"):
        read_store(tmp_path / "missing")


def test_an_unknown_role_is_located_in_its_partition_file(tmp_path: Path) -> None:
    folder = _store(tmp_path)
    part = sorted(folder.rglob("*.parquet"))[0]
    table = pq.read_table(part)
    targets = table.column("target").to_pylist()
    targets[2] = "nobody"
    pq.write_table(table.set_column(table.column_names.index("target"), "target",
                                    pa.array(targets)), part)
    with pytest.raises(InvalidStudyError) as caught:
        read_store(folder)
    where = part.relative_to(folder).as_posix()
    assert f"{where}: row 3.target" in str(caught.value)
    assert "unknown role 'nobody'" in str(caught.value)


def test_an_unknown_column_and_a_wrong_organisation_are_refused(tmp_path: Path) -> None:
    folder = _store(tmp_path)
    part = sorted(folder.rglob("*.parquet"))[0]
    table = pq.read_table(part)
    pq.write_table(table.append_column("mood", pa.array([1.0] * table.num_rows)), part)
    with pytest.raises(InvalidInputError, match="unknown column 'mood'"):
        read_store(folder)
    pq.write_table(table, part)
    moved = part.parent.parent / "organisation=elsewhere"
    part.parent.rename(moved)
    with pytest.raises(InvalidInputError, match="partition organisation='elsewhere'"):
        read_store(folder)


def test_a_corrupt_partition_is_a_located_error_through_the_cli(tmp_path: Path) -> None:
    folder = _store(tmp_path)
    sorted(folder.rglob("*.parquet"))[0].write_bytes(b"PAR1 not really")
    result = CliRunner().invoke(cli, ["convert", str(folder), str(tmp_path / "x.json")])
    assert result.exit_code == 1
    assert "not a Parquet file" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.json").exists()
