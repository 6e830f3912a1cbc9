"""A finding: one plain-language statement read out of an analysis, with the numbers behind it.

The type lives apart from the rules that produce it ([`relcoord.findings`][relcoord.findings]) so
that the analysis result ([`relcoord.analysis_result`][relcoord.analysis_result]) can hold findings
without depending on the rules, and the rules can read the result without a cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal, get_args

import attrs

from relcoord.frozen_mapping import FrozenMapping
from relcoord.json_values import json_ready

__all__ = ["FINDING_KINDS", "Finding", "FindingKind"]

FindingKind = Literal[
    "most_named",
    "overlooked",
    "internal_external_gap",
    "named_but_absent",
    "weak_ties",
    "perception_gap",
    "dialogue",
]
#: Every kind of finding, in the order findings are listed.
FINDING_KINDS: Final[tuple[str, ...]] = get_args(FindingKind)

def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return FrozenMapping(value)


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class Finding:
    """One finding: its ``kind``, the ``roles`` (ids) it concerns, the ``figures`` behind it
    (JSON-ready values) and its ``text`` as ``{"da": ..., "en": ...}``."""

    kind: FindingKind
    roles: tuple[str, ...] = attrs.field(converter=_ids)
    figures: Mapping[str, Any] = attrs.field(converter=_frozen)
    text: Mapping[str, str] = attrs.field(converter=_frozen)

    def sentence(self, lang: str = "en") -> str:
        """The finding's text in ``lang`` (English when that language is missing)."""
        return self.text.get(lang) or self.text["en"]

    def to_mapping(self) -> dict[str, Any]:
        """The finding as JSON-ready values, one key per attribute."""
        return json_ready({"kind": self.kind, "roles": self.roles, "figures": self.figures,
                           "text": self.text})
