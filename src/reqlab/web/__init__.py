"""The web workbench behind ``reqlab serve``.

Modules: :mod:`app` (factory), :mod:`api` (JSON routes), :mod:`security`
(Host / origin / CSRF guard, CSP), :mod:`guard` (public-mode target
addresses), :mod:`identity` and :mod:`cookies` (server-minted session ids,
rotated on first data), :mod:`sessions` (a client per page session),
:mod:`bodies` (kept response bodies, within budgets), :mod:`retention`
(what history keeps), :mod:`redact` (share links without secrets),
:mod:`storage` and
:mod:`migrate` (saved requests and history via SQLAlchemy + Alembic),
:mod:`serialize` (JSON <-> model), :mod:`view` (what the page is shown of an
exchange), :mod:`server` (uvicorn and the echo server in one event loop).
"""

from __future__ import annotations

from reqlab.web.app import create_app
from reqlab.web.config import WebConfig

__all__ = ["WebConfig", "create_app"]
