"""The SRM design's sums are those of the observations they summarise.

[`srm_design`][relcoord.metrics.srm.design.srm_design] never holds the observations: it
sums them in chunks (numpy) or in one compiled loop (numba).  Here the observations are
built plainly, as arrays of codes per rating (``np.unique`` for the ties, the units as
``_units`` keys them), and every sum, count and derived quantity of the design is checked
against them, for both engines, with chunks of a few rows (so that a chunk boundary falls
anywhere and one respondent's tie can repeat within a chunk) and with the usual ones.
Which components the model can tell apart is checked against the definition on the
observations' codes.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relcoord import Metadata, Ratings, Respondent, Role, Study
from relcoord.instruments import DIMENSION_KEYS
from relcoord.metrics.scores import respondent_tie_scores
from relcoord.metrics.srm import design as design_module
from relcoord.metrics.srm.criterion import COMPONENTS
from relcoord.metrics.srm.design import SRMDesign, _units, srm_design
from relcoord.metrics.srm.estimate import _DENSE_RANK, _identifiable, _same_grouping
from relcoord.optional_dependencies import is_available
from relcoord.testing.planted import planted_study
from relcoord.testing.strategies import studies

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

ENGINES = ["numpy", "numba"] if is_available("numba") else ["numpy"]


@attrs.frozen
class _Observations:
    """The observations as arrays per rating: the definition the sums are checked on
    (the units as ``_units`` keys them, numbered rater role by rater role when every
    rating has its respondent)."""

    y: Floats
    source: Ints  # codes into the rater roles
    target: Ints  # codes into the target roles
    tie: Ints
    unit: Ints
    sources: Ints
    targets: Ints
    pairs: Ints
    n_units: int


def _observations(study: Study, min_items: int, within: bool) -> _Observations:
    ratings = study.ratings
    per = respondent_tie_scores(study, min_items=min_items)
    keep = per.counted if within else per.counted & (ratings.source != ratings.target)
    rows = np.flatnonzero(keep)
    src = ratings.source[rows].astype(np.int64)
    tgt = ratings.target[rows].astype(np.int64)
    k = len(study.roles)
    sources, source = np.unique(src, return_inverse=True)
    targets, target = np.unique(tgt, return_inverse=True)
    pair_keys, tie = np.unique(src * k + tgt, return_inverse=True)
    n_units, unit = _units(ratings.respondent[rows], ratings.source[rows],
                           len(ratings.respondents), k)
    unit = np.asarray(unit, dtype=np.int64)
    if np.all(ratings.respondent[rows] >= 0):
        # the rule (every rating has its respondent): units numbered rater role by rater
        # role, by respondent within one
        unit_source = np.zeros(n_units, dtype=np.int64)
        unit_source[unit] = source.reshape(-1)
        renumbered = np.empty(n_units, dtype=np.int64)
        renumbered[np.argsort(unit_source, kind="stable")] = np.arange(n_units)
        unit = renumbered[unit]
    return _Observations(
        y=per.rc[rows], source=source.reshape(-1), target=target.reshape(-1),
        tie=tie.reshape(-1), unit=unit, sources=sources,
        targets=targets, pairs=np.column_stack([pair_keys // k, pair_keys % k]),
        n_units=n_units)


def _assert_design_is_its_observations(design: SRMDesign, obs: _Observations) -> None:
    n = len(obs.y)
    assert design.n == n
    np.testing.assert_array_equal(design.sources, obs.sources)
    np.testing.assert_array_equal(design.targets, obs.targets)
    np.testing.assert_array_equal(design.tie_pairs.reshape(-1, 2), obs.pairs.reshape(-1, 2))
    assert design.n_units == obs.n_units
    if not n:
        return
    center = float(obs.y.mean())
    centred = obs.y - center
    n_ties, n_units = len(obs.pairs), obs.n_units
    assert design.center == pytest.approx(center, rel=1e-12, abs=1e-12)
    assert design.yy == pytest.approx(float(centred @ centred), rel=1e-10, abs=1e-10)
    assert design.spread == float(np.ptp(obs.y))
    def sums(codes: Ints, weights: Floats, size: int) -> Floats:
        return np.asarray(np.bincount(codes, weights=weights, minlength=size),
                          dtype=np.float64)

    def close(got: Floats, want: Floats) -> None:
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)

    np.testing.assert_array_equal(design.tie_n, np.bincount(obs.tie, minlength=n_ties))
    close(design.tie_sum, sums(obs.tie, obs.y, n_ties))
    close(design.tie_y, sums(obs.tie, centred, n_ties))
    close(design.tie_y2, sums(obs.tie, centred**2, n_ties))
    np.testing.assert_array_equal(design.unit_n, np.bincount(obs.unit, minlength=n_units))
    close(design.unit_y, sums(obs.unit, centred, n_units))
    unit_source = np.zeros(n_units, dtype=np.int64)
    unit_source[obs.unit] = obs.source
    np.testing.assert_array_equal(design.unit_source, unit_source)
    np.testing.assert_array_equal(design.tie_source,
                                  np.searchsorted(obs.sources, obs.pairs[:, 0]))
    # counts: per unit and tie slot
    slot = design.tie_slot[obs.tie]
    counts = np.zeros((n_units, design.width), dtype=np.int64)
    np.add.at(counts, (obs.unit, slot), 1)
    np.testing.assert_array_equal(design.counts, counts)
    assert np.iinfo(design.counts.dtype).max >= int(counts.max(initial=0))
    # the derived sums and the observations given back
    per_tie = np.linspace(-1.0, 2.0, n_ties)
    per_unit = np.linspace(0.5, -1.5, n_units)
    close(design.unit_sums(per_tie), sums(obs.unit, per_tie[obs.tie], n_units))
    close(design.tie_sums(per_unit), sums(obs.tie, per_unit[obs.unit], n_ties))
    unit, tie = design.observations()
    got = np.lexsort([tie, unit])
    want = np.lexsort([obs.tie, obs.unit])
    np.testing.assert_array_equal(unit[got], obs.unit[want])
    np.testing.assert_array_equal(tie[got], obs.tie[want])
    close(design.tie_mean, sums(obs.tie, obs.y, n_ties) / design.tie_n)


def _identifiable_by_observations(obs: _Observations) -> tuple[bool, ...]:
    """The rule of ``_identifiable`` on the observations' codes."""
    n = len(obs.y)
    factors = {"rater": obs.source, "target": obs.target, "relationship": obs.tie,
               "respondent": obs.unit}
    chosen: list[Ints] = []
    out = []
    for name in COMPONENTS:
        codes = factors[name]
        levels = int(codes.max()) + 1
        ok = 2 <= levels < n and not any(_same_grouping(codes, other) for other in chosen)
        if ok:
            chosen.append(codes)
        out.append(ok)
    while chosen:
        sizes = [int(c.max()) + 1 for c in chosen]
        columns = 1 + sum(sizes)
        if 1 + sum(v - 1 for v in sizes) < n or columns > _DENSE_RANK:
            break
        matrix = np.zeros((n, columns))
        matrix[:, 0] = 1.0
        offset = 1
        for codes, count in zip(chosen, sizes, strict=True):
            matrix[np.arange(n), offset + codes] = 1.0
            offset += count
        if np.linalg.matrix_rank(matrix) < n:
            break
        last = max(i for i, ok in enumerate(out) if ok)
        out[last] = False
        chosen.pop()
    return tuple(out)


def _check(study: Study, min_items: int, within: bool, engine: str) -> None:
    obs = _observations(study, min_items, within)
    design = srm_design(study, min_items=min_items, within=within, engine=engine)
    _assert_design_is_its_observations(design, obs)
    if len(obs.y) >= 2:
        assert _identifiable(design) == _identifiable_by_observations(obs)


def _awkward_study(unnamed: bool = True) -> Study:
    """A respondent rating one tie twice (two waves), within ties and (``unnamed``) two
    ratings without a respondent (else by respondents of the roles)."""
    roles = [Role(f"r{i}", f"R{i}") for i in range(4)]
    people = [Respondent(f"p{j}", roles[j % 3].id) for j in range(6)]
    source = np.array([0, 0, 0, 1, 1, 2, 2, 0, 1, 0, 0, 2, 1, 1, 0, 0])
    target = np.array([1, 2, 3, 0, 2, 0, 3, 1, 0, 0, 3, 1, 3, 2, 1, 2])
    person = np.array([0, 0, 0, 1, 1, 2, 2, 3, 4, 0, -1, -1, 1, 4, 0, 3])
    if not unnamed:
        person[10], person[11] = 3, 5
    wave = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
    rng = np.random.default_rng(4)
    scores = rng.integers(1, 6, size=(len(source), len(DIMENSION_KEYS))).astype(np.float64)
    ratings = Ratings.from_arrays(source=source, target=target, scores=scores,
                                  dimensions=DIMENSION_KEYS, roles=[r.id for r in roles],
                                  respondent=person, respondents=[p.id for p in people],
                                  wave=wave, waves=["w1", "w2"])
    return Study(metadata=Metadata(id="awkward"), instrument="rc7-classic", roles=roles,
                 respondents=people, ratings=ratings)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("chunk", [3, 1 << 18])
@pytest.mark.parametrize("within", [False, True])
def test_design_sums_of_planted_and_awkward_studies(engine: str, chunk: int, within: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(design_module, "_CHUNK_ROWS", chunk)
    for study in (planted_study(n_roles=7, n_respondents=50, n_absent=1, seed=2).study,
                  _awkward_study(), _awkward_study(unnamed=False)):
        _check(study, 5, within, engine)


@settings(max_examples=60, deadline=None)
@given(study=studies(max_roles=5, max_respondents=8, max_ratings=30, instrument="rc7",
                     with_ties=False, with_invitations=False),
       within=st.booleans(), min_items=st.integers(1, 7), chunk=st.sampled_from([2, 5, 64]),
       engine=st.sampled_from(ENGINES))
def test_design_sums_of_any_study(study: Study, within: bool, min_items: int, chunk: int,
                                  engine: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(design_module, "_CHUNK_ROWS", chunk)
        _check(study, min_items, within, engine)


def test_engines_give_the_same_design() -> None:
    study = planted_study(n_roles=9, n_respondents=80, n_absent=1, seed=8).study
    one = srm_design(study, min_items=5, engine="numpy")
    for engine in ENGINES:
        two = srm_design(study, min_items=5, engine=engine)
        for field in attrs.fields(SRMDesign):
            a, b = getattr(one, field.name), getattr(two, field.name)
            if isinstance(a, np.ndarray) and a.dtype.kind == "f":
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
            elif isinstance(a, float):
                assert a == pytest.approx(b, rel=1e-12, abs=1e-12)
            elif isinstance(a, np.ndarray):
                np.testing.assert_array_equal(a, b)
                assert a.dtype == b.dtype
            else:
                assert a == b
