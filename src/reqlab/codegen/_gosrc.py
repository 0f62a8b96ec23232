"""Go source building blocks shared by both styles of go-nethttp: the
source under construction with Go's error check, literals of methods and
durations, and the body readers (text, bytes, ``mime/multipart``)."""

from __future__ import annotations

from reqlab.codegen._escape import go_str
from reqlab.codegen._plan import Plan
from reqlab.codegen._shared import b64, body_text
from reqlab.model import BytesBody, MultipartBody, MultipartFile

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"}


def method_literal(method: str) -> str:
    if method in METHODS:
        return "http.Method" + method.capitalize()
    return go_str(method)


def duration(seconds: float) -> str:
    if float(seconds).is_integer():
        return f"{int(seconds)} * time.Second"
    return f"{int(seconds * 1000)} * time.Millisecond"


class GoSource:
    def __init__(self, p: Plan) -> None:
        self.p = p
        self.imports = {"fmt", "io", "log", "net/http"}
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def check(self, lhs: str, call: str) -> None:
        """``lhs, err := call`` and the error check every Go developer writes."""
        self.add(f"\t{lhs}, err := {call}", "\tif err != nil {", "\t\tlog.Fatal(err)", "\t}")


def fields(entries: list[tuple[str, str]]) -> list[str]:
    """Composite-literal fields, values aligned as gofmt aligns them."""
    width = max((len(k) for k, _ in entries), default=0) + 1
    return [f"\t\t{(k + ':').ljust(width)} {v}," for k, v in entries]


def body_reader(g: GoSource) -> str:
    """Write the code that builds the body; return the reader expression."""
    p, body = g.p, g.p.body
    text = body_text(p)
    if text is not None:
        g.imports.add("strings")
        return f"strings.NewReader({go_str(text)})"
    if isinstance(body, BytesBody):
        g.imports.add("bytes")
        if body.path is not None:
            g.imports.add("os")
            g.check("payload", f"os.ReadFile({go_str(body.path)})")
        else:
            g.imports.add("encoding/base64")
            g.check("payload", f"base64.StdEncoding.DecodeString({go_str(b64(body.data or b''))})")
        return "bytes.NewReader(payload)"
    if isinstance(body, MultipartBody):
        return _multipart(g, body)
    return "nil"


def _multipart(g: GoSource, body: MultipartBody) -> str:
    g.imports |= {"bytes", "mime/multipart"}
    g.add("\tvar body bytes.Buffer", "\tform := multipart.NewWriter(&body)")
    for i, part in enumerate(body.parts):
        if not isinstance(part, MultipartFile):
            g.add(
                f"\tif err := form.WriteField({go_str(part.name)}, {go_str(part.value)}); err != nil {{"
            )
            g.add("\t\tlog.Fatal(err)", "\t}")
            continue
        var = f"part{i}"
        ctype = part.content_type or "application/octet-stream"
        if ctype == "application/octet-stream":
            call = f"form.CreateFormFile({go_str(part.name)}, {go_str(part.filename)})"
        else:
            g.imports.add("net/textproto")
            g.add(f"\theader{i} := make(textproto.MIMEHeader)")
            disposition = (
                f'form-data; name="{_quoted(part.name)}"; filename="{_quoted(part.filename)}"'
            )
            g.add(f'\theader{i}.Set("Content-Disposition", {go_str(disposition)})')
            g.add(f'\theader{i}.Set("Content-Type", {go_str(ctype)})')
            call = f"form.CreatePart(header{i})"
        g.check(var, call)
        if part.path is not None:
            g.imports.add("os")
            g.check(f"file{i}", f"os.Open({go_str(part.path)})")
            g.add(
                f"\tif _, err := io.Copy({var}, file{i}); err != nil {{",
                "\t\tlog.Fatal(err)",
                "\t}",
            )
            g.add(f"\tfile{i}.Close()")
        else:
            g.imports.add("encoding/base64")
            g.check(f"data{i}", f"base64.StdEncoding.DecodeString({go_str(b64(part.data or b''))})")
            g.add(
                f"\tif _, err := {var}.Write(data{i}); err != nil {{", "\t\tlog.Fatal(err)", "\t}"
            )
    g.add("\tif err := form.Close(); err != nil {", "\t\tlog.Fatal(err)", "\t}", "")
    return "&body"


def _quoted(text: str) -> str:
    # The escaping mime/multipart applies to names in CreateFormFile.
    return text.replace("\\", "\\\\").replace('"', '\\"')
