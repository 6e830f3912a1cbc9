"""No guess goes unsaid: the CSV importers note every guess (ImportNote) with the option that
settles it, warn about what they ignore (InputWarning), and know the headers of Danish,
German and English exports."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from relcoord.errors import ImportNote, InputWarning
from relcoord.formats.csv import CsvEncodingWarning, read_long, read_wide
from relcoord.formats.csv.columns import FIELD_ALIASES, normalise, resolve_columns

DATA = Path(__file__).resolve().parents[2] / "data" / "csv"
ITEMS = "RC1_COM;RC2_COM;RC3_COM;RC4_COM;RC5_REL;RC6_REL;RC7_REL"


def notes_of(read: object, *args: object) -> list[str]:
    """Every note and warning that ``read(*args)`` gives, as ``Class: text``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        read(*args)  # type: ignore[operator]
    return [f"{w.category.__name__}: {w.message}" for w in caught]


def test_a_sniffed_dialect_and_the_columns_found_are_noted(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(f"Deltager;Faggruppe;Vurderet faggruppe;Bølge;{ITEMS}\n"
                    "d1;Lærere;Ledelse;1;4;4;4;4;4;4;4\n", encoding="utf-8-sig")
    said = notes_of(read_wide, path, {})
    assert said == [
        f"ImportNote: {path}: fields separated by ';', decimal comma accepted (settle it "
        "with -I delimiter=';')",
        f"ImportNote: {path}: columns found by their headers: respondent='Deltager', "
        "source='Faggruppe', target='Vurderet faggruppe', wave='Bølge' (settle it with -I "
        '\'columns={"respondent": "Deltager", "source": "Faggruppe", "target": "Vurderet '
        'faggruppe", "wave": "Bølge"}\')',
        f"ImportNote: {path}: item columns: 'RC1_COM'=frequent, 'RC2_COM'=timely, "
        "'RC3_COM'=accurate, 'RC4_COM'=problem_solving, 'RC5_REL'=shared_goals, "
        "'RC6_REL'=shared_knowledge, 'RC7_REL'=mutual_respect (settle it with -I "
        '\'items={"RC1_COM": "frequent", "RC2_COM": "timely", "RC3_COM": "accurate", '
        '"RC4_COM": "problem_solving", "RC5_REL": "shared_goals", "RC6_REL": '
        '"shared_knowledge", "RC7_REL": "mutual_respect"}\')',
    ]
    settled = {"delimiter": ";", "columns": {"respondent": "Deltager", "source": "Faggruppe",
                                             "target": "Vurderet faggruppe", "wave": "Bølge"},
               "items": {f"RC{i}_{'COM' if i < 5 else 'REL'}": key for i, key in enumerate(
                   ("frequent", "timely", "accurate", "problem_solving", "shared_goals",
                    "shared_knowledge", "mutual_respect"), start=1)}}
    assert notes_of(read_wide, path, settled) == []  # every guess settled: nothing to say


def test_the_answers_header_and_ignored_columns_are_said(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent,source,target,item,score,Kommentar\n"
                    "r1,a,b,frequent,2,ok\n", encoding="utf-8")
    said = notes_of(read_long, path, {})
    assert f"ImportNote: {path}: answers read as scores: the answer column is headed " \
           "'score' (settle it with -I values=scores)" in said
    assert f"InputWarning: {path}: column(s) 'Kommentar' ignored: neither a field nor an " \
           "item of instrument 'rc7' (name an item column with -I 'items={\"HEADER\": " \
           "\"frequent\"}')" in said
    assert f"ImportNote: {path}: fields separated by ',' (settle it with -I delimiter=,)" \
        in said
    assert all(s.startswith(("ImportNote", "InputWarning")) for s in said)


def test_a_legacy_encoding_is_an_input_warning() -> None:
    assert issubclass(CsvEncodingWarning, InputWarning)
    with pytest.warns(CsvEncodingWarning) as caught:
        read_long(DATA / "cp1252.csv", {})
    warning = caught[0].message
    assert isinstance(warning, InputWarning)
    assert warning.location.endswith("cp1252.csv:2:2")
    assert "-I encoding=cp1252" in warning.message


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Respondent-ID", "respondent"), ("Deltager", "respondent"), ("ResponseId", "respondent"),
        ("Teilnehmer-ID", "respondent"), ("Faggruppe", "source"), ("Funktionsgruppe", "source"),
        ("Rolle", "source"), ("Berufsgruppe", "source"), ("Professional group", "source"),
        ("Vurderet faggruppe", "target"), ("Bewertete Berufsgruppe", "target"),
        ("Rated group", "target"), ("Bølge", "wave"), ("Runde", "wave"), ("Welle", "wave"),
        ("Måling", "wave"), ("Spørgsmål", "item"), ("Frage", "item"), ("Svar", "value"),
        ("Antwort", "value"), ("Point", "value"),
    ],
)
def test_headers_of_real_exports_are_known(header: str, field: str) -> None:
    assert normalise(header) in {normalise(a) for a in FIELD_ALIASES[field]}
    others = [f for f in ("respondent", "source", "target", "wave", "item", "value")
              if f != field]
    for other in others:  # one meaning per header within a layout
        assert normalise(header) not in {normalise(a) for a in FIELD_ALIASES[other]}


def test_a_german_export_finds_its_columns() -> None:
    header = ["Teilnehmer-ID", "Berufsgruppe", "Bewertete Berufsgruppe", "Welle", "Frage",
              "Antwort"]
    spec, problems = resolve_columns(
        header, "x.csv", required=("source", "target", "item", "value"),
        optional=("respondent", "wave"))
    assert problems == []
    assert dict(spec.positions) == {"respondent": 0, "source": 1, "target": 2, "wave": 3,
                                    "item": 4, "value": 5}


def test_notes_are_import_notes_a_caller_can_filter(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("respondent;role;target;item;position\nr1;a;b;frequent;3\n",
                    encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", ImportNote)
        study = read_long(path, {})
    assert study.ratings.scores[0, 0] == 5.0


def test_a_role_list_s_headers_and_dialect_are_noted_without_a_wrong_option(tmp_path: Path
                                                                            ) -> None:
    roles = tmp_path / "roles.csv"
    roles.write_text("Kode;Navn;Organisation;Til stede;Note\na;A;Skole;ja;x\nb;B;Skole;nej;\n",
                     encoding="utf-8")
    answers = tmp_path / "a.csv"
    answers.write_text("respondent,role,target,item,position\nr1,a,b,frequent,3\n",
                       encoding="utf-8")
    said = [s for s in notes_of(read_long, answers, {"roles": str(roles)}) if str(roles) in s]
    assert said == [
        f"ImportNote: {roles}: fields separated by ';', decimal comma accepted",
        f"ImportNote: {roles}: columns found by their headers: id='Kode', name='Navn', "
        "present='Til stede' (head them id, name, present to settle it)",
        f"InputWarning: {roles}: column(s) 'Note' ignored: not a column of a roles table "
        "(see the CSV page of the documentation)",
    ]
