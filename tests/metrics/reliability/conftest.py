"""Shared builders of the reliability tests: a small study from rows, and a hand-computed tie.

They are session-scoped fixtures (studies are immutable), so that the property tests may use
them too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pytest

from relcoord import Metadata, Ratings, Respondent, Role, Study
from relcoord.instruments import DIMENSION_KEYS

Rows = Sequence[tuple[str, str, str, Sequence[float]]]


def _make_study(
    rows: Rows,
    *,
    roles: Sequence[tuple[str, str | None]] = (("a", "school"), ("b", "school"),
                                               ("c", "municipality")),
    waves: Sequence[str | None] | None = None,
) -> Study:
    people = {p: s for p, s, _, _ in rows}
    return Study(
        metadata=Metadata(id="t"),
        instrument="rc7",
        roles=[Role(r, r.upper(), organisation=o) for r, o in roles],
        respondents=[Respondent(p, s) for p, s in people.items()],
        ratings=Ratings.from_labels(
            source=[s for _, s, _, _ in rows], target=[t for _, _, t, _ in rows],
            respondent=[p for p, _, _, _ in rows],
            scores=np.array([list(v) for _, _, _, v in rows], dtype=np.float64).reshape(-1, 7),
            dimensions=DIMENSION_KEYS, wave=waves,
        ),
    )


# Four raters in role a about role b, one column per RC item (scored values 1..5).
HAND = np.array([
    # freq timely accurate problem goals knowledge respect
    [4, 3, 4, 2, 1, 3, 5],
    [4, 4, 5, 4, 5, 3, 5],
    [4, 4, 4, 4, 1, 4, 5],
    [4, 5, 5, 4, 5, 4, 4],
], dtype=np.float64)


@pytest.fixture(scope="session")
def make_study() -> Callable[..., Study]:
    """A study from (respondent, source role, target role, 7 scores) rows; roles a and b
    belong to a school, c to a municipality."""
    return _make_study


@pytest.fixture(scope="session")
def hand() -> npt.NDArray[np.float64]:
    """Four raters' answers (rows) to the seven RC items (columns), worked by hand."""
    return HAND.copy()


@pytest.fixture(scope="session")
def hand_study() -> Study:
    """The four raters of :data:`HAND` rating a -> b, and one rater of b -> a."""
    rows: list[tuple[str, str, str, Sequence[float]]] = [
        (f"p{i}", "a", "b", HAND[i]) for i in range(4)]
    rows.append(("q1", "b", "a", [5, 5, 5, 5, 5, 5, 5]))  # a tie with a single rater
    return _make_study(rows)
