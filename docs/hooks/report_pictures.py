"""mkdocs hook: draw the report's pictures from the embedded example at build time.

The report page (``docs/report.md``) shows ``assets/report/<name>.png``; this hook renders
those images with :func:`relcoord.pictures.render_pictures` and adds them to the site as
generated files, so the pictures always match the code and no binary is committed.  It
also keeps the hook itself out of the built site.  Nothing is downloaded.
"""

from __future__ import annotations

import io
from typing import Any

from mkdocs.structure.files import File, Files

#: Where the pictures appear in the site (relative to the docs folder).
ASSETS = "assets/report"


def on_files(files: Files, config: Any) -> Files:
    """Drop ``hooks/`` from the site and add the example's pictures as PNG files."""
    from relcoord.analysis import analyze
    from relcoord.example import load_example
    from relcoord.pictures import render_pictures, save_picture

    for item in list(files):
        if item.src_uri.startswith("hooks/"):
            files.remove(item)
    analysis = analyze(load_example(), lang="en")
    for name, picture in render_pictures(analysis, "en").items():
        buffer = io.BytesIO()
        save_picture(picture, buffer, "png", dpi=110)
        files.append(File.generated(config, f"{ASSETS}/{name}.png", content=buffer.getvalue()))
    return files
