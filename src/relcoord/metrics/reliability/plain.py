"""Plain result values from arrays: every reliability result holds floats and ``None``,
never NaN.

The array functions of [`relcoord.metrics.reliability`][relcoord.metrics.reliability] return NaN
where a figure is undefined, as numpy code expects; the result objects convert whole arrays of them
here, in one ``tolist()`` each (one value at a time:
[`relcoord.json_values.float_or_none`][relcoord.json_values.float_or_none]).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "plain_floats",
    "plain_rows",
]


def plain_floats(values: npt.ArrayLike) -> tuple[float | None, ...]:
    """The values of an array, flattened, as plain floats with NaN as ``None``."""
    return _nones(np.asarray(values, dtype=np.float64).ravel().tolist())


def _nones(values: list[float]) -> tuple[float | None, ...]:
    """``values`` (from ``ndarray.tolist()``: plain floats) with NaN as ``None``."""
    return tuple(None if v != v else v for v in values)


def plain_rows(values: FloatArray) -> list[tuple[float | None, ...]]:
    """Each row of a 2-D array as a tuple of plain floats, NaN as ``None``."""
    has_nan: list[bool] = np.asarray(np.isnan(values).any(axis=1), dtype=bool).tolist()
    return [_nones(row) if nan else tuple(row)
            for row, nan in zip(values.tolist(), has_nan, strict=True)]

