"""Reading a curl command line into the model, as curl would send it.

The command is split into words (bash or Windows cmd quoting, see
:mod:`._shell`), options are read with curl's own rules (combined short
flags ``-sSL``, attached values ``-XPOST``, ``--opt=value``), and the
request is assembled the way curl assembles it:

* headers curl sends because the user asked for them land in ``headers``
  in curl's order: Range (-r), User-Agent (-A), Referer (-e), Cookie (-b),
  then every -H in order, then the Content-Type curl adds for -d text and
  the Accept --json adds.  A Content-Type the body kind implies (a form, a
  JSON value, multipart) is left to the body: the client adds it.
  ``-H 'Name:'`` stops curl sending its own header of that name.
* -d pieces are joined with '&'; with the form Content-Type (curl's
  default) they become form fields when re-encoding them changes no byte;
  with a JSON Content-Type, or from --json, a JSON value likewise.  Anything
  else, and every --data-binary, stays exactly as text (or bytes).
* options that change the request but that the model cannot hold produce a
  warning naming them; options about curl's output are skipped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote_plus, unquote_plus

from reqlab.errors import FormatError, InvalidRequest
from reqlab.formats import _curlopts as opts
from reqlab.formats._common import (
    Parsed,
    ReadFile,
    exact_form,
    exact_json,
    from_bytes,
    is_form_type,
    is_json_type,
    is_value,
    text_or_bytes,
    to_bytes,
)
from reqlab.formats._curlform import form_part
from reqlab.formats._shell import Word, printf_bytes, split_command
from reqlab.model import (
    BasicAuth,
    BearerAuth,
    Body,
    BytesBody,
    DigestAuth,
    FormBody,
    JsonBody,
    MultipartBody,
    Options,
    Part,
    Request,
    is_token,
)

FMT = "curl"
FORM_TYPE = "application/x-www-form-urlencoded"


@dataclass
class _Piece:
    """One -d/--data-*/--json argument, as the text curl puts on the wire."""

    option: str
    text: str
    fields: tuple[tuple[str, str], ...] | None = None  # --data-urlencode name=value
    path: str | None = None  # --data-binary @file, not read


@dataclass
class _State:
    read_file: ReadFile | None
    warnings: list[str] = field(default_factory=list)
    method: str | None = None
    urls: list[str] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    pieces: list[_Piece] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    implied: dict[str, str] = field(default_factory=dict)  # -A -e -r
    get: bool = False
    head: bool = False
    upload: str | None = None
    user: str | None = None
    auth_scheme: str = "basic"
    bearer: str | None = None
    version: str | None = None
    follow: bool = False
    max_redirs: int | None = None
    verify: bool = True
    compressed: bool = False
    timeout: float | None = None
    connect_timeout: float | None = None
    globoff: bool = False
    stdin: bytes | None = None  # from a `printf '...' |` before curl

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def read(self, path: str, option: str) -> bytes | None:
        if path == "-":
            if self.stdin is not None:
                return self.stdin
            self.warn(f"{option} @-: reading standard input is not supported; left empty")
            return b""
        if self.read_file is None:
            return None
        try:
            return self.read_file(path)
        except OSError as exc:
            self.warn(f"{option} @{path}: cannot read the file ({exc.strerror or exc}); left empty")
            return b""

    def has_header(self, name: str) -> bool:
        name = name.lower()
        return name in self.removed or any(n.lower() == name for n, _ in self.headers)


def _number(value: str, option: str) -> float | None:
    try:
        seconds = float(value)
    except ValueError:
        raise FormatError(FMT, f"option {option}", f"a number of seconds, got {value!r}") from None
    if seconds < 0:
        raise FormatError(FMT, f"option {option}", f"a number of seconds >= 0, got {value!r}")
    return seconds or None  # curl reads 0 as "no limit"


def _header(state: _State, value: str, option: str) -> None:
    if value.startswith("@"):
        data = state.read(value[1:], option)
        if data is None:
            state.warn(f"{option} {value}: headers from a file are not read; pass the file's lines")
            return
        for line in from_bytes(data).splitlines():
            if line.strip():
                _header(state, line, option)
        return
    name, colon, rest = value.partition(":")
    if colon and is_token(name.strip()) and not rest.strip():
        state.removed.add(name.strip().lower())  # "Name:" stops curl's own header
        return
    if not colon and value.rstrip().endswith(";") and ":" not in value:
        state.headers.append((value.rstrip()[:-1].strip(), ""))  # "Name;" sends it empty
        return
    if not colon:
        state.warn(f"{option} {value!r}: not a 'Name: value' header; curl ignores it")
        return
    state.headers.append((name, rest.lstrip(" \t").rstrip("\r\n")))


def _data(state: _State, option: str, value: str) -> None:
    if option == "json" or option == "data-raw" or not value.startswith("@"):
        if option == "json" and value.startswith("@"):
            data = state.read(value[1:], "--json")
            if data is None:
                raise FormatError(FMT, "option --json", f"file access to read {value[1:]!r}")
            value = from_bytes(data)
        state.pieces.append(_Piece(option, value))
        return
    path = value[1:]
    if option == "data-binary" and path != "-":
        state.pieces.append(_Piece(option, "", path=path))  # read only if it must be
        return
    data = state.read(path, f"--{option}")
    if data is None:
        state.pieces.append(_Piece(option, "", path=path))
        if option != "data-binary":
            state.warn(f"--{option} @{path}: the file is sent as is (curl strips its line breaks)")
        return
    if option != "data-binary":
        data = data.replace(b"\r", b"").replace(b"\n", b"")
    state.pieces.append(_Piece(option, from_bytes(data)))


def _urlencode(state: _State, value: str, option: str) -> _Piece:
    """--data-urlencode's forms: content, =content, name=content, @file, name@file."""
    name, eq, content = value.partition("=")
    at = value.find("@")
    if eq and (at < 0 or at > len(name)):
        if not name:
            return _Piece(option, quote_plus(content, safe=""))
        return _Piece(
            option,
            f"{name}={quote_plus(content, safe='')}",
            fields=((unquote_plus(name), content),),
        )
    if at >= 0:
        name, path = value[:at], value[at + 1 :]
        data = state.read(path, f"--{option}")
        if data is None:
            raise FormatError(FMT, f"option --{option}", f"file access to read {path!r}")
        content = from_bytes(data)
        if name:
            text = f"{name}={quote_plus(content, safe='')}"
            return _Piece(option, text, fields=((unquote_plus(name), content),))
        return _Piece(option, quote_plus(content, safe=""))
    return _Piece(option, quote_plus(value, safe=""))


def _apply(state: _State, name: str, value: str, where: str, negated: bool = False) -> None:
    """One shaping option (long name) with its argument."""
    if name == "request":
        if not is_token(value):
            raise FormatError(FMT, where, f"a method token (like POST or PURGE), got {value!r}")
        state.method = value
    elif name == "header":
        _header(state, value, where)
    elif name in ("data", "data-ascii", "data-raw", "data-binary", "json"):
        _data(state, "data" if name == "data-ascii" else name, value)
    elif name == "data-urlencode":
        state.pieces.append(_urlencode(state, value, name))
    elif name == "url-query":
        state.queries.append(_urlencode(state, value, name).text)
    elif name in ("form", "form-string"):
        state.parts.append(form_part(value, name == "form-string", where, state.read, state.warn))
    elif name == "user":
        state.user = value
    elif name in ("digest", "basic"):
        state.auth_scheme = name
    elif name == "oauth2-bearer":
        state.bearer = value
    elif name == "cookie":
        if "=" in value:
            state.cookies.append(value.strip().rstrip(";"))
        else:
            state.warn(f"{where} {value}: a cookie file; reqlab does not read it")
    elif name == "user-agent":
        state.implied["User-Agent"] = value
    elif name == "referer":
        ref = value.removesuffix(";auto")
        if ref:
            state.implied["Referer"] = ref
    elif name == "range":
        state.implied["Range"] = f"bytes={value}"
    else:
        _apply_flag(state, name, value, where, negated)


def _apply_flag(state: _State, name: str, value: str, where: str, negated: bool) -> None:
    if name == "get":
        state.get = not negated
    elif name == "head":
        state.head = not negated
    elif name in ("location", "location-trusted"):
        state.follow = not negated
        if name == "location-trusted":
            state.warn("--location-trusted: reqlab does not send credentials to other hosts")
    elif name == "max-redirs":
        try:
            state.max_redirs = int(value)
        except ValueError:
            raise FormatError(FMT, where, f"a whole number, got {value!r}") from None
        if state.max_redirs < 0:
            state.warn("--max-redirs -1 (no limit): reqlab follows at most 50 redirects")
            state.max_redirs = 50
    elif name == "insecure":
        state.verify = negated
    elif name == "compressed":
        state.compressed = not negated
    elif name.startswith("http"):
        state.version = {"http1.0": "HTTP/1.0", "http1.1": "HTTP/1.1"}.get(name, "HTTP/2")
    elif name == "url":
        state.urls.append(value)
    elif name == "max-time":
        state.timeout = _number(value, where.removeprefix("option "))
    elif name == "connect-timeout":
        state.connect_timeout = _number(value, where.removeprefix("option "))
    elif name == "upload-file":
        state.upload = value
    elif name == "globoff":
        state.globoff = not negated


def _option_words(state: _State, words: list[Word]) -> None:
    i = 0

    def argument(option: str) -> str:
        nonlocal i
        i += 1
        if i >= len(words):
            raise FormatError(FMT, f"option {option}", "an argument after it")
        return words[i].text

    while i < len(words):
        word = words[i].text
        if word.startswith("--") and len(word) > 2:
            name, eq, inline = word[2:].partition("=")
            name = opts.ALIASES.get(name, name)
            negated = False
            arity = opts.takes_argument(name)
            if arity is None and name.startswith("no-") and opts.takes_argument(name[3:]) is False:
                name, negated, arity = name[3:], True, False
            if arity is None:
                state.warn(f"unknown option --{name}: skipped (it may change the request)")
            else:
                value = (inline if eq else argument(f"--{name}")) if arity else ""
                _dispatch(state, name, value, f"option --{name}", negated)
        elif word.startswith("-") and len(word) > 1:
            j = 1
            while j < len(word):
                letter = word[j]
                name = opts.SHORT.get(letter, "")
                arity = opts.takes_argument(name) if name else None
                if arity is None:
                    state.warn(f"unknown option -{letter}: skipped (it may change the request)")
                elif arity:
                    value = word[j + 1 :] or argument(f"-{letter}")
                    _dispatch(state, name, value, f"option -{letter}")
                    break
                else:
                    _dispatch(state, name, "", f"option -{letter}")
                j += 1
        else:
            state.urls.append(word)
        i += 1


def _dispatch(state: _State, name: str, value: str, where: str, negated: bool = False) -> None:
    if name in opts.SHAPING:
        _apply(state, name, value, where, negated)
    elif name in opts.UNSUPPORTED:
        shown = where.removeprefix("option ")
        state.warn(f"{shown} is not supported: skipped (the request may differ from curl's)")


def _joined(pieces: list[_Piece]) -> str:
    text = pieces[0].text
    for piece in pieces[1:]:
        text += ("" if piece.option == "json" else "&") + piece.text
    return text


def _data_body(state: _State) -> tuple[Body, str | None]:
    """The body of the data pieces, and the Content-Type curl adds for it
    that the body kind does not imply (None if there is none to add)."""
    pieces = state.pieces
    if len(pieces) == 1 and pieces[0].path is not None:
        return BytesBody(path=pieces[0].path), FORM_TYPE
    for piece in pieces:
        if piece.path is not None and piece.option == "data-binary":
            data = state.read(piece.path, "--data-binary")
            if data is None:
                state.warn(f"--data-binary @{piece.path}: the file is not read (no file access)")
            piece.text = from_bytes(data or b"")
    text = _joined(pieces)
    explicit = next((v for n, v in state.headers if n.lower() == "content-type"), None)
    if any(p.option == "json" for p in pieces):
        value = exact_json(text)
        if all(p.option == "json" for p in pieces) and is_value(value):
            return JsonBody(value), None
        return text_or_bytes(to_bytes(text)), "application/json"
    effective = explicit if explicit or "content-type" in state.removed else FORM_TYPE
    if all(p.option != "data-binary" for p in pieces):
        fields: list[tuple[str, str]] = []
        structured = False
        for piece in pieces:
            found = piece.fields if piece.fields is not None else exact_form(piece.text)
            if found is None:
                break
            structured = structured or piece.fields is not None
            fields.extend(found)
        else:
            if structured or is_form_type(effective):
                return FormBody(tuple(fields)), None
        value = exact_json(text)
        if is_json_type(effective) and is_value(value):
            return JsonBody(value), None
    return text_or_bytes(to_bytes(text)), FORM_TYPE


def _command(words: list[Word], state: _State) -> list[Word]:
    """The words of the curl command: after 'curl', up to a control operator."""
    words = list(words)
    while words and words[0].op:
        words.pop(0)
    if words and words[0].text == "$":  # a pasted prompt
        words.pop(0)
    words = _printf_pipe(words, state)
    if not words or words[0].text.replace("\\", "/").rsplit("/", 1)[-1] not in (
        "curl",
        "curl.exe",
    ):
        raise FormatError(FMT, "line 1, column 1", "a command starting with 'curl'")
    out: list[Word] = []
    for k, word in enumerate(words[1:], start=1):
        if word.op and word.text == "\n":
            following = next((w for w in words[k + 1 :] if not w.op), None)
            if following is None or following.text.startswith("-"):
                continue  # a line break inside one pasted command
        if word.op:
            rest = " ".join(w.text for w in words[k + 1 :] if not w.op)
            if rest:
                state.warn(f"ignored what follows the curl command after {word.text!r}: {rest}")
            break
        out.append(word)
    return out


def _printf_pipe(words: list[Word], state: _State) -> list[Word]:
    """``printf 'FMT' | curl ... @-``: the bytes printf writes become curl's
    standard input (how a body with NUL bytes is written, see curl_write)."""
    if not words or words[0].text != "printf":
        return words
    pipe = next((k for k, w in enumerate(words) if w.op and w.text == "|"), None)
    args = [w.text for w in words[1:pipe] if not w.op]
    if pipe is None or not args:
        return words
    if len(args) > 1:
        state.warn("printf with arguments: only its format is used")
    data, notes = printf_bytes(args[0])
    for note in notes:
        state.warn(note)
    state.stdin = data
    return words[pipe + 1 :]


def _url(state: _State) -> str:
    if not state.urls:
        raise FormatError(FMT, "end of command", "a URL")
    if len(state.urls) > 1:
        state.warn(f"{len(state.urls)} URLs given: only the first is used")
    url = state.urls[0]
    if "://" not in url:
        url = "http://" + url  # curl's default scheme
    if not state.globoff and any(c in url.split("://", 1)[1] for c in "{}"):
        state.warn("the URL has {...}: curl would expand it as a glob (add -g to stop it)")
    extra = list(state.queries)
    if state.get and state.pieces:
        extra.append(_joined(state.pieces))
    if extra:
        base, _, fragment = url.partition("#")
        sep = "&" if "?" in base and not base.endswith(("?", "&")) else "" if "?" in base else "?"
        url = base + sep + "&".join(extra) + (f"#{fragment}" if fragment else "")
    return url


def _method(state: _State, has_body: bool) -> str:
    if state.head and (has_body or state.parts):
        raise FormatError(FMT, "option -I", "no request body with -I/--head (curl refuses)")
    if state.method:
        return state.method
    if state.head:
        return "HEAD"
    if state.upload:
        return "PUT"
    return "POST" if has_body else "GET"


def _auth(state: _State) -> BasicAuth | BearerAuth | DigestAuth | None:
    if state.bearer is not None:
        return BearerAuth(state.bearer)
    if state.user is None:
        return None
    user, colon, password = state.user.partition(":")
    if not colon:
        state.warn(f"-u {user}: curl would prompt for the password; an empty one is used")
    cls = DigestAuth if state.auth_scheme == "digest" else BasicAuth
    return cls(user, password)


def _headers(state: _State) -> list[tuple[str, str]]:
    front = [(n, v) for n, v in state.implied.items() if not state.has_header(n)]
    if state.cookies and not state.has_header("cookie"):
        front.append(("Cookie", ";".join(state.cookies)))  # as curl joins them
    order = {"Range": 0, "User-Agent": 1, "Referer": 2, "Cookie": 3}
    return sorted(front, key=lambda h: order[h[0]]) + state.headers


def _body(state: _State, headers: list[tuple[str, str]]) -> Body | None:
    if state.parts and state.pieces:
        raise FormatError(FMT, "option -F", "either -d/--data or -F, not both (curl refuses)")
    if state.parts:
        if state.get:
            raise FormatError(FMT, "option -G", "no -F with -G (curl refuses)")
        return MultipartBody(tuple(state.parts))
    if state.pieces and not state.get:
        body, content_type = _data_body(state)
        if content_type and not state.has_header("content-type"):
            headers.append(("Content-Type", content_type))
        if any(p.option == "json" for p in state.pieces) and not state.has_header("accept"):
            headers.append(("Accept", "application/json"))
        return body
    if state.upload:
        if state.upload in ("-", "."):
            state.warn("-T -: uploading standard input is not supported; no body")
            return None
        return BytesBody(path=state.upload)
    return None


def _position(field: str, url: str) -> str:
    if field == "url":
        return f"URL {url!r}"
    if field.startswith("headers"):
        return f"option -H {field.removeprefix('headers')}"
    return {"method": "option -X"}.get(field, field)


def read_curl(text: str, *, read_file: ReadFile | None = None) -> Parsed:
    """Read a curl command (bash or Windows cmd quoting)."""
    state = _State(read_file)
    words, variables, cmd = split_command(text)
    for variable in dict.fromkeys(variables):
        state.warn(f"shell variable {variable} is kept as written (reqlab does not expand it)")
    _option_words(state, _command(words, state))
    headers = _headers(state)
    body = _body(state, headers)
    url = _url(state)
    if state.upload and url.endswith("/") and body is not None:
        url += state.upload.replace("\\", "/").rsplit("/", 1)[-1]
    follow = state.follow
    options = Options(
        timeout=state.timeout,
        connect_timeout=state.connect_timeout,
        follow_redirects=follow,
        max_redirects=state.max_redirs if state.max_redirs is not None else 50 if follow else 10,
        verify=state.verify,
        compressed=state.compressed,
    )
    try:
        request = Request(
            method=_method(state, (bool(state.pieces) and not state.get) or bool(state.parts)),
            url=url,
            headers=tuple(headers),
            body=body,
            auth=_auth(state),
            version=state.version,
            options=options,
        )
    except InvalidRequest as exc:
        raise FormatError(FMT, _position(exc.field, url), exc.message) from None
    return Parsed(request, state.warnings, FMT)
