"""The call upstream: one HTTP POST to the Intacct endpoint the proxy fronts, with bounded timeouts.

``requests`` exceptions stop here (httpx's ``map_exceptions`` idea): a failure to connect becomes
``UpstreamUnreachableError`` (the request never left, so nothing ran upstream), a read timeout or
a connection lost after sending becomes ``UpstreamAnswerLostError`` (the upstream may have
committed). The two matter differently to a client deciding whether to retry, so they stay apart.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Mapping
from urllib.parse import urlsplit

import requests

from ..errors import UpstreamAnswerLostError, UpstreamUnreachableError

CONNECT_TIMEOUT_SECONDS = 10.0
READ_TIMEOUT_SECONDS = 150.0  # Intacct's own limit on a request is about two minutes
MAX_ANSWER_BYTES = 64 * 1024 * 1024

# Client headers worth passing on; the rest (Host, Content-Length, X-Mock-Fault ...) is the proxy's business.
FORWARDED_REQUEST_HEADERS = ("content-type", "user-agent", "accept", "accept-language")
# Upstream headers the proxy's own server writes (or that describe the upstream connection, not the answer).
DROPPED_ANSWER_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length",
                                    "content-encoding", "date", "server", "set-cookie", "proxy-connection",
                                    "upgrade", "trailer", "te"})


@dataclass
class UpstreamAnswer:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def check_url(url: str) -> str:
    """The upstream URL if it can be forwarded to; ValueError saying why not."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--upstream must be an http(s) URL such as https://api.intacct.com/ia/xml/xmlgw.phtml; "
                         f"got {url!r}")
    return url


class Upstream:
    """The Intacct endpoint a proxy forwards to. One ``requests.Session`` per thread (the server is
    threaded and sessions are not documented as thread-safe), so connections are reused."""

    def __init__(self, url: str, *, connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
                 read_timeout: float = READ_TIMEOUT_SECONDS) -> None:
        self.url = check_url(url)
        parts = urlsplit(url)
        self.host = parts.hostname + (f":{parts.port}" if parts.port else "")  # for messages: never the query
        self.timeouts = (connect_timeout, read_timeout)
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.trust_env = False  # no proxy settings or .netrc credentials picked up from the environment
        return session

    def post(self, body: bytes, headers: Mapping[str, str]) -> UpstreamAnswer:
        """Forward ``body``; the upstream's answer whatever its status, or a typed upstream error."""
        sent = {k: v for k, v in headers.items() if k.lower() in FORWARDED_REQUEST_HEADERS}
        sent.setdefault("Content-Type", "application/xml")
        try:
            with self._session().post(self.url, data=body, headers=sent, timeout=self.timeouts, stream=True,
                                      allow_redirects=False) as r:
                content = _read_capped(r)
                answer = UpstreamAnswer(r.status_code, content, r.headers.get("Content-Type", "text/xml"),
                                        {k: v for k, v in r.headers.items() if k.lower() not in DROPPED_ANSWER_HEADERS
                                         and k.lower() != "content-type"})
        except requests.ConnectTimeout:
            raise UpstreamUnreachableError(f"at {self.host} did not accept the connection within "
                                           f"{self.timeouts[0]:g} s; the request was not sent") from None
        except requests.ConnectionError as exc:
            if _never_sent(exc):
                raise UpstreamUnreachableError(f"at {self.host} cannot be reached ({_reason(exc)}); "
                                               "the request was not sent") from None
            raise UpstreamAnswerLostError(f"at {self.host} closed the connection before answering ({_reason(exc)}); "
                                          "it may have processed the request") from None
        except requests.Timeout:
            raise UpstreamAnswerLostError(f"at {self.host} did not answer within {self.timeouts[1]:g} s; "
                                          "it may have processed the request") from None
        except requests.RequestException as exc:
            raise UpstreamAnswerLostError(f"at {self.host} gave an answer the proxy cannot read ({_reason(exc)})"
                                          ) from None
        return answer


def _read_capped(r: requests.Response) -> bytes:
    chunks, size = [], 0
    for chunk in r.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise requests.exceptions.ContentDecodingError(f"answer larger than {MAX_ANSWER_BYTES // 2**20} MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _never_sent(exc: requests.ConnectionError) -> bool:
    """A connection that was never made (refused, DNS, no route, TLS handshake): safe to say nothing ran."""
    text = repr(exc)
    return isinstance(exc, requests.exceptions.SSLError) or any(
        marker in text for marker in ("NewConnectionError", "NameResolutionError", "Failed to establish",
                                      "Connection refused", "No route to host", "Name or service not known"))


def _reason(exc: BaseException) -> str:
    """A short cause, without URLs (they may carry a sandbox's query string)."""
    text = str(exc)
    for marker in ("Connection refused", "Connection reset by peer", "Remote end closed connection without response",
                   "Name or service not known", "No route to host", "certificate verify failed", "timed out",
                   "IncompleteRead"):
        if marker in text:
            return marker.lower() if marker != "IncompleteRead" else "the answer was cut short"
    if text.startswith("answer larger than"):
        return text
    return type(exc).__name__
