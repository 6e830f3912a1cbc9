"""What the SPSS importers say and where: notes, case locations and codes in messages.

Every guess the importers make is an [`ImportNote`][relcoord.errors.ImportNote] (`note`),
its phrase from the message catalogue (``labelled.`` keys of
[`relcoord.messages.labelled_files`][relcoord.messages.labelled_files]); every place is written as
`VariableTable` writes it (`case_location`).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Final

from relcoord import messages
from relcoord.errors import ImportNote
from relcoord.messages.reading import LANGUAGE
from relcoord_spss.answer_codes import show_code

__all__ = ["SHOWN", "case_location", "codes_text", "note"]

#: How many codes a note shows.
SHOWN: Final = 8


def note(location: str, key: str, **fields: object) -> None:
    """Report a guess at ``location``: the catalogue's phrase ``key`` as an
    [`ImportNote`][relcoord.errors.ImportNote]."""
    warnings.warn(ImportNote(location, messages.text(key, LANGUAGE, **fields)), stacklevel=3)


def case_location(file: str, variable: str | None = None, row: int | None = None) -> str:
    """``file: variable NAME, row N`` (as `VariableTable` locates; ``row`` 0-based)."""
    parts = ([f"variable {variable}"] if variable is not None else []) + (
        [f"row {row + 1}"] if row is not None else [])
    return f"{file}: {', '.join(parts)}" if parts else file


def codes_text(codes: Sequence[float], labels: Mapping[float, str] | None = None) -> str:
    """Codes as a note shows them, each with its label: ``8 ('ved ikke'), 9`` (the first
    `SHOWN`, then ``...``)."""
    shown = [show_code(c) + (f" ({labels[c]!r})" if labels and c in labels else "")
             for c in sorted(codes)[:SHOWN]]
    return ", ".join(shown) + (", ..." if len(codes) > SHOWN else "")
