"""Fuzzing every exporter: generated studies with hostile names are written, or refused with
relcoord's own error that leaves nothing behind (issue 17).

Names and ids are drawn from text that has broken writers: quotes, delimiters, formula
prefixes, markup, characters XML cannot hold (U+FFFE, escape characters), line breaks of
every kind, very long names.  The slow exporters (pictures, the report) get a few examples;
the others a quarter of the profile's.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.analysis import analyze
from relcoord.errors import RelcoordError
from relcoord.formats.format_type import Format
from relcoord.model import Study
from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import assert_writes_cleanly
from relcoord.testing.strategies import studies

HOST = PluginHost()
EXPORTERS = HOST.exporters()
#: Exporters that draw pictures or lay out a report: seconds per example.
SLOW = {"figures", "docx"}

HOSTILE_NAMES = st.one_of(
    st.sampled_from(['"quoted"', "a,b;c\td", "=1+2", "@SUM(A1)", "<b>&amp;</b>", "]]>",
                     "\ufffe", "\x1b", "\x1c", "\u2028", "\x85", "tab\there", "line\nbreak",
                     "æøå ÆØÅ", "x" * 300, " ", "'", "\\", "-"]),
    st.text(alphabet=st.characters(codec="utf-8"),
            min_size=1, max_size=30),
)


@st.composite
def hostile_studies(draw: st.DrawFn) -> Study:
    """A generated study whose role names (and sometimes organisations) are hostile."""
    study = draw(studies(max_roles=4, max_ratings=12))
    roles = [attrs.evolve(role, name=draw(HOSTILE_NAMES),
                          organisation=draw(st.none() | HOSTILE_NAMES))
             for role in study.roles]
    return attrs.evolve(study, roles=roles)


def _name(format: Format) -> str:
    return "out" + (format.extensions[0] if format.extensions and not format.writes_directory
                    else "")


#: Examples per exporter: a quarter of the profile's (``ci``: 15), and a thirtieth for the
#: slow ones (``ci``: 2); ``HYPOTHESIS_PROFILE=fuzz`` raises both.
FAST_EXAMPLES = max(10, settings().max_examples // 4)
SLOW_EXAMPLES = max(2, settings().max_examples // 30)


def _check_export(format: Format, data: st.DataObject) -> None:
    study = data.draw(hostile_studies())
    analysis = None
    if format.carries != "study":
        try:
            analysis = analyze(study)
        except RelcoordError:
            return  # an analysis refusing the study is the analysis' business, not this test's
    with tempfile.TemporaryDirectory() as folder:
        assert_writes_cleanly(HOST, study, Path(folder), format=format.id,
                              name=_name(format), analysis=analysis)


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

