"""The analysis of a block of rater roles, as a part that combines with the other blocks'.

A study too large for one process is analysed block by block
([`relcoord.rater_role_blocks`][relcoord.rater_role_blocks]: a block holds every rating row of
some rater roles).  [`analysis_part`][relcoord.analysis_parts.analysis_part] runs, on one block,
the privacy rule and the first stage of every figure: the rule's decisions are per tie cell,
and a cell belongs to its rater role, so a block decides its own cells exactly as the whole
study would; every family of figures then keeps, from the block's published rows, what its
figures need per cell, per pair of roles or per respondent of the block
(the privacy part, [`relcoord.privacy.parts`][relcoord.privacy.parts]; the scores',
[`relcoord.metrics.scores.parts`][relcoord.metrics.scores.parts]; the table of rated pairs of
the role network, [`rated_pair_table`][relcoord.role_network.rated_pair_table]; reliability's,
[`relcoord.metrics.reliability.parts`][relcoord.metrics.reliability.parts]; the Social Relations
Model's, [`relcoord.metrics.srm.parts`][relcoord.metrics.srm.parts]).  Nothing in a part is a
rating row: its size follows the roles, cells and (for the SRM) the block's respondents.

[`AnalysisPart.combine`][relcoord.analysis_parts.AnalysisPart.combine] joins the parts of
disjoint blocks, and [`analyze_parts`][relcoord.analysis.analyze_parts] finishes the analysis
from the joined part: the same [`Analysis`][relcoord.analysis_result.Analysis] as
[`relcoord.analyze`][relcoord.analysis.analyze] of the whole study (counts exactly, floats to
rounding: sums over cells of different blocks are added in another order), without holding a
rating row.  The ``dask`` engine computes the parts on its workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Unpack

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.reliability.parts import (
    ReliabilityPart,
    combine_reliability_parts,
    reliability_part,
)
from relcoord.metrics.scores import shared_respondent_tie_scores
from relcoord.metrics.scores.parts import ScoresPart, scores_part
from relcoord.metrics.srm.parts import SRMPart, combine_srm_parts, srm_part
from relcoord.model import Study
from relcoord.privacy.parts import PrivacyPart, privacy_part
from relcoord.role_network import rated_pair_table
from relcoord.settings import AnalysisSettings, InvalidSettingsError, SettingsOverrides

__all__ = ["AnalysisPart", "analysis_part", "check_no_comparison"]


def check_no_comparison(settings: AnalysisSettings) -> None:
    """Raise [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError] when
    ``settings`` ask for a comparison of waves, which an analysis from parts cannot give."""
    if settings.compare is not None:
        raise InvalidSettingsError(
            "compare", "a comparison of waves resamples respondents of every rater role "
            "together (its bootstrap), which parts of rater roles cannot do; analyse the "
            "whole study (relcoord.analyze, or the dask engine, which then gathers the rows)")


@attrs.frozen(eq=False)
class AnalysisPart:
    """What one block of rater roles contributes to an analysis: one part per family of
    figures (see the module).  Combine the parts of disjoint blocks with
    [`combine`][relcoord.analysis_parts.AnalysisPart.combine]."""

    #: The rater roles of the block(s), sorted.
    rater_roles: tuple[str, ...]
    privacy: PrivacyPart
    scores: ScoresPart
    #: Rated pairs of roles (rows with an answered item) per ``source * n + target``.
    rated_pairs: npt.NDArray[np.int64]
    reliability: ReliabilityPart
    srm: SRMPart

    @classmethod
    def combine(cls, parts: Sequence[AnalysisPart]) -> AnalysisPart:
        """The part of the union of the blocks of ``parts``, which must not share a rater
        role (`ValueError`; and when ``parts`` is empty).  The order of ``parts`` does not
        matter."""
        if not parts:
            raise ValueError("no parts to combine")
        seen: set[str] = set()
        for part in parts:
            twice = seen & set(part.rater_roles)
            if twice:
                raise ValueError(f"rater role {sorted(twice)[0]!r} is in two parts")
            seen.update(part.rater_roles)
        if len(parts) == 1:
            return parts[0]
        shapes = {p.rated_pairs.shape for p in parts}
        if len(shapes) != 1:
            raise ValueError("the parts belong to studies of different roles")
        table = np.zeros(shapes.pop(), dtype=np.int64)
        for p in parts:
            table += p.rated_pairs
        table.setflags(write=False)
        return cls(
            rater_roles=tuple(sorted(seen)),
            privacy=PrivacyPart.combine([p.privacy for p in parts]),
            scores=ScoresPart.combine([p.scores for p in parts]),
            rated_pairs=table,
            reliability=combine_reliability_parts([p.reliability for p in parts]),
            srm=combine_srm_parts([p.srm for p in parts]),
        )


def analysis_part(block: Study, settings: AnalysisSettings | None = None,
                  **overrides: Unpack[SettingsOverrides]) -> AnalysisPart:
    """The part of the analysis that ``block`` holds: every rating row of its rater roles
    (the roles with a rating row in it), in canonical order
    ([`rater_role_block`][relcoord.rater_role_blocks.rater_role_block]); a block that is
    missing some rows of a rater role gives that role's figures wrongly, which nothing here
    can detect.  Settings as for [`relcoord.analyze`][relcoord.analysis.analyze]; a wave
    comparison (``compare``) raises
    [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError]."""
    chosen = settings if settings is not None else AnalysisSettings()
    if overrides:
        chosen = chosen.replace(**overrides)
    check_no_comparison(chosen)
    ratings = block.ratings
    present = np.bincount(ratings.source, minlength=len(ratings.roles)) > 0
    rater_roles = tuple(sorted(r for r, p in zip(ratings.roles, present.tolist(), strict=True)
                               if p))
    # every family scores the same respondent-ties: once per ratings store
    with shared_respondent_tie_scores():
        published, privacy = privacy_part(block, chosen)
        table = rated_pair_table(published)
        table.setflags(write=False)
        return AnalysisPart(
            rater_roles=rater_roles, privacy=privacy,
            scores=scores_part(published, chosen), rated_pairs=table,
            reliability=reliability_part(published, chosen), srm=srm_part(published, chosen),
        )

