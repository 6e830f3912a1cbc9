"""Respondent ids in exports (relcoord.privacy.pseudonyms): never written as they are.

Every exporter, by default, omits respondent ids; on request they become pseudonyms, numbered
or keyed (HMAC-SHA256), and a pseudonymised study analyses to the same numbers.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from relcoord.analysis import analyze
from relcoord.export_view import export_view
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.plugins.manager import PluginHost
from relcoord.privacy import anonymise_study, pseudonyms
from relcoord.ratings import Rating

ALL = {"frequent": 4, "timely": 4, "accurate": 4, "problem_solving": 4,
       "shared_goals": 4, "shared_knowledge": 4, "mutual_respect": 4}


def _rating(person: str, source: str, target: str, value: float, wave: str | None = None,
            **changes: float | None) -> Rating:
    scores: dict[str, float | None] = dict.fromkeys(ALL, value)
    scores.update(changes)
    return Rating(source=source, target=target, respondent=person, wave=wave, scores=scores)


# --- respondent ids --------------------------------------------------------------------------


SECRET_IDS = ("anna-jensen", "bo-hansen", "carla-nielsen", "dorte-holm", "erik-lund")


def secret_study() -> Study:
    """Five named respondents: their ids must never appear in an export."""
    people = [Respondent(pid, "teachers") for pid in SECRET_IDS]
    ratings = [_rating(p.id, "teachers", "kui", 3.0 + i % 2) for i, p in enumerate(people)]
    return Study(
        metadata=Metadata(id="secret"), instrument="rc7",
        roles=[Role("teachers", "Teachers", "school"), Role("kui", "KUI", "municipality")],
        respondents=people, ratings=ratings,
    )


def _all_bytes(path: Path) -> bytes:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out = b""
    for file in files:
        data = file.read_bytes()
        if zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data += b"".join(archive.read(n) for n in archive.namelist())
        out += data
    return out


def test_no_exporter_writes_a_raw_respondent_id(tmp_path: Path) -> None:
    study = secret_study()
    analysis = analyze(study)
    host = PluginHost(environ={})  # every installed plugin too (docx, ...)
    exporters = host.exporters()
    assert {"json", "csv", "csv-zip", "graphml", "analysis-json"} <= {f.id for f in exporters}
    for mode in ("omit", "pseudonymise"):
        for chosen in exporters:
            name = f"{mode}-{chosen.id}{chosen.extensions[0] if chosen.extensions else ''}"
            destination = tmp_path / name
            host.write(study, destination, format=chosen.id, analysis=analysis,
                       options={"respondent_ids": mode})
            data = _all_bytes(destination)
            assert data, chosen.id
            for pid in SECRET_IDS:
                assert pid.encode() not in data, (chosen.id, mode, pid)


def test_pseudonymised_exports_keep_every_link_and_number(tmp_path: Path) -> None:
    study = secret_study()
    host = PluginHost(entry_points=list, environ={})
    host.write(study, tmp_path / "p.json", options={"respondent_ids": "pseudonymise"})
    back = host.read(tmp_path / "p.json")
    assert [p.id for p in back.respondents] == ["R0001", "R0002", "R0003", "R0004", "R0005"]
    assert back == anonymise_study(study, "pseudonymise")
    assert analyze(back).to_mapping() == analyze(study).to_mapping()
    host.write(study, tmp_path / "o.json")  # the default: omitted
    omitted = host.read(tmp_path / "o.json")
    assert omitted.respondents == ()
    assert (omitted.ratings.respondent == -1).all()
    assert omitted == anonymise_study(study, "omit")  # every score kept (row order aside)
    document = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert all("respondent" not in r for r in document["ratings"])


def test_keyed_pseudonyms_are_stable_and_depend_on_the_key() -> None:
    ids = ("b", "a", "c")
    assert pseudonyms(ids) == {"a": "R0001", "b": "R0002", "c": "R0003"}
    first = pseudonyms(ids, key="secret")
    assert first == pseudonyms(("c", "a", "b"), key=b"secret")
    assert first != pseudonyms(ids, key="other")
    assert all(p.startswith("R") and len(p) == 17 for p in first.values())
    assert len(pseudonyms(tuple(str(i) for i in range(12345)))["0"]) == 6


def test_export_options_are_checked() -> None:
    from relcoord.errors import InvalidInputError

    study = secret_study()
    with pytest.raises(InvalidInputError, match="respondent_ids"):
        export_view(study, None, {"respondent_ids": "keep"})
    with pytest.raises(InvalidInputError, match="respondent_key"):
        export_view(study, None, {"respondent_key": "x"})
    shown, _, rest = export_view(study, None, {"respondent_ids": "pseudonymize",
                                               "respondent_key": "k", "profile": "excel"})
    assert rest == {"profile": "excel"}
    assert shown == anonymise_study(study, "pseudonymise", key="k")
    with pytest.raises(InvalidInputError, match="respondent_ids"):
        anonymise_study(study, "keep")  # type: ignore[arg-type]


def test_an_analysis_only_export_sees_pseudonyms_and_keeps_counts() -> None:
    study = secret_study()
    analysis = analyze(study)
    _, shown, _ = export_view(study, analysis, {}, carries="analysis")
    assert shown is not None
    assert len(shown.study.respondents) == 5
    assert {p.id for p in shown.study.respondents}.isdisjoint(SECRET_IDS)
    _, both, _ = export_view(study, analysis, {}, carries="both")
    assert both is not None
    assert both.study.respondents == ()
    assert shown.to_mapping()["ties"] == analysis.to_mapping()["ties"]
