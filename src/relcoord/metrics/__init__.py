"""Pure-function metrics of a study, one module per family.

[`relcoord.metrics.scores`][relcoord.metrics.scores] holds the Relational Coordination scores
(respondent-ties, ties, roles, network, weightings, bands);
[`relcoord.metrics.network`][relcoord.metrics.network] the analysis' figures of the role network,
built from the structural measures that
[`relcoord.metrics.graph_measures`][relcoord.metrics.graph_measures] computes with igraph or
networkx; [`relcoord.metrics.invitations`][relcoord.metrics.invitations] the balkort (dialogue
invitation) analytics; [`relcoord.metrics.srm`][relcoord.metrics.srm] the Social Relations Model
(rater, target and relationship effects of the ratings).
[`relcoord.metrics.ratings_summary`][relcoord.metrics.ratings_summary] holds what the analysis
reads from the ratings, mergeable across parts of a study;
[`relcoord.metrics.tie_cells`][relcoord.metrics.tie_cells] groups the ratings into tie cells (rater
role, target role, wave) and counts the distinct respondents behind them, for the scores, the
agreement of raters ([`relcoord.metrics.reliability`][relcoord.metrics.reliability]) and the privacy
rule. Metrics never read or write files.
"""

from relcoord.metrics.invitations import (
    InvitationMetrics,
    RoleInvitations,
    StatusCounts,
    TieCoverage,
    acceptance_rate,
    invitation_metrics,
)
from relcoord.metrics.network import (
    DyadCensus,
    NetworkMetrics,
    OrganisationEI,
    ResponseCoverage,
    RoleNetworkMetrics,
    ei_index,
    network_metrics,
)
from relcoord.metrics.ratings_summary import RatingsSummary
from relcoord.metrics.reliability import (
    CronbachAlpha,
    IntraclassCorrelation,
    ReliabilitySettings,
    ReliabilitySummary,
    TieAgreement,
    TieAgreementTable,
    cronbach_alpha,
    group_icc,
    icc_oneway,
    reliability_summary,
    rwg,
    rwg_j,
    scale_alpha,
    tie_agreement,
)
from relcoord.metrics.scores import (
    Figure,
    PairAsymmetry,
    RatedTie,
    RCScores,
    RoleScore,
    respondent_tie_scores,
    scores,
    tie_matrix,
)
from relcoord.metrics.srm import SocialRelations, social_relations_model
from relcoord.metrics.tie_cells import TieCells
from relcoord.metrics.waves import WaveComparison, compare_waves

__all__ = [
    "CronbachAlpha",
    "DyadCensus",
    "Figure",
    "IntraclassCorrelation",
    "InvitationMetrics",
    "NetworkMetrics",
    "OrganisationEI",
    "PairAsymmetry",
    "RCScores",
    "RatedTie",
    "RatingsSummary",
    "ReliabilitySettings",
    "ReliabilitySummary",
    "ResponseCoverage",
    "RoleInvitations",
    "RoleNetworkMetrics",
    "RoleScore",
    "SocialRelations",
    "StatusCounts",
    "TieAgreement",
    "TieAgreementTable",
    "TieCells",
    "TieCoverage",
    "WaveComparison",
    "acceptance_rate",
    "compare_waves",
    "cronbach_alpha",
    "ei_index",
    "group_icc",
    "icc_oneway",
    "invitation_metrics",
    "network_metrics",
    "reliability_summary",
    "respondent_tie_scores",
    "rwg",
    "rwg_j",
    "scale_alpha",
    "scores",
    "social_relations_model",
    "tie_agreement",
    "tie_matrix",
]
