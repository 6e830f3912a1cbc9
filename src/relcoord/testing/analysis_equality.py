"""Equality of two Analysis JSONs as the engines promise it: the floats to rounding, all else
exactly.

An analysis computed another way (merged partitions, blocks of rater roles on a cluster)
adds its float sums in another order than the in-memory analysis, so its floats may differ
in the last bits; every count, id, band, reason and text must be the same.
[`analysis_differences`][relcoord.testing.analysis_equality.analysis_differences] lists where
two JSON trees differ beyond that, and
[`assert_same_analysis`][relcoord.testing.analysis_equality.assert_same_analysis] fails with
the first of them.  The Social Relations Model's figures (its section, and a finding that
quotes them) are allowed [`SRM_TOLERANCE`][relcoord.testing.analysis_equality.SRM_TOLERANCE]:
its REML optimum is found by an iterative optimiser, which the last bits of its sums steer
along a slightly different path to the same optimum.
"""

from __future__ import annotations

import math
from typing import Any, Final

__all__ = ["FLOAT_TOLERANCE", "SRM_TOLERANCE", "analysis_differences", "assert_same_analysis"]

#: Relative (and, near zero, absolute) tolerance of every float.
FLOAT_TOLERANCE: Final = 1e-12
#: The tolerance of the Social Relations Model's floats.
SRM_TOLERANCE: Final = 1e-8


def _tolerance(path: str) -> float:
    return SRM_TOLERANCE if path.startswith("$.srm") or ".figures.srm." in path \
        else FLOAT_TOLERANCE


def analysis_differences(got: Any, expected: Any, path: str = "$") -> list[str]:
    """Where the JSON values ``got`` and ``expected`` differ (``$.roles[3].rc_as_rater:
    ...``): floats beyond their tolerance, anything else at all (types included)."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or got.keys() != expected.keys():
            keys = sorted(set(got) ^ set(expected)) if isinstance(got, dict) else got
            return [f"{path}: keys differ: {keys!r}"]
        return [d for key in expected
                for d in analysis_differences(got[key], expected[key], f"{path}.{key}")]
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return [f"{path}: {got!r} is not a list of {len(expected)} items"]
        return [d for i, (a, b) in enumerate(zip(got, expected, strict=True))
                for d in analysis_differences(a, b, f"{path}[{i}]")]
    if isinstance(expected, float) and isinstance(got, float):
        tolerance = _tolerance(path)
        if math.isclose(got, expected, rel_tol=tolerance, abs_tol=tolerance):
            return []
    elif type(got) is type(expected) and got == expected:
        return []
    return [f"{path}: {got!r} != {expected!r}"]


def assert_same_analysis(got: Any, expected: Any) -> None:
    """Fail (`AssertionError`) with the first difference when the Analysis JSONs ``got``
    and ``expected`` (``to_mapping()``) differ beyond rounding."""
    found = analysis_differences(got, expected)
    if found:
        raise AssertionError(f"{len(found)} differences, first: {found[0]}")
