"""``reqlab._records.record`` classes behave as ``dataclass()`` ones: the
same equality, hashing, repr, frozenness and dataclass helpers; a class's
own ``__repr__`` (the auth classes hide secrets in theirs) is kept."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from reqlab._records import record
from reqlab.model import BasicAuth, Options, Request


@record(frozen=True)
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class TwinPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()


@record(slots=True)
class Mutable:
    items: list[int] = dataclasses.field(default_factory=list)


@record(frozen=True, slots=True)
class Slotted:
    a: int
    b: str


@record(frozen=True)
class Ordered:
    a: int
    hidden: int = dataclasses.field(default=0, compare=False)


def test_equality_hash_and_repr_match_dataclass() -> None:
    p, twin = Point(1, 2, ("a",)), TwinPoint(1, 2, ("a",))
    assert p == Point(1, 2, ("a",)) and p != Point(1, 3, ("a",))
    assert hash(p) == hash(twin) == hash(Point(1, 2, ("a",)))
    assert repr(p) == repr(twin).replace("TwinPoint", "Point")
    others: tuple[object, ...] = (twin, (1, 2, ("a",)))
    for other in others:
        assert p != other  # another class is never equal
    assert Slotted(1, "x") == Slotted(1, "x") and repr(Slotted(1, "x")) == "Slotted(a=1, b='x')"
    assert hash(Slotted(1, "x")) == hash((1, "x"))


def test_frozen_and_not() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Point(1).x = 2  # type: ignore[misc]
    m = Mutable()
    m.items.append(1)
    assert m == Mutable([1]) and Mutable() != m
    with pytest.raises(TypeError):
        hash(m)  # eq without frozen: unhashable, as with dataclass()
    assert not hasattr(m, "__dict__")  # slots kept


def test_dataclass_helpers_still_work() -> None:
    p = Point(1, 2)
    assert dataclasses.is_dataclass(p) and dataclasses.astuple(p) == (1, 2, ())
    assert dataclasses.replace(p, y=5) == Point(1, 5)
    assert Point.__match_args__ == ("x", "y", "tags")
    assert pickle.loads(pickle.dumps(Slotted(1, "x"))) == Slotted(1, "x")


def test_a_field_out_of_comparison_gets_plain_dataclass() -> None:
    assert Ordered(1, hidden=1) == Ordered(1, hidden=2)


def test_model_classes() -> None:
    auth = BasicAuth("user", "s3cret")
    assert "s3cret" not in repr(auth)  # its own __repr__ is kept
    assert auth == BasicAuth("user", "s3cret") and auth != BasicAuth("user", "other")
    assert Options() == Options() and Options(timeout=1) != Options()
    r = Request("GET", "http://h/")
    assert r == Request("GET", "http://h/") and hash(r) == hash(Request("GET", "http://h/"))
    assert repr(r).startswith("Request(method='GET', url='http://h/'")
