"""A zip of relcoord CSV tables (csv-zip) reads back every generated study."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings

from relcoord.formats.csv import read_zip, write_zip
from relcoord.model import Study
from relcoord.testing.conformance import study_differences
from relcoord.testing.strategies import studies

TMP = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@TMP
@given(study=studies(instrument="rc7"))
def test_zip_round_trip_through_host(tmp_path: Path, study: Study) -> None:
    path = tmp_path / "r.zip"
    path.unlink(missing_ok=True)
    write_zip(study, None, path, {})
    assert study_differences(study, read_zip(path, {})) == []
