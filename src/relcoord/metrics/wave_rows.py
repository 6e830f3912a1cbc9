"""The ratings of one wave: the check that a study has the wave, and the rows of it.

Reliability per wave, a comparison of two waves and its arrows all select the ratings of a
wave here, so that they agree on which waves exist and which rows belong to one.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.model import Study

__all__ = ["counted_in_wave", "require_wave", "wave_rows"]

Bools = npt.NDArray[np.bool_]


def require_wave(study: Study, wave: str) -> None:
    """Refuse a wave the study does not have, naming the waves it has.

    A wave in the ratings' vocabulary counts although no rating of it is left: the
    analysis compares a selection of the ratings (those publishable in every wave), which
    may hold no rating of a wave that the whole study has.
    """
    if wave not in study.waves and wave not in study.ratings.waves:
        known = ", ".join(repr(w) for w in study.waves) or "none"
        raise InvalidInputError("wave", f"no wave {wave!r} in the study (waves: {known})")


def counted_in_wave(study: Study, counted: Bools, wave: str) -> Bools:
    """The ratings of ``wave`` among ``counted`` (none when no rating is in that wave)."""
    ratings = study.ratings
    code = ratings.waves.index(wave) if wave in ratings.waves else -2
    return np.asarray(counted & (ratings.wave == code), dtype=np.bool_)


def wave_rows(study: Study, wave: str | None) -> Bools:
    """Rows of ``wave`` (all rows for ``None``); an unknown wave is refused, naming the known."""
    ratings = study.ratings
    if wave is None:
        return np.ones(len(ratings), dtype=bool)
    require_wave(study, wave)
    if wave not in ratings.waves:
        return np.zeros(len(ratings), dtype=bool)
    return np.asarray(ratings.wave == ratings.waves.index(wave), dtype=bool)
