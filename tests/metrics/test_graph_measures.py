"""Structural measures of a role network: the backends, and communities labelled by size."""

from __future__ import annotations

import pytest

from relcoord import InvalidInputError, Metadata, NamedTie, Role, Study
from relcoord.metrics.graph_measures import communities, measure_network
from relcoord.role_network import role_network


def triangle_and_pair() -> Study:
    ties = [NamedTie(s, t) for s, t in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e")]]
    roles = [Role(x, x.upper()) for x in "abcdef"]
    return Study(metadata=Metadata("c"), instrument="relationskort", roles=roles, ties=ties)


def test_an_unknown_backend_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="backend"):
        measure_network(role_network(triangle_and_pair()), backend="snap")  # type: ignore[arg-type]


def test_communities_are_labelled_by_size() -> None:
    assert communities(role_network(triangle_and_pair())).tolist() == [0, 0, 0, 1, 1, 2]
