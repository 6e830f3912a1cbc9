"""The text in a picture: phrases from the catalogue, numbers in the language's style, and
user text (role and organisation names) made safe and short enough to show.

The phrases are the catalogue's ([`relcoord.messages`][relcoord.messages], ``picture.*`` and the
terms shared with the other outputs), so a picture says what the report says.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Mapping
from typing import Any, Final

from matplotlib.ticker import FuncFormatter

from relcoord import messages
from relcoord.report_labels import check_lang

__all__ = [
    "number",
    "one_decimal",
    "picture_words",
    "shared_term",
    "shown",
    "ticks_in_language",
    "wrap",
]

#: Control characters (no font has a glyph for them); removed from text shown in a picture.
_CONTROL: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def picture_words(lang: str) -> Mapping[str, str]:
    """The pictures' phrases in ``lang`` (an unknown language is refused by name)."""
    return messages.section("picture", check_lang(lang))


def shared_term(key: str, lang: str) -> str:
    """A term shared with the other outputs (``band.weak``, ``status.pending``...)."""
    return messages.text(key, lang)


def number(value: float, lang: str, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals in ``lang``'s style (a decimal comma in Danish)."""
    return messages.decimal(value, lang, digits)


def shown(text: str, *, math: bool = True) -> str:
    """User text (a role or organisation name) as matplotlib should show it: control
    characters removed and, where matplotlib would parse ``$...$`` as mathematics (tick
    labels, legends), each ``$`` escaped so that it is shown as typed."""
    text = _CONTROL.sub("", text).replace("\t", " ")
    return text.replace("$", "\\$") if math else text


def wrap(text: str, width: int, max_lines: int = 3) -> str:
    """``text`` wrapped at ``width`` characters, at most ``max_lines`` lines (then '…')."""
    # Long Danish compounds stay whole (a broken word reads worse than a long line).
    lines = textwrap.wrap(text, width=width, break_long_words=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width - 1)].rstrip() + "…"
    return "\n".join(lines)


def ticks_in_language(axis: Any, lang: str, digits: Callable[[float], int]) -> None:
    """Write ``axis``'s tick values in ``lang``'s style where it differs from matplotlib's
    own (a decimal comma), each with ``digits(value)`` decimals."""
    if messages.decimal_symbol(lang) != ".":
        axis.set_major_formatter(FuncFormatter(
            lambda v, _pos: number(v, lang, digits(v))))


def one_decimal(value: float) -> int:
    """Decimals a tick value needs on a scale of tenths: 0 for whole numbers, else 1."""
    return 0 if float(value).is_integer() else 1
