"""CSV importers and exporters (built-in plugin; see :mod:`relcoord.formats.csv.plugin`).

Read survey and workshop tables in the layouts people have (long, wide, relationskort,
roles and invitations tables, a folder or zip of relcoord tables) and write a study and its
analysis as tables in a ``plain`` or an ``excel`` profile.  The modules, in the order data
flows through them: :mod:`~.dialect` (bytes to text), :mod:`~.table` (text to columns,
located errors), :mod:`~.columns` (which column is what), :mod:`~.answers` (cells to
scores), :mod:`~.records` and :mod:`~.importers` (columns to a study), :mod:`~.bundle`
(folders and zips), :mod:`~.profiles` and :mod:`~.exporters` (a study to tables).
"""

from relcoord.formats.csv.bundle import read_folder, read_zip
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES, CsvEncodingWarning
from relcoord.formats.csv.exporters import tables, write_folder, write_zip
from relcoord.formats.csv.importers import read_long, read_relationskort, read_wide
from relcoord.formats.csv.profiles import PROFILES, Profile

__all__ = [
    "DEFAULT_MAX_BYTES",
    "PROFILES",
    "CsvEncodingWarning",
    "Profile",
    "read_folder",
    "read_long",
    "read_relationskort",
    "read_wide",
    "read_zip",
    "tables",
    "write_folder",
    "write_zip",
]
