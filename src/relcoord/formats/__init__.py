"""File formats: the [`Format`][relcoord.formats.format_type.Format] type, atomic output and the
built-in formats.

Plugin authors import [`Format`][relcoord.formats.format_type.Format],
[`FormatOption`][relcoord.formats.format_option.FormatOption], the option parsers and
[`parse_options`][relcoord.formats.format_option.parse_options] from here (they are defined in
`relcoord.formats.format_type` and
[`relcoord.formats.format_option`][relcoord.formats.format_option]).

Built-in formats (``json``, ``analysis-json``, the CSV and GraphML families) are plugins
like any other: each lives in its own module and registers through the hooks in
`relcoord.plugins.hookspecs`.  Look formats up through
[`relcoord.plugins`][relcoord.plugins] ([`find_format`][relcoord.plugins.manager.find_format]), not
by importing their modules.
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
