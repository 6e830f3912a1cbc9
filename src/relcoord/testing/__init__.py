"""Test helpers for relcoord and its plugins.

- `relcoord.testing.conformance`:
  [`assert_roundtrip`][relcoord.testing.conformance.assert_roundtrip], the round-trip check every
  format's tests call;
- `relcoord.testing.pytest_plugin`: the pytest plugin (fixtures
  ``relcoord_host`` and ``relcoord_roundtrip``), registered through the ``pytest11`` entry point;
- `relcoord.testing.strategies`: hypothesis strategies for studies
  (import it explicitly; it needs hypothesis);
- `relcoord.testing.planted`: `planted_study` draws a study from the
  Social Relations Model with known effects, to check an SRM estimator against;
- [`relcoord.testing.fuzzing`][relcoord.testing.fuzzing]: the corpus of valid inputs per importer
  ([`register_corpus`][relcoord.testing.fuzzing.register_corpus] adds a plugin's), hypothesis
  mutations of them, and the verdicts of the fuzz tests in ``tests/fuzz`` (import it explicitly; it
  needs hypothesis);
- `relcoord.testing.fake_distributions`: `make_distribution`
  writes a fake installed distribution with entry points, to test how a plugin host loads (or fails
  to load) a plugin without installing one.
"""

from relcoord.testing.conformance import (
    assert_roundtrip,
    assert_same_output,
    network_file_carries,
    study_differences,
)

__all__ = ["assert_roundtrip", "assert_same_output", "network_file_carries", "study_differences"]
