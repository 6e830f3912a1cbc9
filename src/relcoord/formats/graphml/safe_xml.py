"""Parse untrusted XML safely, keeping the line of every element.

Every GraphML file goes through
[`parse_untrusted`][relcoord.formats.graphml.safe_xml.parse_untrusted] before networkx sees it.  The
parser is `defusedxml.ElementTree.DefusedXMLParser`: entity declarations (the source of "billion
laughs" entity expansion and of external entities that read local files or URLs) and references to
external resources are refused; a document type declaration (DTD) is refused as well, because
GraphML needs none.  When a DTD declares entities, the entity is named in the error (it is the more
useful thing to know); otherwise the DTD itself is.

Each error is an [`InvalidInputError`][relcoord.errors.InvalidInputError] located at
``file:line:column`` and says what was refused.  ElementTree elements carry no position, so the
parser records the line and column where each element starts
([`ParsedXML`][relcoord.formats.graphml.safe_xml.ParsedXML]), for located errors in later checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final
from xml.etree.ElementTree import Element, ParseError, TreeBuilder
from xml.parsers import expat

import attrs
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from relcoord.bounded_input import too_large
from relcoord.errors import InvalidInputError

__all__ = ["CHUNK_BYTES", "MAX_DEPTH", "ParsedXML", "parse_untrusted"]

#: The file is read and fed to the parser in pieces of this size.
CHUNK_BYTES: Final = 1 << 20
#: Elements nested deeper than this are refused by default (the importer's option
#: ``max_depth``): GraphML needs about five levels (graphml,
#: graph, node, data and a value), and deep nesting only serves to exhaust the stack of
#: whatever walks the tree.
MAX_DEPTH: Final = 100


@attrs.frozen(eq=False)
class ParsedXML:
    """A parsed document: its root element and where each element starts.

    ``positions`` maps ``id(element)`` to ``(line, column)``, both counted from 1; the ids
    stay valid as long as this object (which holds the tree) is alive.
    """

    name: str
    root: Element
    positions: Mapping[int, tuple[int, int]]

    def where(self, element: Element | None) -> str:
        """``file:line:column`` of ``element`` (just the file name when it is unknown)."""
        if element is None or id(element) not in self.positions:
            return self.name
        line, column = self.positions[id(element)]
        return f"{self.name}:{line}:{column}"

    def unique_nodes(self, nodes: Iterable[Element]) -> dict[str, Element]:
        """Node id -> ``<node>`` of ``nodes`` (GraphML's or GEXF's), refusing a node without
        an id or an id used twice, at the node."""
        seen: dict[str, Element] = {}
        for node in nodes:
            node_id = node.get("id")
            if not node_id:
                raise InvalidInputError(self.where(node), "<node> without an id")
            if node_id in seen:
                raise InvalidInputError(self.where(node), f"node id {node_id!r} is used twice "
                                        f"(first at {self.where(seen[node_id])})")
            seen[node_id] = node
        return seen


class _Refused(Exception):
    """Raised inside the parser's callbacks for a DTD without entities (see the caller)."""

    def __init__(self, message: str, position: tuple[int, int]) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def _describe_id(sysid: str | None, pubid: str | None) -> str:
    parts = []
    if pubid:
        parts.append(f"PUBLIC {pubid!r}")
    if sysid:
        parts.append(f"SYSTEM {sysid!r}")
    return " ".join(parts)


class _Parser:
    """A defused expat parser that records element positions and names what it refuses."""

    def __init__(self, name: str, max_depth: int = MAX_DEPTH) -> None:
        self.name = name
        self.max_depth = max_depth
        self.positions: dict[int, tuple[int, int]] = {}
        self.builder = _LocatingTreeBuilder(self)
        self.parser = DefusedXMLParser(
            target=self.builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
        self.expat = self.parser.parser
        # Refuse a DTD ourselves: one without an internal subset at once, one with a subset
        # at its end, so that an entity declared inside it is reported by name first.
        self.expat.StartDoctypeDeclHandler = self._start_doctype
        self.expat.EndDoctypeDeclHandler = self._end_doctype
        self._doctype: str | None = None
        self._doctype_at = (1, 1)

    def position(self) -> tuple[int, int]:
        """The parser's current line and column (1-based)."""
        return self.expat.CurrentLineNumber, self.expat.CurrentColumnNumber + 1

    def _start_doctype(
        self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool
    ) -> None:
        ident = _describe_id(sysid, pubid)
        self._doctype = f"<!DOCTYPE {name}{' ' + ident if ident else ''}>"
        self._doctype_at = self.position()
        if not has_internal_subset:
            raise _Refused(self._dtd_message(), self._doctype_at)

    def _end_doctype(self) -> None:
        raise _Refused(self._dtd_message(), self._doctype_at)

    def _dtd_message(self) -> str:
        return (
            f"document type declaration (DTD) {self._doctype} refused: GraphML needs no DTD, "
            "and relcoord does not process DTDs in files it reads (they can declare entities "
            "that expand without bound or read other files)"
        )


class _LocatingTreeBuilder(TreeBuilder):
    """An ElementTree tree builder that also records where each element starts."""

    def __init__(self, owner: _Parser) -> None:
        super().__init__()
        self._owner = owner
        self._depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        """Start an element and record the parser's position for it."""
        self._depth += 1
        if self._depth > self._owner.max_depth:
            raise _Refused(f"elements nested more than {self._owner.max_depth} deep; GraphML "
                           "needs a few levels (graphml, graph, node, data); raise the option "
                           "max_depth if the file is trusted", self._owner.position())
        element = super().start(tag, attrs)
        self._owner.positions[id(element)] = self._owner.position()
        return element

    def end(self, tag: str) -> Element:
        """End an element."""
        self._depth -= 1
        return super().end(tag)


def _entity_message(error: EntitiesForbidden) -> str:
    if error.sysid or error.pubid:
        what = f"external entity {error.name!r} ({_describe_id(error.sysid, error.pubid)})"
        why = "it would make the parser read another file or a URL"
    else:
        what = f"entity declaration {error.name!r}"
        why = ("entities can expand without bound (the 'billion laughs' attack) and GraphML "
               "needs none")
    return f"{what} refused: {why}; the file was not processed further"


def _external_message(error: ExternalReferenceForbidden) -> str:
    ident = _describe_id(error.sysid, error.pubid) or "an external resource"
    return (f"reference to {ident} refused: relcoord never reads other files or URLs named "
            "inside a file it reads")


def parse_untrusted(path: Path, *, max_bytes: int, name: str | None = None,
                    max_depth: int = MAX_DEPTH) -> ParsedXML:
    """Parse the XML file at ``path`` safely, refusing files larger than ``max_bytes``.

    ``name`` is how errors name the file (default: ``str(path)``).  Raises
    [`InvalidInputError`][relcoord.errors.InvalidInputError] at ``file:line:column`` for malformed
    XML (truncated, not XML, bad encoding) and for a DTD, an entity declaration or an external
    reference, each named; for a file over the size limit it names the size and the limit.
    """
    label = str(path) if name is None else name
    if path.is_dir():
        raise InvalidInputError(label, "is a folder; expected a GraphML file")
    state = _Parser(label, max_depth)
    read = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                read += len(chunk)
                if read > max_bytes:  # counted while reading: stat() may say 0 (/dev/zero)
                    raise InvalidInputError(label, too_large("the file is", max_bytes))
                state.parser.feed(chunk)
            root = state.parser.close()
    except OSError as error:
        raise InvalidInputError(label, f"cannot read the file: {error.strerror or error}"
                                ) from None
    except ParseError as error:
        line, column = error.position
        reason = expat.ErrorString(error.code) if isinstance(error.code, int) else str(error)
        raise InvalidInputError(
            f"{label}:{line}:{column + 1}", f"not well-formed XML: {reason}"
        ) from None
    except EntitiesForbidden as error:
        raise _located(state, _entity_message(error)) from None
    except ExternalReferenceForbidden as error:
        raise _located(state, _external_message(error)) from None
    except DTDForbidden as error:  # not raised with our settings; kept for safety
        raise _located(state, f"document type declaration {error.name!r} refused") from None
    except _Refused as error:
        line, column = error.position
        raise InvalidInputError(f"{label}:{line}:{column}", error.message) from None
    except LookupError as error:  # an encoding expat does not know
        line, column = state.position()
        raise InvalidInputError(f"{label}:{line}:{column}", "cannot decode the XML: "
                                f"{error}; save the file as UTF-8") from None
    return ParsedXML(name=label, root=root, positions=state.positions)


def _located(state: _Parser, message: str) -> InvalidInputError:
    line, column = state.position()
    return InvalidInputError(f"{state.name}:{line}:{column}", message)
