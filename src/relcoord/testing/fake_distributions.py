"""Fake installed distributions, for testing how the plugin host loads entry points.

[`make_distribution`][relcoord.testing.fake_distributions.make_distribution] writes a
``*.dist-info`` folder (``METADATA`` and ``entry_points.txt``) and the plugin's modules into a
folder; with that folder on ``sys.path``, `importlib.metadata` sees an installed distribution,
exactly as it sees one installed by pip.  relcoord's own tests use it to check that a plugin that
fails to import or to register is reported by name and version.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

__all__ = ["make_distribution"]


def make_distribution(
    root: Path,
    name: str,
    version: str,
    entry_points: Mapping[str, str],
    modules: Mapping[str, str],
    *,
    group: str = "relcoord",
) -> list[metadata.EntryPoint]:
    """Write distribution ``name`` ``version`` with ``modules`` (name -> source) into ``root``.

    ``entry_points`` maps entry point names to ``module`` or ``module:attribute`` in
    ``group``.  Returns the distribution's entry points of ``group`` (each knows its
    distribution, so the host can report name and version).  Put ``root`` on ``sys.path``
    (``monkeypatch.syspath_prepend``) before loading them.
    """
    root.mkdir(parents=True, exist_ok=True)
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = [f"[{group}]", *(f"{key} = {value}" for key, value in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for module, source in modules.items():
        (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (distribution,) = (
        d for d in metadata.distributions(path=[str(root)]) if d.metadata["Name"] == name
    )
    return list(distribution.entry_points.select(group=group))
