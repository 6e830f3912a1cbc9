"""Shared test set-up: hypothesis profiles and the path to the shared real data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=25, deadline=None)
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
