"""What ``relcoord demo`` writes: every registered output of the pipeline, into one folder.

[`write_outputs`][relcoord.demo.write_outputs] looks each exporter of
[`DEMO_OUTPUTS`][relcoord.demo.DEMO_OUTPUTS] up in the plugin registry by id, so the demo writes
whatever is installed (the DOCX report only with the ``relcoord-docx`` plugin, the interactive HTML
page only with ``relcoord-html``) and says what it left out and why.  Every file goes through the
host's atomic writing
([`relcoord.plugins.PluginHost.write`][relcoord.plugins.manager.PluginHost.write]).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Final

import attrs

from relcoord.plugins.registry import PluginError, UnknownFormatError

if TYPE_CHECKING:
    from relcoord.analysis import Analysis
    from relcoord.model import Study
    from relcoord.plugins.manager import PluginHost

__all__ = ["DEMO_OUTPUTS", "Output", "write_outputs"]

#: The exporters the demo uses, by id, and the name each output gets in the folder (a
#: folder format keeps the name; a file format whose name has no extension gets the
#: format's first one).
DEMO_OUTPUTS: Final[tuple[tuple[str, str], ...]] = (
    ("docx", "report.docx"),
    ("html", "report.html"),
    ("graphml", "network.graphml"),
    ("gexf", "network.gexf"),
    ("cytoscape", "cytoscape"),
    ("csv", "tables"),
    ("figures", "figures"),
    ("analysis-json", "analysis.json"),
)

#: How to get an exporter the demo did not find.
_HINTS: Final[Mapping[str, str]] = {
    "docx": "install the relcoord-docx plugin (pip install -e plugins/relcoord-docx)",
    "html": "install the relcoord-html plugin (pip install -e plugins/relcoord-html)",
}


@attrs.frozen
class Output:
    """One output of the demo: the exporter id, where it went and the files it holds.

    ``path`` is ``None`` and ``skipped`` says why when the exporter is not installed or
    failed.
    """

    format_id: str
    path: Path | None
    files: tuple[Path, ...] = ()
    skipped: str | None = None


def _files(path: Path) -> tuple[Path, ...]:
    if path.is_dir():
        return tuple(sorted(p for p in path.rglob("*") if p.is_file()))
    return (path,)


def write_outputs(
    study: Study,
    analysis: Analysis,
    directory: str | Path,
    *,
    host: PluginHost | None = None,
    around: Callable[[Path], AbstractContextManager[object]] | None = None,
) -> tuple[Output, ...]:
    """Write each output of [`DEMO_OUTPUTS`][relcoord.demo.DEMO_OUTPUTS] into ``directory`` (created
    if missing).

    An exporter that is not registered, or that fails inside its plugin, is skipped with
    the reason; the others are still written.  Returns one [`Output`][relcoord.demo.Output] per
    entry, in [`DEMO_OUTPUTS`][relcoord.demo.DEMO_OUTPUTS] order.  ``around(path)``, when given,
    wraps the writing of each output (the command line shows its progress and time).
    """
    from relcoord.plugins.manager import get_host

    host = host or get_host()
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    outputs: list[Output] = []
    for format_id, name in DEMO_OUTPUTS:
        try:
            chosen = host.find_format(id=format_id, kind="write")
        except UnknownFormatError:
            hint = _HINTS.get(format_id, "no plugin registers it")
            outputs.append(Output(format_id, None, skipped=f"no {format_id!r} exporter: {hint}"))
            continue
        if not chosen.writes_directory and not Path(name).suffix and chosen.extensions:
            name += chosen.extensions[0]
        destination = folder / name
        try:
            with around(destination) if around else contextlib.nullcontext():
                host.write(study, destination, format=format_id, analysis=analysis)
        except PluginError as error:
            outputs.append(Output(format_id, None, skipped=str(error)))
            continue
        outputs.append(Output(format_id, destination, _files(destination)))
    return tuple(outputs)
