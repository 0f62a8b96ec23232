"""POST /api/convert: between pasted text (curl, raw HTTP, HAR) and requests.

``{"text": "curl ...", "from": "auto"}`` reads text into a request;
``{"request": {...}}`` starts from a request.  ``"drop_derived": true``
(the Raw tab) drops the headers the writer derives and would add again -
Content-Length, a Host equal to the URL's, a default Content-Type - so
editing the raw text does not freeze a stale Content-Length into the tabs.  Either way ``"to"`` lists the
formats to write it back out in (default: http and curl), which is how the
page keeps its Raw tab in sync and exports HAR and curl.
"""

from __future__ import annotations

from typing import Any

from reqlab.body import default_content_type
from reqlab.errors import FormatError
from reqlab.model import Request
from reqlab.web.errors import APIError, field_of
from reqlab.web.serialize import options_from_json, request_from_json, request_to_json

FORMATS = ("http", "curl", "har")


def convert(data: Any) -> dict[str, Any]:
    from reqlab import formats

    to = field_of(data, "to", list, required=False)
    if to is None:
        to = ["http", "curl"]
    for fmt in to:
        if fmt not in FORMATS:
            raise APIError(422, f"to: {fmt!r} is not one of {', '.join(FORMATS)}", field="to")
    warnings: list[str] = []
    fmt_in = None
    if data.get("text") is not None:
        text = field_of(data, "text", str)
        fmt_in = field_of(data, "from", str, required=False) or "auto"
        if fmt_in not in (*FORMATS, "auto"):
            raise APIError(
                422, f"from: {fmt_in!r} is not one of auto, {', '.join(FORMATS)}", field="from"
            )
        parsed = formats.read(text, None if fmt_in == "auto" else fmt_in)
        # Pasted text passes the API's own number checks (`curl -m nan`).
        options_from_json(request_to_json(parsed.request)["options"])
        request = parsed.request
        fmt_in = parsed.fmt
        warnings.extend(str(w) for w in parsed.warnings)
    else:
        request = request_from_json(field_of(data, "request", dict))
    if data.get("drop_derived"):
        request = drop_derived(request)
    outputs: dict[str, str | None] = {}
    for fmt in to:
        try:
            written = formats.write_with_warnings(request, fmt)
        except FormatError as exc:  # e.g. a body naming a file the server will not read
            outputs[fmt] = None
            warnings.append(f"{fmt}: {exc}")
            continue
        outputs[fmt] = written.text
        warnings.extend(f"{fmt}: {w}" for w in written.warnings)
    return {
        "request": request_to_json(request),
        "from": fmt_in,
        "warnings": warnings,
        "outputs": outputs,
    }


def drop_derived(request: Request) -> Request:
    derived = {"content-length"}
    if (request.header("host") or "").lower() == request.split_url.netloc.rsplit("@", 1)[
        -1
    ].lower():
        derived.add("host")
    if request.body is not None:
        ctype = request.header("content-type")
        if ctype is not None and ctype == default_content_type(
            request.body, ctype.partition("boundary=")[2] or None
        ):
            derived.add("content-type")
    return request.without_headers(*derived)
