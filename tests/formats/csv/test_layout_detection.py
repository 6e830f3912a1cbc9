"""Which CSV layout a header fits (relcoord.formats.csv.layout_detection): a ``.csv`` file is
read in the layout its header fits, the choice is noted, and a layout whose columns are
missing suggests the one that fits."""

from __future__ import annotations

from pathlib import Path

import pytest

from relcoord.errors import ImportNote, InputWarning, InvalidStudyError
from relcoord.formats.csv import read_relationskort, read_wide
from relcoord.formats.csv.layout_detection import header_layout
from relcoord.instruments import get_instrument
from relcoord.plugins.manager import get_host

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"
POSITIONS = {"values": "positions"}


@pytest.mark.parametrize(
    ("header", "layout"),
    [
        (["respondent", "role", "target", "item", "answer"], "long"),
        (["Deltager", "Faggruppe", "Vurderet faggruppe", "RC1_COM", "RC5_REL"], "wide"),
        (["fra gruppe", "til gruppe", "hyppig", "rettidig"], "relationskort"),
        (["Deltager", "Faggruppe", "Vurderet faggruppe", "Hyppig"], "wide"),  # a respondent
        (["respondent", "role", "target", "comment"], None),
    ],
)
def test_header_layout(header: list[str], layout: str | None) -> None:
    assert header_layout(header, get_instrument("rc7"))[0] == layout


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
