"""Study data apart from published results (docs/privacy.md, relcoord.plugins.respondent_ids).

Study data (every importer; a format that carries ``"study"``, such as ``json``) is lossless:
respondents survive every conversion as their ids, or on request as pseudonyms that keep who
is who, and leaving them out is an explicit choice that warns.  Published results (every
other exporter) never hold a raw answer, a respondent id or a figure the minimum-respondent
rule withheld: changing the answers of a group below the minimum leaves every exporter's
output as it was, byte for byte (the DOCX report's text).
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import relcoord
from relcoord.analysis import analyze
from relcoord.errors import DataLossWarning, InvalidInputError
from relcoord.formats.format_type import Format
from relcoord.formats.json_format import analysis_json_bytes
from relcoord.model import Metadata, Respondent, Role, Study
from relcoord.plugins.manager import PluginHost
from relcoord.plugins.respondent_ids import published_view
from relcoord.privacy import anonymise_study, publishable_ratings
from relcoord.ratings import Rating
from relcoord.settings import AnalysisSettings
from relcoord.testing.strategies import studies

ALL = ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
       "shared_knowledge", "mutual_respect")
SECRET_IDS = ("anna-jensen", "bo-hansen", "carla-nielsen", "dorte-holm", "erik-lund")
#: Writing these takes about a second (pictures): fewer examples, at the lowest resolution.
SLOW = frozenset({"docx", "figures"})
FAST_PICTURES = {"docx": {"dpi": 72}, "figures": {"dpi": 72}}


@cache
def every_plugin() -> PluginHost:
    """A host with every installed plugin (docx, the example plugin ...), loaded once."""
    return PluginHost(environ={})


def study_formats() -> list[Format]:
    host = every_plugin()
    readable = {f.id for f in host.importers()}
    return [f for f in host.exporters() if f.carries == "study" and f.id in readable]


def published_formats() -> list[Format]:
    return [f for f in every_plugin().exporters() if f.carries != "study"]


def published(analysis: relcoord.Analysis) -> Any:
    """The Analysis JSON as data: every figure a published output shows."""
    return json.loads(analysis_json_bytes(analysis))


def rating(person: str | None, source: str, target: str, value: float,
           wave: str | None = None) -> Rating:
    return Rating(source=source, target=target, respondent=person, wave=wave,
                  scores=dict.fromkeys(ALL, value))


def panel() -> Study:
    """Five teachers rate KUI in three waves; two KUI staff rate the teachers in three waves:
    a group of two people with six ratings, which the rule withholds."""
    teachers = [Respondent(pid, "teachers") for pid in SECRET_IDS]
    kui = [Respondent("kirsten-kui", "kui"), Respondent("karl-kui", "kui")]
    waves = ("w1", "w2", "w3")
    ratings = [rating(p.id, "teachers", "kui", 3.0 + (i + j) % 2, w)
               for i, p in enumerate(teachers) for j, w in enumerate(waves)]
    ratings += [rating(p.id, "kui", "teachers", 2.0 + i, w)
                for i, p in enumerate(kui) for w in waves]
    return Study(metadata=Metadata(id="panel", language="da"), instrument="rc7",
                 roles=[Role("teachers", "Undervisere", "school"),
                        Role("kui", "KUI", "municipality")],
                 respondents=[*teachers, *kui], ratings=ratings)


def output_of(path: Path) -> dict[str, bytes]:
    """Every file an exporter wrote, by name (a zip's members too; a DOCX as its text)."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    out: dict[str, bytes] = {}
    for file in files:
        data = file.read_bytes()
        name = file.relative_to(path).as_posix() if path.is_dir() else file.name
        if file.suffix == ".docx":
            out[name] = docx_text(file).encode("utf-8")
        elif zipfile.is_zipfile(io.BytesIO(data)):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                out.update({f"{name}/{n}": archive.read(n) for n in archive.namelist()})
        else:
            out[name] = data
    return out


def docx_text(path: Path) -> str:
    """The text of a Word document: paragraphs, then every table cell (python-docx)."""
    docx = pytest.importorskip("docx")
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def write_every(study: Study, analysis: relcoord.Analysis, folder: Path,
                formats: list[Format]) -> dict[str, dict[str, bytes]]:
    host = every_plugin()
    folder.mkdir()
    written = {}
    for chosen in formats:
        destination = folder / f"{chosen.id}{chosen.extensions[0] if chosen.extensions else ''}"
        host.write(study, destination, format=chosen.id, analysis=analysis,
                   options=FAST_PICTURES.get(chosen.id))
        written[chosen.id] = output_of(destination)
    return written


# --- study data: lossless by default ---------------------------------------------------------


def test_the_json_case_of_write_is_dump(tmp_path: Path) -> None:
    study = panel()
    relcoord.dump(study, tmp_path / "dumped.json")
    used = relcoord.plugins.write(study, tmp_path / "written.json")
    assert used.id == "json"
    assert used.carries == "study"
    assert (tmp_path / "written.json").read_bytes() == (tmp_path / "dumped.json").read_bytes()
    assert relcoord.plugins.read(tmp_path / "written.json") == study == relcoord.load(
        tmp_path / "written.json")


def test_respondents_survive_and_the_rule_still_withholds_the_small_group(tmp_path: Path) -> None:
    study = panel()
    relcoord.plugins.write(study, tmp_path / "s.json")
    back = relcoord.plugins.read(tmp_path / "s.json")
    assert [p.id for p in back.respondents] == [p.id for p in study.respondents]
    analysis = analyze(back)
    tie = analysis.scores.tie("kui", "teachers")
    assert tie is not None
    assert tie.suppressed
    assert published(analysis) == published(analyze(study))


def test_pseudonyms_keep_who_is_who_within_and_across_waves(tmp_path: Path) -> None:
    study = panel()
    host = every_plugin()
    host.write(study, tmp_path / "p.json", options={"respondent_ids": "pseudonymise"})
    back = host.read(tmp_path / "p.json")
    assert back == anonymise_study(study, "pseudonymise")
    assert not {p.id for p in back.respondents} & set(SECRET_IDS)
    assert published(analyze(back)) == published(analyze(study))
    # one file per wave, keyed: the same person has the same pseudonym in both
    names = []
    for wave in ("w1", "w3"):
        one = attrs.evolve(study, ratings=study.ratings.select(
            np.asarray([r.wave == wave for r in study.ratings])))
        path = tmp_path / f"{wave}.json"
        host.write(one, path, options={"respondent_ids": "pseudonymise",
                                       "respondent_key": "s3cret"})
        names.append([p.id for p in host.read(path).respondents])
    assert names[0] == names[1]
    assert len(set(names[0])) == 7


def test_pseudonymising_on_import(tmp_path: Path) -> None:
    relcoord.dump(panel(), tmp_path / "s.json")
    back = relcoord.plugins.read(tmp_path / "s.json", options={
        "respondent_ids": "pseudonymise", "respondent_key": "k"})
    assert back == anonymise_study(panel(), "pseudonymise", key="k")


def test_leaving_respondents_out_is_explicit_and_warns(tmp_path: Path) -> None:
    study = panel()
    with pytest.warns(DataLossWarning, match="counts every rating as a respondent") as caught:
        relcoord.plugins.write(study, tmp_path / "o.json", options={"respondent_ids": "omit"})
    assert caught[0].message.location == str(tmp_path / "o.json")  # type: ignore[union-attr]
    omitted = relcoord.plugins.read(tmp_path / "o.json")
    assert omitted.respondents == ()
    assert omitted == anonymise_study(study, "omit")
    # what the warning is about: six ratings of two people now pass as six people
    tie = analyze(omitted).scores.tie("kui", "teachers")
    assert tie is not None
    assert not tie.suppressed
    assert tie.n_respondents == 6
    source = tmp_path / "s.json"
    relcoord.dump(study, source)
    with pytest.warns(DataLossWarning):  # on import too
        assert relcoord.plugins.read(source, options={"respondent_ids": "omit"}) == omitted


@pytest.mark.parametrize(
    ("options", "where", "message"),
    [
        ({"respondent_ids": "hide"}, "option respondent_ids", "expected one of keep"),
        ({"respondent_key": "k"}, "option respondent_key", "only used with"),
        ({"respondent_ids": "pseudonymise", "respondent_key": ""}, "option respondent_key",
         "non-empty"),
    ],
)
def test_bad_respondent_options_are_refused_before_writing(
        tmp_path: Path, options: dict[str, str], where: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        relcoord.plugins.write(panel(), tmp_path / "x.json", options=options)
    assert caught.value.location == where
    assert not (tmp_path / "x.json").exists()


@settings(max_examples=20)  # file I/O and two analyses per example
@given(studies(max_roles=4, max_respondents=8, max_ratings=16),
       st.sampled_from(["keep", "pseudonymise"]))
def test_every_study_format_keeps_every_study_and_its_analysis(study: Study, mode: str) -> None:
    formats = study_formats()
    assert "json" in {f.id for f in formats}
    host = every_plugin()
    with tempfile.TemporaryDirectory() as folder:
        for chosen in formats:
            path = Path(folder) / f"s{chosen.extensions[0] if chosen.extensions else ''}"
            host.write(study, path, format=chosen.id, options={"respondent_ids": mode})
            back = host.read(path, format=chosen.id)
            want = study if mode == "keep" else anonymise_study(study, "pseudonymise")
            assert back == want, chosen.id
            assert len(back.respondents) == len(study.respondents)
            assert published(analyze(back)) == published(analyze(study))


# --- published results: no answer, no id, nothing withheld ---------------------------------


def test_published_results_hold_no_respondent_id(tmp_path: Path) -> None:
    study = panel()
    written = write_every(study, analyze(study), tmp_path / "out", published_formats())
    assert {"analysis-json", "csv", "csv-zip", "graphml", "figures"} <= set(written)
    for format_id, files in written.items():
        data = b"".join(files.values())
        assert data, format_id
        for pid in SECRET_IDS:
            assert pid.encode() not in data, (format_id, pid)
    assert not {"ratings.csv", "respondents.csv"} & set(written["csv"])


def test_published_formats_refuse_the_respondent_options(tmp_path: Path) -> None:
    study = panel()
    with pytest.raises(InvalidInputError, match="never hold respondent ids; respondent_ids"):
        every_plugin().write(study, tmp_path / "t.zip", analysis=analyze(study),
                             options={"respondent_ids": "pseudonymise"})
    assert not (tmp_path / "t.zip").exists()


def test_a_published_writer_sees_pseudonyms_and_true_counts() -> None:
    study = panel()
    analysis = analyze(study)
    shown, shown_analysis = published_view(study, analysis)
    assert shown_analysis is not None
    assert shown_analysis.study is shown
    assert len(shown.respondents) == 7
    assert not {p.id for p in shown.respondents} & set(SECRET_IDS)
    assert published(shown_analysis) == published(analysis)


def new_answers(study: Study, chosen: AnalysisSettings, draw: st.DrawFn | None = None,
                ) -> Study:
    """``study`` with other answers behind its withheld ties (the same ones missing)."""
    withheld = ~publishable_ratings(study, chosen)
    scores = np.array(study.ratings.scores, copy=True)
    for j, dim in enumerate(study.instrument.dimensions):
        for row in np.flatnonzero(withheld & ~np.isnan(scores[:, j])):
            others = sorted(dim.scores - {scores[row, j]})
            scores[row, j] = others[0] if draw is None else draw(st.sampled_from(others))
    return attrs.evolve(study, ratings=attrs.evolve(study.ratings, scores=scores))


@st.composite
def study_and_new_answers(draw: st.DrawFn) -> tuple[Study, Study, AnalysisSettings]:
    study = draw(studies(max_roles=3, max_respondents=8, max_ratings=20, max_waves=2,
                         instrument="rc7"))
    chosen = AnalysisSettings(min_respondents=draw(st.sampled_from([2, 3])),
                              min_respondents_override=True)
    withheld = ~publishable_ratings(study, chosen)
    assume(withheld.any() and not np.isnan(study.ratings.scores[withheld]).all())
    return study, new_answers(study, chosen, draw), chosen


@settings(max_examples=15)  # every fast exporter, twice, per example
@given(study_and_new_answers())
def test_a_small_group_s_answers_change_no_published_output(
        case: tuple[Study, Study, AnalysisSettings]) -> None:
    study, changed, chosen = case
    formats = [f for f in published_formats() if f.id not in SLOW]
    with tempfile.TemporaryDirectory() as folder:
        before = write_every(study, analyze(study, chosen), Path(folder) / "a", formats)
        after = write_every(changed, analyze(changed, chosen), Path(folder) / "b", formats)
    assert before == after


@settings(max_examples=2)  # a report and its pictures take about a second each
@given(study_and_new_answers())
def test_a_small_group_s_answers_change_no_report_or_picture(
        case: tuple[Study, Study, AnalysisSettings]) -> None:
    study, changed, chosen = case
    assert changed != study
    formats = [f for f in published_formats() if f.id in SLOW]
    with tempfile.TemporaryDirectory() as folder:
        before = write_every(study, analyze(study, chosen), Path(folder) / "a", formats)
        after = write_every(changed, analyze(changed, chosen), Path(folder) / "b", formats)
    assert "figures" in before
    assert before == after
