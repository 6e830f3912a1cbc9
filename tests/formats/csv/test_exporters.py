"""CSV exporters: the folder of published results (csv, csv-zip), deterministic bytes, the
excel profile's formula guard, and the analysis tables.

The folder holds the study's facts that are not answers - all metadata fields, roles with
organisations, presence and names in other languages, named ties and invitations - and
these come back equal when it is read.  It holds no respondent and no answer
(``ratings.csv`` and ``respondents.csv`` are not written: they are study data, which
``relcoord convert`` writes as JSON).  What the tables cannot carry: a custom instrument
(written as ``custom:<id>``; reading needs the ``instrument`` option), and the difference
between an empty text and none for the optional fields (a wave, an organisation or a name
in another language that is ``""`` reads back as none).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relcoord
from relcoord.analysis import analyze
from relcoord.formats.csv import PROFILES, read_folder, read_zip, tables, write_folder, write_zip
from relcoord.instruments import INSTRUMENTS
from relcoord.model import Invitation, Metadata, NamedTie, Respondent, Role, Study
from relcoord.ratings import Rating
from relcoord.testing.conformance import assert_roundtrip, study_differences
from relcoord.testing.strategies import instruments, studies

BUILTIN = instruments(custom=False)
TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


def small_study() -> Study:
    """Two roles, a formula-looking name, a group rating and a missing item."""
    return Study(
        metadata=Metadata(id="demo", title="=HYPERLINK(\"x\")", language="da"),
        instrument="rc7",
        roles=[Role("teachers", "Undervisere", "school", names={"en": "Teachers"}),
               Role("kui", "+KUI; ungeindsats", "municipality"),
               Role("psych", "-Psykologer", present=False)],
        respondents=[Respondent("r1", "teachers"), Respondent("r2", "kui"),
                     Respondent("r3", "kui")],
        ties=[NamedTie("teachers", "kui", "c1"), NamedTie("kui", "psych")],
        ratings=[
            Rating(source="teachers", target="kui", respondent="r1", wave="c1",
                   scores={"frequent": 5, "timely": 4, "accurate": None, "problem_solving": 2,
                           "shared_goals": 3, "shared_knowledge": 1, "mutual_respect": 4}),
            Rating(source="kui", target="teachers", respondent="r2",
                   scores={"frequent": 1, "timely": 2}),
            Rating(source="kui", target="psych", scores={"frequent": 3}),
        ],
        invitations=[Invitation("kui", "teachers", "@dialog", "accepted", "c1")],
    )


def facts(study: Study) -> Study:
    """What a folder of published results keeps of ``study``: everything but respondents
    and ratings."""
    return Study(metadata=study.metadata, instrument=study.instrument, roles=study.roles,
                 ties=study.ties, invitations=study.invitations)


def write(study: Study, path: Path, profile: str = "plain", analysis: object = None) -> Path:
    writer = write_zip if path.suffix == ".zip" else write_folder
    writer(study, analysis, path, {"profile": profile})  # type: ignore[arg-type]
    return path


@pytest.mark.parametrize("profile", ["plain", "excel"])
@pytest.mark.parametrize("name", ["tables", "tables.zip"])
def test_small_study_round_trips(tmp_path: Path, profile: str, name: str) -> None:
    study = small_study()
    path = write(study, tmp_path / name, profile)
    back = (read_zip if name.endswith(".zip") else read_folder)(path, {})
    assert study_differences(facts(study), back) == []


@pytest.mark.parametrize("format_id", ["csv", "csv-zip"])
def test_conformance_round_trip_through_the_host(tmp_path: Path, format_id: str) -> None:
    for profile in ("plain", "excel"):
        (tmp_path / profile).mkdir()
        assert_roundtrip(format_id, small_study(), tmp_path / profile,
                         write_options={"profile": profile}, expected=facts)


@TMP
@given(study=studies(instrument=None).filter(lambda s: s.instrument.builtin),
       profile=st.sampled_from(sorted(PROFILES)))
def test_every_generated_study_round_trips(tmp_path: Path, study: Study, profile: str) -> None:
    target = tmp_path / f"p-{profile}.zip"
    target.unlink(missing_ok=True)
    write(study, target, profile)
    back = read_zip(target, {})
    assert study_differences(facts(study), back) == []


@TMP
@given(study=studies(), profile=st.sampled_from(sorted(PROFILES)))
def test_exporting_twice_gives_the_same_bytes(tmp_path: Path, study: Study, profile: str) -> None:
    first = tables(study, None, PROFILES[profile])
    second = tables(study, None, PROFILES[profile])
    assert first == second
    one, two = tmp_path / "one.zip", tmp_path / "two.zip"
    for path in (one, two):
        path.unlink(missing_ok=True)
        write(study, path, profile)
    assert one.read_bytes() == two.read_bytes()


def test_custom_instrument_needs_the_instrument_option(tmp_path: Path) -> None:
    rc7 = INSTRUMENTS["rc7"]
    custom = relcoord.Instrument("mine", "Mine", rc7.dimensions[:2])
    study = Study(metadata=Metadata(id="c"), instrument=custom, roles=[Role("a", "A")],
                  ratings=[Rating(source="a", target="a", scores={"frequent": 3})])
    path = write(study, tmp_path / "c.zip")
    with pytest.raises(relcoord.InvalidInputError, match="custom instrument"):
        read_zip(path, {})
    assert study_differences(facts(study), read_zip(path, {"instrument": custom})) == []


def test_excel_profile_guards_formulas_and_uses_danish_excel_dialect(tmp_path: Path) -> None:
    path = write(small_study(), tmp_path / "x", "excel")
    raw = (path / "roles.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:4] == ["id", "name", "organisation", "present"]
    names = {row[0]: row[1] for row in rows[1:]}
    assert names["kui"] == "'+KUI; ungeindsats"
    assert names["psych"] == "'-Psykologer"
    assert "\r\n" in raw.decode("utf-8-sig")
    study_rows = (path / "study.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in study_rows
    ties = (path / "ties.csv").read_text(encoding="utf-8-sig").splitlines()
    assert ties[0] == "source;target;wave"


def test_plain_profile_is_rfc4180_utf8(tmp_path: Path) -> None:
    path = write(small_study(), tmp_path / "x")
    raw = (path / "roles.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8")
    assert text.endswith("\r\n")
    assert '"+KUI; ungeindsats"' not in text  # ';' needs no quoting with ','
    assert "+KUI; ungeindsats" in text


def test_zip_entries_have_fixed_timestamps_and_order(tmp_path: Path) -> None:
    path = write(small_study(), tmp_path / "x.zip")
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["study.csv", "roles.csv", "ties.csv",
                                          "invitations.csv"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_analysis_tables(tmp_path: Path) -> None:
    study = small_study()
    analysis = analyze(study, min_respondents=1, min_respondents_override=True, min_items=1)
    path = write(study, tmp_path / "a", analysis=analysis)
    names = sorted(p.name for p in path.iterdir())
    assert {"tie_metrics.csv", "role_metrics.csv", "matrix.csv", "findings.csv"} <= set(names)
    matrix = list(csv.reader(io.StringIO((path / "matrix.csv").read_text(), newline="")))
    assert matrix[0] == ["rater", "kui", "psych", "teachers"]
    rows = {r[0]: r[1:] for r in matrix[1:]}
    by_tie = {(t.source, t.target): t.rc for t in analysis.scores.ties}
    for i, target in enumerate(matrix[0][1:]):
        for source, cells in rows.items():
            want = by_tie.get((source, target))
            assert (cells[i] == "") == (want is None)
            if want is not None:
                assert float(cells[i]) == want
    ties = list(csv.DictReader(io.StringIO((path / "tie_metrics.csv").read_text(), newline="")))
    assert {(t["source"], t["target"]) for t in ties} == set(by_tie)
    assert "ratings.csv" not in names
    assert "respondents.csv" not in names
    # the tables of results are skipped when the folder is read back
    assert study_differences(facts(study), read_folder(path, {})) == []


def test_unknown_profile_and_option_are_refused(tmp_path: Path) -> None:
    with pytest.raises(relcoord.InvalidInputError, match="profile"):
        write_folder(small_study(), None, tmp_path / "x", {"profile": "lotus"})
    with pytest.raises(relcoord.InvalidInputError, match="unknown option"):
        write_folder(small_study(), None, tmp_path / "x", {"delimter": ";"})
