"""Confidentiality: the minimum-respondent rule, applied once inside ``analyze()``.

Survey platforms never show a figure that rests on fewer than a minimum number of
respondents (commonly 5, never below 3), and the seed's organisers anonymised their results
so that no answer could be traced to a person or a school (``DOMAIN.md``, Confidentiality).
relcoord applies that rule *before* any figure is computed, so that no exporter, report or
figure can leak a small group's answers by accident (``DESIGN.md``, core decision 4).

The rule, with ``k = settings.min_respondents``:

1. **Cells.**  The ratings are grouped into cells: one per tie ``(rater role, target
   role)``, waves pooled, as the analysis pools them.  A cell is *publishable* when every
   figure it feeds rests on at least ``k`` distinct respondents, counted after the
   ``min_items`` rule: its RC (the respondent-ties that count), its communication and
   relationship sub-indices and the mean of each item, where a figure that nobody answered
   (zero respondents) is simply absent.  Respondents are counted once however many waves
   they rated in; a rating without a respondent (a workshop group rating as a group)
   counts as one respondent.  Figures shown *per wave* (a wave comparison) use cells
   ``(rater role, target role, wave)`` (``by_wave=True``) and must leave out every tie that
   has an unpublishable wave cell, so that a pooled tie is never split into a shown and a
   hidden part.
2. **Withholding.**  The ratings of every cell that is not publishable are *removed* before
   any aggregate is computed: ties, roles as rater and target, within/between, the network
   RC and its dimensions, organisations internal/external, weak-tie shares, asymmetry
   pairs, the network weights and the findings all describe publishable ratings only.  A
   withheld cell contributes nothing to any shown figure, so it cannot be recovered by
   subtraction from any combination of them (classic complementary suppression only
   guards against single subtractions and can still leak through linear combinations).
3. **Suppressed ties.**  A tie whose every cell was withheld stays in the ties list with
   every number ``None`` and ``suppressed=True`` plus a reason (``"fewer than 5
   respondents"``), so a reader sees that it was rated but not how.
4. **Aggregates.**  Any aggregate that still rests on fewer than ``k`` respondents is
   suppressed the same way (``None`` plus the reason).  With rule 1 this cannot happen for
   a non-empty aggregate; it is checked anyway, as a second line of defence.

Counts of roles, of respondents per role, named arrows and invitations are workshop-level
facts that the seed itself publishes; they are not answers and are never suppressed.

Respondent ids are the other half: :func:`anonymise_study` omits them or replaces them by
pseudonyms, and the plugin host applies it to every export (:func:`export_view`), so that
no exporter ever writes a raw respondent id.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.metrics.scores import (
    Figure,
    OrganisationScore,
    RCScores,
    RoleScore,
    TieScore,
    respondent_tie_scores,
)
from relcoord.model import Respondent, Study
from relcoord.settings import AnalysisSettings

if TYPE_CHECKING:
    from relcoord.analysis import Analysis

__all__ = [
    "EXPORT_OPTIONS",
    "RESPONDENT_ID_MODES",
    "PrivacySummary",
    "RespondentIdMode",
    "anonymise_study",
    "cell_support",
    "export_view",
    "pseudonyms",
    "publishable_ratings",
    "suppress_scores",
    "suppression_reason",
    "withhold",
]

RespondentIdMode = Literal["omit", "pseudonymise"]
#: What an export does with respondent ids: leave them out, or replace them by pseudonyms.
RESPONDENT_ID_MODES: Final[tuple[str, ...]] = get_args(RespondentIdMode)
#: The export options the plugin host reads (and removes) before it calls a writer.
EXPORT_OPTIONS: Final[Mapping[str, str]] = {
    "respondent_ids": "'omit' (default) or 'pseudonymise': respondent ids are never written "
    "as they are",
    "respondent_key": "a secret: with respondent_ids=pseudonymise, pseudonyms are a keyed "
    "HMAC-SHA256 of the id (stable across exports with the same key)",
}
#: The prefix of every pseudonym.
PSEUDONYM_PREFIX: Final = "R"

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


def suppression_reason(min_respondents: int) -> str:
    """The reason given for every suppressed figure: ``"fewer than 5 respondents"``."""
    return f"fewer than {min_respondents} respondents"


# --- which ratings may be published ---------------------------------------------------------


def _cells(study: Study, *, by_wave: bool) -> Ints:
    """The cell code ``(source, target)``, or ``(source, target, wave)``, of every row."""
    ratings = study.ratings
    k = len(study.roles)
    pair = ratings.source.astype(np.int64) * k + ratings.target.astype(np.int64)
    if not by_wave:
        return pair
    n_waves = len(ratings.waves) + 1  # wave code -1 (none) becomes 0
    return pair * n_waves + (ratings.wave.astype(np.int64) + 1)


@attrs.frozen(eq=False)
class _PeopleInCells:
    """Rating rows sorted once by ``(cell, respondent)``, so that counting the distinct
    respondents per cell among any subset of rows is a linear pass (no sort per subset)."""

    order: Ints
    keys: Ints
    cells: Ints
    anonymous: Bools
    size: int

    @classmethod
    def of(cls, cells: Ints, people: npt.NDArray[np.int32], size: int) -> _PeopleInCells:
        n_people = int(people.max()) + 2 if len(people) else 1
        keys = cells * n_people + (people.astype(np.int64) + 1)  # -1 (none) becomes 0
        order = np.argsort(keys, kind="stable")
        return cls(order=order, keys=keys[order], cells=cells[order],
                   anonymous=people[order] < 0, size=size)

    def distinct(self, rows: Bools) -> Ints:
        """Distinct respondents per cell among ``rows`` (a row without respondent counts
        one)."""
        chosen = rows[self.order]
        keys, cells, anonymous = self.keys[chosen], self.cells[chosen], self.anonymous[chosen]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        counted = first | anonymous
        return np.bincount(cells[counted], minlength=self.size).astype(np.int64)


def cell_support(
    study: Study, *, min_items: int, by_wave: bool = False, items: bool = True
) -> tuple[Ints, Ints, int]:
    """How many distinct respondents stand behind the weakest figure of each cell.

    Returns ``(cells, support, size)``: the cell code of every rating row, and per cell code
    the least number of distinct respondents behind any figure the cell feeds (its RC, its
    two sub-indices, each item's mean), ignoring figures that nobody answered; ``0`` for a
    cell that feeds no figure at all.  ``size`` is the number of possible cell codes.
    Cells are ties (waves pooled), or ties in one wave with ``by_wave``; with
    ``items=False`` only the RC's respondents are counted.
    """
    per = respondent_tie_scores(study, min_items=min_items)
    ratings = study.ratings
    cells = _cells(study, by_wave=by_wave)
    size = max(1, len(study.roles) ** 2 * ((len(ratings.waves) + 1) if by_wave else 1))
    people = _PeopleInCells.of(cells, ratings.respondent, size)
    masks = [per.counted]
    if items:
        masks += [~np.isnan(per.communication), ~np.isnan(per.relationship)]
        masks += [per.counted & ~np.isnan(ratings.scores[:, j])
                  for j in range(ratings.scores.shape[1])]
    support = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    for rows in masks:
        n = people.distinct(rows)
        support = np.where(n > 0, np.minimum(support, n), support)
    support[support == np.iinfo(np.int64).max] = 0
    return cells, support, size


def publishable_ratings(
    study: Study, settings: AnalysisSettings, *, by_wave: bool = False
) -> Bools:
    """Which rating rows may feed a published figure (``True``) and which are withheld.

    A row is publishable when its cell (its tie, or with ``by_wave`` its tie in its wave)
    is: every figure the cell feeds rests on at least ``settings.min_respondents`` distinct
    respondents (see the module docstring).  A row in a cell that feeds no figure (every
    rating below ``min_items``) is withheld too, so that its answers cannot tip any count.
    """
    cells, support, _ = cell_support(
        study, min_items=settings.items_needed(study.instrument), by_wave=by_wave
    )
    return np.asarray(support[cells] >= settings.min_respondents, dtype=bool)


@attrs.frozen(eq=False)
class PrivacySummary:
    """What the minimum-respondent rule withheld in one analysis.

    Attributes:
        min_respondents: the ``k`` in force.
        override: whether ``k`` below 3 was allowed by ``min_respondents_override``.
        reason: the text every suppressed figure carries.
        n_ratings: all ratings of the study.
        ratings_withheld: ratings removed before any figure was computed.
        respondents_affected: distinct respondents with at least one withheld rating
            (a rating without respondent counts as one).
        cells_withheld: withheld cells (ties, waves pooled).
        ties_suppressed: ties ``(source, target)`` shown with every number ``None``.
        figures_suppressed: aggregate figures (network, role and organisation values)
            suppressed because they rest on fewer than ``k`` respondents.
        withheld: per rating row of the analysed study, whether it was withheld.
    """

    min_respondents: int
    override: bool
    reason: str
    n_ratings: int
    ratings_withheld: int
    respondents_affected: int
    cells_withheld: int
    ties_suppressed: tuple[tuple[str, str], ...]
    figures_suppressed: int
    withheld: Bools = attrs.field(repr=False)

    def published(self, study: Study) -> Study:
        """``study`` without its withheld ratings: what every figure was computed from."""
        if len(study.ratings) != len(self.withheld):
            raise ValueError("this privacy summary belongs to another study")
        if not self.withheld.any():
            return study
        return attrs.evolve(study, ratings=study.ratings.select(~self.withheld))

    def to_mapping(self) -> dict[str, Any]:
        """The summary as JSON-ready values (the ``privacy`` section of the Analysis JSON)."""
        return {
            "min_respondents": self.min_respondents,
            "min_respondents_override": self.override,
            "rule": "a figure is shown only when it rests on at least min_respondents "
            "distinct respondents; the ratings of every tie (rater role, target role) "
            "below that are removed before any figure is computed",
            "reason": self.reason,
            "ratings": self.n_ratings,
            "ratings_withheld": self.ratings_withheld,
            "respondents_affected": self.respondents_affected,
            "cells_withheld": self.cells_withheld,
            "ties_suppressed": len(self.ties_suppressed),
            "figures_suppressed": self.figures_suppressed,
        }


def withhold(study: Study, settings: AnalysisSettings) -> tuple[Study, PrivacySummary]:
    """The study reduced to its publishable ratings, and what was withheld.

    Every figure of an analysis is computed from the returned study; the summary records
    the rule and the counts (its ``ties_suppressed`` and ``figures_suppressed`` are filled
    in by :func:`suppress_scores`).
    """
    cells, support, _ = cell_support(study, min_items=settings.items_needed(study.instrument))
    withheld = np.asarray(support[cells] < settings.min_respondents, dtype=bool)
    withheld.setflags(write=False)
    people = study.ratings.respondent[withheld]
    affected = len(np.unique(people[people >= 0])) + int(np.count_nonzero(people < 0))
    summary = PrivacySummary(
        min_respondents=settings.min_respondents,
        override=settings.min_respondents_override,
        reason=suppression_reason(settings.min_respondents),
        n_ratings=len(study.ratings),
        ratings_withheld=int(np.count_nonzero(withheld)),
        respondents_affected=affected,
        cells_withheld=len(np.unique(cells[withheld])),
        ties_suppressed=(),
        figures_suppressed=0,
        withheld=withheld,
    )
    return summary.published(study), summary


# --- suppressing what is left ----------------------------------------------------------------


def _figure(fig: Figure, k: int, reason: str) -> tuple[Figure, int]:
    values = (fig.rc, fig.communication, fig.relationship)
    if fig.n_respondents >= k or all(v is None for v in values):
        return fig, 0
    return attrs.evolve(fig, rc=None, communication=None, relationship=None, band=None,
                        suppressed_reason=reason), 1


def _role(role: RoleScore, k: int, reason: str) -> tuple[RoleScore, int]:
    hidden = []
    if role.rc_as_rater is not None and role.n_respondents < k:
        hidden.append("rc_as_rater")
    if role.rc_as_target is not None and role.n_raters < k:
        hidden.append("rc_as_target")
    if not hidden:
        return role, 0
    changes: dict[str, Any] = dict.fromkeys(hidden)
    return attrs.evolve(role, **changes, suppressed=tuple(hidden),
                        suppressed_reason=reason), len(hidden)


def _suppressed_tie(source: str, target: str, keys: tuple[str, ...], reason: str) -> TieScore:
    return TieScore(
        source=source, target=target, rc=None, communication=None, relationship=None,
        n_respondents=None, band=None, dimensions=dict.fromkeys(keys), lowest_dimension=None,
        gap=None, suppressed=True, suppressed_reason=reason,
    )


def suppress_scores(
    result: RCScores, study: Study, summary: PrivacySummary
) -> tuple[RCScores, PrivacySummary]:
    """Finish the rule on scores computed from the publishable ratings of ``study``.

    ``result`` must come from :func:`~relcoord.metrics.scores.scores` on
    ``summary.published(study)``.  Ties rated only in withheld cells are added back with
    every number ``None`` and ``suppressed=True``; aggregates resting on fewer than
    ``min_respondents`` respondents lose their values (rule 4).  Returns the scores and the
    summary with ``ties_suppressed`` and ``figures_suppressed`` filled in.
    """
    k, reason = summary.min_respondents, summary.reason
    ids = study.role_ids
    ratings = study.ratings
    rated = {(ids[s], ids[t]) for s, t in zip(ratings.source.tolist(), ratings.target.tolist(),
                                              strict=True)}
    shown = {(t.source, t.target) for t in result.ties}
    lost = sorted(rated - shown, key=lambda p: (ids.index(p[0]), ids.index(p[1])))
    keys = study.instrument.keys
    ties = sorted(
        [*result.ties, *(_suppressed_tie(s, t, keys, reason) for s, t in lost)],
        key=lambda t: (ids.index(t.source), ids.index(t.target)),
    )
    hidden = 0

    def figure(fig: Figure) -> Figure:
        nonlocal hidden
        out, n = _figure(fig, k, reason)
        hidden += n
        return out

    overall = figure(result.overall)
    by_dimension = (result.by_dimension if overall.suppressed_reason is None
                    else dict.fromkeys(result.by_dimension))
    roles = []
    for role in result.roles:
        out, n = _role(role, k, reason)
        hidden += n
        roles.append(out)
    split = result.organisations
    organisations = attrs.evolve(
        split,
        internal=figure(split.internal),
        external=figure(split.external),
        by_organisation=tuple(
            OrganisationScore(o.organisation, figure(o.internal), figure(o.external))
            for o in split.by_organisation
        ),
    )
    scored = attrs.evolve(
        result,
        overall=overall,
        within=figure(result.within),
        between=figure(result.between),
        by_dimension=by_dimension,
        ties=tuple(ties),
        roles=tuple(roles),
        organisations=organisations,
    )
    return scored, attrs.evolve(summary, ties_suppressed=tuple(lost), figures_suppressed=hidden)


# --- respondent ids in exports ----------------------------------------------------------------


def pseudonyms(ids: tuple[str, ...], *, key: str | bytes | None = None) -> dict[str, str]:
    """A pseudonym for every respondent id.

    Without ``key``: ``R0001``, ``R0002``, ... in sorted-id order (at least four digits),
    stable for the same set of ids.  With ``key``: ``R`` plus the first 16 hex digits of
    HMAC-SHA256(key, id), stable across exports and studies that use the same secret key,
    and not reversible without it.  Raises :class:`ValueError` if two ids would share a
    pseudonym (an HMAC collision: practically impossible, checked anyway).
    """
    ordered = sorted(set(ids))
    if key is None:
        width = max(4, len(str(len(ordered))))
        return {pid: f"{PSEUDONYM_PREFIX}{i:0{width}d}" for i, pid in enumerate(ordered, 1)}
    secret = key.encode("utf-8") if isinstance(key, str) else key
    out = {
        pid: PSEUDONYM_PREFIX
        + hmac.new(secret, pid.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
        for pid in ordered
    }
    if len(set(out.values())) != len(out):
        raise ValueError("two respondent ids share a pseudonym; use another key")
    return out


def anonymise_study(
    study: Study, mode: RespondentIdMode = "omit", *, key: str | bytes | None = None
) -> Study:
    """``study`` without raw respondent ids: omitted, or replaced by :func:`pseudonyms`.

    ``"omit"`` drops the respondents and leaves every rating without respondent (in
    relcoord a rating without respondent counts as one respondent of its role, so a later
    analysis of the result cannot tell two ratings by one person apart: pseudonymise data
    that will be analysed again).  ``"pseudonymise"`` keeps every respondent, their role
    and their ratings under a pseudonym.  Roles, ties, ratings' scores and invitations are
    unchanged.
    """
    if mode not in RESPONDENT_ID_MODES:
        raise InvalidInputError("respondent_ids", f"expected one of "
                                f"{', '.join(RESPONDENT_ID_MODES)}, got {mode!r}")
    ratings = study.ratings
    if mode == "omit":
        none = np.full(len(ratings), -1, dtype=np.int32)
        none.setflags(write=False)
        return attrs.evolve(study, respondents=(),
                            ratings=attrs.evolve(ratings, respondents=(), respondent=none))
    names = pseudonyms(tuple(p.id for p in study.respondents), key=key)
    return attrs.evolve(
        study,
        respondents=[Respondent(id=names[p.id], role=p.role) for p in study.respondents],
        ratings=attrs.evolve(ratings, respondents=[names[p] for p in ratings.respondents]),
    )


def _mode(value: Any) -> RespondentIdMode:
    text = str(value).strip().lower()
    aliases: dict[str, RespondentIdMode] = {
        "omit": "omit", "pseudonymise": "pseudonymise", "pseudonymize": "pseudonymise",
    }
    if text not in aliases:
        raise InvalidInputError("option respondent_ids", f"expected one of "
                                f"{', '.join(RESPONDENT_ID_MODES)}, got {value!r}")
    return aliases[text]


def export_view(
    study: Study,
    analysis: Analysis | None,
    options: Mapping[str, Any],
    *,
    carries: str = "both",
) -> tuple[Study, Analysis | None, dict[str, Any]]:
    """What an exporter may see: the study and analysis without raw respondent ids.

    Reads and removes the host's own options (:data:`EXPORT_OPTIONS`): ``respondent_ids``
    (``"omit"``, the default, or ``"pseudonymise"``) and ``respondent_key`` (a secret for
    keyed pseudonyms; only with ``pseudonymise``).  Returns the anonymised study, the
    analysis carrying that same study (writers may check that the two match) and the
    remaining options for the writer.  The analysis's figures were computed from the
    original study and are unchanged; they hold no respondent ids.

    A format that ``carries`` only an analysis writes no study data, so ``"omit"`` gives it
    sequential pseudonyms instead: it still sees no raw id, and counts of respondents (a
    report's "respondents per role") stay right.
    """
    rest = dict(options)
    mode = _mode(rest.pop("respondent_ids", "omit"))
    key = rest.pop("respondent_key", None)
    if key is not None and mode != "pseudonymise":
        raise InvalidInputError("option respondent_key", "only used with "
                                "respondent_ids=pseudonymise")
    if key is not None and (not isinstance(key, str | bytes) or not key):
        raise InvalidInputError("option respondent_key", "expected a non-empty secret text")
    if carries == "analysis" and mode == "omit":
        mode = "pseudonymise"
    view = anonymise_study(study, mode, key=key)
    from relcoord.analysis import Analysis

    if not isinstance(analysis, Analysis):  # None, or not an analysis: the writer decides
        return view, analysis, rest
    same = analysis.study is study
    shown = view if same else anonymise_study(analysis.study, mode, key=key)
    return view, attrs.evolve(analysis, study=shown), rest
