"""The arrows gained, lost and reversed between two waves.

Named arrows (``study.ties``, a role's arrow to itself left out) when the study has any,
else the ties rated in each wave.  A pair whose only arrow turned round (A->B in wave A,
B->A in wave B) is *reversed* and not also counted as gained and lost.
"""

from __future__ import annotations

from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.wave_rows import counted_in_wave, require_wave
from relcoord.metrics.waves.results import ArrowBasis, ArrowChanges
from relcoord.model import Study

__all__ = ["arrow_changes", "changed_arrows"]


def changed_arrows(study: Study, wave_a: str, wave_b: str,
                   rated: tuple[set[tuple[str, str]], set[tuple[str, str]]]) -> ArrowChanges:
    """Arrows gained, lost and reversed: the named arrows, or without them the ``rated`` ties.

    ``rated`` holds the (source, target) ties rated in ``wave_a`` and in ``wave_b``.  A pair
    whose only arrow turned round is reversed, not also gained and lost.
    """
    if study.ties:
        basis: ArrowBasis = "arrows"
        sets = tuple({(t.source, t.target) for t in study.ties
                      if t.wave == w and t.source != t.target} for w in (wave_a, wave_b))
    else:
        basis = "ratings"
        sets = tuple({(s, t) for s, t in r if s != t} for r in rated)
    a, b = sets
    turned = {(s, t) for s, t in b - a if (t, s) in a - b and (s, t) not in a
              and (t, s) not in b}
    gained = (b - a) - turned
    lost = (a - b) - {(t, s) for s, t in turned}
    return ArrowChanges(basis=basis, gained=tuple(sorted(gained)), lost=tuple(sorted(lost)),
                        reversed=tuple(sorted(turned)), kept=len(a & b))


def arrow_changes(study: Study, wave_a: str, wave_b: str, *, min_items: int) -> ArrowChanges:
    """Arrows gained, lost and reversed from ``wave_a`` to ``wave_b`` (as
    [`compare_waves`][relcoord.metrics.waves.compare.compare_waves] does).

    Named arrows (``study.ties``) when the study has any, else the ties rated in each wave by
    at least one respondent-tie that counts under ``min_items``.  Useful on its own when the
    change of the figures is computed from fewer ratings than the arrows are (the analysis
    compares only ties publishable in both waves, but reports the arrows of all published
    ties).
    """
    for wave in (wave_a, wave_b):
        require_wave(study, wave)
    ratings = study.ratings
    counted = respondent_tie_scores(study, min_items=min_items).counted
    ids = study.role_ids
    rated = []
    for wave in (wave_a, wave_b):
        rows = counted_in_wave(study, counted, wave)
        rated.append({(ids[s], ids[t]) for s, t in
                      zip(ratings.source[rows].tolist(), ratings.target[rows].tolist(),
                          strict=True)})
    return changed_arrows(study, wave_a, wave_b, (rated[0], rated[1]))
