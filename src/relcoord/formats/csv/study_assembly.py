"""Put the ratings read from a table and the tables beside them together into a study.

Every CSV importer ends here ([`build_study`][relcoord.formats.csv.study_assembly.build_study]): the
layouts ([`long_layout`][relcoord.formats.csv.long_layout],
[`wide_layout`][relcoord.formats.csv.wide_layout],
[`relationskort`][relcoord.formats.csv.relationskort]) and the folder and zip reader
([`bundle`][relcoord.formats.csv.bundle]).  The respondents come from the ratings (each in the role
of their first rating) and from a respondents table; the roles from a roles table, which must then
hold every role a rating names, or else from the labels used.  A problem is reported at the line of
the rating it is about.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError, Problem
from relcoord.formats.csv.located_ratings import LocatedRatings
from relcoord.formats.csv.records import SideTables
from relcoord.formats.csv.table import MAX_PROBLEMS, raise_problems
from relcoord.instruments import Instrument
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.ratings import Ratings

__all__ = ["build_study", "respondents_of"]


def _file_order(codes: npt.NDArray[np.int32], rows: npt.NDArray[np.int64]
                ) -> npt.NDArray[np.intp]:
    """The order that sorts ratings by respondent code, then by line."""
    if len(codes) > 1 and bool(((codes[1:] > codes[:-1]) | (
            (codes[1:] == codes[:-1]) & (rows[1:] > rows[:-1]))).all()):
        return np.arange(len(codes))  # sorted by respondent, then by line already
    return np.lexsort((rows, codes))


def _first_ratings(codes: npt.NDArray[np.int32], rows: npt.NDArray[np.int64]
                   ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.intp]]:
    """Each respondent code (ascending) and the index of its rating that comes first in the
    file (the smallest row, and of ratings on one row the first).

    Ratings grouped by respondent already (the importers' key order) take a linear path, a
    minimum per respondent's segment; otherwise they are sorted by respondent, then line.
    """
    if len(codes) > 1 and bool((codes[1:] >= codes[:-1]).all()):
        starts = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
        counts = np.diff(np.append(starts, len(codes)))
        segment = np.repeat(np.arange(len(starts)), counts)
        hits = np.flatnonzero(rows == np.minimum.reduceat(rows, starts)[segment])
        at = segment[hits]
        first = hits[np.concatenate(([True], at[1:] != at[:-1]))]
        return codes[starts], first
    order = _file_order(codes, rows)
    ordered = codes[order]
    first_sorted = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return ordered[first_sorted], order[first_sorted]


def respondents_of(located: LocatedRatings) -> tuple[list[Respondent], list[Problem]]:
    """One respondent per respondent label, in the role of their first rating.

    A respondent who rates from two roles is a problem, located at the rating that differs.
    """
    ratings = located.ratings
    has = ratings.respondent >= 0
    if not has.any():
        return [], []
    codes = ratings.respondent[has]
    sources = ratings.source[has]
    # the first rating of each respondent in file order decides their role
    rows = located.first_row[has]
    people, first = _first_ratings(codes, rows)
    owner = np.full(len(ratings.respondents), -1, dtype=np.int64)
    owner[people] = sources[first]
    wrong = np.flatnonzero(owner[codes] != sources)
    problems: list[Problem] = []
    if len(wrong):
        table = located.table
        messages = [
            f"respondent {ratings.respondents[codes[i]]!r} rates from role "
            f"{ratings.roles[sources[i]]!r} here, but from {ratings.roles[owner[codes[i]]]!r} "
            f"at {table.record_place(int(rows[first[np.searchsorted(people, codes[i])]]))}"
            for i in wrong[:MAX_PROBLEMS]
        ]
        problems = table.problems_at(rows[wrong], located.source_column, messages,
                                     summary="a respondent in two roles")
    names, roles = ratings.respondents, ratings.roles  # plain ints: no numpy scalar per person
    respondents = [Respondent(names[p], roles[r])
                   for p, r in zip(people.tolist(), owner[people].tolist(), strict=True)]
    return respondents, problems


def _unknown_roles(located: LocatedRatings, known: set[str], roles_name: str
                   ) -> list[Problem]:
    ratings = located.ratings
    missing = np.array([r not in known for r in ratings.roles], dtype=bool)
    if not missing.any():
        return []
    problems: list[Problem] = []
    for field, codes, column in (("rater", ratings.source, located.source_column),
                                 ("target", ratings.target, located.target_column)):
        bad = np.flatnonzero(missing[codes])
        if len(bad):
            problems += located.table.problems_at(
                located.first_row[bad], column,
                [f"unknown {field} role {ratings.roles[codes[i]]!r}: not in the roles table "
                 f"{roles_name}" for i in bad[:MAX_PROBLEMS]],
                summary=f"unknown {field} roles")
    return problems


def _all_respondents(name: str, located: LocatedRatings | None,
                     listed: Sequence[Respondent]) -> tuple[list[Respondent], list[Problem]]:
    """The respondents of a respondents table, then those only the ratings name."""
    people = list(listed)
    if located is None:
        return people, []
    found, problems = respondents_of(located)
    if not people:  # no respondents table: the ratings name everyone, once each
        return found, problems
    known_people = {p.id: p.role for p in people}
    for person in found:
        if person.id in known_people and known_people[person.id] != person.role:
            problems.append(Problem(name, (
                f"respondent {person.id!r} is in role {known_people[person.id]!r} in the "
                f"respondents table but rates from role {person.role!r}")))
        elif person.id not in known_people:
            people.append(person)
    return people, problems


def _inferred_roles(located: LocatedRatings | None, side: SideTables,
                    people: Sequence[Respondent]) -> list[Role]:
    """Roles from the labels used, without a roles table: a role is present when it rated,
    drew an arrow or sent an invitation."""
    used: set[str] = set()
    raters: set[str] = set()
    if located is not None:
        ratings = located.ratings
        used.update(ratings.roles)
        rated_from = np.bincount(ratings.source, minlength=len(ratings.roles))
        raters.update(ratings.roles[int(c)] for c in np.flatnonzero(rated_from))
    for pair in [(t.source, t.target) for t in side.ties] + [
            (i.source, i.target) for i in side.invitations]:
        used.update(pair)
        raters.add(pair[0])
    their_roles = set(map(operator.attrgetter("role"), people))
    used |= their_roles
    raters |= their_roles
    return [Role(id=r, name=r, present=r in raters) for r in sorted(used)]


def build_study(*, name: str, instrument: Instrument, metadata: Metadata,
                ratings: LocatedRatings | None, side: SideTables,
                start: str | None = None) -> Study:
    """Put ratings, roles, respondents, ties and invitations together into a checked study.

    ``name`` is the file problems without a line are reported at; ``start`` the place of
    its first cell (default ``name:1:1``).  Without a roles table
    (``side.roles`` is ``None``), the roles are inferred from the labels used.
    """
    people, problems = _all_respondents(name, ratings, side.respondents)
    if side.roles is not None:
        if ratings is not None:
            problems += _unknown_roles(ratings, {r.id for r in side.roles}, side.roles_name)
        roles = list(side.roles)
    else:
        roles = _inferred_roles(ratings, side, people)
    raise_problems(problems)
    store = ratings.ratings if ratings is not None else Ratings.empty(instrument.keys)
    if not roles:
        raise InvalidInputError(start or f"{name}:1:1",
                                "the file has no data rows and names no roles: nothing to import")
    return Study(metadata=metadata, instrument=instrument, roles=roles,
                 respondents=people, ties=side.ties, ratings=store,
                 invitations=side.invitations)
