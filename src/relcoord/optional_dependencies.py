"""The optional dependencies of relcoord: which extra brings which package, imported when used.

``pip install relcoord`` gives the model, validation, the scores and the whole analysis.
The rest are extras, each imported only by the code that needs it:

- `figures` (matplotlib): the figures ([relcoord.pictures][relcoord.pictures], the demo,
  the DOCX report);
- `csv` (polars): reading and writing CSV files, through polars' vectorised parser;
- `igraph` (igraph, leidenalg): [to_igraph][relcoord.role_network.to_igraph]; the analysis's
  network measures use igraph when it is installed (faster on large networks) and networkx
  otherwise, with the same results (the `backend` field says which); the communities of a
  person network (from
  [LEIDEN_FROM_NODES][relcoord.metrics.graph_measures.LEIDEN_FROM_NODES] nodes) are
  leidenalg's Leiden communities instead of networkx's Louvain (the `community_method`
  field says which);
- `pandas` (pandas): [Ratings.from_frame][relcoord.ratings.Ratings.from_frame];
- `all`: every package above.

The README's `./dev demo` and `./dev test` install `relcoord[all]`.
[require][relcoord.optional_dependencies.require] imports a package or raises
[MissingDependencyError][relcoord.optional_dependencies.MissingDependencyError], whose
message names the extra to install.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from types import ModuleType
from typing import Any, Final, TypeVar, cast

from relcoord.errors import RelcoordError

__all__ = [
    "EXTRAS",
    "MissingDependencyError",
    "compiled_engine",
    "is_available",
    "numba_jit",
    "optional_module",
    "require",
]

_T = TypeVar("_T")
_F = TypeVar("_F", bound=Callable[..., Any])

EXTRAS: Final[dict[str, str]] = {
    "matplotlib": "figures",
    "polars": "csv",
    "igraph": "igraph",
    "leidenalg": "igraph",
    "pandas": "pandas",
    "numba": "fast",
}
"""The extra that brings each optional package, by the package's import name."""


class MissingDependencyError(RelcoordError, ImportError):
    """An optional package is not installed; the message names the extra that brings it.

    Attributes:
        package: the import name of the missing package (``"polars"``).
        extra: the extra of relcoord that installs it (``"csv"``).
        purpose: what needed it (``"reading CSV files"``).
    """

    def __init__(self, package: str, purpose: str) -> None:
        self.package = package
        self.extra = EXTRAS[package]
        self.purpose = purpose
        super().__init__(
            f"{purpose} needs the optional package {package!r}, which is not installed; "
            f"install the extra that brings it: pip install 'relcoord[{self.extra}]' "
            f"(or 'relcoord[all]' for every extra)",
            name=package,
        )


def is_available(package: str) -> bool:
    """Whether the optional ``package`` can be imported (without importing it)."""
    if package not in EXTRAS:
        raise ValueError(f"{package!r} is not an optional dependency of relcoord")
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):  # a broken or half-removed installation
        return False


def require(package: str, purpose: str) -> ModuleType:
    """Import the optional ``package`` for ``purpose``, or say which extra to install.

    Args:
        package: the import name, one of [EXTRAS][relcoord.optional_dependencies.EXTRAS].
        purpose: what needs it, as the start of a sentence (``"reading CSV files"``).

    Raises:
        MissingDependencyError: the package is not installed (a package that is installed
            but fails to import raises its own error, unchanged).
    """
    if package not in EXTRAS:
        raise ValueError(f"{package!r} is not an optional dependency of relcoord")
    try:
        return importlib.import_module(package)
    except ModuleNotFoundError as error:
        if error.name != package:  # the package is there but one of its own imports is not
            raise
        raise MissingDependencyError(package, purpose) from None


class _OptionalModule(ModuleType):
    """Stands for an optional package until an attribute is looked up, then imports it."""

    def __init__(self, package: str, purpose: str) -> None:
        super().__init__(package)
        self._relcoord_purpose = purpose

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # introspection (copy, pickle, doctest) finds nothing
            raise AttributeError(name)
        module = require(self.__name__, self._relcoord_purpose)
        return getattr(module, name)


def optional_module(package: str, purpose: str) -> ModuleType:
    """A stand-in for the optional ``package`` that imports it on first attribute use.

    A module that needs ``polars`` in some functions only writes::

        if TYPE_CHECKING:
            import polars as pl
        else:
            pl = optional_module("polars", "reading and writing CSV files")

    and ``pl.read_csv(...)`` imports polars when first called, or raises
    [MissingDependencyError][relcoord.optional_dependencies.MissingDependencyError] naming the
    extra.  Importing the module itself never needs the package.
    """
    if package not in EXTRAS:
        raise ValueError(f"{package!r} is not an optional dependency of relcoord")
    return _OptionalModule(package, purpose)


def numba_jit() -> Callable[[_F], _F] | None:
    """numba's ``njit(cache=True, nogil=True)`` when numba (the ``fast`` extra) is installed,
    else ``None``: what a module with a compiled kernel writes once, as

        jit = numba_jit()
        if jit is None:
            return None  # the numpy path

        @jit
        def kernel(...): ...

    The compiled code is cached on disk next to the module, so a later process loads it
    instead of compiling again.
    """
    try:
        import numba  # optional (the fast extra), imported on first use
    except ImportError:
        return None
    # a numba Dispatcher is called as the function it compiles
    return cast("Callable[[_F], _F]", numba.njit(cache=True, nogil=True))


def compiled_engine(engine: str, numpy_path: _T, compiled: Callable[..., _T | None], *,
                    purpose: str) -> _T:
    """The implementation an ``engine`` option picks: ``"numpy"`` the ``numpy_path``,
    ``"numba"`` the ``compiled()`` one (the same results, tested both ways), ``"auto"`` the
    compiled one when numba is installed, else numpy's.

    Raises:
        ValueError: another ``engine``.
        MissingDependencyError: ``engine="numba"`` without numba (for ``purpose``).
    """
    if engine == "numpy":
        return numpy_path
    if engine not in ("auto", "numba"):
        raise ValueError(f"engine must be 'auto', 'numpy' or 'numba', got {engine!r}")
    made = compiled()
    if made is None:
        if engine == "numba":
            raise MissingDependencyError("numba", purpose)
        return numpy_path
    return made
