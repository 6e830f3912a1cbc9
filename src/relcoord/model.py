"""The domain model: roles, respondents, named ties, ratings, invitations and the study.

Every class is an immutable `attrs` value object.  A [`Study`][relcoord.model.Study] checks
referential integrity when it is built, so no study can exist with a tie, rating, respondent or
invitation that names an unknown role or respondent; the editing methods (``with_*``,
``without_*``) return new studies and check again.

Collections are stored in a canonical order (roles and respondents by id, ties and
invitations by their fields), so two studies built from the same facts listed in another
order are equal.  Ratings live in the columnar [`Ratings`][relcoord.ratings.Ratings] store,
whose role and respondent codes a study keeps aligned with its own role and respondent order.
"""

from __future__ import annotations

import functools
import itertools
import operator
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidStudyError, Problem
from relcoord.instruments import Instrument, get_instrument
from relcoord.messages import join, text
from relcoord.notebook import notebook_language, summary_html
from relcoord.optional_dependencies import numba_jit
from relcoord.ratings import Rating, Ratings
from relcoord.tables import FrameBackend, Table, TableColumn

__all__ = [
    "INVITATION_STATUSES",
    "STUDY_TABLES",
    "Invitation",
    "InvitationStatus",
    "Metadata",
    "NamedTie",
    "Respondent",
    "Role",
    "Study",
    "StudyTable",
]

InvitationStatus = Literal["pending", "accepted", "declined", "held"]
#: The states a balkort invitation can be in: left open, accepted, declined, or accepted and
#: the dialogue has taken place.
INVITATION_STATUSES: Final[tuple[str, ...]] = get_args(InvitationStatus)

#: The tables of a study's data ([`Study.table`][relcoord.model.Study.table]): the first three are
#: also the CSV
#: folder's ``roles.csv``, ``ties.csv`` and ``invitations.csv``.
StudyTable = Literal["roles", "ties", "invitations", "respondents", "ratings"]
#: The names of [`StudyTable`][relcoord.model.StudyTable].
STUDY_TABLES: Final[tuple[StudyTable, ...]] = get_args(StudyTable)

#: Problems of one kind listed before the rest are summarised in one line.
MAX_PROBLEMS_PER_CHECK: Final = 1000
#: The character no id may hold: NUL, which C libraries and many files take for the end of
#: the text (an id holding one is a byte of a binary file that reached a label).
_NUL: Final = "\x00"


def _names(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), str(v)) for k, v in pairs))


@attrs.frozen
class Role:
    """A function group (work role): the unit Relational Coordination is measured between.

    ``names`` holds the role's name in other languages as ``(language, name)`` pairs (a
    mapping is accepted); ``present`` is false for a role that was named or rated but had no
    respondents present (the "named but absent" groups of the Trivsel Smiley conferences,
    see the documentation's example study page, ``docs/example.md``).
    """

    id: str
    name: str
    organisation: str | None = None
    present: bool = True
    names: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_names)

    def label(self, lang: str | None = None) -> str:
        """The role's name in ``lang``, falling back to `name`."""
        if lang is not None:
            for code, text in self.names:
                if code == lang:
                    return text
        return self.name


@attrs.frozen
class Respondent:
    """A person (or workshop group) who answered, belonging to one role."""

    id: str
    role: str


@attrs.frozen(order=True)
class NamedTie:
    """A named arrow: ``source`` names ``target`` as an important partner (relationskort)."""

    source: str
    target: str
    wave: str | None = None


@attrs.frozen(order=True)
class Invitation:
    """A balkort invitation: ``source`` invites ``target`` to a dialogue about ``topic``."""

    source: str
    target: str
    topic: str = ""
    status: InvitationStatus = attrs.field(
        default="pending", validator=attrs.validators.in_(INVITATION_STATUSES)
    )
    wave: str | None = None


@attrs.frozen
class Metadata:
    """What a study is: its id, title, the focal process and the language of its names."""

    id: str
    title: str = ""
    focal_process: str = ""
    language: str = "en"
    description: str = ""


def _instrument(value: Instrument | str) -> Instrument:
    return get_instrument(value) if isinstance(value, str) else value


# Typed converters (``converter=tuple`` would make the generated ``__init__`` take an
# ``Iterable`` of an unbound type variable, which mypy --strict refuses for every caller).
def _roles(items: Iterable[Role]) -> tuple[Role, ...]:
    return tuple(items)


def _respondents(items: Iterable[Respondent]) -> tuple[Respondent, ...]:
    return tuple(items)


def _ties(items: Iterable[NamedTie]) -> tuple[NamedTie, ...]:
    return tuple(items)


def _invitations(items: Iterable[Invitation]) -> tuple[Invitation, ...]:
    return tuple(items)


def _ratings(value: Ratings | Iterable[Rating | Mapping[str, Any]] | None) -> Ratings:
    return Ratings.coerce(value)


#: The id of a role or respondent: the key of their canonical order.
_id: Final = operator.attrgetter("id")
#: The role of a respondent.
_role: Final = operator.attrgetter("role")


def _wave_key(wave: str | None) -> str:
    return "" if wave is None else wave


def _tie_key(t: NamedTie) -> tuple[str, str, str]:
    return (_wave_key(t.wave), t.source, t.target)


def _invitation_key(i: Invitation) -> tuple[str, str, str, str, str]:
    return (_wave_key(i.wave), i.source, i.target, i.topic, i.status)


@attrs.frozen(eq=False)
class Study:
    """A Relational Coordination study: who took part, what they named, rated and proposed.

    Build it from value objects; ``ratings`` may be a [`Ratings`][relcoord.ratings.Ratings]
    store or any iterable of [`Rating`][relcoord.ratings.Rating].  ``instrument`` may be a
    built-in id (``"rc7"``).  Raises [`InvalidStudyError`][relcoord.errors.InvalidStudyError]
    listing every broken reference, duplicate id and off-scale score.
    """

    metadata: Metadata
    instrument: Instrument = attrs.field(converter=_instrument)
    roles: tuple[Role, ...] = attrs.field(converter=_roles)
    respondents: tuple[Respondent, ...] = attrs.field(default=(), converter=_respondents)
    ties: tuple[NamedTie, ...] = attrs.field(default=(), converter=_ties)
    ratings: Ratings = attrs.field(factory=Ratings.empty, converter=_ratings)
    invitations: tuple[Invitation, ...] = attrs.field(default=(), converter=_invitations)
    #: Where each role, respondent, tie and invitation stood in the input the study was
    #: built from (see `input_path`); found by the constructor, kept by
    #: `attrs.evolve`, never part of equality.
    input_order: Mapping[str, tuple[Any, ...]] | None = attrs.field(
        default=None, kw_only=True, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.input_order is None:
            object.__setattr__(self, "input_order", _input_order(self))
        # each respondent's id and role read once, for every check (a study may have
        # hundreds of thousands of respondents)
        person_ids = tuple(map(_id, self.respondents))
        person_roles = list(map(_role, self.respondents))
        problems = _check_ids_and_references(self, person_ids, person_roles)
        ratings = self.ratings
        problems += _check_ratings(self, ratings, person_ids, person_roles)
        if problems:
            raise InvalidStudyError(problems)
        roles = tuple(sorted(self.roles, key=_id))
        respondents = self.respondents
        if any(map(operator.ge, person_ids, person_ids[1:])):  # not sorted by id yet
            respondents = tuple(sorted(respondents, key=_id))
            person_ids = tuple(map(_id, respondents))
        ratings = ratings.recode(
            roles=tuple(map(_id, roles)), respondents=person_ids,
            dimensions=self.instrument.keys,
        )
        set_ = object.__setattr__  # the documented way to normalise a frozen attrs instance
        set_(self, "roles", roles)
        set_(self, "respondents", respondents)
        set_(self, "ties", tuple(sorted(set(self.ties), key=_tie_key)))
        set_(self, "invitations", tuple(sorted(self.invitations, key=_invitation_key)))
        set_(self, "ratings", ratings)

    # --- reading ----------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Study):
            return NotImplemented
        return (
            self.metadata == other.metadata
            and self.instrument == other.instrument
            and self.roles == other.roles
            and self.respondents == other.respondents
            and self.ties == other.ties
            and self.invitations == other.invitations
            and self.ratings == other.ratings
        )

    __hash__ = None  # type: ignore[assignment]  # holds arrays: equal but not hashable

    def input_path(self, collection: str, index: int) -> str:
        """The JSON path, as the input was written, of item ``index`` of ``collection``
        (``"roles"``, ``"respondents"``, ``"ties"`` or ``"invitations"``) in this study's
        canonical (sorted) order: ``$.roles[4]`` for the role the user listed fifth, which
        the study may hold first.  Falls back to ``index`` for an item added later."""
        item = getattr(self, collection)[index]
        given = (self.input_order or {}).get(collection, ())
        if collection in ("roles", "respondents"):  # by id: an edit may change the rest
            given = tuple(other.id for other in given)
            item = item.id
        try:
            return f"$.{collection}[{given.index(item)}]"
        except ValueError:
            return f"$.{collection}[{index}]"

    @functools.cached_property
    def role_ids(self) -> tuple[str, ...]:
        """Role ids in the study's (sorted) order: the order of the rating codes."""
        return tuple(r.id for r in self.roles)

    @functools.cached_property
    def respondent_role_codes(self) -> npt.NDArray[np.intp]:
        """Each respondent's role as its position in ``roles`` (the rating codes' numbering),
        in the order of ``respondents``; read-only, computed once per study."""
        index = {role.id: i for i, role in enumerate(self.roles)}
        codes = np.fromiter((index[person.role] for person in self.respondents),
                            dtype=np.intp, count=len(self.respondents))
        codes.setflags(write=False)
        return codes

    @functools.cached_property
    def _roles_by_id(self) -> dict[str, Role]:
        return {role.id: role for role in self.roles}

    def role(self, role_id: str) -> Role:
        """The role with ``role_id``; `KeyError` when there is none."""
        try:
            return self._roles_by_id[role_id]
        except KeyError:
            raise KeyError(f"no role {role_id!r} in study {self.metadata.id!r}") from None

    @property
    def waves(self) -> tuple[str, ...]:
        """Every named wave used by a tie, rating or invitation, sorted."""
        names = {t.wave for t in self.ties} | {i.wave for i in self.invitations}
        names.update(self.ratings.used_waves())
        return tuple(sorted(w for w in names if w is not None))

    @property
    def organisations(self) -> tuple[str, ...]:
        """The organisations the roles belong to, sorted."""
        return tuple(sorted({r.organisation for r in self.roles if r.organisation}))

    # --- as tables and in a notebook ---------------------------------------------------

    def table(self, name: StudyTable) -> Table:
        """One table of the study's data (`STUDY_TABLES`), typed
        columns:

        ``roles``
            ``id``, ``name``, ``organisation``, ``present`` (boolean), then ``name_<lang>``
            for each language a role has a name in (the columns of ``roles.csv``);
        ``ties``
            the named arrows: ``source``, ``target``, ``wave`` (``ties.csv``);
        ``invitations``
            ``source``, ``target``, ``topic``, ``status``, ``wave`` (``invitations.csv``);
        ``respondents``
            ``id``, ``role``;
        ``ratings``
            the answers, one row per rating (`Ratings.table()`
).

        Raises:
            ValueError: an unknown table name.
        """
        if name == "roles":
            return _roles_table(self.roles)
        if name == "ties":
            return Table("ties", (
                TableColumn("source", "text", [t.source for t in self.ties]),
                TableColumn("target", "text", [t.target for t in self.ties]),
                TableColumn("wave", "text", [t.wave for t in self.ties])))
        if name == "invitations":
            found = self.invitations
            return Table("invitations", (
                TableColumn("source", "text", [i.source for i in found]),
                TableColumn("target", "text", [i.target for i in found]),
                TableColumn("topic", "text", [i.topic for i in found]),
                TableColumn("status", "text", [i.status for i in found]),
                TableColumn("wave", "text", [i.wave for i in found])))
        if name == "respondents":
            return Table("respondents", (
                TableColumn("id", "text", [r.id for r in self.respondents]),
                TableColumn("role", "text", [r.role for r in self.respondents])))
        if name == "ratings":
            return self.ratings.table()
        raise ValueError(f"no study table {name!r}; expected one of {', '.join(STUDY_TABLES)}")

    def to_frame(self, name: StudyTable, backend: FrameBackend = "pandas") -> Any:
        """The table ``name`` ([`table`][relcoord.model.Study.table]) as a pandas or polars
        DataFrame.  The data is the study's, whole: ``to_frame("ratings")`` holds every answer with
        its respondent, so share [`Analysis.to_frame`][relcoord.analysis_result.Analysis.to_frame]
        tables instead.

        Raises:
            relcoord.tables.MissingPackageError: the backend's package is not installed.
        """
        return self.table(name).to_frame(backend)

    def __repr__(self) -> str:
        return (f"<Study {self.metadata.id!r}: {len(self.roles)} roles, "
                f"{len(self.respondents)} respondents, {len(self.ratings)} ratings, "
                f"{len(self.ties)} named ties, {len(self.invitations)} invitations; "
                f"instrument {self.instrument.id!r}>")

    def _repr_html_(self) -> str:
        """The notebook's view: a summary table in the study's language."""
        lang = notebook_language(self.metadata.language)
        absent = sum(not r.present for r in self.roles)
        roles = str(len(self.roles))
        if absent:
            roles += f" ({text('notebook.absent', lang)}: {absent})"
        instrument = self.instrument
        rows = [
            (text("notebook.id", lang), self.metadata.id),
            (text("notebook.instrument", lang),
             text(f"instrument.{instrument.id}", lang) if instrument.builtin
             else instrument.title or instrument.id),
            (text("notebook.roles", lang), roles),
            (text("notebook.respondents", lang), str(len(self.respondents))),
            (text("notebook.ratings", lang), str(len(self.ratings))),
            (text("notebook.arrows", lang), str(len(self.ties))),
            (text("notebook.invitations", lang), str(len(self.invitations))),
            (text("notebook.waves", lang),
             join(self.waves, lang) if self.waves else text("notebook.none", lang)),
        ]
        title = self.metadata.title or self.metadata.id
        return summary_html(text("notebook.study", lang, title=title), rows, lang)

    # --- editing: each returns a new, checked study -------------------------------------

    def with_role(self, role: Role) -> Study:
        """Add ``role``, or replace the role with the same id."""
        roles = [r for r in self.roles if r.id != role.id] + [role]
        return attrs.evolve(self, roles=roles)

    def without_role(self, role_id: str, *, cascade: bool = False) -> Study:
        """Remove a role.

        With ``cascade`` the respondents, ties, ratings and invitations that name it go too;
        without, a role still referred to is refused with
        [`InvalidStudyError`][relcoord.errors.InvalidStudyError].
        """
        self.role(role_id)
        roles = [r for r in self.roles if r.id != role_id]
        if not cascade:
            return attrs.evolve(self, roles=roles)
        gone = {r.id for r in self.respondents if r.role == role_id}
        code = self.role_ids.index(role_id)
        keep = (self.ratings.source != code) & (self.ratings.target != code)
        return attrs.evolve(
            self,
            roles=roles,
            respondents=[r for r in self.respondents if r.id not in gone],
            ties=[t for t in self.ties if role_id not in (t.source, t.target)],
            ratings=self.ratings.select(keep),
            invitations=[i for i in self.invitations if role_id not in (i.source, i.target)],
        )

    def with_respondent(self, respondent: Respondent) -> Study:
        """Add ``respondent``, or replace the respondent with the same id."""
        people = [r for r in self.respondents if r.id != respondent.id] + [respondent]
        return attrs.evolve(self, respondents=people)

    def without_respondent(self, respondent_id: str) -> Study:
        """Remove a respondent and every rating they gave."""
        ids = [r.id for r in self.respondents]
        if respondent_id not in ids:
            raise KeyError(f"no respondent {respondent_id!r} in study {self.metadata.id!r}")
        keep = self.ratings.respondent != ids.index(respondent_id)
        return attrs.evolve(
            self,
            respondents=[r for r in self.respondents if r.id != respondent_id],
            ratings=self.ratings.select(keep),
        )

    def with_tie(self, tie: NamedTie) -> Study:
        """Add a named arrow (adding one that exists changes nothing)."""
        return attrs.evolve(self, ties=(*self.ties, tie))

    def without_tie(self, tie: NamedTie) -> Study:
        """Remove a named arrow; `KeyError` when the study lacks it."""
        if tie not in self.ties:
            raise KeyError(f"no tie {tie.source!r} -> {tie.target!r} (wave {tie.wave!r})")
        return attrs.evolve(self, ties=[t for t in self.ties if t != tie])

    def with_checked_ratings(self, ratings: Ratings) -> Study:
        """The study with ``ratings`` in place of its own, made without checking a row again:
        for rows that were checked against this study already, such as a selection of its
        own (``study.ratings.taken(rows)``) or rows coded into its vocabularies from a summary
        of them
        ([`RatingsSummary.ratings`][relcoord.metrics.ratings_summary.RatingsSummary.ratings]).

        A new study checks every rating against its respondents, which takes seconds at a
        million respondents; a block of rater roles cut from a large study needs none of
        it.  Only the vocabularies are compared: ``ratings`` must code roles, dimensions and
        respondents as this study's ratings do (`ValueError` otherwise).  Whatever else the
        checks would find (a respondent rating from another role) is the caller's promise.
        """
        own = self.ratings
        for name in ("roles", "dimensions", "respondents"):
            mine, theirs = getattr(own, name), getattr(ratings, name)
            if mine is not theirs and mine != theirs:
                raise ValueError(f"the ratings code {name} otherwise than the study's")
        fresh = Study.__new__(Study)
        for field in attrs.fields(Study):
            value = ratings if field.name == "ratings" else getattr(self, field.name)
            object.__setattr__(fresh, field.name, value)
        # what is derived from the roles and respondents alone is shared, not derived again
        # for every block cut from one study (a pass over a million respondents)
        for name in _METADATA_CACHES:
            object.__setattr__(fresh, name, getattr(self, name))
        return fresh

    def with_ratings(self, ratings: Ratings | Iterable[Rating]) -> Study:
        """Add ratings to those the study has."""
        if not isinstance(ratings, Ratings):
            ratings = Ratings.from_records(ratings, dimensions=self.instrument.keys)
        return attrs.evolve(self, ratings=Ratings.concat([self.ratings, ratings]))

    def with_invitation(self, invitation: Invitation) -> Study:
        """Add a balkort invitation."""
        return attrs.evolve(self, invitations=(*self.invitations, invitation))

    def without_invitation(self, invitation: Invitation) -> Study:
        """Remove one balkort invitation; `KeyError` when the study lacks it."""
        if invitation not in self.invitations:
            raise KeyError(f"no invitation {invitation.source!r} -> {invitation.target!r}")
        items = list(self.invitations)
        items.remove(invitation)
        return attrs.evolve(self, invitations=items)


#: The cached properties of a study that follow from its roles and respondents alone.
_METADATA_CACHES: Final = ("role_ids", "respondent_role_codes", "_roles_by_id")


# --- integrity checks (shared with relcoord.validation) --------------------------------


def _roles_table(roles: tuple[Role, ...]) -> Table:
    """The ``roles`` table: fixed columns, then a name column per language used."""
    languages = sorted({lang for role in roles for lang, _ in role.names})
    return Table("roles", (
        TableColumn("id", "text", [r.id for r in roles]),
        TableColumn("name", "text", [r.name for r in roles]),
        TableColumn("organisation", "text", [r.organisation for r in roles]),
        TableColumn("present", "boolean", [r.present for r in roles]),
        *(TableColumn(f"name_{lang}", "text", [dict(r.names).get(lang) for r in roles])
          for lang in languages),
    ))


def _duplicates(ids: Iterable[str]) -> dict[str, list[int]]:
    values = ids if isinstance(ids, Sequence) else list(ids)
    if len(set(values)) == len(values):
        return {}  # the common case, without a list per id
    seen: dict[str, list[int]] = {}
    for i, value in enumerate(values):
        seen.setdefault(value, []).append(i)
    return {k: v for k, v in seen.items() if len(v) > 1}


def _check_ids_and_references(study: Study, person_ids: Sequence[str],
                               person_roles: Sequence[str]) -> list[Problem]:
    """Duplicate ids, unwritable texts and references to unknown roles; ``person_ids`` and
    ``person_roles`` are the respondents' ids and roles, in the study's order."""
    problems: list[Problem] = []
    if not study.roles:
        problems.append(Problem("$.roles", "a study needs at least one role"))
    for rid, places in _duplicates(r.id for r in study.roles).items():
        problems += [Problem(f"$.roles[{i}].id", f"duplicate role id {rid!r}") for i in places[1:]]
    for rid, places in _duplicates(person_ids).items():
        problems += [
            Problem(f"$.respondents[{i}].id", f"duplicate respondent id {rid!r}")
            for i in places[1:]
        ]
    problems += _text_problems(study, person_ids)
    roles = {r.id for r in study.roles}

    def need(path: str, role_id: str) -> None:
        if role_id not in roles:
            problems.append(Problem(path, f"unknown role {role_id!r}"))

    if not roles.issuperset(person_roles):
        for i, person in enumerate(study.respondents):
            need(f"$.respondents[{i}].role", person.role)
    for i, tie in enumerate(study.ties):
        need(f"$.ties[{i}].source", tie.source)
        need(f"$.ties[{i}].target", tie.target)
    for i, inv in enumerate(study.invitations):
        need(f"$.invitations[{i}].source", inv.source)
        need(f"$.invitations[{i}].target", inv.target)
    return problems


def _input_order(study: Study) -> dict[str, tuple[Any, ...]]:
    """The collections as given, before sorting (the tuples themselves: nothing is copied;
    [`Study.input_path`][relcoord.model.Study.input_path] searches them on the error path only)."""
    return {"roles": study.roles, "respondents": study.respondents, "ties": study.ties,
            "invitations": study.invitations}


def _is_text(text: str) -> bool:
    """Whether ``text`` can be written as UTF-8 (it holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _located_texts(study: Study) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The study's ids and its other texts, each with its JSON path (the error path only)."""
    ids = [(f"$.roles[{i}].id", role.id) for i, role in enumerate(study.roles)]
    ids += [(f"$.respondents[{i}].id", p.id) for i, p in enumerate(study.respondents)]
    meta = study.metadata
    texts = [(f"$.study.{k}", v) for k, v in (("id", meta.id), ("title", meta.title),
             ("focal_process", meta.focal_process), ("description", meta.description))]
    texts += [(f"$.roles[{i}].{k}", v) for i, r in enumerate(study.roles)
              for k, v in (("name", r.name), ("organisation", r.organisation or ""))]
    texts += [(f"$.roles[{i}].names.{lang}", name) for i, r in enumerate(study.roles)
              for lang, name in r.names]
    texts += [(f"$.ties[{i}].wave", t.wave) for i, t in enumerate(study.ties) if t.wave]
    texts += [(f"$.invitations[{i}].{k}", v) for i, inv in enumerate(study.invitations)
              for k, v in (("topic", inv.topic), ("wave", inv.wave or ""))]
    texts += [("$.ratings", label) for label in study.ratings.waves]
    return ids, texts


def _text_problems(study: Study, person_ids: Sequence[str]) -> list[Problem]:
    """Ids holding a NUL character, and text of any kind that no file can hold: a lone
    surrogate (``"\\ud800"`` in a JSON file), which UTF-8 cannot encode."""
    ids = "".join(map(_id, study.roles)) + "".join(person_ids)
    meta = study.metadata
    other = "".join([meta.id, meta.title, meta.focal_process, meta.description,
                     *(r.name + (r.organisation or "") for r in study.roles),
                     *(name for r in study.roles for _, name in r.names),
                     *(t.wave or "" for t in study.ties),
                     *(i.topic + (i.wave or "") for i in study.invitations),
                     *study.ratings.waves])
    if _NUL not in ids and _is_text(ids) and _is_text(other):
        return []  # the common case: a few joins and one encode, no path built
    located_ids, located_texts = _located_texts(study)
    problems = [Problem(path, f"{text[:40]!r} holds a NUL character (U+0000); an id is "
                        "text, and a NUL is a byte of a binary file")
                for path, text in located_ids if _NUL in text]
    problems += [Problem(path, f"{text[:40]!r} holds a lone surrogate, which no UTF-8 file "
                         "can hold; fix the text (a broken \\uD8xx escape?)")
                 for path, text in (*located_ids, *located_texts) if not _is_text(text)]
    return problems


def _rows(mask: np.ndarray[Any, Any]) -> list[int]:
    return [int(i) for i in np.flatnonzero(mask)]


def _report(
    problems: list[Problem], rows: list[int], path: str, message: Any, summary: str
) -> None:
    """Add one problem per row, at most MAX_PROBLEMS_PER_CHECK, then one summary line."""
    for i in rows[:MAX_PROBLEMS_PER_CHECK]:
        problems.append(Problem(path.format(i=i), message(i)))
    if len(rows) > MAX_PROBLEMS_PER_CHECK:
        extra = len(rows) - MAX_PROBLEMS_PER_CHECK
        problems.append(Problem("$.ratings", f"... and {extra} more ratings with {summary}"))


def _check_ratings(study: Study, ratings: Ratings, person_ids: Sequence[str],
                   person_roles: Sequence[str]) -> list[Problem]:
    """Vectorised checks of the rating store against the study's roles and instrument
    (``person_ids`` and ``person_roles``: the respondents' ids and roles, in order)."""
    problems: list[Problem] = []
    known_roles = {r.id for r in study.roles}
    role_vocab = np.asarray(ratings.roles, dtype=object)
    unknown_role = np.array([r not in known_roles for r in ratings.roles], dtype=bool)
    for field in ("source", "target"):
        codes = getattr(ratings, field)
        if len(codes) and unknown_role.any():
            rows = _rows(unknown_role[codes])
            _report(problems, rows, f"$.ratings[{{i}}].{field}",
                    lambda i, c=codes: f"unknown role {role_vocab[c[i]]!r}", "unknown roles")
    people = ratings.respondents
    has_person = ratings.respondent >= 0
    if people:
        owner: dict[str, str] = {}  # respondent id -> role id, filled when needed
        # the role of each respondent of the store, as a code into ratings.roles; -1: the
        # role is not in that vocabulary (so every rating of theirs has another source);
        # -2: an unknown respondent.  One pass over the respondents, none per rating.
        role_index = {r: i for i, r in enumerate(ratings.roles)}
        if people == person_ids:
            # the common case: the store lists the study's respondents in the same order
            owner_code = np.fromiter(map(role_index.get, person_roles, itertools.repeat(-1)),
                                     dtype=np.int32, count=len(people))
        else:
            owner = {r.id: r.role for r in study.respondents}
            owner_code = np.fromiter(
                (role_index.get(owner[p], -1) if p in owner else -2 for p in people),
                dtype=np.int32, count=len(people))
        unknown_person = owner_code == -2
        codes = ratings.respondent
        everyone = bool(len(codes)) and int(codes.min()) >= 0  # every rating has a respondent
        safe = codes if everyone else np.where(has_person, codes, 0)
        if unknown_person.any():
            rows = _rows(has_person & unknown_person[safe])
            _report(problems, rows, "$.ratings[{i}].respondent",
                    lambda i: f"unknown respondent {people[codes[i]]!r}", "unknown respondents")
        # the rating's source must be the role of its respondent (unknown ones reported above)
        owners = owner_code[safe]  # (take would widen the codes to intp first)
        wrong = owners != ratings.source
        if not everyone:
            wrong &= has_person
        if unknown_person.any():
            wrong &= owners != -2
        rows = _rows(wrong)
        if rows and not owner:
            owner = {r.id: r.role for r in study.respondents}
        _report(
            problems, rows, "$.ratings[{i}].source",
            lambda i: (f"source {role_vocab[ratings.source[i]]!r} is not the role of respondent "
                       f"{people[codes[i]]!r} ({owner[people[codes[i]]]!r})"),
            "a source that is not their respondent's role",
        )
    allowed_keys = set(study.instrument.keys)
    if set(ratings.dimensions) <= allowed_keys and _scores_on_scale(
        ratings.scores, [sorted(study.instrument.dimension(k).scores) for k in ratings.dimensions]
    ):
        return problems  # fast path: nothing to report, so skip the per-column search
    for j, key in enumerate(ratings.dimensions):
        column = ratings.scores[:, j]
        present = ~np.isnan(column)
        if key not in allowed_keys:
            _report(problems, _rows(present), f"$.ratings[{{i}}].scores.{key}",
                    lambda i, k=key: f"unknown dimension {k!r} for instrument "
                    f"{study.instrument.id!r}", f"unknown dimension {key!r}")
            continue
        scale = sorted(study.instrument.dimension(key).scores)
        off = present & ~np.isin(column, scale)
        shown = ", ".join(f"{s:g}" for s in scale)
        _report(problems, _rows(off), f"$.ratings[{{i}}].scores.{key}",
                lambda i, c=column, s=shown: f"score {c[i]:g} is off the scale; expected one of "
                f"{s} or null", f"scores off the {key} scale")
    return problems


#: Rows per block of the score check: a block of 7 float64 columns stays in the CPU cache.
_BLOCK_ROWS: Final = 32768


def _scores_on_scale(scores: np.ndarray[Any, Any], scales: list[list[float]]) -> bool:
    """True when every score is NaN or on its column's scale.

    When numba (the ``fast`` extra) is loaded already and every column has one scale of at
    most eight values, one compiled pass compares each score with the scale's values
    (about a third of numpy's time: no temporaries); importing numba for this check alone
    would cost more than the check, so it is never imported here.  Otherwise numpy checks
    block by block, so that the comparisons run on data still in the CPU cache: one sweep
    through memory instead of one per comparison (about the cost of one copy).  Both give
    the same answer.
    """
    if not scales:
        return True
    uniform = all(scale == scales[0] for scale in scales)
    if (uniform and 1 <= len(scales[0]) <= _COMPILED_VALUES and scores.flags.c_contiguous
            and "numba" in sys.modules):
        compiled = _numba_on_scale()
        if compiled is not None:
            values = [*scales[0], *[scales[0][-1]] * (_COMPILED_VALUES - len(scales[0]))]
            return bool(compiled(scores.reshape(-1), *values))
    for start in range(0, len(scores), _BLOCK_ROWS):
        block = scores[start:start + _BLOCK_ROWS]
        ok = np.isnan(block)
        if uniform:
            for value in scales[0]:
                ok |= block == value
        else:
            for j, scale in enumerate(scales):
                for value in scale:
                    ok[:, j] |= block[:, j] == value
        if not ok.all():
            return False
    return True


#: The most values a scale may have for the compiled score check (padded to this many).
_COMPILED_VALUES: Final = 8


@functools.cache
def _numba_on_scale() -> Callable[..., bool] | None:
    """The compiled score check, or ``None`` without numba."""
    jit = numba_jit()  # only called when numba is loaded already
    if jit is None:
        return None

    @jit
    def on_scale(flat: Any, a: float, b: float, c: float, d: float, e: float, f: float,
                 g: float, h: float) -> bool:  # pragma: no cover - compiled
        # eight comparisons with scalars, no branch per score: the loop vectorises
        n = flat.shape[0]
        for start in range(0, n, _BLOCK_ROWS):
            stop = min(start + _BLOCK_ROWS, n)
            count = 0
            for i in range(start, stop):
                x = flat[i]
                count += ((x != x) | (x == a) | (x == b) | (x == c) | (x == d) | (x == e)
                          | (x == f) | (x == g) | (x == h))
            if count != stop - start:
                return False
        return True

    return on_scale
