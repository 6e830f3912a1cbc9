"""Fuzzing the docx exporter (the Word report) with the core's harness (issue 17).

Generated studies with hostile role names and organisations (quotes, markup, formula
prefixes, characters XML cannot hold, line breaks of every kind) are written, or refused
with relcoord's own error that leaves nothing behind.
"""

from __future__ import annotations

from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import hostile_studies_test

HOST = PluginHost()
#: The exporters these tests fuzz (``tests/fuzz/test_fuzz_coverage.py`` checks that every
#: installed exporter is fuzzed somewhere).
FUZZED_EXPORTERS = ("docx",)


test_hostile_studies_are_written_or_refused_cleanly = hostile_studies_test(
    HOST, FUZZED_EXPORTERS, share=30, least=2)
