"""Reliability and within-group agreement of RC ratings: alpha, r_wg, r_wg(J), AD and ICC.

RC data is only worth aggregating when the items hang together (internal consistency) and
when the raters in one role agree about the role they rate (within-group agreement).  This
package computes the usual checks, vectorised over the columnar rating store:

* **Cronbach's alpha** of the RC index and of each sub-index, with corrected item-total
  correlations and alpha-if-item-deleted (Cronbach 1951).  Cases are respondent-ties
  (ratings): those the scores count under ``min_items`` that are complete on the scale's
  items; variances are sample variances (``ddof=1``).
* **r_wg** per item and **r_wg(J)** per scale for every tie, i.e. for the raters in role A
  about role B (James, Demaree & Wolf 1984), against the uniform ("rectangular") null
  distribution; out-of-range values are reset to 0 as LeBreton & Senter (2008) recommend.
* **AD**, the average deviation of the raters of a tie around the item mean (AD_M, the
  default) or median (AD_Md) (Burke, Finkelstein & Dusig 1999), averaged over the items of
  the scale (AD_M(J)).
* **ICC(1)** and **ICC(2)** from a one-way ANOVA (Bliese 2000) in three designs, each named
  in its result: respondents nested in their rater role (or organisation, or any
  respondent -> group mapping such as a site), ratings nested in the role they rate, and
  ratings nested in their tie, whose ICC(1) stepped up to a tie's raters is that tie's
  ICC(2), the reliability of its mean.  The group size of ICC(1) is N / G by default, as
  ``multilevel::ICC1`` and ``psych::statsBy`` take it, or the unbalanced-design ``k0``.

Everything that cannot be computed (fewer than two raters, no variance, ...) is ``None`` in
the result objects, never NaN; the lower-level array functions return NaN there, as numpy
code expects.  Every result carries the number of cases it used and the settings that
produced it.

One module per figure: `alpha`,
`agreement` (r_wg, r_wg(J), AD; on the group variances
and deviations of `dispersion`) and
`icc`; `rows` prepares
the rating rows they share and `summary` computes them
all at once; `grouped` holds the per-group arithmetic
under them all.  On an integer scale `summary` computes every figure from the integer tallies
of `answer_counts` (one pass over the item block, each figure an exact ratio divided once);
the row-by-row functions remain for other scales.  `parts` sums a block of whole rater roles'
rows up into a small part, and computes the figures of a whole study from its blocks' parts
combined (the analysis whose client holds no rating row).  The names below are importable
from this package.

Sources:
    Cronbach, L.J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16(3), 297-334.
    James, L.R., Demaree, R.G. & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. *Journal of Applied Psychology* 69(1), 85-98.
    LeBreton, J.M. & Senter, J.L. (2008). Answers to 20 questions about interrater
    reliability and interrater agreement. *Organizational Research Methods* 11(4), 815-852.
    Burke, M.J., Finkelstein, L.M. & Dusig, M.S. (1999). On average deviation indices for
    estimating interrater agreement. *Organizational Research Methods* 2(1), 49-68.
    Burke, M.J. & Dunlap, W.P. (2002). Estimating interrater agreement with the average
    deviation index: a user's guide. *Organizational Research Methods* 5(2), 159-172.
    Bliese, P.D. (2000). Within-group agreement, non-independence, and reliability. In
    K.J. Klein & S.W.J. Kozlowski (eds.), *Multilevel Theory, Research, and Methods in
    Organizations*, 349-381. Jossey-Bass.
"""

from relcoord.metrics.reliability.agreement import (
    AGREEMENT_BANDS,
    RWG_CUTOFF,
    TieAgreement,
    TieAgreementTable,
    agreement_band,
    null_variance,
    rwg,
    rwg_j,
    tie_agreement,
    uniform_null_variance,
)
from relcoord.metrics.reliability.alpha import (
    ALPHA_CUTOFF,
    CronbachAlpha,
    cronbach_alpha,
    scale_alpha,
)
from relcoord.metrics.reliability.dispersion import (
    Center,
    Dispersion,
    grouped_dispersion,
)
from relcoord.metrics.reliability.icc import (
    DESIGN_THRESHOLDS,
    DESIGNS,
    ICC1_TYPICAL,
    ICC2_CUTOFF,
    Grouping,
    IccThreshold,
    IntraclassCorrelation,
    RatingGrouping,
    group_icc,
    group_mean_reliability,
    icc_oneway,
    rating_icc,
    respondent_scale_scores,
)
from relcoord.metrics.reliability.parts import (
    ReliabilityPart,
    combine_reliability_parts,
    reliability_of_part,
    reliability_part,
)
from relcoord.metrics.reliability.rows import (
    SCALES,
    RatingRows,
    Scale,
    scale_keys,
)
from relcoord.metrics.reliability.summary import (
    ReliabilitySettings,
    ReliabilitySummary,
    reliability_summary,
    reliability_summary_and_rows,
)

__all__ = [
    "AGREEMENT_BANDS",
    "ALPHA_CUTOFF",
    "DESIGNS",
    "DESIGN_THRESHOLDS",
    "ICC1_TYPICAL",
    "ICC2_CUTOFF",
    "RWG_CUTOFF",
    "SCALES",
    "Center",
    "CronbachAlpha",
    "Dispersion",
    "Grouping",
    "IccThreshold",
    "IntraclassCorrelation",
    "RatingGrouping",
    "RatingRows",
    "ReliabilityPart",
    "ReliabilitySettings",
    "ReliabilitySummary",
    "Scale",
    "TieAgreement",
    "TieAgreementTable",
    "agreement_band",
    "combine_reliability_parts",
    "cronbach_alpha",
    "group_icc",
    "group_mean_reliability",
    "grouped_dispersion",
    "icc_oneway",
    "null_variance",
    "rating_icc",
    "reliability_of_part",
    "reliability_part",
    "reliability_summary",
    "reliability_summary_and_rows",
    "respondent_scale_scores",
    "rwg",
    "rwg_j",
    "scale_alpha",
    "scale_keys",
    "tie_agreement",
    "uniform_null_variance",
]
