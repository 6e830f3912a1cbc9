"""Read-only mappings that pickle: the dict-valued fields of relcoord's frozen types.

An instrument's names and answer labels, a finding's figures, a score's figures per item:
these are mappings inside frozen attrs classes, and must not be changed through the object
that holds them.  ``types.MappingProxyType`` gives that, but the standard ``pickle`` refuses
it, and with it every study and every analysis: they could not be sent to a
``multiprocessing`` or ``concurrent.futures`` process pool, cached with ``joblib`` or
``shelve``, or handed to any tool that pickles.
[`FrozenMapping`][relcoord.frozen_mapping.FrozenMapping] is the same read-only view of its own
copy of the data, and pickles as that data.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TypeVar

__all__ = ["FrozenMapping"]

K = TypeVar("K")
V = TypeVar("V")


class FrozenMapping(Mapping[K, V]):
    """A read-only mapping over its own copy of ``data`` (a mapping or key-value pairs).

    Equal to any mapping with the same items (as a ``dict`` is), unhashable (as
    ``MappingProxyType`` is), and pickled as its items: ``pickle.loads(pickle.dumps(m)) ==
    m``.  Nothing in its interface changes it after it is made.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMapping):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FrozenMapping({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMapping, (self._data,))
