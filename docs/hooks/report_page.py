"""mkdocs hook: write the interactive HTML report of the embedded example into the site.

The page ``docs/plugins/html.md`` embeds ``assets/report/report.html`` in a frame and links
to it; this hook writes that file at build time with the ``html`` exporter of the
``relcoord-html`` plugin (both languages, English first), so the page in the site always
matches the code and no generated file is committed.  Nothing is downloaded: the page is
self-contained.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

#: Where the page appears in the site (relative to the docs folder).
PAGE = "assets/report/report.html"


def on_files(files: Files, config: Any) -> Files:
    """Add the example's interactive report to the site."""
    from relcoord.analysis import analyze
    from relcoord.example import load_example
    from relcoord.plugins import PluginHost

    analysis = analyze(load_example(), lang="en")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.html"
        PluginHost().write(analysis.study, path, format="html", analysis=analysis,
                           options={"lang": "en,da"})
        content = path.read_bytes()
    files.append(File.generated(config, PAGE, content=content))
    return files
