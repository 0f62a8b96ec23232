"""How big a response head a client accepts (sans-IO; shared by the HTTP/1.x
and HTTP/2 paths of every client engine).

A server can send a head that never ends (one 50 MB header, or 100,000
small ones, or endless 1xx interim responses).  The client counts the head
as it arrives and gives up at the first byte past the limit, so it never
holds more than the limit plus one read:

* ``max_head_bytes`` (default 64 KiB, as nginx's and common browsers'
  order of magnitude): status line plus header fields, 1xx heads included;
  on HTTP/2 the header list size as RFC 9113 section 6.5.2 counts it (name
  + value + 32 per field), which the client also announces in
  SETTINGS_MAX_HEADER_LIST_SIZE;
* ``max_header_count`` (default 256): header fields in one head.

Exceeding one raises :class:`ResponseHeadTooLarge`, naming the limit and its value.
"""

from __future__ import annotations

from reqlab._records import record
from reqlab.errors import ResponseHeadTooLarge

H2_FIELD_OVERHEAD = 32  # RFC 9113 section 6.5.2 / RFC 7541 section 4.1


@record(frozen=True, slots=True)
class HeadLimits:
    max_head_bytes: int = 64 * 1024
    max_header_count: int = 256

    def __post_init__(self) -> None:
        for name in ("max_head_bytes", "max_header_count"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")

    def too_many_bytes(self) -> ResponseHeadTooLarge:
        return ResponseHeadTooLarge(
            f"response head is larger than the limit of {self.max_head_bytes} bytes "
            f"(max_head_bytes)"
        )

    def too_many_fields(self) -> ResponseHeadTooLarge:
        return ResponseHeadTooLarge(
            f"response head has more than {self.max_header_count} header fields (max_header_count)"
        )


DEFAULT_HEAD_LIMITS = HeadLimits()


def check_h2_head(headers: list[tuple[bytes, bytes]], limits: HeadLimits) -> None:
    """Raise if a decoded HTTP/2 header list passes ``limits``."""
    if len(headers) > limits.max_header_count:
        raise limits.too_many_fields()
    size = sum(len(n) + len(v) + H2_FIELD_OVERHEAD for n, v in headers)
    if size > limits.max_head_bytes:
        raise limits.too_many_bytes()


__all__ = ["DEFAULT_HEAD_LIMITS", "H2_FIELD_OVERHEAD", "HeadLimits", "check_h2_head"]
