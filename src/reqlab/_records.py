"""``record``: a dataclass that costs less to define.

Defining a dataclass compiles each method it writes from source (Python
3.11 compiles ``__init__``, ``__repr__``, ``__eq__``, ``__hash__`` and, for
a frozen one, ``__setattr__`` and ``__delattr__`` one by one), and the
classes on the path of ``reqlab run`` are defined on every start-up: some
200 compilations, about a fifth of the start-up's instructions.  ``record``
lets ``dataclass()`` write only what must be per class (``__init__``, and
the frozen guards) and gives ``__eq__``, ``__hash__`` and ``__repr__`` as
shared functions over the field values, with the same results as
``dataclass()``'s: equal only to an instance of the same class with equal
fields, the hash of the field tuple (frozen) or unhashable (not frozen), the
same repr.  A class that writes its own ``__repr__`` keeps it; one that
writes ``__eq__`` or ``__hash__``, or has a field left out of comparison,
gets plain ``dataclass()``.  tests/test_records.py compares the two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(field_specifiers=(field,))
def record(*, frozen: bool = False, slots: bool = False) -> Callable[[type[_T]], type[_T]]:
    """``@dataclass(frozen=..., slots=...)``, defined with less compiling."""

    def make(cls: type[_T]) -> type[_T]:
        own = cls.__dict__
        if "__eq__" in own or "__hash__" in own or any(map(_unshared, own.values())):
            return dataclass(frozen=frozen, slots=slots)(cls)
        if cls.__doc__ is None:  # else dataclass() computes a signature for one
            cls.__doc__ = cls.__name__
        made = dataclass(frozen=frozen, slots=slots, eq=False, repr=False)(cls)
        share_methods(made, hashable=frozen)
        return made

    return make


def _unshared(value: object) -> bool:
    """A field left out of comparison or hashing: plain dataclass() for it."""
    return isinstance(value, Field) and (not value.compare or value.hash is not None)


def share_methods(cls: type[Any], hashable: bool) -> None:
    """Give a dataclass defined with ``eq=False, repr=False`` the shared
    ``__eq__``, ``__hash__`` (or None, if not ``hashable``) and ``__repr__``
    (unless it has its own)."""
    found = fields(cls)
    if any(not f.compare or f.hash is not None for f in found):  # an inherited one
        raise TypeError(f"{cls.__name__}: a field left out of comparison needs dataclass()")
    cls._record_values = staticmethod(_getter([f.name for f in found]))
    cls._record_shown = tuple(f.name for f in found if f.repr)
    cls.__eq__ = _eq  # type: ignore[assignment]
    cls.__hash__ = _hash if hashable else None  # type: ignore[assignment]
    if "__repr__" not in cls.__dict__:
        cls.__repr__ = _repr  # type: ignore[assignment]


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The field values as a tuple (``attrgetter`` of one name gives the
    value itself, of none is refused)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        name = names[0]
        return lambda obj: (getattr(obj, name),)
    return lambda obj: ()


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self._record_values(self) == self._record_values(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(self._record_values(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_shown)
    return f"{self.__class__.__qualname__}({shown})"
