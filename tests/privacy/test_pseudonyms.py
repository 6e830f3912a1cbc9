"""Pseudonyms (relcoord.privacy.pseudonyms): numbered or keyed (HMAC-SHA256), stable.

Which outputs keep respondent ids, pseudonymise them or leave them out is the plugin host's
one policy; its tests are in ``tests/test_study_data.py``.
"""

from __future__ import annotations

from relcoord.privacy import pseudonyms


def test_keyed_pseudonyms_are_stable_and_depend_on_the_key() -> None:
    ids = ("b", "a", "c")
    assert pseudonyms(ids) == {"a": "R0001", "b": "R0002", "c": "R0003"}
    first = pseudonyms(ids, key="secret")
    assert first == pseudonyms(("c", "a", "b"), key=b"secret")
    assert first != pseudonyms(ids, key="other")
    assert all(p.startswith("R") and len(p) == 17 for p in first.values())
    assert len(pseudonyms(tuple(str(i) for i in range(12345)))["0"]) == 6
