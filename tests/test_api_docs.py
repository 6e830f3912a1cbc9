"""The API reference renders: no raw reST roles, cross-references that link, classes with
their fields.

The site is built once per session with mkdocs (as ``./dev test`` does at its end, but
here the rendered pages are read).  Docstrings are Markdown (Google style); a Sphinx role
such as ``:class:`Study``` shows up literally on the page, so every page is searched for
one.  ``scripts/markdown_docstrings.py`` rewrites roles into cross-references.  Without
mkdocs the test is skipped, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.docs_build

#: A reST role as it survives rendering: ``:class:`` before a code span or a backtick.
RAW_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const|ref):"
                      r"(?:<code>|`)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    try:
        import mkdocs  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("mkdocs is not installed (the dev group installs it)")
        pytest.skip("mkdocs is not installed")
    folder = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(folder)],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def text_of(page: Path) -> str:
    return html.unescape(page.read_text(encoding="utf-8"))


def test_no_page_shows_a_raw_rest_role(site: Path) -> None:
    found = []
    for page in sorted(site.rglob("*.html")):
        for match in RAW_ROLE.finditer(page.read_text(encoding="utf-8")):
            around = match.string[match.start() - 60:match.end() + 30]
            found.append(f"{page.relative_to(site)}: ...{around}")
    assert not found, "raw reST roles (run scripts/markdown_docstrings.py):\n" + "\n".join(
        found[:20])


def test_cross_references_link_to_the_api_page(site: Path) -> None:
    api = (site / "api" / "index.html").read_text(encoding="utf-8")
    # the errors module's docstring names Problem, InvalidStudyError and RelcoordError
    assert 'href="#relcoord.errors.InvalidStudyError"' in api
    assert 'href="#relcoord.model.Study"' in api


@pytest.mark.parametrize(("cls", "fields"), [
    ("relcoord.model.Role", ("id", "name", "organisation", "present", "names")),
    ("relcoord.model.NamedTie", ("source", "target", "wave")),
    ("relcoord.settings.AnalysisSettings", ("weighting", "min_items", "lang")),
])
def test_classes_show_their_fields(site: Path, cls: str, fields: tuple[str, ...]) -> None:
    page = text_of(site / "api" / "index.html")
    start = page.index(f'id="{cls}"')
    end = page.find("doc-heading", page.index("doc-heading", start) + 1)  # the next object
    table = " ".join(re.sub(r"<[^>]+>", " ", page[start:end]).split())
    assert "Name Type Description" in table
    for name in fields:
        assert re.search(rf"\b{name}\b", table), f"{cls}: field {name} not shown"
