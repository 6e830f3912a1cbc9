"""Command-line options shared by the commands that analyse a study (analyze, export, demo).

Decorate a click command with [`analysis_options`][relcoord.cli_options.analysis_options] and turn
the values it receives into [`AnalysisSettings`][relcoord.settings.AnalysisSettings] with
[`settings_from_options`][relcoord.cli_options.settings_from_options]; an option left out keeps the
settings' default, so the defaults live in one place.  The one default that depends on the study is
the language: [`in_report_language`][relcoord.cli_options.in_report_language] sets it, once the
study is read, to ``--lang`` or else the study's own language.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any, Final, TypeGuard, TypeVar

import attrs
import click

if TYPE_CHECKING:
    from relcoord.model import Study
from relcoord.settings import (
    DEFAULT_N_BOOT,
    DEFAULT_SEED,
    LANGS,
    LEAST_MIN_RESPONDENTS,
    WEIGHTINGS,
    AnalysisSettings,
    InvalidSettingsError,
    Lang,
)

__all__ = [
    "ICC_GROUP_SIZE_CHOICES",
    "LANG_HELP",
    "OPTION_NAMES",
    "analysis_options",
    "in_report_language",
    "parse_bands",
    "parse_icc_group_size",
    "report_language",
    "settings_from_options",
]

F = TypeVar("F", bound=Callable[..., Any])

#: The keyword names [`analysis_options`][relcoord.cli_options.analysis_options] adds to a command.
OPTION_NAMES: Final = ("min_respondents", "min_respondents_override", "min_items", "weighting",
                       "bands", "lang", "compare", "n_boot", "seed", "icc_group_size",
                       "mdc_reliability")
#: ``--icc-group-size`` as typed -> the setting's value (`ICC_GROUP_SIZES`).
ICC_GROUP_SIZE_CHOICES: Final = {"mean": "mean_group_size", "k0": "k0"}
#: The help of ``--lang`` for a command that reads a study (see
#: [`report_language`][relcoord.cli_options.report_language]).
LANG_HELP: Final = ("Language of the findings, the report and its headings (default: the "
                    "study's own language when relcoord has it, else en).")


def parse_bands(
    ctx: click.Context | None, param: click.Parameter | None, value: str | None
) -> tuple[float, float] | None:
    """Parse ``--bands LOW,HIGH`` (e.g. ``3.5,4.0``) into two numbers, LOW <= HIGH."""
    if value is None:
        return None
    parts = value.replace(";", ",").split(",")
    try:
        low, high = (float(p) for p in parts)
    except ValueError:
        raise click.BadParameter(f"expected LOW,HIGH such as 3.5,4.0, got {value!r}") from None
    if low > high:
        raise click.BadParameter(f"LOW must not exceed HIGH, got {value!r}")
    return low, high


def parse_icc_group_size(
    ctx: click.Context | None, param: click.Parameter | None, value: str | None
) -> str | None:
    """``--icc-group-size mean|k0`` as the setting's value (``mean_group_size`` or ``k0``)."""
    return None if value is None else ICC_GROUP_SIZE_CHOICES[value]


def analysis_options(command: F, *, lang_help: str = LANG_HELP,
                     only: tuple[str, ...] | None = None) -> F:
    """Add the analysis options to a click command.

    ``only`` names the settings (of `OPTION_NAMES`) a command takes when it takes only some
    (``relcoord stats`` takes those that decide what a site shares); default: all.

    ``--min-respondents``, ``--min-respondents-override``, ``--min-items``, ``--weighting``,
    ``--bands``, ``--lang`` (whose help is ``lang_help``), ``--icc-group-size``, and for a
    comparison of two waves ``--compare``, ``--boot``, ``--seed`` and
    ``--mdc-reliability``.
    """
    decorators = [
        click.option("--min-respondents", type=click.IntRange(min=1), default=None,
                     metavar="K",
                     help="Least number of respondents a shown figure may rest on "
                          f"(default 5; below {LEAST_MIN_RESPONDENTS} only with "
                          "--min-respondents-override)."),
        click.option("--min-respondents-override", is_flag=True, default=None,
                     help=f"Allow --min-respondents below {LEAST_MIN_RESPONDENTS}, the least "
                          "survey platforms allow (recorded in the output and the report)."),
        click.option("--min-items", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Least number of answered items for a respondent-tie to count "
                          "(default: 5 of 7, i.e. ceil(5/7 x the instrument's items))."),
        click.option("--weighting", type=click.Choice(WEIGHTINGS), default=None,
                     help="How aggregate RC figures weigh ratings (default: respondent)."),
        click.option("--bands", callback=parse_bands, default=None, metavar="LOW,HIGH",
                     help="Band limits: weak < LOW <= moderate <= HIGH < strong "
                          "(default 3.5,4.0)."),
        click.option("--lang", type=click.Choice(LANGS), default=None, help=lang_help),
        click.option("--compare", nargs=2, default=None, metavar="WAVE_A WAVE_B",
                     help="Also report the change from WAVE_A to WAVE_B: every tie, role and "
                          "the network, with bootstrap intervals and the minimal detectable "
                          "change."),
        click.option("--boot", "n_boot", type=click.IntRange(min=0), default=None,
                     metavar="N",
                     help=f"Bootstrap replicates for --compare (default {DEFAULT_N_BOOT}; "
                          "0: no intervals)."),
        click.option("--seed", type=click.IntRange(min=0), default=None, metavar="S",
                     help=f"Seed of the --compare bootstrap (default {DEFAULT_SEED}); the same "
                          "seed gives the same intervals."),
        click.option("--icc-group-size", type=click.Choice(tuple(ICC_GROUP_SIZE_CHOICES)),
                     callback=parse_icc_group_size, default=None,
                     help="Group size of ICC(1): mean, N/G as in multilevel::ICC1 and "
                          "psych::statsBy (default), or k0, the ANOVA's size for unequal "
                          "groups."),
        click.option("--mdc-reliability", type=click.FloatRange(0.0, 1.0), default=None,
                     metavar="R",
                     help="Reliability behind the SEM of the --compare minimal detectable "
                          "change (default: Cronbach's alpha of the RC index in WAVE_A)."),
    ]
    for name, decorate in reversed(list(zip(OPTION_NAMES, decorators, strict=True))):
        if only is None or name in only:
            command = decorate(command)
    return command


def settings_from_options(options: MutableMapping[str, Any]) -> AnalysisSettings:
    """Take the analysis options out of a command's keyword values and build the settings.

    The options are removed from ``options`` so the command can use the rest.  A bad value
    raises [`InvalidSettingsError`][relcoord.settings.InvalidSettingsError] (``--min-respondents``
    below 3, the least survey platforms allow, is refused unless ``--min-respondents-override`` is
    given, and the message names that flag).
    """
    values = {name: options.pop(name) for name in OPTION_NAMES if name in options}
    chosen = {name: value for name, value in values.items() if value is not None}
    try:
        return AnalysisSettings.from_mapping(chosen)
    except InvalidSettingsError as error:
        if error.setting == "min_respondents" and not chosen.get("min_respondents_override"):
            raise InvalidSettingsError(
                "min_respondents",
                f"{chosen.get('min_respondents')} is below {LEAST_MIN_RESPONDENTS}, the least "
                "that survey platforms allow; add --min-respondents-override to insist",
            ) from None
        raise


def _is_lang(value: str | None) -> TypeGuard[Lang]:
    return value in LANGS


def report_language(chosen: str | None, study: Study) -> Lang:
    """The language of the findings and the report: ``chosen`` (``--lang``) when given,
    else the study's own language (``study.metadata.language``) when the catalogue has it,
    else English."""
    for lang in (chosen, study.metadata.language):
        if _is_lang(lang):
            return lang
    return "en"


def in_report_language(settings: AnalysisSettings, chosen: str | None, study: Study
                       ) -> AnalysisSettings:
    """``settings`` with the language [`report_language`][relcoord.cli_options.report_language]
    chooses for ``study``."""
    return attrs.evolve(settings, lang=report_language(chosen, study))
