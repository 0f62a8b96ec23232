"""Code generation for WebSocket sessions: Python (websockets), the browser's
WebSocket, Node.js's built-in WebSocket, Go (gorilla/websocket).

Each program opens the WebSocket with the request's headers and
subprotocols, sends its messages in order, prints the next ``receive``
messages (text as is, binary as hex), then closes with 1000.  What a target
cannot express is said in the snippet's warnings: a browser cannot set
handshake headers; Node's WebSocket takes headers as an object (one value
per name); gorilla sets the handshake's own headers itself.
tests/ws/test_codegen_ws.py runs every target against the echo server.
"""

from __future__ import annotations

from collections.abc import Callable

from reqlab.codegen._escape import double_quoted_js, go_str, python_bytes, python_str
from reqlab.codegen._target import Snippet
from reqlab.errors import InvalidRequest
from reqlab.wsmodel import WebSocketRequest

# The handshake's own headers: every library writes these itself.
_OWN = frozenset(
    {"host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version",
     "sec-websocket-extensions", "sec-websocket-protocol"}
)  # fmt: skip


def _extra(req: WebSocketRequest) -> tuple[list[tuple[str, str]], list[str]]:
    kept = [(n, v) for n, v in req.headers if n.lower() not in _OWN]
    dropped = [n for n, _ in req.headers if n.lower() in _OWN]
    warnings = [f"header {n} is written by the WebSocket library itself" for n in dropped]
    return kept, warnings


def python(req: WebSocketRequest) -> Snippet:
    headers, warnings = _extra(req)
    args = [python_str(req.url)]
    if headers:
        pairs = ", ".join(f"({python_str(n)}, {python_str(v)})" for n, v in headers)
        args.append(f"additional_headers=[{pairs}]")
    if req.subprotocols:
        args.append(f"subprotocols=[{', '.join(python_str(s) for s in req.subprotocols)}]")
    sends = [
        f"        await ws.send({python_str(m) if isinstance(m, str) else python_bytes(m)})"
        for m in req.messages
    ]
    lines = [
        "import asyncio",
        "",
        "from websockets.asyncio.client import connect",
        "",
        "",
        "async def main() -> None:",
        "    async with connect(",
        *(f"        {a}," for a in args),
        "    ) as ws:",
        *sends,
        f"        for _ in range({req.receive}):",
        "            message = await ws.recv()",
        "            print(message if isinstance(message, str) else message.hex())",
        "",
        "",
        "asyncio.run(main())",
    ]
    return Snippet("\n".join(lines) + "\n", tuple(warnings))


def _js_send(m: str | bytes) -> str:
    if isinstance(m, str):
        return f"ws.send({double_quoted_js(m)});"
    return f"ws.send(new Uint8Array([{', '.join(str(b) for b in m)}]));"


def _js_body(req: WebSocketRequest, opening: str, on_error: str) -> str:
    sends = [f"  {_js_send(m)}" for m in req.messages]
    done = "  ws.close(1000);" if req.receive == 0 else ""
    lines = [
        opening,
        'ws.binaryType = "arraybuffer";',
        "let received = 0;",
        "ws.onopen = () => {",
        *sends,
        *([done] if done else []),
        "};",
        "ws.onmessage = (event) => {",
        '  const data = typeof event.data === "string" ? event.data',
        '    : [...new Uint8Array(event.data)].map((b) => b.toString(16).padStart(2, "0")).join("");',
        "  console.log(data);",
        f"  if (++received === {req.receive}) ws.close(1000);",
        "};",
        f"ws.onerror = () => {{ {on_error} }};",
    ]
    return "\n".join(lines) + "\n"


def javascript(req: WebSocketRequest) -> Snippet:
    warnings = [f"a browser cannot set header {n} on a WebSocket handshake" for n, _ in req.headers]
    protocols = ", ".join(double_quoted_js(s) for s in req.subprotocols)
    opening = f"const ws = new WebSocket({double_quoted_js(req.url)}" + (
        f", [{protocols}]);" if req.subprotocols else ");"
    )
    return Snippet(_js_body(req, opening, 'console.error("WebSocket error");'), tuple(warnings))


def node(req: WebSocketRequest) -> Snippet:
    headers, warnings = _extra(req)
    names = [n.lower() for n, _ in headers]
    warnings += [
        f"header {n} repeats: Node's WebSocket keeps one value"
        for n in set(names)
        if names.count(n) > 1
    ]
    init = []
    if req.subprotocols:
        init.append(f"protocols: [{', '.join(double_quoted_js(s) for s in req.subprotocols)}]")
    if headers:
        pairs = ", ".join(f"{double_quoted_js(n)}: {double_quoted_js(v)}" for n, v in headers)
        init.append(f"headers: {{ {pairs} }}")
    opening = (
        "// Node.js 22+ (built-in WebSocket; Node 20 and 21: node --experimental-websocket)\n"
        f"const ws = new WebSocket({double_quoted_js(req.url)}"
        + (f", {{ {', '.join(init)} }});" if init else ");")
    )
    on_error = 'console.error("WebSocket error"); process.exitCode = 1;'
    return Snippet(_js_body(req, opening, on_error), tuple(warnings))


def _go_bytes(data: bytes) -> str:
    return "[]byte{" + ", ".join(f"0x{b:02x}" for b in data) + "}"


def go(req: WebSocketRequest) -> Snippet:
    headers, warnings = _extra(req)
    dialer = "websocket.Dialer{}"
    if req.subprotocols:
        dialer = f"websocket.Dialer{{Subprotocols: []string{{{', '.join(go_str(s) for s in req.subprotocols)}}}}}"
    body = [f"\tdialer := {dialer}", "\theader := http.Header{}"]
    body += [
        f"\theader[{go_str(n)}] = append(header[{go_str(n)}], {go_str(v)})" for n, v in headers
    ]
    body += [
        f"\tconn, _, err := dialer.Dial({go_str(req.url)}, header)",
        "\tif err != nil {", "\t\tlog.Fatal(err)", "\t}", "\tdefer conn.Close()",
    ]  # fmt: skip
    for m in req.messages:
        kind, data = (
            ("TextMessage", f"[]byte({go_str(m)})") if isinstance(m, str)
            else ("BinaryMessage", _go_bytes(m))
        )  # fmt: skip
        body += [
            f"\tif err := conn.WriteMessage(websocket.{kind}, {data}); err != nil {{",
            "\t\tlog.Fatal(err)", "\t}",
        ]  # fmt: skip
    body += [
        f"\tfor i := 0; i < {req.receive}; i++ {{",
        "\t\tkind, data, err := conn.ReadMessage()",
        "\t\tif err != nil {", "\t\t\tlog.Fatal(err)", "\t\t}",
        "\t\tif kind == websocket.TextMessage {", "\t\t\tfmt.Println(string(data))",
        "\t\t} else {", '\t\t\tfmt.Printf("%x\\n", data)', "\t\t}", "\t}",
        "\tclosing := websocket.FormatCloseMessage(websocket.CloseNormalClosure, \"\")",
        "\t_ = conn.WriteMessage(websocket.CloseMessage, closing)",
    ]  # fmt: skip
    head = [
        "package main", "", "import (", '\t"fmt"', '\t"log"', '\t"net/http"', "",
        '\t"github.com/gorilla/websocket"', ")", "", "func main() {",
    ]  # fmt: skip
    return Snippet("\n".join([*head, *body, "}"]) + "\n", tuple(warnings))


TARGETS: dict[str, tuple[Callable[[WebSocketRequest], Snippet], str]] = {
    "python-websockets": (python, "main.py"),
    "javascript-websocket": (javascript, "main.js"),
    "node-websocket": (node, "main.mjs"),
    "go-gorilla": (go, "main.go"),
}


def generate(req: WebSocketRequest, target: str) -> Snippet:
    """The program for ``target`` (one of :data:`TARGETS`), labelled with its id."""
    try:
        render, _ = TARGETS[target]
    except KeyError:
        raise InvalidRequest(
            "target", f"no WebSocket target {target!r}; one of {', '.join(TARGETS)}"
        ) from None
    snippet = render(req)
    return Snippet(snippet.code, snippet.warnings, target)
