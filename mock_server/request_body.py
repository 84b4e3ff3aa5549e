"""Reading a request body off the wire: framed by Content-Length or by chunks, bounded in size.

Every way a body can arrive broken becomes a typed error the front door renders in its own shape,
never an exception a view turns into a 500: a Content-Length that is not a number, a body that
ends before its Content-Length, chunks that do not parse or stop before the last one, and a body
that stops arriving (the server's read timeout, ``Settings.read_timeout_seconds``, raises
``TimeoutError`` in the read). The WSGI server decodes the chunks (werkzeug's ``DechunkedInput``,
gunicorn's ``ChunkedReader``); this module reads ``wsgi.input`` itself rather than Flask's
``request.stream`` so it can tell a stalled body (408) from one the client cut short (400), which
werkzeug's ``LimitedStream`` folds into one ``ClientDisconnected``.
"""

from __future__ import annotations

import io
from typing import Any, Mapping, MutableMapping

from .errors import (
    BadContentLengthError, BodyTimeoutError, IncompleteBodyError, MalformedChunkedBodyError, RequestTooLargeError,
)

READ_SIZE = 64 * 1024
# A Content-Length with more digits than this is beyond any body limit; int() of thousands of digits
# would raise ValueError (Python's int max_str_digits) or cost time for nothing.
MAX_LENGTH_DIGITS = 18


def is_chunked(environ: Mapping[str, Any]) -> bool:
    codings = environ.get("HTTP_TRANSFER_ENCODING", "")
    return any(c.strip().lower() == "chunked" for c in codings.split(","))


def declared_length(environ: Mapping[str, Any]) -> int | None:
    """The Content-Length, or None without one. A chunked body has none: the chunks frame it and a
    Content-Length beside them is ignored (RFC 9112 section 6.3)."""
    raw = (environ.get("CONTENT_LENGTH") or "").strip()
    if not raw or is_chunked(environ):
        return None
    if not (raw.isascii() and raw.isdigit()):  # "-5", "abc", "5, 5", Unicode digits
        raise BadContentLengthError()
    return int(raw) if len(raw) <= MAX_LENGTH_DIGITS else 10**MAX_LENGTH_DIGITS


def read_body(environ: Mapping[str, Any], limit: int) -> bytes:
    """The whole body, or its first ``limit + 1`` bytes when it is larger (the caller refuses that).

    Raises ``RequestTooLargeError`` for a declared length over ``limit`` (nothing read),
    ``BadContentLengthError``, ``IncompleteBodyError``, ``MalformedChunkedBodyError`` or
    ``BodyTimeoutError``. A request with neither a Content-Length nor chunks has no body.
    """
    length = declared_length(environ)
    chunked = is_chunked(environ)
    if length is not None and length > limit:
        raise RequestTooLargeError()
    if length is None and not chunked:
        return b""
    want = limit + 1 if length is None else length
    stream = environ["wsgi.input"]
    parts: list[bytes] = []
    got = 0
    try:
        while got < want:
            piece = stream.read(min(READ_SIZE, want - got))
            if not piece:
                break
            parts.append(piece)
            got += len(piece)
    except TimeoutError:
        raise BodyTimeoutError() from None
    except Exception:  # werkzeug raises OSError for bad chunks, gunicorn its own ParseException/NoMoreData
        raise (MalformedChunkedBodyError() if chunked else IncompleteBodyError()) from None
    if length is not None and got < length:
        raise IncompleteBodyError()
    return b"".join(parts)


def buffer_body(environ: MutableMapping[str, Any], limit: int) -> None:
    """Read the body once (``read_body``) and put it back as a plain stream of its exact length, so
    views that read ``request.get_json()`` or ``request.form`` see a complete body or none: they
    never meet the server's chunk decoder or a socket that times out. Raises as ``read_body``
    does, and ``RequestTooLargeError`` for a body over ``limit``."""
    if not environ.get("CONTENT_LENGTH") and not is_chunked(environ):
        return
    body = read_body(environ, limit)
    if len(body) > limit:
        raise RequestTooLargeError()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)
