"""Bad or unusual arrays behind the fast paths: the same located errors or the same figures.

The one-pass statistics (numpy and the compiled pass) read the study's arrays as they are,
so what reaches them is decided by :class:`~relcoord.ratings.Ratings`: NaN or a fraction
where a code belongs, a code outside its vocabulary, a code too large for ``int32`` (which a
cast would wrap into another, valid code) are refused by ``from_arrays`` with the code and
its row; a store built directly with codes or scores of the wrong dtype is refused too.
Non-contiguous, read-only or narrower-typed arrays that are valid give the same statistics
and the same analysis as plain copies, on both engines.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import attrs
import numpy as np
import pytest

from relcoord import analyze
from relcoord.example import load_example
from relcoord.metrics.tie_statistics import TieStatistics
from relcoord.model import Study
from relcoord.ratings import Ratings

ENGINES = ["numpy"]
if importlib.util.find_spec("numba") is not None or os.environ.get("CI"):
    ENGINES.append("numba")


def base_arguments() -> dict[str, Any]:
    return {
        "source": [0, 1, 1], "target": [1, 0, 1], "roles": ("a", "b"),
        "respondent": [0, -1, 1], "respondents": ("p", "q"), "wave": [-1, 0, 0],
        "waves": ("w",), "scores": [[1.0, np.nan], [5.0, 3.0], [4.0, 4.0]],
        "dimensions": ("frequent", "timely"),
    }


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("source", [0.0, np.nan, 1.0], r"source code nan at row 1 is not an integer"),
        ("target", [1.0, 0.5, 1.0], r"target code 0.5 at row 1 is not an integer"),
        ("respondent", [0.0, -1.0, np.inf], r"respondent code inf at row 2 is not an integer"),
        ("wave", [-1.0, 0.0, 2.0], r"wave code 2 is outside -1..0 \(row 2\)"),
        ("source", [0, 1, 2], r"source code 2 is outside 0..1 \(row 2\)"),
        ("target", np.array([1, 2**33, 1], dtype=np.int64),
         r"target code 8589934592 is outside 0..1 \(row 1\)"),
        ("respondent", np.array([0, -2, 1], dtype=np.int16),
         r"respondent code -2 is outside -1..1 \(row 1\)"),
        ("source", np.array([True, False, True]), "source codes must be integers, got dtype bool"),
        ("wave", ["-1", "0", "0"], "wave codes must be integers"),
    ],
)
def test_bad_codes_are_refused_with_their_row(field: str, values: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Ratings.from_arrays(**(base_arguments() | {field: values}))


def direct(ratings: Ratings, **arrays: Any) -> Ratings:
    """A store built with the constructor itself (no conversion), some arrays replaced."""
    fields = {f.name: getattr(ratings, f.name) for f in attrs.fields(Ratings)}
    return Ratings(**(fields | arrays))


def test_the_constructor_refuses_float_codes_and_float32_scores() -> None:
    ratings = Ratings.from_arrays(**base_arguments())
    with pytest.raises(ValueError, match="source codes must be integers, got dtype float64"):
        direct(ratings, source=ratings.source.astype(np.float64))
    with pytest.raises(ValueError, match="scores must be float64, got dtype float32"):
        direct(ratings, scores=ratings.scores.astype(np.float32))


def strided(array: Any) -> Any:
    """The same values in a non-contiguous, read-only view."""
    wide = np.repeat(array, 2, axis=0)[::2]
    assert not wide.flags.c_contiguous
    wide.setflags(write=False)
    return wide


@pytest.fixture(scope="module")
def example() -> Study:
    return load_example()


@pytest.mark.parametrize("engine", ENGINES)
def test_strided_read_only_and_narrow_arrays_give_the_same_statistics(example: Study,
                                                                      engine: str) -> None:
    r = example.ratings
    variants = {
        "strided": direct(r, source=strided(r.source), target=strided(r.target),
                          respondent=strided(r.respondent), wave=strided(r.wave),
                          scores=strided(r.scores)),
        "fortran scores": direct(r, scores=np.asfortranarray(r.scores)),
        "narrow codes": direct(r, source=r.source.astype(np.int16),
                               target=r.target.astype(np.uint8),
                               respondent=r.respondent.astype(np.int64)),
    }
    plain = TieStatistics.of(example, min_items=5, by_wave=True, engine="numpy")
    for name, ratings in variants.items():
        study = attrs.evolve(example, ratings=ratings)
        got = TieStatistics.of(study, min_items=5, by_wave=True, engine=engine)
        assert got.equals(plain), name


def test_the_analysis_of_strided_arrays_equals_that_of_copies(example: Study) -> None:
    r = example.ratings
    study = attrs.evolve(example, ratings=direct(
        r, source=strided(r.source), target=strided(r.target),
        respondent=strided(r.respondent), wave=strided(r.wave), scores=strided(r.scores)))
    assert analyze(study).to_mapping() == analyze(example).to_mapping()
