"""The ratings of one wave: the check that a study has the wave, and the rows it counts.

A comparison and its arrows both select the ratings of a wave that count under the
``min_items`` rule; both do it here, so that they select the same rows.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.model import Study

__all__ = ["counted_in_wave", "require_wave"]

Bools = npt.NDArray[np.bool_]


def require_wave(study: Study, wave: str) -> None:
    """Refuse a wave the study does not have, naming the waves it has."""
    if wave not in study.waves:
        known = ", ".join(repr(w) for w in study.waves) or "none"
        raise InvalidInputError("wave", f"no wave {wave!r} in the study (waves: {known})")


def counted_in_wave(study: Study, counted: Bools, wave: str) -> Bools:
    """The ratings of ``wave`` among ``counted`` (none when no rating is in that wave)."""
    ratings = study.ratings
    code = ratings.waves.index(wave) if wave in ratings.waves else -2
    return np.asarray(counted & (ratings.wave == code), dtype=np.bool_)
