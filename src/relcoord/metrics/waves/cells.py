"""Figures of ties, roles and the network from the cells of many replicates at once.

A cell is one (rater role, target role) pair; its sum and count are the RC scores of the
respondent-ties in it.  From the cell sums and counts of ``B`` replicates (arrays ``(B,
k*k)``) :func:`figures_from_cells` gives every figure a wave comparison reports, level by
level, with the definitions of :mod:`relcoord.metrics.scores` (the same weighting, a role's
self-tie left out of its row and column), vectorised over the replicates.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["figures_from_cells"]

Floats = npt.NDArray[np.float64]
Mask = npt.NDArray[np.bool_]
Axis = tuple[int, ...] | int


def _mean_of_cells(cell: Floats, has: Mask, mask: Mask, axis: Axis) -> Floats:
    """Every rated cell in ``mask`` counts once (the ``"tie"`` weighting)."""
    ok = has & mask
    total = np.where(ok, cell, 0.0).sum(axis=axis)
    return np.asarray(total / ok.sum(axis=axis), dtype=np.float64)


def _pooled(sums: Floats, counts: Floats, mask: Mask, axis: Axis) -> Floats:
    """Every respondent-tie in ``mask`` counts once (the ``"respondent"`` weighting)."""
    return np.asarray(np.where(mask, sums, 0.0).sum(axis=axis)
                      / np.where(mask, counts, 0.0).sum(axis=axis), dtype=np.float64)


def _by_group(sums: Floats, counts: Floats, mask: Mask) -> Floats:
    """Every rater role with a rated cell in ``mask`` counts once (the ``"group"`` weighting)."""
    row_s = np.where(mask, sums, 0.0).sum(axis=2)
    row_c = np.where(mask, counts, 0.0).sum(axis=2)
    rated = row_c > 0
    return np.asarray(np.where(rated, row_s / row_c, 0.0).sum(axis=1) / rated.sum(axis=1),
                      dtype=np.float64)


def _role_figures(sums: Floats, counts: Floats, cell: Floats, weighting: str
                  ) -> dict[str, Floats]:
    """Each role's RC as rater (its row) and as target (its column), self-tie left out."""
    has = counts > 0
    off = ~np.eye(sums.shape[1], dtype=bool)
    if weighting == "respondent":
        return {"rater": _pooled(sums, counts, off, 2), "target": _pooled(sums, counts, off, 1)}
    if weighting == "tie":
        return {"rater": _mean_of_cells(cell, has, off, 2),
                "target": _mean_of_cells(cell, has, off, 1)}
    # group: a row is one rater role; a column's cells each come from one role
    return {"rater": _pooled(sums, counts, off, 2), "target": _mean_of_cells(cell, has, off, 1)}


def _network_figures(sums: Floats, counts: Floats, cell: Floats, weighting: str
                     ) -> dict[str, Floats]:
    """The network's RC over all ties, the ties within a role and the ties between roles."""
    k = sums.shape[1]
    has = counts > 0
    masks = (("network", np.ones((k, k), bool)), ("within", np.eye(k, dtype=bool)),
             ("between", ~np.eye(k, dtype=bool)))
    if weighting == "respondent":
        return {name: _pooled(sums, counts, mask, (1, 2)) for name, mask in masks}
    if weighting == "tie":
        return {name: _mean_of_cells(cell, has, mask, (1, 2)) for name, mask in masks}
    return {name: _by_group(sums, counts, mask) for name, mask in masks}


def figures_from_cells(sums: Floats, counts: Floats, k: int, weighting: str
                       ) -> dict[str, Floats]:
    """Each figure of ``B`` replicates from their cell sums and counts (``(B, k*k)``).

    ``"ties"`` holds ``(B, k*k)`` tie means (NaN where a cell has no respondent-tie),
    ``"rater"`` and ``"target"`` ``(B, k)`` role figures, ``"network"``, ``"within"`` and
    ``"between"`` one value per replicate; a figure without ratings is NaN.
    """
    b = sums.shape[0]
    s = sums.reshape(b, k, k)
    c = counts.reshape(b, k, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        cell = s / c
        return {"ties": cell.reshape(b, k * k), **_role_figures(s, c, cell, weighting),
                **_network_figures(s, c, cell, weighting)}
