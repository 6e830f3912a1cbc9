"""Fuzzing every built-in exporter: generated studies with hostile names are written, or
refused with relcoord's own error that leaves nothing behind (issue 17).

Names and ids are drawn from text that has broken writers: quotes, delimiters, formula
prefixes, markup, characters XML cannot hold (U+FFFE, escape characters), line breaks of
every kind, very long names (:func:`relcoord.testing.fuzzing.hostile_studies`).  The slow
exporter (pictures) gets a few examples, the others a quarter of the profile's; a plugin's
exporters are fuzzed in its own tests (``plugins/*/tests/test_fuzz_*.py``).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.errors import RelcoordError
from relcoord.formats.format_type import Format
from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import assert_writes_cleanly, fuzz_export

HOST = PluginHost()
#: The built-in exporters; a plugin fuzzes its own in its tests (``plugins/*/tests/
#: test_fuzz_*.py``, checked by ``test_fuzz_coverage.py``).
EXPORTERS = PluginHost(entry_points=list, environ={}).exporters()
#: Exporters that draw pictures: seconds per example.
SLOW = {"figures"}

#: Examples per exporter: a quarter of the profile's (``ci``: 15), and a thirtieth for the
#: slow ones (``ci``: 2); ``HYPOTHESIS_PROFILE=fuzz`` raises both.
FAST_EXAMPLES = max(10, settings().max_examples // 4)
SLOW_EXAMPLES = max(2, settings().max_examples // 30)


def _check_export(format: Format, data: st.DataObject) -> None:
    fuzz_export(HOST, format.id, data.draw)


@pytest.mark.parametrize("format", [f for f in EXPORTERS if f.id not in SLOW],
                         ids=lambda f: f.id)
@settings(max_examples=FAST_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_exporters_write_or_refuse_cleanly(format: Format, data: st.DataObject) -> None:
    _check_export(format, data)


@pytest.mark.parametrize("format", [f for f in EXPORTERS if f.id in SLOW], ids=lambda f: f.id)
@settings(max_examples=SLOW_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_slow_exporters_write_or_refuse_cleanly(format: Format, data: st.DataObject) -> None:
    _check_export(format, data)


def test_a_role_name_xml_cannot_hold_is_refused_without_litter(tmp_path: Path) -> None:
    from relcoord.example import load_example

    study = load_example()
    roles = [attrs.evolve(r, name="bad \ufffe") if i == 0 else r
             for i, r in enumerate(study.roles)]
    result = assert_writes_cleanly(HOST, attrs.evolve(study, roles=roles), tmp_path,
                                   format="graphml", name="n.graphml")
    assert isinstance(result, RelcoordError)
    assert list(tmp_path.iterdir()) == []

