"""The phrases of partitioned study data: the ``relcoord-parquet`` plugin's study store and
its importer of folders of Parquet or CSV partitions exported by another system
(``parquet.``).  Like the ``reading.`` notes, they say what an importer guessed and which
option settles it.
"""

from __future__ import annotations

from typing import Final

from relcoord.messages.message import Message

__all__ = ["ENTRIES"]

#: The entries of this part of the catalogue, by key.
ENTRIES: Final[dict[str, Message]] = {
    "parquet.note.skipped": Message(
        en="{count} file(s) starting with . or _ skipped as the exporting system's "
           "bookkeeping ({files})",
        da="{count} fil(er), der begynder med . eller _, sprunget over som det "
           "eksporterende systems bogføring ({files})"),
    "parquet.note.layout": Message(
        en="read as the {layout} layout, as the partitions' columns fit it (settle it with "
           "-I layout=...)",
        da="læst i {layout}-formatet, som partitionernes kolonner passer til (fastlæg det "
           "med -I layout=...)"),
    "parquet.note.partition_columns": Message(
        en="the partition folders' keys are read as columns: {keys}",
        da="partitionsmappernes nøgler læses som kolonner: {keys}"),
    "parquet.note.numbers_widened": Message(
        en="column {column} holds integers in some partitions and decimals in others; read "
           "as decimals throughout",
        da="kolonnen {column} har heltal i nogle partitioner og decimaltal i andre; læst "
           "som decimaltal overalt"),
    "parquet.note.export": Message(
        en="no study.json: read as a folder exported by another system (settle it with "
           "--from parquet-parts)",
        da="ingen study.json: læst som en mappe eksporteret af et andet system (fastlæg "
           "det med --from parquet-parts)"),
}
