"""Every collection format reqlab imports and exports, by name.

    detect_collection(text, filename) -> format name
    read_collection_text(text, fmt)   -> Collection
    write_collection_text(c, fmt)     -> str

Pure: text in, text out.  A Bruno collection is a directory; the workspace
layer reads its files and calls :func:`reqlab.formats.bruno.read_bruno`.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable
from typing import Any

from reqlab.errors import FormatError
from reqlab.formats.httpfile import Collection

# name -> (module, reader); name -> (module, writer)
READERS = {
    "postman": ("reqlab.formats.postman", "read_postman"),
    "postman-environment": ("reqlab.formats.postman", "read_postman_environment_collection"),
    "openapi": ("reqlab.formats.openapi", "read_openapi"),
    "har": ("reqlab.formats.har_collection", "read_har_collection"),
    "insomnia": ("reqlab.formats.insomnia", "read_insomnia"),
    "bruno": ("reqlab.formats.bruno", "read_bru_file"),
    "curl": ("reqlab.formats.single", "read_curl_collection"),
    "raw": ("reqlab.formats.single", "read_raw_collection"),
    "http": ("reqlab.formats.single", "read_http_collection"),
}
WRITERS = {
    "postman": ("reqlab.formats.postman", "write_postman"),
    "har": ("reqlab.formats.har_collection", "write_har_collection"),
    "http": ("reqlab.formats.single", "write_http_collection"),
    "curl": ("reqlab.formats.single", "write_curl_collection"),
}
_CURL = re.compile(r"^(\$\s+)?curl(\s|$)")
_RAW = re.compile(r"^[A-Z]+ \S+ HTTP/\d(\.\d)?\r?$")


def _document(text: str) -> Any:
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("{"):
        try:
            return json.loads(head)
        except ValueError:
            return None
    if re.match(r"^(openapi|swagger|_type)\s*:", head, re.M):
        import yaml

        try:
            return yaml.safe_load(head)
        except yaml.YAMLError:
            return None
    return None


def detect_collection(text: str, filename: str = "") -> str:
    """The format of ``text`` (its file name helps for .http/.bru)."""
    if filename.endswith((".http", ".rest")):
        return "http"
    if filename.endswith(".bru"):
        return "bruno"
    doc = _document(text)
    if isinstance(doc, dict):
        if "info" in doc and "item" in doc:
            return "postman"
        if "_postman_variable_scope" in doc or ("values" in doc and "name" in doc):
            return "postman-environment"
        if "openapi" in doc or "swagger" in doc:
            return "openapi"
        if "log" in doc or "request" in doc or ("method" in doc and "url" in doc):
            return "har"  # a log, an entry or a bare request object
        if doc.get("_type") == "export" or "__export_format" in doc:
            return "insomnia"
    head = text.lstrip("\ufeff \t\r\n")
    if _CURL.match(head):
        return "curl"
    if _RAW.match(head.split("\n", 1)[0]):
        return "raw"
    raise FormatError(
        "import",
        filename or "input",
        "a Postman collection or environment, OpenAPI/Swagger, HAR, Insomnia export, "
        "Bruno .bru, curl command, raw HTTP or .http file",
    )


def _function(table: dict[str, tuple[str, str]], fmt: str, verb: str) -> Callable[..., Any]:
    if fmt not in table:
        raise FormatError(verb, fmt, f"one of {', '.join(sorted(table))}")
    module, name = table[fmt]
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def read_collection_text(text: str, fmt: str, name: str = "imported") -> Collection:
    collection: Collection = _function(READERS, fmt, "import")(text)
    if collection.name in ("", "imported"):
        collection.name = name
    return collection


def write_collection_text(collection: Collection, fmt: str) -> str:
    return str(_function(WRITERS, fmt, "export")(collection))


FORMATS_IN = tuple(sorted(READERS))
FORMATS_OUT = tuple(sorted(WRITERS))
