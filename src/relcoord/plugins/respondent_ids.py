"""Respondent ids through a format: the one policy for study data and published results.

The plugin host ([`relcoord.plugins.format_io`][relcoord.plugins.format_io]) applies it to
everything it reads and writes, so that the command line,
[`relcoord.plugins.read`][relcoord.plugins.read] /
[`relcoord.plugins.write`][relcoord.plugins.write] and every plugin follow the same rule
(``docs/privacy.md``):

*Study data* (any importer, and a writer whose format ``carries="study"``) is lossless by
default: respondents keep their ids.  The host's options
    `RESPONDENT_IDS` and
`RESPONDENT_KEY` ask for pseudonyms instead
(numbered ``R0001`` ..., or keyed with a secret so that the same person gets the same pseudonym in
every file and wave made with the key) or, with a
[`DataLossWarning`][relcoord.errors.DataLossWarning], for no respondents at all.

*Published results* (formats that carry ``"analysis"`` or ``"both"``) never see a raw
respondent id: their writers get numbered pseudonyms, which keep counts of respondents
right, and the two options are refused for them.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from relcoord import messages
from relcoord.analysis_result import Analysis
from relcoord.errors import DataLossWarning, InvalidInputError
from relcoord.formats.format_option import FormatOption
from relcoord.messages.reading import LANGUAGE
from relcoord.model import Study
from relcoord.privacy import anonymise_study

if TYPE_CHECKING:
    from relcoord.formats.format_type import Carries

__all__ = [
    "RESPONDENT_IDS",
    "RESPONDENT_KEY",
    "STUDY_DATA_OPTIONS",
    "RespondentIds",
    "format_view",
    "published_view",
    "split_options",
    "study_data_view",
]

RespondentIds = Literal["keep", "pseudonymise", "omit"]

#: What study data does with respondent ids.
RESPONDENT_IDS: Final = FormatOption(
    "respondent_ids", "study data: keep respondent ids, replace them by pseudonyms, or "
    "leave respondents out (a re-analysis then counts every rating as a person)",
    choices=("keep", "pseudonymise", "omit"), aliases={"pseudonymize": "pseudonymise"},
    default="keep")
#: The secret of keyed pseudonyms.
RESPONDENT_KEY: Final = FormatOption(
    "respondent_key", "with respondent_ids=pseudonymise: a secret; pseudonyms are then "
    "keyed (HMAC-SHA256) and the same for a person in every file made with the key",
    metavar="SECRET")
#: The host's own options for study data, beside every importer's and study writer's.
STUDY_DATA_OPTIONS: Final = (RESPONDENT_IDS, RESPONDENT_KEY)
_NAMES: Final = frozenset(o.name for o in STUDY_DATA_OPTIONS)


def split_options(options: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The host's options
    (`STUDY_DATA_OPTIONS`) and the rest, for
    the format."""
    own = {k: v for k, v in options.items() if k in _NAMES}
    return own, {k: v for k, v in options.items() if k not in _NAMES}


def _text(key: str, **fields: object) -> str:
    return messages.text(key, LANGUAGE, **fields)


def _mode_and_key(own: Mapping[str, Any]) -> tuple[RespondentIds, str | bytes | None]:
    given = own.get("respondent_ids")
    try:
        mode: RespondentIds = RESPONDENT_IDS.read(given) if given is not None else "keep"
    except ValueError as error:
        raise InvalidInputError("option respondent_ids", f"{given!r}: {error}") from None
    key = own.get("respondent_key")
    if key is not None and mode != "pseudonymise":
        raise InvalidInputError("option respondent_key", _text("study_data.key_alone"))
    if key is not None and (not isinstance(key, str | bytes) or not key):
        raise InvalidInputError("option respondent_key", _text("study_data.key_empty"))
    return mode, key


def study_data_view(study: Study, own: Mapping[str, Any], *, where: str) -> Study:
    """``study`` as study data under the options ``own`` (see
    [`split_options`][relcoord.plugins.respondent_ids.split_options]).

    ``keep`` (the default) returns it unchanged; ``pseudonymise`` replaces every respondent
    id ([`relcoord.privacy.anonymise_study`][relcoord.privacy.pseudonyms.anonymise_study], keyed
    with ``respondent_key``); ``omit`` drops the respondents and warns, at ``where``, what a
    re-analysis then gets wrong.
    """
    mode, key = _mode_and_key(own)
    if mode == "keep":
        return study
    if mode == "omit" and study.respondents:
        warnings.warn(DataLossWarning(where, _text("study_data.omitted")), stacklevel=3)
    return anonymise_study(study, mode, key=key)


def published_view(study: Study, analysis: Analysis | None) -> tuple[Study, Analysis | None]:
    """What a writer of published results sees: numbered pseudonyms for respondent ids.

    The analysis (its figures were computed from the original study and hold no ids) is
    handed on carrying that same view, so a writer may check that the two belong together.
    """
    view = anonymise_study(study, "pseudonymise")
    if not isinstance(analysis, Analysis):  # None, or not an analysis: the writer decides
        return view, analysis
    shown = view if analysis.study is study else anonymise_study(analysis.study,
                                                                  "pseudonymise")
    return view, attrs.evolve(analysis, study=shown)


def format_view(
    study: Study, analysis: Analysis | None, options: Mapping[str, Any], *,
    carries: Carries, format_id: str, where: str,
) -> tuple[Study, Analysis | None, dict[str, Any]]:
    """What the writer of a format that ``carries`` this sees, and the options left for it.

    Study data follows [`study_data_view`][relcoord.plugins.respondent_ids.study_data_view];
    published results follow [`published_view`][relcoord.plugins.respondent_ids.published_view], and
    for them the host's options are an error.
    """
    own, rest = split_options(options)
    if carries == "study":
        return study_data_view(study, own, where=where), analysis, rest
    if own:
        option = sorted(own)[0]
        raise InvalidInputError(f"format {format_id!r}", _text(
            "study_data.published_has_no_ids", option=option))
    shown, shown_analysis = published_view(study, analysis)
    return shown, shown_analysis, rest
