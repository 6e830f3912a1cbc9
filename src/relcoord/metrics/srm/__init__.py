"""The Social Relations Model (SRM) of RC ratings: rater, target and relationship effects.

The SRM (Warner, Kenny & Stoto 1979; Kenny 1994) splits a rating of "how does *i* see
*j*" into the rater's general tendency (Kenny's actor or perceiver effect), the target's
general tendency to be rated so (partner or target effect) and what is unique to the pair
(relationship effect).  In RC data the raters are people nested in rater roles, the targets
are roles, and the design is incomplete: a role rates some roles, not all, roles differ in
size, and roles without respondents (named but absent) are rated without rating.  The
model relcoord fits to the respondent-tie RC ``y`` of respondent ``r`` in rater role ``i``
about target role ``j`` is::

    y[r, j] = mu + a[i] + b[j] + g[i, j] + p[r] + e[r, j]

``a`` is the **rater** effect of role ``i`` (leniency: how high the role rates everyone),
``b`` the **target** effect of role ``j`` (reputation: how high everyone rates it), ``g``
the **relationship** effect of the tie ``i -> j`` (what ``i`` thinks of ``j`` beyond both),
``p`` the **respondent** effect (a person's own leniency within their role) and ``e`` the
**residual** (a person's unique view of one role, with measurement error).  The effects
are independent normal random effects with variances ``s2_a, s2_b, s2_g, s2_p, s2_e``;
each component's **share** is its variance over their sum.  This is the cross-classified
multilevel form of the SRM (Snijders & Kenny 1999; Kenny, Kashy & Cook 2006, chapters 8
and 9), written in lme4 as
``lmer(rc ~ 1 + (1|source) + (1|target) + (1|source:target) + (1|respondent), REML = TRUE)``.

**The estimator is REML** (restricted maximum likelihood; Searle, Casella & McCulloch
1992, chapter 6), the criterion lme4 minimises (Bates, Maechler, Bolker & Walker 2015;
`relcoord.metrics.srm.criterion` computes it with its gradient,
`relcoord.metrics.srm.reml` finds the optimum), with numpy alone.
Kenny's round-robin ANOVA estimators (Warner et al. 1979) assume every member of a group rates every
other once; RC designs break that in every way, and the ANOVA-type estimators for unbalanced
designs (Henderson's methods, Searle et al. 1992, chapter 5) depend on the order in which
the factors are fitted and can be negative.  REML has one answer, keeps variances at or
above 0, uses every rating of an incomplete design and can be checked against lme4
(``tests/metrics/test_srm_r.py`` does, to 1e-4).

Choices, each visible in the result:

- **Within ties** (a role rating itself) are left out, as the round-robin SRM leaves out
  self-ratings (Kenny 1994): they describe a group's inner working, not how it sees
  others.  ``within=True`` keeps them as ties of their own.
- **Which components are fitted**: a factor with fewer than two levels, with as many
  levels as ratings, or grouping the ratings exactly as an earlier factor (order: rater,
  target, relationship, respondent) cannot be told apart from the rest; it is left out
  (``fitted`` false, its variance and share ``None``).  A rating without a respondent (a
  workshop group) is a respondent of its own.
- **Effects** are the BLUPs (best linear unbiased predictions, the conditional modes lme4's
  ``ranef()`` gives; Searle et al. 1992, chapter 7): each is shrunk towards 0 in
  proportion to how little data stands behind it, so a role rated by few is not given an
  extreme reputation by chance.
- **Uncertainty**: standard errors of the variances from the observed information (the
  Hessian of the REML criterion), of the shares by the delta method.  A component
  estimated at 0 lies on the boundary, where these do not hold: it gets no standard error.
- **Generalized reciprocity**: the Pearson correlation, over the roles that both rate and
  are rated, of a role's rater and target effects (do lenient roles get rated highly?).
  **Dyadic reciprocity**: the double-entry (pairwise intraclass) correlation of
  ``g[i, j]`` and ``g[j, i]`` over the pairs with both ties (Griffin & Gonzalez 1995): do
  ties that one side rates unusually high get rated unusually high back?  The model has no
  covariance terms (lme4's crossed factors cannot share one), so both are correlations of
  the estimated effects: descriptive, and pulled towards 0 by the shrinkage.  ``None``
  below 3 roles or pairs.
- **Leniency-adjusted received RC** of a role: the mean of the ratings it received, each
  with its rater's leniency (``a[i] + p[r]``) taken off: what it would receive from raters
  of average leniency, beside the plain mean ``received_rc``.
- **Perception gaps**:
  [`SocialRelations.perception_gap`][relcoord.metrics.srm.result.SocialRelations.perception_gap]
  splits ``tie(A, B) - tie(B, A)`` into ``a[A] - a[B]`` (leniency), ``b[B] - b[A]`` (reputation),
  ``g[A, B] - g[B, A]`` (the ties themselves) and what the respondents and residuals leave.

**Parts**: the design's sums belong to rater roles, so the model of a study too large for
one process is fitted from parts, one per block of whole rater roles
([`srm_part`][relcoord.metrics.srm.parts.srm_part],
[`combine_srm_parts`][relcoord.metrics.srm.parts.combine_srm_parts],
[`social_relations_model_from_parts`][relcoord.metrics.srm.parts.social_relations_model_from_parts]):
the same design, up to the rounding of its sums, and the same fit.

**Privacy**: pass the *published* study (``relcoord.privacy.withhold``; in an analysis
``analysis.published``).  The estimator uses every rating it is given; a tie that the
minimum-respondent rule withholds must not give an effect or move the others.

Sources:
    Bates, D., Maechler, M., Bolker, B. & Walker, S. (2015). Fitting linear mixed-effects
    models using lme4. *Journal of Statistical Software* 67(1), 1-48.
    Griffin, D. & Gonzalez, R. (1995). Correlational analysis of dyad-level data in the
    exchangeable case. *Psychological Bulletin* 118(3), 430-439.
    Henderson, H.V. & Searle, S.R. (1981). On deriving the inverse of a sum of matrices.
    *SIAM Review* 23(1), 53-60.
    Kenny, D.A. (1994). *Interpersonal Perception: A Social Relations Analysis*. Guilford.
    Kenny, D.A., Kashy, D.A. & Cook, W.L. (2006). *Dyadic Data Analysis*. Guilford.
    Searle, S.R., Casella, G. & McCulloch, C.E. (1992). *Variance Components*. Wiley.
    Snijders, T.A.B. & Kenny, D.A. (1999). The social relations model for family data: a
    multilevel approach. *Personal Relationships* 6(4), 471-486.
    Warner, R.M., Kenny, D.A. & Stoto, M. (1979). A new round robin analysis of variance
    for social interaction data. *Journal of Personality and Social Psychology* 37(10),
    1742-1757.
"""

from relcoord.metrics.srm.estimate import (
    ESTIMATOR,
    MODEL,
    social_relations_model,
    social_relations_of_design,
)
from relcoord.metrics.srm.parts import (
    SRMPart,
    combine_srm_parts,
    social_relations_model_from_parts,
    srm_part,
)
from relcoord.metrics.srm.result import (
    COMPONENT_ORDER,
    PerceptionGap,
    Reciprocity,
    RelationshipEffect,
    RoleEffects,
    SocialRelations,
    VarianceComponent,
)

__all__ = [
    "COMPONENT_ORDER",
    "ESTIMATOR",
    "MODEL",
    "PerceptionGap",
    "Reciprocity",
    "RelationshipEffect",
    "RoleEffects",
    "SRMPart",
    "SocialRelations",
    "VarianceComponent",
    "combine_srm_parts",
    "social_relations_model",
    "social_relations_model_from_parts",
    "social_relations_of_design",
    "srm_part",
]
