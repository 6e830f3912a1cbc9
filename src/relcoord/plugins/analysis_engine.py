"""The AnalysisEngine type: another way to run `relcoord.analyze` over a study that is stored.

An engine computes the same [`Analysis`][relcoord.analysis_result.Analysis] as
[`relcoord.analyze`][relcoord.analysis.analyze] of the whole study, but reads the study where it
lies (a folder of partitions, a data platform) and may spread the work over other processes or
machines; ``relcoord analyze FILE --engine ID`` picks one.  The built-in engine, ``memory``, reads
the whole study into this process; a plugin adds others with the hook
[`relcoord_register_engines`][relcoord.plugins.hookspecs.relcoord_register_engines] (the
``relcoord-dask`` plugin adds ``dask``).

The contract for the two functions:

``facts(source) -> Study``
    the study without its ratings (roles, respondents, instrument, metadata): the command line
    reads its language and checks the settings against it before the analysis starts.

``analyze(source, settings, options) -> Analysis``
    the analysis of the whole study at ``source`` under ``settings``, equal to
    ``relcoord.analyze(study, settings)`` (floats to rounding, counts exactly).  ``options``
    are the engine's own, given on the command line as ``-E KEY=VALUE`` (values are text);
    each key is one of the engine's
    [`options`][relcoord.plugins.analysis_engine.AnalysisEngine.options] (the command line
    refuses others before the engine runs).  Bad input raises relcoord's located errors
    ([`InvalidInputError`][relcoord.errors.InvalidInputError],
    [`InvalidStudyError`][relcoord.errors.InvalidStudyError]), as an importer does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Final, TypeAlias

import attrs

if TYPE_CHECKING:  # types only: relcoord analyze --help imports this module, and no model
    from relcoord.analysis import Analysis
    from relcoord.model import Study
    from relcoord.settings import AnalysisSettings

__all__ = ["ENGINE_ID_PATTERN", "MEMORY_ENGINE", "AnalysisEngine", "EngineRun", "FactsReader"]

#: An engine id: lower-case letters, digits and dashes, starting with a letter.
ENGINE_ID_PATTERN: Final = re.compile(r"^[a-z][a-z0-9-]*$")
#: The id of the built-in engine (the whole study in this process; the default).
MEMORY_ENGINE: Final = "memory"

#: Reads the study at a source without its ratings.
FactsReader: TypeAlias = Callable[[Path], "Study"]
#: Runs the analysis of the study at a source under settings, with the engine's options.
EngineRun: TypeAlias = Callable[[Path, "AnalysisSettings", Mapping[str, str]], "Analysis"]


def _engine_id(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not ENGINE_ID_PATTERN.match(value) or value == MEMORY_ENGINE:
        raise ValueError(f"engine id {value!r} must match {ENGINE_ID_PATTERN.pattern} and "
                         f"not be {MEMORY_ENGINE!r} (the built-in engine)")


def _options(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


@attrs.frozen(kw_only=True)
class AnalysisEngine:
    """An analysis engine as the plugin host sees it (see the module docstring).

    Attributes:
        id: what ``--engine`` names (``dask``).
        title: one line for ``relcoord plugins`` and the error that lists the engines.
        facts: reads the study without its ratings.
        analyze: runs the whole analysis.
        options: the engine's options (``-E KEY=VALUE``), each name with a line of help.
    """

    id: str = attrs.field(validator=_engine_id)
    title: str
    facts: FactsReader
    analyze: EngineRun
    options: Mapping[str, str] = attrs.field(factory=dict, converter=_options)
