"""relcoord: Relational Coordination analysis.

Validated RC metrics, findings in Danish and English, and interchange files for RC surveys
and workshop relationship maps (relationskort) with dialogue invitations (balkort).
"""

from relcoord.errors import InvalidInputError, InvalidStudyError, Problem, RelcoordError
from relcoord.example import load_example
from relcoord.instruments import Dimension, Instrument, get_instrument
from relcoord.io import dump, dumps, load
from relcoord.model import Invitation, Metadata, Respondent, Role, Study, Tie
from relcoord.ratings import Rating, Ratings

__all__ = [
    "Dimension",
    "Instrument",
    "InvalidInputError",
    "InvalidStudyError",
    "Invitation",
    "Metadata",
    "Problem",
    "Rating",
    "Ratings",
    "RelcoordError",
    "Respondent",
    "Role",
    "Study",
    "Tie",
    "dump",
    "dumps",
    "get_instrument",
    "load",
    "load_example",
]

__version__ = "0.1.0"
