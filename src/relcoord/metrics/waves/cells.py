"""Figures of ties, roles and the network from the cells of many replicates at once.

A cell is one (rater role, target role) pair; its sum and count are the RC scores of the
respondent-ties in it.  From the cell sums and counts of ``B`` replicates (arrays ``(B,
k*k)``) [`figures_from_cells`][relcoord.metrics.waves.cells.figures_from_cells] gives every figure a
wave comparison reports, level by level, with the definitions of
[`relcoord.metrics.scores`][relcoord.metrics.scores] (the same weighting, a role's self-tie left out
of its row and column), vectorised over the replicates.

Every such figure is a weighted mean ``sum_i w_i x_i`` of respondent-tie scores ``x_i``
with weights summing to 1: ``w_i = 1/N`` under the ``respondent`` weighting,
``1/(T n_t)`` under ``tie`` (``T`` ties, ``n_t`` scores in the score's tie) and
``1/(G n_g)`` under ``group`` (``G`` rater roles, ``n_g`` scores of the score's role).
[`squared_weights`][relcoord.metrics.waves.cells.squared_weights] gives ``sum_i w_i^2`` of each
figure from the cell counts alone: ``1/N``, ``sum_t (1/n_t) / T^2`` and ``sum_g (1/n_g) / G^2``.
With independent measurement errors of variance SEM^2 the error of the figure has variance
SEM^2 sum_i w_i^2, and ``1 / sum_i w_i^2`` is Kish's (1965) effective number of scores.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["figures_from_cells", "squared_weights"]

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


def _inverse_count(counts: Floats, mask: Mask, axis: Axis) -> Floats:
    """``1 / sum of counts`` over the cells in ``mask``: every score weighs ``1/N``."""
    return np.asarray(1.0 / np.where(mask, counts, 0.0).sum(axis=axis), dtype=np.float64)


def _cells_once(counts: Floats, mask: Mask, axis: Axis) -> Floats:
    """``sum_t (1/n_t) / T^2`` over the rated cells in ``mask``: every tie weighs ``1/T``."""
    ok = (counts > 0) & mask
    inverse = np.where(ok, 1.0 / np.where(ok, counts, 1.0), 0.0).sum(axis=axis)
    return np.asarray(inverse / ok.sum(axis=axis) ** 2, dtype=np.float64)


def _groups_once(counts: Floats, mask: Mask) -> Floats:
    """``sum_g (1/n_g) / G^2`` over the rater roles with scores in ``mask``."""
    rows = np.where(mask, counts, 0.0).sum(axis=2)
    rated = rows > 0
    inverse = np.where(rated, 1.0 / np.where(rated, rows, 1.0), 0.0).sum(axis=1)
    return np.asarray(inverse / rated.sum(axis=1) ** 2, dtype=np.float64)


def squared_weights(counts: Floats, k: int, weighting: str) -> dict[str, Floats]:
    """``sum_i w_i^2`` of every figure of
    [`figures_from_cells`][relcoord.metrics.waves.cells.figures_from_cells], from the cell counts
    ``(B, k*k)`` (see the module docstring); NaN where a figure has no score.

    The keys and shapes are those of
    [`figures_from_cells`][relcoord.metrics.waves.cells.figures_from_cells]: ``"ties"`` ``(B,
    k*k)``, ``"rater"`` and ``"target"`` ``(B, k)``, ``"network"``, ``"within"`` and ``"between"``
    ``(B,)``.
    """
    b = counts.shape[0]
    c = counts.reshape(b, k, k)
    off = ~np.eye(k, dtype=bool)
    masks = (("network", np.ones((k, k), bool)), ("within", np.eye(k, dtype=bool)),
             ("between", off))
    with np.errstate(invalid="ignore", divide="ignore"):
        out = {"ties": np.asarray(1.0 / counts, dtype=np.float64)}
        if weighting == "respondent":
            out |= {"rater": _inverse_count(c, off, 2), "target": _inverse_count(c, off, 1)}
            out |= {name: _inverse_count(c, mask, (1, 2)) for name, mask in masks}
        elif weighting == "tie":
            out |= {"rater": _cells_once(c, off, 2), "target": _cells_once(c, off, 1)}
            out |= {name: _cells_once(c, mask, (1, 2)) for name, mask in masks}
        else:  # group: a row is one rater role; a column's cells each come from one role
            out |= {"rater": _inverse_count(c, off, 2), "target": _cells_once(c, off, 1)}
            out |= {name: _groups_once(c, mask) for name, mask in masks}
    return {name: np.where(np.isfinite(v), v, np.nan) for name, v in out.items()}
