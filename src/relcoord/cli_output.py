"""Where a command writes: a file or folder, or standard output for ``-o -``.

An output named ``-`` is standard output, as in most command-line tools, and nothing named
``-`` is ever created.  A format that writes one file is written to a temporary folder
through the plugin host (atomic writing, the respondent-id policy, every option, exactly as
for a file) and its bytes are then copied to standard output unchanged, so a binary format
(DOCX, a ZIP of tables) arrives intact.  A format that writes a folder cannot go to one
stream: that is refused before anything is read or written.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from relcoord.errors import InvalidInputError, OutputError

if TYPE_CHECKING:  # imported by their users, so that a command's --help is quick
    from relcoord.analysis_result import Analysis
    from relcoord.formats.format_type import Format
    from relcoord.model import Study
    from relcoord.plugins.manager import PluginHost

__all__ = ["STANDARD_OUTPUT", "check_output", "is_standard_output", "write_output"]

#: The output name that stands for standard output.
STANDARD_OUTPUT: Final = "-"


def is_standard_output(destination: str | Path) -> bool:
    """Whether ``destination`` names standard output (``-``)."""
    return str(destination) == STANDARD_OUTPUT


def _overlaps(source: Path, destination: Path) -> bool:
    """Whether writing ``destination`` would replace ``source`` or a folder holding it."""
    try:
        if os.path.samefile(source, destination):
            return True
    except OSError:
        return False  # one of them does not exist: nothing to replace
    return Path(os.path.realpath(destination)) in Path(os.path.realpath(source)).parents


def check_output(format: Format, destination: str | Path, option: str,
                 source: str | Path | None = None) -> None:
    """Refuse ``-`` (standard output) as the output of a format that writes a folder, and
    an output that is the input ``source`` (or a folder holding it): relcoord never
    replaces the data it reads.

    ``option`` names where the destination was given (``-o``, ``OUT``), for the message.
    """
    if (source is not None and not is_standard_output(source)
            and not is_standard_output(destination) and _overlaps(Path(source),
                                                                  Path(destination))):
        raise OutputError(str(destination), (
            f"{option} names the input {str(source)!r} (or the folder holding it); relcoord "
            "never replaces the data it reads: write to another name"))
    if is_standard_output(destination) and format.writes_directory:
        raise InvalidInputError(
            option,
            f"format {format.id!r} writes a folder, which cannot go to standard output "
            "('-'); give a folder name, or choose a format that writes one file",
        )


def write_output(
    host: PluginHost,
    study: Study,
    destination: str | Path,
    *,
    format: Format,
    analysis: Analysis | None = None,
    options: Mapping[str, Any] | None = None,
    option: str = "-o",
) -> None:
    """Write ``study`` (and ``analysis``) with ``format`` to ``destination``, or to standard
    output when it is ``-`` (see the module docstring)."""
    if not is_standard_output(destination):
        host.write(study, destination, format=format.id, analysis=analysis, options=options)
        return
    check_output(format, destination, option)
    with tempfile.TemporaryDirectory(prefix="relcoord-") as folder:
        path = Path(folder) / ("output" + (format.extensions[0] if format.extensions else ""))
        host.write(study, path, format=format.id, analysis=analysis, options=options)
        sys.stdout.flush()
        stream = sys.stdout.buffer
        with path.open("rb") as written:
            shutil.copyfileobj(written, stream)
        stream.flush()
