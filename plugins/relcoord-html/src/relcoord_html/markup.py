"""Writing HTML and SVG safely: every text and every attribute value is escaped here.

The page is written as strings (no template engine: the page has one shape, written by a
few functions, and `element` escapes every attribute and `esc` every text, so
a role named ``<script>`` is shown as those characters, never run).  Numbers that scripts
read (sorting, tooltips) are written with `raw_number`, Python's shortest exact
``repr``, so the page holds the figure as the analysis has it; what a reader sees is
formatted by the catalogue ([`relcoord.report.format_cell`][relcoord.report_model.format_cell]).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Final

__all__ = ["element", "esc", "json_script", "raw_number", "slug"]

#: Characters HTML does not allow in text (C0 controls but tab, line feed and carriage
#: return; the noncharacters U+FFFE and U+FFFF; lone surrogates).
_NOT_HTML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def esc(text: object) -> str:
    """``text`` escaped for HTML text or a quoted attribute value, with characters HTML
    does not allow removed."""
    return html.escape(_NOT_HTML.sub("", str(text)), quote=True)


def element(name: str, content: str | Iterable[str] = "", /, **attributes: object) -> str:
    """``<name attributes>content</name>``: ``content`` is markup already made (use
    `esc` for text); an attribute that is ``None`` or ``False`` is left out, ``True``
    is written bare, and a trailing ``_`` in a name is dropped and ``_`` becomes ``-``
    (``class_`` -> ``class``, ``data_role`` -> ``data-role``)."""
    parts = [name]
    for key, value in attributes.items():
        if value is None or value is False:
            continue
        attribute = key.rstrip("_").replace("_", "-")
        parts.append(attribute if value is True else f'{attribute}="{esc(value)}"')
    body = content if isinstance(content, str) else "".join(content)
    return f"<{' '.join(parts)}>{body}</{name}>"


def raw_number(value: float | int | None) -> str | None:
    """A number as scripts read it (``repr``: exact and short), ``None`` for none or NaN."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return repr(value)


def slug(text: str) -> str:
    """``text`` as a piece of an HTML id: letters, digits, ``-`` and ``_`` kept, any other
    character as ``.`` plus its code point, so that two ids never become one."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else f".{ord(c):x}"
                   for c in text)


def json_script(data: Mapping[str, object], class_: str) -> str:
    """``data`` as JSON in a ``<script type="application/json">`` that no browser runs;
    ``<``, ``>`` and ``&`` are written as ``\\u`` escapes so that no text can close the
    element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return element("script", _NOT_HTML.sub("", text), type="application/json", class_=class_)
