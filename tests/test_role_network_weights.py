"""Edge weights of relcoord.role_network: each edge gets the value ``weights`` gives its
``(source, target)`` pair, NaN where it gives none or a value that is not a finite number;
keys that are not edges are ignored, keys naming an unknown role are refused."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import relcoord.role_network as network_module
from relcoord import InvalidInputError
from relcoord.model import Study
from relcoord.role_network import role_network
from relcoord.testing.strategies import studies

VALUES = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True),
                   st.integers(-5, 5))


def expected(ids: tuple[str, ...], source: list[int], target: list[int],
             weights: dict[tuple[str, str], Any]) -> list[float]:
    """The definition, edge by edge."""
    out = []
    for s, t in zip(source, target, strict=True):
        v = weights.get((ids[s], ids[t]))
        out.append(math.nan if v is None or not math.isfinite(v) else float(v))
    return out


@given(studies(max_roles=6, max_ratings=30), st.data())
def test_each_edge_gets_the_weight_of_its_pair(study: Study, data: st.DataObject) -> None:
    ids = study.role_ids
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids))
    weights: dict[tuple[str, str], Any] = data.draw(st.dictionaries(pairs, VALUES, max_size=40))
    net = role_network(study, basis="ratings", weights=weights)
    np.testing.assert_array_equal(
        net.weight, expected(ids, net.source.tolist(), net.target.tolist(), weights))
    plain = role_network(study, basis="ratings")
    np.testing.assert_array_equal(plain.weighted_by(weights).weight, net.weight)


def test_only_pairs_name_edges_and_unknown_roles_are_refused() -> None:
    ids = ("a", "b", "c")
    source, target = np.array([0, 1, 2]), np.array([1, 2, 0])
    weights: Any = {("a", "b"): 2.0, ("a", "b", "c"): 5.0, "bc": 7.0}
    got = network_module._weights(ids, source, target, weights)
    np.testing.assert_array_equal(got, [2.0, math.nan, math.nan])
    with pytest.raises(InvalidInputError, match="unknown role 'z'"):
        network_module._weights(ids, source, target, {("a", "z"): 1.0})
    assert network_module._weights(ids, source[:0], target[:0], {("a", "b"): 1.0}).size == 0
