"""HTTP to the gateway, and the one question that matters after a failure: did the request get there?

``NotDelivered``: the connection never carried the request (refused, DNS, connect timeout), so
nothing can have run and anything may be resent. ``AnswerLost``: the request went out and the
answer did not come back whole (reset, closed, read timeout, truncated body): a write may have
committed. HTTP-level failures keep their status so the caller can decide.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from urllib3.exceptions import NewConnectionError, ProtocolError

USER_AGENT = "intacct-mock-reference-client/0.1"


class NotDelivered(Exception):
    pass


class AnswerLost(Exception):
    pass


@dataclass
class HttpAnswer:
    status: int
    body: bytes
    content_type: str
    retry_after: float | None


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _never_connected(exc: requests.ConnectionError) -> bool:
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, NewConnectionError) or isinstance(cause, ConnectionRefusedError):
            return True
        if isinstance(cause, ProtocolError):
            return False
        nxt = getattr(cause, "reason", None) or cause.__cause__ or cause.__context__
        cause = nxt if isinstance(nxt, BaseException) else None
        if cause is None and exc.args and isinstance(exc.args[0], BaseException) and id(exc.args[0]) not in seen:
            cause = exc.args[0]
    return False


class Transport:
    def __init__(self, timeout: float, session: requests.Session | None = None) -> None:
        self.timeout = timeout
        self.http = session or requests.Session()
        self.http.headers.update({"Content-Type": "application/xml", "User-Agent": USER_AGENT})

    def post(self, url: str, body: bytes) -> HttpAnswer:
        try:
            r = self.http.post(url, data=body, timeout=self.timeout)
            content = r.content  # reading the body may itself fail (truncated answers)
        except requests.ConnectTimeout as exc:
            raise NotDelivered(str(exc)) from exc
        except requests.ConnectionError as exc:
            if _never_connected(exc):
                raise NotDelivered(str(exc)) from exc
            raise AnswerLost(str(exc)) from exc
        except (requests.ReadTimeout, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise AnswerLost(str(exc)) from exc
        return HttpAnswer(r.status_code, content, r.headers.get("Content-Type", ""),
                          _parse_retry_after(r.headers.get("Retry-After")))


class InProcessTransport:
    """The gateway called in this process instead of over HTTP (``XmlGateway.handle``): no socket,
    the same answers. A lost acknowledgement (``drop_ack``) is ``AnswerLost`` here too, because the
    request was handled and its answer never reached the caller.

    ``gateway`` is anything with the ``handle(body, *, endpoint, ...)`` of
    ``intacct_mock.gateway.pipeline.XmlGateway``; this module imports nothing of the emulator, so
    the client stays usable against a real Intacct without it.
    """

    def __init__(self, gateway, remote_addr: str = "127.0.0.1") -> None:
        self.gateway = gateway
        self.remote_addr = remote_addr

    def post(self, url: str, body: bytes) -> HttpAnswer:
        reply = self.gateway.handle(body, remote_addr=self.remote_addr, endpoint=url,
                                    headers={"Content-Type": "application/xml", "User-Agent": USER_AGENT})
        if reply.drop is not None:
            raise AnswerLost(f"acknowledgement dropped in process ({reply.drop.variant})")
        return HttpAnswer(reply.status, reply.body, reply.content_type,
                          _parse_retry_after(reply.headers.get("Retry-After")))
