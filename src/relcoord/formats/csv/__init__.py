"""CSV importers and exporters (built-in plugin; see :mod:`relcoord.formats.csv.plugin`).

Read survey and workshop tables in the layouts people have (long, wide, relationskort,
roles and invitations tables, a folder or zip of relcoord tables) and write a study and its
analysis as tables in a ``plain`` or an ``excel`` profile.  The modules, in the order data
flows through them:

- reading a file: :mod:`~.dialect` (bytes to text), :mod:`~.table` (text to columns,
  located errors), :mod:`~.read_options` (the importers' options), :mod:`~.columns` (which
  column is what), :mod:`~.answers` (cells to scores), :mod:`~.coded_column` (labels as
  integer codes);
- the layouts: :mod:`~.long_layout` (one row per item answer, grouped into ratings by
  :mod:`~.rating_runs`), :mod:`~.wide_layout` (one row per rating) and
  :mod:`~.relationskort` (arrows), each giving :mod:`~.located_ratings`;
- the rest of a study: :mod:`~.records` (roles, respondents, ties, invitations and study
  tables), :mod:`~.study_assembly` (everything into one checked study), :mod:`~.bundle`
  (folders and zips of tables);
- writing: :mod:`~.profiles` and :mod:`~.exporters` (a study to tables).
"""

from relcoord.formats.csv.bundle import read_folder, read_zip
from relcoord.formats.csv.dialect import DEFAULT_MAX_BYTES, CsvEncodingWarning
from relcoord.formats.csv.exporters import tables, write_folder, write_zip
from relcoord.formats.csv.long_layout import read_long
from relcoord.formats.csv.profiles import PROFILES, Profile
from relcoord.formats.csv.relationskort import read_relationskort
from relcoord.formats.csv.wide_layout import read_wide

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
