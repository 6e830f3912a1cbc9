"""The system of the role effects: what the REML criterion factors once every rater role's
respondents and ties are eliminated.

After [`Criterion`][relcoord.metrics.srm.criterion.Criterion] eliminates, rater role by
rater role, the respondents and ties, Henderson's mixed-model equations are left with the
rater effects ``a``, the target effects ``b`` and ``mu``: a symmetric positive definite
system ``S``.  Each rater role ``i`` adds to it one dense block over its own rater effect
``a[i]``, the target effects of the roles it rates (``J_i``) and ``mu``.  The criterion needs
``log det S``, the solution of ``S x = h`` and, for its gradient, the diagonal of ``S^-1``
and ``S^-1`` on every block.

[`BandedRoleSystem`][relcoord.metrics.srm.role_system.BandedRoleSystem] does this in time
linear in the roles when the ratings are local (each role rates a bounded set of roles that
mostly rate each other), never cubic in the roles unless every role is within a few steps
of every other:

1. **rater effects**: ``a[i]`` occurs in block ``i`` alone, so ``S_aa`` is diagonal; each is
   eliminated inside its block (a Schur complement of one unknown), leaving the system ``R``
   of the target effects and ``mu``, whose pattern is the union of the cliques ``J_i``.
2. **ordering**: the targets are ordered by breadth-first levels of the graph in which two
   targets are adjacent when one rater role rates both (from a pseudo-peripheral start,
   component by component: the level structure behind Cuthill & McKee's 1969 ordering).
   Two targets of one clique are adjacent, so they lie in the same or in neighbouring
   levels: ordered by level, ``R`` restricted to the targets is **block tridiagonal**.
   Levels are merged into panels of at least
   [`_MIN_PANEL`][relcoord.metrics.srm.role_system._MIN_PANEL] targets (neighbouring panels of a
   block tridiagonal matrix keep it block tridiagonal); ``mu``, coupled to everything, is
   the last unknown, a dense border.
3. **factor and solve**: the block Cholesky factor of that bordered block tridiagonal
   matrix, one dense Cholesky per panel (Golub & Van Loan 2013, section 4.5); the
   solution by block forward and back substitution.
4. **selected inverse**: ``S^-1`` on the pattern of the factor, by the Takahashi recurrence
   ``Z = L^-T L^-1`` worked backwards from the last block, ``Z_jj = (L_jj^-T - sum_l Z_jl
   L_lj) L_jj^-1`` over the blocks ``l`` below ``j`` (Takahashi, Fagan & Chin 1973;
   Erisman & Tinney 1975); each clique ``J_i x J_i`` lies in it.  ``S^-1`` on a rater
   effect follows from the Schur complement of step 1: ``S^-1[a_i, J] = -s_i' R^-1[J_i, J]
   / d_i`` and ``S^-1[a_i, a_i] = 1 / d_i + s_i' R^-1[J_i, J_i] s_i / d_i^2``, with ``d_i``
   and ``s_i`` the rater effect's diagonal entry and column in its block.

One evaluation costs ``sum over panels of (panel size)^3`` plus a scatter and a gather of
the blocks, against ``(rater roles + target roles)^3`` for
[`DenseRoleSystem`][relcoord.metrics.srm.role_system.DenseRoleSystem], the reference it is
tested against (to 1e-10): the whole system, dense, with one Cholesky factor and its
inverse.

Sources:
    Cuthill, E. & McKee, J. (1969). Reducing the bandwidth of sparse symmetric matrices.
    *Proceedings of the 24th ACM National Conference*, 157-172.
    Erisman, A.M. & Tinney, W.F. (1975). On computing certain elements of the inverse of a
    sparse matrix. *Communications of the ACM* 18(3), 177-179.
    Golub, G.H. & Van Loan, C.F. (2013). *Matrix Computations* (4th ed.). Johns Hopkins.
    Takahashi, K., Fagan, J. & Chin, M.-S. (1973). Formation of a sparse bus impedance
    matrix and its application to short circuit study. *8th PICA Conference Proceedings*.
"""

from __future__ import annotations

from typing import Final, Protocol

import attrs
import numpy as np
import numpy.typing as npt
import scipy.linalg
import scipy.sparse
import scipy.sparse.csgraph

__all__ = ["BandedRoleSystem", "BlockInverse", "DenseRoleSystem", "RoleSystem", "RoleSystemFactor",
           "extend"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

#: Levels are merged into panels of at least this many targets: fewer, larger dense
#: factorisations (a panel this small costs little more than the Python call around it).
_MIN_PANEL: Final = 48


@attrs.frozen(eq=False)
class BlockInverse:
    """``S^-1`` on every block's coordinates, in the order the blocks were given (0 on
    padding), kept in parts: ``kept`` over the block's target slots and ``mu`` (``(B,
    T+1, T+1)``), ``rater`` between its rater effect and those (``(B, T+1)``) and
    ``rater_rater`` on the rater effect (``(B,)``)."""

    kept: Floats
    rater: Floats
    rater_rater: Floats

    def full(self, rows: Ints | None = None) -> Floats:
        """``(B, T+2, T+2)`` over the block coordinates (``T`` target slots, the rater
        effect, ``mu``), of the blocks ``rows`` (default: all)."""
        kept = self.kept if rows is None else self.kept[rows]
        rater = self.rater if rows is None else self.rater[rows]
        rater_rater = self.rater_rater if rows is None else self.rater_rater[rows]
        w = kept.shape[1] - 1
        out = np.empty((len(kept), w + 2, w + 2))
        out[:, :w, :w] = kept[:, :w, :w]
        out[:, :w, w + 1] = kept[:, :w, w]
        out[:, w + 1, :w] = kept[:, w, :w]
        out[:, w + 1, w + 1] = kept[:, w, w]
        out[:, w, :w] = out[:, :w, w] = rater[:, :w]
        out[:, w, w + 1] = out[:, w + 1, w] = rater[:, w]
        out[:, w, w] = rater_rater
        return out


@attrs.frozen(eq=False)
class RoleSystemFactor:
    """The factored system at one ``theta``.

    ``logdet`` is ``log det S``, ``q`` is ``h' S^-1 h``; ``solution`` is ``S^-1 h`` over
    (rater effects, target effects, ``mu``).  With the inverse asked for,
    ``block_inverse`` holds ``S^-1`` on every block's coordinates
    ([`BlockInverse`][relcoord.metrics.srm.role_system.BlockInverse]), and
    ``trace_rater`` / ``trace_target`` the sums of the diagonal of ``S^-1`` over the rater
    and the target effects.
    """

    logdet: float
    q: float
    solution: Floats
    block_inverse: BlockInverse | None
    trace_rater: float
    trace_target: float


class RoleSystem(Protocol):
    """Factors the system of the role effects of one design at any ``theta``."""

    def factor(self, blocks: Floats, rhs: Floats, *, inverse: bool) -> RoleSystemFactor:
        """Assemble, factor and solve the system.

        Args:
            blocks: ``(B, T+2, T+2)``, block ``i``'s contribution over its coordinates
                (``T`` target slots, its rater effect, ``mu``), without the identity of
                the effects; padding is 0.
            rhs: ``(B, T+2)``, the right-hand side on the same coordinates.
            inverse: also compute ``S^-1`` on the blocks and the traces.
        """
        ...

    def factor_base(self, base: Floats, sums: Floats, t_a: float, t_b: float, *,
                    inverse: bool, overwrite: bool = False) -> RoleSystemFactor:
        """[`factor`][relcoord.metrics.srm.role_system.RoleSystem.factor] of the blocks
        given on their base coordinates (see
        [`extend`][relcoord.metrics.srm.role_system.extend]); ``overwrite`` allows
        ``base`` to be changed."""
        ...


def extend(base: Floats, sums: Floats, t_a: float, t_b: float) -> tuple[Floats, Floats]:
    """A block's contribution on its extended coordinates from its base coordinates.

    ``base`` is ``(B, T+1, T+1)`` (``T`` target slots and one column of ones), ``sums``
    ``(B, T+1)``; the rater effect and ``mu`` both have the column of ones, scaled by
    ``t_a`` and 1, the target effects by ``t_b``.
    """
    width = base.shape[1] - 1
    pick = np.append(np.arange(width + 1), width)
    coef = np.append(np.full(width, t_b), [t_a, 1.0])
    blocks = base[:, pick[:, None], pick[None, :]]  # one gather, scaled in place
    blocks *= np.outer(coef, coef)
    return blocks, sums[:, pick] * coef


def _sums(codes: npt.NDArray[np.intp], weights: Floats, size: int) -> Floats:
    return np.asarray(np.bincount(codes, weights=weights, minlength=size), dtype=np.float64)


class DenseRoleSystem:
    """The reference: the whole system assembled dense and factored by one Cholesky.

    ``scatter`` is ``(B, T+2)``: each block coordinate's unknown among ``n_sources +
    n_targets + 1`` (rater effects, target effects, ``mu``), padding ``n_sources +
    n_targets + 1`` (a trash slot).
    """

    def __init__(self, scatter: Ints, n_sources: int, n_targets: int) -> None:
        self.scatter = scatter
        self.size = n_sources + n_targets + 1
        self.n_sources, self.n_targets = n_sources, n_targets
        self.flat = scatter[:, :, None] * (self.size + 1) + scatter[:, None, :]

    def factor_base(self, base: Floats, sums: Floats, t_a: float, t_b: float, *,
                    inverse: bool, overwrite: bool = False) -> RoleSystemFactor:
        """See
        [`RoleSystem.factor_base`][relcoord.metrics.srm.role_system.RoleSystem.factor_base]."""
        blocks, rhs = extend(base, sums, t_a, t_b)
        return self.factor(blocks, rhs, inverse=inverse)

    def factor(self, blocks: Floats, rhs: Floats, *, inverse: bool) -> RoleSystemFactor:
        """See [`RoleSystem.factor`][relcoord.metrics.srm.role_system.RoleSystem.factor]."""
        size = self.size
        glob = _sums(self.flat.ravel(), blocks.ravel(), (size + 1) * (size + 1))
        glob = glob.reshape(size + 1, size + 1)[:-1, :-1]
        right = _sums(self.scatter.ravel(), rhs.ravel(), size + 1)[:-1]
        effects = self.n_sources + self.n_targets
        glob[np.arange(effects), np.arange(effects)] += 1.0
        lower = np.asarray(np.linalg.cholesky(glob), dtype=np.float64)
        logdet = 2.0 * float(np.log(np.diagonal(lower)).sum())
        z = np.linalg.solve(lower, right)
        solution = np.asarray(np.linalg.solve(lower.T, z), dtype=np.float64)
        block_inverse = None
        trace_rater = trace_target = 0.0
        if inverse:
            lower_inverse = np.linalg.solve(lower, np.eye(size))
            s_inverse = lower_inverse.T @ lower_inverse
            diagonal = np.diagonal(s_inverse)
            s = self.n_sources
            trace_rater = float(diagonal[:s].sum())
            trace_target = float(diagonal[s:effects].sum())
            padded = np.zeros((size + 1, size + 1))
            padded[:-1, :-1] = s_inverse
            w = self.scatter.shape[1] - 2
            kept = self.scatter[:, np.append(np.arange(w), w + 1)]  # target slots, mu
            rater = self.scatter[:, w]
            block_inverse = BlockInverse(kept=padded[kept[:, :, None], kept[:, None, :]],
                                         rater=padded[rater[:, None], kept],
                                         rater_rater=padded[rater, rater])
        return RoleSystemFactor(logdet=logdet, q=float(z @ z), solution=solution,
                                block_inverse=block_inverse, trace_rater=trace_rater,
                                trace_target=trace_target)


def _subtract_outer(out: Floats, left: Floats, right: Floats) -> None:
    """``out[b] -= outer(left[b], right[b])`` for every block, in chunks of blocks (no
    temporary of the size of ``out``)."""
    step = 256
    for lo in range(0, len(out), step):
        out[lo:lo + step] -= left[lo:lo + step, :, None] * right[lo:lo + step, None, :]


def _levels(adjacency: scipy.sparse.csr_array) -> tuple[Ints, Ints]:
    """The targets in breadth-first level order, component by component, each from a
    pseudo-peripheral start (the last node reached from the component's first node), and
    each one's level (numbered on across the components)."""
    n = adjacency.shape[0]
    n_components, component = scipy.sparse.csgraph.connected_components(adjacency,
                                                                        directed=False)
    first = np.full(n_components, n, dtype=np.int64)
    np.minimum.at(first, component, np.arange(n))
    order: list[Ints] = []
    level_of: list[Ints] = []
    offset = 0
    for start in first.tolist():
        reached, _ = scipy.sparse.csgraph.breadth_first_order(adjacency, start,
                                                              directed=False)
        peripheral = int(reached[-1])
        nodes, parents = scipy.sparse.csgraph.breadth_first_order(adjacency, peripheral,
                                                                  directed=False)
        depth = np.zeros(n, dtype=np.int64)
        for node in nodes[1:].tolist():  # parents come first in breadth-first order
            depth[node] = depth[parents[node]] + 1
        order.append(nodes.astype(np.int64))
        level_of.append(depth[nodes] + offset)
        offset += int(depth[nodes].max()) + 1
    return np.concatenate(order), np.concatenate(level_of)


class BandedRoleSystem:
    """The system ordered into a bordered block tridiagonal matrix (see the module
    docstring); the symbolic work (ordering, panels, where every block entry goes) is done
    here, once per design.

    ``scatter`` is as for [`DenseRoleSystem`][relcoord.metrics.srm.role_system.DenseRoleSystem];
    in every block, coordinates ``0..T-1`` are target slots, ``T`` the rater effect and
    ``T+1`` ``mu``.
    """

    def __init__(self, scatter: Ints, n_sources: int, n_targets: int) -> None:
        n_blocks, width2 = scatter.shape
        width = width2 - 2
        self.n_sources, self.n_targets = n_sources, n_targets
        self.width = width
        t = n_targets
        slot_target = scatter[:, :width] - n_sources  # target of each slot; padding: > t
        real = (slot_target >= 0) & (slot_target < t)
        blocks_of, _ = np.nonzero(real)
        incidence = scipy.sparse.csr_array(
            (np.ones(len(blocks_of)), (blocks_of, slot_target[real])), shape=(n_blocks, t))
        adjacency = scipy.sparse.csr_array(incidence.T @ incidence)
        order, level = _levels(adjacency)
        # panels: consecutive levels merged until at least _MIN_PANEL targets
        counts = np.bincount(level)
        starts = [0]
        filled = 0
        for size in counts.tolist():
            if filled >= _MIN_PANEL:
                starts.append(starts[-1] + filled)
                filled = 0
            filled += size
        bounds = np.array([*starts, t] if t else [0], dtype=np.int64)
        self.bounds = bounds
        n_panels = len(bounds) - 1
        sizes = np.diff(bounds)
        position = np.empty(t, dtype=np.int64)
        position[order] = np.arange(t)
        self.position = position  # target code -> position in the panel order
        panel_of = np.searchsorted(bounds, np.arange(t), side="right") - 1
        local_of = np.arange(t) - bounds[panel_of]
        # storage: diagonal panels, sub-diagonal panels (k+1, k), border (t), mu, 0-slot
        diag_offset = np.concatenate([[0], np.cumsum(sizes * sizes)])
        sub_sizes = sizes[1:] * sizes[:-1]
        sub_offset = diag_offset[-1] + np.concatenate([[0], np.cumsum(sub_sizes)])
        border = int(sub_offset[-1])
        self.diag_offset, self.sub_offset, self.border = diag_offset, sub_offset, border
        self.mu = border + t
        self.zero = self.mu + 1
        self.storage = self.zero + 1
        # every block coordinate except the rater effect, as (panel, local) or mu
        keep = np.append(np.arange(width), width + 1)
        coordinate = np.full((n_blocks, width + 1), -1, dtype=np.int64)  # -1: padding
        coordinate[:, :width] = np.where(real, position[np.clip(slot_target, 0, t - 1)]
                                         if t else 0, -1)
        coordinate[:, width] = t  # mu
        self.keep = keep
        self.rhs_index = np.where(coordinate < 0, t + 1, coordinate).astype(np.intp)
        self.assemble, self.gather = self._indices(coordinate, panel_of, local_of)
        self.diagonal = (diag_offset[panel_of] + local_of * (sizes[panel_of] + 1)).astype(
            np.intp)
        self.n_panels = n_panels
        self.sizes = sizes

    def _indices(self, coordinate: Ints, panel_at: Ints, local_at: Ints
                 ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """Where each entry ``(i, j)`` of every block goes in the storage (the lower
        triangle of the panel structure; the upper copy of an entry between two panels, the
        copy of ``mu``'s row and padding go to the 0-slot) and where its value in ``S^-1``
        is read from (both orientations).

        ``coordinate`` is ``(B, T+1)``: each target slot's position in the panel order (-1:
        padding), then ``mu`` (``n_targets``).  Worked out a few hundred blocks at a time,
        so that the temporaries stay in cache."""
        n_blocks, w1 = coordinate.shape
        write = np.empty((n_blocks, w1, w1), dtype=np.intp)
        read = np.empty_like(write)
        step = 256
        for lo in range(0, n_blocks, step):
            write[lo:lo + step], read[lo:lo + step] = self._indices_of(
                coordinate[lo:lo + step], panel_at, local_at)
        return write, read

    def _indices_of(self, coordinate: Ints, panel_at: Ints, local_at: Ints
                    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
        """[`_indices`][relcoord.metrics.srm.role_system.BandedRoleSystem._indices] of some
        blocks."""
        t = self.n_targets
        w = coordinate.shape[1] - 1
        slots = coordinate[:, :w]
        pad = slots < 0
        at = np.where(pad, 0, slots) if t else np.zeros_like(slots)
        panel = panel_at[at] if t else at
        local = local_at[at] if t else at
        size = np.diff(self.bounds)[panel] if t else at
        diag = self.diag_offset[panel]
        sub = self.sub_offset[np.minimum(panel, len(self.sub_offset) - 1)]
        row_panel, col_panel = panel[:, :, None], panel[:, None, :]
        step = row_panel - col_panel
        real = ~(pad[:, :, None] | pad[:, None, :])
        if np.any(np.abs(step[real]) > 1):  # breadth-first levels rule it out
            raise RuntimeError("the role system's panels are not block tridiagonal")
        # entry (r, c) with panel(r) >= panel(c): the diagonal panel or the one below
        lower_index = (np.where(step == 0, diag[:, :, None], sub[:, None, :])
                       + local[:, :, None] * size[:, None, :] + local[:, None, :])
        lower = step >= 0
        read = np.empty((len(coordinate), w + 1, w + 1), dtype=np.intp)
        write = np.empty_like(read)
        read[:, :w, :w] = np.where(lower, lower_index, lower_index.transpose(0, 2, 1))
        write[:, :w, :w] = np.where(lower, lower_index, self.zero)
        border = np.where(pad, self.zero, self.border + at)
        read[:, :w, w] = read[:, w, :w] = border
        write[:, :w, w] = border
        write[:, w, :w] = self.zero
        read[:, w, w] = write[:, w, w] = self.mu
        read[:, :w, :w][~real] = self.zero
        write[:, :w, :w][~real] = self.zero
        return write, read

    def factor(self, blocks: Floats, rhs: Floats, *, inverse: bool) -> RoleSystemFactor:
        """See [`RoleSystem.factor`][relcoord.metrics.srm.role_system.RoleSystem.factor]."""
        w = self.width
        keep = self.keep
        # 1. rater effects, one per block: a Schur complement of one unknown
        d = blocks[:, w, w] + 1.0
        column = blocks[:, keep, w]
        reduced = blocks[:, keep][:, :, keep]
        _subtract_outer(reduced, column, column / d[:, None])
        rhs_a = rhs[:, w]
        rhs_r = rhs[:, keep] - column * (rhs_a / d)[:, None]
        return self._factor(d, column, reduced, rhs_a, rhs_r, inverse=inverse)

    def factor_base(self, base: Floats, sums: Floats, t_a: float, t_b: float, *,
                    inverse: bool, overwrite: bool = False) -> RoleSystemFactor:
        """See [`RoleSystem.factor_base`][relcoord.metrics.srm.role_system.RoleSystem.factor_base]:
        the same as ``factor(*extend(...))`` without the extended copies (the coordinates
        that step 1 keeps, the target slots and ``mu``, are the base coordinates).  Every
        entry of a block's Schur complement on them is its base entry times ``t_b^2``
        (two targets), ``t_b`` (a target and ``mu``) or 1 (``mu``), so the complement is
        taken and assembled on the base scale and the assembled system scaled once;
        ``overwrite`` lets ``base`` hold the complement (no copy)."""
        w = self.width
        coef = np.append(np.full(w, t_b), 1.0)
        d = t_a * t_a * base[:, w, w] + 1.0
        base_column = base[:, :, w].copy()
        column = t_a * base_column * coef
        reduced = base if overwrite else base.copy()
        _subtract_outer(reduced, base_column, base_column * (t_a * t_a / d)[:, None])
        rhs_a = t_a * sums[:, w]
        rhs_r = sums * coef - column * (rhs_a / d)[:, None]
        return self._factor(d, column, reduced, rhs_a, rhs_r, inverse=inverse, t_b=t_b)

    def _factor(self, d: Floats, column: Floats, reduced: Floats, rhs_a: Floats,
                rhs_r: Floats, *, inverse: bool, t_b: float | None = None
                ) -> RoleSystemFactor:
        """Steps 2 to 4 once the rater effects are eliminated (step 1): ``d`` their
        diagonal, ``column`` their column over the kept coordinates, ``reduced`` the
        blocks' Schur complements (on the base scale when ``t_b`` is given, see
        [`factor_base`][relcoord.metrics.srm.role_system.BandedRoleSystem.factor_base]),
        ``rhs_a`` and ``rhs_r`` the right-hand side."""
        logdet = float(np.log(d).sum())
        q = float((rhs_a * rhs_a / d).sum())
        # 2. assemble the target system in panel order
        store = _sums(self.assemble.ravel(), reduced.ravel(), self.storage)
        if t_b is not None:  # targets x targets, targets x mu; mu x mu as it is
            store[:self.border] *= t_b * t_b
            store[self.border:self.mu] *= t_b
        store[self.diagonal] += 1.0
        store[self.zero] = 0.0
        t = self.n_targets
        right = _sums(self.rhs_index.ravel(), rhs_r.ravel(), t + 2)
        r_targets, r_mu = right[:t], float(right[t])
        # 3. block Cholesky of the bordered block tridiagonal matrix
        diag_l: list[Floats] = []
        sub_l: list[Floats] = []  # L[k+1, k]
        border_l: list[Floats] = []  # L[mu, k]
        z: list[Floats] = []
        bounds = self.bounds
        c = store[self.border:self.border + t]
        sigma = float(store[self.mu])
        for k in range(self.n_panels):
            n_k = int(self.sizes[k])
            a_kk = store[self.diag_offset[k]:self.diag_offset[k + 1]].reshape(n_k, n_k)
            c_k = c[bounds[k]:bounds[k + 1]].copy()
            r_k = r_targets[bounds[k]:bounds[k + 1]].copy()
            if k:
                previous = sub_l[k - 1]
                a_kk = a_kk - previous @ previous.T
                c_k -= previous @ border_l[k - 1]
                r_k -= previous @ z[k - 1]
            l_kk = scipy.linalg.cholesky(a_kk, lower=True, check_finite=False)
            diag_l.append(l_kk)
            logdet += 2.0 * float(np.log(np.diagonal(l_kk)).sum())
            border_k = scipy.linalg.solve_triangular(l_kk, c_k, lower=True,
                                                     check_finite=False)
            border_l.append(border_k)
            sigma -= float(border_k @ border_k)
            z_k = scipy.linalg.solve_triangular(l_kk, r_k, lower=True, check_finite=False)
            z.append(z_k)
            q += float(z_k @ z_k)
            r_mu -= float(border_k @ z_k)
            if k + 1 < self.n_panels:
                n_next = int(self.sizes[k + 1])
                e_k = store[self.sub_offset[k]:self.sub_offset[k + 1]].reshape(n_next, n_k)
                # L[k+1, k] = E_k L_kk^-T
                sub_l.append(scipy.linalg.solve_triangular(
                    l_kk, e_k.T, lower=True, check_finite=False).T)
        l_mu = float(np.sqrt(sigma))
        logdet += float(np.log(sigma))
        z_mu = r_mu / l_mu
        q += z_mu * z_mu
        # back substitution
        x_mu = z_mu / l_mu
        x: list[Floats] = [np.zeros(0)] * self.n_panels
        for k in range(self.n_panels - 1, -1, -1):
            v = z[k] - border_l[k] * x_mu
            if k + 1 < self.n_panels:
                v = v - sub_l[k].T @ x[k + 1]
            x[k] = scipy.linalg.solve_triangular(diag_l[k], v, lower=True, trans="T",
                                                 check_finite=False)
        x_targets = np.concatenate(x) if x else np.zeros(0)
        # rater effects from their elimination: a_i = (rhs_a - s_i' x_J) / d_i
        x_block = np.concatenate([x_targets, [x_mu, 0.0]])[self.rhs_index]
        x_a = (rhs_a - np.einsum("bj,bj->b", column, x_block)) / d
        solution = np.concatenate([x_a, x_targets[self.position], [x_mu]])
        if not inverse:
            return RoleSystemFactor(logdet=logdet, q=q, solution=solution,
                                    block_inverse=None, trace_rater=0.0, trace_target=0.0)
        # 4. the selected inverse (Takahashi), backwards
        inv = np.zeros(self.storage)
        z_mm = 1.0 / sigma
        inv[self.mu] = z_mm
        z_next: Floats | None = None  # Z[k+1, k+1]
        z_mk_next: Floats | None = None  # Z[mu, k+1]
        for k in range(self.n_panels - 1, -1, -1):
            n_k = int(self.sizes[k])
            l_kk = diag_l[k]
            # rows: Z[mu, k] and Z[k+1, k] = -(Z[., k+1] L[k+1, k] + Z[., mu] L[mu, k]) L_kk^-1
            rhs_m = z_mm * border_l[k]
            if z_next is not None and z_mk_next is not None:
                rhs_m = rhs_m + sub_l[k].T @ z_mk_next
                rhs_sub = z_next @ sub_l[k] + np.outer(z_mk_next, border_l[k])
                z_sub = -scipy.linalg.solve_triangular(l_kk, rhs_sub.T, lower=True,
                                                       trans="T", check_finite=False).T
                inv[self.sub_offset[k]:self.sub_offset[k + 1]] = z_sub.ravel()
            z_mk = -scipy.linalg.solve_triangular(l_kk, rhs_m, lower=True, trans="T",
                                                  check_finite=False)
            # Z[k, k] = (L_kk^-T - Z[k, k+1] L[k+1, k] - Z[k, mu] L[mu, k]) L_kk^-1
            l_inv = scipy.linalg.solve_triangular(l_kk, np.eye(n_k), lower=True,
                                                  check_finite=False)
            top = l_inv.T - np.outer(z_mk, border_l[k])
            if z_next is not None:
                top = top - z_sub.T @ sub_l[k]
            z_kk = top @ l_inv
            z_kk = (z_kk + z_kk.T) / 2
            inv[self.diag_offset[k]:self.diag_offset[k + 1]] = z_kk.ravel()
            inv[self.border + bounds[k]:self.border + bounds[k + 1]] = z_mk
            z_next, z_mk_next = z_kk, z_mk
        trace_target = float(inv[self.diagonal].sum())
        gathered = inv[self.gather]  # (B, T+1, T+1): targets and mu
        s_z = np.einsum("bj,bjk->bk", column, gathered)
        z_aa = 1.0 / d + np.einsum("bk,bk->b", s_z, column) / (d * d)
        block_inverse = BlockInverse(kept=gathered, rater=-s_z / d[:, None],
                                     rater_rater=z_aa)
        return RoleSystemFactor(logdet=logdet, q=q, solution=solution,
                                block_inverse=block_inverse,
                                trace_rater=float(z_aa.sum()), trace_target=trace_target)
