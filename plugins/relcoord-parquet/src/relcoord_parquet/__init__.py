"""relcoord-parquet: a study stored as a folder of Parquet partitions (see `store`)."""

from relcoord_parquet.store import (
    FACTS_FILE,
    PARTITION_KEYS,
    RATINGS_FOLDER,
    read_store,
    write_store,
)

__all__ = ["FACTS_FILE", "PARTITION_KEYS", "RATINGS_FOLDER", "read_store", "write_store"]
