"""Respondent ids replaced by pseudonyms, or left out.

Published results never hold a raw respondent id (``docs/privacy.md``): the plugin host's
one respondent policy ([`relcoord.plugins.respondent_ids`][relcoord.plugins.respondent_ids]) applies
[`anonymise_study`][relcoord.privacy.pseudonyms.anonymise_study] to every published output.  Study
data keeps the ids, or on request keyed pseudonyms, HMAC-SHA256 (RFC 2104; FIPS 180-4) of the
id under a secret key, which are stable across exports and not reversible without the key.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final, Literal, get_args

import attrs
import numpy as np

from relcoord.errors import InvalidInputError
from relcoord.model import Respondent, Study

__all__ = [
    "PSEUDONYM_PREFIX",
    "RESPONDENT_ID_MODES",
    "RespondentIdMode",
    "anonymise_study",
    "pseudonyms",
]

RespondentIdMode = Literal["omit", "pseudonymise"]
#: What an export does with respondent ids: leave them out, or replace them by pseudonyms.
RESPONDENT_ID_MODES: Final[tuple[str, ...]] = get_args(RespondentIdMode)
#: The prefix of every pseudonym.
PSEUDONYM_PREFIX: Final = "R"



def pseudonyms(ids: tuple[str, ...], *, key: str | bytes | None = None) -> dict[str, str]:
    """A pseudonym for every respondent id.

    Without ``key``: ``R0001``, ``R0002``, ... in sorted-id order (at least four digits),
    stable for the same set of ids.  With ``key``: ``R`` plus the first 16 hex digits of
    HMAC-SHA256(key, id), stable across exports and studies that use the same secret key,
    and not reversible without it.  Raises `ValueError` if two ids would share a
    pseudonym (an HMAC collision: practically impossible, checked anyway).
    """
    ordered = sorted(set(ids))
    if key is None:
        width = max(4, len(str(len(ordered))))
        return {pid: f"{PSEUDONYM_PREFIX}{i:0{width}d}" for i, pid in enumerate(ordered, 1)}
    secret = key.encode("utf-8") if isinstance(key, str) else key
    out = {
        pid: PSEUDONYM_PREFIX
        + hmac.new(secret, pid.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
        for pid in ordered
    }
    if len(set(out.values())) != len(out):
        raise ValueError("two respondent ids share a pseudonym; use another key")
    return out


def anonymise_study(
    study: Study, mode: RespondentIdMode = "omit", *, key: str | bytes | None = None
) -> Study:
    """``study`` without raw respondent ids: omitted, or replaced by
    `pseudonyms`.

    ``"omit"`` drops the respondents and leaves every rating without respondent (in
    relcoord a rating without respondent counts as one respondent of its role, so a later
    analysis of the result cannot tell two ratings by one person apart: pseudonymise data
    that will be analysed again).  ``"pseudonymise"`` keeps every respondent, their role
    and their ratings under a pseudonym.  Roles, ties, ratings' scores and invitations are
    unchanged.
    """
    if mode not in RESPONDENT_ID_MODES:
        raise InvalidInputError("respondent_ids", f"expected one of "
                                f"{', '.join(RESPONDENT_ID_MODES)}, got {mode!r}")
    ratings = study.ratings
    if mode == "omit":
        none = np.full(len(ratings), -1, dtype=np.int32)
        none.setflags(write=False)
        return attrs.evolve(study, respondents=(),
                            ratings=attrs.evolve(ratings, respondents=(), respondent=none))
    names = pseudonyms(tuple(p.id for p in study.respondents), key=key)
    return attrs.evolve(
        study,
        respondents=[Respondent(id=names[p.id], role=p.role) for p in study.respondents],
        ratings=attrs.evolve(ratings, respondents=[names[p] for p in ratings.respondents]),
    )
