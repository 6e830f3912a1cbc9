"""Hypothesis strategies for relcoord studies, for relcoord's tests and for plugin authors.

Dependent data is drawn in order, roles first and then everything that refers to them, so
every generated [`Study`][relcoord.model.Study] is valid by construction (it passes the shipped
schema and the domain rules).  Sizes are configurable and small by default, so properties
stay fast.  Names and ids sometimes carry Danish letters (æ, ø, å), because real RC data in
this field does.

>>> from hypothesis import given
>>> from relcoord.testing.strategies import studies
>>> @given(studies(max_roles=4))
... def test_something(study): ...

This module needs ``hypothesis`` (a test dependency, not a runtime one).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Final

from hypothesis import strategies as st

from relcoord.instruments import DIMENSION_KEYS, INSTRUMENTS, LANGUAGES, Dimension, Instrument
from relcoord.model import (
    INVITATION_STATUSES,
    Invitation,
    Metadata,
    NamedTie,
    Respondent,
    Role,
    Study,
)
from relcoord.ratings import Rating

__all__ = [
    "ID_ALPHABET",
    "NAME_ALPHABET",
    "identifiers",
    "instruments",
    "invitations_for",
    "metadata",
    "names",
    "rater_role_groupings",
    "ratings_for",
    "roles",
    "studies",
    "ties_for",
]

#: Characters of generated ids: lower-case ASCII, Danish letters, digits and a hyphen.
ID_ALPHABET: Final = "abcdefghijklmnopqrstuvwxyzæøå0123456789-"
#: Characters of generated names and free text, including Danish and German letters.
NAME_ALPHABET: Final = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZæøåÆØÅéüöäß0123456789 -()/,."
)
ORGANISATIONS: Final = ("school", "municipality", "hospital", None)


@cache  # strategies are immutable; building them once keeps generation fast
def identifiers(max_size: int = 12) -> st.SearchStrategy[str]:
    """Ids of roles, respondents, studies and waves (non-empty; Danish letters sometimes)."""
    return st.text(alphabet=ID_ALPHABET, min_size=1, max_size=max_size)


@cache
def names(max_size: int = 24, *, min_size: int = 1) -> st.SearchStrategy[str]:
    """Human-readable names and free text, sometimes with Danish letters."""
    return st.text(alphabet=NAME_ALPHABET, min_size=min_size, max_size=max_size)


@cache
def roles(role_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Role]:
    """One [`Role`][relcoord.model.Role]: an id, a name, names in other languages, an
    organisation (or none) and whether it was present."""
    return st.builds(
        Role,
        id=identifiers() if role_id is None else role_id,
        name=names(),
        organisation=st.sampled_from(ORGANISATIONS),
        present=st.booleans(),
        names=st.dictionaries(st.sampled_from(LANGUAGES), names(), max_size=len(LANGUAGES)),
    )


@cache
def metadata() -> st.SearchStrategy[Metadata]:
    """Study metadata with an id, an optional title, focal process and description."""
    return st.builds(
        Metadata,
        id=identifiers(),
        title=names(min_size=0),
        focal_process=names(min_size=0),
        language=st.sampled_from(LANGUAGES),
        description=names(40, min_size=0),
    )


@st.composite
def _custom_instrument(draw: st.DrawFn) -> Instrument:
    keys = draw(st.lists(st.sampled_from(DIMENSION_KEYS), min_size=1, max_size=7, unique=True))
    dims = []
    for key in keys:
        size = draw(st.integers(2, 7))
        scoring = draw(st.permutations([float(s) for s in range(1, size + 1)]))
        labels = {lang: [f"{key}-{lang}-{i + 1}" for i in range(size)]
                  for lang in draw(st.sets(st.sampled_from(LANGUAGES)))}
        dims.append(Dimension(
            key=key,
            sub_index=draw(st.sampled_from(("communication", "relationship"))),
            names=draw(st.dictionaries(st.sampled_from(LANGUAGES), names(), max_size=3)),
            answers=labels,
            scoring=scoring,
        ))
    return Instrument(id=draw(identifiers()), title=draw(names(min_size=0)), dimensions=dims)


@cache
def instruments(*, custom: bool = True) -> st.SearchStrategy[Instrument]:
    """A built-in instrument, or (with ``custom``) an inline one: any subset of the seven
    dimensions, scales of 2 to 7 answers with any position-to-score map."""
    builtin = st.sampled_from([INSTRUMENTS[k] for k in sorted(INSTRUMENTS)])
    return st.one_of(builtin, _custom_instrument()) if custom else builtin


def _optional(values: Sequence[str]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(values) if values else st.none()


def ties_for(
    study: Study, *, waves: Sequence[str] | None = None, max_size: int = 16
) -> st.SearchStrategy[list[NamedTie]]:
    """Distinct named arrows between the roles of ``study`` (waves from ``waves``, default
    the study's waves; ``None`` wave sometimes)."""
    ids = study.role_ids
    wave_names = study.waves if waves is None else tuple(waves)
    tie = st.builds(NamedTie, source=st.sampled_from(ids), target=st.sampled_from(ids),
                    wave=_optional(wave_names))
    return st.lists(tie, max_size=max_size, unique=True)


def invitations_for(
    study: Study, *, waves: Sequence[str] | None = None, max_size: int = 8
) -> st.SearchStrategy[list[Invitation]]:
    """Balkort invitations between the roles of ``study``, any status and topic."""
    ids = study.role_ids
    wave_names = study.waves if waves is None else tuple(waves)
    invitation = st.builds(
        Invitation, source=st.sampled_from(ids), target=st.sampled_from(ids),
        topic=names(min_size=0), status=st.sampled_from(INVITATION_STATUSES),
        wave=_optional(wave_names),
    )
    return st.lists(invitation, max_size=max_size)


def ratings_for(
    study: Study,
    *,
    min_size: int = 0,
    max_size: int = 24,
    waves: Sequence[str] | None = None,
    with_missing: bool = True,
) -> st.SearchStrategy[list[Rating]]:
    """Ratings that ``study`` accepts: a respondent's rating has their role as source, a
    group rating (no respondent) any role; every dimension of the study's instrument gets a
    score from its scale, or ``None`` (missing) when ``with_missing``."""
    ids = study.role_ids
    wave_names = study.waves if waves is None else tuple(waves)
    people = study.respondents
    scores = st.fixed_dictionaries({
        dim.key: (st.none() | st.sampled_from(sorted(dim.scores)) if with_missing
                  else st.sampled_from(sorted(dim.scores)))
        for dim in study.instrument.dimensions
    })

    def rating(person: Respondent | None, source: str, target: str, wave: str | None,
               values: dict[str, float | None]) -> Rating:
        return Rating(source=source if person is None else person.role, target=target,
                      respondent=None if person is None else person.id, wave=wave,
                      scores=values)

    one = st.builds(
        rating,
        st.none() | st.sampled_from(people) if people else st.none(),
        st.sampled_from(ids), st.sampled_from(ids), _optional(wave_names), scores,
    )
    return st.lists(one, min_size=min_size, max_size=max_size)


@st.composite
def studies(
    draw: st.DrawFn,
    *,
    min_roles: int = 1,
    max_roles: int = 8,
    max_respondents: int = 12,
    max_ties: int = 16,
    max_ratings: int = 24,
    max_invitations: int = 8,
    max_waves: int = 3,
    instrument: str | Instrument | None = None,
    with_ties: bool = True,
    with_invitations: bool = True,
    with_missing: bool = True,
) -> Study:
    """A valid [`Study`][relcoord.model.Study] of configurable size.

    Drawn in dependency order: instrument and roles, then waves and respondents (each in a
    present role), then ties, invitations and ratings among them.  ``instrument`` fixes the
    instrument (a built-in id or an object); by default it is drawn from
    [`instruments`][relcoord.testing.strategies.instruments].
    """
    if min_roles < 1:
        raise ValueError("a study needs at least one role (min_roles >= 1)")
    chosen = (draw(instruments()) if instrument is None
              else INSTRUMENTS[instrument] if isinstance(instrument, str) else instrument)
    role_list = draw(st.lists(roles(), min_size=min_roles, max_size=max_roles,
                              unique_by=lambda r: r.id))
    waves = draw(st.lists(identifiers(), max_size=max_waves, unique=True))
    present = [r.id for r in role_list if r.present]
    people: list[Respondent] = []
    if present:
        pairs = draw(st.lists(st.tuples(identifiers(), st.integers(0, len(present) - 1)),
                              max_size=max_respondents, unique_by=lambda p: p[0]))
        people = [Respondent(id=pid, role=present[k]) for pid, k in pairs]
    base = Study(metadata=draw(metadata()), instrument=chosen, roles=role_list,
                 respondents=people)
    ties = draw(ties_for(base, waves=waves, max_size=max_ties)) if with_ties else []
    invitations = (draw(invitations_for(base, waves=waves, max_size=max_invitations))
                   if with_invitations else [])
    ratings = draw(ratings_for(base, max_size=max_ratings, waves=waves,
                               with_missing=with_missing))
    return Study(metadata=base.metadata, instrument=chosen, roles=role_list, respondents=people,
                 ties=ties, ratings=ratings, invitations=invitations)


@st.composite
def rater_role_groupings(draw: st.DrawFn, study: Study) -> tuple[tuple[str, ...], ...]:
    """A random partition of ``study``'s roles into groups (blocks of rater roles, as
    [`rater_role_blocks`][relcoord.rater_role_blocks.rater_role_blocks] takes them), in a
    random order: each role draws its group, empty groups are dropped."""
    ids = study.role_ids
    if not ids:
        return ()
    n_groups = draw(st.integers(1, len(ids)))
    labels = draw(st.lists(st.integers(0, n_groups - 1), min_size=len(ids),
                           max_size=len(ids)))
    groups = [tuple(r for r, g in zip(ids, labels, strict=True) if g == k)
              for k in range(n_groups)]
    order = draw(st.permutations([g for g in groups if g]))
    return tuple(order)
