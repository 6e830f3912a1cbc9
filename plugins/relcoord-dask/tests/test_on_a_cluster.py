"""The partitioned reduction on a real ``LocalCluster`` (two worker processes, memory limits).

One cluster serves the whole module (a start takes seconds).  The reduction is checked
with [`TieStatistics`][relcoord.metrics.tie_statistics.TieStatistics], the mergeable statistics
relcoord has: merged over the groups of any partitioning of the files on the workers, they equal
the statistics of the whole study (counts exactly, float sums to 1e-12); and with the ratings
summary, gathered and merged on the client, which equals the whole study's exactly.  The
end-to-end test of ``relcoord analyze --engine dask`` is in ``test_engine.py``.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from distributed import Client, LocalCluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord import InvalidInputError, InvalidStudyError, Study
from relcoord.plugins import read
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies
from relcoord.testing.surveys import care_study
from relcoord_dask.cluster import connect
from relcoord_dask.partitions import plan_store, read_facts
from relcoord_dask.reduction import summarise_store
from relcoord_dask.summary import merged, summary_of
from relcoord_dask.testing import kill_once, split_files, tie_statistics
from relcoord_parquet import write_store

#: distributed leaves sockets to the garbage collector when a worker dies or a cluster closes
pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning",
                                        "ignore::pytest.PytestUnraisableExceptionWarning")

@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two worker processes with a memory limit of 1 GiB each, one thread each."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      memory_limit="1GiB", dashboard_address=":0",
                      scheduler_kwargs={"dashboard": False}) as cluster, \
            Client(cluster) as client:
        yield client


# the functions sent to the workers live in relcoord_dask.testing: a worker cannot import a
# test module, which pytest imports from its path
statistics = tie_statistics
ratings_summary = functools.partial(summary_of, settings=AnalysisSettings())


def store(study: Study, folder: Path) -> Path:
    folder.mkdir()
    write_store(study, folder)
    return folder


def test_the_workers_have_their_memory_limits(client: Client) -> None:
    workers = client.scheduler_info()["workers"].values()
    assert [w["memory_limit"] for w in workers] == [2**30, 2**30]


def test_a_realistic_study_merged_on_the_cluster_equals_the_whole(
    client: Client, tmp_path: Path,
) -> None:
    study = care_study(16, seed=3)  # unequal groups, missing answers
    folder = store(study, tmp_path / "care.parquet")
    split_files(folder, 4, 2)
    plan = plan_store(folder, rows_per_task=1)
    assert len(plan.groups) > 2
    got = summarise_store(client, read_facts(folder), plan, statistics, fan_in=2)
    assert got.equals(statistics(study), rtol=1e-12)


@given(study=studies(min_roles=2, max_roles=5, max_respondents=12, max_ratings=40,
                     max_waves=2, with_ties=False, with_invitations=False),
       parts=st.integers(1, 3), seed=st.integers(0, 2**16), fan_in=st.integers(2, 4),
       split_rows=st.none() | st.integers(1, 30))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
          HealthCheck.function_scoped_fixture])
def test_any_partitioning_merges_to_the_statistics_of_the_whole(
    client: Client, study: Study, parts: int, seed: int, fan_in: int, split_rows: int | None,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = store(study, Path(tmp) / "s.parquet")
        split_files(folder, parts, seed)
        plan = plan_store(folder, rows_per_task=1, split_rows=split_rows)
        got = summarise_store(client, read_facts(folder), plan, statistics, fan_in=fan_in)
        assert got.equals(statistics(read(folder)), rtol=1e-12)
        assert got.equals(statistics(study), rtol=1e-12)
        # the ratings summary, gathered on the client and merged there at once: exactly
        # the whole study's
        gathered = summarise_store(client, read_facts(folder), plan, ratings_summary,
                                   combine=merged)
        assert gathered.equals(ratings_summary(study))


def test_a_bad_partition_stops_the_run_with_its_place(client: Client, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = store(care_study(8, seed=1), tmp_path / "s.parquet")
    path = sorted(folder.rglob("*.parquet"))[-1]
    table = pq.read_table(path)
    sources = table.column("source").to_pylist()
    sources[0] = "ghost"
    pq.write_table(table.set_column(1, "source", pa.array(sources)), path)
    plan = plan_store(folder, rows_per_task=1)
    name = path.relative_to(folder).as_posix()
    with pytest.raises(InvalidStudyError, match=rf"{name}: row 1.source: unknown role 'ghost'"):
        summarise_store(client, read_facts(folder), plan, statistics)


def test_a_worker_killed_mid_run_is_replaced_and_the_result_is_exact(
    client: Client, tmp_path: Path,
) -> None:
    study = care_study(20, seed=5)
    folder = store(study, tmp_path / "s.parquet")
    split_files(folder, 3, 9)
    plan = plan_store(folder, rows_per_task=1)
    before = set(client.run(os.getpid).values())
    marker = tmp_path / "killed"
    got = summarise_store(client, read_facts(folder), plan,
                          functools.partial(kill_once, str(marker)), fan_in=3)
    killed = int(marker.read_text(encoding="utf-8"))
    assert killed in before  # a worker of the cluster died ...
    client.wait_for_workers(2, timeout=60)
    after = set(client.run(os.getpid).values())
    assert killed not in after  # ... its nanny started another ...
    assert got.equals(statistics(study), rtol=1e-12)  # ... and nothing was lost or doubled


def test_without_a_scheduler_a_local_cluster_is_started_and_closed() -> None:
    with connect(None, workers=1, memory_limit="512MiB") as client:
        workers = client.scheduler_info()["workers"]
        assert [w["memory_limit"] for w in workers.values()] == [512 * 2**20]
        cluster = client.cluster
    assert cluster is not None
    assert cluster.status.name == "closed"


def test_a_scheduler_that_is_not_there_is_a_located_error() -> None:
    where = r"--scheduler tcp://127\.0\.0\.1:9: cannot reach"
    with pytest.raises(InvalidInputError, match=where), connect("tcp://127.0.0.1:9", timeout=2):
        pass


def test_the_tree_handles_one_group_and_fan_in_checks(client: Client, tmp_path: Path) -> None:
    study = care_study(6, seed=4)
    folder = store(study, tmp_path / "s.parquet")
    plan = plan_store(folder)  # everything packed into one task
    assert len(plan.groups) == 1
    got = summarise_store(client, read_facts(folder), plan, statistics)
    assert got.equals(statistics(study), rtol=1e-12)
    with pytest.raises(ValueError, match="fan_in"):
        summarise_store(client, read_facts(folder), plan, statistics, fan_in=1)
    assert np.array_equal(got.people, statistics(study).people)
