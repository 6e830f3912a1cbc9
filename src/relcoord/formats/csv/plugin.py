"""The built-in CSV formats, registered through the plugin hooks like any plugin's.

========================  ======  =====  ===========================================
id                        reads   writes  what
========================  ======  =====  ===========================================
``csv``                   yes     yes    a folder of result tables (roles, tie metrics...)
``csv-zip``               yes     yes    the same tables in one ``.zip``
``csv-long``              yes     no     one row per item answer (``.csv``, ``.tsv``)
``csv-wide``              yes     no     one row per respondent and target role
``csv-relationskort``     yes     no     relationship-map arrows with their ratings
========================  ======  =====  ===========================================
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from relcoord.formats.csv.bundle import BUNDLE_OPTIONS, ZIP_OPTIONS, read_folder, read_zip
from relcoord.formats.csv.exporters import WRITE_OPTIONS, write_folder, write_zip
from relcoord.formats.csv.layout_detection import detect_layout
from relcoord.formats.csv.long_layout import read_long
from relcoord.formats.csv.read_options import layout_options
from relcoord.formats.csv.relationskort import read_relationskort
from relcoord.formats.csv.wide_layout import read_wide
from relcoord.formats.format_type import Format
from relcoord.plugins.hookspecs import hookimpl

__all__ = [
    "CSV_FOLDER",
    "CSV_LONG",
    "CSV_RELATIONSKORT",
    "CSV_WIDE",
    "CSV_ZIP",
    "relcoord_register_exporters",
    "relcoord_register_importers",
]

#: A folder of CSV tables: published results (the study's roles, named ties and invitations,
#: and the analysis's tables).
CSV_FOLDER: Final = Format(
    id="csv", title="CSV tables (folder)", extensions=(), media_type="text/csv",
    carries="both", read=read_folder, write=write_folder, writes_directory=True,
    read_options=BUNDLE_OPTIONS, write_options=WRITE_OPTIONS,
    description="Published results: study.csv, roles.csv, ties.csv and invitations.csv, "
    "plus tie_metrics.csv, role_metrics.csv, matrix.csv and findings.csv from an analysis "
    "(no answers, no respondent ids); profile 'plain' or 'excel'.  Reading also takes "
    "respondents.csv and a long ratings.csv of a folder assembled by hand.",
)
#: The same tables in one zip file, with fixed timestamps (byte-for-byte reproducible).
CSV_ZIP: Final = Format(
    id="csv-zip", title="CSV tables (zip)", extensions=(".csv.zip", ".zip"),
    media_type="application/zip", carries="both", read=read_zip, write=write_zip,
    read_options=ZIP_OPTIONS, write_options=WRITE_OPTIONS,
    description="The csv format's tables in one zip archive.",
)
#: One row per item answer: the layout large survey exports use.
CSV_LONG: Final = Format(
    id="csv-long", title="CSV, long layout (one row per item answer)",
    extensions=(".csv", ".tsv"), media_type="text/csv", carries="study", read=read_long,
    read_options=layout_options("rc7"), detect=detect_layout,
    description="respondent, rater role, target role, wave, item, answer.  A .csv file "
    "whose header holds item columns is read as csv-wide (or csv-relationskort) instead.",
)
#: One row per respondent and target role, one column per item.
CSV_WIDE: Final = Format(
    id="csv-wide", title="CSV, wide layout (one column per item)",
    extensions=(".wide.csv",), media_type="text/csv", carries="study", read=read_wide,
    read_options=layout_options("rc7"),
    description="respondent, rater role, target role, wave and one column per item "
    "(RC1_COM..RC7_REL, Hyppig..Gensidig respekt, or the dimension keys).",
)
#: Relationship-map arrows with their four communication ratings.
CSV_RELATIONSKORT: Final = Format(
    id="csv-relationskort", title="CSV, relationskort arrows",
    extensions=(".relationskort.csv",), media_type="text/csv", carries="study",
    read=read_relationskort, read_options=layout_options("relationskort"),
    description="source group, target group, wave and the four communication qualities; "
    "each row is a named tie and, when rated, a rating without respondent.",
)


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """The CSV importers."""
    return (CSV_FOLDER, CSV_ZIP, CSV_LONG, CSV_WIDE, CSV_RELATIONSKORT)


@hookimpl
def relcoord_register_exporters() -> Iterable[Format]:
    """The CSV exporters: a folder or a zip of tables."""
    return (CSV_FOLDER, CSV_ZIP)
