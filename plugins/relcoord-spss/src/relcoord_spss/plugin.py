"""The hook implementation: the ``spss`` and ``stata`` importers.

The entry point ``spss = "relcoord_spss.plugin"`` in the group ``relcoord`` (see
``pyproject.toml``) points here.  ``relcoord convert survey.sav study.json`` (or
``validate``, ``analyze``, ``export``) reads an SPSS file by its extension;
``--from spss`` or ``--from stata`` names the importer for a file named otherwise.

========  ===========================  ==========================================
id        extensions                   what
========  ===========================  ==========================================
``spss``  ``.sav``, ``.zsav``, ``.por``  SPSS system, compressed and portable files
``stata`` ``.dta``                     Stata data files
========  ===========================  ==========================================
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from relcoord.formats import Format
from relcoord.plugins import hookimpl
from relcoord_spss.read_options import LABELLED_READ_OPTIONS
from relcoord_spss.reader import read_spss, read_stata

__all__ = ["SPSS", "STATA", "relcoord_register_importers"]

_WHAT: Final = ("survey answers in the long layout (respondent, rater role, target role, "
                "wave, item, answer) or the wide layout (one variable per item), found by "
                "their names or variable labels; value labels read as answers, user-missing "
                "codes as missing; several files (one per mode or site) merged with -I merge")

#: SPSS system (``.sav``), compressed (``.zsav``) and portable (``.por``) files.
SPSS: Final = Format(
    id="spss", title="SPSS data file (.sav, .zsav, .por)",
    extensions=(".sav", ".zsav", ".por"), media_type="application/x-spss-sav",
    carries="study", read=read_spss, read_options=LABELLED_READ_OPTIONS,
    description="SPSS: " + _WHAT + ".")
#: Stata data files (``.dta``).
STATA: Final = Format(
    id="stata", title="Stata data file (.dta)", extensions=(".dta",),
    media_type="application/x-stata-dta", carries="study", read=read_stata,
    read_options=LABELLED_READ_OPTIONS, description="Stata: " + _WHAT + ".")


@hookimpl
def relcoord_register_importers() -> Iterable[Format]:
    """The SPSS and Stata importers."""
    return (SPSS, STATA)
