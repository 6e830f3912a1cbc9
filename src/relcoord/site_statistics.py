"""Site statistics: what one organisation may share for a federated analysis, and their merge.

A national benchmark pools many organisations' surveys, but a survey's answers may not leave
the organisation that collected them.  The sums an analysis needs can: a *site* computes
[`SiteStatistics.of`][relcoord.site_statistics.SiteStatistics.of] its study, writes them with
[`write_site_statistics`][relcoord.site_statistics_file.write_site_statistics] (``relcoord stats``),
and whoever pools the sites adds the files (``a + b``, ``relcoord merge``) and analyses the sum
([`pooled_analysis`][relcoord.pooled_analysis.pooled_analysis], ``relcoord analyze all.stats``).

**What leaves a site** (docs/privacy.md, "Federated analysis"): the study's facts (metadata,
instrument, roles, named ties, invitations; no respondent, no rating) and, per tie and wave,
the counts and sums of the ratings that the privacy rules would publish *per wave* at the
site's own ``min_respondents``: rule 1 (every figure of the cell rests on at least
``min_respondents`` people) and rule 1b (answer patterns shared by fewer are left out), applied
with [`publishable_ratings`][relcoord.privacy.publishable.publishable_ratings] to each tie in each
wave.  A cell below the minimum is not in the file at all, and nothing in the file is a sum
over cells, so that changing the answers of a group below the minimum changes no byte of the
file (``tests/test_site_statistics.py`` checks this perturbation property over generated
studies).  Per-person sums (a respondent's mean over ties) are never in the file.

**What that costs the pooled figures**: a tie that has fewer than ``min_respondents``
respondents at every site but enough over all sites is missing from the pooled analysis,
where a pooled data set would show it; role and network figures are computed from the ties
that are there.  Figures that rest on people rather than on ties (the respondent-level ICC,
the Social Relations Model's respondent effect, the bootstrap of a wave comparison) cannot be
computed from sums and are not reported by a federated analysis.

Sites merge when they measured the same thing: the same instrument, roles (one role catalogue
for the benchmark), ``min_items`` and waves; their named ties and invitations are pooled.
Sites must not share respondents: a person who answered at two sites would be counted twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Unpack

import attrs
import numpy as np

from relcoord.metrics.tie_statistics import TieStatistics
from relcoord.model import Study
from relcoord.privacy.publishable import publishable_ratings
from relcoord.ratings import Ratings
from relcoord.settings import AnalysisSettings, SettingsOverrides

__all__ = ["SiteStatistics", "Summary", "merge_sites", "shared_sums"]

#: The summary of ratings a site shares: one type, named in this one place.
Summary = TieStatistics


def shared_sums(study: Study, min_items: int) -> Summary:
    """The per tie x wave sums of ``study``'s ratings, without per-person sums."""
    whole = TieStatistics.of(study, min_items=min_items, by_wave=True)
    nobody = np.empty(0, dtype=np.int64)
    return attrs.evolve(whole, people=nobody, people_role=nobody, people_counted=nobody,
                        people_rc_sum=np.empty(0), people_rc_sumsq=np.empty(0))


def _facts(study: Study) -> Study:
    """``study`` without respondents and ratings: what a site may share as it is."""
    return attrs.evolve(study, respondents=(),
                        ratings=Ratings.empty(study.ratings.dimensions), input_order=None)


@attrs.frozen(eq=False)
class SiteStatistics:
    """The facts and publishable sums of one site's study, or of several sites merged.

    ``study`` holds the facts only (no respondents, no ratings); ``summary`` the sums of
    the ratings publishable per tie and wave at ``min_respondents``, under ``min_items``;
    ``sites`` the study ids of the sites merged, sorted.
    """

    study: Study
    summary: Summary
    min_items: int
    min_respondents: int
    sites: tuple[str, ...]

    @classmethod
    def of(cls, study: Study, settings: AnalysisSettings | None = None,
           **overrides: Unpack[SettingsOverrides]) -> SiteStatistics:
        """The statistics ``study``'s site may share, under ``settings`` (its ``min_items``
        and ``min_respondents``; the other settings are the pooled analysis's)."""
        chosen = AnalysisSettings.from_mapping(
            {**(attrs.asdict(settings) if settings is not None else {}), **overrides})
        min_items = chosen.items_needed(study.instrument)
        keep = publishable_ratings(study, chosen, by_wave=True)
        shared = attrs.evolve(study, ratings=study.ratings.select(keep))
        return cls(study=_facts(study), summary=shared_sums(shared, min_items),
                   min_items=min_items, min_respondents=chosen.min_respondents,
                   sites=(study.metadata.id,))

    def __add__(self, other: object) -> SiteStatistics:
        if not isinstance(other, SiteStatistics):
            return NotImplemented
        return merge_sites((self, other))


def _same(what: str, values: Sequence[Any], sites: Sequence[SiteStatistics]) -> None:
    if any(v != values[0] for v in values[1:]):
        differing = next(i for i, v in enumerate(values) if v != values[0])
        raise ValueError(f"sites {sites[0].sites[0]!r} and {sites[differing].sites[0]!r} "
                         f"differ in their {what}; only sites with the same {what} merge")


def _fact_key(fact: Any) -> tuple[str, ...]:
    """A named tie's or invitation's fields as text (``None``, no wave, first)."""
    return tuple("" if value is None else f"~{value}" for value in attrs.astuple(fact))


def merge_sites(sites: Sequence[SiteStatistics]) -> SiteStatistics:
    """The statistics of ``sites`` pooled: sums added, named ties and invitations pooled.

    Raises `ValueError` when the sites differ in instrument, roles, waves, ``min_items`` or
    ``min_respondents``, or when a site id occurs twice (the same file given twice would count
    its people twice).
    """
    if not sites:
        raise ValueError("no sites to merge")
    _same("instrument", [s.study.instrument for s in sites], sites)
    _same("roles", [s.study.roles for s in sites], sites)
    _same("min_items", [s.min_items for s in sites], sites)
    _same("min_respondents", [s.min_respondents for s in sites], sites)
    _same("waves", [s.summary.grid for s in sites], sites)
    ids = [site_id for s in sites for site_id in s.sites]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"site {twice[0]!r} is given twice; each site's statistics may be "
                         "added once")
    summary = sites[0].summary
    for site in sites[1:]:
        summary = summary + site.summary
    first = sites[0].study
    ties = tuple(sorted({t for s in sites for t in s.study.ties}, key=_fact_key))
    invitations = tuple(sorted({i for s in sites for i in s.study.invitations}, key=_fact_key))
    study = attrs.evolve(first, ties=ties, invitations=invitations)
    return attrs.evolve(sites[0], study=study, summary=summary, sites=tuple(sorted(ids)))
