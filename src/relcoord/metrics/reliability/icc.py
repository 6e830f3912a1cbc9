"""ICC(1) and ICC(2): how much respondents' scores depend on their group.

A one-way ANOVA of respondents nested in groups (their role, their role's organisation or
any respondent -> group mapping such as a site) (Bliese 2000), with the unbalanced-design
group size k0.  ICC(1) is the one-way random-effects ICC of a single case, Shrout &
Fleiss's (1979) ICC(1,1) and McGraw & Wong's (1996) ICC(1); ICC(2) is that of the group
mean, their ICC(1,k) and ICC(k): the reliability of the group means.

Sources:
    Bliese, P.D. (2000). Within-group agreement, non-independence, and reliability. In
    K.J. Klein & S.W.J. Kozlowski (eds.), *Multilevel Theory, Research, and Methods in
    Organizations*, 349-381. Jossey-Bass.
    Shrout, P.E. & Fleiss, J.L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin* 86(2), 420-428.
    McGraw, K.O. & Wong, S.P. (1996). Forming inferences about some intraclass correlation
    coefficients. *Psychological Methods* 1(1), 30-46.
    James, L.R. (1982). Aggregation bias in estimates of perceptual agreement. *Journal of
    Applied Psychology* 67(2), 219-229.
    LeBreton, J.M. & Senter, J.L. (2008). Answers to 20 questions about interrater
    reliability and interrater agreement. *Organizational Research Methods* 11(4), 815-852.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.json_values import json_ready
from relcoord.metrics.reliability.grouped import dense_codes
from relcoord.metrics.reliability.rows import RatingRows, Scale, scale_keys
from relcoord.model import Study

FloatArray = npt.NDArray[np.float64]

#: How a respondent is assigned to a group for the ICC: their role, their role's
#: organisation, or an explicit mapping respondent id -> group (a site, a school...).
Grouping = Literal["role", "organisation"] | Mapping[str, str]

__all__ = [
    "ICC1_TYPICAL",
    "ICC2_CUTOFF",
    "Grouping",
    "IntraclassCorrelation",
    "group_icc",
    "grouping_name",
    "icc_of_rows",
    "icc_oneway",
    "respondent_scale_scores",
]

#: The range ICC(1) typically takes in organisational data (Bliese 2000; James 1982 reports
#: a median of .12): values far outside it deserve a look.
ICC1_TYPICAL: Final = (0.05, 0.20)
#: The conventional minimum of ICC(2) for reliable group means (LeBreton & Senter 2008).
ICC2_CUTOFF: Final = 0.70


@attrs.frozen(kw_only=True)
class IntraclassCorrelation:
    """ICC(1) and ICC(2) from a one-way ANOVA of cases nested in groups (Bliese 2000).

    ``n`` cases in ``n_groups`` groups; ``k`` is the group size used in ICC(1): the
    unbalanced-design k0 = (N - sum n_g^2 / N) / (G - 1), which equals the common group
    size when groups are balanced; ``mean_group_size`` is N / G for comparison.  ICC(1) is
    not truncated (a negative value means less between-group variance than chance; read it
    as 0).  ``None`` where undefined (fewer than two groups, no within-group degrees of
    freedom, no variance).
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

    @property
    def f(self) -> float | None:
        """The ANOVA F ratio MSB / MSW."""
        if self.ms_between is None or not self.ms_within:
            return None
        return self.ms_between / self.ms_within

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` for undefined values)."""
        return json_ready({
            "grouping": self.grouping, "scale": self.scale, "wave": self.wave,
            "target": self.target, "n": self.n, "n_groups": self.n_groups,
            "k": self.k, "k_method": "k0", "mean_group_size": self.mean_group_size,
            "ms_between": self.ms_between, "ms_within": self.ms_within,
            "df_between": self.df_between, "df_within": self.df_within, "f": self.f,
            "icc1": self.icc1, "icc2": self.icc2,
        })


def icc_oneway(
    values: npt.ArrayLike,
    groups: npt.ArrayLike,
    *,
    grouping: str = "custom",
    scale: str = "custom",
    wave: str | None = None,
    target: str | None = None,
) -> IntraclassCorrelation:
    """ICC(1) and ICC(2) of ``values`` (``(n,)``, NaN dropped) nested in ``groups`` labels.

    One-way ANOVA: MSB = sum n_g (mean_g - mean)^2 / (G - 1), MSW = sum (x - mean_g)^2 /
    (N - G).  ICC(1) = (MSB - MSW) / (MSB + (k - 1) MSW) with k = k0 (see
    :class:`IntraclassCorrelation`); ICC(2) = (MSB - MSW) / MSB, the reliability of the group
    means (Bliese 2000).
    """
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
    return _icc_of_codes(x, g, grouping=grouping, scale=scale, wave=wave, target=target)


def _icc_of_codes(x: FloatArray, g: npt.NDArray[np.intp], *, grouping: str, scale: str,
                  wave: str | None, target: str | None) -> IntraclassCorrelation:
    """:func:`icc_oneway` of values ``x`` (no NaN) in groups ``g`` coded ``0..G-1`` (every
    code used) in the sorted order of the group labels."""
    n = len(x)
    counts = np.bincount(g).astype(np.float64) if n else np.zeros(0)
    n_groups = len(counts)
    df_b, df_w = n_groups - 1, n - n_groups
    none = IntraclassCorrelation(
        grouping=grouping, scale=scale, n=n, n_groups=n_groups, k=None,
        mean_group_size=n / n_groups if n_groups else None, ms_between=None, ms_within=None,
        df_between=max(df_b, 0), df_within=max(df_w, 0), icc1=None, icc2=None, wave=wave,
        target=target,
    )
    if n_groups < 2 or df_w < 1:
        return none
    means = np.bincount(g, weights=x) / counts
    grand = x.mean()
    msb = float((counts * (means - grand) ** 2).sum()) / df_b
    msw = float(((x - means[g]) ** 2).sum()) / df_w
    k0 = (n - float((counts**2).sum()) / n) / df_b
    denom1 = msb + (k0 - 1.0) * msw
    tiny = 1e-12 * max(abs(msb), abs(msw), 1.0)
    return attrs.evolve(
        none, k=k0, ms_between=msb, ms_within=msw,
        icc1=(msb - msw) / denom1 if denom1 > tiny else None,
        icc2=(msb - msw) / msb if msb > tiny else None,
    )


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
    return _respondent_scores(study, rows, scale_keys(study.instrument, scale), target)


def _respondent_scores(study: Study, rows: RatingRows, keys: tuple[str, ...], target: str | None
                       ) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """:func:`respondent_scale_scores` on prepared rows."""
    ratings = study.ratings
    keep = rows.pick(ratings.respondent) >= 0
    if target is not None:
        keep &= rows.pick(ratings.target) == study.role_ids.index(study.role(target).id)
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    _, total, complete = rows.scale(keys)
    keep &= complete
    every = bool(keep.all())
    tie_score = (total if every else total[keep]) / len(keys)  # numpy's row mean: sum / J
    person = rows.pick(ratings.respondent)
    person = person if every else person[keep]
    size = len(study.respondents)
    counts = np.bincount(person, minlength=size)
    sums = np.bincount(person, weights=tie_score, minlength=size)
    codes = np.flatnonzero(counts).astype(np.int64)
    return codes, sums[codes] / counts[codes]


def grouping_name(by: Grouping) -> str:
    return by if isinstance(by, str) else "custom"


def group_icc(
    study: Study,
    *,
    by: Grouping = "role",
    scale: Scale = "rc",
    wave: str | None = None,
    target: str | None = None,
) -> IntraclassCorrelation:
    """ICC(1) and ICC(2) of respondents' scale scores nested in a grouping (Bliese 2000).

    ``by`` is ``"role"`` (the respondent's role), ``"organisation"`` (their role's
    organisation; respondents whose role has none are left out) or a mapping respondent id
    -> group label (a site, a school; unmapped respondents are left out).  The value per
    respondent is :func:`respondent_scale_scores`.
    """
    if isinstance(by, str) and by not in ("role", "organisation"):
        raise ValueError(f"by must be 'role', 'organisation' or a mapping, got {by!r}")
    return icc_of_rows(study, RatingRows.of(study, wave), by=by, scale=scale, wave=wave,
                      target=target)


def icc_of_rows(study: Study, rows: RatingRows, *, by: Grouping, scale: Scale, wave: str | None,
               target: str | None) -> IntraclassCorrelation:
    """:func:`group_icc` on prepared rows.

    For ``"role"`` and ``"organisation"`` every respondent's group is a code in the sorted
    order of the labels (roles are sorted by id in a study), read from a per-role table,
    so no label string is built per respondent; a mapping's labels are sorted as
    :func:`icc_oneway` sorts them.
    """
    keys = scale_keys(study.instrument, scale)
    codes, scores = _respondent_scores(study, rows, keys, target)
    name = grouping_name(by)
    if isinstance(by, str):
        role_of = {r.id: i for i, r in enumerate(study.roles)}
        person_role = np.fromiter((role_of[study.respondents[c].role] for c in codes.tolist()),
                                  dtype=np.intp, count=len(codes))
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
        return _icc_of_codes(values, g, grouping=name, scale=scale, wave=wave, target=target)
    labels = [by.get(study.respondents[c].id) for c in codes.tolist()]
    mapped = np.array([label is not None for label in labels], dtype=bool)
    group_labels = np.array([label for label in labels if label is not None], dtype=str)
    return icc_oneway(scores[mapped], group_labels,
                      grouping=name, scale=scale, wave=wave, target=target)

