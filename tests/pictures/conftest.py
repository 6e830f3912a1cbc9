"""Shared set-up of the picture tests: the example study's analysis, computed once."""

from __future__ import annotations

import pytest

from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example


@pytest.fixture(scope="session")
def example_analysis() -> Analysis:
    """The embedded example, analysed with the default settings."""
    return analyze(load_example())
