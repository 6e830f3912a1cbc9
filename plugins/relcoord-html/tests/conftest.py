"""What the HTML plugin's tests share: studies analysed and pages written once per session."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from relcoord.analysis import Analysis, analyze
from relcoord.example import load_example
from relcoord.messages import Language
from relcoord.plugins import PluginHost
from relcoord.testing.surveys import care_study

# --- the studies and pages these tests share, analysed and written once per session ----------


@cache
def analysis_of(name: str, lang: Language = "en") -> Analysis:
    """``example`` (the embedded example), ``surveyN`` (a generated N-role RC survey) or
    ``mapN`` (a generated N-role relationship map), analysed in ``lang``."""
    if name == "example":
        return analyze(load_example(), lang=lang)
    if name.startswith("survey"):
        return analyze(care_study(int(name[6:])), lang=lang)
    if name.startswith("map"):
        return analyze(care_study(int(name[3:]), kind="relationskort"), lang=lang)
    raise KeyError(name)


@cache
def page(name: str, lang: str = "en") -> Path:
    """The page of study ``name`` (see :func:`analysis_of`), option ``lang`` as given
    (``"da,en"`` for both), written by the registered ``html`` exporter."""
    analysis = analysis_of(name, lang.split(",")[0])
    path = Path(tempfile.mkdtemp(prefix="relcoord-html-")) / f"{name}-{lang}.html"
    PluginHost().write(analysis.study, path, format="html", analysis=analysis,
                       options={"lang": lang, "dpi": "72"})
    return path


@pytest.fixture(scope="session")
def html_page() -> Callable[..., Path]:
    """:func:`page`: the page of a study by name, written once."""
    return page


@pytest.fixture(scope="session")
def html_analysis() -> Callable[..., Analysis]:
    """:func:`analysis_of`: a study by name, analysed once."""
    return analysis_of
