"""The loopback redirect listener for native apps (RFC 8252 section 7.3).

The authorization server sends the browser back to
``http://127.0.0.1:PORT/callback?code=...&state=...``; this one-shot HTTP
server on a random free port takes that request, shows the person a page
saying they may close the tab, and hands the query to the waiting flow.
It listens on 127.0.0.1 only (never a public interface) and accepts the
callback path only.
"""

from __future__ import annotations

import queue
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlsplit

DONE_PAGE = (
    b"<!doctype html><title>reqlab</title><h1>Signed in</h1>"
    b"<p>reqlab received the answer. You can close this tab.</p>"
)


class LoopbackRedirect:
    """``with LoopbackRedirect() as loop: ... loop.redirect_uri ... loop.wait(60)``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, path: str = "/callback") -> None:
        self.path = path
        self._answers: queue.Queue[dict[str, str]] = queue.Queue()
        answers, wanted = self._answers, path

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                parts = urlsplit(self.path)
                if parts.path != wanted:
                    self.send_error(404)
                    return
                answers.put(dict(parse_qsl(parts.query, keep_blank_values=True)))
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(DONE_PAGE)))
                self.end_headers()
                self.wfile.write(DONE_PAGE)

            def log_message(self, format: str, *args: object) -> None:
                pass  # the query holds the code: never log it

        self._server = HTTPServer((host, port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.redirect_uri = f"http://{host}:{self._server.server_address[1]}{path}"

    def __enter__(self) -> LoopbackRedirect:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def wait(self, timeout: float) -> dict[str, str] | None:
        """The callback's query parameters, or None after ``timeout`` seconds."""
        try:
            return self._answers.get(timeout=timeout)
        except queue.Empty:
            return None
