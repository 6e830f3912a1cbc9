"""The bootstrap of a wave comparison: resampling units, their strata, and blocks of replicates.

Respondents are resampled with replacement *within their rater role*, and within the role
separately among those who answered in both waves (kept as pairs), only in wave A, or only
in wave B, so that every replicate has the design of the data (Efron & Tibshirani 1993,
ch. 13); a rating without a respondent (a workshop group) is its own unit.  A replicate is a
vector of draw counts per unit.  Replicates are handled in blocks: a wave's cell sums for a
whole block are one product per rater role
([`WaveCells`][relcoord.metrics.waves.replicates.WaveCells]), never a pass over the ratings per
replicate, and [`figures_from_cells`][relcoord.metrics.waves.cells.figures_from_cells] turns them
into figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.metrics.waves.cells import figures_from_cells
from relcoord.model import Study

__all__ = ["BLOCK", "ResamplingUnits", "WaveCells", "draw_weights", "replicate_changes"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]
Bools = npt.NDArray[np.bool_]

#: Units (or cells) times replicates handled in one vectorised block (bounds the memory).
BLOCK: Final = 4_000_000

# The classes below hold numpy arrays, whose ``==`` is elementwise: attrs' generated
# ``__eq__`` and ``__hash__`` cannot compare them, so they compare by identity (eq=False).


@attrs.frozen(eq=False)
class ResamplingUnits:
    """The units a replicate draws: respondents, and each anonymous rating on its own.

    Units are numbered so that each rater role's units are contiguous: ``by_role`` holds
    each rater role's code and the slice of its units.  ``of_rating`` is the unit of each
    rating, ``role`` the rater role of each unit (-1 for a respondent who rated nothing).
    """

    of_rating: Ints
    role: Ints
    by_role: tuple[tuple[int, slice], ...]

    @classmethod
    def of(cls, study: Study) -> ResamplingUnits:
        """The units of ``study``'s ratings."""
        ratings = study.ratings
        k = len(study.roles)
        n_people = len(study.respondents)
        anon = ratings.respondent < 0
        unit = np.where(anon, n_people + np.cumsum(anon) - 1, ratings.respondent).astype(np.intp)
        n_units = n_people + int(anon.sum())
        unit_role = np.full(n_units, -1, dtype=np.intp)
        unit_role[unit] = ratings.source
        # renumber units so that each rater role's units are contiguous
        order = np.argsort(unit_role, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(n_units)
        unit, unit_role = rank[unit], unit_role[order]
        bounds = np.searchsorted(unit_role, np.arange(k + 1))
        by_role = tuple((r, slice(int(bounds[r]), int(bounds[r + 1])))
                        for r in range(k) if bounds[r + 1] > bounds[r])
        return cls(of_rating=unit, role=unit_role, by_role=by_role)

    @property
    def count(self) -> int:
        """The number of units."""
        return len(self.role)

    def strata(self, in_wave: tuple[Bools, Bools]) -> list[Ints]:
        """The units of each rater role x (answered in wave A only, in B only, in both).

        ``in_wave`` holds the ratings counted in each wave; a unit in neither is left out.
        """
        pattern = np.zeros(self.count, dtype=np.intp)
        for bit, rows in enumerate(in_wave):
            seen = np.zeros(self.count, dtype=bool)
            seen[self.of_rating[rows]] = True
            pattern |= seen.astype(np.intp) << bit
        keyed = self.role * 4 + pattern
        active = pattern > 0
        return [np.flatnonzero(active & (keyed == key)) for key in np.unique(keyed[active])]


@attrs.frozen(eq=False)
class WaveCells:
    """One wave's counted respondent-ties, summed per unit and target role.

    A unit rates only from its own role, so row ``r`` of the cell sums of a block of
    replicates is ``weights[:, units of r] @ unit_values[units of r]``: one product per
    rater role for the whole block, instead of a pass over the ratings per replicate.
    """

    unit_values: Floats  # (units, 2k): RC sums per target, then rating counts per target
    by_role: tuple[tuple[int, slice], ...]  # (role code, its units)

    @classmethod
    def build(cls, units: ResamplingUnits, target: Ints, rc: Floats, rows: Bools, k: int
              ) -> WaveCells:
        """The cells of the ``rows`` (the wave's counted ratings) with RC scores ``rc``."""
        n_units = units.count
        flat = units.of_rating[rows] * k + target[rows]
        sums = np.bincount(flat, weights=rc[rows], minlength=n_units * k).reshape(n_units, k)
        counts = np.bincount(flat, minlength=n_units * k).reshape(n_units, k)
        values = np.hstack([sums, counts]).astype(np.float64)
        return cls(unit_values=values, by_role=units.by_role)

    @property
    def k(self) -> int:
        """The number of roles."""
        return int(self.unit_values.shape[1]) // 2

    def sums(self, weights: Floats | None) -> tuple[Floats, Floats]:
        """Cell sums/counts ``(B, k*k)``, once (``weights`` None) or per replicate."""
        k = self.k
        b = 1 if weights is None else weights.shape[0]
        out = np.zeros((b, k, 2 * k))
        for role, members in self.by_role:  # a loop over roles, not over ratings
            if weights is None:
                out[0, role] = self.unit_values[members].sum(axis=0)
            else:
                # einsum: small products are faster here than a BLAS call per role
                out[:, role] = np.einsum("bu,uv->bv", weights[:, members],
                                         self.unit_values[members])
        return out[:, :, :k].reshape(b, k * k), out[:, :, k:].reshape(b, k * k)


def draw_weights(rng: np.random.Generator, strata: Sequence[Ints], n_units: int, n: int
                 ) -> Floats:
    """``(n, n_units)`` draw counts: each stratum resampled with replacement to its size."""
    weights = np.zeros((n, n_units))
    for members in strata:
        size = len(members)
        weights[:, members] = rng.multinomial(size, np.full(size, 1.0 / size), size=n)
    return weights


def replicate_changes(waves: tuple[WaveCells, WaveCells], strata: Sequence[Ints],
                      weighting: str, n_boot: int, seed: int) -> dict[str, Floats]:
    """The change ``b - a`` of every figure in ``n_boot`` replicates, by figure name.

    Each value is ``(n_boot, F)``: one row per replicate, one column per figure of that
    name (``F`` is 1 for the network figures).  Replicates come from
    ``numpy.random.default_rng(seed)`` in blocks of at most
    [`BLOCK`][relcoord.metrics.waves.replicates.BLOCK] units (or cells) times replicates; the same
    ``n_boot`` and ``seed`` give the same replicates.  Empty without replicates.
    """
    n_units, k = waves[0].unit_values.shape[0], waves[0].k
    rng = np.random.default_rng(seed)
    block = max(1, BLOCK // max(n_units, k * k, 1))
    parts: dict[str, list[Floats]] = {}
    done = 0
    while done < n_boot:
        n = min(block, n_boot - done)
        weights = draw_weights(rng, strata, n_units, n)
        a, b = (figures_from_cells(*w.sums(weights), k, weighting) for w in waves)
        for name in a:
            parts.setdefault(name, []).append(b[name] - a[name])
        done += n
    return {name: np.concatenate([p if p.ndim == 2 else p[:, None] for p in blocks])
            for name, blocks in parts.items()}
