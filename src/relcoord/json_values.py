"""JSON-ready values: the one conversion from result values to what JSON can hold.

Every result type of relcoord (the scores, the network and invitation figures, the
reliability and change results, the privacy summary, the findings, the
[`Analysis`][relcoord.analysis_result.Analysis] itself) has a ``to_mapping()`` method that
returns a ``dict[str, Any]`` of JSON-ready values, built with
[`json_ready`][relcoord.json_values.json_ready], which converts every value of a mapping, at any
depth:

* ``None``, ``bool``, ``int``, ``str`` and finite ``float`` stay as they are;
* NaN and the infinities become ``None`` (JSON has neither: RFC 8259, section 6);
* numpy scalars become the Python value they hold (``numpy.generic.item``);
* tuples and lists become lists, sets sorted lists, mappings dicts with ``str`` keys;
* an object with a ``to_mapping()`` method becomes its mapping, which is JSON-ready
  already and is not walked again (the ``for_json`` hook of simplejson works the same
  way), so a result can list its parts as they are (``"ties": self.ties``).

Anything else raises `TypeError`, so a value JSON cannot hold fails where the
mapping is built, not when it is written.  [`float_or_none`][relcoord.json_values.float_or_none] is
the float a result field holds for a figure that may be undefined: NaN, as numpy computes it,
becomes ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["float_or_none", "json_ready"]

#: Types that are JSON-ready as they are (exact types: a subclass is converted).
_AS_THEY_ARE: frozenset[type] = frozenset({str, int, bool, type(None)})


def json_ready(mapping: Mapping[str, object]) -> dict[str, Any]:
    """``mapping`` with every value JSON-ready (see the module docstring for each rule).

    >>> json_ready({"rc": float("nan"), "pair": ("a", "b"), "n": np.int64(3)})
    {'rc': None, 'pair': ['a', 'b'], 'n': 3}
    """
    return {str(k): _ready(v) for k, v in mapping.items()}


def _ready(value: object) -> Any:
    """One value made JSON-ready, containers walked."""
    kind = type(value)
    if kind in _AS_THEY_ARE:
        return value
    if kind is float and isinstance(value, float):  # the check is for the type checker
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_ready(v) for v in value]
    if isinstance(value, set | frozenset):
        return [_ready(v) for v in sorted(value)]
    if isinstance(value, np.generic):
        return _ready(value.item())
    to_mapping = getattr(value, "to_mapping", None)
    if callable(to_mapping):
        return to_mapping()
    # subclasses of the plain types (enums, for instance) become the plain type
    for plain in (bool, int, str):
        if isinstance(value, plain):
            return plain(value)
    if isinstance(value, float):
        return _ready(float(value))
    raise TypeError(f"{kind.__name__} is not JSON-ready: {value!r}")


def float_or_none(value: Any) -> float | None:
    """``value`` as a Python float, or ``None`` for ``None`` and NaN (results hold no NaN).

    >>> float_or_none(np.float64("nan")) is None, float_or_none(np.float64(4.5))
    (True, 4.5)
    """
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number
