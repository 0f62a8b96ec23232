"""reqlab: a local-first HTTP request workbench.

The public API is re-exported here; everything else is private.  Heavy
pieces (the client, code generation) load on first use so that importing
``reqlab`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reqlab.errors import (
    ClientCertError,
    ConnectError,
    FormatError,
    InvalidRequest,
    LocalProtocolError,
    NameResolutionError,
    RemoteProtocolError,
    ReqlabError,
    RequestTimeout,
    ResponseTooLarge,
    TLSError,
    TransportError,
)
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    MultipartField,
    MultipartFile,
    Options,
    Request,
    TextBody,
)

if TYPE_CHECKING:  # what __getattr__ returns, spelled out for type checkers
    from reqlab.client import AsyncClient, Client, Response
    from reqlab.codegen import Snippet, generate
    from reqlab.runner import run
    from reqlab.workspace import Workspace

__version__ = "0.1.0"

# name -> module that defines it, imported on first access
_LAZY = {
    "Client": "reqlab.client",
    "AsyncClient": "reqlab.client",
    "Response": "reqlab.client",
    "Limits": "reqlab.client",
    "MockTransport": "reqlab.client",
    "get": "reqlab.client",
    "post": "reqlab.client",
    "put": "reqlab.client",
    "patch": "reqlab.client",
    "delete": "reqlab.client",
    "head": "reqlab.client",
    "options": "reqlab.client",
    "request": "reqlab.client",
    "generate": "reqlab.codegen",
    "Snippet": "reqlab.codegen",
    "run": "reqlab.runner",
    "Workspace": "reqlab.workspace",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reqlab' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "AsyncClient",
    "BasicAuth",
    "BearerAuth",
    "BytesBody",
    "Client",
    "ClientCertError",
    "ConnectError",
    "DigestAuth",
    "FormBody",
    "FormatError",
    "InvalidRequest",
    "JsonBody",
    "Limits",
    "LocalProtocolError",
    "MockTransport",
    "MultipartBody",
    "MultipartField",
    "MultipartFile",
    "NameResolutionError",
    "Options",
    "RemoteProtocolError",
    "ReqlabError",
    "Request",
    "RequestTimeout",
    "Response",
    "ResponseTooLarge",
    "Snippet",
    "TLSError",
    "TextBody",
    "TransportError",
    "Workspace",
    "__version__",
    "delete",
    "generate",
    "get",
    "head",
    "options",
    "patch",
    "post",
    "put",
    "request",
    "run",
]
