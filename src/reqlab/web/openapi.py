"""The OpenAPI 3.1 document of the JSON API, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from reqlab import __version__
from reqlab.web import auth_openapi

_PAIRS = {
    "type": "array",
    "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
}

# Checked at the API's edge (see serialize.options_from_json).
_SECONDS = {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 86400}


REQUEST: dict[str, Any] = {
    "type": "object",
    "required": ["url"],
    "properties": {
        "method": {"type": "string", "default": "GET"},
        "url": {"type": "string", "format": "uri"},
        "headers": _PAIRS,
        "body": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {"kind": {"const": "text"}, "text": {"type": "string"}},
                },
                {
                    "type": "object",
                    "properties": {
                        "kind": {"const": "json"},
                        "value": {},
                        "text": {"type": "string"},
                    },
                },
                {"type": "object", "properties": {"kind": {"const": "form"}, "fields": _PAIRS}},
                {
                    "type": "object",
                    "properties": {
                        "kind": {"const": "multipart"},
                        "boundary": {"type": ["string", "null"]},
                        "parts": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "value": {"type": "string"},
                                    "filename": {"type": "string"},
                                    "content_type": {"type": ["string", "null"]},
                                    "data_base64": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                {
                    "type": "object",
                    "properties": {"kind": {"const": "bytes"}, "data_base64": {"type": "string"}},
                },
            ]
        },
        "auth": {
            "oneOf": [
                {"type": "null"},
                {
                    "type": "object",
                    "properties": {
                        "scheme": {"enum": ["basic", "digest"]},
                        "username": {"type": "string"},
                        "password": {"type": "string"},
                    },
                },
                {
                    "type": "object",
                    "properties": {"scheme": {"const": "bearer"}, "token": {"type": "string"}},
                },
            ]
        },
        "version": {"enum": [None, "HTTP/1.0", "HTTP/1.1", "HTTP/2"]},
        "options": {
            "type": "object",
            "properties": {
                "timeout": _SECONDS,
                "connect_timeout": _SECONDS,
                "follow_redirects": {"type": "boolean"},
                "max_redirects": {"type": "integer", "minimum": 0, "maximum": 50},
                "total_timeout": _SECONDS,
                "verify": {"type": "boolean"},
                "keep_alive": {"type": "boolean"},
                "compressed": {"type": "boolean"},
            },
        },
    },
}

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "message": {"type": "string"},
                "field": {"type": "string", "description": "the request field that was refused"},
            },
        }
    },
}


def _op(
    summary: str, body: dict[str, Any] | None = None, ok: str = "200", **extra: Any
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "parameters": [
            {
                "name": "X-CSRF-Token",
                "in": "header",
                "required": True,
                "schema": {"type": "string"},
                "description": "the session's token, from GET /api/session or the page's meta tag",
            }
        ],
        "responses": {
            ok: {
                "description": "success",
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "4XX": {
                "description": "refused",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    }
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    op.update(extra)
    return op


def _with_request(**props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["request", *[k for k in props if k not in ("to", "style")]],
        "properties": {"request": {"$ref": "#/components/schemas/Request"}, **props},
    }


TLS = {
    "type": "object",
    "description": "PEM text; never stored, logged or shown again",
    "properties": {k: {"type": "string"} for k in ("cert", "key", "key_password", "ca")},
}


def _with_tls() -> dict[str, Any]:
    body = _with_request()
    body["properties"]["tls"] = TLS
    return body


def _with_sse() -> dict[str, Any]:
    body = _with_tls()
    body["properties"]["sse"] = {"type": "boolean"}
    return body


def document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "reqlab workbench API",
            "version": __version__,
            "description": (
                "Same-origin only: every call needs the session cookie and X-CSRF-Token. "
                "The first send or save of a session rotates its id: that answer sets the "
                "new cookie and carries the new token in its X-CSRF-Token header."
            ),
        },
        "paths": {
            "/api/session": {
                "get": {
                    "summary": "Start or resume a session; returns the CSRF token",
                    "responses": {"200": {"description": "csrf, echo_url, public"}},
                }
            },
            "/api/send": {"post": _op("Send a request; returns the exchange record", _with_tls())},
            "/api/send/stream": {
                "post": _op(
                    "Send a request; NDJSON: head (with its stream name), timed chunks "
                    "(text, or Server-Sent Events rows when the body is text/event-stream "
                    "or sse is true), the record",
                    _with_sse(),
                )
            },
            "/api/graphql/schema": {
                "post": _op(
                    "Introspect the request's URL as a GraphQL endpoint (sent as any send); "
                    "answers {schema: {queryType, mutationType, subscriptionType, types}}",
                    _with_tls(),
                )
            },
            "/api/send/stream/stop": {
                "post": _op(
                    "Stop a stream of this session: its body ends, its record follows",
                    {
                        "type": "object",
                        "required": ["stream"],
                        "properties": {"stream": {"type": "string"}},
                    },
                )
            },
            "/api/tls/hosts": {
                "get": _op("Per-host client certificates of this session (masked)"),
                "put": _op(
                    "Set a host pattern's certificate, key and CA bundle",
                    {
                        "type": "object",
                        "required": ["pattern", "tls"],
                        "properties": {"pattern": {"type": "string"}, "tls": TLS},
                    },
                ),
                "delete": _op("Remove a host pattern's entry (?pattern=)"),
            },
            "/api/codegen": {
                "post": _op(
                    "Generate code for a target",
                    _with_request(
                        target={"type": "string"}, style={"enum": ["idiomatic", "exact"]}
                    ),
                )
            },
            "/api/convert": {
                "post": _op(
                    "Read curl / raw HTTP / HAR text into a request, or write a request out",
                    {
                        "type": "object",
                        "properties": {
                            "text": {"type": "string"},
                            "from": {"enum": ["auto", "curl", "http", "har"]},
                            "request": {"$ref": "#/components/schemas/Request"},
                            "to": {"type": "array", "items": {"enum": ["http", "curl", "har"]}},
                        },
                    },
                )
            },
            "/api/targets": {"get": _op("Code generation targets")},
            "/api/requests": {
                "get": _op("Saved requests (q= filters)"),
                "post": _op(
                    "Save a request with a name; its share link leaves secrets out "
                    "unless include_secrets is true",
                    {
                        **_with_request(name={"type": "string"}),
                        "properties": {
                            "request": {"$ref": "#/components/schemas/Request"},
                            "name": {"type": "string"},
                            "include_secrets": {"type": "boolean", "default": False},
                        },
                    },
                    ok="201",
                ),
            },
            "/api/requests/{id}": {
                "get": _op("One saved request"),
                "delete": _op("Delete a saved request", ok="204"),
            },
            "/api/history": {
                "get": _op("Sent requests, newest first (q=, limit=)"),
                "delete": _op("Clear the history"),
            },
            "/api/history/{id}": {"get": _op("One history entry with its request")},
            "/api/probe": {
                "post": _op(
                    "Probe the server's keep-alive behaviour (idle timeout, max requests, HTTP/1.0, h2)",
                    _with_request(max_idle={"type": "number"}, max_requests={"type": "integer"}),
                )
            },
            "/api/bench": {
                "post": _op(
                    "Compare latency and throughput with and without connection reuse",
                    _with_request(requests={"type": "integer"}, concurrency={"type": "integer"}),
                )
            },
            "/api/versions": {
                "post": _op(
                    "The keep-alive table for HTTP/1.0, 1.1, 2 and 3: each rule beside "
                    "what this server does (the probe's per-version checks)",
                    _with_request(max_idle={"type": "number"}, max_requests={"type": "integer"}),
                )
            },
            "/api/bodies/{key}": {
                "get": _op("Download a full response body (csrf= query allowed)")
            },
            **_workspace_paths(),
            **auth_openapi.paths(),
        },
        "components": {"schemas": {"Request": REQUEST, "Error": ERROR}},
    }


def _workspace_op(summary: str, **props: Any) -> dict[str, Any]:
    """A workspace call: ``ref`` (path.http#name), ``env``, optionally the
    page's edit of the request (``{{variables}}`` left in)."""
    body = {
        "type": "object",
        "required": ["ref"],
        "properties": {
            "ref": {"type": "string"},
            "env": {"type": ["string", "null"]},
            "request": {"$ref": "#/components/schemas/Request"},
            **props,
        },
    }
    return _op(summary, body)


def _workspace_paths() -> dict[str, Any]:
    inline = {"inline_secrets": {"type": "boolean"}}
    return {
        "/api/workspace": {
            "get": _op("The workspace: files with [name, method, url] per request, environments")
        },
        "/api/workspace/search": {"get": _op("Requests matching every word of q=")},
        "/api/workspace/request": {"get": _op("One request (ref=): its text, form and version")},
        "/api/workspace/version": {"get": _op("A file's current version (path=)")},
        "/api/workspace/resolve": {
            "post": _workspace_op("Each {{variable}} with its value (secrets masked), unknowns")
        },
        "/api/workspace/send": {"post": _workspace_op("Resolve and send; the exchange, masked")},
        "/api/workspace/save": {
            "post": _workspace_op(
                "Write the request back to its file (409 if it changed since version)",
                version={"type": "string"},
            )
        },
        "/api/workspace/codegen": {
            "post": _workspace_op(
                "Code for a target; secrets as {{name}}",
                target={"type": "string"},
                style={"enum": ["idiomatic", "exact"]},
                **inline,
            )
        },
        "/api/workspace/export": {
            "post": _workspace_op(
                "HAR, curl or .http text; secrets as {{name}}", to={"type": "array"}, **inline
            )
        },
        "/api/workspace/share": {
            "post": _workspace_op(
                "A share link; secrets as {{name}}, always", name={"type": "string"}
            )
        },
    }
