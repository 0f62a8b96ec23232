"""AWSSigV4 and botocore agree on requests drawn at random (paths, queries,
headers, bodies, services), not only on the written table."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_sigv4_botocore import Case, botocore_sign, reqlab_sign

SEGMENT = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="/?#%"
    ),
    max_size=8,
)
WORD = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)
HEADER_NAME = st.from_regex(r"X-[A-Za-z0-9-]{1,10}", fullmatch=True)
HEADER_VALUE = st.from_regex(r"[ !-~]{0,12}", fullmatch=True).map(str.strip).filter(bool)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    from urllib.parse import quote

    service = draw(st.sampled_from(["s3", "execute-api", "sqs", "es"]))
    segments = draw(st.lists(SEGMENT, max_size=4))
    path = "/" + "/".join(quote(s, safe="") for s in segments)
    presign = draw(st.booleans())
    keys = st.lists(WORD, max_size=4, unique=presign)  # botocore's presigner keeps one value a key
    pairs = [(k, draw(WORD)) for k in draw(keys)]
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)
    headers = draw(st.lists(st.tuples(HEADER_NAME, HEADER_VALUE), max_size=3))
    return Case(
        "drawn",
        f"https://example.amazonaws.com{path}" + (f"?{query}" if query else ""),
        method=draw(st.sampled_from(["GET", "PUT", "POST", "DELETE"])),
        headers=headers,
        body=b"" if presign else draw(st.binary(max_size=64)),
        service=service,
        token=draw(st.none() | st.just("TOKEN/+=")),
        unsigned=draw(st.booleans()),
        expires=draw(st.integers(1, 604800)) if presign else None,
    )


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases())
def test_drawn_requests_sign_like_botocore(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    from urllib.parse import parse_qsl, urlsplit

    theirs = botocore_sign(case, monkeypatch)
    ours = reqlab_sign(case)
    if case.expires is None:
        assert ours.header("authorization") == theirs.headers["Authorization"]
    else:
        assert sorted(parse_qsl(urlsplit(ours.url).query, keep_blank_values=True)) == sorted(
            parse_qsl(urlsplit(theirs.url).query, keep_blank_values=True)
        )


@settings(max_examples=150, deadline=None)
@given(case=cases())
def test_the_echo_verifier_accepts_what_reqlab_signs(case: Case) -> None:
    from urllib.parse import urlsplit

    from reqlab.auth._verify import verify

    from .test_sigv4_botocore import KEY, NOW, SECRET

    signed = reqlab_sign(case)
    parts = urlsplit(signed.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), *signed.headers]
    verdict = verify(case.method, target, headers, case.body, {KEY: SECRET}, NOW)
    assert verdict.valid, verdict.error
    assert not verify(case.method, target, headers, case.body, {KEY: "other"}, NOW).valid
