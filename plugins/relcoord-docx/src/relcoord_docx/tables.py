"""Tables in the Word document: columns as wide as their content needs.

Word and LibreOffice give every column of a new table the same width, so a long role name
breaks inside its words ("Udskrivn/ingskoor/dinatorer") beside a column of short numbers.
[`column_widths`][relcoord_docx.tables.column_widths] measures each column instead: a column is
never narrower than its longest word (so no word is broken), wants room for its longest line, and
the page's text width is shared out from there.  Lengths are estimated from character counts in the
document's font (Arial, metric-compatible with LibreOffice's Liberation Sans, so both
programs lay the table out alike), with bold header text a little wider.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

__all__ = ["CHAR_WIDTH", "column_widths"]

#: The mean width of a character of Arial, as a share of the font size (lower-case text
#: with digits and capitals mixed in; bold header text is counted 10 % wider).
CHAR_WIDTH: Final = 0.53
#: The cell's inner margins, left and right together (cm): Word's default 0.19 cm a side.
_PADDING_CM: Final = 0.4
#: Points per centimetre.
_PT_PER_CM: Final = 72 / 2.54
#: A text column wants at most this many characters on a line before it wraps.
_MAX_LINE: Final = 48


def _text_cm(chars: float, font_pt: float) -> float:
    return chars * CHAR_WIDTH * font_pt / _PT_PER_CM


def _measure(
    header: Sequence[str], rows: Sequence[Sequence[str]], j: int,
) -> tuple[float, float]:
    """A column's longest word and the line it wants, in characters (header text counted
    10 % wider, for bold; a header may take two lines)."""
    cells = [row[j] for row in rows]
    longest_word = max((len(w) for text in cells for w in text.split()), default=1)
    header_word = max((len(w) for w in header[j].split()), default=1) * 1.1
    longest_line = max((len(text) for text in cells), default=1)
    low = max(longest_word, header_word, 2.0) + 0.5
    high = max(low, min(max(longest_line, len(header[j]) * 1.1 / 2), _MAX_LINE) + 0.5)
    return low, high


def _share(least: list[float], want: list[float], spare: float) -> list[float]:
    """``least`` widths grown by ``spare``: the columns that want least more are filled
    first (a short text such as "received from" then stays on one line), the rest share
    what is left in proportion to what each still wants."""
    widths = list(least)
    extra = [w - m for w, m in zip(want, least, strict=True)]
    order = sorted(range(len(widths)), key=lambda j: extra[j])
    for position, j in enumerate(order):
        waiting = len(order) - position
        if extra[j] * waiting <= spare:
            widths[j] += extra[j]
            spare -= extra[j]
            continue
        rest = order[position:]
        total = sum(extra[k] for k in rest) or 1.0
        for k in rest:
            widths[k] += spare * extra[k] / total
        break
    return widths


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], font_pt: float, width_cm: float,
    *, numeric: Sequence[bool] | None = None, smallest_pt: float = 6.5,
) -> tuple[float, list[float]]:
    """The font size (points) and the width (cm) of each column of a table with ``header``
    and ``rows`` (cell texts), together at most ``width_cm``.

    Each column gets at least its longest word and wants its longest line up to
    [`_MAX_LINE`][relcoord_docx.tables._MAX_LINE] characters.  When all wants fit, the table is that
    wide (and at least half the page); otherwise every column keeps its least and the rest of the
    page goes first to the columns that want little more, then to the others in proportion to what
    each still wants ([`_share`][relcoord_docx.tables._share]).  When even the least widths do not
    fit, the font shrinks (to ``smallest_pt``); if they still do not fit, ``numeric``
    columns keep theirs (a number is never broken) and the text columns share what is left,
    so that a long word breaks there, the least harm (only a table of numbers too wide for
    the page at the smallest font is shrunk as a whole).
    """
    n = len(header)
    numeric = [False] * n if numeric is None else list(numeric)
    sizes = dict.fromkeys((font_pt, 7.5, 7.0, smallest_pt))
    measured = [_measure(header, rows, j) for j in range(n)]
    for size in (s for s in sizes if s <= font_pt):
        least = [_text_cm(low, size) + _PADDING_CM for low, _ in measured]
        want = [_text_cm(high, size) + _PADDING_CM for _, high in measured]
        if sum(least) <= width_cm:
            break
    total_want = sum(want)
    if total_want <= width_cm:
        scale = max(width_cm / 2, total_want) / total_want
        return size, [w * scale for w in want]
    total_least = sum(least)
    if total_least <= width_cm:
        return size, _share(least, want, width_cm - total_least)
    fixed = sum(m for m, is_number in zip(least, numeric, strict=True) if is_number)
    text = sum(m for m, is_number in zip(least, numeric, strict=True) if not is_number)
    if fixed + 0.1 * width_cm * bool(text) > width_cm:  # numbers alone overflow: all shrink
        return size, [m * width_cm / total_least for m in least]
    scale = (width_cm - fixed) / (text or 1.0)
    return size, [m if is_number else m * scale
                  for m, is_number in zip(least, numeric, strict=True)]
