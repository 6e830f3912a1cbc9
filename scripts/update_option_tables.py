"""Fill the option tables of the documentation from the formats' declarations.

Each table sits between ``<!-- options: FORMAT KIND -->`` and ``<!-- /options -->`` in a page
of ``docs/`` (``KIND`` is ``read`` or ``write``) and lists what
:func:`relcoord.plugins.format_io.options_of` gives for that built-in format: its declared
options and the host's.  ``tests/formats/test_format_option.py`` fails when a table differs from
the declaration; run ``python scripts/update_option_tables.py`` to write them again.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from relcoord.formats.format_option import options_table
from relcoord.plugins.format_io import options_of
from relcoord.plugins.manager import PluginHost

DOCS = Path(__file__).resolve().parents[1] / "docs"
BLOCK = re.compile(r"(<!-- options: (\S+) (read|write) -->\n)(.*?)(<!-- /options -->)", re.S)


def table(format_id: str, kind: str) -> str:
    """The Markdown table of the options of built-in format ``format_id`` for ``kind``."""
    host = PluginHost(environ={"RELCOORD_DISABLE_PLUGINS": "1"})
    chosen = host.find_format(id=format_id, kind="read" if kind == "read" else "write")
    return options_table(options_of(chosen, "read" if kind == "read" else "write") or ())


def filled(text: str) -> str:
    """``text`` with every option table filled from the declarations."""
    return BLOCK.sub(lambda m: m.group(1) + "\n" + table(m.group(2), m.group(3)) + "\n"
                     + m.group(5), text)


def main() -> int:
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        new = filled(text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            sys.stdout.write(f"updated {page.relative_to(DOCS.parent)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
