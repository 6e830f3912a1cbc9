"""Change between two waves: ties, roles and the network, with uncertainty.

RC moves slowly, so a change between two waves (two conferences, two survey rounds) is only
worth reporting with its uncertainty.  :func:`compare_waves` gives, for every tie, every
role (as rater and as target) and the network (all ties, within, between):

* the figure in each wave and the **change** ``wave_b - wave_a``, computed as
  :mod:`relcoord.metrics.scores` computes the figures (same ``min_items`` rule, same
  weighting, a role's self-tie left out of its row and column);
* a **percentile bootstrap confidence interval** of the change (Efron & Tibshirani 1993,
  ch. 13): respondents are resampled with replacement *within their rater role*, and within
  the role separately among those who answered in both waves (kept as pairs, so a panel's
  correlation is kept), only in wave A, or only in wave B, so that every replicate has the
  design of the data.  A rating without a respondent (a workshop group) is its own unit.
  ``n_boot`` replicates (default 2000) from ``numpy.random.default_rng(seed)`` (default seed
  20190101): the same data, ``n_boot`` and ``seed`` give the same intervals.  Replicates in
  which a figure is undefined (no rater of that tie drawn) are left out of its interval;
* a **minimal detectable change**: MDC95 = 1.96 * sqrt(2) * SEM with
  SEM = SD * sqrt(1 - reliability) (Weir 2005; de Vet et al. 2006), for one respondent-tie
  score, where SD is the standard deviation of the respondent-tie RC scores in wave A and the
  reliability is Cronbach's alpha of the RC index in wave A (complete cases) unless one is
  given (a test-retest ICC, for instance).  For a figure that averages n_a respondent-ties in
  wave A and n_b in wave B the same measurement error gives
  MDC = 1.96 * SEM * sqrt(1/n_a + 1/n_b), which is MDC95 / sqrt(n) when both are n (de Vet
  et al. 2006: the smallest detectable change of a group mean).  The MDC covers measurement
  error only; the bootstrap interval covers sampling.  A change is **clear** when it stands
  out from both, its interval excluding 0 and its size exceeding the MDC
  (:attr:`Change.is_clear`, the one definition that the report, figures and text read);
* the **arrows** gained, lost and reversed: named arrows (``study.ties``, a role's arrow to
  itself left out) when the study has any, else the ties rated in each wave.  A pair whose
  only arrow turned round (A->B in wave A, B->A in wave B) is *reversed* and not also
  counted as gained and lost.

Sources:
    Efron, B. & Tibshirani, R.J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    Weir, J.P. (2005). Quantifying test-retest reliability using the intraclass correlation
    coefficient and the SEM. *Journal of Strength and Conditioning Research* 19(1), 231-240.
    de Vet, H.C.W., Terwee, C.B., Knol, D.L. & Bouter, L.M. (2006). When to use agreement
    versus reliability measures. *Journal of Clinical Epidemiology* 59(10), 1033-1039.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.metrics.reliability import scale_alpha
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.model import Study
from relcoord.settings import DEFAULT_N_BOOT, DEFAULT_SEED, AnalysisSettings

__all__ = [
    "DEFAULT_N_BOOT",
    "DEFAULT_SEED",
    "ArrowChanges",
    "Change",
    "Direction",
    "RoleChange",
    "TieChange",
    "WaveComparison",
    "arrow_changes",
    "compare_waves",
    "minimal_detectable_change",
    "percentile_interval",
]

Floats = npt.NDArray[np.float64]
ArrowBasis = Literal["arrows", "ratings"]
#: The direction of a clear change (:attr:`Change.direction`).
Direction = Literal["rise", "fall"]

# DEFAULT_N_BOOT (2000) and DEFAULT_SEED (20190101) live in relcoord.settings, so that the
# analysis settings and this module share one default; they are re-exported here.
#: Units (or cells) times replicates handled in one vectorised block (bounds the memory).
_BLOCK: Final = 4_000_000
_Z95: Final = 1.959963984540054


def _opt(value: Any) -> float | None:
    number = float(value)
    return None if math.isnan(number) else number


# --- small formulas -----------------------------------------------------------------------


def minimal_detectable_change(
    sd: float, reliability: float, *, n_a: int | None = None, n_b: int | None = None,
    z: float = _Z95,
) -> float | None:
    """MDC95 = z * sqrt(2) * SEM, SEM = SD * sqrt(1 - reliability) (Weir 2005; de Vet 2006).

    With ``n_a`` and ``n_b`` the MDC of a change between two means of that many scores:
    z * SEM * sqrt(1/n_a + 1/n_b) (equal to MDC95 / sqrt(n) for n_a = n_b = n).  ``None``
    when the reliability is outside [0, 1] or a mean has no scores.
    """
    if not (0.0 <= reliability <= 1.0) or math.isnan(sd):
        return None
    sem = sd * math.sqrt(1.0 - reliability)
    if n_a is None and n_b is None:
        return z * math.sqrt(2.0) * sem
    if not n_a or not n_b:
        return None
    return z * sem * math.sqrt(1.0 / n_a + 1.0 / n_b)


def percentile_interval(replicates: npt.ArrayLike, confidence: float = 0.95
                        ) -> tuple[Floats, Floats]:
    """Percentile bootstrap limits of each column of ``replicates`` (``(B, F)``), NaN-aware.

    Columns are sorted once; NaN replicates (figure undefined in that replicate) are left
    out, and a column without any valid replicate gets NaN limits.  Positions are
    interpolated linearly as :func:`numpy.percentile` does (Efron & Tibshirani 1993, ch. 13).
    """
    reps = np.asarray(replicates, dtype=np.float64)
    if reps.ndim == 1:
        reps = reps[:, None]
    ordered = np.sort(reps, axis=0)  # NaN sorts last
    valid = np.count_nonzero(~np.isnan(reps), axis=0)
    tail = (1.0 - confidence) / 2.0
    limits = []
    cols = np.arange(reps.shape[1])
    for q in (tail, 1.0 - tail):
        pos = q * np.maximum(valid - 1, 0)
        low = np.floor(pos).astype(np.intp)
        high = np.minimum(low + 1, np.maximum(valid - 1, 0))
        frac = pos - low
        if len(ordered):
            value = ordered[low, cols] * (1 - frac) + ordered[high, cols] * frac
            value = np.where(frac == 0, ordered[low, cols], value)
        else:
            value = np.full(reps.shape[1], np.nan)
        limits.append(np.where(valid > 0, value, np.nan))
    return limits[0], limits[1]


# --- results ------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Change:
    """One figure in two waves and its change ``b - a``, with interval and MDC.

    ``n_a``/``n_b`` are the respondent-ties behind the figure in each wave; ``ci_low`` and
    ``ci_high`` the percentile bootstrap limits of the change; ``mdc`` the minimal
    detectable change for a difference of means of that many scores.  ``None`` where a
    value is undefined (for example a tie rated in one wave only).
    """

    a: float | None
    b: float | None
    change: float | None
    ci_low: float | None
    ci_high: float | None
    mdc: float | None
    n_a: int
    n_b: int

    @property
    def ci_excludes_zero(self) -> bool | None:
        """True when the confidence interval lies wholly above or below 0."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return self.ci_low > 0 or self.ci_high < 0

    @property
    def exceeds_mdc(self) -> bool | None:
        """True when the change is larger (in size) than the minimal detectable change."""
        if self.change is None or self.mdc is None:
            return None
        return abs(self.change) > self.mdc

    @property
    def is_clear(self) -> bool | None:
        """True when the change is clear: its interval excludes 0 and it exceeds the MDC.

        The one definition of a clear change; the report's "clear" column, the colours of
        the change figure and the ``*`` of the text all read it.  The percentile bootstrap
        interval covers sampling (Efron & Tibshirani 1993, ch. 13), the minimal detectable
        change measurement error (Weir 2005); a change is clear only when it stands out
        from both.  ``None`` when either test is undefined (no interval or no MDC).
        """
        excludes, exceeds = self.ci_excludes_zero, self.exceeds_mdc
        if excludes is None or exceeds is None:
            return None
        return excludes and exceeds

    @property
    def direction(self) -> Direction | None:
        """``"rise"`` or ``"fall"`` (the sign of the change) when :attr:`is_clear`, else None."""
        if not self.is_clear or self.change is None:
            return None
        return "rise" if self.change > 0 else "fall"

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (``None`` for undefined values)."""
        return {
            "a": self.a, "b": self.b, "change": self.change, "ci_low": self.ci_low,
            "ci_high": self.ci_high, "ci_excludes_zero": self.ci_excludes_zero,
            "mdc": self.mdc, "exceeds_mdc": self.exceeds_mdc, "n_a": self.n_a, "n_b": self.n_b,
        }


@attrs.frozen(kw_only=True)
class TieChange:
    """The change of tie ``source -> target`` (RC) between the waves."""

    source: str
    target: str
    rc: Change

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"source": self.source, "target": self.target, **self.rc.to_mapping()}


@attrs.frozen(kw_only=True)
class RoleChange:
    """The change of one role's RC as rater (its row) and as target (its column)."""

    id: str
    as_rater: Change
    as_target: Change

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"id": self.id, "as_rater": self.as_rater.to_mapping(),
                "as_target": self.as_target.to_mapping()}


@attrs.frozen(kw_only=True)
class ArrowChanges:
    """Arrows (source, target) gained, lost and reversed from wave A to wave B.

    ``basis`` says whether named arrows or rated ties were compared.  ``reversed`` holds the
    wave-B direction of each pair whose only arrow turned round.
    """

    basis: ArrowBasis
    gained: tuple[tuple[str, str], ...]
    lost: tuple[tuple[str, str], ...]
    reversed: tuple[tuple[str, str], ...]
    kept: int

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict (pairs as ``{"source", "target"}`` objects)."""
        def pairs(items: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
            return [{"source": s, "target": t} for s, t in items]

        return {"basis": self.basis, "gained": pairs(self.gained), "lost": pairs(self.lost),
                "reversed": pairs(self.reversed), "kept": self.kept}


@attrs.frozen(kw_only=True)
class WaveComparison:
    """Everything :func:`compare_waves` found (see the module docstring).

    ``reliability`` is the value used for the SEM and ``reliability_source`` says where it
    came from; ``sd`` is the SD of respondent-tie RC in wave A, ``sem`` and ``mdc`` the
    individual-level SEM and MDC95.
    """

    wave_a: str
    wave_b: str
    settings: AnalysisSettings
    min_items: int
    n_boot: int
    seed: int
    confidence: float
    reliability: float | None
    reliability_source: str
    sd: float | None
    sem: float | None
    mdc: float | None
    network: Change
    within: Change
    between: Change
    ties: tuple[TieChange, ...]
    roles: tuple[RoleChange, ...]
    arrows: ArrowChanges

    def tie(self, source: str, target: str) -> TieChange:
        """The change of tie ``source -> target``; :class:`KeyError` if rated in neither wave."""
        for t in self.ties:
            if (t.source, t.target) == (source, target):
                return t
        raise KeyError(f"tie {source!r} -> {target!r} is rated in neither wave")

    def role(self, role_id: str) -> RoleChange:
        """The change of role ``role_id``; :class:`KeyError` when there is none."""
        for r in self.roles:
            if r.id == role_id:
                return r
        raise KeyError(f"no role {role_id!r}")

    def to_mapping(self) -> dict[str, Any]:
        """JSON-ready dict for the Analysis ``change`` section (``None`` for missing)."""
        return {
            "wave_a": self.wave_a, "wave_b": self.wave_b,
            "weighting": self.settings.weighting, "min_items": self.min_items,
            "bootstrap": {"n_boot": self.n_boot, "seed": self.seed,
                          "confidence": self.confidence, "method": "percentile",
                          "resampling": "respondents within rater role and wave pattern"},
            "mdc": {"reliability": self.reliability,
                    "reliability_source": self.reliability_source,
                    "sd": self.sd, "sem": self.sem, "mdc95": self.mdc},
            "network": self.network.to_mapping(),
            "within": self.within.to_mapping(),
            "between": self.between.to_mapping(),
            "ties": [t.to_mapping() for t in self.ties],
            "roles": [r.to_mapping() for r in self.roles],
            "arrows": self.arrows.to_mapping(),
        }


# --- the figures of one wave, for many replicates at once --------------------------------


def _figures(sums: Floats, counts: Floats, k: int, weighting: str) -> dict[str, Floats]:
    """Ties, role rows/columns and network figures from cell sums/counts (``(B, k*k)``).

    The same definitions as :mod:`relcoord.metrics.scores`, vectorised over replicates.
    """
    b = sums.shape[0]
    s = sums.reshape(b, k, k)
    c = counts.reshape(b, k, k)
    off = ~np.eye(k, dtype=bool)
    diag = np.eye(k, dtype=bool)
    with np.errstate(invalid="ignore", divide="ignore"):
        cell = s / c  # NaN where a cell has no respondent-tie
        has = c > 0

        def mean_of_cells(mask: npt.NDArray[np.bool_], axis: tuple[int, ...] | int) -> Floats:
            ok = has & mask
            total = np.where(ok, cell, 0.0).sum(axis=axis)
            return np.asarray(total / ok.sum(axis=axis), dtype=np.float64)

        def pooled(mask: npt.NDArray[np.bool_], axis: tuple[int, ...] | int) -> Floats:
            return np.asarray(np.where(mask, s, 0.0).sum(axis=axis)
                              / np.where(mask, c, 0.0).sum(axis=axis), dtype=np.float64)

        def group(mask: npt.NDArray[np.bool_]) -> Floats:
            row_s = np.where(mask, s, 0.0).sum(axis=2)
            row_c = np.where(mask, c, 0.0).sum(axis=2)
            rated = row_c > 0
            return np.asarray(np.where(rated, row_s / row_c, 0.0).sum(axis=1) / rated.sum(axis=1),
                              dtype=np.float64)

        if weighting == "respondent":
            rater, target = pooled(off, 2), pooled(off, 1)
            network = {n: pooled(m, (1, 2)) for n, m in
                       (("network", np.ones((k, k), bool)), ("within", diag), ("between", off))}
        elif weighting == "tie":
            rater, target = mean_of_cells(off, 2), mean_of_cells(off, 1)
            network = {n: mean_of_cells(m, (1, 2)) for n, m in
                       (("network", np.ones((k, k), bool)), ("within", diag), ("between", off))}
        else:  # group: a row is one rater role; a column's cells each come from one role
            rater, target = pooled(off, 2), mean_of_cells(off, 1)
            network = {n: group(m) for n, m in
                       (("network", np.ones((k, k), bool)), ("within", diag), ("between", off))}
    return {"ties": cell.reshape(b, k * k), "rater": rater, "target": target, **network}


@attrs.frozen(eq=False)
class _Wave:
    """One wave's counted respondent-ties, summed per unit (respondent) and target role.

    Units are numbered so that each rater role's units are contiguous, and a unit rates only
    from its own role; so row ``r`` of the cell sums of a block of replicates is
    ``weights[:, units of r] @ unit_values[units of r]``: one product per rater role for the
    whole block, instead of a pass over the ratings per replicate.
    """

    unit_values: Floats  # (units, 2k): RC sums per target, then rating counts per target
    by_role: tuple[tuple[int, slice], ...]  # (role code, its units)

    @classmethod
    def build(cls, unit: npt.NDArray[np.intp], target: npt.NDArray[np.intp], rc: Floats,
              n_units: int, k: int, by_role: tuple[tuple[int, slice], ...]) -> _Wave:
        flat = unit * k + target
        sums = np.bincount(flat, weights=rc, minlength=n_units * k).reshape(n_units, k)
        counts = np.bincount(flat, minlength=n_units * k).reshape(n_units, k)
        values = np.hstack([sums, counts]).astype(np.float64)
        return cls(unit_values=values, by_role=by_role)

    def sums(self, weights: Floats | None) -> tuple[Floats, Floats]:
        """Cell sums/counts ``(B, k*k)``, once (``weights`` None) or per replicate."""
        k = self.unit_values.shape[1] // 2
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


def _check_wave(study: Study, wave: str) -> None:
    if wave not in study.waves:
        known = ", ".join(repr(w) for w in study.waves) or "none"
        raise InvalidInputError("wave", f"no wave {wave!r} in the study (waves: {known})")


def _draw(rng: np.random.Generator, strata: Sequence[npt.NDArray[np.intp]], n_units: int,
          n: int) -> Floats:
    """``(n, n_units)`` draw counts: each stratum resampled with replacement to its size."""
    weights = np.zeros((n, n_units))
    for members in strata:
        size = len(members)
        weights[:, members] = rng.multinomial(size, np.full(size, 1.0 / size), size=n)
    return weights


def _arrows(study: Study, wave_a: str, wave_b: str, rated: tuple[set[tuple[str, str]], ...]
            ) -> ArrowChanges:
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
    """Arrows gained, lost and reversed from ``wave_a`` to ``wave_b`` (as :func:`compare_waves`).

    Named arrows (``study.ties``) when the study has any, else the ties rated in each wave by
    at least one respondent-tie that counts under ``min_items``.  Useful on its own when the
    change of the figures is computed from fewer ratings than the arrows are (the analysis
    compares only ties publishable in both waves, but reports the arrows of all published
    ties).
    """
    for wave in (wave_a, wave_b):
        _check_wave(study, wave)
    ratings = study.ratings
    counted = respondent_tie_scores(study, min_items=min_items).counted
    ids = study.role_ids
    rated = []
    for wave in (wave_a, wave_b):
        code = ratings.waves.index(wave) if wave in ratings.waves else -2
        rows = counted & (ratings.wave == code)
        rated.append({(ids[s], ids[t]) for s, t in
                      zip(ratings.source[rows].tolist(), ratings.target[rows].tolist(),
                          strict=True)})
    return _arrows(study, wave_a, wave_b, (rated[0], rated[1]))


def compare_waves(
    study: Study,
    wave_a: str,
    wave_b: str,
    *,
    settings: AnalysisSettings | None = None,
    n_boot: int = DEFAULT_N_BOOT,
    seed: int = DEFAULT_SEED,
    confidence: float = 0.95,
    reliability: float | None = None,
) -> WaveComparison:
    """Compare ``wave_b`` with ``wave_a``: change of ties, roles and network (see module).

    Args:
        study: the study holding both waves.
        wave_a: the earlier (baseline) wave.
        wave_b: the later wave; changes are ``b - a``.
        settings: weighting and ``min_items`` as for the scores (defaults if ``None``).
        n_boot: bootstrap replicates (0 for no intervals).
        seed: seed of :func:`numpy.random.default_rng`; same seed, same intervals.
        confidence: the interval's coverage (0.95 gives the 2.5th and 97.5th percentiles).
        reliability: reliability for the SEM; ``None`` uses Cronbach's alpha of the RC index
            in ``wave_a``.

    Raises:
        InvalidInputError: an unknown wave, the same wave twice, or a bad ``n_boot`` or
            ``confidence``.
    """
    for wave in (wave_a, wave_b):
        _check_wave(study, wave)
    if wave_a == wave_b:
        raise InvalidInputError("wave", f"compare two different waves, got {wave_a!r} twice")
    if n_boot < 0:
        raise InvalidInputError("n_boot", f"expected 0 or more replicates, got {n_boot}")
    if not 0.0 < confidence < 1.0:
        raise InvalidInputError("confidence", f"expected a value in (0, 1), got {confidence}")
    settings = settings or AnalysisSettings()
    min_items = settings.items_needed(study.instrument)
    ratings = study.ratings
    k = len(study.roles)
    size = k * k
    per = respondent_tie_scores(study, min_items=min_items)
    counted = per.counted
    codes = [ratings.waves.index(w) if w in ratings.waves else -2 for w in (wave_a, wave_b)]
    in_wave = [counted & (ratings.wave == c) for c in codes]
    # units: respondents, and each anonymous rating on its own
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
    target = ratings.target.astype(np.intp)
    waves = [_Wave.build(unit[m], target[m], per.rc[m], n_units, k, by_role) for m in in_wave]

    # strata: rater role x (answered in A only, in B only, in both)
    pattern = np.zeros(n_units, dtype=np.intp)
    for bit, m in enumerate(in_wave):
        seen = np.zeros(n_units, dtype=bool)
        seen[unit[m]] = True
        pattern |= seen.astype(np.intp) << bit
    keyed = unit_role * 4 + pattern
    active = pattern > 0
    strata = [np.flatnonzero(active & (keyed == key)) for key in np.unique(keyed[active])]

    base = [_figures(*w.sums(None), k, settings.weighting) for w in waves]
    base_n = [w.sums(None)[1][0] for w in waves]
    rng = np.random.default_rng(seed)
    block = max(1, _BLOCK // max(n_units, size, 1))
    diffs: dict[str, list[Floats]] = {}
    done = 0
    while done < n_boot:
        n = min(block, n_boot - done)
        weights = _draw(rng, strata, n_units, n)
        figs = [_figures(*w.sums(weights), k, settings.weighting) for w in waves]
        for name in figs[0]:
            diffs.setdefault(name, []).append(figs[1][name] - figs[0][name])
        done += n
    intervals = {}
    for name, parts in diffs.items():
        reps = np.concatenate([p if p.ndim == 2 else p[:, None] for p in parts])
        intervals[name] = percentile_interval(reps, confidence)

    # the MDC: SD of respondent-tie RC and reliability in wave A
    rc_a = per.rc[in_wave[0]]
    sd = float(rc_a.std(ddof=1)) if len(rc_a) >= 2 else math.nan
    if reliability is None:
        rel = scale_alpha(study, "rc", wave=wave_a).alpha
        source = "cronbach_alpha_rc_wave_a"
    else:
        rel, source = float(reliability), "given"
    usable = rel is not None and not math.isnan(sd) and 0.0 <= rel <= 1.0
    sem = sd * math.sqrt(1.0 - rel) if usable and rel is not None else None

    def change(name: str, index: int, n_a: int, n_b: int) -> Change:
        a = _opt(np.ravel(base[0][name])[index])
        b = _opt(np.ravel(base[1][name])[index])
        low = high = None
        if name in intervals:
            low = _opt(intervals[name][0][index])
            high = _opt(intervals[name][1][index])
        mdc = (minimal_detectable_change(sd, rel, n_a=n_a, n_b=n_b)
               if usable and rel is not None else None)
        return Change(a=a, b=b, change=None if a is None or b is None else b - a,
                      ci_low=low if a is not None and b is not None else None,
                      ci_high=high if a is not None and b is not None else None,
                      mdc=mdc, n_a=n_a, n_b=n_b)

    ids = study.role_ids
    n_a, n_b = base_n[0].reshape(k, k), base_n[1].reshape(k, k)
    off = ~np.eye(k, dtype=bool)
    eye = np.eye(k, dtype=bool)
    ties = tuple(
        TieChange(source=ids[c // k], target=ids[c % k],
                  rc=change("ties", c, int(base_n[0][c]), int(base_n[1][c])))
        for c in np.flatnonzero((base_n[0] > 0) | (base_n[1] > 0)).tolist()
    )
    roles = tuple(
        RoleChange(
            id=ids[r],
            as_rater=change("rater", r, int(n_a[r][off[r]].sum()), int(n_b[r][off[r]].sum())),
            as_target=change("target", r, int(n_a[:, r][off[:, r]].sum()),
                             int(n_b[:, r][off[:, r]].sum())),
        )
        for r in range(k)
    )
    rated = tuple({(ids[c // k], ids[c % k]) for c in np.flatnonzero(n > 0).tolist()}
                  for n in base_n)
    return WaveComparison(
        wave_a=wave_a, wave_b=wave_b, settings=settings, min_items=min_items, n_boot=n_boot,
        seed=seed, confidence=confidence, reliability=rel, reliability_source=source,
        sd=_opt(sd), sem=sem, mdc=minimal_detectable_change(sd, rel)
        if usable and rel is not None else None,
        network=change("network", 0, int(n_a.sum()), int(n_b.sum())),
        within=change("within", 0, int(n_a[eye].sum()), int(n_b[eye].sum())),
        between=change("between", 0, int(n_a[off].sum()), int(n_b[off].sum())),
        ties=ties, roles=roles, arrows=_arrows(study, wave_a, wave_b, rated),
    )
