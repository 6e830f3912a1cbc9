"""Compare the data outputs of two ``relcoord demo`` runs byte for byte.

The golden check for refactoring: run ``relcoord demo -o BEFORE`` on the old tree and
``relcoord demo -o AFTER`` on the new one, then ``python scripts/compare_demo_outputs.py
BEFORE AFTER``.  JSON, CSV, GraphML, GEXF and SVG files must be identical; DOCX and PNG carry
time stamps and renderer noise and are left out.  Exit status 1 lists what differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

COMPARED = (".json", ".csv", ".graphml", ".gexf", ".svg")


def differences(before: Path, after: Path) -> list[str]:
    """What differs between the compared files of two output folders."""
    names = {p.relative_to(root) for root in (before, after) for p in root.rglob("*")
             if p.is_file() and p.suffix in COMPARED}
    found = []
    for name in sorted(names):
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            found.append(f"{name}: only in {'after' if not a.exists() else 'before'}")
        elif a.read_bytes() != b.read_bytes():
            found.append(f"{name}: differs")
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: compare_demo_outputs.py BEFORE AFTER\n")
        return 2
    found = differences(Path(argv[0]), Path(argv[1]))
    sys.stdout.write("".join(f"{line}\n" for line in found) or "identical\n")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
