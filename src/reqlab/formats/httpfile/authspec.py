"""Auth in a workspace, as written: ``# @reqlab.auth`` lines, folder
``_folder.http`` files and environments' ``Security.Auth`` (pure).

Three places say how a request authenticates; the first that says
something wins (docs/workspace.md, "Auth"):

    1. the request: ``# @reqlab.auth KIND key=value ...`` (or ``... ID``, a
       configuration of the environment), or its own ``Authorization`` header
    2. its folder's ``_folder.http``, then each parent folder's, up to the root
    3. the environment: ``"Security": {"Default Auth": "ID"}``

An environment holds named configurations in JetBrains' layout
(``"Security": {"Auth": {"ID": {"Type": "OAuth2", "Grant Type": ...}}}``),
merged field by field with the same ``ID`` in the private file.  A secret
field (client secret, password, token, key value, AWS secret key) written in
clear in the shared file is refused with its ``file:line``: it belongs in
the private file, or behind a ``{{variable}}`` that the private file sets.
In a ``.http`` file it is a warning (those files predate this rule).

Nothing here builds an auth object or reads a file: the workspace does
(:mod:`reqlab.workspace._auth`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import NamedTuple

from reqlab.formats.httpfile._model import HttpFileError

KINDS = ("none", "inherit", "basic", "digest", "bearer", "apikey", "aws-sigv4", "oauth2")
FIELDS: dict[str, tuple[str, ...]] = {
    "none": (),
    "inherit": (),
    "basic": ("username", "password"),
    "digest": ("username", "password"),
    "bearer": ("token",),
    "apikey": ("name", "value", "in"),
    "aws-sigv4": (
        "access-key",
        "secret-key",
        "region",
        "service",
        "session-token",
        "unsigned-payload",
    ),
    "oauth2": (
        "grant",
        "token-url",
        "auth-url",
        "device-url",
        "client-id",
        "client-secret",
        "scope",
        "client-auth",
        "redirect-port",
        "private-key-file",
    ),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "basic": ("username",),
    "digest": ("username",),
    "bearer": ("token",),
    "apikey": ("name", "value"),
    "aws-sigv4": ("access-key", "secret-key", "region", "service"),
    "oauth2": ("grant", "token-url", "client-id"),
}
SECRET_FIELDS = frozenset(
    {"password", "token", "value", "secret-key", "session-token", "client-secret"}
)
GRANTS = ("client-credentials", "authorization-code", "device-code")
FOLDER_FILE = "_folder.http"

# JetBrains' keys (case-insensitive) and reqlab's own, to the fields above.
_ENV_KEYS = {
    "username": "username",
    "password": "password",
    "token": "token",
    "key": "name",
    "name": "name",
    "value": "value",
    "in": "in",
    "access key": "access-key",
    "secret key": "secret-key",
    "session token": "session-token",
    "region": "region",
    "service": "service",
    "unsigned payload": "unsigned-payload",
    "grant type": "grant",
    "token url": "token-url",
    "auth url": "auth-url",
    "device auth url": "device-url",
    "device authorization url": "device-url",
    "client id": "client-id",
    "client secret": "client-secret",
    "scope": "scope",
    "client credentials": "client-auth",
    "redirect port": "redirect-port",
    "private key file": "private-key-file",
}
_ENV_TYPES = {
    "oauth2": "oauth2",
    "basic": "basic",
    "digest": "digest",
    "bearer": "bearer",
    "api key": "apikey",
    "apikey": "apikey",
    "aws signature v4": "aws-sigv4",
    "aws sigv4": "aws-sigv4",
    "aws-sigv4": "aws-sigv4",
}
_GRANT_NAMES = {
    "client credentials": "client-credentials",
    "client-credentials": "client-credentials",
    "authorization code": "authorization-code",
    "authorization-code": "authorization-code",
    "device authorization": "device-code",
    "device code": "device-code",
    "device-code": "device-code",
}
_CLIENT_AUTH = {"basic": "basic", "in body": "post", "post": "post", "none": "none", "jwt": "jwt"}
_REF = re.compile(r"\{\{.*?\}\}", re.S)
_FOLDER_LINE = re.compile(r"^\s*(?:#|//)\s*@reqlab\.([\w.-]+)\b\s*(.*?)\s*$")


class AuthSpec(NamedTuple):  # a named tuple: a dataclass costs a cold start 2 ms more
    """One way to authenticate, its values still templates (``{{var}}``).

    ``kind`` is one of :data:`KINDS`, or "use" (``ref`` names a configuration
    of the environment).  ``path``/``line`` say where it was written;
    ``origin`` is "request", "folder" or "environment"; ``error`` a refusal
    to report when it is used (a secret in the shared environment file);
    ``warnings`` what is worth saying but not stopping for.
    """

    kind: str
    fields: tuple[tuple[str, str], ...] = ()
    ref: str | None = None
    path: str = ""
    line: int = 1
    origin: str = "request"
    error: str | None = None
    warnings: tuple[str, ...] = ()
    name: str | None = None  # the configuration's id, when it is one

    def get(self, key: str, default: str = "") -> str:
        for k, v in self.fields:
            if k == key:
                return v
        return default

    def describe(self) -> str:
        """For the page: "OAuth 2.0 client-credentials (environment dev: api)"."""
        what = {
            "oauth2": f"OAuth 2.0 {self.get('grant')}",
            "apikey": f"API key ({self.get('in') or 'header'} {self.get('name')})",
            "aws-sigv4": "AWS Signature v4",
        }.get(self.kind, self.kind.title())
        where = f"{self.origin} {self.path}" if self.origin != "environment" else self.path
        return f"{what} ({where}{': ' + self.name if self.name else ''})"


def is_reference(value: str) -> bool:
    """Only ``{{...}}`` references (and spaces): no secret written in clear."""
    return not _REF.sub("", value).strip()


def split_words(text: str) -> list[str]:
    """Words separated by spaces, except inside ``{{...}}`` or double quotes."""
    words: list[str] = []
    current: list[str] = []
    i, quoted = 0, False
    while i < len(text):
        if text.startswith("{{", i):
            end = text.find("}}", i)
            end = len(text) if end < 0 else end + 2
            current.append(text[i:end])
            i = end
            continue
        ch = text[i]
        if ch == '"':
            quoted = not quoted
        elif ch.isspace() and not quoted:
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(ch)
        i += 1
    if current:
        words.append("".join(current))
    return words


def parse_auth_line(text: str, path: str, line: int, origin: str = "request") -> AuthSpec:
    """``KIND key=value ...`` or ``ID`` (a configuration of the environment)."""
    words = split_words(text)

    def error(message: str) -> HttpFileError:
        return HttpFileError(path, line, 1, f"@reqlab.auth: {message}")

    if not words:
        raise error(f"name a kind ({', '.join(KINDS)}) or a configuration of the environment")
    kind, rest = words[0].lower(), words[1:]
    if kind in REQUIRED and not rest:  # a kind without its fields: a configuration's id
        return AuthSpec("use", ref=words[0], path=path, line=line, origin=origin)
    if kind not in KINDS:
        if rest or "=" in words[0]:
            raise error(f"{words[0]!r} is not one of {', '.join(KINDS)}")
        return AuthSpec("use", ref=words[0], path=path, line=line, origin=origin)
    fields: list[tuple[str, str]] = []
    for word in rest:
        key, eq, value = word.partition("=")
        key = key.lower()
        if not eq:
            raise error(f"{word!r} is not key=value")
        if key not in FIELDS[kind]:
            raise error(f"{kind} takes {', '.join(FIELDS[kind]) or 'nothing'}, not {key!r}")
        fields.append((key, value))
    spec = AuthSpec(kind, tuple(fields), path=path, line=line, origin=origin)
    check(spec, error)
    clear = [k for k, v in spec.fields if k in SECRET_FIELDS and v and not is_reference(v)]
    if clear:
        warning = (
            f"{path}:{line}:1: {', '.join(clear)} written in clear in a shared file;"
            " put it in http-client.private.env.json and write {{name}} here"
        )
        spec = spec._replace(warnings=(warning,))
    return spec


def check(spec: AuthSpec, error: Callable[[str], HttpFileError]) -> None:
    """Required fields present, a known grant and client authentication."""
    missing = [k for k in REQUIRED.get(spec.kind, ()) if not spec.get(k)]
    if missing:
        raise error(f"{spec.kind} needs {', '.join(missing)}")
    if spec.kind == "apikey" and spec.get("in", "header").lower() not in ("header", "query"):
        raise error(f"in={spec.get('in')!r}: header or query")
    if spec.kind != "oauth2":
        return
    grant = spec.get("grant")
    if grant not in GRANTS:
        raise error(f"grant={grant!r} is not one of {', '.join(GRANTS)}")
    if grant == "authorization-code" and not spec.get("auth-url"):
        raise error("the authorization-code grant needs auth-url")
    if grant == "device-code" and not spec.get("device-url"):
        raise error("the device-code grant needs device-url")
    method = spec.get("client-auth", "basic")
    if method not in ("basic", "post", "none", "jwt"):
        raise error(f"client-auth={method!r} is not basic, post, none or jwt")


def render_auth_line(spec: AuthSpec) -> str:
    """The ``# @reqlab.auth`` line for ``spec`` (the page writes these)."""
    if spec.kind == "use":
        return f"# @reqlab.auth {spec.ref}"
    words = [spec.kind]
    for key, value in spec.fields:
        if value == "":
            continue
        words.append(f'{key}="{value}"' if " " in _REF.sub("", value) else f"{key}={value}")
    return "# @reqlab.auth " + " ".join(words)


def parse_folder_file(text: str, path: str) -> AuthSpec | None:
    """The ``# @reqlab.auth`` line of a folder's ``_folder.http``."""
    found = None
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), 1):
        m = _FOLDER_LINE.match(raw)
        if m is None:
            continue
        if m.group(1) != "auth":
            raise HttpFileError(
                path, number, 1, f"@reqlab.{m.group(1)}: a folder file holds only @reqlab.auth"
            )
        found = parse_auth_line(m.group(2), path, number, "folder")
    return found


# ------------------------------------------------------------ environments

RawConfigs = dict[str, dict[str, dict[str, tuple[str, int]]]]  # env -> id -> field -> (value, line)


class EnvAuth:
    """What the environment files say about auth (both files read)."""

    def __init__(self) -> None:
        self.configs: RawConfigs = {}
        self.private: RawConfigs = {}
        self.defaults: dict[str, tuple[str, str, int]] = {}  # env -> (id, file, line)


def _line(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    at = text.find(needle, start)
    if at < 0:
        return 1, start
    return text.count("\n", 0, at) + 1, at


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return None


def read_security(text: str, path: str, into: EnvAuth, private: bool) -> None:
    """Add the ``Security`` objects of one environment file to ``into``."""
    if not text.strip():
        return
    try:
        doc = json.loads(text)
    except ValueError:
        return  # the environment reader reports a malformed file
    if not isinstance(doc, dict):
        return
    target = into.private if private else into.configs
    for env, values in doc.items():
        security = values.get("Security") if isinstance(values, dict) else None
        if not isinstance(security, dict):
            continue
        _, env_at = _line(text, json.dumps(env))
        default = security.get("Default Auth")
        if isinstance(default, str):
            into.defaults[env] = (default, path, _line(text, '"Default Auth"', env_at)[0])
        auths = security.get("Auth")
        if not isinstance(auths, dict):
            continue
        for name, config in auths.items():
            if not isinstance(config, dict):
                continue
            line, at = _line(text, json.dumps(name), env_at)
            target.setdefault(env, {})[name] = fields = {}
            for key, value in config.items():
                shown = _text(value)
                if shown is None:
                    continue
                fields[key.lower()] = (shown, _line(text, json.dumps(key), at)[0] or line)
            fields.setdefault("\0line", ("", line))


def _spec_of(env: str, name: str, merged: dict[str, tuple[str, int]], path: str) -> AuthSpec:
    line = merged.get("\0line", ("", 1))[1]

    def error(message: str) -> HttpFileError:
        return HttpFileError(path, line, 1, f"Security.Auth {name!r}: {message}")

    kind = _ENV_TYPES.get(merged.get("type", ("", 0))[0].lower())
    if kind is None:
        types = "OAuth2, Basic, Digest, Bearer, API Key, AWS Signature v4"
        raise error(f'"Type" must be one of {types}')
    fields = []
    for key, (value, _) in merged.items():
        mapped = _ENV_KEYS.get(key)
        if mapped is None or mapped not in FIELDS[kind]:
            continue  # JetBrains' other keys (PKCE, Acquire Automatically...) are theirs
        if mapped == "grant":
            grant = _GRANT_NAMES.get(value.lower())
            if grant is None:
                raise error(f"grant type {value!r} is not supported (use {', '.join(GRANTS)})")
            value = grant
        elif mapped == "client-auth":
            value = _CLIENT_AUTH.get(value.lower(), value)
        fields.append((mapped, value))
    spec = AuthSpec(kind, tuple(fields), path=path, line=line, origin="environment", name=name)
    check(spec, error)
    return spec


def env_specs(auth: EnvAuth, env: str | None, public: str, private: str) -> dict[str, AuthSpec]:
    """Every configuration ``env`` sees ($shared's, then its own over them),
    each the public fields with the private ones over them.  A configuration
    that cannot be used keeps its error for the moment it is used."""
    out: dict[str, AuthSpec] = {}
    for layer in ("$shared", *([env] if env else [])):
        names = {*auth.configs.get(layer, {}), *auth.private.get(layer, {})}
        for name in sorted(names):
            pub = auth.configs.get(layer, {}).get(name, {})
            priv = auth.private.get(layer, {}).get(name, {})
            clear = [
                (k, line)
                for k, (v, line) in pub.items()
                if _ENV_KEYS.get(k) in SECRET_FIELDS and v and not is_reference(v)
            ]
            path = public if pub else private
            merged = {**pub, **{k: v for k, v in priv.items() if k != "\0line"}}
            try:
                spec = _spec_of(layer, name, merged, path)
            except HttpFileError as exc:
                out[name] = AuthSpec("none", path=path, line=exc.line, name=name, error=str(exc))
                continue
            if clear:
                key, line = clear[0]
                message = (
                    f"{public}:{line}:1: Security.Auth {name!r}: {key!r} is a secret written in"
                    f" the shared file; move it to {private} (same place) or write"
                    " {{variable}} and set the variable there"
                )
                spec = spec._replace(error=message, line=line)
            out[name] = spec
    return out
