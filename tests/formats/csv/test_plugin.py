"""The built-in CSV formats are registered and chosen by file extension (a ``.csv`` file's
header picks its layout: test_layout_detection.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from relcoord.errors import InputWarning
from relcoord.formats.csv import read_long, read_relationskort, read_wide
from relcoord.plugins.manager import get_host

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"
POSITIONS = {"values": "positions"}


def test_formats_are_registered_and_chosen_by_extension(tmp_path: Path) -> None:
    host = get_host()
    assert {"csv", "csv-zip", "csv-long", "csv-wide", "csv-relationskort"} <= {
        f.id for f in host.importers()}
    assert {"csv", "csv-zip"} <= {f.id for f in host.exporters()}
    study = host.read(DATA / "good_long.csv")
    assert study == read_long(DATA / "good_long.csv", {})
    wide = tmp_path / "survey.wide.csv"
    wide.write_bytes((DATA / "wide_danish.csv").read_bytes())
    with pytest.warns(InputWarning, match="Kommentar"):
        assert host.read(wide, options=POSITIONS) == read_wide(wide, POSITIONS)
    arrows = tmp_path / "map.relationskort.csv"
    arrows.write_bytes((DATA / "relationskort.csv").read_bytes())
    assert host.read(arrows) == read_relationskort(arrows, {})
