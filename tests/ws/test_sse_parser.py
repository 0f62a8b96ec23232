"""The SSE parser against the WHATWG examples and, by property, against a plain
character-by-character reading of the spec fed the whole stream at once."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from reqlab.protocol.sse import Comment, SSEEvent, SSEParser


def reference(stream: bytes) -> tuple[list[tuple[str, str, str]], str, int | None]:
    """HTML 9.2.6 read literally: decode, drop one BOM, walk the characters."""
    text = stream.decode("utf-8", "replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines, current, i = [], "", 0
    while i < len(text):
        c = text[i]
        if c == "\r":
            lines.append(current)
            current = ""
            if i + 1 < len(text) and text[i + 1] == "\n":
                i += 1
        elif c == "\n":
            lines.append(current)
            current = ""
        else:
            current += c
        i += 1
    # `current` (no line end yet) is never processed: the stream ended inside it
    events, data, etype, id_buffer, last_id, retry = [], "", "", "", "", None
    for line in lines:
        if line == "":
            last_id = id_buffer
            if data == "":
                etype = ""
                continue
            if data.endswith("\n"):
                data = data[:-1]
            events.append((etype or "message", data, last_id))
            data, etype = "", ""
            continue
        if line.startswith(":"):
            continue
        if ":" in line:
            field, value = line.split(":", 1)
            if value.startswith(" "):
                value = value[1:]
        else:
            field, value = line, ""
        if field == "event":
            etype = value
        elif field == "data":
            data += value + "\n"
        elif field == "id" and "\0" not in value:
            id_buffer = value
        elif field == "retry" and value and all(ch in "0123456789" for ch in value):
            retry = int(value)
    return events, last_id, retry


def parse_in_chunks(
    stream: bytes, cuts: list[int]
) -> tuple[list[tuple[str, str, str]], str, int | None]:
    parser = SSEParser()
    out: list[SSEEvent | Comment] = []
    pos = 0
    for cut in sorted(set(cuts)):
        out += parser.feed(stream[pos:cut])
        pos = cut
    out += parser.feed(stream[pos:])
    events = [(e.event, e.data, e.id) for e in out if isinstance(e, SSEEvent)]
    return events, parser.last_event_id, parser.retry


_values = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)),
        max_size=8,
    ),
    st.sampled_from(["", " ", "  x", "12", "0", "1a", "\0", "é", "3000"]),
)
_lines = st.one_of(
    st.tuples(
        st.sampled_from(["event", "data", "id", "retry", "", "other", "Data", "data "]), _values
    ).map(lambda fv: f"{fv[0]}:{fv[1]}"),
    st.sampled_from(["", "", "data", "event", "id", ": comment", ":", "retry"]),
    _values,
)
_streams = st.tuples(
    st.booleans(),
    st.lists(st.tuples(_lines, st.sampled_from(["\n", "\r", "\r\n"])), max_size=14),
    st.sampled_from([b"", b"\xff", b"\xef\xbb", b"data: tail"]),
).map(
    lambda t: (
        (b"\xef\xbb\xbf" if t[0] else b"")
        + "".join(line + end for line, end in t[1]).encode()
        + t[2]
    )
)


@given(stream=_streams, cuts=st.lists(st.integers(0, 200), max_size=8))
@example(stream=b"data: a\r\ndata: b\n\n", cuts=[8])  # CRLF split between chunks
@example(stream=b"data: a\r\r", cuts=[8])  # CR CR: two line ends
@example(stream=b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\n", cuts=[1, 2])  # only one BOM dropped
def test_the_parser_agrees_with_a_literal_reading_of_the_spec(stream, cuts):
    assert parse_in_chunks(stream, [c for c in cuts if c <= len(stream)]) == reference(stream)


def test_whatwg_examples():
    p = SSEParser()
    # the spec's own examples (HTML 9.2.6)
    out = p.feed(b"data: YHOO\ndata: +2\ndata: 10\n\n")
    assert out == [SSEEvent("message", "YHOO\n+2\n10", "")]
    out = p.feed(
        b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n"
    )
    assert [e for e in out if isinstance(e, SSEEvent)] == [
        SSEEvent("message", "first event", "1"),
        SSEEvent("message", "second event", ""),
        SSEEvent("message", " third event", ""),
    ]
    assert out[0] == Comment(" test stream")
    assert SSEParser().feed(b"data\n\ndata\ndata\n\ndata:") == [
        SSEEvent("message", "", ""),
        SSEEvent("message", "\n", ""),
    ]
    p = SSEParser()
    assert p.feed(b"event: add\ndata: 73857293\nretry: 250\nid: 7\n\n") == [
        SSEEvent("add", "73857293", "7")
    ]
    assert (p.retry, p.last_event_id) == (250, "7")
