"""Realistic generated studies of any size, for tests and for trying the report at scale.

[`care_study`][relcoord.testing.surveys.care_study] builds a study of the collaboration around older
patients discharged from hospital to home care: hospital wards, municipal home care and therapy,
general practice and the region, with Danish names (English names beside them), the way a
municipality would run a Relational Coordination survey or a relationskort workshop.  It
is not the embedded example (Trivsel Smiley, vocational schools and municipalities): a
report has to read right for another field too.

What makes it realistic rather than tidy, all drawn from a seeded generator so that the
same arguments give the same study:

* groups of unequal size (one or two respondents in some groups, twenty in others), so the
  minimum-respondent rule withholds some ties (Gittell 2016, appendix: RC is measured
  between work roles of very different size);
* missing answers: respondents skip some roles and some items;
* ratings that are higher inside an organisation than across organisations, and some
  pairs that see their collaboration differently, as the seed article reports for
  vocational schools and municipalities (Psykiatrifonden, *Trivsel Smiley*, 2019);
* for a ``"relationskort"`` study, named arrows (some one-sided) and roles that were named
  but not present; for both kinds, a few dialogue invitations in every status.

>>> from relcoord.testing.surveys import care_study
>>> study = care_study(40)
>>> len(study.roles)
40
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np

from relcoord.instruments import get_instrument
from relcoord.model import (
    INVITATION_STATUSES,
    Invitation,
    Metadata,
    NamedTie,
    Respondent,
    Role,
    Study,
)
from relcoord.ratings import Ratings

__all__ = ["CARE_ROLES", "NAMES_ALSO_IN", "StudyKind", "care_study"]

#: The studies are in Danish (their roles' names and metadata); each role's name in this
#: language is given beside it, as a study file gives it (``names``).
NAMES_ALSO_IN: Final = "en"

StudyKind = Literal["survey", "relationskort"]

#: The roles of [`care_study`][relcoord.testing.surveys.care_study]: (id, organisation, Danish name,
#: English name), grouped
#: by organisation.  Names start with Æ, Ø and Å too, so that sorting is tested.
CARE_ROLES: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("emergency", "hospital", "Akutmodtagelsen", "Emergency department"),
    ("medical-nurses", "hospital", "Medicinsk afdeling, sygeplejersker",
     "Medical ward, nurses"),
    ("medical-doctors", "hospital", "Medicinsk afdeling, læger", "Medical ward, doctors"),
    ("geriatrics", "hospital", "Geriatrisk afdeling", "Geriatric ward"),
    ("orthopaedics", "hospital", "Ortopædkirurgisk afdeling", "Orthopaedic ward"),
    ("discharge", "hospital", "Udskrivningskoordinatorer", "Discharge coordinators"),
    ("hospital-physio", "hospital", "Hospitalsfysioterapeuter", "Hospital physiotherapists"),
    ("hospital-ot", "hospital", "Hospitalsergoterapeuter",
     "Hospital occupational therapists"),
    ("pharmacy", "hospital", "Sygehusapoteket", "Hospital pharmacy"),
    ("psychiatry", "hospital", "Psykiatrisk akutmodtagelse", "Psychiatric emergency unit"),
    ("palliative", "hospital", "Palliativt team", "Palliative care team"),
    ("dietitians", "hospital", "Kliniske diætister", "Clinical dietitians"),
    ("hospital-social", "hospital", "Hospitalssocialrådgivere", "Hospital social workers"),
    ("home-care-day", "municipality", "Hjemmeplejen, dag", "Home care, day"),
    ("home-care-night", "municipality", "Hjemmeplejen, aften og nat",
     "Home care, evening and night"),
    ("home-nurses", "municipality", "Hjemmesygeplejersker", "Home nurses"),
    ("assessment", "municipality", "Visitationen", "Needs assessment unit"),
    ("rehabilitation", "municipality", "Træningscentret", "Rehabilitation centre"),
    ("municipal-physio", "municipality", "Kommunale fysioterapeuter",
     "Municipal physiotherapists"),
    ("municipal-ot", "municipality", "Kommunale ergoterapeuter",
     "Municipal occupational therapists"),
    ("devices", "municipality", "Hjælpemiddeldepotet", "Assistive devices depot"),
    ("nursing-homes", "municipality", "Plejecentrene", "Nursing homes"),
    ("acute-team", "municipality", "Akutteamet", "Municipal acute care team"),
    ("dementia", "municipality", "Demenskoordinatorer", "Dementia coordinators"),
    ("preventive", "municipality", "Forebyggende hjemmebesøg", "Preventive home visits"),
    ("health-centre", "municipality", "Sundhedshuset", "Health centre"),
    ("carers", "municipality", "Pårørendekonsulenter", "Carer support advisers"),
    ("meals", "municipality", "Madservice", "Meals service"),
    ("elders-council", "municipality", "Ældrerådet", "Older people's council"),
    ("gps", "general-practice", "Praktiserende læger", "General practitioners"),
    ("out-of-hours", "general-practice", "Lægevagten", "Out-of-hours GP service"),
    ("practice-nurses", "general-practice", "Praksissygeplejersker", "Practice nurses"),
    ("pharmacies", "general-practice", "Apotekerne", "Community pharmacies"),
    ("private-physio", "general-practice", "Privatpraktiserende fysioterapeuter",
     "Private physiotherapists"),
    ("dental", "general-practice", "Omsorgstandplejen", "Dental care for frail patients"),
    ("eye", "general-practice", "Øjenlæger", "Eye specialists"),
    ("advice-line", "region", "Akuttelefonen 1813", "Medical helpline 1813"),
    ("ambulances", "region", "Præhospitalet (ambulancer)", "Prehospital service (ambulances)"),
    ("open-dialogue", "region", "Åben Dialog-teamet", "Open Dialogue team"),
    ("patient-office", "region", "Patientkontoret", "Patient office"),
)
_DISTRICTS: Final = (("", ""), (", distrikt Nord", ", north district"),
                     (", distrikt Syd", ", south district"))
_TOPICS: Final = (
    "Hvem ringer vi til ved en akut forværring?",
    "Overlevering ved udskrivelse",
    "Fælles plan for genoptræning",
    "Medicinlister, der passer",
    "Pårørende i udskrivelsen",
    "Hjælpemidler klar ved hjemkomst",
)


def _roles(n_roles: int) -> list[tuple[str, str, str, str]]:
    """``n_roles`` roles spread over the organisations (districts added beyond 40)."""
    if n_roles < 2:
        raise ValueError("a study needs at least 2 roles")
    picked: list[tuple[str, str, str, str]] = []
    for district_da, district_en in _DISTRICTS:
        suffix = district_en.strip(", ").replace(" ", "-")
        for role_id, org, da, en in CARE_ROLES:
            picked.append((f"{role_id}-{suffix}" if suffix else role_id, org,
                           da + district_da, en + district_en))
    if n_roles > len(picked):
        raise ValueError(f"at most {len(picked)} roles")
    # every k-th role keeps the organisations in proportion for a small study
    step = len(CARE_ROLES) / n_roles if n_roles <= len(CARE_ROLES) else 1.0
    return [picked[int(i * step)] for i in range(n_roles)]


def care_study(
    n_roles: int = 40, *, kind: StudyKind = "survey", seed: int = 2024,
    invitations: int | None = None,
) -> Study:
    """A generated study of ``n_roles`` roles in hospital, home care, general practice and
    the region (see the module docstring).

    ``kind="survey"`` is a complete RC survey (``rc7``): every respondent rates every role,
    their own included, skipping some; ``kind="relationskort"`` is a workshop map: each
    present group names its important partners (arrows) and rates those on the
    relationskort's four communication qualities; about a third of the roles named are
    absent.  ``invitations`` dialogue invitations follow (default: about one per role).
    """
    rng = np.random.default_rng(seed)
    chosen = _roles(n_roles)
    present = np.ones(n_roles, dtype=bool)
    if kind == "relationskort":
        present = rng.random(n_roles) > 0.35
        present[: 2] = True
    roles = [Role(id=i, name=da, organisation=org, present=bool(p),
                  names=((NAMES_ALSO_IN, en),))
             for (i, org, da, en), p in zip(chosen, present, strict=True)]
    ids = [r.id for r in roles]
    orgs = [r.organisation for r in roles]
    # group sizes: log-normal around 9, from 1 to 30; about one group in six is below the
    # default minimum of 5 respondents, so its own ratings are withheld
    sizes = np.where(present, np.clip(np.rint(rng.lognormal(np.log(9), 0.7, n_roles)), 1, 30),
                     0).astype(int)
    respondents = [Respondent(f"{role_id}-{k + 1:02d}", role_id)
                   for role_id, size in zip(ids, sizes, strict=True) for k in range(size)]
    # the quality of each tie: better inside an organisation, some pairs far apart
    same = np.equal.outer(np.array(orgs, dtype=object), np.array(orgs, dtype=object))
    quality = np.where(same, 4.1, 3.2) + rng.normal(0, 0.45, (n_roles, n_roles))
    gaps = rng.random((n_roles, n_roles)) < 0.08
    quality = np.where(gaps, quality - 1.0, quality)
    ties: list[NamedTie] = []
    targets_of: dict[int, list[int]] = {}
    for i in range(n_roles):
        if not present[i]:
            continue
        others = [j for j in range(n_roles) if j != i]
        if kind == "relationskort":
            count = int(np.clip(rng.poisson(5), 2, len(others)))
            named = sorted(int(j) for j in rng.choice(others, size=count, replace=False))
            ties += [NamedTie(ids[i], ids[j], "workshop") for j in named]
            targets_of[i] = named
        else:
            targets_of[i] = list(range(n_roles))
    instrument = get_instrument("relationskort" if kind == "relationskort" else "rc7")
    keys = instrument.keys
    source: list[str] = []
    target: list[str] = []
    person: list[str] = []
    rows: list[np.ndarray] = []
    role_index = {role_id: k for k, role_id in enumerate(ids)}
    for respondent in respondents:
        i = role_index[respondent.role]
        leniency = rng.normal(0, 0.35)
        for j in targets_of[i]:
            if kind == "survey" and rng.random() < 0.12:
                continue  # this role skipped
            items = np.clip(np.rint(quality[i, j] + leniency + rng.normal(0, 0.6, len(keys))),
                            1, 5)
            items[rng.random(len(keys)) < 0.06] = np.nan  # items left blank
            source.append(ids[i])
            target.append(ids[j])
            person.append(respondent.id)
            rows.append(items)
    ratings = Ratings.from_labels(
        source=source, target=target, respondent=person, wave=["workshop"] * len(source),
        scores=np.array(rows, dtype=np.float64).reshape(len(rows), len(keys)),
        dimensions=keys,
    )
    n_invitations = n_roles if invitations is None else invitations
    senders = [i for i in range(n_roles) if present[i]]
    invites: set[tuple[str, str, str]] = set()
    attempts = 0
    while len(invites) < n_invitations and attempts < 20 * n_invitations:
        attempts += 1
        i = int(rng.choice(senders))
        j = int(rng.integers(n_roles))
        if i != j:
            invites.add((ids[i], ids[j], _TOPICS[int(rng.integers(len(_TOPICS)))]))
    statuses = rng.choice(INVITATION_STATUSES, size=len(invites), p=(0.25, 0.4, 0.15, 0.2))
    title = {"survey": "Udskrivelse til eget hjem: spørgeskema om relationel koordinering",
             "relationskort": "Udskrivelse til eget hjem: relationskort og balkort"}[kind]
    return Study(
        metadata=Metadata(
            id=f"care-{kind}-{n_roles}", title=title, language="da",
            focal_process="Sikker udskrivelse af ældre medicinske patienter til eget hjem",
            description="Genererede data (relcoord.testing.surveys), ikke en rigtig "
                        "undersøgelse.",
        ),
        instrument=instrument, roles=roles, respondents=respondents, ties=ties,
        ratings=ratings,
        invitations=[Invitation(s, t, topic, str(status), "workshop")  # type: ignore[arg-type]
                     for (s, t, topic), status in zip(sorted(invites), statuses, strict=True)],
    )
