"""What an exporter may see: the study and analysis without raw respondent ids.

The plugin host (:mod:`relcoord.plugins.manager`) calls :func:`export_view` before every
writer.  It sits above both :mod:`relcoord.privacy` (the anonymisation) and
:mod:`relcoord.analysis_result` (the result it re-attaches to the anonymised study).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from relcoord.analysis_result import Analysis
from relcoord.errors import InvalidInputError
from relcoord.model import Study
from relcoord.privacy import RESPONDENT_ID_MODES, RespondentIdMode, anonymise_study

__all__ = ["export_view"]


def _mode(value: Any) -> RespondentIdMode:
    text = str(value).strip().lower()
    aliases: dict[str, RespondentIdMode] = {
        "omit": "omit", "pseudonymise": "pseudonymise", "pseudonymize": "pseudonymise",
    }
    if text not in aliases:
        raise InvalidInputError("option respondent_ids", f"expected one of "
                                f"{', '.join(RESPONDENT_ID_MODES)}, got {value!r}")
    return aliases[text]


def export_view(
    study: Study,
    analysis: Analysis | None,
    options: Mapping[str, Any],
    *,
    carries: str = "both",
) -> tuple[Study, Analysis | None, dict[str, Any]]:
    """What an exporter may see: the study and analysis without raw respondent ids.

    Reads and removes the host's own options (:data:`EXPORT_OPTIONS`): ``respondent_ids``
    (``"omit"``, the default, or ``"pseudonymise"``) and ``respondent_key`` (a secret for
    keyed pseudonyms; only with ``pseudonymise``).  Returns the anonymised study, the
    analysis carrying that same study (writers may check that the two match) and the
    remaining options for the writer.  The analysis's figures were computed from the
    original study and are unchanged; they hold no respondent ids.

    A format that ``carries`` only an analysis writes no study data, so ``"omit"`` gives it
    sequential pseudonyms instead: it still sees no raw id, and counts of respondents (a
    report's "respondents per role") stay right.
    """
    rest = dict(options)
    mode = _mode(rest.pop("respondent_ids", "omit"))
    key = rest.pop("respondent_key", None)
    if key is not None and mode != "pseudonymise":
        raise InvalidInputError("option respondent_key", "only used with "
                                "respondent_ids=pseudonymise")
    if key is not None and (not isinstance(key, str | bytes) or not key):
        raise InvalidInputError("option respondent_key", "expected a non-empty secret text")
    if carries == "analysis" and mode == "omit":
        mode = "pseudonymise"
    view = anonymise_study(study, mode, key=key)
    if not isinstance(analysis, Analysis):  # None, or not an analysis: the writer decides
        return view, analysis, rest
    same = analysis.study is study
    shown = view if same else anonymise_study(analysis.study, mode, key=key)
    return view, attrs.evolve(analysis, study=shown), rest
