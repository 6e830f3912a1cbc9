"""Comparing two waves, step by step
([`compare_waves`][relcoord.metrics.waves.compare.compare_waves]).

1. check the arguments, and select the ratings each wave counts (`rows`);
2. number the resampling units, group them into strata and sum each wave's cells per unit
   (`replicates`);
3. each figure in both waves (`cells`), and the percentile interval
   of its change over ``n_boot`` replicates (`uncertainty`);
4. the measurement error that the MDC rests on
   ([`_MeasurementError`][relcoord.metrics.waves.compare._MeasurementError]);
5. assemble the result: a [`Change`][relcoord.metrics.waves.results.Change] for the network, every
   tie and every role, and the arrows gained, lost and reversed
   (`arrows`).

The methods are described in [`relcoord.metrics.waves`][relcoord.metrics.waves].
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.errors import InvalidInputError
from relcoord.json_values import float_or_none
from relcoord.metrics.reliability import scale_alpha
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.wave_rows import counted_in_wave, require_wave
from relcoord.metrics.waves.arrows import changed_arrows
from relcoord.metrics.waves.cells import figures_from_cells, squared_weights
from relcoord.metrics.waves.replicates import ResamplingUnits, WaveCells, replicate_changes
from relcoord.metrics.waves.results import Change, RoleChange, TieChange, WaveComparison
from relcoord.metrics.waves.uncertainty import minimal_detectable_change, percentile_interval
from relcoord.model import Study
from relcoord.settings import DEFAULT_N_BOOT, DEFAULT_SEED, AnalysisSettings

__all__ = ["compare_waves"]

Floats = npt.NDArray[np.float64]
Ids = tuple[str, ...]
Pairs = set[tuple[str, str]]


def _check_arguments(study: Study, wave_a: str, wave_b: str, n_boot: int,
                     confidence: float) -> None:
    for wave in (wave_a, wave_b):
        require_wave(study, wave)
    if wave_a == wave_b:
        raise InvalidInputError("wave", f"compare two different waves, got {wave_a!r} twice")
    if n_boot < 0:
        raise InvalidInputError("n_boot", f"expected 0 or more replicates, got {n_boot}")
    if not 0.0 < confidence < 1.0:
        raise InvalidInputError("confidence", f"expected a value in (0, 1), got {confidence}")


@attrs.frozen(kw_only=True)
class _MeasurementError:
    """What the MDC rests on: the SD of respondent-tie RC in wave A and a reliability.

    ``sd`` is NaN with fewer than two scores.  ``reliability`` is Cronbach's alpha of the RC
    index in wave A (``source`` ``"cronbach_alpha_rc_wave_a"``) unless one was given
    (``"given"``); it may be ``None`` or outside [0, 1], and then there is no SEM or MDC.
    """

    sd: float
    reliability: float | None
    source: str

    @classmethod
    def in_wave_a(cls, study: Study, wave_a: str, rc_a: Floats, reliability: float | None
                  ) -> _MeasurementError:
        """From the RC scores ``rc_a`` of wave A's counted respondent-ties."""
        sd = float(rc_a.std(ddof=1)) if len(rc_a) >= 2 else math.nan
        if reliability is None:
            return cls(sd=sd, reliability=scale_alpha(study, "rc", wave=wave_a).alpha,
                       source="cronbach_alpha_rc_wave_a")
        return cls(sd=sd, reliability=float(reliability), source="given")

    @property
    def usable_reliability(self) -> float | None:
        """The reliability when an SEM follows from it (an SD and a value in [0, 1])."""
        rel = self.reliability
        if rel is None or math.isnan(self.sd) or not 0.0 <= rel <= 1.0:
            return None
        return rel

    @property
    def sem(self) -> float | None:
        """SEM = SD * sqrt(1 - reliability) of one respondent-tie score."""
        rel = self.usable_reliability
        return None if rel is None else self.sd * math.sqrt(1.0 - rel)

    def mdc(self, squared: tuple[float, float] | None = None) -> float | None:
        """MDC95 of one score, or of a change between two weighted means whose squared
        weights sum to ``squared`` (wave A, wave B)."""
        rel = self.usable_reliability
        return None if rel is None else minimal_detectable_change(self.sd, rel,
                                                                   squared_weights=squared)


# numpy arrays compare elementwise, so attrs cannot generate __eq__/__hash__ here (eq=False).
@attrs.frozen(kw_only=True, eq=False)
class _Estimates:
    """Each figure in both waves, the respondent-ties behind it and its change's interval.

    ``figures``, ``counts`` (respondent-ties per cell, ``(k*k,)``) and ``squared`` (the sum
    of the squared weights of each figure's scores under the weighting,
    [`squared_weights`][relcoord.metrics.waves.cells.squared_weights]) are wave A's and wave B's;
    ``intervals`` holds the percentile limits of each figure's change (empty without
    replicates); ``error`` gives the MDC.
    """

    figures: tuple[dict[str, Floats], dict[str, Floats]]
    counts: tuple[Floats, Floats]
    squared: tuple[dict[str, Floats], dict[str, Floats]]
    intervals: dict[str, tuple[Floats, Floats]]
    error: _MeasurementError

    @classmethod
    def of(cls, waves: tuple[WaveCells, WaveCells], units: ResamplingUnits,
           in_wave: tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]], weighting: str, *,
           n_boot: int, seed: int, confidence: float, error: _MeasurementError
           ) -> _Estimates:
        """The figures of ``waves`` and the intervals of their change from ``n_boot`` replicates."""
        k = waves[0].k
        (sums_a, counts_a), (sums_b, counts_b) = (w.sums(None) for w in waves)
        replicates = replicate_changes(waves, units.strata(in_wave), weighting, n_boot, seed)
        return cls(
            figures=(figures_from_cells(sums_a, counts_a, k, weighting),
                     figures_from_cells(sums_b, counts_b, k, weighting)),
            counts=(counts_a[0], counts_b[0]),
            squared=(squared_weights(counts_a, k, weighting),
                     squared_weights(counts_b, k, weighting)),
            intervals={name: percentile_interval(reps, confidence)
                       for name, reps in replicates.items()},
            error=error,
        )

    def change(self, name: str, index: int, n_a: int, n_b: int) -> Change:
        """The change of figure ``name`` number ``index``, resting on ``n_a``/``n_b`` scores."""
        a = float_or_none(np.ravel(self.figures[0][name])[index])
        b = float_or_none(np.ravel(self.figures[1][name])[index])
        low = high = None
        if name in self.intervals and a is not None and b is not None:
            low = float_or_none(self.intervals[name][0][index])
            high = float_or_none(self.intervals[name][1][index])
        s_a = float_or_none(np.ravel(self.squared[0][name])[index])
        s_b = float_or_none(np.ravel(self.squared[1][name])[index])
        mdc = self.error.mdc((s_a, s_b)) if s_a and s_b else None
        return Change(a=a, b=b, change=None if a is None or b is None else b - a,
                      ci_low=low, ci_high=high, mdc=mdc, n_a=n_a, n_b=n_b,
                      n_eff_a=1.0 / s_a if s_a else None, n_eff_b=1.0 / s_b if s_b else None)

    def _grids(self) -> tuple[Floats, Floats]:
        k = math.isqrt(len(self.counts[0]))
        return self.counts[0].reshape(k, k), self.counts[1].reshape(k, k)

    def network(self) -> tuple[Change, Change, Change]:
        """The change of the network: all ties, the ties within a role, between roles."""
        n_a, n_b = self._grids()
        eye = np.eye(len(n_a), dtype=bool)
        return (self.change("network", 0, int(n_a.sum()), int(n_b.sum())),
                self.change("within", 0, int(n_a[eye].sum()), int(n_b[eye].sum())),
                self.change("between", 0, int(n_a[~eye].sum()), int(n_b[~eye].sum())))

    def ties(self, ids: Ids) -> tuple[TieChange, ...]:
        """The change of every tie rated in either wave, in cell order (rater, then target)."""
        k = len(ids)
        count_a, count_b = self.counts
        return tuple(
            TieChange(source=ids[c // k], target=ids[c % k],
                      rc=self.change("ties", c, int(count_a[c]), int(count_b[c])))
            for c in np.flatnonzero((count_a > 0) | (count_b > 0)).tolist()
        )

    def roles(self, ids: Ids) -> tuple[RoleChange, ...]:
        """The change of every role as rater (its row) and as target (its column)."""
        n_a, n_b = self._grids()
        off = ~np.eye(len(ids), dtype=bool)
        return tuple(
            RoleChange(
                id=ids[r],
                as_rater=self.change("rater", r, int(n_a[r][off[r]].sum()),
                                     int(n_b[r][off[r]].sum())),
                as_target=self.change("target", r, int(n_a[:, r][off[:, r]].sum()),
                                      int(n_b[:, r][off[:, r]].sum())),
            )
            for r in range(len(ids))
        )

    def rated(self, ids: Ids) -> tuple[Pairs, Pairs]:
        """The (source, target) ties rated in wave A and in wave B."""
        k = len(ids)
        a, b = ({(ids[c // k], ids[c % k]) for c in np.flatnonzero(n > 0).tolist()}
                for n in self.counts)
        return a, b


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
        seed: seed of `numpy.random.default_rng`; same seed, same intervals.
        confidence: the interval's coverage (0.95 gives the 2.5th and 97.5th percentiles).
        reliability: reliability for the SEM; ``None`` uses Cronbach's alpha of the RC index
            in ``wave_a`` (``settings.mdc_reliability`` when that is set).

    Raises:
        InvalidInputError: an unknown wave, the same wave twice, or a bad ``n_boot`` or
            ``confidence``.
    """
    _check_arguments(study, wave_a, wave_b, n_boot, confidence)
    settings = settings or AnalysisSettings()
    if reliability is None:
        reliability = settings.mdc_reliability
    min_items = settings.items_needed(study.instrument)
    per = respondent_tie_scores(study, min_items=min_items)
    in_wave = (counted_in_wave(study, per.counted, wave_a),
               counted_in_wave(study, per.counted, wave_b))

    units = ResamplingUnits.of(study)
    k, target = len(study.roles), study.ratings.target.astype(np.intp)
    waves = (WaveCells.build(units, target, per.rc, in_wave[0], k),
             WaveCells.build(units, target, per.rc, in_wave[1], k))

    error = _MeasurementError.in_wave_a(study, wave_a, per.rc[in_wave[0]], reliability)
    estimates = _Estimates.of(waves, units, in_wave, settings.weighting, n_boot=n_boot,
                              seed=seed, confidence=confidence, error=error)

    ids = study.role_ids
    network, within, between = estimates.network()
    return WaveComparison(
        wave_a=wave_a, wave_b=wave_b, settings=settings, min_items=min_items, n_boot=n_boot,
        seed=seed, confidence=confidence, reliability=error.reliability,
        reliability_source=error.source, sd=float_or_none(error.sd), sem=error.sem, mdc=error.mdc(),
        network=network, within=within, between=between,
        ties=estimates.ties(ids), roles=estimates.roles(ids),
        arrows=changed_arrows(study, wave_a, wave_b, estimates.rated(ids)),
    )
