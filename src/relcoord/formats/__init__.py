"""File formats: the :class:`Format` type, atomic output and the built-in formats.

Plugin authors import :class:`Format`, :class:`FormatOption`, the option parsers and
:func:`parse_options` from here (they are defined in :mod:`relcoord.formats.format_type`
and :mod:`relcoord.formats.format_option`).

Built-in formats (``json``, ``analysis-json``, the CSV and GraphML families) are plugins
like any other: each lives in its own module and registers through the hooks in
:mod:`relcoord.plugins.hookspecs`.  Look formats up through :mod:`relcoord.plugins`
(:func:`~relcoord.plugins.find_format`), not by importing their modules.
"""

from relcoord.atomic_files import atomic_path, write_bytes_atomic
from relcoord.formats.format_option import (
    FormatOption,
    check_options,
    instrument,
    json_object,
    parse_options,
    single_character,
    text,
    text_list,
    true_or_false,
    whole_number,
)
from relcoord.formats.format_type import CARRIES, Carries, Detector, Format, Reader, Writer

__all__ = [
    "CARRIES",
    "Carries",
    "Detector",
    "Format",
    "FormatOption",
    "Reader",
    "Writer",
    "atomic_path",
    "check_options",
    "instrument",
    "json_object",
    "parse_options",
    "single_character",
    "text",
    "text_list",
    "true_or_false",
    "whole_number",
    "write_bytes_atomic",
]
