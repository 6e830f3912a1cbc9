"""Answer codes to answer positions, through their value labels; missing codes to missing.

Survey tools write each answer as a numeric *code* with a *value label*: ``1 = "Slet
ikke"`` ... ``5 = "I meget høj grad"``.  When the codes are the answer positions 1..5,
nothing needs the labels; but exports also code answers 0..4, 10..50 or in reverse, and
add codes that are no answer at all (``8 = "ved ikke"``, ``9 = "ikke besvaret"``).
`decide_codes` looks at the codes a variable holds for one item and decides, under
the ``value_labels`` option:

``labels``
    every code is read by its label: the label must be one of the item's answers in the
    instrument, in any language it has (Danish, English, German for the built-in ones;
    case, spacing and punctuation between words do not matter), and its position there is
    the answer position; a code without a label is an error;
``codes``
    the codes are read as they are (answer positions or scores, as the ``values`` option
    says), labels unused;
``auto`` (default)
    by the labels when every code held matches an answer (noted when that changes a code),
    as they are when none does (noted when the variable has labels), and a located error
    naming ``value_labels`` and ``missing_codes`` when some match and others do not.

Codes that are not answers become missing answers, each time with a note: the codes the
file declares *user-missing* (SPSS's missing values), the codes the ``missing_codes`` option
names, and, unless ``value_labels=codes``, a code whose label says the respondent gave no
answer (`NO_ANSWER_LABELS`: "ved ikke", "don't know", "weiß nicht", "no answer"...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from relcoord.formats.csv.columns import normalise
from relcoord.instruments import Dimension

__all__ = ["NO_ANSWER_LABELS", "CodeDecision", "ValueLabels", "answer_index", "decide_codes",
           "show_code"]

#: The values of the ``value_labels`` option.
ValueLabels = Literal["auto", "labels", "codes"]

#: Value labels that mean the respondent gave no answer (normalised, see
#: [`normalise`][relcoord.formats.csv.columns.normalise]): Danish, English and German.
NO_ANSWER_LABELS: Final = frozenset(normalise(label) for label in (
    "ved ikke", "ved ikke/ikke relevant", "ikke relevant", "ikke besvaret", "intet svar",
    "vil ikke svare", "ønsker ikke at svare", "uoplyst", "don't know", "dont know",
    "do not know", "not applicable", "n/a", "no answer", "not answered",
    "prefer not to say", "refused", "weiß nicht", "weiss nicht", "keine angabe",
    "trifft nicht zu", "nicht beantwortet",
))


def show_code(code: float) -> str:
    """A code as it is typed: ``8``, ``2.5``."""
    return f"{code:g}"


def answer_index(dimension: Dimension) -> dict[str, int]:
    """Each normalised answer label of ``dimension``, in every language, -> its position
    (1-based); a label that two positions share in different languages is left out."""
    found: dict[str, int] = {}
    clash: set[str] = set()
    for labels in dimension.answers.values():
        for position, label in enumerate(labels, start=1):
            key = normalise(label)
            if found.get(key, position) != position:
                clash.add(key)
            found[key] = position
    return {k: v for k, v in found.items() if k not in clash}


@attrs.frozen
class CodeDecision:
    """How the codes of one variable are read for one item.

    ``by_labels``: through ``positions`` (code -> answer position), else as they are.
    ``no_answer``: codes read as missing because their label says so (code -> label).
    ``unmatched``: codes held whose label is no answer of the item (code -> label, ``""``
    for an unlabelled code): an error when ``by_labels``.  ``unused_labels``: the variable
    has labels, none of which is an answer (noted when the codes are read as they are).
    """

    by_labels: bool
    positions: Mapping[float, int] = attrs.field(factory=dict)
    no_answer: Mapping[float, str] = attrs.field(factory=dict)
    unmatched: Mapping[float, str] = attrs.field(factory=dict)
    unused_labels: bool = False

    @property
    def changes_codes(self) -> bool:
        """Whether reading by the labels gives another number than the code for some code."""
        return self.by_labels and any(float(p) != c for c, p in self.positions.items())

    def apply(self, codes: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """``codes`` read by this decision: positions, or codes as they are; ``NaN`` for a
        no-answer code.  An unmatched code stays as it is (reported before this is used)."""
        out = codes.copy()
        if self.no_answer:
            out[np.isin(codes, list(self.no_answer))] = np.nan
        if self.by_labels and self.positions:
            for code, position in self.positions.items():
                out[codes == code] = position
        return out


def decide_codes(held: Sequence[float], labels: Mapping[float, str], dimension: Dimension,
                 mode: ValueLabels) -> CodeDecision:
    """How to read the codes ``held`` (the distinct non-missing codes of a variable's cases
    for ``dimension``), given the variable's value ``labels`` and the ``value_labels``
    option ``mode`` (see the module docstring)."""
    if mode == "codes" or (not labels and mode == "auto"):
        return CodeDecision(by_labels=False)
    index = answer_index(dimension)
    positions = {c: index[normalise(t)] for c, t in labels.items() if normalise(t) in index}
    no_answer = {c: t for c, t in labels.items()
                 if c not in positions and normalise(t) in NO_ANSWER_LABELS}
    answers = [c for c in held if c not in no_answer]
    matched = [c for c in answers if c in positions]
    unmatched = {c: labels.get(c, "") for c in answers if c not in positions}
    if mode == "labels":
        return CodeDecision(by_labels=True, positions=positions, no_answer=no_answer,
                            unmatched=unmatched)
    if not positions:
        return CodeDecision(by_labels=False, no_answer=no_answer,
                            unused_labels=any(c in labels for c in answers))
    if not matched and not unmatched:  # nothing but missing answers: either reading will do
        return CodeDecision(by_labels=False, no_answer=no_answer)
    return CodeDecision(by_labels=True, positions=positions, no_answer=no_answer,
                        unmatched=unmatched)
