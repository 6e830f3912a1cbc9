"""relcoord-spss: survey answers from SPSS (``.sav``, ``.zsav``, ``.por``) and Stata
(``.dta``) files.

The ``spss`` and ``stata`` importers (`relcoord_spss.plugin`) read the long and wide
survey layouts of relcoord's CSV importers from the data files survey tools export
(SurveyXact, Enalyzer, LimeSurvey, Qualtrics), with pyreadstat: value labels become answer
positions, user-missing codes missing answers, variable labels help find the item
variables, and several files are merged.  `read_spss` and `read_stata` are the
readers; `read_labelled_file` reads one file's cases and labels.

The names below are imported when first used: the reader process
(`relcoord_spss.reader_process`) imports this package, and needs none of the study
assembly that `read_spss` brings.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from relcoord_spss.labelled_file import LabelledFile, read_labelled_file
    from relcoord_spss.plugin import SPSS, STATA
    from relcoord_spss.reader import read_spss, read_stata

__all__ = ["SPSS", "STATA", "LabelledFile", "read_labelled_file", "read_spss", "read_stata"]

__version__ = "0.1.0"

_HOMES = {"LabelledFile": "labelled_file", "read_labelled_file": "labelled_file",
          "SPSS": "plugin", "STATA": "plugin", "read_spss": "reader", "read_stata": "reader"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"relcoord_spss.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'relcoord_spss' has no attribute {name!r}")
