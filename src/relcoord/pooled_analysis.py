"""The pooled analysis of sites' statistics: the RC figures a federated benchmark can show.

A federated analysis ([`relcoord.site_statistics`][relcoord.site_statistics]) has, per tie and
wave of each site, only the sums of the ratings that site may publish.  From them
[`pooled_analysis`][relcoord.pooled_analysis.pooled_analysis] computes, exactly as the in-memory
analysis defines each figure (docs/metrics.md; Gittell 2016, appendix):

- per tie (rater role -> target role), pooled over the waves and per wave: the mean
  respondent-tie RC (``sum / n``) and its SD (``sqrt((sum of squares - sum^2/n) / (n-1))``),
  the communication and relationship sub-indices, each item's mean, the band;
- per role: RC as rater and as target (without its own within-tie) and within, under the
  settings' weighting (respondent, tie or group; the same
  [`weighted_mean`][relcoord.metrics.scores.aggregation.weighted_mean] as the scores), and the
  network RC;
- Cronbach's alpha of the items over the complete cases of every tie (Cronbach 1951, from the
  summed cross-products), and ICC(1) and ICC(2) of ratings by tie and wave (Bliese 2000, the
  one-way ANOVA from each cell's sums;
  [`icc_from_anova`][relcoord.metrics.reliability.icc.icc_from_anova]).

What it cannot show, and says so (``not_reported``): medians, quartiles and AD (they need
the distribution, which sums do not hold), the respondent-level ICC, the Social Relations
Model and the bootstrap of a wave comparison (they need each person's answers), and the
number of distinct people behind a figure pooled over waves (a person who answered in two
waves is in two cells; ``n_respondents`` here counts respondents per wave and site).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final, Unpack

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.json_values import json_ready
from relcoord.metrics.reliability.icc import IntraclassCorrelation, icc_from_anova
from relcoord.metrics.scores.aggregation import line_mean, weighted_mean
from relcoord.model import Study
from relcoord.settings import AnalysisSettings, InvalidSettingsError, SettingsOverrides
from relcoord.site_statistics import SiteStatistics, merge_sites

__all__ = ["NOT_REPORTED", "PooledAnalysis", "PooledRole", "PooledTie", "pooled_analysis"]

Floats = npt.NDArray[np.float64]

#: What a pooled analysis cannot report (keys of the message catalogue's ``pooled.missing.``).
NOT_REPORTED: Final = ("spread", "respondent_icc", "srm", "change", "distinct_people")


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


@attrs.frozen(kw_only=True)
class PooledTie:
    """One tie's pooled figures (``wave`` ``None``: every wave pooled)."""

    source: str
    target: str
    wave: str | None
    n_ratings: int
    n_respondents: int
    rc: float | None
    rc_sd: float | None
    communication: float | None
    relationship: float | None
    items: Mapping[str, float | None]
    band: str | None

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return json_ready(attrs.asdict(self))


@attrs.frozen(kw_only=True)
class PooledRole:
    """One role's pooled figures as rater, as target and within (``None``: no rated tie)."""

    role: str
    rc_as_rater: float | None
    rc_as_target: float | None
    rc_within: float | None
    n_ratings_as_rater: int
    n_ratings_as_target: int

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return json_ready(attrs.asdict(self))


@attrs.frozen(kw_only=True)
class PooledAnalysis:
    """The figures of [`pooled_analysis`][relcoord.pooled_analysis.pooled_analysis]; ``study``
    holds the pooled facts (roles, named ties, invitations; no respondent, no rating)."""

    study: Study
    sites: tuple[str, ...]
    settings: AnalysisSettings
    site_min_respondents: int
    n_ratings: int
    network_rc: float | None
    ties: tuple[PooledTie, ...]
    ties_by_wave: tuple[PooledTie, ...]
    roles: tuple[PooledRole, ...]
    alpha: float | None
    alpha_complete_cases: int
    icc_by_tie: IntraclassCorrelation
    not_reported: tuple[str, ...] = NOT_REPORTED

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict: every figure, the settings and what is not reported."""
        return json_ready({
            "kind": "pooled analysis", "title": self.study.metadata.title, "sites": self.sites,
            "settings": self.settings.to_mapping(),
            "site_min_respondents": self.site_min_respondents, "n_ratings": self.n_ratings,
            "network_rc": self.network_rc,
            "ties": [t.to_mapping() for t in self.ties],
            "ties_by_wave": [t.to_mapping() for t in self.ties_by_wave],
            "roles": [r.to_mapping() for r in self.roles],
            "reliability": {"alpha": self.alpha, "complete_cases": self.alpha_complete_cases,
                            "icc_by_tie": self.icc_by_tie.to_mapping()},
            "not_reported": self.not_reported,
        })


def _by(index: npt.NDArray[np.int64], values: npt.NDArray[Any], size: int) -> Floats:
    """Per index ``0..size-1``, the sum of ``values`` (rows) of that index."""
    if values.ndim == 1:
        return np.asarray(np.bincount(index, weights=values.astype(np.float64),
                                      minlength=size), dtype=np.float64)
    return np.stack([np.bincount(index, weights=values[:, j].astype(np.float64),
                                 minlength=size) for j in range(values.shape[1])], axis=1)


def _mean(total: Floats, n: Floats) -> Floats:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, total / n, np.nan)


def _sd(total: Floats, squares: Floats, n: Floats) -> Floats:
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (squares - total * total / n) / (n - 1)
    return np.where(n >= 2, np.sqrt(np.maximum(var, 0.0)), np.nan)


def _ties(sums: dict[str, Floats], keys: Sequence[tuple[str, str, str | None]],
          items: tuple[str, ...], settings: AnalysisSettings, keep: npt.NDArray[np.bool_]
          ) -> tuple[PooledTie, ...]:
    rc = _mean(sums["rc_sum"], sums["counted"])
    sd = _sd(sums["rc_sum"], sums["rc_sumsq"], sums["counted"])
    com = _mean(sums["communication_sum"], sums["communication_n"])
    rel = _mean(sums["relationship_sum"], sums["relationship_n"])
    item_means = _mean(sums["item_sum"], sums["item_n"])
    return tuple(
        PooledTie(source=source, target=target, wave=wave, n_ratings=int(sums["counted"][i]),
                  n_respondents=int(sums["respondents"][i]), rc=_number(rc[i]),
                  rc_sd=_number(sd[i]), communication=_number(com[i]),
                  relationship=_number(rel[i]),
                  items={item: _number(item_means[i, j]) for j, item in enumerate(items)},
                  band=settings.band(_number(rc[i])))
        for i, (source, target, wave) in enumerate(keys) if keep[i]
    )


_SUMMED: Final = ("counted", "respondents", "rc_sum", "rc_sumsq", "communication_n",
                  "communication_sum", "relationship_n", "relationship_sum", "item_n", "item_sum")


def pooled_analysis(sites: SiteStatistics | Sequence[SiteStatistics],
                    settings: AnalysisSettings | None = None,
                    **overrides: Unpack[SettingsOverrides]) -> PooledAnalysis:
    """The pooled figures of ``sites`` (one site's or merged statistics, or several to merge)
    under ``settings`` and keyword overrides, as [`analyze`][relcoord.analysis.analyze] takes them.

    A tie is shown when its respondents (summed over sites and waves) reach
    ``min_respondents``; every site already left out its ties and waves below its own minimum,
    so a stricter minimum here only withholds more.  ``min_items`` must be the sites' (their
    sums were taken under it), and ``compare`` cannot be given (a comparison's bootstrap
    resamples people); both raise [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError].
    """
    if not isinstance(sites, SiteStatistics):
        sites = merge_sites(sites)
    chosen = AnalysisSettings.from_mapping(
        {**(attrs.asdict(settings) if settings is not None else {}), **overrides})
    if chosen.items_needed(sites.study.instrument) != sites.min_items:
        raise InvalidSettingsError("min_items", (
            f"the sites' statistics were taken with min_items={sites.min_items}; a pooled "
            "analysis uses the same"))
    if chosen.compare is not None:
        raise InvalidSettingsError("compare", (
            "a pooled analysis cannot compare waves: the comparison's bootstrap resamples "
            "people, whose answers stay at their sites; the figures per wave are in "
            "ties_by_wave"))
    summary = sites.summary
    roles, waves, items = summary.grid[0], summary.grid[1], summary.grid[2]
    k, slots = summary.n_roles, summary.n_waves
    pair = summary.cells // slots
    slot = summary.cells % slots
    pooled = {name: _by(pair, getattr(summary, name), k * k) for name in _SUMMED}
    pair_keys = [(roles[p // k], roles[p % k], None) for p in range(k * k)]
    shown = (pooled["respondents"] >= chosen.min_respondents) & (pooled["counted"] > 0)
    wave_names = ("", *waves)
    wave_cells = {name: getattr(summary, name).astype(np.float64) for name in _SUMMED}
    wave_keys = [(roles[p // k], roles[p % k], wave_names[s] or None)
                 for p, s in zip(pair.tolist(), slot.tolist(), strict=True)]
    wave_shown = shown[pair] & (summary.counted > 0) & bool(waves)
    rc_pair = (np.where(shown, pooled["rc_sum"], 0.0), np.where(shown, pooled["counted"], 0.0))
    everything = np.ones(k * k, dtype=bool)
    w = chosen.weighting
    role_figures = tuple(
        PooledRole(
            role=role,
            rc_as_rater=_number(line_mean(rc_pair, k, a, w, column=False)),
            rc_as_target=_number(line_mean(rc_pair, k, a, w, column=True)),
            rc_within=_number(_mean(rc_pair[0][a * k + a: a * k + a + 1],
                                    rc_pair[1][a * k + a: a * k + a + 1])[0]),
            n_ratings_as_rater=int(rc_pair[1][a * k:(a + 1) * k].sum() - rc_pair[1][a * k + a]),
            n_ratings_as_target=int(rc_pair[1][a::k].sum() - rc_pair[1][a * k + a]),
        )
        for a, role in enumerate(roles)
    )
    cell_shown = shown[pair]
    published = attrs.evolve(summary, **{
        name: getattr(summary, name)[cell_shown]
        for name in ("cells", "rows", "counted", "respondents", "item_n", "item_sum",
                     "item_sumsq", "rc_sum", "rc_sumsq", "communication_n", "communication_sum",
                     "communication_sumsq", "relationship_n", "relationship_sum",
                     "relationship_sumsq", "complete", "complete_sum", "complete_cross")})
    n_complete, alpha = published.alpha()
    ms_between, ms_within, _, _ = published.icc_by_tie()
    icc = icc_from_anova(ms_between, ms_within, published.complete[published.complete > 0],
                         grouping="tie", scale="rc", group_size=chosen.icc_group_size,
                         design="ratings_by_tie")
    return PooledAnalysis(
        study=sites.study, sites=sites.sites, settings=chosen,
        site_min_respondents=sites.min_respondents, n_ratings=int(rc_pair[1].sum()),
        network_rc=_number(weighted_mean(rc_pair, everything, k, w)),
        ties=_ties(pooled, pair_keys, items, chosen, shown),
        ties_by_wave=_ties(wave_cells, wave_keys, items, chosen, wave_shown),
        roles=role_figures, alpha=_number(alpha), alpha_complete_cases=n_complete,
        icc_by_tie=icc,
    )
