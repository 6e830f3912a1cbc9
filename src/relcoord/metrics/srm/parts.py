"""The Social Relations Model from rater-role parts: the design's sums block by block.

Every sum of the SRM's design ([`SRMDesign`][relcoord.metrics.srm.design.SRMDesign]) belongs
to one rater role: a tie to its rater role, a respondent (unit) to the role it rates from.
So a block of whole rater roles' published rows
(``relcoord.rater_role_blocks.rater_role_block``) has all the sums of its
roles' ties and respondents, and the blocks' sums put side by side are the whole study's
design.  [`srm_part`][relcoord.metrics.srm.parts.srm_part] takes them from one block (its
size grows with the block's ties and respondents, never with its ratings: per respondent a
few numbers and its counts per tie);
[`combine_srm_parts`][relcoord.metrics.srm.parts.combine_srm_parts] puts parts of disjoint
rater roles together, in any order and grouping;
[`social_relations_model_from_parts`][relcoord.metrics.srm.parts.social_relations_model_from_parts]
fits the model to the combined design with the fit of
[`social_relations_model`][relcoord.metrics.srm.estimate.social_relations_model]
([`social_relations_of_design`][relcoord.metrics.srm.estimate.social_relations_of_design]).

**Centring.**  The design's sums are centred on the mean of all observations, which a part
cannot know.  A part centres its sums on its own mean ``c_p``; a combination moves them to
the mean ``c`` of all its parts' observations with the updating formulae of Chan, Golub &
LeVeque (1983): with ``d = c - c_p`` and ``n`` observations of sum ``s = sum(y - c_p)``
(``~ 0``) and squares ``q = sum((y - c_p)^2)``, ``sum(y - c) = s - n d`` and
``sum((y - c)^2) = q - 2 d s + n d^2``.  Per tie and respondent the terms are of the size of
the in-memory sums' own terms (``|d|`` is at most the ratings' range), so the rounding is of
the in-memory sums' order; a single part (``d = 0``) keeps its bits.

**Levels.**  The combined design numbers its levels as
[`srm_design`][relcoord.metrics.srm.design.srm_design] numbers the whole study's: ties by
(rater role, target role) code; the respondent units rater role by rater role, by
respondent code within one (the rule: every rating has its respondent); otherwise by
respondent code (by respondent and role if a store had a respondent under two roles), the
unnamed ratings after them in the canonical order of the published rows (wave by name, rater
role, then the order inside the block).  So the fit sees the same design up to the rounding
of its sums.

Source:
    Chan, T.F., Golub, G.H. & LeVeque, R.J. (1983). Algorithms for computing the sample
    variance: analysis and recommendations. *The American Statistician* 37(3), 242-247.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.srm.design import (
    Counts,
    SRMDesign,
    code_type,
    count_type,
    srm_design_and_keys,
)
from relcoord.metrics.srm.estimate import social_relations_of_design
from relcoord.metrics.srm.result import SocialRelations
from relcoord.model import Study
from relcoord.settings import AnalysisSettings

__all__ = [
    "SRMPart",
    "combine_srm_parts",
    "social_relations_model_from_parts",
    "srm_part",
    "srm_part_design",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Codes = npt.NDArray[np.signedinteger]


@attrs.frozen(eq=False)
class SRMPart:
    """The SRM design's sums of some rater roles' published ratings (picklable; see the
    module docstring).

    ``role_ids`` and ``waves`` are the study's role and wave vocabularies (the codes' names),
    ``rater_roles`` the role codes with rating rows in the part's blocks (ascending; no two
    parts of a combination share one).  Per tie (``tie_pairs``: (rater role, target role)
    codes, ascending): ``tie_n`` observations, ``tie_sum`` their sum, ``tie_y`` and
    ``tie_y2`` the sums of ``y - center`` and of its squares.  Per respondent unit, in the
    design's order: ``unit_role`` (role code), ``unit_person`` (respondent code; ``-1``:
    a rating without respondent, a unit of its own), ``unit_n``, ``unit_y`` (centred sum)
    and ``counts`` (observations per tie slot of its rater role); ``unnamed_wave``: the wave
    code (``-1``: none) of each unnamed unit, which are the last units.  Over all: ``n``
    observations, their ``total``, the ``center`` the sums are centred on (the part's mean),
    centred sum of squares ``yy``, smallest ``low`` and largest ``high``; the ratings
    ``n_within_left_out`` (within ties) and ``n_not_counted`` (too few items), the model's
    ``within`` and ``min_items``.
    """

    role_ids: tuple[str, ...]
    waves: tuple[str, ...]
    rater_roles: Ints
    tie_pairs: Ints
    tie_n: Ints
    tie_sum: Floats
    tie_y: Floats
    tie_y2: Floats
    unit_role: Codes
    unit_person: Codes
    unnamed_wave: Codes
    unit_n: Ints
    unit_y: Floats
    counts: Counts
    n: int
    total: float
    center: float
    yy: float
    low: float
    high: float
    n_within_left_out: int
    n_not_counted: int
    within: bool
    min_items: int

    @property
    def n_units(self) -> int:
        """The respondent units."""
        return len(self.unit_n)

    @property
    def nbytes(self) -> int:
        """The bytes of the part's arrays (what its size grows with)."""
        return sum(int(getattr(self, f.name).nbytes) for f in attrs.fields(SRMPart)
                   if isinstance(getattr(self, f.name), np.ndarray))


def srm_part(published_block: Study, settings: AnalysisSettings | None = None, *,
             within: bool = False, engine: str = "auto") -> SRMPart:
    """The SRM design's sums of a block of whole rater roles' **published** rows.

    Args:
        published_block: a study with every published rating row of some rater roles
            (``published_scores(rater_role_block(study, roles), settings)[0]``), in
            canonical order, and the whole study's metadata.
        settings: the analysis settings; the model counts a respondent-tie with at least
            [`items_needed`][relcoord.settings.AnalysisSettings.items_needed] answered items
            (default settings if ``None``).
        within: keep the ratings of a role about itself (as
            [`social_relations_model`][relcoord.metrics.srm.estimate.social_relations_model]'s
            ``within``).
        engine: the design's passes (as
            [`srm_design`][relcoord.metrics.srm.design.srm_design]'s ``engine``).
    """
    settings = settings or AnalysisSettings()
    min_items = settings.items_needed(published_block.instrument)
    design, keys = srm_design_and_keys(published_block, min_items=min_items, within=within,
                                       engine=engine)
    ratings = published_block.ratings
    k = len(design.role_ids)
    rater_roles = np.flatnonzero(np.bincount(ratings.source, minlength=k)).astype(np.int64)
    return SRMPart(
        role_ids=design.role_ids, waves=tuple(ratings.waves), rater_roles=rater_roles,
        tie_pairs=design.tie_pairs, tie_n=design.tie_n, tie_sum=design.tie_sum,
        tie_y=design.tie_y, tie_y2=design.tie_y2,
        unit_role=design.sources[design.unit_source].astype(code_type(k)),
        unit_person=keys.person.astype(code_type(max(len(ratings.respondents), 1))),
        unnamed_wave=keys.wave.astype(code_type(len(ratings.waves) + 1)),
        unit_n=design.unit_n, unit_y=design.unit_y, counts=design.counts, n=design.n,
        total=keys.total, center=design.center, yy=design.yy, low=keys.low, high=keys.high,
        n_within_left_out=design.n_within_left_out, n_not_counted=design.n_not_counted,
        within=within, min_items=min_items,
    )


def _check_alike(parts: list[SRMPart]) -> None:
    first = parts[0]
    for part in parts[1:]:
        for name in ("role_ids", "waves", "within", "min_items"):
            if getattr(part, name) != getattr(first, name):
                raise ValueError(f"SRM parts of different {name}: "
                                 f"{getattr(first, name)!r} and {getattr(part, name)!r}")
    roles = np.concatenate([p.rater_roles for p in parts])
    unique, seen = np.unique(roles, return_counts=True)
    if bool((seen > 1).any()):
        twice = first.role_ids[int(unique[seen > 1][0])]
        raise ValueError(f"rater role {twice!r} is in two SRM parts")


def _unit_order(role: Ints, person: Ints, wave_rank: Ints) -> npt.NDArray[np.intp]:
    """The units' order in the whole design (see the module docstring); ``wave_rank``: per
    unit the rank of its wave's name (only read for the unnamed units)."""
    named = person >= 0
    n_named = int(np.count_nonzero(named))
    one_role = len(np.unique(person[named])) == n_named
    if n_named == len(person) and one_role:  # the rule: by rater role, by respondent
        return np.lexsort((person, role))
    named_units = np.flatnonzero(named)
    unnamed_units = np.flatnonzero(~named)
    if one_role:
        first = named_units[np.argsort(person[named_units], kind="stable")]
    else:
        first = named_units[np.lexsort((role[named_units], person[named_units]))]
    last = unnamed_units[np.lexsort((unnamed_units, role[unnamed_units],
                                     wave_rank[unnamed_units]))]
    return np.concatenate([first, last]).astype(np.intp)


def combine_srm_parts(parts: Iterable[SRMPart]) -> SRMPart:
    """The part of the rater roles of all ``parts`` (disjoint sets of rater roles), in any
    order: its sums re-centred on the mean of all their observations (see the module
    docstring), its levels in the whole design's order.  `ValueError` for no parts, parts
    of different studies or settings, or a rater role in two parts."""
    parts = list(parts)
    if not parts:
        raise ValueError("no SRM parts to combine")
    _check_alike(parts)
    first = parts[0]
    k = len(first.role_ids)
    # one order of the parts whatever order they come in: the sums' rounding is the same
    parts.sort(key=lambda p: int(p.rater_roles[0]) if len(p.rater_roles) else k)
    n = sum(p.n for p in parts)
    total = 0.0
    for p in parts:
        total += p.total
    center = total / n if n else 0.0
    shift = [center - p.center if p.n else 0.0 for p in parts]  # y - c = (y - c_p) - d
    # ties: re-centred, ordered by (rater role, target role)
    pairs = np.concatenate([p.tie_pairs for p in parts]).reshape(-1, 2).astype(np.int64)
    tie_n = np.concatenate([p.tie_n for p in parts]).astype(np.int64)
    tie_sum = np.concatenate([p.tie_sum for p in parts]).astype(np.float64)
    tie_y = np.concatenate([p.tie_y - p.tie_n * d for p, d in zip(parts, shift, strict=True)])
    tie_y2 = np.concatenate([p.tie_y2 - 2.0 * d * p.tie_y + p.tie_n * (d * d)
                             for p, d in zip(parts, shift, strict=True)])
    yy = 0.0
    for p, d in zip(parts, shift, strict=True):
        yy += p.yy - 2.0 * d * float(p.tie_y.sum()) + p.n * (d * d)
    tie_order = np.lexsort((pairs[:, 1], pairs[:, 0]))
    # units: re-centred, in the whole design's order
    role = np.concatenate([p.unit_role.astype(np.int64) for p in parts])
    person = np.concatenate([p.unit_person.astype(np.int64) for p in parts])
    unit_n = np.concatenate([p.unit_n for p in parts]).astype(np.int64)
    unit_y = np.concatenate([p.unit_y - p.unit_n * d for p, d in zip(parts, shift, strict=True)])
    rank_of = np.empty(len(first.waves) + 1, dtype=np.int64)  # wave code + 1 -> name rank
    rank_of[0] = -1
    rank_of[1 + np.array(sorted(range(len(first.waves)), key=first.waves.__getitem__),
                         dtype=np.int64)] = np.arange(len(first.waves))
    wave_code = np.full(len(person), -1, dtype=np.int64)  # the unnamed units' waves
    offset = 0
    for p in parts:
        end = offset + p.n_units
        wave_code[end - len(p.unnamed_wave):end] = p.unnamed_wave
        offset = end
    order = _unit_order(role, person, rank_of[wave_code + 1])
    place = np.empty(len(order), dtype=np.intp)
    place[order] = np.arange(len(order))
    width = max(p.counts.shape[1] for p in parts)
    counts = np.zeros((len(order), width), dtype=count_type(int(unit_n.max(initial=0))))
    offset = 0
    for p in parts:
        counts[place[offset:offset + p.n_units], :p.counts.shape[1]] = p.counts
        offset += p.n_units
    unnamed_units = order[person[order] < 0]
    return SRMPart(
        role_ids=first.role_ids, waves=first.waves,
        rater_roles=np.unique(np.concatenate([p.rater_roles for p in parts])).astype(np.int64),
        tie_pairs=pairs[tie_order], tie_n=tie_n[tie_order], tie_sum=tie_sum[tie_order],
        tie_y=tie_y[tie_order], tie_y2=tie_y2[tie_order],
        unit_role=role[order].astype(code_type(k)),
        unit_person=person[order].astype(first.unit_person.dtype),
        unnamed_wave=wave_code[unnamed_units].astype(code_type(len(first.waves) + 1)),
        unit_n=unit_n[order], unit_y=unit_y[order], counts=counts, n=n, total=total,
        center=center, yy=yy, low=min(p.low for p in parts), high=max(p.high for p in parts),
        n_within_left_out=sum(p.n_within_left_out for p in parts),
        n_not_counted=sum(p.n_not_counted for p in parts),
        within=first.within, min_items=first.min_items,
    )


def srm_part_design(part: SRMPart) -> SRMDesign:
    """The design of a (combined) part: what
    [`srm_design`][relcoord.metrics.srm.design.srm_design] gives for the published rows of
    its rater roles, up to the rounding of the sums."""
    pairs = part.tie_pairs
    sources = np.unique(pairs[:, 0]).astype(np.int64)
    return SRMDesign(
        role_ids=part.role_ids, sources=sources,
        targets=np.unique(pairs[:, 1]).astype(np.int64), tie_pairs=pairs, tie_n=part.tie_n,
        tie_sum=part.tie_sum, tie_y=part.tie_y, tie_y2=part.tie_y2,
        unit_source=np.searchsorted(sources, part.unit_role).astype(np.int64),
        unit_n=part.unit_n, unit_y=part.unit_y, counts=part.counts, n=part.n,
        center=part.center, yy=part.yy, spread=part.high - part.low if part.n else 0.0,
        n_units=part.n_units, n_within_left_out=part.n_within_left_out,
        n_not_counted=part.n_not_counted, within=part.within, min_items=part.min_items,
    )


def social_relations_model_from_parts(study: Study, part: SRMPart,
                                      settings: AnalysisSettings | None = None
                                      ) -> SocialRelations:
    """The Social Relations Model of the published study whose rater roles' parts were
    combined into ``part``
    ([`combine_srm_parts`][relcoord.metrics.srm.parts.combine_srm_parts]): equal, up to the
    rounding of the design's sums, to
    ``social_relations_model(published, settings=settings)``, with the same fit.

    Args:
        study: the study's metadata (its ratings are not read; they may be empty).
        part: the combined part of every rater role of the published study.
        settings: the analysis settings the parts were computed with (default settings if
            ``None``).

    Raises:
        ValueError: the part is of another role vocabulary or another ``min_items``.
    """
    settings = settings or AnalysisSettings()
    min_items = settings.items_needed(study.instrument)
    if part.min_items != min_items:
        raise ValueError(f"the SRM part counts respondent-ties with {part.min_items} items, "
                         f"the settings with {min_items}")
    if part.role_ids != study.role_ids:
        raise ValueError("the SRM part is of another study's roles")
    return social_relations_of_design(srm_part_design(part))
