"""Properties of the domain model over generated studies.

- every generated study passes the shipped schema and the domain checks;
- ``dump`` then ``load`` gives an equal study (and the same text again);
- construction does not depend on the order of roles, respondents, ties, ratings or
  invitations;
- a state machine over the editing API never reaches a dangling reference and refuses the
  edits that would create one.
"""

from __future__ import annotations

import io
import json
import random
from typing import Any

import numpy as np
import pytest
from hypothesis import event, given, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

import relcoord
from relcoord import InvalidStudyError, Invitation, NamedTie, Rating, Respondent, Role, Study
from relcoord.model import STUDY_TABLES
from relcoord.serialization import study_to_mapping
from relcoord.testing.strategies import (
    identifiers,
    invitations_for,
    ratings_for,
    roles,
    studies,
    ties_for,
)
from relcoord.validation import schema_problems, validate


def dangling_references(study: Study) -> list[str]:
    """Every reference in ``study`` that does not resolve, checked the slow, obvious way."""
    role_ids = {r.id for r in study.roles}
    owner = {p.id: p.role for p in study.respondents}
    out: list[str] = []
    out += [f"respondent {p.id} -> role {p.role}" for p in study.respondents
            if p.role not in role_ids]
    for kind, items in (("tie", study.ties), ("invitation", study.invitations)):
        out += [f"{kind} {x}" for x in items
                if x.source not in role_ids or x.target not in role_ids]
    for r in study.ratings:
        if r.source not in role_ids or r.target not in role_ids:
            out.append(f"rating {r} names an unknown role")
        if r.respondent is not None and owner.get(r.respondent) != r.source:
            out.append(f"rating {r}: respondent unknown or in another role")
    # the store's invariant inside a study (see HELPERS.md / Study)
    ratings = study.ratings
    if ratings.roles != study.role_ids:
        out.append("ratings.roles != study.role_ids")
    if ratings.respondents != tuple(p.id for p in study.respondents):
        out.append("ratings.respondents != respondent ids")
    if ratings.dimensions != study.instrument.keys:
        out.append("ratings.dimensions != instrument keys")
    return out


# --- schema and round trip ---------------------------------------------------------------


@given(studies())
def test_generated_studies_are_valid(study: Study) -> None:
    assert dangling_references(study) == []
    document = json.loads(relcoord.dumps(study))
    assert schema_problems(document) == []
    assert validate(document) == []


@given(studies())
def test_dump_then_load_gives_an_equal_study(study: Study) -> None:
    text = relcoord.dumps(study)
    again = relcoord.load(io.StringIO(text))
    assert again == study
    assert relcoord.dumps(again) == text  # canonical: the same study, the same text
    assert relcoord.load(study_to_mapping(study)) == study


@given(studies(instrument="rc7", max_ratings=6), st.data())
def test_a_changed_score_makes_studies_unequal(study: Study, data: st.DataObject) -> None:
    # guards the round-trip property against an equality that is always true
    present = np.argwhere(~np.isnan(study.ratings.scores))
    if not len(present):
        return
    row, col = present[data.draw(st.integers(0, len(present) - 1))]
    scores = study.ratings.scores.copy()
    scores[row, col] = 6.0 - scores[row, col] if scores[row, col] != 3.0 else 1.0
    changed = relcoord.Ratings.from_arrays(
        source=study.ratings.source, target=study.ratings.target, scores=scores,
        dimensions=study.ratings.dimensions, roles=study.ratings.roles,
        respondent=study.ratings.respondent, respondents=study.ratings.respondents,
        wave=study.ratings.wave, waves=study.ratings.waves,
    )
    assert changed != study.ratings
    assert Study(metadata=study.metadata, instrument=study.instrument, roles=study.roles,
                 respondents=study.respondents, ties=study.ties, ratings=changed,
                 invitations=study.invitations) != study


# --- order independence ------------------------------------------------------------------


def _shuffled(items: Any, rnd: random.Random) -> list[Any]:
    out = list(items)
    rnd.shuffle(out)
    return out


@given(studies(), st.randoms(use_true_random=False))
def test_construction_ignores_input_order(study: Study, rnd: random.Random) -> None:
    order = np.array(_shuffled(range(len(study.ratings)), rnd), dtype=np.intp)
    again = Study(
        metadata=study.metadata,
        instrument=study.instrument,
        roles=_shuffled(study.roles, rnd),
        respondents=_shuffled(study.respondents, rnd),
        ties=_shuffled(study.ties, rnd),
        ratings=study.ratings.select(order),
        invitations=_shuffled(study.invitations, rnd),
    )
    assert again == study
    # stored in the same canonical order, not merely equal
    assert (again.roles, again.respondents, again.ties, again.invitations) == (
        study.roles, study.respondents, study.ties, study.invitations)
    assert relcoord.dumps(again) == relcoord.dumps(study)
    # ratings given as Rating objects in another order build the same study too
    from_records = Study(metadata=study.metadata, instrument=study.instrument,
                         roles=study.roles, respondents=study.respondents,
                         ratings=_shuffled(study.ratings, rnd), ties=study.ties,
                         invitations=study.invitations)
    assert from_records == study


# --- the editing API as a state machine --------------------------------------------------

MISSING = "zz-not-a-role"


class EditingMachine(RuleBasedStateMachine):
    """Random sequences of edits; valid edits succeed, invalid ones are refused."""

    study: Study

    @initialize(study=studies(max_roles=5, max_respondents=6, max_ratings=8))
    def start(self, study: Study) -> None:
        self.study = study

    def _refused(self, edit: Any, *args: Any, **kwargs: Any) -> None:
        before = self.study
        event(f"refused {getattr(edit, '__name__', edit)}")
        with pytest.raises((InvalidStudyError, KeyError)):
            edit(*args, **kwargs)
        assert self.study is before

    def _referenced(self, role_id: str) -> bool:
        s = self.study
        return (any(p.role == role_id for p in s.respondents)
                or any(role_id in (t.source, t.target) for t in s.ties)
                or any(role_id in (i.source, i.target) for i in s.invitations)
                or any(role_id in (r.source, r.target) for r in s.ratings))

    # roles

    @rule(role=roles())
    def add_or_replace_role(self, role: Role) -> None:
        self.study = self.study.with_role(role)
        assert role in self.study.roles

    @rule(data=st.data(), cascade=st.booleans())
    def remove_role(self, data: st.DataObject, cascade: bool) -> None:
        role_id = data.draw(st.sampled_from(self.study.role_ids))
        note(f"remove role {role_id!r} cascade={cascade}")
        last = len(self.study.roles) == 1
        if last or (not cascade and self._referenced(role_id)):
            self._refused(self.study.without_role, role_id, cascade=cascade)
            return
        self.study = self.study.without_role(role_id, cascade=cascade)
        assert role_id not in self.study.role_ids
        assert not self._referenced(role_id)

    @rule()
    def remove_unknown_role(self) -> None:
        if MISSING not in self.study.role_ids:
            self._refused(self.study.without_role, MISSING)

    # respondents

    @rule(data=st.data(), person=identifiers())
    def add_respondent(self, data: st.DataObject, person: str) -> None:
        role_id = data.draw(st.sampled_from(self.study.role_ids))
        old = {p.id: p.role for p in self.study.respondents}
        rated = any(r.respondent == person for r in self.study.ratings)
        if person in old and old[person] != role_id and rated:
            # moving a person who rated to another role would orphan their ratings' source
            self._refused(self.study.with_respondent, Respondent(person, role_id))
            return
        self.study = self.study.with_respondent(Respondent(person, role_id))
        assert Respondent(person, role_id) in self.study.respondents

    @rule(person=identifiers())
    def add_respondent_in_unknown_role(self, person: str) -> None:
        if MISSING not in self.study.role_ids:
            self._refused(self.study.with_respondent, Respondent(person, MISSING))

    @precondition(lambda self: bool(self.study.respondents))
    @rule(data=st.data())
    def remove_respondent(self, data: st.DataObject) -> None:
        person = data.draw(st.sampled_from(self.study.respondents))
        self.study = self.study.without_respondent(person.id)
        assert person not in self.study.respondents
        assert all(r.respondent != person.id for r in self.study.ratings)

    # ties

    @rule(data=st.data())
    def add_tie(self, data: st.DataObject) -> None:
        for tie in data.draw(ties_for(self.study, max_size=2)):
            self.study = self.study.with_tie(tie)
            assert tie in self.study.ties

    @rule(data=st.data())
    def add_tie_to_unknown_role(self, data: st.DataObject) -> None:
        if MISSING not in self.study.role_ids:
            source = data.draw(st.sampled_from(self.study.role_ids))
            self._refused(self.study.with_tie, NamedTie(source, MISSING))

    @precondition(lambda self: bool(self.study.ties))
    @rule(data=st.data())
    def remove_tie(self, data: st.DataObject) -> None:
        tie = data.draw(st.sampled_from(self.study.ties))
        self.study = self.study.without_tie(tie)
        assert tie not in self.study.ties

    # ratings

    @rule(data=st.data())
    def add_ratings(self, data: st.DataObject) -> None:
        new = data.draw(ratings_for(self.study, min_size=1, max_size=3))
        before = len(self.study.ratings)
        self.study = self.study.with_ratings(new)
        assert len(self.study.ratings) == before + len(new)

    @rule(data=st.data())
    def add_rating_of_unknown_role(self, data: st.DataObject) -> None:
        if MISSING in self.study.role_ids:
            return
        source = data.draw(st.sampled_from(self.study.role_ids))
        bad = Rating(source=source, target=MISSING, scores={})
        self._refused(self.study.with_ratings, [bad])

    @rule(data=st.data())
    def add_rating_with_wrong_source(self, data: st.DataObject) -> None:
        people = self.study.respondents
        others = [p for p in people if any(r != p.role for r in self.study.role_ids)]
        if not others:
            return
        person = data.draw(st.sampled_from(others))
        source = data.draw(st.sampled_from([r for r in self.study.role_ids if r != person.role]))
        bad = Rating(source=source, target=source, respondent=person.id, scores={})
        self._refused(self.study.with_ratings, [bad])

    # invitations

    @rule(data=st.data())
    def add_invitation(self, data: st.DataObject) -> None:
        for invitation in data.draw(invitations_for(self.study, max_size=2)):
            count = self.study.invitations.count(invitation)
            self.study = self.study.with_invitation(invitation)
            assert self.study.invitations.count(invitation) == count + 1

    @rule(data=st.data())
    def add_invitation_to_unknown_role(self, data: st.DataObject) -> None:
        if MISSING not in self.study.role_ids:
            source = data.draw(st.sampled_from(self.study.role_ids))
            self._refused(self.study.with_invitation, Invitation(source, MISSING))

    @precondition(lambda self: bool(self.study.invitations))
    @rule(data=st.data())
    def remove_invitation(self, data: st.DataObject) -> None:
        invitation = data.draw(st.sampled_from(self.study.invitations))
        count = self.study.invitations.count(invitation)
        self.study = self.study.without_invitation(invitation)
        assert self.study.invitations.count(invitation) == count - 1

    @invariant()
    def no_dangling_reference(self) -> None:
        assert dangling_references(self.study) == []


EditingMachine.TestCase.settings = settings(stateful_step_count=20)
TestEditing = EditingMachine.TestCase


# --- the blocked score check (model._scores_on_scale) finds a bad score in any block ------


@pytest.mark.parametrize("row", [0, 32767, 32768, 69999])
def test_off_scale_score_is_found_in_a_large_store(row: int) -> None:
    n = 70_000  # three blocks of the score check
    scores = np.full((n, 4), 3.0)
    scores[::7, 1] = np.nan
    scores[row, 2] = 3.5
    store = relcoord.Ratings.from_arrays(
        source=np.zeros(n, dtype=np.int32), target=np.zeros(n, dtype=np.int32),
        roles=("a",), scores=scores, dimensions=("frequent", "timely", "accurate",
                                                 "problem_solving"))
    with pytest.raises(InvalidStudyError) as caught:
        Study(metadata=relcoord.Metadata(id="x"), instrument="relationskort",
              roles=[Role("a", "A")], ratings=store)
    assert [p.path for p in caught.value.problems] == [f"$.ratings[{row}].scores.accurate"]


def test_off_scale_score_is_found_when_dimensions_have_different_scales() -> None:
    instrument = relcoord.Instrument.from_mapping({"id": "mixed", "dimensions": [
        {"key": "frequent", "scoring": [1, 2, 3]},
        {"key": "timely", "scoring": [1, 2, 3, 4, 5, 6, 7]},
    ]})
    good = [Rating(source="a", target="a", scores={"frequent": 3, "timely": 7})]
    study = Study(metadata=relcoord.Metadata(id="x"), instrument=instrument,
                  roles=[Role("a", "A")], ratings=good)
    assert len(study.ratings) == 1
    bad = Rating(source="a", target="a", scores={"frequent": 7, "timely": 3})
    with pytest.raises(InvalidStudyError, match=r"ratings\[1\]\.scores\.frequent: score 7"):
        study.with_ratings([bad])


# --- the study's tables ---------------------------------------------------------------------


@settings(max_examples=30)
@given(studies())
def test_each_study_table_lists_what_the_study_holds(study: Study) -> None:
    """Every table has one row per item, in the study's order, and reads back to it."""
    roles = study.to_frame("roles", "polars")
    assert roles.get_column("id").to_list() == list(study.role_ids)
    assert roles.get_column("present").to_list() == [r.present for r in study.roles]
    for role, row in zip(study.roles, roles.iter_rows(named=True), strict=True):
        assert {k[len("name_"):]: v for k, v in row.items()
                if k.startswith("name_") and v is not None} == dict(role.names)
    ties = study.to_frame("ties", "polars")
    assert tuple(NamedTie(**row) for row in ties.iter_rows(named=True)) == study.ties
    invitations = study.to_frame("invitations", "polars")
    assert tuple(Invitation(**row) for row in invitations.iter_rows(named=True)) == \
        study.invitations
    respondents = study.to_frame("respondents")
    assert list(respondents["id"]) == [r.id for r in study.respondents]
    assert study.table("ratings").n_rows == len(study.ratings)
    assert set(STUDY_TABLES) == {"roles", "ties", "invitations", "respondents", "ratings"}
    with pytest.raises(ValueError, match="no study table 'answers'"):
        study.table("answers")  # type: ignore[arg-type]


@given(studies())
def test_respondent_role_codes_name_each_respondent_s_role(study: Study) -> None:
    codes = study.respondent_role_codes
    assert not codes.flags.writeable
    assert [study.role_ids[c] for c in codes.tolist()] == [p.role for p in study.respondents]
