"""HAR with every entry: each one becomes a request (reqlab's HAR reader
reads it), and a collection is written as a HAR log.

An entry's ``_folder`` (a list) and ``_name`` (custom fields, which HAR
allows with a leading underscore) carry the request's folder and name, so a
HAR written here reads back into the same folders; an entry's ``comment``
names it otherwise.  A request that still holds ``{{variables}}`` is written as typed
(HAR has no variables); one without them goes through reqlab's HAR writer.
"""

from __future__ import annotations

import json
from typing import Any

from reqlab.errors import FormatError
from reqlab.formats.har import read_har
from reqlab.formats.har_write import EPOCH, har_entry
from reqlab.formats.httpfile import Collection, RequestTemplate
from reqlab.formats.httpfile.convert import template_from_request
from reqlab.formats.single import concrete


def _entries(text: str) -> list[Any]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError("har", f"line {exc.lineno}, column {exc.colno}", "valid JSON") from None
    if isinstance(doc, dict) and isinstance(doc.get("log"), dict):
        entries = doc["log"].get("entries")
        if not isinstance(entries, list):
            raise FormatError("har", "log.entries", "a list of entries")
        return entries
    return [doc]  # an entry or a bare request: reqlab's reader says what is wrong


def read_har_collection(text: str) -> Collection:
    out = Collection("har")
    for number, entry in enumerate(_entries(text)):
        try:
            parsed = read_har(json.dumps(entry))
        except FormatError as exc:
            out.warnings.append(f"entry {number}: {exc}: skipped")
            continue
        out.warnings += [f"entry {number}: {w}" for w in parsed.warnings]
        meta = entry if isinstance(entry, dict) else {}
        folder = tuple(str(f) for f in meta.get("_folder", []) or [])
        title = meta.get("_name") or meta.get("comment")
        title = str(title) if title else f"{parsed.request.method} {parsed.request.url}"
        out.items.append((folder, template_from_request(parsed.request, title)))
    if not out.items and out.warnings:
        raise FormatError("har", "log.entries", "; ".join(out.warnings))
    return out


def _by_hand(template: RequestTemplate) -> dict[str, Any]:
    """A HAR entry for a request that keeps its ``{{variables}}``."""
    headers = [{"name": h.name, "value": h.value} for h in template.headers]
    request: dict[str, Any] = {
        "method": template.method,
        "url": template.url,
        "httpVersion": template.version or "HTTP/1.1",
        "cookies": [],
        "headers": headers,
        "queryString": [],
        "headersSize": -1,
        "bodySize": -1,
    }
    text = template.body_text()
    if template.body:
        mime = template.header("content-type") or ""
        if text is not None:
            request["postData"] = {"mimeType": mime, "text": text}
        else:  # file parts: HAR can only name them
            files = [getattr(c, "path", "") for c in template.body if hasattr(c, "path")]
            request["postData"] = {"mimeType": mime, "text": "", "comment": f"files: {files}"}
    entry = har_entry_placeholder()
    entry["request"] = request
    return entry


def har_entry_placeholder() -> dict[str, Any]:
    from reqlab.model import Request

    return har_entry(Request())


def write_har_collection(collection: Collection) -> str:
    from reqlab import __version__

    entries = []
    for folder, template in collection.items:
        request = concrete(template)
        entry = har_entry(request, EPOCH) if request is not None else _by_hand(template)
        entry["_folder"] = list(folder)
        if template.label:
            entry["_name"] = template.label
        entries.append(entry)
    log = {"version": "1.2", "creator": {"name": "reqlab", "version": __version__}}
    return json.dumps({"log": {**log, "entries": entries}}, indent=2, ensure_ascii=False) + "\n"
