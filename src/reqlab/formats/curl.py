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

from reqlab.auth._aws import from_curl
from reqlab.errors import FormatError, InvalidRequest
from reqlab.formats._common import (
    Parsed,
    ReadFile,
    exact_form,
    exact_json,
    from_bytes,
    has_dot_segments,
    is_form_type,
    is_json_type,
    is_value,
    remove_dot_segments,
    text_or_bytes,
    to_bytes,
)
from reqlab.formats._curlargs import CurlState, Piece, read_options
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
    Request,
    TextBody,
)

FMT = "curl"
FORM_TYPE = "application/x-www-form-urlencoded"


def _joined(pieces: list[Piece]) -> str:
    text = pieces[0].text
    for piece in pieces[1:]:
        text += ("" if piece.option == "json" else "&") + piece.text
    return text


def _data_body(state: CurlState) -> tuple[Body, str | None]:
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
    body = text_or_bytes(to_bytes(text))
    if isinstance(body, TextBody) and all(p.option != "data-binary" for p in pieces):
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
    return body, FORM_TYPE


def _command(words: list[Word], state: CurlState) -> list[Word]:
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
            if following is None or following.text.startswith("-") or "://" in following.text:
                continue  # a line break inside one pasted command (a lost backslash)
        if word.op:
            rest = " ".join(w.text for w in words[k + 1 :] if not w.op)
            if rest:
                state.warn(f"ignored what follows the curl command after {word.text!r}: {rest}")
            break
        out.append(word)
    return out


def _printf_pipe(words: list[Word], state: CurlState) -> list[Word]:
    """``printf 'FMT' | curl ... @-``: the bytes printf writes become curl's
    standard input (how a body with NUL bytes is written, see curl_write)."""
    if not words or words[0].text != "printf":
        return words
    pipe = next((k for k, w in enumerate(words) if w.op and w.text == "|"), None)
    args = [w.text for w in words[1:pipe] if not w.op]
    if args[:1] == ["--"]:
        args = args[1:]
    if pipe is None or not args:
        return words
    if len(args) > 1:
        state.warn("printf with arguments: only its format is used")
    data, notes = printf_bytes(args[0])
    for note in notes:
        state.warn(note)
    state.stdin = data
    return words[pipe + 1 :]


def _url(state: CurlState) -> str:
    if not state.urls:
        raise FormatError(FMT, "end of command", "a URL")
    if len(state.urls) > 1:
        state.warn(f"{len(state.urls)} URLs given: only the first is used")
    url = state.urls[0]
    if "://" not in url:
        url = "http://" + url  # curl's default scheme
    if not state.globoff and any(c in url.split("://", 1)[1] for c in "{}"):
        state.warn("the URL has {...}: curl would expand it as a glob (add -g to stop it)")
    if not state.path_as_is and has_dot_segments(url):
        url = remove_dot_segments(url)  # as curl does unless --path-as-is
    extra = list(state.queries)
    if state.get and state.pieces:
        extra.append(_joined(state.pieces))
    if extra:
        base, _, fragment = url.partition("#")
        sep = "&" if "?" in base and not base.endswith(("?", "&")) else "" if "?" in base else "?"
        url = base + sep + "&".join(extra) + (f"#{fragment}" if fragment else "")
    return url


def _method(state: CurlState, has_body: bool) -> str:
    if state.head and (has_body or state.parts):
        raise FormatError(FMT, "option -I", "no request body with -I/--head (curl refuses)")
    if state.method:
        return state.method
    if state.head:
        return "HEAD"
    if state.upload:
        return "PUT"
    return "POST" if has_body else "GET"


def _auth(state: CurlState) -> BasicAuth | BearerAuth | DigestAuth | None:
    if state.bearer is not None:
        return BearerAuth(state.bearer)
    if state.user is None:
        return None
    user, colon, password = state.user.partition(":")
    if not colon:
        state.warn(f"-u {user}: curl would prompt for the password; an empty one is used")
    cls = DigestAuth if state.auth_scheme == "digest" else BasicAuth
    return cls(user, password)


def _headers(state: CurlState) -> list[tuple[str, str]]:
    front = [(n, v) for n, v in state.implied.items() if not state.has_header(n)]
    if state.cookies and not state.has_header("cookie"):
        front.append(("Cookie", ";".join(state.cookies)))  # as curl joins them
    order = {"Range": 0, "User-Agent": 1, "Referer": 2, "Cookie": 3}
    return sorted(front, key=lambda h: order[h[0]]) + state.headers


def _body(state: CurlState, headers: list[tuple[str, str]]) -> Body | None:
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


_SMART = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def read_curl(text: str, *, read_file: ReadFile | None = None) -> Parsed:
    """Read a curl command (bash or Windows cmd quoting)."""
    try:
        return _read(text, read_file)
    except FormatError:
        # Commands copied from web pages often come with typographic quotes.
        plain = text.translate(_SMART)
        if plain == text:
            raise
        parsed = _read(plain, read_file)  # if this fails too, its error stands
        parsed.warnings.insert(
            0, "typographic quotes (\u201c\u201d \u2018\u2019) read as shell quotes"
        )
        return parsed


def _read(text: str, read_file: ReadFile | None) -> Parsed:
    state = CurlState(read_file)
    words, variables, _ = split_command(text)
    for variable in dict.fromkeys(variables):
        state.warn(f"shell variable {variable} is kept as written (reqlab does not expand it)")
    read_options(state, _command(words, state))
    url = ""
    try:
        headers = _headers(state)
        body = _body(state, headers)
        url = _url(state)
        if state.upload and url.endswith("/") and body is not None:
            url += state.upload.replace("\\", "/").rsplit("/", 1)[-1]
        follow = state.follow
        redirects = state.max_redirs if state.max_redirs is not None else 50 if follow else 10
        request = Request(
            method=_method(state, (bool(state.pieces) and not state.get) or bool(state.parts)),
            url=url,
            headers=tuple(headers),
            body=body,
            auth=_auth(state)
            if state.aws_sigv4 is None
            else from_curl(state.aws_sigv4, state.user, url),
            version=state.version,
            options=Options(
                timeout=state.timeout,
                connect_timeout=state.connect_timeout,
                follow_redirects=follow,
                max_redirects=redirects,
                verify=state.verify,
                compressed=state.compressed,
            ),
        )
    except InvalidRequest as exc:
        raise FormatError(FMT, _position(exc.field, url), exc.message) from None
    return Parsed(request, state.warnings, FMT)
