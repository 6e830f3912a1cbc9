"""relcoord: Relational Coordination analysis.

Validated RC metrics, findings in Danish and English, and interchange files for RC surveys
and workshop relationship maps (relationskort) with dialogue invitations (balkort).
"""

from relcoord.errors import InvalidInputError, InvalidStudyError, Problem, RelcoordError
from relcoord.instruments import Dimension, Instrument, get_instrument
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
    "get_instrument",
]

__version__ = "0.1.0"
