"""``relcoord analyze STORE --engine dask``: the command line, and the Analysis it gives.

The end-to-end tests: the Analysis JSON of ``--engine dask`` equals the in-memory analysis
(floats to 1e-12, everything else exactly).
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from click.testing import CliRunner
from distributed import Client, LocalCluster
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from relcoord import Study
from relcoord.analysis import analyze as analyze_in_memory
from relcoord.analysis import analyze_parts
from relcoord.cli import cli
from relcoord.example import load_example
from relcoord.plugins import PluginHost
from relcoord.rater_role_blocks import without_rows
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings
from relcoord.testing.analysis_equality import assert_same_analysis
from relcoord.testing.strategies import studies
from relcoord.testing.surveys import care_study
from relcoord_dask import analyze
from relcoord_dask.partitions import plan_store, read_facts
from relcoord_dask.plugin import DASK_ENGINE
from relcoord_dask.rater_roles import blocks_of, parts_of_store
from relcoord_dask.testing import block_part_killing_once, split_files
from relcoord_parquet import write_store

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning",
                                        "ignore::pytest.PytestUnraisableExceptionWarning")



def store(study: Study, folder: Path) -> Path:
    folder.mkdir()
    write_store(study, folder)
    return folder


def two_waves(study: Study, seed: int = 0) -> Study:
    """``study`` surveyed twice: the same respondents, a third of the answers changed."""
    ratings = study.ratings
    rng = np.random.default_rng(seed)
    later = ratings.scores.copy()
    changed = ~np.isnan(later) & (rng.random(later.shape) < 0.3)
    later[changed] = rng.integers(1, 6, int(changed.sum()))
    n = len(ratings)
    twice = Ratings.from_arrays(
        source=np.tile(ratings.source, 2), target=np.tile(ratings.target, 2),
        respondent=np.tile(ratings.respondent, 2), respondents=ratings.respondents,
        scores=np.vstack([ratings.scores, later]), dimensions=ratings.dimensions,
        roles=ratings.roles, wave=np.repeat([0, 1], n), waves=("wave-1", "wave-2"))
    return attrs.evolve(study, ratings=twice)


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def example_store(tmp_path: Path) -> Path:
    return store(load_example(), tmp_path / "example.parquet")


def test_the_plugin_registers_the_dask_engine() -> None:
    host = PluginHost(environ={"RELCOORD_PLUGINS": "dask"})
    assert host.find_engine("dask") is DASK_ENGINE
    assert host.find_engine("memory") is None
    assert host.engine_owner("dask").distribution == "relcoord-dask"


def test_an_unknown_engine_lists_the_installed_ones(example_store: Path) -> None:
    result = run("analyze", str(example_store), "--engine", "spark")
    assert result.exit_code == 1
    assert "no analysis engine 'spark'" in result.output
    assert "memory (built in" in result.output
    assert "dask (a study store analysed partition by partition" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("args", "message"), [
    (("--scheduler", "tcp://x:1"), "the memory engine takes no cluster"),
    (("--engine", "dask", "-E", "threads=2"), "engine 'dask' has no option 'threads'"),
    (("--engine", "dask", "-E", "workers=0"), "-E workers: expected a whole number of at least 1"),
    (("--engine", "dask", "-E", "memory_limit=lots"), "expected a size such as 2GiB"),
    (("--engine", "dask", "--from", "json"), "engine 'dask' reads FILE itself"),
])
def test_options_are_checked_before_any_work(example_store: Path, args: tuple[str, ...],
                                             message: str) -> None:
    result = run("analyze", str(example_store), *args)
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_a_folder_that_is_not_a_store_is_a_located_error(tmp_path: Path) -> None:
    result = run("analyze", str(tmp_path / "none.parquet"), "--engine", "dask")
    assert result.exit_code == 1
    assert "a study store is a folder" in result.output



# --- end to end: the same Analysis as in memory ---------------------------------------------

@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a cluster of two worker processes, as a user gives --scheduler."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      memory_limit="1GiB", dashboard_address=":0",
                      scheduler_kwargs={"dashboard": False}) as cluster:
        yield str(cluster.scheduler_address)


def test_the_command_line_gives_the_analysis_json_of_the_memory_engine(
    scheduler: str, tmp_path: Path,
) -> None:
    folder = store(two_waves(care_study(16, seed=11)), tmp_path / "care.parquet")
    memory = run("analyze", str(folder), "--json", "--compare", "wave-1", "wave-2")
    assert memory.exit_code == 0, memory.output
    on_dask = run("analyze", str(folder), "--json", "--compare", "wave-1", "wave-2",
                  "--engine", "dask", "--scheduler", scheduler, "-E", "rows_per_task=1")
    assert on_dask.exit_code == 0, on_dask.output
    assert_same_analysis(json.loads(on_dask.output), json.loads(memory.output))


def test_the_command_line_analyses_by_rater_role_without_compare(
    scheduler: str, tmp_path: Path,
) -> None:
    """Without --compare the engine runs the pass by rater role (blocks of about 60 rows
    here: several blocks); the JSON is the memory engine's."""
    folder = store(care_study(16, seed=12), tmp_path / "care.parquet")
    memory = run("analyze", str(folder), "--json", "--min-respondents", "3")
    assert memory.exit_code == 0, memory.output
    on_dask = run("analyze", str(folder), "--json", "--min-respondents", "3",
                  "--engine", "dask", "--scheduler", scheduler, "-E", "rows_per_task=1",
                  "-E", "rows_per_block=60")
    assert on_dask.exit_code == 0, on_dask.output
    assert_same_analysis(json.loads(on_dask.output), json.loads(memory.output))
    bad = run("analyze", str(folder), "--engine", "dask", "-E", "rows_per_block=0")
    assert bad.exit_code == 1
    assert "rows_per_block" in bad.output


@given(study=studies(min_roles=2, max_roles=5, max_respondents=12, max_ratings=40,
                     max_waves=2), parts=st.integers(1, 3), seed=st.integers(0, 2**16))
@settings(max_examples=4, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_any_partitioning_gives_the_analysis_of_the_whole(
    scheduler: str, study: Study, parts: int, seed: int,
) -> None:
    expected = analyze_in_memory(study)
    assume(expected.srm is None or expected.srm.converged)  # as below
    with tempfile.TemporaryDirectory() as tmp:
        folder = store(study, Path(tmp) / "s.parquet")
        split_files(folder, parts, seed)
        got = analyze(folder, scheduler, rows_per_task=1, split_rows=15)
        assert_same_analysis(got.to_mapping(), expected.to_mapping())


def test_python_and_a_local_cluster(tmp_path: Path) -> None:
    study = care_study(10, seed=2)
    folder = store(study, tmp_path / "care.parquet")
    got = analyze(folder, workers=1, memory_limit="1GiB", min_respondents=3)
    assert_same_analysis(got.to_mapping(), analyze_in_memory(study, min_respondents=3).to_mapping())


def test_relcoord_plugins_lists_the_engine_and_its_options() -> None:
    result = run("plugins", "--options")
    assert result.exit_code == 0
    assert "  dask                 a study store analysed partition by partition" in result.output
    assert "-E memory_limit=..." in result.output
    report = json.loads(run("plugins", "--json").output)
    (engine,) = [e for e in report["engines"] if e["id"] == "dask"]
    assert set(engine["options"]) == {"scheduler", "workers", "memory_limit", "rows_per_task",
                                      "split_rows", "rows_per_block"}


@given(study=studies(min_roles=2, max_roles=6, max_respondents=12, max_ratings=40,
                     max_waves=2), parts=st.integers(1, 3), seed=st.integers(0, 2**16),
       rows_per_block=st.integers(1, 40), min_respondents=st.sampled_from([1, 2, 3]))
@settings(max_examples=6, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_any_blocks_of_rater_roles_give_the_analysis_of_the_whole(
    scheduler: str, study: Study, parts: int, seed: int, rows_per_block: int,
    min_respondents: int,
) -> None:
    """The pass by rater role (the engine's default): blocks of any size, files split at
    random, privacy withholding some cells; the client finishes from the parts alone."""
    overrides: dict[str, Any] = {"min_respondents": min_respondents,
                                 "min_respondents_override": min_respondents < 3}
    expected = analyze_in_memory(study, **overrides)
    # an SRM fit that did not converge moves with the last bit of its sums (see
    # tests/metrics/test_srm_parts.py)
    assume(expected.srm is None or expected.srm.converged)
    with tempfile.TemporaryDirectory() as tmp:
        folder = store(study, Path(tmp) / "s.parquet")
        split_files(folder, parts, seed)
        got = analyze(folder, scheduler, rows_per_task=1, rows_per_block=rows_per_block,
                      **overrides)
        assert len(got.study.ratings) == 0  # the client never held a rating row
        assert_same_analysis(got.to_mapping(), expected.to_mapping())


def test_a_worker_killed_in_the_pass_by_rater_role_is_recovered_from(
    scheduler: str, tmp_path: Path,
) -> None:
    study = care_study(20, seed=5)
    folder = store(study, tmp_path / "s.parquet")
    split_files(folder, 3, 9)
    plan = plan_store(folder, rows_per_task=1)
    facts = without_rows(read_facts(folder), waves=plan.waves)
    chosen = AnalysisSettings()
    blocks = blocks_of(facts, plan.rows, rows_per_block=len(study.ratings) // 4)
    assert len(blocks) >= 4
    marker = tmp_path / "killed"
    with Client(scheduler) as client:
        before = set(client.run(os.getpid).values())
        parts = parts_of_store(client, facts, plan, blocks, chosen,
                               part_of=functools.partial(block_part_killing_once,
                                                         str(marker)))
        killed = int(marker.read_text(encoding="utf-8"))
        assert killed in before  # a worker died in a block's part ...
        client.wait_for_workers(2, timeout=60)
        assert killed not in set(client.run(os.getpid).values())  # ... was replaced ...
    got = analyze_parts(facts, parts, chosen)  # ... and nothing was lost or doubled
    assert_same_analysis(got.to_mapping(), analyze_in_memory(study).to_mapping())


def test_a_rater_role_in_no_block_stops_the_run(scheduler: str, tmp_path: Path) -> None:
    """Blocks that leave out a rater role would lose its ratings: the pass counts the
    blocks' ratings against the store's files and refuses."""
    study = care_study(10, seed=4)
    folder = store(study, tmp_path / "s.parquet")
    plan = plan_store(folder, rows_per_task=1)
    facts = without_rows(read_facts(folder), waves=plan.waves)
    rated = sorted({study.ratings.roles[s] for s in study.ratings.source.tolist()})
    blocks = [tuple(r for r in facts.role_ids if r != rated[0])]
    with Client(scheduler) as client, pytest.raises(RuntimeError, match="every role"):
        parts_of_store(client, facts, plan, blocks, AnalysisSettings())
