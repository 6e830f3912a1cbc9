"""ICC(1) and ICC(2): how much a score depends on the group it belongs to.

A one-way ANOVA of cases nested in groups (Bliese 2000).  ICC(1) is the one-way
random-effects ICC of a single case, Shrout & Fleiss's (1979) ICC(1,1) and McGraw & Wong's
(1996) ICC(1); ICC(2) is that of the group mean, their ICC(1,k) and ICC(k): the reliability
of the group means.  Three designs of RC data, each named in its result (``design``):

``respondents_by_rater_role``
    each respondent's mean score over the roles they rated, nested in their role (or their
    role's organisation, or any respondent -> group mapping such as a site): how much a
    person's overall rating depends on the group they belong to;
``ratings_by_target_role``
    each rating (respondent-tie), nested in the role it rates: how much of a rating is the
    rated role's reputation;
``ratings_by_tie``
    each rating nested in its tie (raters in role A about role B, in one wave): the design
    in which raters describe one shared referent and their mean is reported, as members of
    a work group describing their group (Bliese 2000).  Its ICC(1), stepped up to each tie's
    number of raters by the Spearman-Brown formula, is the reliability of that tie's mean
    ([`group_mean_reliability`][relcoord.metrics.reliability.icc.group_mean_reliability]; Bliese
    2000, as ``multilevel::gmeanrel``).

The group size ``k`` in ICC(1) is named in every result: the mean group size N / G by
default, as ``multilevel::ICC1`` and ``psych::statsBy`` compute it, or the unbalanced-design
``k0`` (Searle, Casella & McCulloch 1992, ch. 3); both are reported.  ICC(2) =
(MSB - MSW) / MSB does not depend on ``k``.  Thresholds are attached only to the designs
they were written for (`DESIGN_THRESHOLDS`).

Sources:
    Bliese, P.D. (2000). Within-group agreement, non-independence, and reliability. In
    K.J. Klein & S.W.J. Kozlowski (eds.), *Multilevel Theory, Research, and Methods in
    Organizations*, 349-381. Jossey-Bass.
    Shrout, P.E. & Fleiss, J.L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin* 86(2), 420-428.
    McGraw, K.O. & Wong, S.P. (1996). Forming inferences about some intraclass correlation
    coefficients. *Psychological Methods* 1(1), 30-46.
    Searle, S.R., Casella, G. & McCulloch, C.E. (1992). *Variance Components*. Wiley.
    James, L.R. (1982). Aggregation bias in estimates of perceptual agreement. *Journal of
    Applied Psychology* 67(2), 219-229.
    LeBreton, J.M. & Senter, J.L. (2008). Answers to 20 questions about interrater
    reliability and interrater agreement. *Organizational Research Methods* 11(4), 815-852.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.json_values import json_ready
from relcoord.metrics.reliability.grouped import dense_codes
from relcoord.metrics.reliability.plain import plain_floats
from relcoord.metrics.reliability.rows import RatingRows, Scale, scale_keys
from relcoord.model import Study
from relcoord.settings import ICC_GROUP_SIZES, IccGroupSize

FloatArray = npt.NDArray[np.float64]

#: How a respondent is assigned to a group for the ICC: their role, their role's
#: organisation, or an explicit mapping respondent id -> group (a site, a school...).
Grouping = Literal["role", "organisation"] | Mapping[str, str]
#: How ratings are grouped for the ICC of ratings: by the role they rate, or by their tie.
RatingGrouping = Literal["target", "tie"]

__all__ = [
    "DESIGNS",
    "DESIGN_THRESHOLDS",
    "ICC1_TYPICAL",
    "ICC2_CUTOFF",
    "Grouping",
    "IccThreshold",
    "IntraclassCorrelation",
    "RatingGrouping",
    "group_icc",
    "group_mean_reliability",
    "grouping_name",
    "icc_from_anova",
    "icc_of_codes",
    "icc_of_groups",
    "icc_of_rows",
    "icc_oneway",
    "rating_icc",
    "rating_icc_of_rows",
    "respondent_icc",
    "respondent_scale_scores",
    "respondent_scores_of_rows",
]

#: The range ICC(1) typically takes when members of work groups describe a shared referent
#: (Bliese 2000; James 1982 reports a median of .12): in RC data the design ``ratings_by_tie``.
ICC1_TYPICAL: Final = (0.05, 0.20)
#: The conventional minimum of ICC(2) for reliable group means (LeBreton & Senter 2008).
ICC2_CUTOFF: Final = 0.70

#: Each design: what a case is and what a group is.
DESIGNS: Final[Mapping[str, tuple[str, str]]] = {
    "respondents_by_rater_role": ("respondent (mean over the roles rated)", "rater role"),
    "respondents_by_organisation": ("respondent (mean over the roles rated)",
                                    "organisation of the rater role"),
    "respondents_by_custom_grouping": ("respondent (mean over the roles rated)",
                                       "custom grouping of respondents"),
    "ratings_by_target_role": ("rating (respondent-tie)", "target role"),
    "ratings_by_tie": ("rating (respondent-tie)", "tie (rater role -> target role) per wave"),
    "custom": ("case", "group"),
}


@attrs.frozen(kw_only=True)
class IccThreshold:
    """A conventional reading of ICC(1) or ICC(2) (``figure``), with its source: values from
    ``low`` to ``high`` (either open when ``None``) read as ``reading``."""

    figure: Literal["icc1", "icc2"]
    low: float | None
    high: float | None
    reading: str
    source: str

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return json_ready({"figure": self.figure, "low": self.low, "high": self.high,
                           "reading": self.reading, "source": self.source})


_ICC2_RELIABLE: Final = IccThreshold(
    figure="icc2", low=ICC2_CUTOFF, high=None, reading="reliable group means",
    source="LeBreton & Senter 2008",
)
_ICC1_TYPICAL: Final = IccThreshold(
    figure="icc1", low=ICC1_TYPICAL[0], high=ICC1_TYPICAL[1],
    reading="typical of raters in one group describing a shared referent",
    source="Bliese 2000; James 1982",
)

#: The thresholds that belong to each design.  ICC(2) >= .70 reads any group mean's
#: reliability; the typical range of ICC(1) was found for members of a group describing a
#: shared referent, which in RC data are the raters of a tie, so it is attached to that
#: design only (a respondent's mean over many target roles, grouped by rater role, mixes
#: referents, and its ICC(1) is expected to be far above that range).
DESIGN_THRESHOLDS: Final[Mapping[str, tuple[IccThreshold, ...]]] = {
    "respondents_by_rater_role": (_ICC2_RELIABLE,),
    "respondents_by_organisation": (_ICC2_RELIABLE,),
    "respondents_by_custom_grouping": (_ICC2_RELIABLE,),
    "ratings_by_target_role": (_ICC2_RELIABLE,),
    "ratings_by_tie": (_ICC1_TYPICAL, _ICC2_RELIABLE),
    "custom": (),
}


@attrs.frozen(kw_only=True)
class IntraclassCorrelation:
    """ICC(1) and ICC(2) from a one-way ANOVA of cases nested in groups (Bliese 2000).

    ``n`` cases in ``n_groups`` groups; ``design`` names what a case and a group are
    (`DESIGNS`).  ``k`` is the group size used in
    ICC(1), chosen by ``group_size``: ``"mean_group_size"``, N / G (``mean_group_size``;
    ``multilevel::ICC1``, ``psych::statsBy``), or ``"k0"``, the unbalanced-design
    k0 = (N - sum n_g^2 / N) / (G - 1) (``k0``); both equal the common group size when
    groups are balanced.  ICC(1) is not truncated (a negative value means less
    between-group variance than chance; read it as 0).  ``None`` where undefined (fewer
    than two groups, no within-group degrees of freedom, no variance).
    """

    grouping: str
    scale: str
    n: int
    n_groups: int
    k: float | None
    mean_group_size: float | None
    ms_between: float | None
    ms_within: float | None
    df_between: int
    df_within: int
    icc1: float | None
    icc2: float | None
    wave: str | None = None
    target: str | None = None
    group_size: IccGroupSize = "mean_group_size"
    k0: float | None = None
    design: str = "custom"

    @property
    def f(self) -> float | None:
        """The ANOVA F ratio MSB / MSW."""
        if self.ms_between is None or not self.ms_within:
            return None
        return self.ms_between / self.ms_within

    @property
    def thresholds(self) -> tuple[IccThreshold, ...]:
        """The conventional readings that belong to this design
        (`DESIGN_THRESHOLDS`)."""
        return DESIGN_THRESHOLDS.get(self.design, ())

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` for undefined values)."""
        unit, groups = DESIGNS.get(self.design, DESIGNS["custom"])
        return json_ready({
            "grouping": self.grouping, "scale": self.scale, "wave": self.wave,
            "target": self.target, "n": self.n, "n_groups": self.n_groups,
            "k": self.k, "k_method": self.group_size, "mean_group_size": self.mean_group_size,
            "ms_between": self.ms_between, "ms_within": self.ms_within,
            "df_between": self.df_between, "df_within": self.df_within, "f": self.f,
            "icc1": self.icc1, "icc2": self.icc2,
            "design": self.design, "unit": unit, "groups": groups, "k0": self.k0,
            "thresholds": self.thresholds,
        })


def _check_group_size(group_size: str) -> None:
    if group_size not in ICC_GROUP_SIZES:
        raise ValueError(f"group_size must be one of {', '.join(ICC_GROUP_SIZES)}, "
                         f"got {group_size!r}")


def icc_oneway(
    values: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    grouping: str = "custom",
    scale: str = "custom",
    wave: str | None = None,
    target: str | None = None,
    group_size: IccGroupSize = "mean_group_size",
    design: str = "custom",
) -> IntraclassCorrelation:
    """ICC(1) and ICC(2) of ``values`` (``(n,)``, NaN dropped) nested in ``groups`` labels.

    One-way ANOVA: MSB = sum n_g (mean_g - mean)^2 / (G - 1), MSW = sum (x - mean_g)^2 /
    (N - G).  ICC(1) = (MSB - MSW) / (MSB + (k - 1) MSW) with k = N / G
    (``group_size="mean_group_size"``, as ``multilevel::ICC1`` and ``psych::statsBy``) or
    k = k0 (``group_size="k0"``; see
    [`IntraclassCorrelation`][relcoord.metrics.reliability.icc.IntraclassCorrelation]); ICC(2) =
    (MSB - MSW) / MSB, the reliability of the group means (Bliese 2000).
    """
    _check_group_size(group_size)
    x = np.asarray(values, dtype=np.float64).ravel()
    labels = np.asarray(groups).ravel()
    if labels.shape != x.shape:
        raise ValueError(f"groups has shape {labels.shape}, values {x.shape}")
    keep = ~np.isnan(x)
    x, labels = x[keep], labels[keep]
    if len(x):
        _, g = np.unique(labels, return_inverse=True)
        g = g.ravel()
    else:
        g = np.zeros(0, dtype=np.intp)
    return icc_of_codes(x, g, grouping=grouping, scale=scale, wave=wave, target=target,
                        group_size=group_size, design=design)


def icc_of_codes(x: FloatArray, g: npt.NDArray[np.intp], *, grouping: str, scale: str,
                 wave: str | None, target: str | None, group_size: IccGroupSize,
                 design: str) -> IntraclassCorrelation:
    """[`icc_oneway`][relcoord.metrics.reliability.icc.icc_oneway] of values ``x`` (no NaN) in
    groups ``g`` coded ``0..G-1`` (every code used)."""
    n = len(x)
    counts = np.bincount(g).astype(np.float64) if n else np.zeros(0)
    if len(counts) >= 2 and n - len(counts) >= 1:
        means = np.bincount(g, weights=x) / counts
        grand = float(x.mean())
        within = float(((x - means[g]) ** 2).sum())
        return icc_of_groups(counts, means, grand, within, grouping=grouping, scale=scale,
                             wave=wave, target=target, group_size=group_size, design=design)
    return icc_from_anova(math.nan, math.nan, counts, grouping=grouping, scale=scale, wave=wave,
                          target=target, group_size=group_size, design=design)


def icc_of_groups(counts: FloatArray, means: FloatArray, grand: float, within: float, *,
                  grouping: str, scale: str, wave: str | None, target: str | None,
                  group_size: IccGroupSize, design: str) -> IntraclassCorrelation:
    """[`icc_oneway`][relcoord.metrics.reliability.icc.icc_oneway] from each group's size
    (``counts``, every one above 0) and mean, the grand mean and the pooled within-group sum of
    squared deviations from the group means (``within``): MSB =
    sum n_g (mean_g - mean)^2 / (G - 1), MSW = within / (N - G) (Bliese 2000)."""
    n = int(counts.sum())
    msb = msw = math.nan
    if len(counts) >= 2 and n - len(counts) >= 1:
        msb = float((counts * (means - grand) ** 2).sum()) / (len(counts) - 1)
        msw = within / (n - len(counts))
    return icc_from_anova(msb, msw, counts, grouping=grouping, scale=scale, wave=wave,
                          target=target, group_size=group_size, design=design)


def icc_from_anova(ms_between: float, ms_within: float, counts: npt.ArrayLike, *,
                   grouping: str, scale: str, wave: str | None = None,
                   target: str | None = None, group_size: IccGroupSize = "mean_group_size",
                   design: str = "custom") -> IntraclassCorrelation:
    """ICC(1) and ICC(2) from a one-way ANOVA's mean squares and the groups' sizes
    ``counts`` (see [`icc_oneway`][relcoord.metrics.reliability.icc.icc_oneway] for the
    formulas); what a pooled analysis has when only each group's sums are known."""
    sizes = np.asarray(counts, dtype=np.float64)
    n = int(sizes.sum())
    n_groups = len(sizes)
    df_b, df_w = n_groups - 1, n - n_groups
    none = IntraclassCorrelation(
        grouping=grouping, scale=scale, n=n, n_groups=n_groups, k=None,
        mean_group_size=n / n_groups if n_groups else None, ms_between=None, ms_within=None,
        df_between=max(df_b, 0), df_within=max(df_w, 0), icc1=None, icc2=None, wave=wave,
        target=target, group_size=group_size, design=design,
    )
    if n_groups < 2 or df_w < 1 or math.isnan(ms_between) or math.isnan(ms_within):
        return none
    msb, msw = ms_between, ms_within
    k0 = (n - float((sizes**2).sum()) / n) / df_b
    k = k0 if group_size == "k0" else n / n_groups
    denom1 = msb + (k - 1.0) * msw
    tiny = 1e-12 * max(abs(msb), abs(msw), 1.0)
    return attrs.evolve(
        none, k=k, k0=k0, ms_between=msb, ms_within=msw,
        icc1=(msb - msw) / denom1 if denom1 > tiny else None,
        icc2=(msb - msw) / msb if msb > tiny else None,
    )


def group_mean_reliability(icc1: float | None, sizes: npt.ArrayLike
                           ) -> tuple[float | None, ...]:
    """The reliability of the mean of each group of ``sizes`` cases, given ICC(1).

    The Spearman-Brown formula n ICC(1) / (1 + (n - 1) ICC(1)) (Bliese 2000; with the
    common group size it is ICC(2) itself; ``multilevel::gmeanrel`` does the same per
    group): the per-tie ICC(2) when ICC(1) is that of ratings by tie.  ``None`` without
    ICC(1), for an empty group, or where the denominator is not positive beyond rounding (it
    is exactly 0 when ICC(1) = -1 / (n - 1), which a rounded ICC(1) may miss by an ulp; the
    same relative margin as ICC(1)'s own denominator in
    [`icc_from_anova`][relcoord.metrics.reliability.icc.icc_from_anova]).
    """
    n = np.asarray(sizes, dtype=np.float64).ravel()
    if icc1 is None:
        return (None,) * len(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1.0 + (n - 1.0) * icc1
        tiny = 1e-12 * (1.0 + np.abs((n - 1.0) * icc1))
        value = np.where((n > 0) & (denom > tiny), n * icc1 / denom, np.nan)
    return plain_floats(value)


def respondent_scale_scores(
    study: Study,
    *,
    scale: Scale = "rc",
    wave: str | None = None,
    target: str | None = None,
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """Each respondent's mean scale score over the targets they rated (complete cases).

    Returns ``(codes, scores)``: codes into ``study.respondents`` of the respondents with at
    least one complete respondent-tie, and their mean respondent-tie score (the plain mean
    of the scale's items, averaged over the targets rated).  Ratings without a respondent
    (workshop groups) are left out.  ``target`` restricts to ratings about one role.  This
    is the unit of the ICC: respondents nested in groups.
    """
    rows = RatingRows.of(study, wave)
    return respondent_scores_of_rows(study, rows, scale_keys(study.instrument, scale), target)


def respondent_scores_of_rows(study: Study, rows: RatingRows, keys: tuple[str, ...],
                              target: str | None) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """[`respondent_scale_scores`][relcoord.metrics.reliability.icc.respondent_scale_scores] of
    the items ``keys`` on prepared rows."""
    ratings = study.ratings
    keep = rows.pick(ratings.respondent) >= 0
    if target is not None:
        keep &= rows.pick(ratings.target) == study.role_ids.index(study.role(target).id)
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    _, total, complete = rows.scale(keys)
    keep &= complete
    every = bool(keep.all())
    person = rows.pick(ratings.respondent)
    person = person if every else person[keep]
    size = len(study.respondents)
    counts = np.bincount(person, minlength=size)
    # the item sums added, then divided once by the items of all the respondent's ratings:
    # the mean of the respondent-tie scores (sum / J each), with one rounding instead of one
    # per rating (exact sums on an integer scale: equal means are equal floats)
    sums = np.bincount(person, weights=total if every else total[keep], minlength=size)
    codes = np.flatnonzero(counts).astype(np.int64)
    return codes, sums[codes] / (counts[codes] * len(keys))


def grouping_name(by: Grouping) -> str:
    """The name of a respondent grouping: ``"role"``, ``"organisation"`` or ``"custom"``."""
    return by if isinstance(by, str) else "custom"


def _design_of(by: Grouping) -> str:
    name = grouping_name(by)
    return {"role": "respondents_by_rater_role",
            "organisation": "respondents_by_organisation"}.get(
        name, "respondents_by_custom_grouping")


def group_icc(
    study: Study,
    *,
    by: Grouping = "role",
    scale: Scale = "rc",
    wave: str | None = None,
    target: str | None = None,
    group_size: IccGroupSize = "mean_group_size",
) -> IntraclassCorrelation:
    """ICC(1) and ICC(2) of respondents' scale scores nested in a grouping (Bliese 2000).

    ``by`` is ``"role"`` (the respondent's role: the design ``respondents_by_rater_role``),
    ``"organisation"`` (their role's organisation; respondents whose role has none are left
    out) or a mapping respondent id -> group label (a site, a school; unmapped respondents
    are left out).  The value per respondent is
    [`respondent_scale_scores`][relcoord.metrics.reliability.icc.respondent_scale_scores];
    ``group_size`` the ``k`` of ICC(1) (see
    [`icc_oneway`][relcoord.metrics.reliability.icc.icc_oneway]).
    """
    if isinstance(by, str) and by not in ("role", "organisation"):
        raise ValueError(f"by must be 'role', 'organisation' or a mapping, got {by!r}")
    _check_group_size(group_size)
    return icc_of_rows(study, RatingRows.of(study, wave), by=by, scale=scale, wave=wave,
                       target=target, group_size=group_size)


def icc_of_rows(study: Study, rows: RatingRows, *, by: Grouping, scale: Scale, wave: str | None,
                target: str | None, group_size: IccGroupSize = "mean_group_size"
                ) -> IntraclassCorrelation:
    """[`group_icc`][relcoord.metrics.reliability.icc.group_icc] on prepared rows.

    For ``"role"`` and ``"organisation"`` every respondent's group is a code in the sorted
    order of the labels (roles are sorted by id in a study), read from a per-role table,
    so no label string is built per respondent; a mapping's labels are sorted as
    [`icc_oneway`][relcoord.metrics.reliability.icc.icc_oneway] sorts them.
    """
    keys = scale_keys(study.instrument, scale)
    codes, scores = respondent_scores_of_rows(study, rows, keys, target)
    return respondent_icc(study, codes, scores, by=by, scale=scale, wave=wave, target=target,
                          group_size=group_size)


def respondent_icc(study: Study, codes: npt.NDArray[np.int64], scores: FloatArray, *,
                   by: Grouping, scale: Scale, wave: str | None, target: str | None,
                   group_size: IccGroupSize = "mean_group_size") -> IntraclassCorrelation:
    """[`group_icc`][relcoord.metrics.reliability.icc.group_icc] of the respondents ``codes``
    (into ``study.respondents``, ascending) with their scale ``scores``
    ([`respondent_scale_scores`][relcoord.metrics.reliability.icc.respondent_scale_scores])."""
    name, design = grouping_name(by), _design_of(by)
    if isinstance(by, str):
        person_role = study.respondent_role_codes[codes]
        if by == "role":
            group_of_role = np.arange(len(study.roles), dtype=np.intp)
            n_labels = len(study.roles)
        else:
            names = sorted({r.organisation for r in study.roles if r.organisation is not None})
            position = {o: i for i, o in enumerate(names)}
            group_of_role = np.array([-1 if r.organisation is None else position[r.organisation]
                                      for r in study.roles], dtype=np.intp)
            n_labels = len(names)
        group = group_of_role[person_role]
        known = group >= 0
        values = scores[known]
        _, g = dense_codes(group[known].astype(np.int64), max(n_labels, 1))
        return icc_of_codes(values, g, grouping=name, scale=scale, wave=wave, target=target,
                            group_size=group_size, design=design)
    labels = [by.get(study.respondents[c].id) for c in codes.tolist()]
    mapped = np.array([label is not None for label in labels], dtype=bool)
    group_labels = np.array([label for label in labels if label is not None], dtype=str)
    return icc_oneway(scores[mapped], group_labels, grouping=name, scale=scale, wave=wave,
                      target=target, group_size=group_size, design=design)


def rating_icc(
    study: Study,
    *,
    by: RatingGrouping = "tie",
    scale: Scale = "rc",
    wave: str | None = None,
    group_size: IccGroupSize = "mean_group_size",
) -> IntraclassCorrelation:
    """ICC(1) and ICC(2) of ratings (respondent-ties) nested in the role they rate or their tie.

    Each rating complete on the scale's items is a case, its score the plain mean of those
    items; a rating without a respondent (a workshop group) is a case as well, as it is a
    rater of its tie in the agreement figures.  ``by="target"`` groups the ratings by the
    role they rate (design ``ratings_by_target_role``); ``by="tie"`` by their tie in one
    wave, the groups whose agreement
    [`tie_agreement`][relcoord.metrics.reliability.agreement.tie_agreement] computes (design
    ``ratings_by_tie``).  ``group_size`` is the ``k`` of ICC(1).
    """
    if by not in get_args(RatingGrouping):
        raise ValueError(f"by must be 'target' or 'tie', got {by!r}")
    _check_group_size(group_size)
    return rating_icc_of_rows(study, RatingRows.of(study, wave), by=by, scale=scale, wave=wave,
                              group_size=group_size)


def rating_icc_of_rows(study: Study, rows: RatingRows, *, by: RatingGrouping, scale: Scale,
                       wave: str | None, group_size: IccGroupSize = "mean_group_size"
                       ) -> IntraclassCorrelation:
    """[`rating_icc`][relcoord.metrics.reliability.icc.rating_icc] on prepared rows."""
    keys = scale_keys(study.instrument, scale)
    design = "ratings_by_target_role" if by == "target" else "ratings_by_tie"
    if not keys:
        return icc_of_codes(np.zeros(0), np.zeros(0, dtype=np.intp), grouping=by,
                            scale=scale, wave=wave, target=None, group_size=group_size,
                            design=design)
    _, total, complete = rows.scale(keys)
    every = bool(complete.all())
    score = (total if every else total[complete]) / len(keys)
    if by == "target":
        code = rows.pick(study.ratings.target).astype(np.int64)
        size = len(study.roles)
    else:
        code, size = rows.codes, rows.cells.size
    _, g = dense_codes(code if every else code[complete], max(size, 1))
    return icc_of_codes(score, g, grouping=by, scale=scale, wave=wave, target=None,
                        group_size=group_size, design=design)
