"""A format's options, declared once: name, how a value is read, default, choices, help.

A format lists the options its reader and its writer take as
[`FormatOption`][relcoord.formats.format_option.FormatOption] objects
(`read_options` and ``write_options``).
Everything else is made from that one declaration:
[`parse_options`][relcoord.formats.format_option.parse_options] checks and converts what a caller
gave (an unknown name is an error that lists every option with its help), ``relcoord plugins
--options`` lists them ([`option_lines`][relcoord.formats.format_option.option_lines]), and the
documentation's option tables are generated from them
([`options_table`][relcoord.formats.format_option.options_table]; a test keeps the pages in step).

Options arrive as Python values from the library (``{"max_bytes": 1000}``) and as text from
the command line (``-I max_bytes=1000``); every parser here accepts both, and parsing a
value that is already parsed gives it back unchanged.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from relcoord.errors import InvalidInputError
from relcoord.instruments import INSTRUMENTS, Instrument, get_instrument

__all__ = [
    "FormatOption",
    "Parse",
    "check_options",
    "instrument",
    "json_object",
    "option_lines",
    "options_table",
    "parse_options",
    "single_character",
    "text",
    "text_list",
    "true_or_false",
    "whole_number",
]

#: Turns a value (a Python value, or text from the command line) into the option's value;
#: raises `ValueError` with a message that says what is expected.
Parse = Callable[[Any], Any]

_NAME: Final = re.compile(r"[a-z][a-z0-9_]*")
_TRUE: Final = frozenset({"true", "yes", "1", "on"})
_FALSE: Final = frozenset({"false", "no", "0", "off"})
_CHARACTER_NAMES: Final = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";",
                           "pipe": "|", "space": " "}


def text(value: Any) -> str:
    """Any value as text."""
    return str(value)


def true_or_false(value: Any) -> bool:
    """``True``/``False``, or ``true``/``false``, ``yes``/``no``, ``1``/``0``, ``on``/``off``."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError("expected true or false")


def whole_number(minimum: int = 1, maximum: int | None = None) -> Parse:
    """A parser of whole numbers from ``minimum`` to ``maximum`` (text or number)."""
    def parse(value: Any) -> int:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if not float(value).is_integer():
                raise ValueError("expected a whole number")
            number = int(value)
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                raise ValueError("expected a whole number") from None
        if number < minimum or (maximum is not None and number > maximum):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise ValueError(f"expected a whole number of at least {minimum}{upper}")
        return number

    return parse


def json_object(value: Any) -> dict[str, str]:
    """A mapping of texts: a mapping, or a JSON object such as ``{"respondent": "Deltager"}``."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = None
    if not isinstance(value, Mapping):
        raise ValueError('expected a JSON object such as {"respondent": "Deltager"} '
                         "(on the command line, quote it: -I 'columns={...}')")
    return {str(k): str(v) for k, v in value.items()}


def text_list(value: Any) -> tuple[str, ...]:
    """Several texts: a sequence, or comma-separated text (``NA,N/A,-``)."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(","))
    if isinstance(value, Iterable):
        return tuple(str(v) for v in value)
    raise ValueError("expected a comma-separated list")


def single_character(value: Any) -> str:
    """One character, or its name: ``tab``, ``comma``, ``semicolon``, ``pipe``, ``space``."""
    character = _CHARACTER_NAMES.get(str(value).strip().casefold(), str(value))
    if len(character) != 1 or character in '"\r\n':
        raise ValueError("expected one character (or tab, comma, semicolon), not a quote or "
                         "a line break")
    return character


def instrument(value: Any) -> Instrument:
    """A built-in instrument's id, or an [`Instrument`][relcoord.instruments.Instrument]."""
    if isinstance(value, Instrument):
        return value
    try:
        return get_instrument(str(value).strip())
    except KeyError:
        raise ValueError(f"expected a built-in instrument ({', '.join(sorted(INSTRUMENTS))}) "
                         "or, from Python, an Instrument") from None


def _check_name(instance: FormatOption, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        raise ValueError(f"option name {value!r} is not valid: use lower-case letters, digits "
                         "and '_' (e.g. 'max_bytes')")


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Instrument):
        return value.id
    if isinstance(value, tuple | list):
        return ",".join(str(v) for v in value)
    return str(value)


@attrs.frozen
class FormatOption:
    """One option of a format's reader or writer.

    ``parse`` turns a given value into the option's value (see the parsers of this module);
    ``choices``, when given, are the only values allowed after parsing (case does not
    matter, and ``aliases`` maps other spellings to a choice).  ``default`` is the value
    when the option is not given (``None``: not set); ``shown_default`` says it in words
    when the value alone would not (``"sniffed"``).  ``metavar`` is how the value is
    written in help (default: the choices joined by ``|``, else ``TEXT``).
    """

    name: str = attrs.field(validator=_check_name)
    help: str
    parse: Parse = attrs.field(default=text, eq=False)
    default: Any = None
    choices: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    aliases: Mapping[str, str] = attrs.field(factory=dict, eq=False)
    metavar: str = ""
    shown_default: str = ""

    @property
    def value_text(self) -> str:
        """How the value is written: ``auto|positions|scores``, ``N``, ``JSON``..."""
        return self.metavar or "|".join(self.choices) or "TEXT"

    @property
    def default_text(self) -> str:
        """The default in words (empty when there is none)."""
        return self.shown_default or _shown(self.default)

    def read(self, value: Any) -> Any:
        """The option's value for ``value``; `ValueError` says what is expected."""
        parsed = self.parse(value)
        if not self.choices:
            return parsed
        word = str(parsed).strip().casefold()
        word = self.aliases.get(word, word)
        for choice in self.choices:
            if word == choice.casefold():
                return choice
        raise ValueError(f"expected one of {', '.join(self.choices)}")


def _describe(option: FormatOption) -> str:
    default = f" (default {option.default_text})" if option.default_text else ""
    return f"{option.help}{default}"


def option_lines(declared: Sequence[FormatOption], flag: str = "") -> list[str]:
    """One line per option, ``[flag ]name=VALUES  help (default ...)``, aligned."""
    if not declared:
        return []
    heads = [f"{flag + ' ' if flag else ''}{o.name}={o.value_text}" for o in declared]
    width = min(max(len(h) for h in heads), 36)
    return [f"{head:<{width}}  {_describe(o)}" for head, o in zip(heads, declared, strict=True)]


def options_table(declared: Sequence[FormatOption]) -> str:
    """The options as a Markdown table (option, values, default, meaning)."""
    def cell(value: str) -> str:
        return value.replace("|", "\\|")

    lines = ["| option | value | default | meaning |", "|---|---|---|---|"]
    for option in declared:
        default = f"`{cell(option.default_text)}`" if option.default_text else ""
        lines.append(f"| `{option.name}` | `{cell(option.value_text)}` | {default} | "
                     f"{cell(option.help)} |")
    return "\n".join(lines) + "\n"


def _unknown(format_id: str, unknown: Sequence[str], declared: Sequence[FormatOption],
             names: Sequence[str]) -> InvalidInputError:
    hints = []
    for name in unknown:
        close = difflib.get_close_matches(name, names, n=1)
        hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    if not names:
        takes = f"{format_id} takes no options"
    elif declared:
        takes = f"{format_id} takes:\n  " + "\n  ".join(option_lines(declared))
    else:
        takes = f"known options: {', '.join(sorted(names))}"
    return InvalidInputError(f"format {format_id!r}",
                             f"unknown option {', '.join(hints)}; {takes}")


def check_options(
    format_id: str, options: Mapping[str, Any], known: Iterable[FormatOption | str]
) -> None:
    """Refuse options a format does not know, so a typo is an error rather than ignored.

    ``known`` are the format's declared options (or, from plugins written before options
    were declared, their names).  Raises [`InvalidInputError`][relcoord.errors.InvalidInputError]
    naming each unknown option, the closest known name and every known option with its help.
    """
    items = list(known)
    declared = [k for k in items if isinstance(k, FormatOption)]
    names = [k.name if isinstance(k, FormatOption) else str(k) for k in items]
    unknown = sorted(set(options) - set(names))
    if unknown:
        raise _unknown(format_id, unknown, declared if len(declared) == len(items) else [],
                       names)


def parse_options(
    format_id: str, options: Mapping[str, Any], declared: Sequence[FormatOption]
) -> dict[str, Any]:
    """Every declared option's value: the given one, parsed, else the default.

    Raises [`InvalidInputError`][relcoord.errors.InvalidInputError] for an unknown option (see
    [`check_options`][relcoord.formats.format_option.check_options]) or a value its option cannot
    read, naming the option, the value and what is expected.
    """
    check_options(format_id, options, declared)
    values: dict[str, Any] = {}
    for option in declared:
        given = options.get(option.name)
        if given is None:
            values[option.name] = option.default
            continue
        try:
            values[option.name] = option.read(given)
        except ValueError as error:
            shown = given if isinstance(given, str | int | float) else type(given).__name__
            raise InvalidInputError(f"format {format_id!r}",
                                    f"option {option.name}={shown!r}: {error}") from None
    return values
