"""Confidentiality: the minimum-respondent rule, applied once inside ``analyze()``.

Survey platforms never show a figure that rests on fewer than a minimum number of
respondents (commonly 5, never below 3), and the organisers of the Trivsel Smiley
conferences (Psykiatrifonden 2020, see ``docs/example.md``) anonymised their results so
that no answer could be traced to a person or a school (``docs/privacy.md``).
relcoord applies that rule *before* any figure is computed, so that no exporter, report or
figure can leak a small group's answers by accident.

The rule, with ``k = settings.min_respondents``:

1. **Cells.**  The ratings are grouped into cells: one per tie ``(rater role, target
   role)``, waves pooled, as the analysis pools them.  A cell is *publishable* when every
   figure it feeds rests on at least ``k`` distinct respondents, counted after the
   ``min_items`` rule: its RC (the respondent-ties that count), its communication and
   relationship sub-indices and the mean of each item, where a figure that nobody answered
   (zero respondents) is simply absent.  Respondents are counted once however many waves
   they rated in; a rating without a respondent (a workshop group rating as a group)
   counts as one respondent.  Figures shown *per wave* (a wave comparison) use cells
   ``(rater role, target role, wave)`` (``by_wave=True``) and must leave out every tie that
   has an unpublishable wave cell, so that a pooled tie is never split into a shown and a
   hidden part.
1b. **Answer patterns.**  Within a cell, the respondent-ties that count are grouped by the
   set of items they answered; a group of fewer than ``k`` distinct respondents is withheld
   and rule 1 is checked again without it.  Every linear figure weighs a respondent by
   their pattern only, so no difference of two published figures, within one analysis or
   between analyses that differ in ``min_items``, rests on fewer than ``k`` people
   ([`rare_pattern_rows`][relcoord.privacy.publishable.rare_pattern_rows], ``docs/privacy.md``).
2. **Withholding.**  The ratings of every cell that is not publishable are *removed* before
   any aggregate is computed: ties, roles as rater and target, within/between, the network
   RC and its dimensions, organisations internal/external, weak-tie shares, asymmetry
   pairs, the network weights and the findings all describe publishable ratings only.  A
   withheld cell contributes nothing to any shown figure, so it cannot be recovered by
   subtraction from any combination of them (classic complementary suppression only
   guards against single subtractions and can still leak through linear combinations).
3. **Suppressed ties.**  A tie whose every cell was withheld stays in the ties list with
   every number ``None`` and ``suppressed=True`` plus a reason (``"fewer than 5
   respondents"``), so a reader sees that it was rated but not how.
4. **Aggregates.**  Any aggregate that still rests on fewer than ``k`` respondents is
   suppressed the same way (``None`` plus the reason).  With rule 1 this cannot happen for
   a non-empty aggregate; it is checked anyway, as a second line of defence.

Counts of roles, of respondents per role, named arrows and invitations are workshop-level
facts that the Trivsel Smiley article itself publishes; they are not answers and are never
suppressed.

Respondent ids are the other half: [`anonymise_study`][relcoord.privacy.pseudonyms.anonymise_study]
omits them or replaces them by pseudonyms, and the plugin host's one respondent policy
([`relcoord.plugins.respondent_ids`][relcoord.plugins.respondent_ids]) applies it to every published
output, so that no published result ever holds a raw respondent id.

One module per part: `publishable` (rule 1: which ratings may be
published), `answer_groups` (the rows grouped once by cell and answer class, over which
every count of rules 1 and 1b is taken), `withholding` (rule 2 and the
[`PrivacySummary`][relcoord.privacy.withholding.PrivacySummary]),
`suppression` (rules 3 and 4 on computed scores),
`parts` (the rule decided on blocks of whole rater roles and combined),
`reliability` (the rule on reliability and agreement) and
`pseudonyms` (respondent ids in exports).  Distinct respondents are
counted by [`TieCells`][relcoord.metrics.tie_cells.TieCells].
"""

from relcoord.privacy.parts import PrivacyPart, privacy_part, published_scores_from_parts
from relcoord.privacy.pseudonyms import (
    PSEUDONYM_PREFIX,
    RESPONDENT_ID_MODES,
    RespondentIdMode,
    anonymise_study,
    pseudonyms,
)
from relcoord.privacy.publishable import (
    answer_patterns,
    cell_support,
    comparable_ratings,
    publishable_ratings,
    rare_pattern_rows,
    suppression_reason,
)
from relcoord.privacy.reliability import publishable_reliability
from relcoord.privacy.suppression import published_scores, suppress_scores
from relcoord.privacy.withholding import PrivacySummary, privacy_summary, withhold

__all__ = [
    "PSEUDONYM_PREFIX",
    "RESPONDENT_ID_MODES",
    "PrivacyPart",
    "PrivacySummary",
    "RespondentIdMode",
    "anonymise_study",
    "answer_patterns",
    "cell_support",
    "comparable_ratings",
    "privacy_part",
    "privacy_summary",
    "pseudonyms",
    "publishable_ratings",
    "publishable_reliability",
    "published_scores",
    "published_scores_from_parts",
    "rare_pattern_rows",
    "suppress_scores",
    "suppression_reason",
    "withhold",
]
