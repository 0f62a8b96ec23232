"""``reqlab.get(...)`` and friends: one request on a client of its own.

As in httpx, each call opens a :class:`Client`, sends, and closes it, so
nothing is reused between calls; use a ``Client`` for that (and for the
"connection #1 reused" line in the record).
"""

from __future__ import annotations

from typing import Any

from reqlab.client._base import AuthTypes, VerifyTypes
from reqlab.client._params import DataTypes, FileTypes, HeaderTypes, ParamTypes
from reqlab.client._response import Response
from reqlab.client._sync import Client
from reqlab.client._tls import CertTypes


def request(
    method: str,
    url: str,
    *,
    params: ParamTypes | None = None,
    headers: HeaderTypes | None = None,
    content: bytes | str | None = None,
    data: DataTypes | None = None,
    files: FileTypes | None = None,
    json: Any = None,
    auth: AuthTypes | None = None,
    timeout: float | None = 30.0,
    follow_redirects: bool = False,
    version: str | None = None,
    verify: VerifyTypes = True,
    cert: CertTypes | None = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> Response:
    """Send one request on a client of its own (``version``: "HTTP/1.0",
    "HTTP/1.1", "HTTP/2", "HTTP/3"; None lets ALPN choose)."""
    with Client(
        proxy=proxy,
        timeout=timeout,
        follow_redirects=follow_redirects,
        verify=verify,
        cert=cert,
        trust_env=trust_env,
    ) as client:
        return client.request(
            method,
            url,
            params=params,
            headers=headers,
            content=content,
            data=data,
            files=files,
            json=json,
            auth=auth,
            version=version,
        )


def get(
    url: str,
    *,
    params: ParamTypes | None = None,
    headers: HeaderTypes | None = None,
    auth: AuthTypes | None = None,
    timeout: float | None = 30.0,
    follow_redirects: bool = False,
    version: str | None = None,
    verify: VerifyTypes = True,
    cert: CertTypes | None = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> Response:
    return request(
        "GET",
        url,
        params=params,
        headers=headers,
        auth=auth,
        timeout=timeout,
        follow_redirects=follow_redirects,
        version=version,
        verify=verify,
        cert=cert,
        proxy=proxy,
        trust_env=trust_env,
    )


def head(
    url: str,
    *,
    params: ParamTypes | None = None,
    headers: HeaderTypes | None = None,
    auth: AuthTypes | None = None,
    timeout: float | None = 30.0,
    follow_redirects: bool = False,
    version: str | None = None,
    verify: VerifyTypes = True,
    cert: CertTypes | None = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> Response:
    return request(
        "HEAD",
        url,
        params=params,
        headers=headers,
        auth=auth,
        timeout=timeout,
        follow_redirects=follow_redirects,
        version=version,
        verify=verify,
        cert=cert,
        proxy=proxy,
        trust_env=trust_env,
    )


def options(
    url: str,
    *,
    params: ParamTypes | None = None,
    headers: HeaderTypes | None = None,
    auth: AuthTypes | None = None,
    timeout: float | None = 30.0,
    follow_redirects: bool = False,
    version: str | None = None,
    verify: VerifyTypes = True,
    cert: CertTypes | None = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> Response:
    return request(
        "OPTIONS",
        url,
        params=params,
        headers=headers,
        auth=auth,
        timeout=timeout,
        follow_redirects=follow_redirects,
        version=version,
        verify=verify,
        cert=cert,
        proxy=proxy,
        trust_env=trust_env,
    )


def delete(
    url: str,
    *,
    params: ParamTypes | None = None,
    headers: HeaderTypes | None = None,
    auth: AuthTypes | None = None,
    timeout: float | None = 30.0,
    follow_redirects: bool = False,
    version: str | None = None,
    verify: VerifyTypes = True,
    cert: CertTypes | None = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> Response:
    return request(
        "DELETE",
        url,
        params=params,
        headers=headers,
        auth=auth,
        timeout=timeout,
        follow_redirects=follow_redirects,
        version=version,
        verify=verify,
        cert=cert,
        proxy=proxy,
        trust_env=trust_env,
    )


def post(
    url: str,
    *,
    params: ParamTypes | None = None,
    headers: HeaderTypes | None = None,
    content: bytes | str | None = None,
    data: DataTypes | None = None,
    files: FileTypes | None = None,
    json: Any = None,
    auth: AuthTypes | None = None,
    timeout: float | None = 30.0,
    follow_redirects: bool = False,
    version: str | None = None,
    verify: VerifyTypes = True,
    cert: CertTypes | None = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> Response:
    return request(
        "POST",
        url,
        params=params,
        headers=headers,
        content=content,
        data=data,
        files=files,
        json=json,
        auth=auth,
        timeout=timeout,
        follow_redirects=follow_redirects,
        version=version,
        verify=verify,
        cert=cert,
        proxy=proxy,
        trust_env=trust_env,
    )


def put(
    url: str,
    *,
    params: ParamTypes | None = None,
    headers: HeaderTypes | None = None,
    content: bytes | str | None = None,
    data: DataTypes | None = None,
    files: FileTypes | None = None,
    json: Any = None,
    auth: AuthTypes | None = None,
    timeout: float | None = 30.0,
    follow_redirects: bool = False,
    version: str | None = None,
    verify: VerifyTypes = True,
    cert: CertTypes | None = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> Response:
    return request(
        "PUT",
        url,
        params=params,
        headers=headers,
        content=content,
        data=data,
        files=files,
        json=json,
        auth=auth,
        timeout=timeout,
        follow_redirects=follow_redirects,
        version=version,
        verify=verify,
        cert=cert,
        proxy=proxy,
        trust_env=trust_env,
    )


def patch(
    url: str,
    *,
    params: ParamTypes | None = None,
    headers: HeaderTypes | None = None,
    content: bytes | str | None = None,
    data: DataTypes | None = None,
    files: FileTypes | None = None,
    json: Any = None,
    auth: AuthTypes | None = None,
    timeout: float | None = 30.0,
    follow_redirects: bool = False,
    version: str | None = None,
    verify: VerifyTypes = True,
    cert: CertTypes | None = None,
    proxy: str | None = None,
    trust_env: bool = True,
) -> Response:
    return request(
        "PATCH",
        url,
        params=params,
        headers=headers,
        content=content,
        data=data,
        files=files,
        json=json,
        auth=auth,
        timeout=timeout,
        follow_redirects=follow_redirects,
        version=version,
        verify=verify,
        cert=cert,
        proxy=proxy,
        trust_env=trust_env,
    )
