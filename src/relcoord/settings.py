"""The settings that shape an analysis: weighting, missing items, bands, privacy, language.

An [`AnalysisSettings`][relcoord.settings.AnalysisSettings] travels with every result that it
produced, so that a figure can always say how it was computed (which weighting, how many answered
items a respondent-tie needed, which band limits).  Values are checked when the settings are built,
each field by its own validator, and the one rule that spans two fields (``min_respondents``
below 3 only with ``min_respondents_override``) once all are set.  A bad value raises
[`InvalidSettingsError`][relcoord.settings.InvalidSettingsError] naming the setting and what it
expects (a [`RelcoordError`][relcoord.errors.RelcoordError], so the command line prints it without a
traceback).

Defaults and why:

``weighting="respondent"``
    Every respondent-tie counts once.  This is how Gittell's RC index is reported for a
    network (the mean over all respondents' answers, Gittell 2016, appendix), and it is the
    only weighting under which adding a respondent changes a figure by exactly their share.
    ``"tie"`` and ``"group"`` are there for networks whose groups differ much in size.
``min_items=None``
    The default rule is "at least ``ceil(5/7 * n_items)`` items answered": 5 of the 7 RC
    items, 3 of the 4 relationskort items.  It keeps respondents who skipped an item with
    "don't know" (which is missing, not low) while refusing to score a tie from a minority
    of its items.  Published work (e.g. the eliPfad survey) uses complete cases; pass
    ``min_items=7`` (or the instrument's item count) to reproduce it.
``bands=(3.5, 4.0)``
    weak < 3.5, moderate 3.5 to 4.0, strong > 4.0: the bands used in practice for RC scores.
``min_respondents=5``
    The confidentiality rule of survey platforms (commonly 5, never below 3), applied by
    [`analyze`][relcoord.analysis.analyze] through [`relcoord.privacy`][relcoord.privacy] before any
    figure is computed.  Values below 3 are refused unless ``min_respondents_override=True``; the
    Analysis records the value and whether the override was used.
``compare=None``
    Two waves ``(wave_a, wave_b)`` to compare
    ([`compare_waves`][relcoord.metrics.waves.compare.compare_waves]): the Analysis then carries the
    change of every tie, role and the network between them, with bootstrap intervals from ``n_boot``
    replicates (default 2000; Efron & Tibshirani 1993 advise at least 1000 for percentile limits)
    drawn with ``seed`` (default 20190101, so that a report is reproducible by default).
``icc_group_size="mean_group_size"``
    The group size ``k`` in ICC(1) = (MSB - MSW) / (MSB + (k - 1) MSW) when groups differ in
    size: the mean group size N / G, as Bliese's ``multilevel::ICC1`` and
    ``psych::statsBy`` compute it, so that an ICC(1) can be checked against either;
    ``"k0"`` takes the unbalanced-design size of the one-way
    ANOVA's expected mean squares instead (Searle, Casella & McCulloch 1992, *Variance
    Components*, ch. 3: the expected between-group mean square of an unbalanced one-way
    design is sigma_e^2 + k0 sigma_a^2).  Both are equal for groups of one size.
``mdc_reliability=None``
    The reliability behind the SEM of a wave comparison's minimal detectable change:
    ``None`` takes Cronbach's alpha of the RC index in the first wave; a value (a
    test-retest ICC, say) is used as given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypedDict, Unpack, get_args

import attrs

from relcoord.errors import RelcoordError

if TYPE_CHECKING:  # not imported at run time: the command line's options need no numpy
    from relcoord.instruments import Instrument

__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_N_BOOT",
    "DEFAULT_SEED",
    "ICC_GROUP_SIZES",
    "LANGS",
    "LEAST_MIN_RESPONDENTS",
    "WEIGHTINGS",
    "AnalysisSettings",
    "IccGroupSize",
    "InvalidSettingsError",
    "Lang",
    "SettingsOverrides",
    "Weighting",
]

Weighting = Literal["respondent", "tie", "group"]
Lang = Literal["da", "en"]
#: The group size k of ICC(1) for groups of unequal size: N / G or the ANOVA's k0.
IccGroupSize = Literal["mean_group_size", "k0"]
#: An attrs validator: called with the instance, the attribute and the value.
_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

#: The weightings an aggregate RC figure can use (see
#: [`relcoord.metrics.scores`][relcoord.metrics.scores]).
WEIGHTINGS: Final[tuple[str, ...]] = get_args(Weighting)
#: The languages findings and reports are written in.
LANGS: Final[tuple[str, ...]] = get_args(Lang)
#: The group sizes ICC(1) can use ([`IccGroupSize`][relcoord.settings.IccGroupSize]).
ICC_GROUP_SIZES: Final[tuple[str, ...]] = get_args(IccGroupSize)
#: Band limits used in practice: weak below 3.5, strong above 4.0.
DEFAULT_BANDS: Final = (3.5, 4.0)
#: The share of an instrument's items the default ``min_items`` rule asks for (5 of 7).
DEFAULT_ITEM_SHARE: Final = 5 / 7
#: Survey platforms never show a figure resting on fewer respondents than this.
LEAST_MIN_RESPONDENTS: Final = 3
#: Bootstrap replicates of a wave comparison by default: enough for stable 95 % percentile
#: limits (Efron & Tibshirani 1993 advise at least 1000 for percentile intervals).
DEFAULT_N_BOOT: Final = 2000
#: The bootstrap seed used when none is given, so that a report is reproducible by default.
DEFAULT_SEED: Final = 20190101


class InvalidSettingsError(RelcoordError, ValueError):
    """An analysis setting has a value it cannot have; the message names the setting."""

    def __init__(self, setting: str, message: str) -> None:
        self.setting = setting
        self.message = message
        super().__init__(f"{setting}: {message}")


def _bands(value: Any) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in value)
    except (TypeError, ValueError):
        raise InvalidSettingsError(
            "bands", f"expected two numbers LOW,HIGH, got {value!r}"
        ) from None
    return low, high


def _waves(value: Any) -> tuple[str, str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        raise InvalidSettingsError("compare", f"expected two wave ids (A, B), got {value!r}")
    try:
        wave_a, wave_b = (str(v) for v in value)
    except (TypeError, ValueError):
        raise InvalidSettingsError(
            "compare", f"expected two wave ids (A, B), got {value!r}"
        ) from None
    return wave_a, wave_b


def _expects(expected: str, *checks: _Validator) -> _Validator:
    """A validator that runs the attrs validators ``checks`` and, when one refuses the
    value, raises [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError] naming the
    setting and what it expects."""
    check = attrs.validators.and_(*checks)

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        try:
            check(instance, attribute, value)
        except (TypeError, ValueError):
            raise InvalidSettingsError(attribute.name, f"expected {expected}, got {value!r}"
                                       ) from None

    return validate


def _whole_number(least: int) -> _Validator:
    """An ``int`` (not a ``bool``) of at least ``least``."""
    return _expects(f"a whole number of at least {least}",
                    attrs.validators.not_(attrs.validators.instance_of(bool)),
                    attrs.validators.instance_of(int), attrs.validators.ge(least))


def _one_of(options: tuple[str, ...]) -> _Validator:
    return _expects(f"one of {', '.join(options)}", attrs.validators.in_(options))


def _ordered_bands(instance: Any, attribute: attrs.Attribute[Any],
                   value: tuple[float, float]) -> None:
    """Both band limits finite, the low one not above the high one."""
    low, high = value
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        raise InvalidSettingsError(attribute.name,
                                   f"expected finite LOW <= HIGH, got {low:g},{high:g}")


def _unit_interval(instance: Any, attribute: attrs.Attribute[Any], value: float) -> None:
    """A finite number from 0 to 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not 0.0 <= float(value) <= 1.0:
        raise InvalidSettingsError(attribute.name,
                                   f"expected a number from 0 to 1, got {value!r}")


def _two_waves(instance: Any, attribute: attrs.Attribute[Any], value: tuple[str, str]) -> None:
    """Two wave ids, neither empty, not the same wave twice."""
    if not all(value):
        raise InvalidSettingsError(attribute.name, f"a wave id cannot be empty, got {value!r}")
    if value[0] == value[1]:
        raise InvalidSettingsError(attribute.name,
                                   f"compare two different waves, got {value[0]!r} twice")


class SettingsOverrides(TypedDict, total=False):
    """The fields of [`AnalysisSettings`][relcoord.settings.AnalysisSettings] as keyword arguments,
    each typed as its field: ``analyze(study, weighting="tie")`` type-checks, ``analyze(study,
    weighting="persons")`` does not (mypy and an IDE name the field and the values it takes).  Every
    key is optional; see [`AnalysisSettings`][relcoord.settings.AnalysisSettings] for what each one
    means."""

    weighting: Weighting
    min_items: int | None
    bands: tuple[float, float]
    min_respondents: int
    min_respondents_override: bool
    lang: Lang
    compare: tuple[str, str] | None
    n_boot: int
    seed: int
    icc_group_size: IccGroupSize
    mdc_reliability: float | None


@attrs.frozen(kw_only=True)
class AnalysisSettings:
    """How an analysis weighs, filters and bands its figures (see the module docstring).

    Attributes:
        weighting: ``"respondent"`` (every respondent-tie counts once), ``"tie"`` (every
            tie's mean counts once) or ``"group"`` (every rater role counts once).
        min_items: least number of answered items for a respondent-tie to count; ``None``
            for the default rule ``ceil(5/7 * n_items)``.
        bands: ``(low, high)``: weak < low, moderate low..high, strong > high.
        min_respondents: least number of distinct respondents a shown figure may rest on
            ([`relcoord.privacy`][relcoord.privacy]).
        min_respondents_override: allow ``min_respondents`` below 3 (the platforms' floor).
        lang: language of the findings' text when only one is shown (``"da"`` or ``"en"``).
        compare: two wave ids ``(wave_a, wave_b)`` whose change the Analysis reports
            (``None``: no comparison); changes are ``wave_b - wave_a``.
        n_boot: bootstrap replicates of the comparison's intervals (0: no intervals).
        seed: seed of the comparison's bootstrap; the same seed gives the same intervals.
        icc_group_size: the group size of ICC(1), ``"mean_group_size"`` (N / G) or
            ``"k0"``.
        mdc_reliability: the reliability behind the comparison's SEM (``None``: Cronbach's
            alpha of the RC index in the first wave).
    """

    weighting: Weighting = attrs.field(default="respondent", validator=_one_of(WEIGHTINGS))
    min_items: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(_whole_number(1))
    )
    bands: tuple[float, float] = attrs.field(
        default=DEFAULT_BANDS, converter=_bands, validator=_ordered_bands
    )
    min_respondents: int = attrs.field(default=5, validator=_whole_number(1))
    min_respondents_override: bool = attrs.field(default=False, converter=bool)
    lang: Lang = attrs.field(default="en", validator=_one_of(LANGS))
    compare: tuple[str, str] | None = attrs.field(
        default=None, converter=_waves, validator=attrs.validators.optional(_two_waves)
    )
    n_boot: int = attrs.field(default=DEFAULT_N_BOOT, validator=_whole_number(0))
    seed: int = attrs.field(default=DEFAULT_SEED, validator=_whole_number(0))
    icc_group_size: IccGroupSize = attrs.field(default="mean_group_size",
                                               validator=_one_of(ICC_GROUP_SIZES))
    mdc_reliability: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(_unit_interval)
    )

    def __attrs_post_init__(self) -> None:
        # The one rule that spans two fields: below the platforms' floor only on request.
        if self.min_respondents < LEAST_MIN_RESPONDENTS and not self.min_respondents_override:
            raise InvalidSettingsError(
                "min_respondents",
                f"{self.min_respondents} is below {LEAST_MIN_RESPONDENTS}, the least that "
                "survey platforms allow; set min_respondents_override=True to insist",
            )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> AnalysisSettings:
        """Settings from keyword values; an unknown name is refused, naming it."""
        known = {a.name for a in attrs.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise InvalidSettingsError(
                unknown[0], f"unknown setting; known settings are {', '.join(sorted(known))}"
            )
        return cls(**values)

    def items_needed(self, instrument: Instrument) -> int:
        """The ``min_items`` in force for ``instrument``; refuses more than it has."""
        n_items = len(instrument.keys)
        if self.min_items is None:
            return max(1, math.ceil(DEFAULT_ITEM_SHARE * n_items - 1e-9))
        if self.min_items > n_items:
            raise InvalidSettingsError(
                "min_items",
                f"{self.min_items} is more than the {n_items} items of instrument "
                f"{instrument.id!r}",
            )
        return self.min_items

    def band(self, value: float | None) -> Literal["weak", "moderate", "strong"] | None:
        """The band of an RC value: weak < low, strong > high, else moderate; None for None."""
        if value is None or value != value:
            return None
        low, high = self.bands
        if value < low:
            return "weak"
        if value > high:
            return "strong"
        return "moderate"

    def replace(self, **overrides: Unpack[SettingsOverrides]) -> AnalysisSettings:
        """These settings with the fields of ``overrides`` changed, checked again (an
        unknown name or a bad value raises
        [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError])."""
        return AnalysisSettings.from_mapping({**attrs.asdict(self, recurse=False),
                                              **overrides})

    def to_mapping(self) -> dict[str, Any]:
        """The settings as JSON-ready values."""
        from relcoord.json_values import json_ready

        return json_ready({
            "weighting": self.weighting,
            "min_items": self.min_items,
            "bands": {"low": self.bands[0], "high": self.bands[1]},
            "min_respondents": self.min_respondents,
            "min_respondents_override": self.min_respondents_override,
            "lang": self.lang,
            "compare": self.compare,
            "n_boot": self.n_boot,
            "seed": self.seed,
            "icc_group_size": self.icc_group_size,
            "mdc_reliability": self.mdc_reliability,
        })
