"""The message catalogue: every user-facing phrase, in each language side by side.

Each entry is a :class:`Message` whose fields are the languages of :data:`LANGUAGES`, so a
third language is one more field (mypy then names every entry that lacks it) and one more
value in :data:`LANGUAGES`.  Keys are dotted, the first part naming the output the phrase
serves (``figure.`` for the pictures of :mod:`relcoord.figures`).  A phrase may hold
``str.format`` fields (``{k}``); every language of one entry holds the same fields, which
the test suite checks.  A key that is not in the catalogue is an error, never shown as it
is, so a missing phrase cannot leak a key or an English word into a Danish output.

Numbers are formatted with Babel (CLDR's rules for each language): :func:`decimal` gives a
decimal comma in Danish, :func:`percent` gives ``80 %`` in Danish (with a no-break space)
and ``80%`` in English.

Why a typed Python module and not gettext catalogues: the catalogue is small (hundreds of
phrases), reviewed side by side by people who write both languages, and checked by mypy and
a test on every build; gettext's per-language ``.po`` files would separate the languages a
reviewer compares and need a compile step, for tooling (translation platforms) this project
does not use.  Moving to gettext later is mechanical: each entry is a msgid with one msgstr
per field.

Migration: the pictures' phrases, the ``relcoord analyze`` text summary and the CLI's
study overview are here; the report, the report sections and the findings still hold
their own tables and move here next (issue 9).
"""

from __future__ import annotations

import decimal as _decimal
from collections.abc import Mapping
from string import Formatter
from types import MappingProxyType
from typing import Final, Literal, get_args

import attrs

__all__ = [
    "CATALOGUE",
    "LANGUAGES",
    "Language",
    "Message",
    "UnknownMessageError",
    "decimal",
    "fields_of",
    "percent",
    "section",
    "text",
]

Language = Literal["da", "en"]
#: The languages every message has, in the order of :class:`Message`'s fields.
LANGUAGES: Final[tuple[str, ...]] = get_args(Language)
#: The Babel locale of each language.
_LOCALES: Final[Mapping[str, str]] = MappingProxyType({"da": "da_DK", "en": "en_GB"})


class UnknownMessageError(KeyError):
    """A key that the catalogue does not hold, or a language it does not have."""


@attrs.frozen
class Message:
    """One phrase in every language of :data:`LANGUAGES`."""

    en: str
    da: str

    def in_language(self, lang: str) -> str:
        """The phrase in ``lang``; :class:`UnknownMessageError` for a language not held."""
        if lang not in LANGUAGES:
            raise UnknownMessageError(
                f"no language {lang!r} in the catalogue (expected one of "
                f"{', '.join(LANGUAGES)})")
        value: str = getattr(self, lang)
        return value


def fields_of(phrase: str) -> frozenset[str]:
    """The ``str.format`` fields of ``phrase`` (``"{k} of {n}"`` -> ``{"k", "n"}``)."""
    return frozenset(name for _, name, _, _ in Formatter().parse(phrase) if name)


_ENTRIES: Final[dict[str, Message]] = {
    "figure.network": Message(
        en='Role network',
        da='Netværk af funktionsgrupper',
    ),
    "figure.heatmap": Message(
        en='RC of each tie (rater → target)',
        da='RC for hver relation (vurderende → vurderet)',
    ),
    "figure.profiles": Message(
        en='Dimension profile',
        da='Dimensionsprofil',
    ),
    "figure.invitations": Message(
        en='Invitations to dialogue',
        da='Invitationer til dialog',
    ),
    "figure.absent": Message(
        en='named, not present',
        da='nævnt, ikke til stede',
    ),
    "figure.not_rated": Message(
        en='named, not rated',
        da='tegnet, ikke vurderet',
    ),
    "figure.size": Message(
        en='circle area: arrows received',
        da='cirklens areal: pile modtaget',
    ),
    "figure.rater": Message(
        en='Rater (row)',
        da='Vurderende (række)',
    ),
    "figure.target": Message(
        en='Target (column)',
        da='Vurderet (søjle)',
    ),
    "figure.mean": Message(
        en='Mean score (1–5)',
        da='Gennemsnit (1–5)',
    ),
    "figure.lowest": Message(
        en='Lowest dimension of a tie (count of ties)',
        da='Laveste dimension i en relation (antal relationer)',
    ),
    "figure.by_dimension": Message(
        en='Mean per dimension',
        da='Gennemsnit pr. dimension',
    ),
    "figure.no_ratings": Message(
        en='No rated ties',
        da='Ingen vurderede relationer',
    ),
    "figure.sub_communication": Message(
        en='communication',
        da='kommunikation',
    ),
    "figure.sub_relationship": Message(
        en='relationship',
        da='relationer',
    ),
    "figure.weak": Message(
        en='weak',
        da='svag',
    ),
    "figure.moderate": Message(
        en='moderate',
        da='moderat',
    ),
    "figure.strong": Message(
        en='strong',
        da='stærk',
    ),
    "figure.accepted": Message(
        en='accepted',
        da='accepteret',
    ),
    "figure.held": Message(
        en='held',
        da='afholdt',
    ),
    "figure.declined": Message(
        en='declined',
        da='afslået',
    ),
    "figure.pending": Message(
        en='left open',
        da='ubesvaret',
    ),
    "figure.received": Message(
        en='circle area: invitations received',
        da='cirklens areal: invitationer modtaget',
    ),
    "figure.arrow_note": Message(
        en='arrows run from the rater to the rated role',
        da='pilene går fra den vurderende til den vurderede gruppe',
    ),
    "figure.withheld": Message(
        en='rated, withheld (< {k} respondents)',
        da='vurderet, skjult (< {k} deltagere)',
    ),
    "figure.withheld_cell": Message(
        en='–: rated, withheld (fewer than {k} respondents)',
        da='–: vurderet, men skjult (færre end {k} deltagere)',
    ),
    "figure.change": Message(
        en='Change {a} → {b}',
        da='Ændring {a} → {b}',
    ),
    "figure.as_rater": Message(
        en='As rater (row)',
        da='Som vurderende (række)',
    ),
    "figure.as_target": Message(
        en='As target (column)',
        da='Som vurderet (søjle)',
    ),
    "figure.change_axis": Message(
        en='Change in RC ({b} − {a})',
        da='Ændring i RC ({b} − {a})',
    ),
    "figure.network_row": Message(
        en='Network (all ties)',
        da='Netværket (alle relationer)',
    ),
    "figure.up": Message(
        en='clear rise',
        da='tydelig stigning',
    ),
    "figure.down": Message(
        en='clear fall',
        da='tydeligt fald',
    ),
    "figure.unclear": Message(
        en='within the uncertainty',
        da='inden for usikkerheden',
    ),
    "figure.change_note": Message(
        en='bars: {p}% bootstrap interval ({n} replicates, seed {seed}); clear = interval '
        'excludes 0 and change exceeds the MDC',
        da='streger: {p} % bootstrap-interval ({n} gentagelser, frø {seed}); tydelig = '
        'intervallet udelukker 0, og ændringen er større end MDC',
    ),
    "figure.no_change": Message(
        en='No tie can be compared (too few respondents in a wave)',
        da='Ingen relation kan sammenlignes (for få deltagere i en runde)',
    ),
    # relcoord analyze: the text summary (relcoord.analysis_text)
    "analysis_text.settings": Message(
        en='Settings',
        da='Indstillinger',
    ),
    "analysis_text.weighting": Message(
        en='weighting',
        da='vægtning',
    ),
    "analysis_text.min_items": Message(
        en='min. items',
        da='min. spørgsmål',
    ),
    "analysis_text.of": Message(
        en='of',
        da='af',
    ),
    "analysis_text.bands": Message(
        en='bands',
        da='niveauer',
    ),
    "analysis_text.weak": Message(
        en='weak',
        da='svag',
    ),
    "analysis_text.moderate": Message(
        en='moderate',
        da='moderat',
    ),
    "analysis_text.strong": Message(
        en='strong',
        da='stærk',
    ),
    "analysis_text.min_respondents": Message(
        en='min. respondents',
        da='min. besvarelser',
    ),
    "analysis_text.rc": Message(
        en='Relational coordination',
        da='Relationel koordinering',
    ),
    "analysis_text.overall": Message(
        en='network',
        da='netværket',
    ),
    "analysis_text.communication": Message(
        en='communication',
        da='kommunikation',
    ),
    "analysis_text.relationship": Message(
        en='relationship',
        da='relationer',
    ),
    "analysis_text.within": Message(
        en='within groups',
        da='inden for grupper',
    ),
    "analysis_text.between": Message(
        en='between groups',
        da='mellem grupper',
    ),
    "analysis_text.internal": Message(
        en='inside organisations',
        da='internt i organisationer',
    ),
    "analysis_text.external": Message(
        en='across organisations',
        da='på tværs af organisationer',
    ),
    "analysis_text.ratings": Message(
        en='ratings',
        da='vurderinger',
    ),
    "analysis_text.respondents": Message(
        en='respondents',
        da='deltagere',
    ),
    "analysis_text.excluded": Message(
        en='excluded (too few items)',
        da='udeladt (for få svar)',
    ),
    "analysis_text.dimensions": Message(
        en='By dimension',
        da='Pr. dimension',
    ),
    "analysis_text.findings": Message(
        en='Findings',
        da='Fund',
    ),
    "analysis_text.none": Message(
        en='No finding is supported by the data.',
        da='Data understøtter ingen fund.',
    ),
    "analysis_text.roles": Message(
        en='Roles',
        da='Funktionsgrupper',
    ),
    "analysis_text.role": Message(
        en='role',
        da='gruppe',
    ),
    "analysis_text.in": Message(
        en='in',
        da='ind',
    ),
    "analysis_text.out": Message(
        en='out',
        da='ud',
    ),
    "analysis_text.rater": Message(
        en='as rater',
        da='som vurderer',
    ),
    "analysis_text.target": Message(
        en='as target',
        da='som vurderet',
    ),
    "analysis_text.weak_share": Message(
        en='weak',
        da='svage',
    ),
    "analysis_text.ties": Message(
        en='Weakest ties',
        da='Svageste relationer',
    ),
    "analysis_text.tie": Message(
        en='tie',
        da='relation',
    ),
    "analysis_text.n": Message(
        en='n',
        da='n',
    ),
    "analysis_text.band": Message(
        en='band',
        da='niveau',
    ),
    "analysis_text.arrows": Message(
        en='degrees count named arrows',
        da='grader tæller pile',
    ),
    "analysis_text.rated": Message(
        en='degrees count rated ties',
        da='grader tæller vurderede relationer',
    ),
    "analysis_text.change": Message(
        en='Change',
        da='Ændring',
    ),
    "analysis_text.boot": Message(
        en='bootstrap',
        da='bootstrap',
    ),
    "analysis_text.replicates": Message(
        en='replicates',
        da='gentagelser',
    ),
    "analysis_text.seed": Message(
        en='seed',
        da='frø',
    ),
    "analysis_text.interval": Message(
        en='intervals',
        da='intervaller',
    ),
    "analysis_text.mdc_from": Message(
        en='MDC from alpha',
        da='MDC ud fra alfa',
    ),
    "analysis_text.of_wave": Message(
        en='of',
        da='i',
    ),
    "analysis_text.compared": Message(
        en='ties compared (publishable in every wave and rated in both); left out',
        da='relationer sammenlignet (kan vises i alle runder og er vurderet i begge); udeladt',
    ),
    "analysis_text.left_out_why": Message(
        en='(fewer than {k} respondents in a wave, or rated in one wave only)',
        da='(færre end {k} deltagere i en runde, eller kun vurderet i én runde)',
    ),
    "analysis_text.no_ties": Message(
        en='No tie is publishable in both waves with min. respondents {k}; nothing can be '
        'compared.',
        da='Ingen relation kan vises i begge runder med min. besvarelser {k}; intet kan '
        'sammenlignes.',
    ),
    "analysis_text.roles_change": Message(
        en='Roles (change as rater; as target)',
        da='Funktionsgrupper (ændring som vurderende; som vurderet)',
    ),
    "analysis_text.ties_change": Message(
        en='Ties',
        da='Relationer',
    ),
    "analysis_text.marked": Message(
        en='* the interval excludes 0 and the change exceeds the MDC',
        da='* intervallet udelukker 0, og ændringen er større end MDC',
    ),
    "analysis_text.arrows_change": Message(
        en='Arrows',
        da='Pile',
    ),
    "analysis_text.gained": Message(
        en='gained',
        da='nye',
    ),
    "analysis_text.lost": Message(
        en='lost',
        da='forsvundet',
    ),
    "analysis_text.reversed": Message(
        en='reversed',
        da='vendt',
    ),
    "analysis_text.kept": Message(
        en='kept',
        da='uændrede',
    ),
    # relcoord demo: the study overview (relcoord.cli)
    "cli.demo.valid": Message(
        en='valid: schema and domain checks passed',
        da='gyldig: skema- og domænetjek bestået',
    ),
    "cli.demo.process": Message(
        en='Focal process',
        da='Fokusproces',
    ),
    "cli.demo.instrument": Message(
        en='Instrument',
        da='Instrument',
    ),
    "cli.demo.waves": Message(
        en='Waves',
        da='Runder',
    ),
    "cli.demo.roles": Message(
        en='Roles',
        da='Funktionsgrupper',
    ),
    "cli.demo.present": Message(
        en='present',
        da='til stede',
    ),
    "cli.demo.absent": Message(
        en='named but absent',
        da='nævnt, men fraværende',
    ),
    "cli.demo.respondents": Message(
        en='respondents',
        da='deltagere',
    ),
    "cli.demo.arrows": Message(
        en='Named arrows',
        da='Pile (relationskort)',
    ),
    "cli.demo.distinct": Message(
        en='distinct',
        da='forskellige',
    ),
    "cli.demo.ratings": Message(
        en='Ratings',
        da='Vurderinger',
    ),
    "cli.demo.scores": Message(
        en='item scores',
        da='svar',
    ),
    "cli.demo.missing": Message(
        en='missing',
        da='mangler',
    ),
    "cli.demo.invitations": Message(
        en='Invitations',
        da='Invitationer (balkort)',
    ),
    "cli.demo.org_none": Message(
        en='no organisation',
        da='ingen organisation',
    ),
    "cli.demo.pending": Message(
        en='pending',
        da='ubesvaret',
    ),
    "cli.demo.accepted": Message(
        en='accepted',
        da='accepteret',
    ),
    "cli.demo.declined": Message(
        en='declined',
        da='afslået',
    ),
    "cli.demo.held": Message(
        en='held',
        da='afholdt',
    ),
    "cli.demo.school": Message(
        en='school',
        da='skole',
    ),
    "cli.demo.municipality": Message(
        en='municipality',
        da='kommune',
    ),
    "cli.demo.findings": Message(
        en='Findings',
        da='Fund',
    ),
    "cli.demo.written": Message(
        en='Files written to',
        da='Filer skrevet i',
    ),
    "cli.demo.skipped": Message(
        en='skipped:',
        da='sprunget over:',
    ),
}

#: Every message, by key.
CATALOGUE: Final[Mapping[str, Message]] = MappingProxyType(_ENTRIES)


def text(key: str, lang: str, **fields: object) -> str:
    """The phrase ``key`` in ``lang``, with ``fields`` filled in when any are given."""
    try:
        message = CATALOGUE[key]
    except KeyError:
        raise UnknownMessageError(f"no message {key!r} in the catalogue") from None
    phrase = message.in_language(lang)
    return phrase.format(**fields) if fields else phrase


def section(prefix: str, lang: str) -> Mapping[str, str]:
    """Every phrase whose key starts with ``prefix + "."``, by the rest of its key, in
    ``lang`` (fields not filled in)."""
    start = prefix + "."
    found = {key[len(start):]: message.in_language(lang)
             for key, message in CATALOGUE.items() if key.startswith(start)}
    if not found:
        raise UnknownMessageError(f"no messages under {prefix!r} in the catalogue")
    return MappingProxyType(found)


def _locale(lang: str) -> str:
    if lang not in _LOCALES:
        raise UnknownMessageError(
            f"no language {lang!r} in the catalogue (expected one of {', '.join(LANGUAGES)})")
    return _LOCALES[lang]


def decimal(value: float, lang: str, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals in ``lang``'s style (Danish ``3,50``), rounded as
    Python's own formatting rounds the binary value (half to even on its exact expansion)."""
    from babel.numbers import format_decimal

    pattern = "0." + "0" * digits if digits > 0 else "0"
    return format_decimal(_decimal.Decimal(value), format=pattern, locale=_locale(lang),
                          decimal_quantization=True, group_separator=False)


def percent(share: float, lang: str) -> str:
    """A share 0..1 as a whole percentage in ``lang``'s style (``80 %`` in Danish, with a
    no-break space; ``80%`` in English)."""
    from babel.numbers import format_percent

    return format_percent(_decimal.Decimal(share), locale=_locale(lang))
