"""The results workbook, a workshop template and the printable forms as an office suite
opens them: LibreOffice converts each to PDF without error, poppler reads the PDFs back.

Checks: every conversion succeeds; the results workbook's PDF holds the sheets' headings
and role names in Danish; the template's PDF holds its instructions; the forms have one
page per function group.  Skipped when LibreOffice (with Calc) or poppler is missing,
except under ``CI=true``, where ``.ci/run`` installs them and a missing program is a
failure.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Final

import pytest

from relcoord import messages
from relcoord.analysis import analyze
from relcoord.example import load_example
from relcoord.formats.workshop_template import WorkshopTemplate
from relcoord.plugins import PluginHost

PROGRAMS: Final = ("soffice", "pdftotext", "pdfinfo")


def _require_programs() -> None:
    missing = [p for p in PROGRAMS if shutil.which(p) is None]
    calc = shutil.which("soffice") is not None and any(
        Path(d, "program", "libscfiltlo.so").exists()
        for d in ("/usr/lib/libreoffice", "/opt/libreoffice"))
    if not missing and calc:
        return
    why = (f"not installed: {', '.join(missing) or 'LibreOffice Calc'} "
           "(libreoffice-calc-nogui, libreoffice-writer-nogui, poppler-utils)")
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the office-suite checks; {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    _require_programs()
    folder = tmp_path_factory.mktemp("libreoffice")
    host = PluginHost()
    example = load_example()
    analysis = analyze(example, lang="da")
    host.write(analysis.study, folder / "results.xlsx", format="xlsx", analysis=analysis)
    for kind in ("relationskort", "survey"):
        template = WorkshopTemplate.of(kind, example.roles, "da")
        host.write_template(template, folder / f"{kind}.xlsx")
    host.write_template(WorkshopTemplate.of("balkort", example.roles, "da"),
                        folder / "forms.docx")
    names = ["results.xlsx", "relationskort.xlsx", "survey.xlsx", "forms.docx"]
    profile = folder / "profile"  # its own profile: another soffice may be running
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder),
                    *(str(folder / n) for n in names)],
                   capture_output=True, check=True, timeout=600)
    found = {n: folder / f"{n.rsplit('.', 1)[0]}.pdf" for n in names}
    assert all(p.exists() for p in found.values()), sorted(p.name for p in folder.iterdir())
    return found


def _text(pdf: Path) -> str:
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    return " ".join(raw.split())


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


def test_the_results_workbook_converts_and_reads_danish(pdfs: dict[str, Path]) -> None:
    text = _text(pdfs["results.xlsx"])
    assert messages.text("workbook.results.finding", "da") in text
    assert "Vurderende (række)" in text
    assert "Elevhjemsmedarbejdere" in text
    assert "residence-staff" in text
    assert _pages(pdfs["results.xlsx"]) >= 7


def test_the_templates_convert_with_their_instructions(pdfs: dict[str, Path]) -> None:
    for name in ("relationskort.xlsx", "survey.xlsx"):
        text = _text(pdfs[name])
        assert messages.text("workbook.instructions.title", "da") in text
        assert "Fra gruppe" in text
        assert "Til gruppe" in text


def test_the_printable_forms_have_a_page_per_group(pdfs: dict[str, Path]) -> None:
    roles = load_example().roles
    assert _pages(pdfs["forms.docx"]) == len(roles)
    text = _text(pdfs["forms.docx"])
    assert text.count("☐") == len(roles) * (len(roles) - 1)
