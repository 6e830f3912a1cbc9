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
pseudonyms, and the plugin host applies it to every export
(:func:`~relcoord.export_view.export_view`), so that no exporter ever writes a raw
respondent id.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.metrics.reliability import (
    CronbachAlpha,
    IntraclassCorrelation,
    RatingRows,
    ReliabilitySettings,
    ReliabilitySummary,
    reliability_summary_and_rows,
)
from relcoord.metrics.scores import (
    Figure,
    OrganisationScore,
    RCScores,
    RespondentTieScores,
    RoleScore,
    TieScore,
    respondent_tie_scores,
    scores,
)
from relcoord.model import Respondent, Study
from relcoord.settings import AnalysisSettings

__all__ = [
    "EXPORT_OPTIONS",
    "RESPONDENT_ID_MODES",
    "PrivacySummary",
    "RespondentIdMode",
    "anonymise_study",
    "cell_support",
    "comparable_ratings",
    "pseudonyms",
    "publishable_ratings",
    "publishable_reliability",
    "published_scores",
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


#: A respondent-by-cell presence count is used to spot repeated ratings (one respondent rating
#: one cell twice, e.g. in two waves pooled) while it needs at most this many counters, or
#: four per rating row if that is more; above it the rows are sorted instead.
_DENSE_LIMIT: Final = 1 << 22


@attrs.frozen(eq=False)
class _SortedRows:
    """Rating rows sorted by ``(cell, respondent)``: ``order`` and the sorted keys."""

    order: Ints
    keys: Ints
    cells: Ints
    anonymous: Bools


@attrs.frozen(eq=False)
class _PeopleInCells:
    """Counts the distinct respondents per cell among any subset of the rating rows.

    The rows of one respondent in one cell form a group; a row without respondent is a
    group of its own.  When every group is a single row (the usual case: a respondent rates
    a tie once), the distinct respondents of a subset are its rows per cell, one
    ``np.bincount``.  Otherwise the rows are sorted once by ``(cell, respondent)`` and each
    subset is counted in a linear pass over that order (no sort per subset).
    """

    cells: Ints
    size: int
    sorted: _SortedRows | None  # None when every group is one row

    @classmethod
    def of(cls, cells: Ints, people: npt.NDArray[np.int32], size: int, per_source: int
           ) -> _PeopleInCells:
        """``per_source``: cell codes per rater role (``cells // per_source`` is the source)."""
        if _single_rows(cells, people, per_source):
            return cls(cells=cells, size=size, sorted=None)
        n_people = int(people.max()) + 2 if len(people) else 1
        keys = cells * n_people + (people.astype(np.int64) + 1)  # -1 (none) becomes 0
        order = np.argsort(keys, kind="stable")
        rows = _SortedRows(order=order, keys=keys[order], cells=cells[order],
                           anonymous=people[order] < 0)
        return cls(cells=cells, size=size, sorted=rows)

    def distinct(self, rows: Bools) -> Ints:
        """Distinct respondents per cell among ``rows`` (a row without respondent counts
        one)."""
        by = self.sorted
        if by is None:
            return np.bincount(self.cells[rows], minlength=self.size).astype(np.int64)
        chosen = rows[by.order]
        keys, cells, anonymous = by.keys[chosen], by.cells[chosen], by.anonymous[chosen]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        counted = first | anonymous
        return np.bincount(cells[counted], minlength=self.size).astype(np.int64)


def _single_rows(cells: Ints, people: npt.NDArray[np.int32], per_source: int) -> bool:
    """Whether no respondent has two rows in one cell, checked without sorting.

    Two rows of one respondent in one cell share ``(respondent, cell % per_source)`` (their
    target and wave), so when no two named rows share that coarser key, every group is a
    single row.  Needs one counter per possible key: only used while that is small.
    """
    top = int(people.max()) if len(people) else -1
    if top < 0:
        return True
    span = (top + 1) * per_source
    if span > max(_DENSE_LIMIT, 4 * len(cells)):
        return False
    if int(people.min()) < 0:
        named = people >= 0
        people, cells = people[named], cells[named]
    coarse = people.astype(np.int64) * per_source + cells % per_source
    return int(np.bincount(coarse, minlength=1).max()) <= 1


def _figure_rows(study: Study, per: RespondentTieScores, *, items: bool) -> list[Bools]:
    """The rows behind each figure a cell feeds, leaving out figures identical to the RC's.

    Every figure's rows are a subset of the counted rows (the RC's), so a figure with as
    many rows as the RC has the same rows and the same respondents: it adds nothing to the
    minimum and is skipped.
    """
    counted = per.counted
    masks = [counted]
    if not items:
        return masks
    n_counted = int(np.count_nonzero(counted))
    candidates = [~np.isnan(per.communication), ~np.isnan(per.relationship)]
    missing = np.isnan(study.ratings.scores)  # the (n, d) block: no column copies
    if missing.any():
        lost = np.count_nonzero(missing & counted[:, None], axis=0)
        candidates += [counted & ~missing[:, j] for j in np.flatnonzero(lost)]
    masks += [m for m in candidates if int(np.count_nonzero(m)) != n_counted]
    return masks


def cell_support(
    study: Study,
    *,
    min_items: int,
    by_wave: bool = False,
    items: bool = True,
    respondent_ties: RespondentTieScores | None = None,
) -> tuple[Ints, Ints, int]:
    """How many distinct respondents stand behind the weakest figure of each cell.

    Returns ``(cells, support, size)``: the cell code of every rating row, and per cell code
    the least number of distinct respondents behind any figure the cell feeds (its RC, its
    two sub-indices, each item's mean), ignoring figures that nobody answered; ``0`` for a
    cell that feeds no figure at all.  ``size`` is the number of possible cell codes.
    Cells are ties (waves pooled), or ties in one wave with ``by_wave``; with
    ``items=False`` only the RC's respondents are counted.  ``respondent_ties`` may pass
    :func:`~relcoord.metrics.scores.respondent_tie_scores` of ``study`` with ``min_items``
    when the caller has them already (they are computed otherwise).
    """
    per = _respondent_ties(study, min_items, respondent_ties)
    ratings = study.ratings
    cells = _cells(study, by_wave=by_wave)
    per_source = len(study.roles) * ((len(ratings.waves) + 1) if by_wave else 1)
    size = max(1, len(study.roles) * per_source)
    people = _PeopleInCells.of(cells, ratings.respondent, size, max(1, per_source))
    support = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
    for rows in _figure_rows(study, per, items=items):
        n = people.distinct(rows)
        support = np.where(n > 0, np.minimum(support, n), support)
    support[support == np.iinfo(np.int64).max] = 0
    return cells, support, size


def _respondent_ties(
    study: Study, min_items: int, given: RespondentTieScores | None
) -> RespondentTieScores:
    if given is None:
        return respondent_tie_scores(study, min_items=min_items)
    if len(given.counted) != len(study.ratings) or given.min_items != min_items:
        raise ValueError("respondent_ties belong to another study or another min_items")
    return given


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


def comparable_ratings(
    study: Study, settings: AnalysisSettings, wave_a: str, wave_b: str
) -> tuple[Bools, tuple[tuple[str, str], ...]]:
    """The rating rows a comparison of ``wave_a`` with ``wave_b`` may use, and the ties left out.

    A wave comparison shows figures per wave, so the rule is applied per wave
    (:func:`publishable_ratings` with ``by_wave=True``), and a tie takes part only when

    * it is rated in both waves, each wave's cell publishable on its own; and
    * *every* wave cell of the tie is publishable (also the waves not compared): the
      analysis shows the tie pooled over all waves, so a shown wave subtracted from the
      pooled tie must not reveal a hidden wave.

    Returns the mask of the rows of the two waves for the ties that take part, and the ties
    ``(source, target)`` rated in either wave that were left out, sorted by role order.
    Roles and the network in each wave are then computed from the ties that take part only.
    """
    ratings = study.ratings
    k = len(study.roles)
    by_wave = publishable_ratings(study, settings, by_wave=True)
    pair = ratings.source.astype(np.int64) * k + ratings.target.astype(np.int64)
    size = max(1, k * k)
    codes = [ratings.waves.index(w) if w in ratings.waves else -2 for w in (wave_a, wave_b)]
    in_a, in_b = (ratings.wave == c for c in codes)
    hidden_wave = np.bincount(pair[~by_wave], minlength=size) > 0
    rated_a = np.bincount(pair[in_a], minlength=size) > 0
    rated_b = np.bincount(pair[in_b], minlength=size) > 0
    takes_part = rated_a & rated_b & ~hidden_wave
    rows = np.asarray(takes_part[pair] & (in_a | in_b), dtype=bool)
    ids = study.role_ids
    left_out = tuple((ids[c // k], ids[c % k])
                     for c in np.flatnonzero((rated_a | rated_b) & ~takes_part).tolist())
    return rows, left_out


def _agreement_raters(published: Study, items: tuple[str, ...], rows: RatingRows | None = None
                      ) -> Ints:
    """Distinct raters with complete answers on ``items`` per ``(wave, source, target)`` code
    (the code of :func:`~relcoord.metrics.reliability.tie_agreement`); a rating without a
    respondent counts as one.  ``rows``: the rows the agreement was computed from (the
    complete-case check is shared); every row of ``published`` when not given."""
    ratings = published.ratings
    k = len(published.roles)
    size = (len(ratings.waves) + 1) * k * k
    rows = rows if rows is not None else RatingRows.of(published, None)
    complete = rows.scale(items)[2]  # no rows for no items
    cell = rows.codes
    people = rows.pick(ratings.respondent).astype(np.int64)
    known = complete & (people >= 0)
    every = bool(known.all())  # then no row needs to be picked out

    def pick(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return values if every else values[known]

    # Fast path: when no respondent rated one target twice in one wave (the usual case),
    # every complete rating is a distinct rater; checked with one bincount when the
    # (respondent, wave, target) code range is small.
    n_waves = len(ratings.waves) + 1
    span = len(published.respondents) * n_waves * k
    if span <= 8 * len(ratings) + 1_000_000:
        slot = pick(people) * n_waves + pick(rows.pick(ratings.wave)) + 1
        slot *= k
        slot += pick(rows.pick(ratings.target))
        if not len(slot) or np.bincount(slot, minlength=span).max() <= 1:
            return np.asarray(np.bincount(cell if every else cell[complete], minlength=size),
                              dtype=np.int64)
    width = len(published.respondents) + 1
    keys = np.sort(cell[known] * width + people[known])  # a plain sort: np.unique hashes
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    distinct = np.bincount(keys[first] // width, minlength=size)
    anonymous = np.bincount(cell[complete & (people < 0)], minlength=size)
    return np.asarray(distinct + anonymous, dtype=np.int64)


def _no_alpha(alpha: CronbachAlpha) -> CronbachAlpha:
    nothing = (None,) * len(alpha.items)
    return attrs.evolve(alpha, alpha=None, item_total=nothing, alpha_if_deleted=nothing)


def _no_icc(icc: IntraclassCorrelation) -> IntraclassCorrelation:
    return attrs.evolve(icc, k=None, ms_between=None, ms_within=None, icc1=None, icc2=None)


def publishable_reliability(
    published: Study, settings: AnalysisSettings,
    reliability: ReliabilitySettings | None = None,
) -> tuple[ReliabilitySummary, int]:
    """Reliability and agreement of the publishable ratings, under the same rule.

    ``published`` must be the study without its withheld ratings (:func:`withhold`), so
    that alpha, the ICC and the agreement of a tie use publishable ties only.  Agreement is
    computed per tie *and wave*; an entry is kept only when at least
    ``settings.min_respondents`` distinct raters with complete answers stand behind it (a
    tie that is publishable pooled may still have a wave with fewer raters, and r_wg of two
    raters would describe those two).  Alpha and the ICC are single figures over all
    published ratings; they are blanked as well when they rest on fewer than ``k`` cases
    (rule 4, second line of defence).  Returns the summary and the number of per-wave
    agreement entries left out.
    """
    summary, rows = reliability_summary_and_rows(published, reliability)
    k = settings.min_respondents
    table = summary.agreement
    raters = _agreement_raters(published, table.items, rows)
    n_roles = len(published.roles)
    wave_code = {w: i + 1 for i, w in enumerate(published.ratings.waves)}
    role_code = {r: i for i, r in enumerate(published.role_ids)}

    def shown(source: str, target: str, wave: str | None, n: int) -> bool:
        code = ((wave_code[wave] if wave is not None else 0) * n_roles * n_roles
                + role_code[source] * n_roles + role_code[target])
        return n >= k and raters[code] >= k

    kept = tuple(t for t in table.ties if shown(t.source, t.target, t.wave, t.n))
    alpha = {scale: a if a.n >= k else _no_alpha(a) for scale, a in summary.alpha.items()}
    icc = summary.icc if summary.icc.n >= k else _no_icc(summary.icc)
    result = attrs.evolve(summary, alpha=alpha, icc=icc,
                          agreement=attrs.evolve(table, ties=kept))
    return result, len(table.ties) - len(kept)


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
    min_items = settings.items_needed(study.instrument)
    return _withhold(study, settings, respondent_tie_scores(study, min_items=min_items))


def _withhold(
    study: Study, settings: AnalysisSettings, per: RespondentTieScores
) -> tuple[Study, PrivacySummary]:
    cells, support, size = cell_support(study, min_items=per.min_items, respondent_ties=per)
    withheld = np.asarray(support[cells] < settings.min_respondents, dtype=bool)
    withheld.setflags(write=False)
    people = study.ratings.respondent[withheld]
    named = people[people >= 0]
    affected = int(np.count_nonzero(np.bincount(named, minlength=1))) + len(people) - len(named)
    summary = PrivacySummary(
        min_respondents=settings.min_respondents,
        override=settings.min_respondents_override,
        reason=suppression_reason(settings.min_respondents),
        n_ratings=len(study.ratings),
        ratings_withheld=len(people),
        respondents_affected=affected,
        cells_withheld=int(np.count_nonzero(np.bincount(cells[withheld], minlength=size))),
        ties_suppressed=(),
        figures_suppressed=0,
        withheld=withheld,
    )
    return summary.published(study), summary


def published_scores(
    study: Study, settings: AnalysisSettings
) -> tuple[Study, RCScores, PrivacySummary]:
    """:func:`withhold`, :func:`~relcoord.metrics.scores.scores` and :func:`suppress_scores`
    in one pass: the publishable study, its suppressed scores and the privacy summary.

    The same results as the three calls, but every respondent-tie score is computed once
    (the privacy rule needs them for the whole study, the scores for the publishable rows,
    which are a selection of the same rows), which is how :func:`~relcoord.analysis.analyze`
    runs the rule.
    """
    min_items = settings.items_needed(study.instrument)
    per = respondent_tie_scores(study, min_items=min_items)
    published, summary = _withhold(study, settings, per)
    kept = per if published is study else per.select(~summary.withheld)
    result = scores(published, settings=settings, respondent_ties=kept)
    shown, summary = suppress_scores(result, study, summary)
    return published, shown, summary


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
    n_roles = len(ids)
    pair = ratings.source.astype(np.int64) * n_roles + ratings.target.astype(np.int64)
    rated = np.bincount(pair, minlength=n_roles * n_roles) > 0
    position = {role_id: i for i, role_id in enumerate(ids)}
    for tie in result.ties:
        rated[position[tie.source] * n_roles + position[tie.target]] = False
    lost = [(ids[c // n_roles], ids[c % n_roles]) for c in np.flatnonzero(rated).tolist()]
    keys = study.instrument.keys
    ties = sorted(
        [*result.ties, *(_suppressed_tie(s, t, keys, reason) for s, t in lost)],
        key=lambda t: (position[t.source], position[t.target]),
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
