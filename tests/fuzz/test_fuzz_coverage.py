"""Every installed importer has a fuzz corpus input and every installed exporter is fuzzed
(issue 17): a format added without either fails here.

The built-in formats' corpus is :data:`relcoord.testing.fuzzing.CORPUS` as the core fills
it, and ``tests/fuzz/test_fuzz_exporters.py`` fuzzes every built-in exporter.  A plugin's
fuzz tests (``plugins/*/tests/test_fuzz*.py``) register its inputs with ``register_corpus``
and name the exporters they fuzz in ``FUZZED_EXPORTERS``; each such module is loaded here
on its own (the shared corpus is restored afterwards) to see what it covers.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from relcoord.plugins import PluginHost
from relcoord.testing import fuzzing

REPO = Path(__file__).resolve().parents[2]
HOST = PluginHost()
BUILT_IN = PluginHost(entry_points=list, environ={})


def _plugin_coverage() -> tuple[set[str], set[str]]:
    """The importers given a corpus input and the exporters fuzzed by the plugins' tests."""
    importers: set[str] = set()
    exporters: set[str] = set()
    for path in sorted(REPO.glob("plugins/*/tests/test_fuzz*.py")):
        saved = {k: list(v) for k, v in fuzzing.CORPUS.items()}
        try:
            spec = importlib.util.spec_from_file_location(
                f"_fuzz_coverage_{path.parents[1].name.replace('-', '_')}_{path.stem}", path)
            assert spec is not None
            assert spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            importers |= {e.format for e in fuzzing.corpus_inputs()
                          if e not in saved.get(e.format, [])}
            exporters |= set(getattr(module, "FUZZED_EXPORTERS", ()))
        finally:
            fuzzing.CORPUS.clear()
            fuzzing.CORPUS.update(saved)
    return importers, exporters


@pytest.fixture(scope="module")
def plugin_coverage() -> tuple[set[str], set[str]]:
    return _plugin_coverage()


def test_every_installed_importer_has_a_corpus_input(
        plugin_coverage: tuple[set[str], set[str]]) -> None:
    covered = {e.format for e in fuzzing.corpus_inputs()} | plugin_coverage[0]
    missing = {f.id for f in HOST.importers()} - covered
    assert not missing, f"importers without a fuzz corpus input: {sorted(missing)}"


def test_every_installed_exporter_is_fuzzed(plugin_coverage: tuple[set[str], set[str]]) -> None:
    covered = {f.id for f in BUILT_IN.exporters()} | plugin_coverage[1]
    missing = {f.id for f in HOST.exporters()} - covered
    assert not missing, f"exporters no fuzz test writes: {sorted(missing)}"


def test_the_plugins_fuzz_tests_cover_the_plugins_formats(
        plugin_coverage: tuple[set[str], set[str]]) -> None:
    importers, exporters = plugin_coverage
    assert {"xlsx", "spss", "stata", "parquet", "ties-tsv"} <= importers
    assert {"xlsx", "parquet", "html", "docx", "ties-tsv", "roles-markdown"} <= exporters
