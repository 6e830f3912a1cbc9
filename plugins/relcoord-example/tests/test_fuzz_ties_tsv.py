"""Fuzzing the tie-list importer with the core's harness: how a plugin adds its format.

A plugin registers a valid input of its importer as a
:class:`~relcoord.testing.fuzzing.CorpusInput` and runs the same verdict as the core's
``tests/fuzz``: a mutated input gives a study or relcoord's own error, never another
exception and never the plugin host's catch-all.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import CorpusInput, assert_reads_cleanly, mutate_file

TIES: CorpusInput = CorpusInput(
    "ties-tsv", "ties",
    lambda folder: _write(folder / "network.ties.tsv",
                          "source\ttarget\twave\nnurse\tdoctor\t\ndoctor\tporter\tw1\n"))
HOST = PluginHost()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


@given(data=st.data())
def test_mutated_tie_lists_give_a_study_or_relcoords_own_error(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as work:
        original = TIES.write(Path(folder))
        copy = Path(work) / original.name
        shutil.copyfile(original, copy)
        mutate_file(data.draw, copy)
        assert_reads_cleanly(HOST, copy, format=TIES.format, options=TIES.options)
