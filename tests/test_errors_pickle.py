"""Every reqlab error survives pickling with its message, type and fields:
``reqlab run --jobs`` hands a worker's error to the parent pickled, and an
error whose ``__init__`` takes other arguments than its message could not be
rebuilt (the parent then showed "internal error (TypeError ...)")."""

from __future__ import annotations

import pickle

import pytest

from reqlab import errors
from reqlab.auth import OAuthError

EXAMPLES = [
    errors.InvalidRequest("resolve", "'bad': expected HOST:PORT:ADDRESS"),
    errors.FormatError("har", "line 3, column 7", "a JSON object"),
    errors.ClientCertError("client.pem", "no such file"),
    errors.RequestTimeout("connect", 2.5),
    errors.ProxyError("http://127.0.0.1:3128", "407 Proxy Authentication Required", 407),
    errors.NameResolutionError("cannot resolve host 'x'"),
    OAuthError("token request", "invalid_client", "bad secret", 401),
]


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: type(e).__name__)
def test_round_trip(error: errors.ReqlabError) -> None:
    again = pickle.loads(pickle.dumps(error, pickle.HIGHEST_PROTOCOL))
    assert type(again) is type(error)
    assert str(again) == str(error) and again.args == error.args
    assert again.__dict__ == error.__dict__


def test_every_error_class_is_covered_by_the_root_rule() -> None:
    """No subclass overrides the root's __reduce__ with the broken default."""

    def subclasses(cls: type) -> list[type]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    for cls in subclasses(errors.ReqlabError):
        assert cls.__reduce__ is errors.ReqlabError.__reduce__, cls
