"""XPath over an XML or HTML body (lxml), with Hurl's result types:
a node set, a string, a number (float) or a boolean."""

from __future__ import annotations

from typing import Any

from reqlab.runner._values import EvalError, Nodeset


def xpath(body: bytes | str, expr: str, content_type: str = "") -> Any:
    from lxml import etree, html  # imported on first use: most files never ask

    data = body.encode() if isinstance(body, str) else body
    try:
        if "html" in content_type.lower() or data.lstrip()[:15].lower().startswith(
            (b"<!doctype html", b"<html")
        ):
            doc = html.document_fromstring(data)
        else:
            doc = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
        raise EvalError(f"the body is not valid XML/HTML: {exc}") from None
    try:
        result = doc.xpath(expr)
    except etree.XPathError as exc:
        raise EvalError(f"invalid XPath {expr!r}: {exc}") from None
    if isinstance(result, list):
        return Nodeset(tuple(_node_text(n) for n in result))
    if isinstance(result, bool | float | str):
        return str(result) if isinstance(result, str) else result
    return str(result)


def _node_text(node: Any) -> str:
    from lxml import etree

    if isinstance(node, str):
        return str(node)
    return etree.tostring(node, encoding="unicode", with_tail=False)
