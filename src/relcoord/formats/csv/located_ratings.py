"""Ratings read from one table, with the place in the file each one came from.

The layout readers ([`long_layout`][relcoord.formats.csv.long_layout],
[`wide_layout`][relcoord.formats.csv.wide_layout]) put what they read straight into a
[`Ratings`][relcoord.ratings.Ratings] store, the study's one rating store.  Beside it they keep
what is needed to *locate* a problem found later, when the ratings meet the rest of the
study (a respondent who rates from two roles, a role missing from the roles table, see
[`study_assembly`][relcoord.formats.csv.study_assembly]): the data row where each rating starts and
the columns its labels came from.  Once the study is built, only the store remains.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.formats.csv.table import Table
from relcoord.ratings import Ratings

__all__ = ["LocatedRatings"]


@attrs.frozen(eq=False)
class LocatedRatings:
    """A [`Ratings`][relcoord.ratings.Ratings] store and where in ``table`` each rating is.

    ``first_row[i]`` is the data row where rating ``i`` starts; ``source_column`` and
    friends are the 0-based columns its labels came from (``None`` for a label given as an
    option, the same in every row).
    """

    ratings: Ratings
    table: Table
    first_row: npt.NDArray[np.int64]
    source_column: int | None
    target_column: int | None
    respondent_column: int | None

    def select(self, keep: npt.NDArray[np.bool_]) -> LocatedRatings:
        """The ratings picked by ``keep`` (vocabularies kept)."""
        return attrs.evolve(self, ratings=self.ratings.select(keep),
                            first_row=self.first_row[keep])

    def without_empty(self) -> LocatedRatings:
        """Without the ratings whose items are all missing (a target the rater skipped)."""
        scores = self.ratings.scores
        if not len(scores):
            return self
        keep = np.asarray(~np.isnan(scores).all(axis=1), dtype=bool)
        return self if keep.all() else self.select(keep)
