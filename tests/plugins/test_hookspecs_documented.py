"""Every hook is documented in docs/plugins/hooks.md and exercised by the tests (as datasette)."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from relcoord.plugins import hookspecs

REPO = Path(__file__).resolve().parents[2]
HOOKS_PAGE = REPO / "docs" / "plugins" / "hooks.md"
HOOK_TESTS = REPO / "tests" / "plugins" / "test_host.py"


def hook_specs() -> dict[str, Callable[..., Any]]:
    """The hook specifications: functions marked with the ``relcoord`` hookspec marker."""
    return {
        name: function
        for name, function in vars(hookspecs).items()
        if callable(function) and hasattr(function, f"{hookspecs.PROJECT_NAME}_spec")
    }


def sections() -> dict[str, str]:
    """The hook page's ``## name`` sections, by name."""
    text = HOOKS_PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^## (\S+)\n", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def signature(function: Callable[..., Any]) -> str:
    """``name(arg: Type) -> Return`` as written in the hookspec (annotations are strings)."""
    sig = inspect.signature(function)
    params = ", ".join(f"{p.name}: {p.annotation}" for p in sig.parameters.values())
    return f"{function.__name__}({params}) -> {sig.return_annotation}"


def plain(text: str) -> str:
    return " ".join(text.replace("``", "`").split())


def test_there_are_hooks() -> None:
    assert set(hook_specs()) == {
        "relcoord_register_importers",
        "relcoord_register_exporters",
        "relcoord_register_commands",
        "relcoord_register_template_writers",
        "relcoord_register_engines",
    }


def test_the_page_documents_no_hook_that_does_not_exist() -> None:
    assert set(sections()) == set(hook_specs())


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_hook_is_documented_with_its_signature_and_summary(name: str) -> None:
    spec = hook_specs()[name]
    section = sections()[name]
    assert signature(spec) in section, f"docs/plugins/hooks.md: {name} signature out of date"
    summary = plain((spec.__doc__ or "").strip().splitlines()[0])
    assert summary, f"{name}: the hookspec needs a docstring"
    assert summary in plain(section), f"{name}: docstring summary not in the page"
    assert "```python" in section, f"{name}: the page needs a runnable example"


@pytest.mark.parametrize("name", sorted(hook_specs()))
def test_hook_is_implemented_by_a_test_plugin(name: str) -> None:
    source = HOOK_TESTS.read_text(encoding="utf-8")
    assert re.search(rf"def {name}\(", source), f"{name} is not exercised in {HOOK_TESTS.name}"
