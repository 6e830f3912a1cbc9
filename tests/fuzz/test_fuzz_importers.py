"""Fuzzing every importer: mutations of valid inputs end in a study or in relcoord's own
error, never in another exception and never in the plugin host's catch-all (issue 17).

The corpus is :data:`relcoord.testing.fuzzing.CORPUS` (a plugin registers its own inputs
there); each input is written once per session and copied for every example.  The number of
examples follows the hypothesis profile (``ci``: 60 per input, derandomised), with small
``max_bytes`` limits so that no mutation makes a run slow.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import (
    CorpusInput,
    assert_reads_cleanly,
    corpus_inputs,
    mutate_file,
)

HOST = PluginHost()
ENTRIES = [e for e in corpus_inputs()
           if e.format in {f.id for f in HOST.importers()}]


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every corpus input, written once."""
    folder = tmp_path_factory.mktemp("corpus")
    made: dict[str, Path] = {}
    for entry in ENTRIES:
        place = folder / f"{entry.format}-{entry.name}"
        place.mkdir()
        made[f"{entry.format}/{entry.name}"] = entry.write(place)
    return made


def test_every_built_in_importer_has_a_corpus_input() -> None:
    builtin = {f.id for f in PluginHost(entry_points=list, environ={}).importers()}
    assert builtin <= {e.format for e in ENTRIES}


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.format}/{e.name}")
def test_the_corpus_input_itself_reads(entry: CorpusInput, originals: dict[str, Path]) -> None:
    from relcoord.model import Study

    result = assert_reads_cleanly(HOST, originals[f"{entry.format}/{entry.name}"],
                                  format=entry.format, options=entry.options)
    assert isinstance(result, Study), result


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.format}/{e.name}")
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
          deadline=None)
@given(data=st.data())
def test_mutated_inputs_give_a_study_or_relcoords_own_error(
        entry: CorpusInput, originals: dict[str, Path], data: st.DataObject) -> None:
    original = originals[f"{entry.format}/{entry.name}"]
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / original.name
        if original.is_dir():
            shutil.copytree(original, copy)
        else:
            shutil.copyfile(original, copy)
        mutate_file(data.draw, copy)
        assert_reads_cleanly(HOST, copy, format=entry.format, options=entry.options)
