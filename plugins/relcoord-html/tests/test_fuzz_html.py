"""Fuzzing the html exporter (the HTML report) with the core's harness (issue 17).

Generated studies with hostile role names and organisations (quotes, markup, formula
prefixes, characters XML cannot hold, line breaks of every kind) are written, or refused
with relcoord's own error that leaves nothing behind.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import fuzz_export

HOST = PluginHost()
#: The exporters these tests fuzz (``tests/fuzz/test_fuzz_coverage.py`` checks that every
#: installed exporter is fuzzed somewhere).
FUZZED_EXPORTERS = ("html",)


@pytest.mark.parametrize("format_id", FUZZED_EXPORTERS)
@settings(max_examples=max(2, settings().max_examples // 30), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_hostile_studies_are_written_or_refused_cleanly(format_id: str,
                                                        data: st.DataObject) -> None:
    fuzz_export(HOST, format_id, data.draw)
