"""What the format tests share: a host with the built-in formats only, and the example."""

from __future__ import annotations

import pytest

from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example
from relcoord.model import Study
from relcoord.plugins import PluginHost


@pytest.fixture(scope="module")
def host() -> PluginHost:
    """A host with the built-in formats only (module-scoped, so hypothesis tests may use it)."""
    return PluginHost(entry_points=lambda: ())


@pytest.fixture(scope="session")
def example() -> tuple[Study, Analysis]:
    """The embedded example and its analysis under the default settings."""
    study = load_example()
    return study, analyze(study)
