"""Which named requests a request's ``{{name.response...}}`` needs.

Used to send a login (or any request whose response another one quotes)
before the request that quotes it, when no response of it is recorded yet:
``reqlab send api.http#me`` in a fresh process then works as in the IDE
after running the file from the top.  Values of file variables the request
uses are followed too (``@token = {{login.response.body.$.token}}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from reqlab.formats.httpfile import TextChunk
from reqlab.formats.httpfile.variables import pieces
from reqlab.workspace._index import Entry

_CHAIN = re.compile(r"^([\w.-]+?)\.response\.")


def _texts(entry: Entry) -> list[str]:
    t = entry.template
    body = [c.text for c in t.body if isinstance(c, TextChunk)]
    return [t.url, *(h.value for h in t.headers), *body]


def needed(entry: Entry, variables: Mapping[str, str]) -> list[str]:
    """Names of the requests whose responses ``entry`` refers to, in order."""
    names: list[str] = []
    seen_vars: set[str] = set()
    todo = _texts(entry)
    while todo:
        text = todo.pop(0)
        for _, piece in pieces(text):
            if piece[:1] != "\0":
                continue
            expr = piece[1:]
            chain = _CHAIN.match(expr)
            if chain is not None:
                if chain.group(1) not in names:
                    names.append(chain.group(1))
            elif expr in variables and expr not in seen_vars:
                seen_vars.add(expr)
                todo.append(variables[expr])
    return names


def provider(entries: list[Entry], entry: Entry, name: str) -> Entry | None:
    """The request called ``name``: in the same file first, then anywhere."""
    same = [e for e in entries if e.template.label == name and e.path == entry.path]
    anywhere = [e for e in entries if e.template.label == name]
    found = same or anywhere
    return found[0] if found else None
