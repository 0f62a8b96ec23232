"""Settings of one running web workbench."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    db_url: str | None = None  # None: SQLite in the XDG data directory
    public: bool = False  # a shared instance: guard targets, cap and rate-limit
    allow_private: bool = False  # with public: still allow private targets
    allowed_hosts: tuple[str, ...] = ()  # extra Host names served (beyond localhost/IPs)
    echo_url: str | None = None  # shown on the page as a ready target
    echo_port: int | None = None  # our own echo server: a target even a public instance allows
    session_idle: float = 15 * 60  # seconds before a page session's client is closed
    display_cap: int = 2 * 1024 * 1024  # bytes of a body sent to the page
    # Caps that apply in public mode (local mode trusts its only user).
    public_max_body: int = 10 * 1024 * 1024
    public_max_time: float = 30.0
    rate_per_minute: int = 120  # API calls per client per minute in public mode
    rate_burst: int = 30
    secret: bytes = field(default=b"", repr=False)  # CSRF HMAC key; random if empty
