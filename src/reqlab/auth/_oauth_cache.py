"""Where OAuth 2.0 tokens are kept between requests.

Keyed by token URL + client id + scope, so two APIs (or two scopes) never
share a token.  The Python API keeps them in memory for the life of the
process; the CLI keeps them in a file in the user's data directory, readable
by the user only, so the next ``reqlab send`` reuses a token that is still
fresh instead of asking again.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Protocol

from reqlab.auth._oauth_token import Token


def cache_key(token_url: str, client_id: str, scope: str | None) -> str:
    return f"{token_url} {client_id} {scope or ''}"


class TokenCache(Protocol):
    def get(self, key: str) -> Token | None: ...

    def put(self, key: str, token: Token) -> None: ...

    def drop(self, key: str) -> None: ...


class MemoryTokenCache:
    """Tokens held by this process only."""

    def __init__(self) -> None:
        self._tokens: dict[str, Token] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> Token | None:
        with self._lock:
            return self._tokens.get(key)

    def put(self, key: str, token: Token) -> None:
        with self._lock:
            self._tokens[key] = token

    def drop(self, key: str) -> None:
        with self._lock:
            self._tokens.pop(key, None)

    def __repr__(self) -> str:
        return f"MemoryTokenCache({len(self._tokens)} tokens)"


def default_cache_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "reqlab" / "oauth-tokens.json"


class FileTokenCache:
    """Tokens in a JSON file (mode 0600), shared by successive CLI runs."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()

    def _load(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, dict[str, object]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(data, out)
        os.replace(tmp, self.path)

    def get(self, key: str) -> Token | None:
        entry = self._load().get(key)
        if not isinstance(entry, dict) or not isinstance(entry.get("access_token"), str):
            return None
        expires = entry.get("expires_at")
        refresh, scope = entry.get("refresh_token"), entry.get("scope")
        return Token(
            access_token=str(entry["access_token"]),
            token_type=str(entry.get("token_type") or "Bearer"),
            expires_at=float(expires) if isinstance(expires, int | float) else None,
            refresh_token=refresh if isinstance(refresh, str) else None,
            scope=scope if isinstance(scope, str) else None,
        )

    def put(self, key: str, token: Token) -> None:
        data = self._load()
        data[key] = {
            "access_token": token.access_token,
            "token_type": token.token_type,
            "expires_at": token.expires_at,
            "refresh_token": token.refresh_token,
            "scope": token.scope,
        }
        self._save(data)

    def drop(self, key: str) -> None:
        data = self._load()
        if data.pop(key, None) is not None:
            self._save(data)

    def __repr__(self) -> str:
        return f"FileTokenCache({str(self.path)!r})"


DEFAULT_CACHE = MemoryTokenCache()
