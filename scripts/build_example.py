"""Build the embedded example study (``src/relcoord/data/example.json``), deterministically.

The example is **illustrative**.  It is modelled on the three closing conferences of
Psykiatrifonden's project *Trivsel Smiley* (autumn 2019, about 100 participants from Danish
vocational schools and municipalities), as described in the article "Relationers betydning for
at erhvervsskoleelever får den rette og rigtige hjælp - Styrken ved relationel koordinering".
The conferences' raw data was never published: every respondent, arrow, rating and invitation
below is *generated* so that the patterns the article reports are present in the data:

1. most arrows point to teachers and school leaders, who themselves point to few others;
2. health staff, the municipal youth service (KUI) and internship instructors point to many
   groups, but few point back (overlooked resources);
3. ties inside a school or inside a municipality are rated well, ties between school and
   municipality poorly;
4. 13 function groups were present and 11 more were named (arrows point to them) but absent;
5. teachers lack dialogue: their ratings of municipal actors are the lowest, and few balkort
   invitations to or from teachers are accepted.

Run ``python scripts/build_example.py`` to rewrite the file; ``--check`` only compares.
The output depends on nothing but this script and relcoord (seeded numpy generator), and a
test regenerates it and compares byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import numpy as np

import relcoord
from relcoord import Invitation, Metadata, NamedTie, Respondent, Role, Study
from relcoord.instruments import get_instrument
from relcoord.model import InvitationStatus
from relcoord.ratings import Ratings

SEED: Final = 20191001
WAVES: Final = ("konference-1", "konference-2", "konference-3")
DEFAULT_OUTPUT: Final = (
    Path(__file__).resolve().parents[1] / "src" / "relcoord" / "data" / "example.json"
)

SCHOOL, MUNICIPALITY = "school", "municipality"

#: (id, Danish name, English name, German name, organisation, respondents, source)
#: "article": the article names the group; "invented": chosen by us as plausible.
PRESENT: Final = (
    ("teachers", "Undervisere", "Teachers", "Lehrkräfte", SCHOOL, 14, "article"),
    ("school-leaders", "Skoleledere", "School leaders", "Schulleitungen", SCHOOL, 10, "article"),
    ("student-counsellors", "Studievejledere", "Student counsellors", "Studienberatung",
     SCHOOL, 10, "article"),
    ("sps-advisers", "SPS-vejledere", "SPS advisers (special educational support)",
     "SPS-Beratung (sonderpädagogische Unterstützung)", SCHOOL, 7, "article"),
    ("mentors", "Mentorer", "Mentors", "Mentorinnen und Mentoren", SCHOOL, 7, "article"),
    ("wellbeing-coordinators", "Trivselskoordinatorer", "Wellbeing coordinators",
     "Koordination für Wohlbefinden", SCHOOL, 6, "invented"),
    ("residence-staff", "Elevhjemsmedarbejdere", "Student residence staff",
     "Personal des Schülerwohnheims", SCHOOL, 5, "invented"),
    ("social-workers", "Socialrådgivere", "Social workers", "Sozialarbeit", MUNICIPALITY, 9,
     "article"),
    ("health-staff", "Sundhedsmedarbejdere (psykologer, misbrugskonsulenter)",
     "Health staff (psychologists, addiction counsellors)",
     "Gesundheitspersonal (Psychologie, Suchtberatung)", MUNICIPALITY, 7, "article"),
    ("kui", "Kommunal ungeindsats (KUI)", "Municipal youth service (KUI)",
     "Kommunaler Jugenddienst (KUI)", MUNICIPALITY, 9, "article"),
    ("internship-instructors", "Praktikinstruktører", "Internship instructors",
     "Praktikumsanleitung", MUNICIPALITY, 6, "article"),
    ("job-centre", "Jobcenterkonsulenter", "Job-centre consultants",
     "Beratung im Jobcenter", MUNICIPALITY, 5, "article"),
    ("ssp", "SSP-konsulenter", "SSP consultants (school, social services and police)",
     "SSP-Beratung (Schule, Sozialdienst, Polizei)", MUNICIPALITY, 5, "invented"),
)

#: Groups named (arrows point to them) but absent.  The article gives their number only, so
#: every one is invented.
ABSENT: Final = (
    ("student-administration", "Studieadministration", "Student administration",
     "Studienverwaltung", SCHOOL),
    ("apprenticeship-centre", "Praktikcenter", "Apprenticeship centre", "Ausbildungszentrum",
     SCHOOL),
    ("reading-advisers", "Læsevejledere", "Reading advisers", "Leseberatung", SCHOOL),
    ("student-council", "Elevråd", "Student council", "Schülervertretung", SCHOOL),
    ("family-services", "Familieafdeling", "Family services", "Familienabteilung",
     MUNICIPALITY),
    ("ppr", "Pædagogisk Psykologisk Rådgivning (PPR)",
     "Educational psychology service (PPR)", "Schulpsychologischer Dienst (PPR)",
     MUNICIPALITY),
    ("benefits-office", "Ydelseskontor", "Benefits office", "Leistungsstelle", MUNICIPALITY),
    ("disability-services", "Handicap og socialpsykiatri",
     "Disability and social psychiatry services", "Eingliederungshilfe und Sozialpsychiatrie",
     MUNICIPALITY),
    ("youth-school", "Ungdomsskolen", "Municipal youth school", "Jugendschule",
     MUNICIPALITY),
    ("integration", "Integrationsmedarbejdere", "Integration officers",
     "Integrationsberatung", MUNICIPALITY),
    ("youth-counselling", "Anonym ungerådgivning", "Anonymous youth counselling",
     "Anonyme Jugendberatung", MUNICIPALITY),
)

#: Each present group's important partners (its relationskort arrows), before the small
#: per-conference variation.  Teachers and school leaders name few; health staff, KUI and
#: internship instructors name many, and few name them back.
ARROWS: Final[dict[str, tuple[str, ...]]] = {
    "teachers": ("school-leaders", "student-counsellors", "mentors", "social-workers"),
    "school-leaders": ("teachers", "student-counsellors", "wellbeing-coordinators"),
    "student-counsellors": ("teachers", "school-leaders", "sps-advisers", "mentors",
                            "social-workers", "kui", "student-administration"),
    "sps-advisers": ("teachers", "student-counsellors", "school-leaders", "mentors",
                     "reading-advisers"),
    "mentors": ("teachers", "student-counsellors", "school-leaders", "residence-staff",
                "social-workers"),
    "wellbeing-coordinators": ("teachers", "school-leaders", "student-counsellors", "mentors",
                               "health-staff", "student-council"),
    "residence-staff": ("teachers", "mentors", "school-leaders", "student-counsellors"),
    "social-workers": ("teachers", "school-leaders", "student-counsellors", "kui",
                       "job-centre", "family-services", "disability-services"),
    "health-staff": ("teachers", "school-leaders", "student-counsellors", "sps-advisers",
                     "mentors", "wellbeing-coordinators", "social-workers", "kui",
                     "job-centre", "youth-counselling", "ppr", "family-services"),
    "kui": ("teachers", "school-leaders", "student-counsellors", "sps-advisers", "mentors",
            "social-workers", "job-centre", "health-staff", "internship-instructors",
            "youth-school", "apprenticeship-centre", "benefits-office"),
    "internship-instructors": ("teachers", "school-leaders", "student-counsellors", "mentors",
                               "job-centre", "social-workers", "residence-staff",
                               "apprenticeship-centre", "integration"),
    "job-centre": ("kui", "social-workers", "school-leaders", "teachers", "benefits-office",
                   "integration", "internship-instructors"),
    "ssp": ("teachers", "school-leaders", "social-workers", "residence-staff", "youth-school"),
}

#: Chance that a group leaves out one of its usual arrows at a conference.
DROP_ARROW: Final = 0.12
#: Mean item score of a tie by kind (before the per-tie and per-person noise).
MEAN_INTERNAL: Final = 4.45
MEAN_EXTERNAL: Final = 2.85
MEAN_TEACHERS_TO_MUNICIPALITY: Final = 2.2
#: Offsets per communication quality: frequency is the weakest, accuracy the strongest.
DIMENSION_OFFSET: Final = {"frequent": -0.2, "timely": -0.1, "accurate": 0.15,
                           "problem_solving": 0.05}
#: Share of items answered "don't know" (missing, not low).
MISSING_SHARE: Final = 0.03

#: Balkort dialogue topics (Danish, as written on the cards).
TOPICS: Final = (
    "Hvem kontakter vi, når en elev mistrives?",
    "Beredskabsplan for elever i mistrivsel",
    "Overlevering af viden om eleven",
    "Tidlig opsporing på grundforløbet",
    "Fravær og frafald i praktikken",
    "Misbrug blandt elever",
    "Fælles uddannelsesplan for den unge",
    "Mentorstøtte og SPS",
)


def roles() -> list[Role]:
    """The 13 present and 11 absent function groups, Danish names first."""
    out = [
        Role(id=rid, name=da, names={"en": en, "de": de}, organisation=org, present=True)
        for rid, da, en, de, org, _n, _src in PRESENT
    ]
    out += [
        Role(id=rid, name=da, names={"en": en, "de": de}, organisation=org, present=False)
        for rid, da, en, de, org in ABSENT
    ]
    return out


def respondents() -> tuple[list[Respondent], dict[str, str]]:
    """About 100 anonymous participants, each in a present group, spread over the conferences.

    Returns the respondents and the conference each one attended.
    """
    people: list[Respondent] = []
    attended: dict[str, str] = {}
    number = 0
    for rid, *_names, _org, size, _src in PRESENT:
        for k in range(size):
            number += 1
            pid = f"p{number:03d}"
            people.append(Respondent(id=pid, role=rid))
            attended[pid] = WAVES[k % len(WAVES)]
    return people, attended


def ties(rng: np.random.Generator) -> list[NamedTie]:
    """The arrows each present group drew at each conference."""
    out: list[NamedTie] = []
    for wave in WAVES:
        for source, targets in ARROWS.items():
            keep = rng.random(len(targets)) >= DROP_ARROW
            out += [NamedTie(source, t, wave) for t, k in zip(targets, keep, strict=True) if k]
    return out


def tie_mean(source: Role, target: Role) -> float:
    """The expected item score of ``source -> target`` (see the module docstring)."""
    if source.id == "teachers" and target.organisation == MUNICIPALITY:
        return MEAN_TEACHERS_TO_MUNICIPALITY
    if source.organisation == target.organisation:
        return MEAN_INTERNAL
    return MEAN_EXTERNAL


def ratings(rng: np.random.Generator, study: Study, attended: dict[str, str]) -> Ratings:
    """Every participant rates the four communication qualities of each arrow of their group
    at their conference (respondent-level relationskort ratings)."""
    keys = study.instrument.keys
    by_id = {r.id: r for r in study.roles}
    pairs = sorted({(t.source, t.target) for t in study.ties})
    tie_effect = {pair: float(rng.normal(0.0, 0.2)) for pair in pairs}
    source, target, person, wave, rows = [], [], [], [], []
    for p in study.respondents:
        leniency = float(rng.normal(0.0, 0.25))
        w = attended[p.id]
        for tie in (t for t in study.ties if t.source == p.role and t.wave == w):
            mean = (tie_mean(by_id[tie.source], by_id[tie.target])
                    + tie_effect[(tie.source, tie.target)] + leniency)
            raw = mean + np.array([DIMENSION_OFFSET[k] for k in keys]) + rng.normal(0, 0.55, 4)
            items = np.clip(np.rint(raw), 1, 5)
            items[rng.random(len(keys)) < MISSING_SHARE] = np.nan
            source.append(tie.source)
            target.append(tie.target)
            person.append(p.id)
            wave.append(w)
            rows.append(items)
    return Ratings.from_labels(
        source=source, target=target, respondent=person, wave=wave,
        scores=np.array(rows), dimensions=keys,
    )


def _status(rng: np.random.Generator, with_teachers: bool) -> InvitationStatus:
    statuses: tuple[InvitationStatus, ...] = ("accepted", "held", "declined", "pending")
    weights = (0.1, 0.05, 0.45, 0.4) if with_teachers else (0.45, 0.3, 0.1, 0.15)
    return statuses[int(rng.choice(len(statuses), p=weights))]


def invitations(rng: np.random.Generator) -> list[Invitation]:
    """Balkort: at each conference each present group invites two or three present groups,
    mostly across the school/municipality line; few invitations with teachers are accepted."""
    present = [rid for rid, *_rest in PRESENT]
    org = {rid: o for rid, _da, _en, _de, o, _n, _s in PRESENT}
    out: list[Invitation] = []
    for wave in WAVES:
        for source in present:
            others = [t for t in present if t != source]
            weight = np.array([3.0 if org[t] != org[source] else 1.0 for t in others])
            if source == "teachers":  # teachers ask the municipal actors for dialogue
                weight = np.array([4.0 if org[t] == MUNICIPALITY else 0.5 for t in others])
            count = 2 + int(rng.random() < 0.5)
            picks = rng.choice(len(others), size=count, replace=False, p=weight / weight.sum())
            for i in sorted(int(k) for k in picks):
                target = others[i]
                teachers = "teachers" in (source, target)
                out.append(Invitation(
                    source=source, target=target, topic=TOPICS[int(rng.integers(len(TOPICS)))],
                    status=_status(rng, teachers), wave=wave,
                ))
    return out


DESCRIPTION: Final = (
    "ILLUSTRATIVE DATA. Modelled on the three closing conferences of Psykiatrifonden's "
    "project Trivsel Smiley (autumn 2019, about 100 participants from vocational schools and "
    "municipalities; relationskort and balkort facilitated by TeamArbejdsliv). The real "
    "conference data was never published: respondents, arrows, ratings and invitations are "
    "generated by scripts/build_example.py (seeded) so that the patterns the article "
    "reports are present. Do not cite these figures as findings. "
    "ILLUSTRATIVE DATA. Modelleret over Trivsel Smileys tre afslutningskonferencer (efteråret "
    "2019); de rigtige data er aldrig offentliggjort, og alle tal her er konstrueret."
)


def build(seed: int = SEED) -> Study:
    """The example study, the same for the same seed."""
    rng = np.random.default_rng(seed)
    people, attended = respondents()
    base = Study(
        metadata=Metadata(
            id="trivsel-smiley-2019",
            title="Trivsel Smiley 2019: relationel koordinering mellem erhvervsskoler og "
                  "kommuner (illustrativt eksempel)",
            focal_process="Tidlig opsporing og håndtering af erhvervsskoleelever i mistrivsel",
            language="da",
            description=DESCRIPTION,
        ),
        instrument=get_instrument("relationskort"),
        roles=roles(),
        respondents=people,
        ties=ties(rng),
        invitations=invitations(rng),
    )
    return base.with_ratings(ratings(rng, base, attended))


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the example file; exit status 1 when it differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the file is not what the script builds")
    args = parser.parse_args(argv)
    study = build()
    if args.check:
        # relcoord.dump writes exactly relcoord.dumps(study) as UTF-8 with "\n" line ends
        same = (args.output.is_file()
                and relcoord.dumps(study).encode("utf-8") == args.output.read_bytes())
        sys.stderr.write(f"{args.output}: {'up to date' if same else 'OUT OF DATE'}\n")
        return 0 if same else 1
    relcoord.dump(study, args.output)
    sys.stderr.write(f"wrote {args.output}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
