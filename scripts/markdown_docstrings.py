"""Rewrite Sphinx (reST) roles in docstrings and comments as Markdown that mkdocstrings reads.

    python scripts/markdown_docstrings.py                 # rewrite src/ and plugins/*/src/
    python scripts/markdown_docstrings.py --check         # exit 1 if anything would change
    python scripts/markdown_docstrings.py --exclude src/relcoord/metrics
    python scripts/markdown_docstrings.py --build         # then build the docs and turn
                                                          # every link that does not resolve
                                                          # into plain code

``:class:`~relcoord.model.Study``` becomes ``[`Study`][relcoord.model.Study]``, a
cross-reference that mkdocstrings (mkdocs-autorefs) links to the object's entry on the API
page; a name without dots is looked up where the docstring is (the module's own classes,
functions and imports, the enclosing class's members, ``.sub`` modules of the package) and
written with its full path.  Roles for objects outside relcoord (``:class:`KeyError```,
``:mod:`attrs```, ``:func:`numpy.unique```) and names that cannot be found become plain
code (`` `KeyError` ``).  ``--build`` runs ``mkdocs build`` and turns every cross-reference
the build cannot resolve (an object the API page does not render) into plain code too,
until the build resolves them all.

The script is idempotent: a second run changes nothing.  It edits only docstrings and
comments (found with :mod:`ast` and :mod:`tokenize`), never code.
"""

from __future__ import annotations

import argparse
import ast
import io
import os
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: A Sphinx role: ``:class:`target```, ``:py:func:`~a.b```, ``:meth:`text <a.b.c>```.
ROLE = re.compile(
    r":(?:py:)?(?P<role>class|func|meth|mod|data|attr|exc|obj|const|type)"
    r":`(?P<body>[^`]+)`"
)
#: The top-level packages whose objects the API pages render.
OURS = ("relcoord", "relcoord_docx", "relcoord_example")
#: The longest line ruff allows (pyproject.toml, line-length).
WIDTH = 100
#: The head of a Google-style section item (``name:``, ``name (type):``): a wrapped
#: continuation must be indented deeper than it.
ITEM = re.compile(r"^[\w*.]+(?: \([^)]*\))?: ")
BULLET = re.compile(r"^(?:[-*+]|\d+\.) ")
#: An unresolved cross-reference in mkdocs' output.
UNRESOLVED = re.compile(r"Could not find cross-reference target '([^']+)'")


@dataclass
class Module:
    """What a module defines and imports, from its source alone."""

    name: str
    path: Path
    is_package: bool
    names: dict[str, str] = field(default_factory=dict)  # local name -> full path
    defined: set[str] = field(default_factory=set)  # names defined here (not imported)
    classes: dict[str, set[str]] = field(default_factory=dict)  # class -> member names


def module_name(path: Path, source_root: Path) -> str:
    parts = list(path.relative_to(source_root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_roots() -> list[Path]:
    return [ROOT / "src", *sorted(p for p in (ROOT / "plugins").glob("*/src") if p.is_dir())]


def index_modules() -> dict[str, Module]:
    """Every module of relcoord and its plugins, by dotted name."""
    modules: dict[str, Module] = {}
    for root in source_roots():
        for path in sorted(root.rglob("*.py")):
            name = module_name(path, root)
            module = Module(name, path, path.name == "__init__.py")
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except SyntaxError:
                continue
            package = name if module.is_package else name.rpartition(".")[0]
            for node in ast.walk(tree):  # TYPE_CHECKING imports count: they name types
                if isinstance(node, ast.ImportFrom):
                    base = node.module or ""
                    if node.level:
                        anchor = package.split(".")
                        anchor = anchor[: len(anchor) - (node.level - 1)]
                        base = ".".join([*anchor, base] if base else anchor)
                    for alias in node.names:
                        module.names[alias.asname or alias.name] = f"{base}.{alias.name}"
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.asname:
                            module.names[alias.asname] = alias.name
                        else:
                            top = alias.name.split(".")[0]
                            module.names.setdefault(top, top)
            for node in tree.body:
                for defined in _defined_names(node):
                    module.names[defined] = f"{name}.{defined}"
                    module.defined.add(defined)
                if isinstance(node, ast.ClassDef):
                    module.classes[node.name] = {
                        n for child in node.body for n in _defined_names(child)}
            modules[name] = module
    return modules


def _defined_names(node: ast.stmt) -> Iterator[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Name):
                yield target.id
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        yield node.target.id


def canonical(path: str, modules: dict[str, Module], depth: int = 0) -> str | None:
    """The place where ``path`` is defined (following re-exports), or None if unknown."""
    if path in modules:
        return path
    if depth > 10:
        return None
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = modules.get(".".join(parts[:cut]))
        if module is None:
            continue
        head, rest = parts[cut], parts[cut + 1:]
        if head in module.defined:
            if not rest:
                return path
            members = module.classes.get(head)
            if members is not None and len(rest) == 1 and rest[0] in members:
                return path
            return None
        target = module.names.get(head)
        if target is None or target == path:
            return None
        return canonical(".".join([target, *rest]), modules, depth + 1)
    return None


def resolve(text: str, module: Module, cls: str | None, modules: dict[str, Module]
            ) -> str | None:
    """The full path of ``text`` as written in ``module`` (inside class ``cls``)."""
    if text.startswith("."):
        package = module.name if module.is_package else module.name.rpartition(".")[0]
        return canonical(package + text, modules)
    head, _, rest = text.partition(".")
    candidates = []
    if cls is not None and head in module.classes.get(cls, set()):
        candidates.append(f"{module.name}.{cls}.{text}")
    if head in module.names:
        candidates.append(".".join(filter(None, [module.names[head], rest])))
    candidates.append(text)
    for candidate in candidates:
        found = canonical(candidate, modules)
        if found is not None:
            return found
    return None


def replacement(match: re.Match[str], module: Module, cls: str | None,
                modules: dict[str, Module]) -> str:
    body = match.group("body").strip()
    explicit = re.fullmatch(r"(?P<title>.+?)\s*<(?P<target>[^<>]+)>", body)
    if explicit:
        title, target = explicit.group("title"), explicit.group("target")
    else:
        target = body.lstrip("~!")
        title = target.rsplit(".", 1)[-1] if body.startswith("~") else target.lstrip(".")
    path = resolve(target.lstrip("!"), module, cls, modules)
    if path is None or path.split(".")[0] not in OURS:
        return f"`{title}`"
    return f"[`{title}`][{path}]"


def _break_points(line: str) -> Iterator[int]:
    """Positions of spaces outside code spans and link brackets, right to left."""
    ticks = depth = 0
    spaces = []
    for i, char in enumerate(line):
        if char == "`":
            ticks += 1
        elif char == "[" and ticks % 2 == 0:
            depth += 1
        elif char == "]" and ticks % 2 == 0:
            depth = max(depth - 1, 0)
        elif char == " " and ticks % 2 == 0 and depth == 0:
            spaces.append(i)
    return reversed(spaces)


def wrap(line: str, in_comment: bool) -> str:
    """``line`` broken before ``WIDTH`` at a space that is outside code and links, the rest
    indented as a continuation (deeper under a Google-style item or a bullet)."""
    body = line.rstrip("\n")
    if len(body) <= WIDTH:
        return line
    indent = body[: len(body) - len(body.lstrip())]
    text = body.lstrip()
    prefix = ""
    if in_comment:
        marker = re.match(r"#:? ?", text)
        prefix = marker.group(0) if marker else "# "
        text = text[len(prefix):]
    extra = ""
    if ITEM.match(text):
        extra = "    "
    elif BULLET.match(text):
        extra = " " * len(BULLET.match(text).group(0))  # type: ignore[union-attr]
    head = indent + prefix
    for point in _break_points(body):
        if point <= len(head) + 1 or point > WIDTH:
            continue
        first, rest = body[:point].rstrip(), body[point + 1:].lstrip()
        continuation = indent + prefix + extra + rest
        return first + "\n" + wrap(continuation + "\n", in_comment)
    return line  # no place to break: leave it long


def docstring_spans(tree: ast.Module) -> Iterator[tuple[int, int, str | None]]:
    """(first line, last line, enclosing class) of every docstring-like string statement."""
    def visit(body: list[ast.stmt], cls: str | None) -> Iterator[tuple[int, int, str | None]]:
        for node in body:
            if (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)):
                yield node.lineno, node.end_lineno or node.lineno, cls
            if isinstance(node, ast.ClassDef):
                yield from visit(node.body, node.name)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.If, ast.Try,
                                   ast.With)):
                yield from visit(node.body, cls)
    yield from visit(tree.body, None)


def comment_lines(source: str) -> Iterator[int]:
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0]
    except (tokenize.TokenError, SyntaxError):
        return


def convert_source(source: str, module: Module, modules: dict[str, Module]) -> str:
    """``source`` with the roles in its docstrings and comments rewritten."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    where: dict[int, str | None] = {}
    span: dict[int, int] = {}  # docstring line -> the docstring's first line
    for first, last, cls in docstring_spans(tree):
        for number in range(first, last + 1):
            where[number] = cls
            span[number] = first
    for number in comment_lines(source):
        where.setdefault(number, None)
    comments = set(comment_lines(source))
    changed: list[int] = []
    for number, cls in sorted(where.items()):
        line = lines[number - 1]
        if ":" in line and "`" in line:
            new = ROLE.sub(
                lambda m, c=cls: replacement(m, module, c, modules), line)  # type: ignore[misc]
            if new != line:
                lines[number - 1] = new
                changed.append(number)
    for number in reversed(changed):  # bottom up: a line inserted moves no line to do
        if number in comments:
            if lines[number - 1].lstrip().startswith("#"):  # never wrap a comment after code
                lines[number - 1] = wrap(lines[number - 1], in_comment=True)
        else:
            _reflow(lines, number - 1, span)
    return "".join(lines)


def _paragraph_goes_on(line: str, indent: str) -> bool:
    """Whether ``line`` continues a docstring paragraph indented by ``indent``."""
    text = line.strip()
    return (bool(text) and line[: len(line) - len(line.lstrip())] == indent
            and not text.startswith(('"""', "```", ">>>", "|"))
            and not ITEM.match(text) and not BULLET.match(text))


def _reflow(lines: list[str], index: int, span: dict[int, int]) -> None:
    """Break an overlong docstring line, pushing its last words onto the next line of the
    same paragraph (and on down), or onto a new line when the paragraph ends there."""
    while index < len(lines) and len(lines[index].rstrip("\n")) > WIDTH:
        body = lines[index].rstrip("\n")
        indent = body[: len(body) - len(body.lstrip())]
        text = body.lstrip()
        extra = ("    " if ITEM.match(text) else
                 " " * len(m.group(0)) if (m := BULLET.match(text)) else "")
        point = next((p for p in _break_points(body) if len(indent) + 1 < p <= WIDTH), None)
        if point is None:
            return  # no place to break: leave it long
        first, rest = body[:point].rstrip(), body[point + 1:].lstrip()
        lines[index] = first + "\n"
        following = lines[index + 1] if index + 1 < len(lines) else ""
        same = span.get(index + 2) is not None and span.get(index + 2) == span.get(index + 1)
        if same and _paragraph_goes_on(following, indent + extra):
            lines[index + 1] = f"{indent}{extra}{rest} {following.lstrip()}"
        else:
            lines.insert(index + 1, f"{indent}{extra}{rest}\n")
            for key in sorted((k for k in span if k > index + 1), reverse=True):
                moved = span.pop(key)
                span[key + 1] = moved + 1 if moved > index + 1 else moved
            if index + 1 in span:
                span[index + 2] = span[index + 1]
        index += 1


def files(paths: Iterable[Path], excluded: list[Path]) -> Iterator[Path]:
    for path in paths:
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            if not any(file.is_relative_to(e) for e in excluded):
                yield file


def convert(paths: list[Path], excluded: list[Path], check: bool) -> list[Path]:
    """Rewrite (or with ``check`` only list) the files whose docstrings use roles."""
    modules = index_modules()
    by_path = {m.path.resolve(): m for m in modules.values()}
    changed = []
    for file in files(paths, excluded):
        module = by_path.get(file.resolve())
        if module is None:
            continue
        source = file.read_text(encoding="utf-8")
        new = convert_source(source, module, modules)
        if new != source:
            changed.append(file)
            if not check:
                file.write_text(new, encoding="utf-8")
    return changed


def unresolved_targets(site: Path) -> set[str]:
    """Build the docs; the cross-reference targets the build could not resolve."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)],
        cwd=ROOT, capture_output=True, text=True, env=env, check=False)
    return set(UNRESOLVED.findall(result.stdout + result.stderr))


def plain_code(paths: list[Path], excluded: list[Path], targets: set[str]) -> list[Path]:
    """Turn cross-references to ``targets`` into plain code."""
    pattern = re.compile(r"\[(`[^`\]]+`)\]\[(" + "|".join(map(re.escape, targets)) + r")\]")
    changed = []
    for file in files(paths, excluded):
        source = file.read_text(encoding="utf-8")
        new = pattern.sub(r"\1", source)
        if new != source:
            file.write_text(new, encoding="utf-8")
            changed.append(file)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("paths", nargs="*", type=Path, help="default: src and plugins/*/src")
    parser.add_argument("--exclude", action="append", type=Path, default=[],
                        help="leave this file or folder alone (repeatable)")
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a file would change")
    parser.add_argument("--build", action="store_true",
                        help="then build the docs and make unresolvable links plain code")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.paths] or source_roots()
    excluded = [p.resolve() for p in args.exclude]
    changed = convert(paths, excluded, args.check)
    for file in changed:
        sys.stdout.write(f"{'would rewrite' if args.check else 'rewrote'} "
                         f"{file.relative_to(ROOT)}\n")
    if args.check:
        return 1 if changed else 0
    if args.build:
        import tempfile

        with tempfile.TemporaryDirectory() as site:
            for _ in range(3):
                targets = unresolved_targets(Path(site))
                if not targets:
                    break
                for file in plain_code(paths, excluded, targets):
                    sys.stdout.write(f"unlinked {', '.join(sorted(targets))[:60]}... in "
                                     f"{file.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
