"""The canonical JSON study file: [`load`][relcoord.study_json.load] reads one,
[`dump`][relcoord.study_json.dump] writes one.

The file is the study format of the documentation's "Study format" page; this module
turns bytes into a [`Study`][relcoord.model.Study] and back.  It composes the two stages
beside it: [`relcoord.validation`][relcoord.validation] checks a parsed document against the schema,
and `relcoord.serialization` maps a checked document to a study (with the
domain rules) and a study to a document.

[`load`][relcoord.study_json.load] never lets a raw parser exception through: a file that is empty,
binary, not UTF-8, not JSON, truncated, nested absurdly deep, too large or holding numbers out of
range raises [`InvalidInputError`][relcoord.errors.InvalidInputError] with ``file:line:column``; a
document that breaks the schema or the domain rules raises
[`InvalidStudyError`][relcoord.errors.InvalidStudyError] listing every problem with its JSON path.
[`dump`][relcoord.study_json.dump] writes atomically.

They are the JSON case of [`relcoord.plugins.read`][relcoord.plugins.read] and
[`relcoord.plugins.write`][relcoord.plugins.write] (format ``json``), which give the same study and
the same bytes: study data, written whole.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any, Final

from relcoord.atomic_files import write_bytes_atomic
from relcoord.bounded_input import read_bounded, too_large
from relcoord.errors import InvalidInputError, InvalidStudyError
from relcoord.model import Study
from relcoord.serialization import study_from_mapping, study_to_mapping
from relcoord.study_json_decoder import decode_study
from relcoord.validation import schema_problems

__all__ = ["DEFAULT_MAX_BYTES", "dump", "dumps", "load", "parse_json"]

#: Files larger than this are refused unless ``max_bytes`` is raised (2 GiB).
DEFAULT_MAX_BYTES: Final = 2 * 1024**3
#: Integers longer than this many digits are refused (no RC quantity needs more).
_MAX_INT_DIGITS: Final = 64

Source = str | os.PathLike[str] | IO[bytes] | IO[str] | Mapping[str, Any]


class _NumberOutOfRange(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _parse_float(token: str) -> float:
    value = float(token)
    if value in (float("inf"), float("-inf")):
        raise _NumberOutOfRange(token)
    return value


def _parse_int(token: str) -> int:
    if len(token.lstrip("-")) > _MAX_INT_DIGITS:
        raise _NumberOutOfRange(token)
    return int(token)


def _parse_constant(token: str) -> float:
    raise _NumberOutOfRange(token)


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def parse_json(data: bytes, name: str = "<input>") -> Any:
    """Decode and parse JSON bytes, turning every failure into a located InvalidInputError."""
    if not data.strip():
        raise InvalidInputError(name, "the file is empty; expected a JSON study document")
    if b"\x00" in data[:8192]:
        raise InvalidInputError(name, "this is a binary file, not JSON text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        line, column = _line_column(prefix, len(prefix))
        raise InvalidInputError(
            f"{name}:{line}:{column}",
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
        ) from None
    try:
        return json.loads(text, parse_float=_parse_float, parse_int=_parse_int,
                          parse_constant=_parse_constant)
    except _NumberOutOfRange as exc:
        match = re.search(rf"(?<![\w.]){re.escape(exc.token)}(?![\w.])", text)
        where = f"{name}:{':'.join(map(str, _line_column(text, match.start())))}" if match else name
        raise InvalidInputError(
            where, f"number {exc.token[:40]!s} is out of range; expected a finite number"
        ) from None
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            message = "the file ends too early (truncated?); " + exc.msg.lower()
        else:
            message = f"not valid JSON: {exc.msg}"
        raise InvalidInputError(f"{name}:{exc.lineno}:{exc.colno}", message) from None
    except RecursionError:
        raise InvalidInputError(name, "JSON nested too deeply to be a study document") from None


def _read(source: str | os.PathLike[str] | IO[bytes] | IO[str], max_bytes: int
          ) -> tuple[bytes, str]:
    if isinstance(source, (str, os.PathLike)):
        name = str(source)
        return read_bounded(source, name, limit=max_bytes, expected="a study file"), name
    name = str(getattr(source, "name", "<stream>"))
    raw = source.read(max_bytes + 1)
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if len(data) > max_bytes:
        raise InvalidInputError(name, too_large("the stream is", max_bytes))
    return data, name


def load(source: Source, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Study:
    """Read a study in the canonical JSON format from a path, an open file or a mapping.

    The document is checked against the shipped schema and then the domain rules; every
    problem is reported at once ([`InvalidStudyError`][relcoord.errors.InvalidStudyError]).  A file
    is first decoded by the typed fast path
    (`relcoord.study_json_decoder`); any doubt sends it through the
    slow path, which locates every problem.
    """
    if isinstance(source, Mapping):
        document: Any = source
    else:
        data, name = _read(source, max_bytes)
        study = decode_study(data)  # the fast path, for a valid file
        if study is not None:
            return study
        document = parse_json(data, name)  # the slow path finds and locates every problem
    problems = schema_problems(document)
    if problems:
        raise InvalidStudyError(problems)
    return study_from_mapping(document)  # the domain stage: raises with every problem


def dumps(study: Study) -> str:
    """The study as canonical JSON text (deterministic: same study, same text).

    Two-space indentation, one rating per line: readable in a diff, and written by the C
    encoder (``indent`` would force Python's pure-Python encoder for millions of ratings).
    """
    document = study_to_mapping(study)
    ratings = document.pop("ratings")
    document["ratings"] = []
    head = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
    if not ratings:
        return head + "\n"
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    body = ",\n    ".join(map(encode, ratings))
    # "ratings" is the last top-level key, so its (empty) list closes the document
    cut = head.rindex('"ratings": []') + len('"ratings": [')
    return f"{head[:cut]}\n    {body}\n  {head[cut:]}\n"


def dump(study: Study, destination: str | os.PathLike[str] | IO[str]) -> None:
    """Write the study as canonical JSON to a path (atomically) or an open text file."""
    text = dumps(study)
    if isinstance(destination, (str, os.PathLike)):
        write_bytes_atomic(Path(destination), text.encode("utf-8"))
    else:
        destination.write(text)
