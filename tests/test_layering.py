"""The layering contract: no import cycles, and no module imports from a layer above its own.

Every ``import`` statement counts, also one inside a function or under
``if TYPE_CHECKING:``: a cycle that only type hints close is still two modules that cannot
be understood apart.  The layers are those of ``docs/architecture.md``; a module belongs to
the layer of the longest name in :data:`LAYERS` that it starts with.  The check parses the
source (it imports nothing), so it also covers modules whose dependencies are not installed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Bottom to top.  A module may import from its own layer and from any layer below it.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundations", ("relcoord.errors", "relcoord.atomic_files", "relcoord.bounded_input",
                     "relcoord.frozen_mapping",
                     "relcoord.bounded_zip",
                     "relcoord.json_values", "relcoord.messages", "relcoord.tables",
                     "relcoord.notebook", "relcoord.optional_dependencies",
                     "relcoord.row_blocks")),
    ("model", ("relcoord.instruments", "relcoord.ratings", "relcoord.model",
               "relcoord.settings")),
    ("study files", ("relcoord.serialization", "relcoord.validation", "relcoord.study_json",
                     "relcoord.study_json_decoder",
                     "relcoord.example")),
    ("role network", ("relcoord.role_network",)),
    ("metrics", ("relcoord.metrics", "relcoord.rater_role_blocks")),
    ("privacy", ("relcoord.privacy",)),
    ("analysis", ("relcoord.finding", "relcoord.result_tables", "relcoord.result_graphs",
                  "relcoord.analysis_result", "relcoord.findings", "relcoord.analysis",
                  "relcoord.site_statistics", "relcoord.site_statistics_file",
                  "relcoord.analysis_parts")),
    ("public API", ("relcoord",)),
    ("report", ("relcoord.report_model", "relcoord.report_labels", "relcoord.report_findings",
                "relcoord.report_map", "relcoord.report_network", "relcoord.report_overview",
                "relcoord.report_partners", "relcoord.report_groups",
                "relcoord.report_contacts", "relcoord.report_appendix",
                "relcoord.report_sections", "relcoord.report", "relcoord.pictures")),
    ("formats", ("relcoord.plugins.hookspecs", "relcoord.plugins.analysis_engine",
                 "relcoord.formats")),
    ("plugin host", ("relcoord.plugins",)),
    ("demo and testing", ("relcoord.demo", "relcoord.testing")),
    ("command line", ("relcoord.cli", "relcoord.cli_errors", "relcoord.cli_group",
                      "relcoord.cli_commands", "relcoord.cli_options", "relcoord.cli_console",
                      "relcoord.cli_output", "relcoord.cli_input", "relcoord.cli_template",
                      "relcoord.cli_study", "relcoord.cli_stats",
                      "relcoord.__main__")),
)

#: The packages checked: the core and every plugin distribution under ``plugins/``.
PACKAGES: tuple[Path, ...] = (
    ROOT / "src" / "relcoord",
    *sorted(ROOT.glob("plugins/*/src/*/")),
)


def _module_name(path: Path, package_dir: Path) -> str:
    parts = [package_dir.name, *path.relative_to(package_dir).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of :data:`PACKAGES`, by dotted name."""
    found: dict[str, Path] = {}
    for package_dir in PACKAGES:
        for path in sorted(package_dir.rglob("*.py")):
            found[_module_name(path, package_dir)] = path
    return found


def _imported(tree: ast.AST, known: dict[str, Path]) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                yield submodule if submodule in known else node.module


def import_graph() -> nx.DiGraph:
    """Module -> module it imports, for the imports among :func:`modules`."""
    known = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target in _imported(tree, known):
            if target in known and target != name:
                graph.add_edge(name, target)
    return graph


def layer_of(module: str) -> int | None:
    """The index in :data:`LAYERS` of ``module``'s layer; None outside the core package."""
    best: tuple[int, int] | None = None
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                candidate = (len(prefix), index)
                best = candidate if best is None or candidate > best else best
    return None if best is None else best[1]


def test_the_graph_sees_the_package() -> None:
    graph = import_graph()
    assert graph.number_of_nodes() > 60
    assert graph.has_edge("relcoord.analysis", "relcoord.privacy")
    assert graph.has_edge("relcoord_docx.plugin", "relcoord.report")


def test_no_import_cycles() -> None:
    cycles = [sorted(c) for c in nx.strongly_connected_components(import_graph()) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_every_core_module_has_a_layer() -> None:
    missing = [m for m in modules() if m.startswith("relcoord.") and layer_of(m) is None]
    assert not missing


def test_no_upward_imports() -> None:
    upward = []
    for source, target in import_graph().edges:
        low, high = layer_of(target), layer_of(source)
        if low is not None and high is not None and low > high:
            upward.append(f"{source} ({LAYERS[high][0]}) imports {target} ({LAYERS[low][0]})")
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("relcoord.privacy", "relcoord.analysis_result"),
        ("relcoord.findings", "relcoord.analysis"),
        ("relcoord.report_sections", "relcoord.report"),
        ("relcoord.cli_group", "relcoord.cli"),
    ],
)
def test_the_check_fails_on_a_cycle(source: str, target: str) -> None:
    """The contract is not vacuous: closing one of the cycles this layout removed fails it."""
    graph = import_graph()
    graph.add_edge(source, target)
    assert any(len(c) > 1 for c in nx.strongly_connected_components(graph))


def test_no_private_names_imported_across_modules() -> None:
    """A name with a leading underscore is private to its module: no other module takes it."""
    known = modules()
    taken = []
    for name, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "") in known:
                taken += [f"{name} takes {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert not taken, "\n".join(taken)
