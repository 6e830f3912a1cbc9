"""Every ```python block in README.md and docs/ runs, page by page, in a fresh temporary directory.

Blocks of one page share a namespace, so a page reads like a notebook.  Mark a block that
must not run with another language tag (```text, ```console, ```json).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
PAGES = sorted(
    p for p in [REPO / "README.md", *DOCS.rglob("*.md")]
    if BLOCK.search(p.read_text(encoding="utf-8"))
)


@pytest.mark.docs
@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(REPO)) for p in PAGES])
def test_page_code_runs(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs.{page.stem}"}
    text = page.read_text(encoding="utf-8")
    for number, match in enumerate(BLOCK.finditer(text), start=1):
        line = text.count("\n", 0, match.start()) + 2
        code = compile(match.group(1), f"{page}:{line} (block {number})", "exec")
        exec(code, namespace)


def test_docs_have_code() -> None:
    assert PAGES, "no documentation page holds an executable example"
