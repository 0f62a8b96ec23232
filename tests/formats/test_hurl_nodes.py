"""Hurl AST nodes compare, hash and print as ``dataclass(unsafe_hash=True)``
classes do, though only their ``__init__`` is generated (formats/hurl/_ast.py
shares the other three to keep start-up short)."""

from __future__ import annotations

import dataclasses

from reqlab.formats.hurl import parse
from reqlab.formats.hurl._ast import HurlFile, Null, Pos, Template

TEXT = 'GET {{base}}/echo\nHTTP 200\n[Asserts]\njsonpath "$.n" == 3\n'


@dataclasses.dataclass(unsafe_hash=True)
class TwinPos:
    line: int
    column: int


def test_equality_and_hash_follow_the_field_values() -> None:
    a, b = parse(TEXT), parse(TEXT)
    assert a == b and hash(a) == hash(b) and a is not b
    c = parse(TEXT.replace("3", "4"))
    assert a != c
    assert Pos(1, 2) == Pos(1, 2) and Pos(1, 2) != Pos(2, 1)
    assert hash(Pos(1, 2)) == hash(TwinPos(1, 2))
    others: tuple[object, ...] = (TwinPos(1, 2), (1, 2))
    for other in others:  # another class: never equal
        assert Pos(1, 2) != other
    assert Null() == Null() and hash(Null()) == hash(())
    assert Template(("a",), Pos(1, 1)) != Template(("b",), Pos(1, 1))
    assert {Pos(1, 2): "x"}[Pos(1, 2)] == "x"


def test_repr_is_the_dataclass_repr() -> None:
    assert repr(Pos(3, 4)) == repr(TwinPos(3, 4)).replace("TwinPos", "Pos")
    assert repr(Null()) == "Null()"
    assert (
        repr(HurlFile("f", (), ("line",))) == "HurlFile(filename='f', entries=())"
    )  # lines hidden


def test_nodes_are_still_dataclasses() -> None:
    pos = Pos(1, 2)
    assert dataclasses.is_dataclass(pos) and dataclasses.astuple(pos) == (1, 2)
    assert dataclasses.replace(pos, line=5) == Pos(5, 2)
    assert Pos.__match_args__ == ("line", "column")
