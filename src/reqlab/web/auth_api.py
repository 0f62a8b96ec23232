"""The Authorization tab's routes: "Get new access token", what a workspace
request inherits, and binding the tab's auth to the page session.

    POST /api/auth/token        {"auth": {...oauth2...}, "url": "..."}   the tab's own
                                {"ref": "a.http#x", "env": "dev", "request": {...}}
                                -> {"job": ID, "state": "running"|"waiting"|"done"|"error", ...}
    GET  /api/auth/token/{job}  the same object, later (the page polls)
    POST /api/auth/effective    {"ref", "env", "request"} -> what the request sends with:
                                {"source", "auth" (secrets blank), "token" (expiry; never the token)}

A token job runs the grant in a thread (a person may take minutes to sign
in): the authorization-code grant's URL and the device grant's code appear
in the job (``authorize_url``, ``device``) for the page to open or show.
Each token request is its own exchange in ``exchanges`` (their purpose names
the request that needed them), masked as the client masks them: the client
secret, the code, the tokens are ``***``.  The page never receives a token:
the tab shows its expiry and scope; sends use it from the server's cache (the
page session's, or the workspace environment's file cache).
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HTTPRequest
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from reqlab.auth._oauth_cache import MemoryTokenCache
from reqlab.errors import AuthError, ReqlabError
from reqlab.formats.httpfile.authspec import AuthSpec
from reqlab.model import Request
from reqlab.web.auth_json import PageAuth, spec_from_json, spec_to_json
from reqlab.web.cookies import rotated, writer
from reqlab.web.endpoint import contained
from reqlab.web.errors import APIError, field_of, json_body
from reqlab.workspace._auth import Hooks, TokenInsert, build_auth

KEEP_JOBS = 64


@dataclass
class Job:
    id: str
    owner: str
    state: str = "running"
    authorize_url: str | None = None
    device: dict[str, Any] | None = None
    token: dict[str, Any] | None = None
    exchanges: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def to_json(self) -> dict[str, Any]:
        return {
            "job": self.id,
            "state": self.state,
            "authorize_url": self.authorize_url,
            "device": self.device,
            "token": self.token,
            "exchanges": self.exchanges,
            "error": self.error,
        }


def _state(request: HTTPRequest) -> Any:
    state = request.app.state
    if not hasattr(state, "auth_jobs"):
        state.auth_jobs = {}
        state.auth_tokens = {}
    return state


def session_cache(state: Any, owner: str) -> MemoryTokenCache:
    """The page session's OAuth tokens (memory only)."""
    if not hasattr(state, "auth_tokens"):
        state.auth_jobs, state.auth_tokens = {}, {}
    cache: MemoryTokenCache = state.auth_tokens.setdefault(owner, MemoryTokenCache())
    return cache


def token_info(token: Any) -> dict[str, Any] | None:
    if token is None:
        return None
    left = None if token.expires_at is None else round(token.expires_at - time.time())
    return {
        "expires_at": token.expires_at,
        "expires_in": left,
        "fresh": token.fresh(),
        "scope": token.scope,
        "token_type": token.token_type,
        "refresh": bool(token.refresh_token),
    }


def cached_token(auth: Any) -> Any:
    cache, key = getattr(auth, "cache", None), getattr(auth, "key", None)
    return None if cache is None or key is None else cache.get(key)


def token_secrets(auth: Any) -> dict[str, str]:
    """The tokens an auth holds (value -> name), to mask in what the page sees."""
    auths = list(auth.tokens.values()) if isinstance(auth, TokenInsert) else [auth]
    out = {}
    for one in auths:
        token = cached_token(one)
        if token is not None:
            out[token.access_token] = "$auth.token"
            if token.refresh_token:
                out[token.refresh_token] = "$auth.refresh_token"
    return out


def masked_auth(auth: Any, secrets: dict[str, str]) -> Any:
    """A copy of ``auth`` for generated code: each secret as ``{{name}}``."""
    from reqlab.auth import APIKey, AWSSigV4
    from reqlab.workspace import mask

    def m(text: str | None) -> str | None:
        return None if text is None else mask(text, secrets, "names")

    if isinstance(auth, APIKey):
        return APIKey(auth.name, m(auth.value) or "", auth.location)
    if isinstance(auth, AWSSigV4):
        return AWSSigV4(
            auth.access_key,
            m(auth.secret_key) or "",
            auth.region,
            auth.service,
            m(auth.session_token),
            auth.unsigned_payload,
        )
    client = getattr(auth, "client", None)
    if client is not None and getattr(client, "client_secret", None):
        auth = copy.copy(auth)
        auth.client = replace(client, client_secret=m(client.client_secret))
    return auth


class NeedsToken:
    """An interactive grant from the page: sent only with a token got first
    ("Get new access token"), or one it can refresh - never a browser
    opened or a code awaited in the middle of a send."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.cache, self.key = inner.cache, inner.key

    def __repr__(self) -> str:
        return f"NeedsToken({self.inner!r})"

    def auth_flow(self, request: Request) -> Any:
        token = self.inner.cache.get(self.inner.key)
        if token is None or not (token.fresh() or token.refresh_token):
            raise AuthError(
                "OAuth 2.0: no access token yet for this client; press"
                " \u201cGet new access token\u201d in the Authorization tab"
            )
        signed = yield from self.inner.auth_flow(request)
        return signed

    def should_retry(self, response: Any) -> bool:
        return bool(self.inner.should_retry(response))


def bind(state: Any, owner: str, request: Request) -> Request:
    """The tab's auth made real, with the page session's token cache."""
    if not isinstance(request.auth, PageAuth):
        return request
    return replace(request, auth=_build(request.auth.spec, session_cache(state, owner), Hooks()))


def for_code(request: Request) -> Request:
    """The tab's auth as the object code generation knows (nothing is sent)."""
    if not isinstance(request.auth, PageAuth):
        return request
    auth = _build(request.auth.spec, MemoryTokenCache(), Hooks())
    return replace(request, auth=getattr(auth, "inner", auth))


def _build(spec: AuthSpec, cache: Any, hooks: Hooks) -> Any:
    try:
        auth = build_auth(spec, dict(spec.fields), cache=cache, hooks=hooks, root=None)
    except ReqlabError as exc:
        raise APIError(422, f"auth: {getattr(exc, 'message', exc)}", field="auth") from None
    if spec.kind == "oauth2" and spec.get("grant") != "client-credentials":
        return NeedsToken(auth)
    return auth


# ------------------------------------------------------------ token jobs
def _drive(job: Job, auth: Any, url: str) -> None:
    from reqlab import Client

    pending: list[Any] = []  # an exchange is masked and named once the flow has read it

    def flush() -> None:
        job.exchanges += [e.to_json(body_limit=4000) for e in pending]
        pending.clear()

    try:
        auth.cache.drop(auth.key)  # "Get new": the whole grant, as Postman's button
        flow = auth.token_flow(Request("GET", url))
        with Client() as client:
            side = next(flow)
            while True:
                response = client.send(side)
                pending.append(response.exchange)
                side = flow.send(response)
                flush()
    except StopIteration as stop:
        flush()
        job.token = token_info(stop.value)
        job.state = "done"
    except ReqlabError as exc:
        flush()
        job.error, job.state = str(exc), "error"
    except Exception as exc:  # a bug: the page says so, the server stays up
        job.error, job.state = f"internal error ({type(exc).__name__})", "error"
    finally:
        job.done.set()


def _hooks(job: Job) -> Hooks:
    def opener(url: str) -> None:
        job.authorize_url, job.state = url, "waiting"

    def prompt(p: Any) -> None:
        job.device = {
            "user_code": p.user_code,
            "verification_uri": p.verification_uri,
            "verification_uri_complete": p.verification_uri_complete,
            "expires_in": p.expires_in,
        }
        job.state = "waiting"

    return Hooks(opener=opener, prompt=prompt)


def _workspace_auth(request: HTTPRequest, data: Any, hooks: Hooks) -> tuple[Any, str]:
    """The OAuth 2.0 auth a workspace request sends with, and its URL."""
    from reqlab.web.workspace_send import host_of, prepare

    ws, entry, env = prepare(host_of(request), data)
    template, tokens = ws.auth.prepare(entry.template)
    if tokens:
        spec = ws.auth._use(AuthSpec("use", ref=next(iter(tokens.values()))), env)
    else:
        chosen = ws.auth.chosen(template, entry.path, env)
        if chosen is None:
            raise APIError(422, "this request sends with no auth configuration", field="auth")
        spec = chosen
    if spec.kind != "oauth2":
        raise APIError(422, f"auth: {spec.kind} needs no token", field="auth")
    scope = ws.scope(entry, env)
    values = ws.auth.values(spec, scope, {})
    try:  # the request the token is for, as its exchanges' purpose names it
        url = scope.expand(template.url)
    except LookupError:
        url = values["token-url"]
    if "://" not in url:
        url = values["token-url"]
    return ws.auth.build(spec, values, env, hooks), url


async def get_token(request: HTTPRequest) -> Response:
    state = _state(request)
    if state.config.public:
        raise APIError(403, "a public instance fetches no OAuth 2.0 tokens")
    data = await json_body(request)
    owner = await writer(request)
    job = Job(secrets.token_urlsafe(12), owner)
    hooks = _hooks(job)
    if "ref" in data:
        auth, url = await run_in_threadpool(_workspace_auth, request, data, hooks)
    else:
        spec = spec_from_json(field_of(data, "auth", dict))
        if spec.kind != "oauth2":
            raise APIError(422, f"auth.scheme: {spec.kind} needs no token", field="auth.scheme")
        auth = _build(spec, session_cache(state, owner), hooks)
        auth = getattr(auth, "inner", auth)
        url = field_of(data, "url", str, required=False) or spec.get("token-url")
    jobs: dict[str, Job] = state.auth_jobs
    while len(jobs) >= KEEP_JOBS:
        jobs.pop(next(iter(jobs)))
    jobs[job.id] = job
    threading.Thread(target=_drive, args=(job, auth, url), daemon=True).start()
    # the quick grants answer at once; a person's grant answers with its URL or code
    await run_in_threadpool(_settle, job)
    return rotated(request, JSONResponse(job.to_json()))


def _settle(job: Job, wait: float = 10.0) -> None:
    deadline = time.monotonic() + wait
    while job.state == "running" and time.monotonic() < deadline:
        job.done.wait(0.05)


async def token_job(request: HTTPRequest) -> Response:
    state = _state(request)
    job: Job | None = state.auth_jobs.get(request.path_params["job"])
    if job is None or job.owner != request.scope["state"]["sid"]:
        raise APIError(404, "no such token request (it may have been forgotten)")
    return JSONResponse(job.to_json())


def _effective(request: HTTPRequest, data: Any) -> dict[str, Any]:
    from reqlab.web.workspace_send import host_of, prepare

    ws, entry, env = prepare(host_of(request), data)
    template, tokens = ws.auth.prepare(entry.template)
    if tokens:
        spec = ws.auth._use(AuthSpec("use", ref=next(iter(tokens.values()))), env)
    else:
        own = ws.auth.request_spec(template, entry.path)
        if own is not None and own.kind not in ("inherit", "use"):
            spec = None  # the tab shows the request's own
        else:
            spec = ws.auth.inherited(entry.path, env) if own is None else ws.auth._use(own, env)
    if spec is None:
        return {"source": None, "auth": None, "token": None}
    token = None
    if spec.kind == "oauth2":
        auth = ws.auth.build(spec, ws.auth.values(spec, ws.scope(entry, env), {}), env)
        token = token_info(cached_token(auth))
    return {"source": spec.describe(), "auth": spec_to_json(spec), "token": token}


async def effective(request: HTTPRequest) -> Response:
    data = await json_body(request)
    if "ref" not in data:  # the tab's own auth: its session token, if any
        spec = spec_from_json(field_of(data, "auth", dict))
        if spec.kind != "oauth2":
            return JSONResponse({"source": None, "auth": None, "token": None})
        owner = request.scope["state"]["sid"]
        auth = _build(spec, session_cache(_state(request), owner), Hooks())
        return JSONResponse({"source": None, "auth": None, "token": token_info(cached_token(auth))})
    return JSONResponse(await run_in_threadpool(_effective, request, data))


routes = [
    Route("/api/auth/token", contained(get_token), methods=["POST"]),
    Route("/api/auth/token/{job}", contained(token_job), methods=["GET"]),
    Route("/api/auth/effective", contained(effective), methods=["POST"]),
]
