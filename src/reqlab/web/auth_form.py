"""A workspace request's auth between its ``.http`` text and the page's tab.

The tab shows the request's ``# @reqlab.auth`` line (values as written,
``{{variables}}`` and all) or, with none, "inherit"; the Authorization
header stays a header as it is in the file.  Back from the page: Basic,
Bearer and Digest become the ``Authorization`` line the IDE clients read
(as before), API key / AWS SigV4 / OAuth 2.0 / none / a configuration of
the environment a ``# @reqlab.auth`` line, and "inherit" no line at all.
"""

from __future__ import annotations

from typing import Any

from reqlab.errors import InvalidRequest
from reqlab.formats.httpfile import HttpFileError, RequestTemplate
from reqlab.formats.httpfile.authspec import parse_auth_line, render_auth_line
from reqlab.web.auth_json import SCHEMES, spec_from_json, spec_to_json
from reqlab.web.errors import APIError

PREFIX = "# @reqlab.auth "


def auth_of(template: RequestTemplate) -> dict[str, Any]:
    """The tab's JSON for ``template``'s own auth line."""
    for name, value in template.options:
        if name != "auth":
            continue
        try:
            spec = parse_auth_line(value, "<request>", template.line)
        except HttpFileError:
            return {"scheme": "inherit", "invalid": value}  # the send reports it
        if spec.kind == "use":
            return {"scheme": "use", "ref": spec.ref}
        return spec_to_json(spec, secrets=True)
    return {"scheme": "inherit"}


def auth_option(auth: Any) -> str | None:
    """The ``# @reqlab.auth`` value for the tab's JSON (None: no line)."""
    scheme = auth.get("scheme") if isinstance(auth, dict) else None
    if scheme in (None, "inherit", "basic", "bearer", "digest"):
        return None
    if scheme == "none":
        return "none"
    if scheme == "use":
        ref = auth.get("ref")
        if not isinstance(ref, str) or not ref.strip() or " " in ref.strip():
            raise APIError(422, "auth.ref: name a configuration of the environment", field="auth")
        return ref.strip()
    if scheme not in SCHEMES:
        raise APIError(422, f"auth.scheme: {scheme!r} is not a workspace auth", field="auth")
    try:
        spec = spec_from_json(auth)
    except InvalidRequest as exc:
        raise APIError(422, str(exc), field=exc.field) from None
    return render_auth_line(spec)[len(PREFIX) :]


def with_auth_option(
    options: tuple[tuple[str, str], ...], value: str | None
) -> tuple[tuple[str, str], ...]:
    """``options`` with its auth line replaced (in place), added or removed."""
    out = []
    placed = False
    for name, old in options:
        if name == "auth":
            if value is not None and not placed:
                out.append(("auth", value))
                placed = True
            continue
        out.append((name, old))
    if value is not None and not placed:
        out.append(("auth", value))
    return tuple(out)
