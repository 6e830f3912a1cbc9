"""relcoord: Relational Coordination analysis.

Validated RC metrics, findings in Danish and English, and interchange files for RC surveys
and workshop relationship maps (relationskort) with dialogue invitations (balkort).

The names below are imported when first used (PEP 562), so that ``import relcoord`` and
``relcoord --help`` stay fast: ``relcoord.analyze`` imports the analysis (and numpy) the
first time it is looked up.  ``from relcoord import Study`` works as with any package.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from relcoord.analysis import Analysis, analyze
    from relcoord.errors import (
        InvalidInputError,
        InvalidStudyError,
        OutputError,
        Problem,
        RelcoordError,
    )
    from relcoord.example import load_example
    from relcoord.findings import Finding
    from relcoord.instruments import Dimension, Instrument, get_instrument
    from relcoord.model import Invitation, Metadata, NamedTie, Respondent, Role, Study
    from relcoord.optional_dependencies import MissingDependencyError
    from relcoord.ratings import Rating, Ratings
    from relcoord.settings import AnalysisSettings
    from relcoord.study_json import dump, dumps, load

__all__ = [
    "Analysis",
    "AnalysisSettings",
    "Dimension",
    "Finding",
    "Instrument",
    "InvalidInputError",
    "InvalidStudyError",
    "Invitation",
    "Metadata",
    "MissingDependencyError",
    "NamedTie",
    "OutputError",
    "Problem",
    "Rating",
    "Ratings",
    "RelcoordError",
    "Respondent",
    "Role",
    "Study",
    "analyze",
    "dump",
    "dumps",
    "get_instrument",
    "load",
    "load_example",
]

__version__ = "0.1.0"

#: Where each public name lives: imported from there when first looked up.
_HOMES: Final[dict[str, str]] = {
    "Analysis": "relcoord.analysis",
    "analyze": "relcoord.analysis",
    "InvalidInputError": "relcoord.errors",
    "InvalidStudyError": "relcoord.errors",
    "OutputError": "relcoord.errors",
    "Problem": "relcoord.errors",
    "RelcoordError": "relcoord.errors",
    "load_example": "relcoord.example",
    "Finding": "relcoord.findings",
    "Dimension": "relcoord.instruments",
    "Instrument": "relcoord.instruments",
    "get_instrument": "relcoord.instruments",
    "Invitation": "relcoord.model",
    "Metadata": "relcoord.model",
    "NamedTie": "relcoord.model",
    "Respondent": "relcoord.model",
    "Role": "relcoord.model",
    "Study": "relcoord.model",
    "MissingDependencyError": "relcoord.optional_dependencies",
    "Rating": "relcoord.ratings",
    "Ratings": "relcoord.ratings",
    "AnalysisSettings": "relcoord.settings",
    "dump": "relcoord.study_json",
    "dumps": "relcoord.study_json",
    "load": "relcoord.study_json",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use, then keep it here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'relcoord' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
