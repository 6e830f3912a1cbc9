"""Write the Danish Excel survey export, its role list and the same study as canonical JSON.

The files of this folder are made by this script (``python make_files.py`` in the folder),
so that what they hold can be read here: a three-wave panel of five groups at a school and
a municipality, as Danish Excel saves a survey platform's export ("CSV (semikolonsepareret)":
UTF-8 with a byte-order mark, ``;``, CRLF, Danish headers) with the RC Survey's items
already scored (``RC1_COM`` ... ``RC7_REL``, 5 = best), a comment column, empty cells for
"don't know" and rows of targets a respondent skipped; a role list; and ``study.json``,
the same study in the canonical JSON.  ``tests/test_danish_export.py`` imports the first two
with the commands of ``docs/csv.md`` and compares the analysis with that of the third.

The psychologists are two people who rate the teachers in every wave: six ratings, two
respondents, so the minimum-respondent rule withholds the tie - unless the respondents are
lost on the way and every rating counts as a person.
"""

from __future__ import annotations

import random
from pathlib import Path

from relcoord import Metadata, Rating, Respondent, Role, Study, dump

HERE = Path(__file__).resolve().parent
ITEMS = ("RC1_COM", "RC2_COM", "RC3_COM", "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")
KEYS = ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
        "shared_knowledge", "mutual_respect")
WAVES = ("2023-forår", "2023-efterår", "2024-forår")
#: code, name, organisation, present, English name, people
GROUPS = (
    ("Lærere", "Lærere i udskolingen", "Skole", True, "Teachers", 8),
    ("Pædagoger", "Pædagoger", "Skole", True, "Pedagogues", 6),
    ("Ledelse", "Skoleledelse", "Skole", True, "School management", 5),
    ("Psykologer", "PPR-psykologer", "Kommune", True, "Psychologists", 2),
    ("Sundhedsplejersker", "Sundhedsplejersker", "Kommune", True, "Health visitors", 3),
    ("Socialrådgivere", "Socialrådgivere", "Kommune", False, "Social workers", 0),
)
TITLE = "Trivsel i udskolingen 2023-2024"


def main() -> None:
    rng = random.Random(2024)
    codes = [g[0] for g in GROUPS]
    people = [(f"R-{100 + 10 * g + i}", code)
              for g, (code, *_, count) in enumerate(GROUPS) for i in range(count)]
    rows: list[list[str]] = []
    ratings: list[Rating] = []
    for wave in WAVES:
        for person, own in people:
            if own != "Psykologer" and rng.random() < 0.1:
                continue  # not at this wave
            for target in codes:
                if own == "Psykologer" and target != "Lærere":
                    continue  # the psychologists rate the teachers only
                scores: list[float | None] = []
                for key in KEYS:
                    if rng.random() < 0.06:
                        scores.append(None)  # "ved ikke": an empty cell
                    elif key == "frequent":
                        scores.append(float(rng.choice((1, 2, 3, 3, 4, 5, 5, 5))))
                    else:
                        scores.append(float(rng.choice((2, 3, 3, 4, 4, 4, 5, 5))))
                if rng.random() < 0.04:
                    scores = [None] * len(KEYS)  # a target the respondent skipped
                comment = rng.choice(("", "", "", "god dialog", "svært at nå; travlt"))
                rows.append([person, own, target, wave,
                             *("" if s is None else f"{s:g}" for s in scores), comment])
                if any(s is not None for s in scores):
                    ratings.append(Rating(source=own, target=target, respondent=person,
                                          wave=wave, scores=dict(zip(KEYS, scores,
                                                                     strict=True))))
    header = ["Respondent-ID", "Faggruppe", "Vurderet faggruppe", "Bølge", *ITEMS, "Kommentar"]

    def line(cells: list[str]) -> str:
        return ";".join(f'"{c}"' if ";" in c else c for c in cells) + "\r\n"

    (HERE / "survey.csv").write_text("\ufeff" + "".join(map(line, [header, *rows])),
                                     encoding="utf-8", newline="")
    roles = [["Kode", "Navn", "Organisation", "Til stede", "Navn_en"]]
    roles += [[code, name, org, "ja" if present else "nej", english]
              for code, name, org, present, english, _ in GROUPS]
    (HERE / "roles.csv").write_text("\ufeff" + "".join(map(line, roles)), encoding="utf-8",
                                    newline="")
    study = Study(
        metadata=Metadata(id="trivsel-2024", title=TITLE, language="da"), instrument="rc7",
        roles=[Role(code, name, org, present=present, names={"en": english})
               for code, name, org, present, english, _ in GROUPS],
        respondents=[Respondent(p, r) for p, r in people],
        ratings=ratings,
    )
    dump(study, HERE / "study.json")


if __name__ == "__main__":
    main()
