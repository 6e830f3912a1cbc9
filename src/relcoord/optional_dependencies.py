"""The optional dependencies of relcoord: which extra brings which package, imported when used.

``pip install relcoord`` gives the model, validation, the scores and the whole analysis.
The rest are extras, each imported only by the code that needs it:

- `figures` (matplotlib): the figures ([relcoord.pictures][relcoord.pictures], the demo,
  the DOCX report);
- `csv` (polars): reading and writing CSV files, through polars' vectorised parser;
- `igraph` (igraph): [to_igraph][relcoord.role_network.to_igraph]; the analysis's network
  measures use igraph when it is installed (faster on large networks) and networkx
  otherwise, with the same results (the `backend` field says which);
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
from types import ModuleType
from typing import Final

from relcoord.errors import RelcoordError

__all__ = ["EXTRAS", "MissingDependencyError", "is_available", "optional_module", "require"]

EXTRAS: Final[dict[str, str]] = {
    "matplotlib": "figures",
    "polars": "csv",
    "igraph": "igraph",
    "pandas": "pandas",
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
