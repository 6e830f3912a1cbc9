"""Change between two waves: ties, roles and the network, with uncertainty.

RC moves slowly, so a change between two waves (two conferences, two survey rounds) is only
worth reporting with its uncertainty.
[`compare_waves`][relcoord.metrics.waves.compare.compare_waves] gives, for every tie, every role (as
rater and as target) and the network (all ties, within, between):

* the figure in each wave and the **change** ``wave_b - wave_a``, computed as
  [`relcoord.metrics.scores`][relcoord.metrics.scores] computes the figures (same ``min_items``
  rule, same weighting, a role's self-tie left out of its row and column);
* a **percentile bootstrap confidence interval** of the change (Efron & Tibshirani 1993,
  ch. 13): respondents are resampled with replacement *within their rater role*, and within
  the role separately among those who answered in both waves (kept as pairs, so a panel's
  correlation is kept), only in wave A, or only in wave B, so that every replicate has the
  design of the data.  A rating without a respondent (a workshop group) is its own unit.
  ``n_boot`` replicates (default 2000) from ``numpy.random.default_rng(seed)`` (default seed
  20190101): the same data, ``n_boot`` and ``seed`` give the same intervals.  Replicates in
  which a figure is undefined (no rater of that tie drawn) are left out of its interval;
* a **minimal detectable change**: MDC95 = 1.96 * sqrt(2) * SEM with
  SEM = SD * sqrt(1 - reliability) (Weir 2005; de Vet et al. 2006), for one respondent-tie
  score, where SD is the standard deviation of the respondent-tie RC scores in wave A and the
  reliability is Cronbach's alpha of the RC index in wave A (complete cases) unless one is
  given (a test-retest ICC, for instance).  For a figure that averages n_a respondent-ties in
  wave A and n_b in wave B the same measurement error gives
  MDC = 1.96 * SEM * sqrt(1/n_a + 1/n_b), which is MDC95 / sqrt(n) when both are n (de Vet
  et al. 2006: the smallest detectable change of a group mean).  The MDC covers measurement
  error only; the bootstrap interval covers sampling.  A change is **clear** when it stands
  out from both, its interval excluding 0 and its size exceeding the MDC
  ([`Change.is_clear`][relcoord.metrics.waves.results.Change.is_clear], the one definition that the
  report, figures and text read);
* the **arrows** gained, lost and reversed: named arrows (``study.ties``, a role's arrow to
  itself left out) when the study has any, else the ties rated in each wave.  A pair whose
  only arrow turned round (A->B in wave A, B->A in wave B) is *reversed* and not also
  counted as gained and lost.

The package, one module per step:

* `compare`:
  [`compare_waves`][relcoord.metrics.waves.compare.compare_waves], the steps in order;
* `rows`: the ratings each wave counts;
* `replicates`: resampling units, strata and blocks of
  bootstrap replicates;
* `cells`: figures of ties, roles and the network from the cells of
  many replicates;
* `uncertainty`: the MDC and the percentile interval;
* `arrows`: arrows gained, lost and reversed;
* `results`: the frozen results
  ([`WaveComparison`][relcoord.metrics.waves.results.WaveComparison],
  [`Change`][relcoord.metrics.waves.results.Change], ...).

Sources:
    Efron, B. & Tibshirani, R.J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    Weir, J.P. (2005). Quantifying test-retest reliability using the intraclass correlation
    coefficient and the SEM. *Journal of Strength and Conditioning Research* 19(1), 231-240.
    de Vet, H.C.W., Terwee, C.B., Knol, D.L. & Bouter, L.M. (2006). When to use agreement
    versus reliability measures. *Journal of Clinical Epidemiology* 59(10), 1033-1039.
"""

from __future__ import annotations

from relcoord.metrics.waves.arrows import arrow_changes
from relcoord.metrics.waves.compare import compare_waves
from relcoord.metrics.waves.results import (
    ArrowBasis,
    ArrowChanges,
    Change,
    Direction,
    RoleChange,
    TieChange,
    WaveComparison,
)
from relcoord.metrics.waves.uncertainty import minimal_detectable_change, percentile_interval
from relcoord.settings import DEFAULT_N_BOOT, DEFAULT_SEED

# DEFAULT_N_BOOT (2000) and DEFAULT_SEED (20190101) live in relcoord.settings, so that the
# analysis settings and this package share one default; they are re-exported here.
__all__ = [
    "DEFAULT_N_BOOT",
    "DEFAULT_SEED",
    "ArrowBasis",
    "ArrowChanges",
    "Change",
    "Direction",
    "RoleChange",
    "TieChange",
    "WaveComparison",
    "arrow_changes",
    "compare_waves",
    "minimal_detectable_change",
    "percentile_interval",
]
