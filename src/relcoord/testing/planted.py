"""Studies with planted Social Relations Model effects, to check an SRM estimator against.

[`planted_study`][relcoord.testing.planted.planted_study] draws an unbalanced, incomplete RC study
from the model that [`relcoord.metrics.srm`][relcoord.metrics.srm] estimates: respondents nested in
rater roles of unequal size, each rater role rating a random subset of the other roles (some of them
absent roles that never rate), each respondent skipping some of their role's targets, and every
respondent-tie RC ``mean + a[rater role] + b[target role] + g[tie] + p[respondent] + e``
with normal effects of the variances asked for.  The answers are whole scores, so the
latent value is turned into answers by *dithered rounding* (``floor(x + U)``, ``U`` uniform
on ``[0, 1)``; its mean is ``x``) and clipped to the scale: the rounding adds a little
residual variance (at most 1/4 per item, divided by the number of items).

``scale="rc7"`` gives the seven RC items on their 1-5 scores (keep the total variance
small, about 0.5, so that little is clipped); ``scale="fine"`` one item scored 0.00 to
10.00 in steps of 0.01, nearly continuous, for checks that need the planted variances
exactly.  Everything is drawn from ``numpy.random.default_rng(seed)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.instruments import DIMENSION_KEYS, Dimension, Instrument, get_instrument
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.ratings import Ratings

__all__ = ["DEFAULT_VARIANCES", "FINE_INSTRUMENT", "PlantedStudy", "planted_study"]

#: Planted variances used when none are given (total 0.5 on the RC scale).
DEFAULT_VARIANCES: Final = {"rater": 0.05, "target": 0.1, "relationship": 0.15,
                            "respondent": 0.05, "residual": 0.15}

#: One item scored 0.00 .. 10.00 in steps of 0.01: ratings that are nearly continuous.
FINE_INSTRUMENT: Final = Instrument(
    id="fine",
    title="one finely scored item",
    dimensions=[Dimension(key="frequent", sub_index="communication", names={},
                          answers={}, scoring=[k / 100 for k in range(1001)])],
)


@attrs.frozen
class PlantedStudy:
    """A drawn study and the effects planted in it (``relationship`` keyed by
    ``(source, target)``; only the effects of roles and ties that occur)."""

    study: Study
    mean: float
    variances: Mapping[str, float]
    rater: Mapping[str, float]
    target: Mapping[str, float]
    relationship: Mapping[tuple[str, str], float]


def planted_study(
    *,
    n_roles: int = 8,
    n_respondents: int = 200,
    n_absent: int = 2,
    coverage: float = 0.6,
    response: float = 0.85,
    variances: Mapping[str, float] | None = None,
    mean: float = 3.3,
    within: bool = False,
    scale: Literal["rc7", "fine"] = "rc7",
    seed: int = 0,
) -> PlantedStudy:
    """An RC study drawn from the SRM with the given variances (see the module docstring).

    Args:
        n_roles: roles in all; the last ``n_absent`` of them have no respondents.
        n_respondents: respondents, spread over the present roles unequally (role sizes
            drawn from a gamma distribution); a present role may end up with none.
        coverage: chance that a rater role rates a given other role (each rates one at
            least).
        response: chance that a respondent rates a given target of their role (each rates
            one at least).
        variances: ``rater``, ``target``, ``relationship``, ``respondent``, ``residual``
            (default [`DEFAULT_VARIANCES`][relcoord.testing.planted.DEFAULT_VARIANCES]).
        mean: the grand mean.
        within: whether rater roles also rate themselves.
        scale: ``"rc7"`` or ``"fine"`` (see the module docstring).
        seed: the seed of ``numpy.random.default_rng``.
    """
    rng = np.random.default_rng(seed)
    v = dict(DEFAULT_VARIANCES if variances is None else variances)
    present = n_roles - n_absent
    if present < 1:
        raise ValueError("planted_study needs at least one present role")
    ids = [f"role-{i:02d}" for i in range(n_roles)]
    person_role = rng.choice(present, size=n_respondents, p=_weights(rng, present))
    a = rng.normal(0.0, np.sqrt(v["rater"]), n_roles)
    b = rng.normal(0.0, np.sqrt(v["target"]), n_roles)
    g = rng.normal(0.0, np.sqrt(v["relationship"]), (n_roles, n_roles))
    p = rng.normal(0.0, np.sqrt(v["respondent"]), n_respondents)
    rates = rng.random((n_roles, n_roles)) < coverage
    np.fill_diagonal(rates, within)
    for i in np.flatnonzero(~rates[:present].any(axis=1)):  # every rater role rates someone
        others = [j for j in range(n_roles) if j != i] or [int(i)]
        rates[i, rng.choice(others)] = True
    answered = (rng.random((n_respondents, n_roles)) < response) & rates[person_role]
    for r in np.flatnonzero(~answered.any(axis=1)):  # every respondent rates someone
        answered[r, rng.choice(np.flatnonzero(rates[person_role[r]]))] = True
    person, target = np.nonzero(answered)
    source = person_role[person]
    latent = (mean + a[source] + b[target] + g[source, target] + p[person]
              + rng.normal(0.0, np.sqrt(v["residual"]), len(person)))
    instrument = FINE_INSTRUMENT if scale == "fine" else get_instrument("rc7")
    if scale == "fine":
        scores = np.clip(np.floor(latent * 100 + rng.random(len(person))), 0, 1000) / 100
        scores = scores.reshape(-1, 1)
    else:
        dither = rng.random((len(person), len(DIMENSION_KEYS)))
        scores = np.clip(np.floor(latent[:, None] + dither), 1, 5)
    width = len(str(max(n_respondents - 1, 1)))
    people = [f"p{i:0{width}d}" for i in range(n_respondents)]
    study = Study(
        metadata=Metadata(id=f"planted-{seed}"),
        instrument=instrument,
        roles=[Role(r, r.replace("-", " "), present=i < present) for i, r in enumerate(ids)],
        respondents=[Respondent(people[i], ids[person_role[i]]) for i in range(n_respondents)],
        ratings=Ratings.from_arrays(
            source=source, target=target, respondent=person, respondents=people,
            scores=scores, dimensions=instrument.keys, roles=ids,
        ),
    )
    used_sources, used_targets = set(source.tolist()), set(target.tolist())
    return PlantedStudy(
        study=study,
        mean=mean,
        variances=v,
        rater={ids[i]: float(a[i]) for i in sorted(used_sources)},
        target={ids[j]: float(b[j]) for j in sorted(used_targets)},
        relationship={(ids[i], ids[j]): float(g[i, j])
                      for i, j in sorted(set(zip(source.tolist(), target.tolist(), strict=True)))},
    )


def _weights(rng: np.random.Generator, n: int) -> npt.NDArray[np.float64]:
    """Unequal shares of the respondents per present role."""
    raw = rng.gamma(2.0, 1.0, n)
    return np.asarray(raw / raw.sum(), dtype=np.float64)
