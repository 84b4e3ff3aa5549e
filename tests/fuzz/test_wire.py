"""The wire slice of the fuzzer (``make fuzz`` runs the full one) and the framing bugs it found.

Every server here is started with a 0.5 s read timeout, so a stalled exchange costs half a second;
every exchange is bounded by ``wire.bound`` (its pauses + 5 s, + the read timeout when it stalls).
"""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest
from lxml import etree

from intacct_mock.fuzz import framing
from intacct_mock.fuzz.corpus import envelope
from intacct_mock.fuzz.framing import Exchange, head
from intacct_mock.fuzz.http_answers import MalformedAnswer, split_answers
from intacct_mock.fuzz.servers import gunicorn_emulator, threaded_emulator
from intacct_mock.fuzz.wire import SLACK_SECONDS, Target, WireHarness, healthy, judge, play

READ_TIMEOUT = 0.5
BODY = envelope("<getAPISession/>")
SEED = 20261201


@pytest.fixture(scope="module", autouse=True)
def quiet():
    logging.disable(logging.CRITICAL)  # the server logs every refusal and timeout
    yield
    logging.disable(logging.NOTSET)


@pytest.fixture(scope="module")
def threaded():
    with threaded_emulator(READ_TIMEOUT) as (target, _server):
        yield target


@pytest.fixture(scope="module")
def workers(tmp_path_factory):
    """``intacct-mock serve --workers 2`` (gunicorn) in a child process."""
    log = tmp_path_factory.mktemp("gunicorn") / "serve.log"
    with gunicorn_emulator(workers=2, read_timeout=READ_TIMEOUT, log=log) as target:
        yield target


def test_the_wire_slice_against_the_threaded_server(tmp_path):
    with threaded_emulator(READ_TIMEOUT) as (target, server):
        result = WireHarness(target, concurrency=4).run(4 * len(framing.KINDS), SEED, tmp_path)
        assert result.failures == [], [f.reason for f in result.failures[:5]]
        assert set(result.by_kind) == set(framing.KINDS)
        assert not any(status.startswith("5") for status in result.statuses)
        started = time.monotonic()
        server.stop()  # joins every request thread: a hung one would hold it
        assert time.monotonic() - started < READ_TIMEOUT + SLACK_SECONDS


def test_the_wire_slice_against_gunicorn_workers(workers, tmp_path):
    result = WireHarness(workers, concurrency=2).run(2 * len(framing.KINDS), SEED, tmp_path)
    assert result.failures == [], [f.reason for f in result.failures[:5]]
    assert healthy(workers) is None


def stall(target: Target, data: bytes) -> socket.socket:
    sock = socket.create_connection((target.host, target.port), timeout=READ_TIMEOUT + SLACK_SECONDS)
    sock.sendall(data)
    return sock


STALLS = [  # one more than gunicorn has workers
    head(("Content-Length", str(len(BODY))))[:40],  # stops inside the headers
    head(("Content-Length", str(len(BODY) + 10))) + BODY,  # ten bytes short of its Content-Length
    head(("Transfer-Encoding", "chunked")) + b"%x\r\n" % len(BODY) + BODY + b"\r\n",  # no last chunk
]


@pytest.mark.parametrize("server", ["threaded", "workers"])
def test_clients_that_stall_do_not_make_the_server_deaf(server, request):
    """More stalled clients than gunicorn has workers, none of which reads or closes: each is let go
    after the read timeout (then gunicorn lingers up to 2 s for the client's FIN, its
    ``close_graceful``), and the health check gets through meanwhile. Before the fix a sync worker
    waited for the arbiter's 330 s worker timeout."""
    target = request.getfixturevalue(server)
    started = time.monotonic()
    sockets = [stall(target, data) for data in STALLS]
    try:
        assert healthy(target) is None
        for sock in sockets:
            answer = b""
            while chunk := sock.recv(65536):  # the server answers 408 or closes: it never waits for ever
                answer += chunk
            answers, _ = split_answers(answer, eof=True)
            assert [a.status for a in answers] in ([], [408])
        assert time.monotonic() - started < READ_TIMEOUT + SLACK_SECONDS
    finally:
        for sock in sockets:
            sock.close()


def errorno(answer) -> str:
    return etree.fromstring(answer.body).findtext("errormessage/error/errorno")


@pytest.mark.parametrize("steps, status", [
    # found by the wire slice: HTTP 500 for chunks that do not parse or end early
    ((("send", head(("Transfer-Encoding", "chunked")) + b"zz\r\n" + BODY + b"\r\n0\r\n\r\n"),), 400),
    ((("send", head(("Transfer-Encoding", "chunked")) + b"%x\r\n" % len(BODY) + BODY + b"\r\n"), ("shut",)), 400),
    ((("send", head(("Transfer-Encoding", "chunked")) + b"%x\r\n" % len(BODY) + BODY[:50]), ("shut",)), 400),
    # found: waits without end for a body that never comes (now 408 after the read timeout)
    ((("send", head(("Content-Length", str(len(BODY) + 10))) + BODY),), 408),
    ((("send", head(("Transfer-Encoding", "chunked")) + b"%x\r\n" % len(BODY) + BODY + b"\r\n"),), 408),
    ((("send", head(("Content-Length", str(len(BODY))), ("Content-Length", str(len(BODY) + 10))) + BODY),), 400),
    # found: a body shorter than its Content-Length, or a Content-Length that is no number, was read as complete
    ((("send", head(("Content-Length", str(len(BODY) + 10))) + BODY), ("shut",)), 400),
    ((("send", head(("Content-Length", "-5")) + BODY),), 400),
    ((("send", head(("Content-Length", "abc")) + BODY),), 400),
    ((("send", head(("Content-Length", "9" * 5000)) + BODY),), 413),  # was int() past max_str_digits: no body
], ids=["chunk-size-zz", "no-last-chunk", "cut-in-a-chunk", "length-over-stall", "chunks-stall", "two-lengths",
        "length-over-shut", "length-negative", "length-abc", "length-5000-digits"])
def test_framing_errors_are_answered_in_the_gateway_xml(threaded, steps, status):
    exchange = Exchange("regression", steps, stalls=status == 408)
    outcome = play(exchange, threaded)
    assert judge(exchange, outcome, threaded) is None
    assert [a.status for a in outcome.answers] == [status]
    assert errorno(outcome.answers[0]) == "GW-0011" if status != 413 else True


@pytest.mark.parametrize("data", [
    head(("Transfer-Encoding", "chunked")) + framing.chunks(BODY, __import__("random").Random(1)),
    head(("Transfer-Encoding", "chunked"), ("Content-Length", "7")) + b"%x\r\n" % len(BODY) + BODY + b"\r\n0\r\n\r\n",
    head(("Content-Length", str(len(BODY))), ("Expect", "100-continue")) + BODY,
], ids=["chunked", "chunked-beside-a-content-length", "expect-100-continue"])
def test_chunked_and_expect_continue_bodies_are_accepted(threaded, data):
    exchange = Exchange("accepted", (("send", data),))
    outcome = play(exchange, threaded)
    assert judge(exchange, outcome, threaded) is None
    assert [a.status for a in outcome.answers] == [200]
    assert etree.fromstring(outcome.answers[0].body).findtext("operation/result/status") == "success"


JSON = b'{"grant_type": "client_credentials"}'


@pytest.mark.parametrize("path, shape", [
    ("/ia/api/v1/oauth2/token", lambda doc: doc["ia::result"]["ia::error"]["code"]),
    ("/ia/api/v1/objects/accounts-payable/vendor", lambda doc: doc["ia::result"]["ia::error"]["code"]),
    ("/_mock/faults", lambda doc: doc["error"]["message"]),
], ids=["rest-token", "rest-object", "admin"])
@pytest.mark.parametrize("framing_, status", [
    (lambda h: h(("Transfer-Encoding", "chunked")) + b"zz\r\n" + JSON + b"\r\n0\r\n\r\n", 400),  # was HTTP 500
    (lambda h: h(("Content-Length", "abc")) + JSON, 400),
    (lambda h: h(("Content-Length", str(len(JSON) + 5))) + JSON, 408),  # was a wait without end
], ids=["bad-chunk", "length-abc", "length-over-stall"])
def test_the_other_doors_refuse_broken_bodies_in_their_own_shape(threaded, path, shape, framing_, status):
    import json

    exchange = Exchange("other-door", (("send", framing_(lambda *h: head(("Accept", "application/json"), *h,
                                                                        path=path))),), stalls=status == 408)
    outcome = play(exchange, threaded)
    assert [a.status for a in outcome.answers] == [status]
    assert shape(json.loads(outcome.answers[0].body))


# --------------------------------------------------------------------------- the invariants bite


class CannedServer:
    """A loopback server that reads a request and sends fixed bytes (or nothing): a planted bug."""

    def __init__(self, answer: bytes | None) -> None:
        self.answer = answer
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.target = Target("127.0.0.1", self.listener.getsockname()[1], 0.0, slack=PLANTED_SLACK)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            conn.recv(65536)
            if self.answer is None:
                time.sleep(PLANTED_SLACK * 3)  # hangs past the bound
                return
            conn.sendall(self.answer)

    def close(self) -> None:
        self.listener.close()


PLANTED_SLACK = 0.5
XML = b'<?xml version="1.0"?><response><control><status>success</status></control></response>'


@pytest.mark.parametrize("answer, problem", [
    (b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n", "HTTP 500"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\nX-Mock-Server-Pid: 1\r\n\r\n" + XML, "malformed HTTP answer"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/xml\r\nX-Mock-Server-Pid: 1\r\n\r\n<resp",
     "not well-formed XML"),
    (b"HTTP/1.1 OK\r\n\r\n", "malformed HTTP answer"),
    (b"", "closed without an answer"),
    (None, "no answer and no close"),
], ids=["500", "short-body", "bad-xml", "bad-status-line", "no-answer", "hang"])
def test_the_wire_invariants_catch_a_planted_bug(answer, problem):
    server = CannedServer(answer)
    try:
        exchange = Exchange("planted", (("send", head(("Content-Length", str(len(BODY)))) + BODY),))
        assert problem in (judge(exchange, play(exchange, server.target), server.target) or "")
    finally:
        server.close()


def test_answers_are_split_strictly():
    ok = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 204 No Content\r\n\r\n"
    assert [a.status for a in split_answers(ok, eof=True)[0]] == [200, 204]
    chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
    assert split_answers(chunked, eof=True)[0][0].body == b"hi"
    assert split_answers(chunked[:-3], eof=False) == ([], chunked[:-3])
    for broken in (chunked[:-3], b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\nextra",
                   b"HTTP/1.1 200 OK\r\nBad Header\r\n\r\n"):
        with pytest.raises(MalformedAnswer):
            split_answers(broken, eof=True)
