"""relcoord-dask: the analysis of a Parquet study store on a Dask cluster.

``relcoord analyze study.parquet --engine dask [--scheduler ADDRESS]`` on the command line;
[`analyze`][relcoord_dask.engine.analyze] in Python.  The study store is relcoord-parquet's
folder; each respondent-disjoint group of its files is summarised on a worker
([`relcoord_dask.partitions`][relcoord_dask.partitions]), the summaries are merged as a tree
([`relcoord_dask.reduction`][relcoord_dask.reduction]) and the client finishes the analysis.
"""

from relcoord_dask.engine import analyze
from relcoord_dask.partitions import PartitionGroup, StorePart, StorePlan, plan_store, read_group
from relcoord_dask.reduction import summarise_store

__all__ = ["PartitionGroup", "StorePart", "StorePlan", "analyze", "plan_store", "read_group",
           "summarise_store"]
