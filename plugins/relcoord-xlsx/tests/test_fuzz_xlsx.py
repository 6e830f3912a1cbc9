"""Fuzzing the xlsx importer and exporter with the core's harness (issue 17).

The corpus is a survey workbook (long layout, with a roles sheet): mutations of the archive's
bytes or of one of its parts (a sheet's XML, the shared strings) give a study or relcoord's
own located error.  Hostile studies are written to results workbooks, or refused with
relcoord's own error that leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from relcoord.plugins import PluginHost
from relcoord.testing.fuzzing import (
    CorpusInput,
    assert_writes_cleanly,
    corpus_reads_test,
    hostile_studies_test,
    mutated_inputs_test,
    register_corpus,
)

HOST = PluginHost()


def _answers(folder: Path) -> Path:
    book = Workbook()
    answers = book.active
    answers.title = "Besvarelser"
    for row in (["respondent", "source", "target", "item", "value"],
                ["r1", "nurse", "doctor", "frequent", 4], ["r1", "nurse", "doctor", "timely", 3],
                ["r2", "doctor", "nurse", "frequent", 2],
                ["r2", "doctor", "nurse", "shared_goals", 4]):
        answers.append(row)
    roles = book.create_sheet("Roller")
    for row in (["id", "name"], ["nurse", "Nurses"], ["doctor", "Doctors"]):
        roles.append(row)
    path = folder / "answers.xlsx"
    book.save(path)
    return path


ANSWERS = register_corpus(CorpusInput("xlsx", "answers", _answers,
                                      {"max_bytes": 1 << 20, "values": "positions"}))
#: The exporters these tests fuzz (``tests/fuzz/test_fuzz_coverage.py`` checks that every
#: installed exporter is fuzzed somewhere).
FUZZED_EXPORTERS = ("xlsx",)


test_the_corpus_input_itself_reads = corpus_reads_test(HOST, [ANSWERS])


test_mutated_workbooks_give_a_study_or_relcoords_own_error = mutated_inputs_test(
    HOST, [ANSWERS])


test_hostile_studies_are_written_or_refused_cleanly = hostile_studies_test(
    HOST, FUZZED_EXPORTERS)


@pytest.mark.parametrize("bad", ["bad \ufffe", "escape \x1b"])
def test_a_role_name_a_workbook_cannot_hold_is_refused_at_its_cell(tmp_path: Path,
                                                                   bad: str) -> None:
    import attrs

    from relcoord.errors import InvalidInputError
    from relcoord.example import load_example

    study = load_example()
    roles = [attrs.evolve(r, name=bad) if i == 0 else r for i, r in enumerate(study.roles)]
    result = assert_writes_cleanly(HOST, attrs.evolve(study, roles=roles), tmp_path,
                                   format="xlsx", name="results.xlsx",
                                   options={"lang": "en"})
    assert isinstance(result, InvalidInputError)
    assert result.location == "roles!B2"
    assert list(tmp_path.iterdir()) == []
