"""The round-trip contract, as properties over generated requests.

* model -> HAR -> model is the identity.
* model -> curl -> model is the identity for requests curl can express
  (see ``curl_normal``); others come back as that normal form.
* model -> raw -> model gives :func:`reqlab.formats.raw.normal_form`, and
  raw text -> model -> raw text is byte-identical for well-formed messages.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reqlab.formats import read, write
from reqlab.formats._common import text_or_bytes
from reqlab.formats.raw import normal_form, read_raw, write_raw_bytes
from reqlab.model import BytesBody, MultipartBody, Request

from .strategies import fake_files, requests

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(requests())
def test_model_har_model_is_identity(request: Request) -> None:
    assert read(write(request, "har"), "har").request == request


def curl_normal(request: Request) -> Request:
    """What curl can say of a request: inline bytes that are UTF-8 read back
    as text, connection reuse is not an option, curl picks the boundary."""
    body = request.body
    if isinstance(body, BytesBody) and body.data is not None:
        body = text_or_bytes(body.data)
    if isinstance(body, MultipartBody):
        body = replace(body, boundary=None)
    return replace(request, body=body, options=replace(request.options, keep_alive=True))


@SETTINGS
@given(requests(inline_files=False))
def test_model_curl_model_is_identity_up_to_curl_normal(request: Request) -> None:
    text = write(request, "curl")
    assert read(text, "curl").request == curl_normal(request), text


@SETTINGS
@given(requests(inline_files=False).map(curl_normal))
def test_curl_normal_requests_round_trip_exactly(request: Request) -> None:
    assert read(write(request, "curl"), "curl").request == request


@SETTINGS
@given(requests(exclude_headers=("host", "content-length", "transfer-encoding")))
def test_model_raw_model_gives_the_normal_form(request: Request) -> None:
    message, _ = write_raw_bytes(request, read_file=fake_files)
    back = read_raw(message, base_url=f"{request.scheme}://").request
    assert back == normal_form(request, read_file=fake_files)
    # and the normal form is a fixed point
    assert read_raw(write_raw_bytes(back)[0], base_url=f"{back.scheme}://").request == back


@SETTINGS
@given(requests(exclude_headers=("host", "content-length", "transfer-encoding")))
def test_raw_text_model_raw_text_is_byte_identical(request: Request) -> None:
    well_formed = normal_form(request, read_file=fake_files)
    message, _ = write_raw_bytes(well_formed)
    parsed = read(message, "http", base_url=f"{request.scheme}://").request
    assert write_raw_bytes(parsed)[0] == message


@SETTINGS
@given(requests(), st.sampled_from(["har", "curl", "http"]))
def test_every_written_request_is_detected_as_its_format(request: Request, fmt: str) -> None:
    from reqlab.formats import detect

    text = write(request, fmt, read_file=fake_files)
    assert detect(text) == fmt
