"""Errors as data: every problem carries the place it was found and what was expected.

A [`Problem`][relcoord.errors.Problem] is one finding of validation (``$.ratings[3].source: unknown
role 'x'``); [`InvalidStudyError`][relcoord.errors.InvalidStudyError] carries all of them at once,
sorted by place, so that a user fixes every mistake in one pass.  All relcoord exceptions derive
from [`RelcoordError`][relcoord.errors.RelcoordError].
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import attrs

__all__ = [
    "DataLossWarning",
    "ImportNote",
    "InputWarning",
    "InvalidInputError",
    "InvalidStudyError",
    "OutputError",
    "Problem",
    "RelcoordError",
    "RelcoordWarning",
    "path_sort_key",
]

_TOKEN = re.compile(r"\[(\d+)\]|\.([^.\[]+)")


_LOCATION = re.compile(r"^(.*?):(\d+)(?::(\d+))?$")


def path_sort_key(path: str) -> tuple[tuple[int, int | str], ...]:
    """Order places naturally: ``$.ratings[2]`` before ``$.ratings[10]``, and
    ``file.csv:2:5`` before ``file.csv:12:1``."""
    location = _LOCATION.match(path)
    if location and not path.startswith("$"):
        name, line, column = location.groups()
        return ((1, name), (0, int(line)), (0, int(column or 0)))
    key: list[tuple[int, int | str]] = []
    for index, name in _TOKEN.findall(path):
        key.append((0, int(index)) if index else (1, name))
    return tuple(key)


@attrs.frozen(order=False)
class Problem:
    """One thing wrong with an input, at one place.

    ``path`` is a JSON path (``$.roles[0].id``) for structured input or ``file:line:column``
    for text input; ``message`` says what was found and what is expected.
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def _sorted(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    unique = dict.fromkeys(problems)
    return tuple(sorted(unique, key=lambda p: (path_sort_key(p.path), p.message)))


class RelcoordError(Exception):
    """Base class of the errors that relcoord raises on purpose."""


class InvalidStudyError(RelcoordError, ValueError):
    """A study (or the data for one) breaks the format or the domain rules.

    ``problems`` lists every problem found, sorted by place.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = _sorted(problems)
        if not self.problems:
            raise ValueError("InvalidStudyError needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))


class InvalidInputError(RelcoordError, ValueError):
    """A file could not be read at all (not JSON, not UTF-8, truncated, too large...).

    ``location`` is ``file:line:column`` where there is one, else the file name.
    """

    def __init__(self, location: str, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")


class OutputError(RelcoordError, OSError):
    """An output could not be written, or would destroy what relcoord did not write (a
    read-only folder, a full disk, a folder of the user's own files, the input itself).

    ``location`` is the output's name; nothing was changed there.
    """

    def __init__(self, location: str, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class RelcoordWarning(UserWarning):
    """Something about an input that the user should know, at one place.

    Raised through `warnings.warn`, so a library caller filters or records it with the
    standard `warnings` machinery; the command line prints it as one line,
    ``warning: location: message`` (or ``note: ...`` for an
    [`ImportNote`][relcoord.errors.ImportNote]).
    """

    def __init__(self, location: str, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")


class InputWarning(RelcoordWarning):
    """An input was read, but something in it is probably not what its author meant
    (a legacy encoding, a column that is ignored)."""


class ImportNote(RelcoordWarning):
    """A guess an importer made about a file (delimiter, decimal mark, encoding, layout,
    column mapping), reported so that no data changes silently.  Every note names the
    option that settles the guess."""


class DataLossWarning(RelcoordWarning):
    """Study data was read or written without something a re-analysis needs, because the
    caller asked for it (``respondent_ids=omit``): the warning says what a later analysis
    will then get wrong."""
