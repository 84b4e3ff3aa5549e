"""Raw HTTP/1.1 answers read off a socket's bytes, strictly: the wire fuzzer's view of the server.

No HTTP library sits between the fuzzer and the server, so nothing forgives a broken answer: a
status line that does not parse, a header line without a name, a body shorter than its
Content-Length, bad chunks or bytes after an answer that said ``Connection: close`` are all
``MalformedAnswer``. Interim 1xx answers (``100 Continue``) are read and skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STATUS_LINE = re.compile(rb"HTTP/1\.[01] ([1-5][0-9][0-9])(?: [^\r\n]*)?")
HEADER_NAME = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


class MalformedAnswer(Exception):
    """The bytes are not a well-formed HTTP/1.1 answer; the message says where."""


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)

    @property
    def closes(self) -> bool:
        return "close" in (self.header("Connection") or "").lower()


def split_answers(data: bytes, *, eof: bool) -> tuple[list[HttpAnswer], bytes]:
    """The complete final answers at the start of ``data`` and the bytes not yet part of one.

    ``eof``: the server closed the connection, so an answer framed by the close ends here and a
    partial one is an error. Raises ``MalformedAnswer``.
    """
    answers: list[HttpAnswer] = []
    while data:
        if answers and answers[-1].closes:
            raise MalformedAnswer(f"{len(data)} bytes after an answer that said Connection: close")
        end = data.find(b"\r\n\r\n")
        if end < 0:
            if eof:
                raise MalformedAnswer(f"answer cut off in its headers: {data[:80]!r}")
            return answers, data
        status, headers = _head(data[:end])
        rest = data[end + 4:]
        if 100 <= status < 200:
            data = rest
            continue
        body, rest, complete = _body(status, headers, rest, eof)
        if not complete:
            return answers, data
        answers.append(HttpAnswer(status, headers, body))
        data = rest
    return answers, b""


def _head(raw: bytes) -> tuple[int, tuple[tuple[str, str], ...]]:
    lines = raw.split(b"\r\n")
    match = STATUS_LINE.fullmatch(lines[0])
    if not match:
        raise MalformedAnswer(f"bad status line {lines[0][:80]!r}")
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not HEADER_NAME.fullmatch(name):
            raise MalformedAnswer(f"bad header line {line[:80]!r}")
        headers.append((name.decode("ascii"), value.strip().decode("latin-1")))
    return int(match.group(1)), tuple(headers)


def _body(status: int, headers: tuple[tuple[str, str], ...], rest: bytes, eof: bool) -> tuple[bytes, bytes, bool]:
    """(body, bytes after it, whether the body is complete)."""
    fields = {k.lower(): v for k, v in headers}
    if status in (204, 304):
        return b"", rest, True
    if "chunked" in fields.get("transfer-encoding", "").lower():
        return _chunks(rest, eof)
    if "content-length" in fields:
        raw = fields["content-length"]
        if not raw.isdigit():
            raise MalformedAnswer(f"bad Content-Length {raw!r} in the answer")
        length = int(raw)
        if len(rest) >= length:
            return rest[:length], rest[length:], True
        if eof:
            raise MalformedAnswer(f"answer body is {len(rest)} bytes, its Content-Length says {length}")
        return b"", rest, False
    return (rest, b"", True) if eof else (b"", rest, False)  # framed by the close


def _chunks(data: bytes, eof: bool) -> tuple[bytes, bytes, bool]:
    body, pos = bytearray(), 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            break
        size_text = data[pos:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise MalformedAnswer(f"bad chunk size {size_text[:40]!r} in the answer") from None
        start = end + 2
        if size == 0:
            trailer_end = data.find(b"\r\n\r\n", end)
            if trailer_end >= 0:
                return bytes(body), data[trailer_end + 4:], True
            break
        if len(data) < start + size + 2:
            break
        if data[start + size:start + size + 2] != b"\r\n":
            raise MalformedAnswer("answer chunk not followed by CRLF")
        body += data[start:start + size]
        pos = start + size + 2
    if eof:
        raise MalformedAnswer("chunked answer ends before its last chunk")
    return b"", data, False
