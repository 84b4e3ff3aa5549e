"""``request_body.read_body``: every way a body arrives broken is a typed error, whatever the WSGI server."""

from __future__ import annotations

import io

import pytest

from intacct_mock.errors import (
    BadContentLengthError, BodyTimeoutError, IncompleteBodyError, MalformedChunkedBodyError, RequestTooLargeError,
)
from intacct_mock.request_body import buffer_body, declared_length, read_body


class Failing(io.RawIOBase):
    """A ``wsgi.input`` that gives ``data`` and then raises ``error`` (a server's stream mid-body)."""

    def __init__(self, data: bytes, error: BaseException) -> None:
        self.data, self.error = data, error

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.data:
            out, self.data = self.data[:size], self.data[size:]
            return out
        raise self.error


class ParseException(Exception):
    """Stands in for gunicorn's (not an OSError): raised from its chunk reader."""


def environ(body, **headers) -> dict:
    stream = body if not isinstance(body, bytes) else io.BytesIO(body)
    return {"wsgi.input": stream, **{k: v for k, v in headers.items()}}


@pytest.mark.parametrize("raw", ["abc", "-5", "+5", "0x10", "5, 5", "\u0661", "1.0"])
def test_a_content_length_that_is_not_a_non_negative_integer_is_refused(raw):
    with pytest.raises(BadContentLengthError):
        read_body(environ(b"<x/>", CONTENT_LENGTH=raw), 100)


def test_a_content_length_of_thousands_of_digits_is_too_large_not_a_value_error():
    assert declared_length({"CONTENT_LENGTH": "9" * 5000}) > 10**17
    with pytest.raises(RequestTooLargeError):
        read_body(environ(b"<x/>", CONTENT_LENGTH="9" * 5000), 100)


def test_no_framing_means_no_body_and_chunks_win_over_a_content_length():
    assert read_body(environ(b"<x/>"), 100) == b""
    assert read_body(environ(b"<x/>", CONTENT_LENGTH=""), 100) == b""
    chunked = environ(b"<x/>", CONTENT_LENGTH="abc", HTTP_TRANSFER_ENCODING="chunked")  # the server decoded the chunks
    assert read_body(chunked, 100) == b"<x/>"


def test_a_body_is_read_whole_and_over_the_limit_by_one_byte_at_most():
    assert read_body(environ(b"a" * 200_000, CONTENT_LENGTH="200000"), 300_000) == b"a" * 200_000
    assert len(read_body(environ(b"a" * 500, HTTP_TRANSFER_ENCODING="chunked"), 100)) == 101


@pytest.mark.parametrize("env, error", [
    (environ(b"<x/>", CONTENT_LENGTH="10"), IncompleteBodyError),
    (environ(Failing(b"<x", ConnectionResetError()), CONTENT_LENGTH="10"), IncompleteBodyError),
    (environ(Failing(b"<x", TimeoutError()), CONTENT_LENGTH="10"), BodyTimeoutError),
    (environ(Failing(b"<x", TimeoutError()), HTTP_TRANSFER_ENCODING="chunked"), BodyTimeoutError),
    (environ(Failing(b"<x", OSError("Invalid chunk header")), HTTP_TRANSFER_ENCODING="chunked"),
     MalformedChunkedBodyError),
    (environ(Failing(b"", ParseException("Invalid chunk size")), HTTP_TRANSFER_ENCODING="gzip, chunked"),
     MalformedChunkedBodyError),
], ids=["short", "reset", "stalled", "chunks-stalled", "werkzeug-bad-chunk", "gunicorn-bad-chunk"])
def test_a_body_cut_short_stalled_or_badly_chunked_is_a_typed_error(env, error):
    with pytest.raises(error) as caught:
        read_body(env, 100)
    assert caught.value.http_status == (408 if error is BodyTimeoutError else 400)


def test_a_buffered_body_is_a_plain_stream_of_its_exact_length():
    # wsgi.input as the server's chunk decoder yields it
    env = environ(b'{"a": 1}', HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input_terminated": True})
    buffer_body(env, 100)
    assert env["wsgi.input"].read() == b'{"a": 1}' and env["CONTENT_LENGTH"] == "8"
    assert "HTTP_TRANSFER_ENCODING" not in env and "wsgi.input_terminated" not in env
    untouched = environ(b"")
    buffer_body(untouched, 100)
    assert "CONTENT_LENGTH" not in untouched
    with pytest.raises(RequestTooLargeError):
        buffer_body(environ(b"a" * 101, HTTP_TRANSFER_ENCODING="chunked"), 100)
