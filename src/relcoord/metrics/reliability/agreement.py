"""Within-group agreement of the raters of each tie: r_wg, r_wg(J), AD and AD(J).

For every tie (the raters in role A about role B, in one wave): r_wg per item and r_wg(J)
per scale against the uniform ("rectangular") null distribution (James, Demaree & Wolf
1984), out-of-range values reset to 0 (LeBreton & Senter 2008); and the average deviation
per item and its mean over the scale's items, AD_M(J), judged against Burke & Dunlap's
(2002) cut-off ``A / 6`` for ``A`` answer options; and beside them the tie's ICC(2), the
reliability of its mean: ICC(1) of the ratings nested in their ties
([`rating_icc`][relcoord.metrics.reliability.icc.rating_icc]), stepped up to the tie's number of
raters (Bliese 2000).

Sources:
    James, L.R., Demaree, R.G. & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. *Journal of Applied Psychology* 69(1), 85-98.
    James, L.R., Demaree, R.G. & Wolf, G. (1993). r_wg: An assessment of within-group
    interrater agreement. *Journal of Applied Psychology* 78(2), 306-309.
    LeBreton, J.M. & Senter, J.L. (2008). Answers to 20 questions about interrater
    reliability and interrater agreement. *Organizational Research Methods* 11(4), 815-852.
    Burke, M.J. & Dunlap, W.P. (2002). Estimating interrater agreement with the average
    deviation index: a user's guide. *Organizational Research Methods* 5(2), 159-172.
    Bliese, P.D. (2000). Within-group agreement, non-independence, and reliability. In
    K.J. Klein & S.W.J. Kozlowski (eds.), *Multilevel Theory, Research, and Methods in
    Organizations*, 349-381. Jossey-Bass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, get_args

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.instruments import Instrument
from relcoord.json_values import json_ready
from relcoord.metrics.reliability.answer_counts import AnswerCounts, CellCounts
from relcoord.metrics.reliability.dispersion import Center, Dispersion, block_dispersion
from relcoord.metrics.reliability.grouped import SPARSE_FROM, dense_codes
from relcoord.metrics.reliability.icc import (
    IntraclassCorrelation,
    group_mean_reliability,
    icc_from_anova,
    icc_of_codes,
)
from relcoord.metrics.reliability.plain import plain_rows
from relcoord.metrics.reliability.rows import RatingRows, Scale, scale_keys
from relcoord.model import Study
from relcoord.settings import IccGroupSize

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "AGREEMENT_BANDS",
    "RWG_CUTOFF",
    "TieAgreement",
    "TieAgreementTable",
    "agreement_band",
    "agreement_of_counts",
    "agreement_of_rows",
    "agreement_table",
    "null_variance",
    "rwg",
    "rwg_j",
    "tie_agreement",
    "uniform_null_variance",
]

#: The conventional agreement cut-off for r_wg and r_wg(J) (LeBreton & Senter 2008, q. 12).
RWG_CUTOFF: Final = 0.70
#: LeBreton & Senter's (2008, table 3) bands for r_wg / r_wg(J): upper bound and label.
AGREEMENT_BANDS: Final[tuple[tuple[float, str], ...]] = (
    (0.30, "lack of agreement"),
    (0.50, "weak agreement"),
    (0.70, "moderate agreement"),
    (0.90, "strong agreement"),
    (1.00, "very strong agreement"),
)


def null_variance(scores: Sequence[float]) -> float:
    """Variance of answers drawn uniformly from an item's possible ``scores``.

    This is the expected variance sigma_EU^2 of the rectangular null distribution (James,
    Demaree & Wolf 1984).  For ``A`` equally spaced scores ``1..A`` it equals
    ``(A**2 - 1) / 12`` (2.0 for five options); taking the variance of the actual score set
    also covers instruments whose scores are not ``1..A``.
    """
    values = np.asarray(sorted(set(scores)), dtype=np.float64)
    if len(values) < 2:
        raise ValueError("an item needs at least two possible scores")
    return float(values.var())


def uniform_null_variance(n_options: int) -> float:
    """sigma_EU^2 = (A^2 - 1) / 12 for ``A`` answer options (James, Demaree & Wolf 1984)."""
    if n_options < 2:
        raise ValueError(f"a scale needs at least two answer options, got {n_options}")
    return (n_options**2 - 1) / 12


def _null_variances(instrument: Instrument, keys: Sequence[str]) -> FloatArray:
    return np.array([null_variance(instrument.dimension(k).scoring) for k in keys])


def _n_options(instrument: Instrument, keys: Sequence[str]) -> tuple[int, ...]:
    return tuple(len(instrument.dimension(k).scoring) for k in keys)


def rwg(variance: npt.ArrayLike, null_var: npt.ArrayLike) -> FloatArray:
    """r_wg = 1 - s^2 / sigma_EU^2 (James, Demaree & Wolf 1984), elementwise.

    ``variance`` is the observed sample variance of the raters' answers to one item,
    ``null_var`` the variance expected under no agreement (see
    [`null_variance`][relcoord.metrics.reliability.agreement.null_variance]).  A variance above the
    null variance would give a negative value; it is reset to 0 as James et al. (1984) and LeBreton
    & Senter (2008) recommend, so results lie in [0, 1]. NaN (undefined variance) stays NaN.
    """
    ratio = np.asarray(variance, dtype=np.float64) / np.asarray(null_var, dtype=np.float64)
    return np.asarray(np.clip(1.0 - ratio, 0.0, 1.0), dtype=np.float64)


def rwg_j(variances: npt.ArrayLike, null_vars: npt.ArrayLike) -> FloatArray:
    """r_wg(J) over the last axis of ``variances`` (J items) (James, Demaree & Wolf 1984).

    With m = mean over the J items of s_j^2 / sigma_EU,j^2 (the usual mean item variance
    over sigma_EU^2 when all items share one scale):
    r_wg(J) = J (1 - m) / (J (1 - m) + m).  For m > 1 (more variance than random
    answering) the formula leaves [0, 1] (negative, or above 1 when m > J / (J - 1)); such
    inadmissible values are reset to 0, LeBreton & Senter's (2008) recommendation (their
    WGA software's ``reset``; the same result as James et al.'s truncation of the observed
    variance at sigma_EU^2).  NaN in any item gives NaN.
    """
    v = np.asarray(variances, dtype=np.float64)
    if v.ndim == 0 or v.shape[-1] == 0:
        raise ValueError("r_wg(J) needs at least one item on the last axis")
    n_items = v.shape[-1]
    m = (v / np.asarray(null_vars, dtype=np.float64)).mean(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = n_items * (1.0 - m) / (n_items * (1.0 - m) + m)
    value = np.where(m >= 1.0, 0.0, value)
    return np.asarray(np.where(np.isnan(m), np.nan, value), dtype=np.float64)


def agreement_band(value: float | None) -> str | None:
    """LeBreton & Senter's (2008, table 3) verbal band for an r_wg or r_wg(J) value.

    .00-.30 lack of agreement, .31-.50 weak, .51-.70 moderate, .71-.90 strong,
    .91-1.00 very strong agreement.
    """
    if value is None:
        return None
    for upper, label in AGREEMENT_BANDS:
        if value <= upper:
            return label
    return AGREEMENT_BANDS[-1][1]


@attrs.frozen(kw_only=True)
class TieAgreement:
    """Agreement of the raters in role ``source`` about role ``target`` (in one wave).

    ``n`` raters gave complete answers on the scale's items; ``rwg`` and ``ad`` hold one
    value per item (order of
    `TieAgreementTable.items`);
    ``rwg_j`` and ``ad_j`` (the mean item AD, AD(J)) summarise the scale.  All ``None`` with fewer
    than two raters. ``icc2`` is the reliability of the tie's mean of ``n`` ratings, n ICC(1) / (1 +
    (n - 1) ICC(1)) with ICC(1) of the ratings nested in their ties
    (`TieAgreementTable.icc`; Bliese
    2000): with one rater it is ICC(1) itself.
    """

    source: str
    target: str
    wave: str | None
    n: int
    rwg: tuple[float | None, ...]
    rwg_j: float | None
    ad: tuple[float | None, ...]
    ad_j: float | None
    icc2: float | None = None

    @property
    def band(self) -> str | None:
        """LeBreton & Senter's (2008) verbal band of
        `rwg_j`."""
        return agreement_band(self.rwg_j)

    def to_mapping(self, items: Sequence[str]) -> dict[str, Any]:
        """JSON-ready dict; ``items`` names the per-item values (a tie is a row of its
        [`TieAgreementTable`][relcoord.metrics.reliability.agreement.TieAgreementTable], which holds
        the item names)."""
        return json_ready({
            "source": self.source,
            "target": self.target,
            "wave": self.wave,
            "n": self.n,
            "rwg_j": self.rwg_j,
            "band": self.band,
            "ad_j": self.ad_j,
            "rwg": dict(zip(items, self.rwg, strict=True)),
            "ad": dict(zip(items, self.ad, strict=True)),
            "icc2": self.icc2,
        })


def _summary(values: Sequence[float | None]) -> tuple[int, float | None, float | None]:
    present = np.array([v for v in values if v is not None], dtype=np.float64)
    if not len(present):
        return 0, None, None
    return len(present), float(present.mean()), float(np.median(present))


@attrs.frozen(kw_only=True)
class TieAgreementTable:
    """Within-group agreement for every rated tie, and its summary across ties.

    ``ties`` are sorted by wave, source and target and include ties with a single rater
    (whose figures are ``None``).  ``null_variances`` are the sigma_EU^2 used per item,
    ``rwg_cutoff`` the agreement cut-off (r_wg(J) >= .70) and ``ad_cutoff`` Burke &
    Dunlap's (2002) AD cut-off A / 6 for A answer options (A averaged over the items).
    ``icc`` is the ICC of the ratings nested in these ties (design ``ratings_by_tie``),
    whose ICC(1) gives each tie's ``icc2``; the Analysis JSON shows it as
    ``reliability.icc_by_tie``, so
    [`to_mapping`][relcoord.metrics.reliability.agreement.TieAgreementTable.to_mapping] leaves it
    out.
    """

    scale: str
    items: tuple[str, ...]
    center: Center
    null_variances: tuple[float, ...]
    rwg_cutoff: float
    ad_cutoff: float
    ties: tuple[TieAgreement, ...]
    wave: str | None = None
    icc: IntraclassCorrelation | None = None

    @property
    def n_ties(self) -> int:
        """Ties with at least two raters (where agreement is defined)."""
        return sum(1 for t in self.ties if t.rwg_j is not None)

    @property
    def mean_rwg_j(self) -> float | None:
        """Mean r_wg(J) over the ties where it is defined."""
        return _summary([t.rwg_j for t in self.ties])[1]

    @property
    def median_rwg_j(self) -> float | None:
        """Median r_wg(J) over the ties where it is defined."""
        return _summary([t.rwg_j for t in self.ties])[2]

    @property
    def share_rwg_j_above_cutoff(self) -> float | None:
        """Share of the ties (with r_wg(J) defined) whose r_wg(J) >=
        `rwg_cutoff`."""
        values = [t.rwg_j for t in self.ties if t.rwg_j is not None]
        return sum(v >= self.rwg_cutoff for v in values) / len(values) if values else None

    @property
    def mean_ad_j(self) -> float | None:
        """Mean AD(J) over the ties where it is defined."""
        return _summary([t.ad_j for t in self.ties])[1]

    @property
    def share_ad_j_within_cutoff(self) -> float | None:
        """Share of the ties (with AD(J) defined) whose AD(J) <=
        `ad_cutoff`."""
        values = [t.ad_j for t in self.ties if t.ad_j is not None]
        return sum(v <= self.ad_cutoff for v in values) / len(values) if values else None

    def tie(self, source: str, target: str, wave: str | None = None) -> TieAgreement:
        """The agreement of tie ``source -> target`` in ``wave``; `KeyError` if unrated."""
        for t in self.ties:
            if (t.source, t.target, t.wave) == (source, target, wave):
                return t
        raise KeyError(f"no rated tie {source!r} -> {target!r} (wave {wave!r})")

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict: settings, summary across ties and one entry per tie."""
        data = json_ready({
            "scale": self.scale,
            "items": list(self.items),
            "center": self.center,
            "wave": self.wave,
            "null_variances": dict(zip(self.items, self.null_variances, strict=True)),
            "rwg_cutoff": self.rwg_cutoff,
            "ad_cutoff": self.ad_cutoff,
            "n_ties": self.n_ties,
            "mean_rwg_j": self.mean_rwg_j,
            "median_rwg_j": self.median_rwg_j,
            "share_rwg_j_above_cutoff": self.share_rwg_j_above_cutoff,
            "mean_ad_j": self.mean_ad_j,
            "share_ad_j_within_cutoff": self.share_ad_j_within_cutoff,
        })
        # JSON-ready already, and the longest part: not walked a second time
        data["ties"] = [t.to_mapping(self.items) for t in self.ties]
        return data


def tie_agreement(
    study: Study,
    *,
    scale: Scale = "rc",
    center: Center = "mean",
    wave: str | None = None,
    rwg_cutoff: float = RWG_CUTOFF,
    group_size: IccGroupSize = "mean_group_size",
) -> TieAgreementTable:
    """r_wg per item, r_wg(J), AD per item and AD(J) for every tie (raters in A about B).

    Raters are the ratings of the tie (respondents in the source role, or workshop groups),
    complete cases on the scale's items.  Ties are kept apart by wave; ``wave`` restricts to
    one.  The null variance of each item is that of uniform answers over its possible
    scores, (A^2 - 1) / 12 for A options (James, Demaree & Wolf 1984).  Vectorised: one
    group per tie cell in one wave ([`TieCells`][relcoord.metrics.tie_cells.TieCells]), then
    [`grouped_dispersion`][relcoord.metrics.reliability.dispersion.grouped_dispersion].  Each tie's
    ``icc2`` steps ICC(1) of the ratings nested in these ties (with ``group_size`` as its
    ``k``) up to the tie's raters.
    """
    keys = scale_keys(study.instrument, scale)
    if center not in get_args(Center):
        raise ValueError(f"center must be 'mean' or 'median', got {center!r}")
    return agreement_of_rows(study, RatingRows.of(study, wave), keys, scale=scale,
                             center=center, wave=wave, rwg_cutoff=rwg_cutoff,
                             group_size=group_size)


def agreement_of_rows(study: Study, rows: RatingRows, keys: tuple[str, ...], *, scale: Scale,
                      center: Center, wave: str | None, rwg_cutoff: float,
                      group_size: IccGroupSize = "mean_group_size") -> TieAgreementTable:
    """[`tie_agreement`][relcoord.metrics.reliability.agreement.tie_agreement] on prepared rows: one
    group of raters per tie cell in one wave (``rows.cells``), whose ratings' scale scores also give
    the ICC of ratings by tie."""
    x, total, complete = rows.scale(keys)
    every = bool(complete.all())
    code = rows.codes if every else rows.codes[complete]
    cells = rows.cells
    uniq, inverse = dense_codes(code, cells.size)
    # each rating's scale score (numpy's row mean: sum / J), nested in its tie
    score = (total if every else total[complete]) / max(len(keys), 1)
    icc = icc_of_codes(score, inverse, grouping="tie", scale=scale, wave=wave, target=None,
                       group_size=group_size, design="ratings_by_tie")
    disp = None
    if len(code):
        scratch = rows.scratch if x is rows.x and len(x) >= SPARSE_FROM else None
        disp = block_dispersion(x, inverse, None if len(code) == len(x) else complete,
                                len(uniq), center, scratch)
    return _table(study, cells.n_waves, uniq, disp, icc, keys, scale=scale, center=center,
                  wave=wave, rwg_cutoff=rwg_cutoff)


def agreement_of_counts(study: Study, counts: AnswerCounts | CellCounts, *, center: Center,
                        wave: str | None, rwg_cutoff: float,
                        group_size: IccGroupSize = "mean_group_size",
                        waves: Sequence[str] | None = None) -> TieAgreementTable:
    """[`tie_agreement`][relcoord.metrics.reliability.agreement.tie_agreement] of the RC index from
    the answer counts of the wave's rows (or their per-cell part,
    [`CellCounts`][relcoord.metrics.reliability.answer_counts.CellCounts]): each tie's variances and
    ADs from its counts of each score, the ICC of ratings by tie from its counts of each item sum
    ([`AnswerCounts`][relcoord.metrics.reliability.answer_counts.AnswerCounts]).  ``waves`` names
    the wave slots ``1..`` of the cell codes (default: ``study.ratings.waves``)."""
    msb, msw, sizes = counts.tie_anova()
    icc = icc_from_anova(msb, msw, sizes, grouping="tie", scale="rc", wave=wave, target=None,
                         group_size=group_size, design="ratings_by_tie")
    disp, scale = None, None
    if len(counts.cells):
        disp, *figures = counts.agreement(center, _null_variances(study.instrument, counts.keys))
        scale = (figures[0], figures[1])
    return _table(study, counts.n_waves, counts.cells, disp, icc, counts.keys, scale="rc",
                  center=center, wave=wave, rwg_cutoff=rwg_cutoff, scale_figures=scale,
                  waves=waves)


def _table(study: Study, n_waves: int, uniq: npt.NDArray[np.int64], disp: Dispersion | None,
           icc: IntraclassCorrelation, keys: tuple[str, ...], *, scale: Scale, center: Center,
           wave: str | None, rwg_cutoff: float,
           scale_figures: tuple[FloatArray, FloatArray] | None = None,
           waves: Sequence[str] | None = None) -> TieAgreementTable:
    """The table of the ties ``uniq`` (tie cell codes with ``n_waves`` wave slots, laid out as
    [`TieCells`][relcoord.metrics.tie_cells.TieCells] lays them out) with the dispersion ``disp`` of
    their raters' answers (``None``: no tie) and the ICC of ratings by tie; ``scale_figures``,
    each tie's r_wg(J) and AD(J) when known exactly (else from ``disp``); ``waves`` the names of
    the wave slots ``1..`` (default: ``study.ratings.waves``)."""
    nulls = _null_variances(study.instrument, keys) if keys else np.zeros(0)
    ties: list[TieAgreement] = []
    if disp is not None:
        ties = _ties(study, n_waves, uniq, disp, nulls,
                     group_mean_reliability(icc.icc1, disp.counts), scale_figures, waves)
    return agreement_table(study, keys, ties, icc, scale=scale, center=center, wave=wave,
                           rwg_cutoff=rwg_cutoff, nulls=nulls)


def agreement_table(study: Study, keys: tuple[str, ...], ties: list[TieAgreement],
                    icc: IntraclassCorrelation | None, *, scale: Scale, center: Center,
                    wave: str | None, rwg_cutoff: float, nulls: FloatArray | None = None
                    ) -> TieAgreementTable:
    """The [`TieAgreementTable`][relcoord.metrics.reliability.agreement.TieAgreementTable] of the
    ``ties`` (any order; sorted here by wave, source and target) of the items ``keys`` of
    ``study``'s instrument, with the ICC of ratings by tie; ``nulls``, the items' null
    variances when known."""
    if nulls is None:
        nulls = _null_variances(study.instrument, keys) if keys else np.zeros(0)
    options = _n_options(study.instrument, keys)
    ad_cutoff = float(np.mean(options)) / 6.0 if options else 0.0
    ties.sort(key=lambda t: ("" if t.wave is None else t.wave, t.source, t.target))
    return TieAgreementTable(
        scale=scale, items=keys, center=center, null_variances=tuple(float(v) for v in nulls),
        rwg_cutoff=rwg_cutoff, ad_cutoff=ad_cutoff, ties=tuple(ties), wave=wave, icc=icc,
    )


def _ties(study: Study, n_waves: int, uniq: npt.NDArray[np.int64], disp: Dispersion,
          nulls: FloatArray, reliability: tuple[float | None, ...],
          scale_figures: tuple[FloatArray, FloatArray] | None = None,
          waves: Sequence[str] | None = None) -> list[TieAgreement]:
    """One [`TieAgreement`][relcoord.metrics.reliability.agreement.TieAgreement] per tie cell code
    in ``uniq`` (in that order), from the dispersion of its raters' answers (``disp`` row ``i`` for
    ``uniq[i]``) and the reliability of its mean (``reliability[i]``)."""
    rwg_items = rwg(disp.variances, nulls)
    if scale_figures is None:
        rwg_scale = rwg_j(disp.variances, nulls).tolist()
        ad_scale = disp.deviations.mean(axis=1).tolist()
    else:
        rwg_scale, ad_scale = (values.tolist() for values in scale_figures)
    # Plain floats from .tolist(), NaN -> None only in the rows that hold one (ties with
    # one rater): building the tuples is most of the work for many small ties.
    rwg_rows, ad_rows = plain_rows(rwg_items), plain_rows(disp.deviations)
    counts = disp.counts.tolist()
    roles = study.role_ids
    slots = (None, *(study.ratings.waves if waves is None else waves))
    n_roles = len(roles)
    ties = []
    for i, c in enumerate(uniq.tolist()):
        pair, w = divmod(c, n_waves)
        s, t = divmod(pair, n_roles)
        rwg_i, ad_i = rwg_scale[i], ad_scale[i]
        ties.append(TieAgreement(
            source=roles[s], target=roles[t], wave=slots[w],
            n=counts[i], rwg=rwg_rows[i], rwg_j=None if rwg_i != rwg_i else rwg_i,
            ad=ad_rows[i], ad_j=None if ad_i != ad_i else ad_i, icc2=reliability[i],
        ))
    return ties
