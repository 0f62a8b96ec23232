"""Collections of one-request formats: curl commands, raw HTTP messages,
``.http`` files; exports as one ``.http`` file or a list of curl commands.

The readers reuse reqlab's curl and raw readers; a file holding several
curl commands (one after another, as people paste them) gives one request
per command.  The curl writer is reqlab's own when the request has no
``{{variables}}`` left; otherwise the command keeps the ``{{name}}``
placeholders for the user to fill (with a warning).
"""

from __future__ import annotations

import re

from reqlab.errors import FormatError
from reqlab.formats.curl_write import bash_quote
from reqlab.formats.httpfile import (
    Collection,
    FileChunk,
    HttpFileError,
    RequestTemplate,
    TextChunk,
    Variable,
    parse,
    render_file,
)
from reqlab.formats.httpfile.convert import template_from_request
from reqlab.formats.httpfile.resolve import resolve_template
from reqlab.formats.httpfile.variables import Scope
from reqlab.model import Request

_NEXT_CURL = re.compile(r"(?:^|\n|;)\s*(?=(?:\$\s+)?curl\s)")


def _title(request: Request) -> str:
    return f"{request.method} {request.url}"


def read_curl_collection(text: str) -> Collection:
    from reqlab.formats.curl import read_curl

    out = Collection("curl")
    commands = [c.strip().rstrip(";").strip() for c in _NEXT_CURL.split(text) if c.strip()]
    for number, command in enumerate(commands, 1):
        if not re.match(r"^(\$\s+)?curl\s", command):
            out.warnings.append(f"command {number} is not curl: skipped")
            continue
        try:
            parsed = read_curl(command)
        except FormatError as exc:  # one bad command does not lose the others
            out.warnings.append(f"command {number}: {exc}: skipped")
            continue
        out.warnings += parsed.warnings
        out.items.append(((), template_from_request(parsed.request, _title(parsed.request))))
    if not out.items:
        reasons = "; ".join(out.warnings)
        raise FormatError("curl", "", f"at least one curl command reqlab can read ({reasons})")
    return out


def read_raw_collection(text: str) -> Collection:
    from reqlab.formats.raw import read_raw

    parsed = read_raw(text)
    out = Collection("raw", warnings=list(parsed.warnings))
    out.items.append(((), template_from_request(parsed.request, _title(parsed.request))))
    return out


def read_http_collection(text: str) -> Collection:
    file = parse(text, "import.http")
    out = Collection("http")
    out.items = [((), t) for t in file.requests]
    out.variables = [(v.name, v.value) for v in file.variables]
    return out


def write_http_collection(collection: Collection) -> str:
    templates = []
    for folder, template in collection.items:
        note = (f"# folder: {'/'.join(folder)}",) if folder else ()
        templates.append(template.replace(comments=note + template.comments))
    variables = [Variable(k, v, 0) for k, v in collection.variables]
    return render_file(collection.name, templates, variables)


def concrete(template: RequestTemplate) -> Request | None:
    """The request when the template needs no variable or file; else None."""
    try:
        return resolve_template(template, Scope([])).request
    except HttpFileError:
        return None


def _curl_by_hand(template: RequestTemplate) -> str:
    lines = [f"curl -X {template.method} {bash_quote(template.url)}"]
    lines += [f"-H {bash_quote(f'{h.name}: {h.value}')}" for h in template.headers]
    for chunk in template.body:
        if isinstance(chunk, FileChunk):
            lines.append(f"--data-binary {bash_quote('@' + chunk.path)}")
        elif isinstance(chunk, TextChunk):
            lines.append(f"--data-raw {bash_quote(chunk.text)}")
    return " \\\n  ".join(lines)


def write_curl_collection(collection: Collection) -> str:
    from reqlab.formats.curl_write import write_curl

    out = []
    for folder, template in collection.items:
        label = "/".join((*folder, template.label or f"{template.method} {template.url}"))
        request = concrete(template)
        if request is not None:
            command = write_curl(request).text
        else:
            command = _curl_by_hand(template)
            if "{{" in command:
                label += "  (fill in the {{variables}} first)"
        out.append(f"# {label}\n{command.rstrip()}\n")
    return "\n".join(out)
