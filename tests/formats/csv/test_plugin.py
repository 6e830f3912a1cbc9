"""The built-in CSV formats are registered and chosen by file extension, and a ``.csv``
file's header picks its layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from relcoord.errors import ImportNote, InputWarning, InvalidStudyError
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


def test_a_csv_file_is_read_in_the_layout_its_header_fits(tmp_path: Path) -> None:
    host = get_host()
    wide = tmp_path / "survey.csv"
    wide.write_bytes((DATA / "wide_danish.csv").read_bytes())
    arrows = tmp_path / "map.csv"
    arrows.write_bytes((DATA / "relationskort.csv").read_bytes())
    with pytest.warns(ImportNote, match=r"read as csv-wide: the header holds item columns "
                      r"\(Hyppig, Rettidig, Præcis, Problemløsende, ...\) \(settle it with "
                      r"--from csv-wide\)"), pytest.warns(InputWarning):
        assert host.read(wide, options=POSITIONS) == read_wide(wide, POSITIONS)
    with pytest.warns(ImportNote, match="read as csv-relationskort"):
        assert host.read(arrows) == read_relationskort(arrows, {})
    with pytest.warns(ImportNote, match="read as csv-long: one row per answer"):
        assert host.reader_for(DATA / "good_long.csv").id == "csv-long"
    # a named format is used as it is: the long layout then suggests the wide one
    with pytest.raises(InvalidStudyError) as caught:
        host.read(wide, format="csv-long")
    assert any("the header fits the wide layout: read it with --from csv-wide" in p.message
               for p in caught.value.problems)


def test_the_wide_layout_suggests_the_long_one(tmp_path: Path) -> None:
    with pytest.raises(InvalidStudyError) as caught:
        read_wide(DATA / "good_long.csv", {})
    assert any("fits the long layout: read it with --from csv-long" in p.message
               for p in caught.value.problems)
