"""relcoord: Relational Coordination analysis.

Validated RC metrics, findings in Danish and English, and interchange files for RC surveys
and workshop relationship maps (relationskort) with dialogue invitations (balkort).
"""

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
