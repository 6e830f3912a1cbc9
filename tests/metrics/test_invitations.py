"""Balkort analytics: a hand-worked example and properties on generated invitations."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relcoord import InvalidInputError, Invitation, Metadata, Role, Study
from relcoord.metrics.invitations import StatusCounts, acceptance_rate, invitation_metrics
from relcoord.testing.strategies import studies

ROLES = [Role(x, x.upper()) for x in ("a", "b", "c", "d")]

# a -> b accepted, b -> a pending (reciprocated), a -> c declined, a -> c held (a second
# topic), c -> d declined, d -> d accepted (a role inviting itself: counted, never a pair).
INVITATIONS = [
    Invitation("a", "b", "trivsel", "accepted", "w1"),
    Invitation("b", "a", "fravær", "pending", "w1"),
    Invitation("a", "c", "trivsel", "declined", "w1"),
    Invitation("a", "c", "praktik", "held", "w2"),
    Invitation("c", "d", "trivsel", "declined", "w2"),
    Invitation("d", "d", "intern", "accepted", "w2"),
]


def study(**changes: Any) -> Study:
    fields: dict[str, Any] = {
        "metadata": Metadata("balkort"), "instrument": "relationskort", "roles": ROLES,
        "invitations": INVITATIONS,
    }
    fields.update(changes)
    return Study(**fields)


def test_hand_worked_invitations() -> None:
    m = invitation_metrics(study(), weak_or_asymmetric=[("b", "a"), ("c", "a"), ("d", "b"),
                                                        ("d", "c"), ("d", "c")])
    assert m.n_invitations == 6
    assert attrs.astuple(m.by_status) == (1, 2, 2, 1)  # pending, accepted, declined, held
    assert m.acceptance_rate == pytest.approx(3 / 5)
    a, b, c, d = m.roles
    assert (a.sent, a.received, b.sent, b.received) == (3, 1, 1, 1)
    assert (c.sent, c.received, d.sent, d.received) == (1, 2, 1, 2)
    assert a.sent_acceptance == pytest.approx(2 / 3)  # accepted, declined, held
    assert a.received_acceptance is None  # its one invitation is pending
    assert b.received_acceptance == 1.0
    assert c.received_acceptance == pytest.approx(1 / 2)
    assert c.sent_acceptance == 0.0
    assert m.role("d").received_by_status == StatusCounts(accepted=1, declined=1)
    # unordered pairs with invitations: ab, ac, cd; only ab invited both ways
    assert m.n_pairs == 3
    assert m.reciprocated == (("a", "b"),)
    assert m.reciprocated_share == pytest.approx(1 / 3)
    cov = m.coverage
    assert cov.n_ties == 4  # the duplicate counts once
    assert cov.covered == (("b", "a"), ("c", "a"), ("d", "c"))
    assert cov.uncovered == (("d", "b"),)
    assert cov.covered_accepted == (("b", "a"), ("c", "a"))  # c -> d was declined
    assert cov.share == pytest.approx(3 / 4)
    assert cov.share_accepted == pytest.approx(1 / 2)


def test_wave_filter() -> None:
    m = invitation_metrics(study(), wave="w1")
    assert m.n_invitations == 3
    assert m.wave == "w1"
    assert m.reciprocated == (("a", "b"),)
    assert m.acceptance_rate == pytest.approx(1 / 2)


def test_no_invitations() -> None:
    m = invitation_metrics(study(invitations=[]))
    assert m.n_invitations == 0
    assert m.acceptance_rate is None
    assert m.reciprocated_share is None
    assert m.coverage.share is None
    assert [r.sent for r in m.roles] == [0, 0, 0, 0]


def test_acceptance_rate_counts_held_as_accepted() -> None:
    assert acceptance_rate(StatusCounts(pending=9, held=1, declined=1)) == 0.5
    assert acceptance_rate(StatusCounts(pending=3)) is None


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="no wave 'w3'"):
        invitation_metrics(study(), wave="w3")
    with pytest.raises(InvalidInputError, match="unknown role 'zz'"):
        invitation_metrics(study(), weak_or_asymmetric=[("a", "zz")])


def invitation_studies() -> st.SearchStrategy[Study]:
    """Generated studies with invitations (relcoord.testing.strategies)."""
    return studies(max_roles=7, max_invitations=20, max_ratings=0, with_ties=False)


@given(invitation_studies(), st.data())
def test_invitation_invariants(generated: Study, data: st.DataObject) -> None:
    ids = generated.role_ids
    ties = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids))))
    m = invitation_metrics(generated, weak_or_asymmetric=ties)
    assert sum(r.sent for r in m.roles) == sum(r.received for r in m.roles) == m.n_invitations
    assert m.by_status.total == m.n_invitations
    if m.acceptance_rate is not None:
        assert 0 <= m.acceptance_rate <= 1
    assert len(m.reciprocated) <= m.n_pairs
    assert set(m.coverage.covered_accepted) <= set(m.coverage.covered)
    assert set(m.coverage.covered) | set(m.coverage.uncovered) == set(ties)
    # every invitation, turned into a tie, is covered; so is its reverse
    arrows = [(i.source, i.target) for i in generated.invitations]
    both_ways = invitation_metrics(generated, weak_or_asymmetric=arrows + [
        (t, s) for s, t in arrows])
    assert both_ways.coverage.uncovered == ()


@given(invitation_studies())
def test_mirrored_invitations_are_all_reciprocated(generated: Study) -> None:
    mirrored = [attrs.evolve(i, source=i.target, target=i.source) for i in generated.invitations]
    m = invitation_metrics(attrs.evolve(generated,
                                        invitations=[*generated.invitations, *mirrored]))
    assert len(m.reciprocated) == m.n_pairs
    assert all(r.sent == r.received for r in m.roles)
