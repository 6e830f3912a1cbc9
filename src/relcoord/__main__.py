"""``python -m relcoord``: the ``relcoord`` command line, for an environment whose scripts
folder is not on ``PATH``."""

from __future__ import annotations

from relcoord.cli import main

if __name__ == "__main__":
    main()
