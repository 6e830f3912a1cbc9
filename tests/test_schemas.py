"""The shipped schemas are valid Draft 2020-12 and the format reference lists their fields."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from relcoord.validation import schema

FORMAT_PAGE = Path(__file__).resolve().parents[1] / "docs" / "format.md"
SCHEMAS = sorted(
    p.name.removesuffix(".schema.json")
    for p in resources.files("relcoord.schemas").iterdir()
    if p.name.endswith(".schema.json")
)


@pytest.mark.parametrize("name", SCHEMAS)
def test_shipped_schema_is_valid(name: str) -> None:
    document = schema(name)
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    text = str(document)
    assert "http://" not in text.replace("https://json-schema.org", "")  # no remote refs


def _sections() -> dict[str, set[str]]:
    """Field names listed in the first column of each table, by section heading."""
    sections: dict[str, set[str]] = {}
    current = ""
    for line in FORMAT_PAGE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            current = line.lstrip("# ").strip()
        match = re.match(r"^\| `([a-z_]+)` \|", line)
        if match:
            sections.setdefault(current, set()).add(match.group(1))
    return sections


def _fields(node: dict[str, Any]) -> set[str]:
    return set(node["properties"])


@pytest.mark.parametrize(
    ("heading", "pointer"),
    [
        ("Document", []),
        ("`study`", ["properties", "study"]),
        ("`roles[]`", ["$defs", "role"]),
        ("`respondents[]`", ["$defs", "respondent"]),
        ("`ties[]`", ["$defs", "tie"]),
        ("`ratings[]`", ["$defs", "rating"]),
        ("`invitations[]`", ["$defs", "invitation"]),
        ("Inline `instrument`", ["$defs", "instrument"]),
        ("`dimensions[]`", ["$defs", "instrument", "properties", "dimensions", "items"]),
    ],
)
def test_format_reference_matches_schema(heading: str, pointer: list[str]) -> None:
    node: Any = schema("study")
    for key in pointer:
        node = node[key]
    assert _sections()[heading] == _fields(node)
    required = set(node.get("required", []))
    rows = FORMAT_PAGE.read_text(encoding="utf-8").split(heading, 1)[1]
    for field in _fields(node):
        row = re.search(rf"^\| `{field}` \| (yes|no) \|", rows, re.M)
        assert row is not None, field
        assert (row.group(1) == "yes") == (field in required), field
