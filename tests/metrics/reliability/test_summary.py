"""Every reliability figure at once (relcoord.metrics.reliability.summary): the JSON-ready
mapping."""

from __future__ import annotations

import json

from relcoord import Study
from relcoord.metrics.reliability import (
    ReliabilitySettings,
    reliability_summary,
)


def test_reliability_summary_mapping_is_json_ready(hand_study: Study) -> None:
    summary = reliability_summary(hand_study, ReliabilitySettings(center="median"))
    data = summary.to_mapping()
    assert set(data["cronbach_alpha"]) == {"rc", "communication", "relationship"}
    assert data["agreement"]["center"] == "median"
    assert data["settings"]["by"] == "role"
    text = json.dumps(data, allow_nan=False)  # no NaN anywhere
    assert "NaN" not in text
    single = next(t for t in data["agreement"]["ties"] if t["source"] == "b")
    assert single["rwg_j"] is None

