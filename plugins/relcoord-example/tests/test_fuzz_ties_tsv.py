"""Fuzzing the tie-list importer and this plugin's exporters with the core's harness: how a
plugin adds its formats.

A plugin registers a valid input of its importer as a
:class:`~relcoord.testing.fuzzing.CorpusInput` and runs the same verdict as the core's
``tests/fuzz``: a mutated input gives a study or relcoord's own error, never another
exception and never the plugin host's catch-all.  ``FUZZED_EXPORTERS`` names the exporters
whose hostile studies are written or refused cleanly here; ``tests/fuzz/test_fuzz_coverage.py``
fails when an installed importer has no corpus input or an exporter is fuzzed nowhere.
"""

from __future__ import annotations

from pathlib import Path

from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import (
    CorpusInput,
    hostile_studies_test,
    mutated_inputs_test,
    register_corpus,
)

TIES: CorpusInput = register_corpus(CorpusInput(
    "ties-tsv", "ties",
    lambda folder: _write(folder / "network.ties.tsv",
                          "source\ttarget\twave\nnurse\tdoctor\t\ndoctor\tporter\tw1\n"),
    {"max_bytes": 1 << 20}))
#: The exporters these tests fuzz.
FUZZED_EXPORTERS = ("ties-tsv", "roles-markdown")
HOST = PluginHost()


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path


test_mutated_tie_lists_give_a_study_or_relcoords_own_error = mutated_inputs_test(HOST, [TIES])


test_hostile_studies_are_written_or_refused_cleanly = hostile_studies_test(
    HOST, FUZZED_EXPORTERS)
