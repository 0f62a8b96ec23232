"""Settings of one running web workbench.

Every limit is documented, with its default, in docs/security.md.  The
``public_*`` ones apply to a ``--public`` instance only (local mode trusts
its only user); the others apply to both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reqlab.web.guard import EchoOrigin

MB = 1024 * 1024


@dataclass
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    db_url: str | None = None  # None: SQLite in the XDG data directory
    public: bool = False  # a shared instance: guard targets, cap and rate-limit
    allow_private: bool = False  # with public: still allow private targets
    allowed_hosts: tuple[str, ...] = ()  # extra Host names served (beyond localhost/IPs)
    echo_url: str | None = None  # shown on the page as a ready target
    # Our own echo server: the one loopback origin even a public instance allows.
    echo_origin: EchoOrigin | None = None
    trust_proxy: tuple[str, ...] = ()  # peers whose X-Forwarded-For is believed
    # Serve over TLS (then the session cookie is __Host-reqlab_sid, Secure).
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_self_signed: bool = False
    session_idle: float = 15 * 60  # seconds before a page session's client is closed
    display_cap: int = 2 * MB  # bytes of a body sent to the page
    # Response bodies kept for the download link, per session and in all.
    keep_bodies: int = 4
    keep_session_bytes: int = 256 * MB
    keep_total_bytes: int = 1024 * MB
    # History: entries and age per session (None: no limit), and the largest
    # request stored in full (a bigger one keeps a summary without its body).
    history_entries: int | None = None
    history_age: float | None = None
    history_request_bytes: int = 16 * MB
    # Caps that apply in public mode (local mode trusts its only user).
    public_max_body: int = 10 * MB  # response body
    public_max_upload: int = 10 * MB  # request body the page may send
    public_max_time: float = 30.0  # one send, redirects included
    public_max_redirects: int = 10
    public_sessions_per_client: int = 20  # new sessions per client address per hour
    public_keep_bodies: int = 2
    public_keep_session_bytes: int = 4 * MB
    public_keep_total_bytes: int = 64 * MB
    public_history_entries: int = 200
    public_history_age: float = 7 * 24 * 3600.0
    public_history_request_bytes: int = 64 * 1024
    public_saved_per_session: int = 100
    public_saved_bytes: int = 1 * MB  # one saved request, as JSON
    rate_per_minute: int = 120  # API calls per client per minute in public mode
    rate_burst: int = 30
    # The workspace directory served at /api/workspace (None: no workspace;
    # a --public instance serves one only when asked to, see docs/web.md).
    workspace: str | None = None
    secret: bytes = field(default=b"", repr=False)  # CSRF HMAC key; random if empty

    @property
    def tls(self) -> bool:
        return bool(self.tls_cert or self.tls_self_signed)

    def limit(self, name: str) -> int | float | None:
        """The limit in force, whichever mode this is."""
        value: int | float | None = getattr(self, f"public_{name}" if self.public else name)
        return value

    def set_limit(self, name: str, text: str) -> None:
        """``--limit NAME=VALUE``: a finite number >= 0 ("none" lifts the
        history limits).  Raises ValueError naming what is wrong."""
        if name not in LIMITS:
            raise ValueError(f"{name!r} is not a limit; see docs/security.md")
        if text.strip().lower() == "none" and name in OPTIONAL:
            setattr(self, name, None)
            return
        value = float(text)
        if not math.isfinite(value) or value < 0:
            raise ValueError("must be a finite number >= 0")
        setattr(self, name, value if name in SECONDS else int(value))


SECONDS = {"session_idle", "history_age", "public_max_time", "public_history_age"}
OPTIONAL = {"history_entries", "history_age"}
LIMITS = (
    SECONDS
    | OPTIONAL
    | {
        "display_cap",
        "keep_bodies",
        "keep_session_bytes",
        "keep_total_bytes",
        "history_request_bytes",
        "public_max_body",
        "public_max_upload",
        "public_max_redirects",
        "public_sessions_per_client",
        "public_keep_bodies",
        "public_keep_session_bytes",
        "public_keep_total_bytes",
        "public_history_entries",
        "public_history_request_bytes",
        "public_saved_per_session",
        "public_saved_bytes",
        "rate_per_minute",
        "rate_burst",
    }
)
