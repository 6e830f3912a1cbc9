"""File formats: the :class:`Format` type, atomic output and the built-in formats.

Plugin authors import :class:`Format` and :func:`check_options` from here (they are defined
in :mod:`relcoord.formats.format_type`).

Built-in formats (``json``, ``analysis-json``, the CSV and GraphML families) are plugins
like any other: each lives in its own module and registers through the hooks in
:mod:`relcoord.plugins.hookspecs`.  Look formats up through :mod:`relcoord.plugins`
(:func:`~relcoord.plugins.find_format`), not by importing their modules.
"""

from relcoord.atomic_files import atomic_path, write_bytes_atomic
from relcoord.formats.format_type import CARRIES, Carries, Format, Reader, Writer, check_options

__all__ = [
    "CARRIES",
    "Carries",
    "Format",
    "Reader",
    "Writer",
    "atomic_path",
    "check_options",
    "write_bytes_atomic",
]
