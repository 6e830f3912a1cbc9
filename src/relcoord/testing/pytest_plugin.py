"""relcoord's pytest plugin (entry point ``pytest11``): fixtures for plugin authors.

Installed with relcoord, so any project that has relcoord and pytest gets:

``relcoord_host``
    a fresh [`PluginHost`][relcoord.plugins.manager.PluginHost], installed as the process-wide host
    for the test and removed afterwards, loading the built-ins and the installed entry points
    as they are now (honouring ``RELCOORD_DISABLE_PLUGINS`` / ``RELCOORD_PLUGINS``).
``relcoord_roundtrip``
    [`assert_roundtrip`][relcoord.testing.conformance.assert_roundtrip] bound to the test's
    ``tmp_path`` and the fresh host: ``relcoord_roundtrip("my-format", study)``.

Nothing heavy is imported when pytest starts: relcoord itself is imported only when a
test asks for one of these fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from relcoord.model import Study
    from relcoord.plugins.manager import PluginHost

__all__ = ["relcoord_host", "relcoord_roundtrip"]


@pytest.fixture
def relcoord_host() -> Iterator[PluginHost]:
    """A fresh plugin host, used by relcoord's functions and the CLI during the test."""
    from relcoord.plugins.manager import PluginHost, install_host

    host = PluginHost()
    previous = install_host(host)
    try:
        yield host
    finally:
        install_host(previous)


@pytest.fixture
def relcoord_roundtrip(relcoord_host: PluginHost, tmp_path: Path) -> Callable[..., Study]:
    """``assert_roundtrip`` with this test's ``tmp_path`` and fresh host filled in."""
    from relcoord.testing.conformance import assert_roundtrip

    def roundtrip(format_id: str, study: Study, **kwargs: Any) -> Study:
        return assert_roundtrip(format_id, study, tmp_path, host=relcoord_host, **kwargs)

    return roundtrip
