"""Auth for a workspace request: which spec applies (request > folder >
environment, see :mod:`reqlab.formats.httpfile.authspec`), its values
resolved in the request's scope, and the auth object built from them.

OAuth 2.0 tokens are cached per workspace *and environment* (the key starts
with the workspace's directory and the environment's name), by default in
``$XDG_DATA_HOME/reqlab/workspace-tokens.json`` (mode 0600), so ``reqlab
send``, ``reqlab run`` and ``reqlab serve`` share a token until it expires,
and refresh it (by its refresh token when there is one) before it does.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reqlab.formats.httpfile import HttpFileError, RequestTemplate, TemplateHeader
from reqlab.formats.httpfile.authspec import (
    FIELDS,
    FOLDER_FILE,
    SECRET_FIELDS,
    AuthSpec,
    EnvAuth,
    env_specs,
    parse_auth_line,
    parse_folder_file,
    read_security,
)
from reqlab.formats.httpfile.resolve import Resolved
from reqlab.formats.httpfile.variables import Scope, UnresolvedVariable
from reqlab.model import BasicAuth, BearerAuth, DigestAuth, Request

if TYPE_CHECKING:  # reqlab.auth loads when a request has such an auth, not before
    from reqlab.auth._oauth_cache import TokenCache

_TOKEN_REF = re.compile(r"\{\{\s*\$auth\.(token|idToken)\(\s*\"([^\"]+)\"\s*\)\s*\}\}")
PLACEHOLDER = "reqlab-auth-token-{}"
FOLDER_RECHECK = 1.0  # seconds between looks at a _folder.http


class ScopedCache:
    """A token cache whose keys start with one workspace environment."""

    def __init__(self, inner: TokenCache, scope: str) -> None:
        self.inner = inner
        self.scope = scope

    def get(self, key: str) -> Any:
        return self.inner.get(f"{self.scope} {key}")

    def put(self, key: str, token: Any) -> None:
        self.inner.put(f"{self.scope} {key}", token)

    def drop(self, key: str) -> None:
        self.inner.drop(f"{self.scope} {key}")


def default_token_cache() -> TokenCache:
    from reqlab.auth._oauth_cache import FileTokenCache, default_cache_path

    return FileTokenCache(default_cache_path().with_name("workspace-tokens.json"))


class Hooks:
    """How the interactive grants reach a person (the page replaces these)."""

    def __init__(
        self,
        opener: Callable[[str], Any] | None = None,  # authorization code: open this URL
        prompt: Callable[[Any], Any] | None = None,  # device code: show this DevicePrompt
    ) -> None:
        self.opener = opener
        self.prompt = prompt


class TokenInsert:
    """``{{$auth.token("id")}}`` in a header or the URL: fetch (or reuse) the
    configuration's token, then put it where the placeholder is."""

    def __init__(self, tokens: dict[str, Any]) -> None:
        self.tokens = tokens  # placeholder -> OAuth2 auth object

    def __repr__(self) -> str:
        return f"TokenInsert({', '.join(a.client_id for a in self.tokens.values())})"

    def auth_flow(self, request: Request) -> Any:
        url, headers = request.url, list(request.headers)
        for placeholder, auth in self.tokens.items():
            token = yield from auth.token_flow(request)
            url = url.replace(placeholder, token.access_token)
            headers = [(n, v.replace(placeholder, token.access_token)) for n, v in headers]
        return replace(request, url=url, headers=tuple(headers), auth=None)

    def should_retry(self, response: Any) -> bool:
        return any(a.should_retry(response) for a in self.tokens.values())


class WorkspaceAuth:
    """The auth side of one :class:`reqlab.workspace.Workspace`."""

    def __init__(self, root: Path, public: str, private: str) -> None:
        self.root = root
        self.public, self.private = public, private
        self.env = EnvAuth()
        for name, is_private in ((public, False), (private, True)):
            path = root / name
            if path.is_file():
                text = path.read_text("utf-8", errors="replace")
                read_security(text, name, self.env, is_private)
        self._folders: dict[str, tuple[float, tuple[int, int] | None, AuthSpec | None]] = {}
        self._cache: TokenCache | None = None
        self.hooks = Hooks()
        self.errors: list[HttpFileError] = []

    # ------------------------------------------------------------ choosing
    @property
    def cache(self) -> TokenCache:
        if self._cache is None:
            self._cache = default_token_cache()
        return self._cache

    @cache.setter
    def cache(self, value: TokenCache) -> None:
        self._cache = value

    def folder(self, directory: str) -> AuthSpec | None:
        """``directory``'s ``_folder.http`` auth.  Looked at again at most once
        a second (it is not a request file, so a reload of the workspace
        misses its edits; a stat on every resolve would cost more than the rest)."""
        now = time.monotonic()
        cached = self._folders.get(directory)
        if cached is not None and now - cached[0] < FOLDER_RECHECK:
            return cached[2]
        rel = f"{directory}/{FOLDER_FILE}" if directory else FOLDER_FILE
        try:
            st = (self.root / rel).stat()
        except OSError:
            self._folders[directory] = (now, None, None)
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        if cached is None or cached[1] != stamp:
            text = (self.root / rel).read_text("utf-8", errors="replace")
            spec = parse_folder_file(text, rel)
        else:
            spec = cached[2]
        self._folders[directory] = (now, stamp, spec)
        return spec

    def configs(self, env: str | None) -> dict[str, AuthSpec]:
        return env_specs(self.env, env, self.public, self.private)

    def inherited(self, path: str, env: str | None) -> AuthSpec | None:
        """What a request of ``path`` inherits: its folders', then the environment's."""
        directory = path.rpartition("/")[0]
        while True:
            spec = self.folder(directory)
            if spec is not None and spec.kind != "inherit":
                return self._use(spec, env)
            if not directory:
                break
            directory = directory.rpartition("/")[0]
        default = None
        for layer in ("$shared", env):
            if layer is not None and layer in self.env.defaults:
                default = self.env.defaults[layer]
        if default is None:
            return None
        name, file, line = default
        return self._use(AuthSpec("use", ref=name, path=file, line=line, origin="environment"), env)

    def _use(self, spec: AuthSpec, env: str | None) -> AuthSpec:
        if spec.kind != "use":
            return spec
        configs = self.configs(env)
        found = configs.get(spec.ref or "")
        if found is None:
            known = ", ".join(configs) or "none"
            where = f"environment {env!r}" if env else "the $shared environment"
            raise HttpFileError(
                spec.path,
                spec.line,
                1,
                f"@reqlab.auth: no configuration {spec.ref!r} in {where}'s Security.Auth"
                f" (known: {known}){_fields_hint(spec.ref or '')}",
            )
        if found.error:
            raise HttpFileError(found.path, found.line, 1, found.error.split(": ", 1)[-1])
        return found

    def request_spec(self, template: RequestTemplate, path: str) -> AuthSpec | None:
        for (name, value), line in zip(template.options, _lines(template), strict=False):
            if name == "auth":
                return parse_auth_line(value, path, line)
        return None

    def chosen(self, template: RequestTemplate, path: str, env: str | None) -> AuthSpec | None:
        """The spec this request sends with (None: no auth, or its own header)."""
        own = self.request_spec(template, path)
        if own is not None and own.kind != "inherit":
            return None if own.kind == "none" else self._use(own, env)
        if template.header("authorization") is not None:
            return None  # its own Authorization line is request-level auth
        return self.inherited(path, env)

    # ------------------------------------------------------------ applying
    def prepare(self, template: RequestTemplate) -> tuple[RequestTemplate, dict[str, str]]:
        """``{{$auth.token("id")}}`` replaced by placeholders (placeholder -> id)."""
        found: dict[str, str] = {}

        def swap(m: re.Match[str]) -> str:
            if m.group(1) == "idToken":
                return m.group(0)  # left for the resolver to call unknown
            placeholder = PLACEHOLDER.format(len(found))
            found[placeholder] = m.group(2)
            return placeholder

        if "$auth." not in template.url and not any("$auth." in h.value for h in template.headers):
            return template, found
        url = _TOKEN_REF.sub(swap, template.url)
        headers = tuple(
            TemplateHeader(h.name, _TOKEN_REF.sub(swap, h.value), h.line, h.column)
            for h in template.headers
        )
        return template.replace(url=url, headers=headers), found

    def apply(
        self,
        resolved: Resolved,
        template: RequestTemplate,
        path: str,
        env: str | None,
        scope: Scope,
        tokens: dict[str, str],
    ) -> Resolved:
        """``resolved`` with its auth (and the auth's secrets and warnings)."""
        request, warnings = resolved.request, list(resolved.warnings)
        secrets = dict(resolved.secrets)
        if tokens:
            inserts = {}
            for placeholder, name in tokens.items():
                spec = self._use(AuthSpec("use", ref=name, path=path, line=template.line), env)
                if spec.kind != "oauth2":
                    raise HttpFileError(
                        path,
                        template.line,
                        1,
                        f"$auth.token({name!r}): not an OAuth2 configuration",
                    )
                inserts[placeholder] = self.build(spec, self.values(spec, scope, secrets), env)
            request = replace(request, auth=TokenInsert(inserts))
        elif request.auth is None:
            chosen = self.chosen(template, path, env)
            if chosen is not None:
                warnings += chosen.warnings
                auth = self.build(chosen, self.values(chosen, scope, secrets), env)
                request = replace(request, auth=auth)
        secrets.update({k: v for k, v in scope.secrets.items() if k not in secrets})
        return Resolved(request, secrets, warnings)

    def values(self, spec: AuthSpec, scope: Scope, secrets: dict[str, str]) -> dict[str, str]:
        """The spec's fields with their ``{{variables}}`` replaced; every
        secret field's value joins ``secrets`` (masked wherever shown)."""
        out = {}
        for key, text in spec.fields:
            try:
                value = scope.expand(text)
            except UnresolvedVariable as exc:
                raise HttpFileError(spec.path, spec.line, 1, f"auth {key}: {exc.message}") from None
            if key in SECRET_FIELDS and value and value not in scope.secrets:
                secrets.setdefault(value, f"auth.{key}")
            out[key] = value
        return out

    def build(
        self, spec: AuthSpec, v: dict[str, str], env: str | None, hooks: Hooks | None = None
    ) -> Any:
        return build_auth(
            spec, v, cache=self.token_cache(env), hooks=hooks or self.hooks, root=self.root
        )

    def token_cache(self, env: str | None) -> ScopedCache:
        return ScopedCache(self.cache, f"{self.root}#{env or ''}")


def _fields_hint(word: str) -> str:
    kind = word.lower()
    if kind not in FIELDS or not FIELDS[kind]:
        return ""
    return f"; or write {kind} with its fields: {', '.join(FIELDS[kind])}"


def _lines(template: RequestTemplate) -> tuple[int, ...]:
    if len(template.option_lines) == len(template.options):
        return template.option_lines
    return tuple(template.line for _ in template.options)


def build_auth(
    spec: AuthSpec, v: dict[str, str], *, cache: TokenCache, hooks: Hooks, root: Path | None
) -> Any:
    """The auth object for ``spec`` with its resolved values ``v``."""
    kind = spec.kind
    if kind == "basic":
        return BasicAuth(v.get("username", ""), v.get("password", ""))
    if kind == "digest":
        return DigestAuth(v.get("username", ""), v.get("password", ""))
    if kind == "bearer":
        return BearerAuth(v["token"])
    if kind == "apikey":
        from reqlab.auth import APIKey

        if v.get("in", "header").lower() == "query":
            return APIKey(v["name"], v["value"], location="query")
        return APIKey(v["name"], v["value"])
    if kind == "aws-sigv4":
        from reqlab.auth import AWSSigV4

        unsigned = v.get("unsigned-payload", "").lower() in ("true", "yes", "1")
        return AWSSigV4(
            v["access-key"],
            v["secret-key"],
            v["region"],
            v["service"],
            v.get("session-token") or None,
            unsigned_payload=unsigned,
        )
    return _oauth2(spec, v, cache, hooks, root)


def _private_key(spec: AuthSpec, v: dict[str, str], root: Path | None) -> bytes:
    file = v.get("private-key-file")
    if not file or root is None:
        raise HttpFileError(spec.path, spec.line, 1, "client-auth jwt needs private-key-file")
    try:
        return (root / file).read_bytes()
    except OSError as exc:
        raise HttpFileError(spec.path, spec.line, 1, f"{file}: {exc.strerror}") from None


def _oauth2(
    spec: AuthSpec, v: dict[str, str], cache: TokenCache, hooks: Hooks, root: Path | None
) -> Any:
    method = {
        "basic": "client_secret_basic",
        "post": "client_secret_post",
        "none": "none",
        "jwt": "private_key_jwt",
    }[v.get("client-auth") or ("basic" if v.get("client-secret") else "none")]
    common: dict[str, Any] = {
        "client_auth": method,
        "cache": cache,
        "token_url": v["token-url"],
        "client_id": v["client-id"],
        "client_secret": v.get("client-secret") or None,
        "scope": v.get("scope") or None,
    }
    if method == "private_key_jwt":
        common["private_key"] = _private_key(spec, v, root)
    grant = v["grant"]
    if grant == "client-credentials":
        from reqlab.auth._oauth import OAuth2ClientCredentials

        return OAuth2ClientCredentials(**common)
    from reqlab.auth._oauth_flows import OAuth2AuthorizationCode, OAuth2DeviceCode

    if grant == "authorization-code":
        port = v.get("redirect-port", "0")
        if hooks.opener:
            common["opener"] = hooks.opener
        code: Any = OAuth2AuthorizationCode(
            v["auth-url"], redirect_port=int(port) if port.isdigit() else 0, **common
        )
        return code
    if method == "private_key_jwt":
        raise HttpFileError(spec.path, spec.line, 1, "the device-code grant here takes no jwt")
    if hooks.prompt:
        common["prompt"] = hooks.prompt
    device: Any = OAuth2DeviceCode(v["device-url"], **common)
    return device
