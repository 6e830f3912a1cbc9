"""The Word report as a word processor lays it out: LibreOffice converts it to PDF, poppler
reads the PDF back.

The Danish and the English report of the embedded example and of a generated 40-role RC
survey (:func:`relcoord.testing.surveys.care_study`: unequal groups, missing answers), one
group's sheet and the contact guide are converted in one ``soffice --headless`` run.  The
checks: the page counts (a 40-role survey in about 20 pages, a group's sheet on one page),
no English catalogue phrase in a Danish report and no Danish one in an English report, no
share above 100 % (a count printed as a percentage), and every picture embedded.

Skipped when LibreOffice or poppler is not installed, except under ``CI=true``, where
``.ci/run`` installs them and a missing program is a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest

from relcoord import messages
from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example
from relcoord.plugins import PluginHost
from relcoord.report import build_report
from relcoord.settings import Lang
from relcoord.testing.surveys import care_study

PROGRAMS: Final = ("soffice", "pdftotext", "pdfinfo", "pdfimages")
#: The documents converted: name -> (study, language, docx options).
DOCUMENTS: Final[dict[str, tuple[str, Lang, dict[str, Any]]]] = {
    "example-da": ("example", "da", {}),
    "example-en": ("example", "en", {}),
    "survey40-da": ("survey40", "da", {}),
    "survey40-en": ("survey40", "en", {}),
    "teachers-da": ("example", "da", {"group": "teachers"}),
    "contacts-en": ("example", "en", {"part": "contact-guide"}),
}


def _require_programs() -> None:
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    if not missing:
        return
    why = f"not installed: {', '.join(missing)} (LibreOffice, poppler-utils)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the word-processor checks; {why}")
    pytest.skip(why)


@dataclass(frozen=True)
class Converted:
    """A document as LibreOffice laid it out."""

    analysis: Analysis
    lang: str
    pdf: Path

    @property
    def pages(self) -> int:
        info = subprocess.run(["pdfinfo", str(self.pdf)], capture_output=True, text=True,
                              check=True, timeout=60).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]

    @property
    def text(self) -> str:
        """The PDF's text, whitespace collapsed, without the study's own words (its title,
        description, focal process and invitation topics are in the language of the data,
        not of the report)."""
        raw = subprocess.run(["pdftotext", str(self.pdf), "-"], capture_output=True,
                             text=True, check=True, timeout=60).stdout
        text = " ".join(raw.split())
        meta = self.analysis.study.metadata
        own = [meta.title, meta.description, meta.focal_process,
               *(i.topic for i in self.analysis.study.invitations)]
        for words in sorted((" ".join(w.split()) for w in own if w), key=len, reverse=True):
            text = text.replace(words, " ")
        return text

    @property
    def images(self) -> int:
        listing = subprocess.run(["pdfimages", "-list", str(self.pdf)], capture_output=True,
                                 text=True, check=True, timeout=60).stdout
        rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
        return sum(1 for row in rows if len(row) > 2 and row[2] == "image")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    _require_programs()
    folder = tmp_path_factory.mktemp("libreoffice")
    studies = {"example": load_example(), "survey40": care_study(40)}
    analyses: dict[tuple[str, str], Analysis] = {}
    paths = []
    for name, (study, lang, options) in DOCUMENTS.items():
        key = (study, lang)
        if key not in analyses:
            analyses[key] = analyze(studies[study], lang=lang)
        path = folder / f"{name}.docx"
        PluginHost().write(analyses[key].study, path, format="docx", analysis=analyses[key],
                           options={"dpi": "72", **options})
        paths.append(str(path))
    profile = folder / "profile"  # its own profile: another soffice may be running
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *paths],
                   capture_output=True, check=True, timeout=600)
    return {name: Converted(analyses[(study, lang)], lang, folder / f"{name}.pdf")
           for name, (study, lang, _) in DOCUMENTS.items()}


def _fragments(phrase: str) -> list[str]:
    """The parts of a catalogue phrase between its fields that are long enough to be
    recognised: two words or more, ten characters or more."""
    parts = (" ".join(p.split()).strip(" .,;:()") for p in re.split(r"\{[^}]*\}", phrase))
    return [p for p in parts if len(p) >= 10 and len(p.split()) >= 2]


def _phrases_only_in(lang: str) -> dict[str, str]:
    """Fragment -> catalogue key, for the phrases of ``lang`` that the other language
    writes differently."""
    other = next(code for code in messages.LANGUAGES if code != lang)
    found: dict[str, str] = {}
    for key, message in messages.CATALOGUE.items():
        theirs = message.in_language(other)
        for fragment in _fragments(message.in_language(lang)):
            if fragment not in theirs:
                found[fragment] = key
    return found


@pytest.mark.parametrize(("name", "least", "most"), [
    ("example-da", 20, 45), ("example-en", 20, 45), ("survey40-da", 15, 25),
    ("survey40-en", 15, 25), ("teachers-da", 1, 1), ("contacts-en", 1, 3),
])
def test_page_counts(converted: dict[str, Converted], name: str, least: int, most: int) -> None:
    """A 40-role complete survey in about 20 pages; a group's sheet on one page."""
    assert least <= converted[name].pages <= most


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_no_phrase_of_the_other_language(converted: dict[str, Converted], name: str) -> None:
    document = converted[name]
    other = next(code for code in messages.LANGUAGES if code != document.lang)
    text = document.text
    leaked = {f"{fragment!r} ({key})" for fragment, key in _phrases_only_in(other).items()
              if fragment in text}
    assert not leaked, f"{name}: {', '.join(sorted(leaked))}"


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_no_count_printed_as_a_percentage(converted: dict[str, Converted], name: str) -> None:
    """A share is at most 100 %; a count written as a percentage (600 %) is not."""
    shares = [int(v) for v in re.findall(r"(\d+)\s?%", converted[name].text)]
    assert all(v <= 100 for v in shares), sorted(v for v in shares if v > 100)


@pytest.mark.parametrize("name", ["example-da", "example-en", "survey40-da", "survey40-en"])
def test_every_picture_is_embedded(converted: dict[str, Converted], name: str) -> None:
    document = converted[name]
    report = build_report(document.analysis, document.lang)
    assert document.images == len(report.picture_names) >= 4


def test_the_danish_report_reads_danish(converted: dict[str, Converted]) -> None:
    text = converted["survey40-da"].text
    for heading in ("Indhold", "Hvem kontakter jeg?", "Funktionsgrupperne, en side hver",
                    "Sådan kan resultaterne læses"):
        assert heading in text
    assert "Ældrerådet" in text
    assert converted["contacts-en"].text.count("Who do I contact?") >= 1
