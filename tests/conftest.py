"""Shared test set-up: hypothesis profiles and the shared real data (path and study)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from relcoord import Metadata, Ratings, Respondent, Role, Study
from relcoord.instruments import DIMENSION_KEYS

settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=25, deadline=None)
# A long fuzzing run by hand: HYPOTHESIS_PROFILE=fuzz pytest tests/fuzz
settings.register_profile("fuzz", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` beside the checkout (override with ``RELCOORD_SHARED``)."""
    return Path(os.environ.get("RELCOORD_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def elipfad_csv() -> Path:
    """The eliPfad RC items (CC BY-NC 4.0, read in place, never copied); skip when absent."""
    path = shared_dir() / "data" / "elipfad" / "rc_items.csv"
    if not path.is_file():
        pytest.skip(f"real data set not found at {path}")
    return path


#: The eliPfad CSV's item columns, in the order of the RC items.
ELIPFAD_ITEMS = ("RC1_COM", "RC2_COM", "RC3_COM", "RC4_COM", "RC5_REL", "RC6_REL", "RC7_REL")


@pytest.fixture(scope="session")
def elipfad_study(elipfad_csv: Path) -> Study:
    """The eliPfad survey as a study: each row one GP rating the role "hospital
    physicians" on the seven (scored) RC items; skip when the data is absent."""
    with elipfad_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    items = np.array([[float(r[c]) if r[c] != "" else np.nan for c in ELIPFAD_ITEMS]
                      for r in rows], dtype=np.float64)
    people = [f"gp{int(r['row']):04d}" for r in rows]
    n = len(rows)
    return Study(
        metadata=Metadata(id="elipfad", title="eliPfad GP survey"),
        instrument="rc7",
        roles=[Role("gps", "General practitioners"),
               Role("hospital_physicians", "Hospital physicians")],
        respondents=[Respondent(p, "gps") for p in people],
        ratings=Ratings.from_arrays(
            source=np.zeros(n, dtype=np.int32), target=np.ones(n, dtype=np.int32),
            scores=items, dimensions=DIMENSION_KEYS, roles=("gps", "hospital_physicians"),
            respondent=np.arange(n, dtype=np.int32), respondents=people,
        ),
    )
