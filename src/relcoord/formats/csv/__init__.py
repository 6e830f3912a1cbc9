"""CSV importers and exporters (built-in plugin; see
[`relcoord.formats.csv.plugin`][relcoord.formats.csv.plugin]).

Read survey and workshop tables in the layouts people have (long, wide, relationskort,
roles and invitations tables, a folder or zip of relcoord tables) and write a study and its
analysis as tables in a ``plain`` or an ``excel`` profile.  The modules, in the order data
flows through them:

- reading a file: [`dialect`][relcoord.formats.csv.dialect] (bytes to text),
  [`table`][relcoord.formats.csv.table] (text to columns, located errors),
  [`read_options`][relcoord.formats.csv.read_options] (the importers' options),
  [`columns`][relcoord.formats.csv.columns] (which column is what),
  [`answers`][relcoord.formats.csv.answers] (cells to scores),
  [`coded_column`][relcoord.formats.csv.coded_column] (labels as integer codes);
- the layouts: [`long_layout`][relcoord.formats.csv.long_layout] (one row per item answer, grouped
  into ratings by [`rating_runs`][relcoord.formats.csv.rating_runs]),
  [`wide_layout`][relcoord.formats.csv.wide_layout] (one row per rating) and
  [`relationskort`][relcoord.formats.csv.relationskort] (arrows), each giving
  [`located_ratings`][relcoord.formats.csv.located_ratings];
- the rest of a study: [`records`][relcoord.formats.csv.records] (roles, respondents, ties,
  invitations and study tables), [`study_assembly`][relcoord.formats.csv.study_assembly] (everything
  into one checked study), [`bundle`][relcoord.formats.csv.bundle] (folders and zips of tables);
- writing: [`profiles`][relcoord.formats.csv.profiles] and
  [`exporters`][relcoord.formats.csv.exporters] (a study to tables).
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
