"""Every reliability figure of a study at once, with the settings that produced it.

[`reliability_summary`][relcoord.metrics.reliability.summary.reliability_summary] computes alpha per
scale (`alpha`), per-tie agreement of the RC index
(`agreement`) and the ICC
(`icc`) from one set of prepared rows
([`RatingRows`][relcoord.metrics.reliability.rows.RatingRows]); its
[`ReliabilitySummary`][relcoord.metrics.reliability.summary.ReliabilitySummary] is the
``reliability`` section of the Analysis JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.frozen_mapping import FrozenMapping
from relcoord.json_values import json_ready
from relcoord.metrics.reliability.agreement import (
    RWG_CUTOFF,
    TieAgreementTable,
    agreement_of_counts,
    agreement_of_rows,
)
from relcoord.metrics.reliability.alpha import ALPHA_CUTOFF, CronbachAlpha, scale_alphas
from relcoord.metrics.reliability.answer_counts import AnswerCounts
from relcoord.metrics.reliability.dispersion import Center
from relcoord.metrics.reliability.icc import (
    Grouping,
    IntraclassCorrelation,
    grouping_name,
    icc_from_anova,
    icc_of_rows,
    rating_icc_of_rows,
    respondent_icc,
)
from relcoord.metrics.reliability.rows import RatingRows, items_needed
from relcoord.model import Study
from relcoord.settings import ICC_GROUP_SIZES, IccGroupSize

__all__ = [
    "AgreementRaters",
    "ReliabilitySettings",
    "ReliabilitySummary",
    "reliability_summary",
    "reliability_summary_and_raters",
    "reliability_summary_and_rows",
]


def _frozen_grouping(value: Grouping) -> Grouping:
    return value if isinstance(value, str) else FrozenMapping(value)


@attrs.frozen(kw_only=True)
class ReliabilitySettings:
    """What [`reliability_summary`][relcoord.metrics.reliability.summary.reliability_summary]
    computes and how.

    ``center`` of AD; ``by`` the grouping of the respondents' ICC; ``wave`` restricts every
    figure to one wave (``None``: all ratings, ties kept apart by wave); ``target``
    restricts the respondents' ICC to ratings about one role; the cut-offs are the
    conventional .70 for alpha and r_wg(J).  ``min_items`` is the scores' rule (``None``:
    their default, ``ceil(5/7 * n_items)``): alpha uses the ratings it counts.
    ``icc_group_size`` is the ``k`` of ICC(1), N / G (``"mean_group_size"``, as
    ``multilevel::ICC1`` and ``psych::statsBy``) or ``"k0"``.
    """

    center: Center = "mean"
    by: Grouping = attrs.field(default="role", converter=_frozen_grouping)
    wave: str | None = None
    target: str | None = None
    alpha_cutoff: float = ALPHA_CUTOFF
    rwg_cutoff: float = RWG_CUTOFF
    min_items: int | None = None
    icc_group_size: IccGroupSize = "mean_group_size"

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (a custom grouping is shown as ``"custom"``)."""
        return json_ready({
            "center": self.center, "by": grouping_name(self.by), "wave": self.wave,
            "target": self.target, "alpha_cutoff": self.alpha_cutoff,
            "rwg_cutoff": self.rwg_cutoff, "complete_cases": True, "ddof": 1,
            "rwg_null": "uniform", "icc_k": self.icc_group_size, "min_items": self.min_items,
        })


def _frozen_alphas(value: Mapping[str, CronbachAlpha]) -> Mapping[str, CronbachAlpha]:
    return FrozenMapping(value)


@attrs.frozen(kw_only=True)
class ReliabilitySummary:
    """Alpha of the RC index and both sub-indices, per-tie agreement and the ICC.

    ``icc`` is the ICC of respondents by the settings' grouping (by rater role unless told
    otherwise), ``icc_by_target`` that of ratings by target role and
    [`icc_by_tie`][relcoord.metrics.reliability.summary.ReliabilitySummary.icc_by_tie] that of
    ratings by tie, whose ICC(1) gives each tie's ICC(2) in ``agreement``.
    """

    settings: ReliabilitySettings
    alpha: Mapping[str, CronbachAlpha] = attrs.field(converter=_frozen_alphas)
    agreement: TieAgreementTable
    icc: IntraclassCorrelation
    icc_by_target: IntraclassCorrelation | None = None

    @property
    def icc_by_tie(self) -> IntraclassCorrelation | None:
        """The ICC of ratings nested in their ties (``agreement.icc``)."""
        return self.agreement.icc

    def __repr__(self) -> str:
        alpha = {scale: a.alpha for scale, a in self.alpha.items()}
        shown = ", ".join(f"{k} {'-' if v is None else f'{v:.2f}'}" for k, v in alpha.items())
        return f"<ReliabilitySummary: alpha {shown}; {len(self.agreement.ties)} tie-waves>"

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict for the Analysis ``reliability`` section."""
        return json_ready({
            "settings": self.settings,
            "cronbach_alpha": self.alpha,
            "agreement": self.agreement,
            "icc": self.icc,
            "icc_by_target": self.icc_by_target,
            "icc_by_tie": self.icc_by_tie,
        })


@attrs.frozen(eq=False)
class AgreementRaters:
    """Distinct raters with complete answers on the RC index's items per tie cell in one wave
    (the groups of [`tie_agreement`][relcoord.metrics.reliability.agreement.tie_agreement]), among
    the rows the agreement was computed from; a rating without a respondent counts as one.
    ``counts`` has one entry per tie cell of ``study`` in one wave, laid out as
    [`TieCells.of`][relcoord.metrics.tie_cells.TieCells.of] lays them out with ``by_wave=True``
    (code ``(source * n_roles + target) * n_waves + slot``, slot 0 for no wave)."""

    study: Study
    counts: npt.NDArray[np.int64]
    _roles: dict[str, int] = attrs.field(init=False, repr=False)
    _slots: dict[str | None, int] = attrs.field(init=False, repr=False)

    @_roles.default
    def _role_index(self) -> dict[str, int]:
        return {role_id: i for i, role_id in enumerate(self.study.role_ids)}

    @_slots.default
    def _wave_slots(self) -> dict[str | None, int]:
        return {None: 0, **{w: i + 1 for i, w in enumerate(self.study.ratings.waves)}}

    def of(self, source: str, target: str, wave: str | None) -> int:
        """The distinct raters of tie ``source -> target`` in ``wave``; `KeyError` for an
        unknown role or wave."""
        pair = self._roles[source] * len(self._roles) + self._roles[target]
        return int(self.counts[pair * len(self._slots) + self._slots[wave]])


def reliability_summary(
    study: Study, settings: ReliabilitySettings | None = None
) -> ReliabilitySummary:
    """Every reliability figure of ``study``: alpha per scale, tie agreement (RC index), and
    the ICC of respondents by grouping, of ratings by target role and of ratings by tie.

    On an integer scale (every built-in one) the figures come from the integer tallies of the
    rows in ``relcoord.metrics.reliability.answer_counts``, each the float nearest its exact
    value; otherwise they are computed row by row
    ([`reliability_summary_and_rows`][relcoord.metrics.reliability.summary.reliability_summary_and_rows])."""
    return reliability_summary_and_raters(study, settings)[0]


def reliability_summary_and_raters(
    study: Study, settings: ReliabilitySettings | None = None
) -> tuple[ReliabilitySummary, AgreementRaters]:
    """[`reliability_summary`][relcoord.metrics.reliability.summary.reliability_summary] and the
    distinct raters behind each tie's agreement, counted from the same rows (the privacy rule
    keeps an agreement entry only with enough of them)."""
    settings = _checked(settings)
    counts = AnswerCounts.of(study, settings.wave, settings.target)
    if counts is None:
        summary, rows = reliability_summary_and_rows(study, settings)
        complete = rows.complete
        if rows.chosen is not None:
            complete = np.zeros(len(rows.chosen), dtype=bool)
            complete[rows.chosen] = rows.complete
        return summary, AgreementRaters(study=study, counts=rows.cells.respondents(complete))
    wave, size = settings.wave, settings.icc_group_size
    people, scores = counts.respondent_scores()
    msb, msw, sizes = counts.target_anova()
    summary = ReliabilitySummary(
        settings=settings,
        alpha=counts.alphas(wave, items_needed(study.instrument, settings.min_items)),
        agreement=agreement_of_counts(study, counts, center=settings.center, wave=wave,
                                      rwg_cutoff=settings.rwg_cutoff, group_size=size),
        icc=respondent_icc(study, people, scores, by=settings.by, scale="rc", wave=wave,
                           target=settings.target, group_size=size),
        icc_by_target=icc_from_anova(msb, msw, sizes, grouping="target", scale="rc",
                                     wave=wave, target=None, group_size=size,
                                     design="ratings_by_target_role"),
    )
    return summary, AgreementRaters(study=study, counts=counts.raters())


def _checked(settings: ReliabilitySettings | None) -> ReliabilitySettings:
    """``settings`` (the defaults for ``None``), refused when a choice is unknown."""
    settings = settings or ReliabilitySettings()
    if settings.center not in get_args(Center):
        raise ValueError(f"center must be 'mean' or 'median', got {settings.center!r}")
    by = settings.by
    if isinstance(by, str) and by not in ("role", "organisation"):
        raise ValueError(f"by must be 'role', 'organisation' or a mapping, got {by!r}")
    size = settings.icc_group_size
    if size not in ICC_GROUP_SIZES:
        raise ValueError(f"icc_group_size must be one of {', '.join(ICC_GROUP_SIZES)}, "
                         f"got {size!r}")
    return settings


def reliability_summary_and_rows(
    study: Study, settings: ReliabilitySettings | None = None
) -> tuple[ReliabilitySummary, RatingRows]:
    """[`reliability_summary`][relcoord.metrics.reliability.summary.reliability_summary] computed
    row by row, and the prepared rows it was computed from: the way for any scale, and the
    reference the answer counts are tested against."""
    settings = _checked(settings)
    size = settings.icc_group_size
    by = settings.by
    rows = RatingRows.of(study, settings.wave)
    wave = settings.wave
    summary = ReliabilitySummary(
        settings=settings,
        alpha=scale_alphas(rows, study, wave, items_needed(study.instrument,
                                                           settings.min_items)),
        agreement=agreement_of_rows(study, rows, rows.keys, scale="rc", center=settings.center,
                                    wave=wave, rwg_cutoff=settings.rwg_cutoff,
                                    group_size=size),
        icc=icc_of_rows(study, rows, by=by, scale="rc", wave=wave, target=settings.target,
                        group_size=size),
        icc_by_target=rating_icc_of_rows(study, rows, by="target", scale="rc", wave=wave,
                                         group_size=size),
    )
    return summary, rows

