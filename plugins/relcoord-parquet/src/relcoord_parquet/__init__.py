"""relcoord-parquet: a study stored as a folder of Parquet partitions (`store`), and folders
of Parquet or CSV partitions exported by another system (`partitioned_export`), both read
within limits (`read_limits`)."""

from relcoord_parquet.partitioned_export import PARTS_READ_OPTIONS, read_partitioned_export
from relcoord_parquet.read_limits import LIMIT_OPTIONS, ReadBudget
from relcoord_parquet.store import (
    FACTS_FILE,
    PARTITION_KEYS,
    RATINGS_FOLDER,
    read_store,
    write_store,
)

__all__ = [
    "FACTS_FILE",
    "LIMIT_OPTIONS",
    "PARTITION_KEYS",
    "PARTS_READ_OPTIONS",
    "RATINGS_FOLDER",
    "ReadBudget",
    "read_partitioned_export",
    "read_store",
    "write_store",
]
