"""How a request body can be framed on the wire, right and wrong: one builder per kind.

Each builder takes a gateway request body and a seeded generator and returns an ``Exchange``: the
script a raw socket plays (bytes to send, pauses, a half-close or a plain close) and what the
server owes in return. The kinds are what real clients, proxies and broken networks do to a
request: an exact Content-Length or chunks; a Content-Length larger than the body (the client
then half-closes, or stops and waits), smaller, not a number, negative, twice or huge; chunk sizes
that do not parse; chunks without the last one or cut inside one; both Content-Length and
Transfer-Encoding; a body that stops half way and a half-close or a close; pipelined requests on
a keep-alive connection; a request trickled in small pieces; headers that stop arriving.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"

# Step = ("send", bytes) | ("pause", seconds) | ("shut",) (shutdown(SHUT_WR)) | ("close",) (close, read nothing)
Step = tuple


@dataclass(frozen=True)
class Exchange:
    kind: str
    steps: tuple[Step, ...]
    requests: int = 1  # requests in the script (pipelined: more than one)
    # "required": the server must answer; "optional": it may close instead; "none": the client does not read
    answer: str = "required"
    stalls: bool = False  # the client stops and waits: the server answers (or closes) only after its read timeout

    @property
    def pauses(self) -> float:
        return sum(s[1] for s in self.steps if s[0] == "pause")

    @property
    def sent(self) -> bytes:
        return b"".join(s[1] for s in self.steps if s[0] == "send")

    def describe(self, most: int = 8) -> str:
        parts = []
        for step in self.steps[:most]:
            if step[0] == "send":
                parts.append(f"send {len(step[1])} bytes")
            elif step[0] == "pause":
                parts.append(f"pause {step[1]:.2f}s")
            else:
                parts.append(step[0])
        more = f", ... ({len(self.steps)} steps)" if len(self.steps) > most else ""
        return f"{self.kind}: " + ", ".join(parts) + more


def head(*headers: tuple[str, str], path: str = GATEWAY_PATH) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "User-Agent: intacct-mock-wire-fuzz",
             "Content-Type: application/xml", *(f"{k}: {v}" for k, v in headers), "", ""]
    return "\r\n".join(lines).encode("utf-8")


def chunks(body: bytes, rng: random.Random, *, last: bool = True) -> bytes:
    """``body`` as chunks of random sizes (hex in either case), with the final zero chunk if ``last``."""
    out, pos = bytearray(), 0
    while pos < len(body):
        size = min(len(body) - pos, rng.choice([1, 7, 100, 1000, 4096, len(body)]))
        out += (b"%x" if rng.random() < 0.5 else b"%X") % size + b"\r\n" + body[pos:pos + size] + b"\r\n"
        pos += size
    return bytes(out + (b"0\r\n\r\n" if last else b""))


def _length(body: bytes, length: str | int, *, more: tuple[tuple[str, str], ...] = ()) -> bytes:
    return head(("Content-Length", str(length)), *more) + body


def _end(rng: random.Random) -> tuple[Step, ...]:
    """After a request a correct server answers at once: half-close, or keep the line open."""
    return (("shut",),) if rng.random() < 0.5 else ()


ODD_LENGTHS = ["abc", "-1", "-5", "+5", "0x10", "1e3", "1.0", "5, 5", "12abc", "\u0661\u0662", "NaN", " 1 2 "]
HUGE_LENGTHS = [str(10**9), str(2**31), str(2**63), str(2**64), "9" * 30, "9" * 5000]
BAD_CHUNK_SIZES = [b"zz", b"-1", b"", b" ", b"0x10", b"1;ext=1", b"f" * 24, b"1 1", b"+1", b"\xef\xbc\x98", b"10\n"]


def valid(body, rng):
    return Exchange("valid", (("send", _length(body, len(body))),))


def valid_chunked(body, rng):
    return Exchange("valid_chunked", (("send", head(("Transfer-Encoding", "chunked")) + chunks(body, rng)),))


def expect_continue(body, rng):
    return Exchange("expect_continue", (("send", head(("Content-Length", str(len(body))), ("Expect", "100-continue"))),
                                        ("pause", 0.02), ("send", body)))


def length_over_shut(body, rng):
    return Exchange("length_over_shut", (("send", _length(body, len(body) + rng.randint(1, 1000))), ("shut",)))


def length_over_stall(body, rng):
    return Exchange("length_over_stall", (("send", _length(body, len(body) + rng.randint(1, 1000))),), stalls=True)


def length_under(body, rng):
    return Exchange("length_under", (("send", _length(body, rng.randrange(len(body)))), *_end(rng)))


def length_not_a_number(body, rng):
    return Exchange("length_not_a_number", (("send", _length(body, rng.choice(ODD_LENGTHS))), *_end(rng)))


def length_twice(body, rng):
    other = rng.choice([0, len(body) // 2, len(body) + 10])
    return Exchange("length_twice", (("send", _length(body, len(body), more=(("Content-Length", str(other)),))),
                                     *_end(rng)))


def length_huge(body, rng):
    return Exchange("length_huge", (("send", _length(body, rng.choice(HUGE_LENGTHS))), *_end(rng)))


def chunked_bad_size(body, rng):
    bad = rng.choice(BAD_CHUNK_SIZES)
    return Exchange("chunked_bad_size", (("send", head(("Transfer-Encoding", "chunked")) + bad + b"\r\n" + body
                                          + b"\r\n0\r\n\r\n"), *_end(rng)))


def chunked_no_last_shut(body, rng):
    return Exchange("chunked_no_last_shut", (("send", head(("Transfer-Encoding", "chunked"))
                                              + chunks(body, rng, last=False)), ("shut",)))


def chunked_no_last_stall(body, rng):
    return Exchange("chunked_no_last_stall", (("send", head(("Transfer-Encoding", "chunked"))
                                               + chunks(body, rng, last=False)),), stalls=True)


def chunked_cut(body, rng):
    cut = rng.randrange(len(body))
    return Exchange("chunked_cut", (("send", head(("Transfer-Encoding", "chunked")) + b"%x\r\n" % len(body)
                                     + body[:cut]), ("shut",)))


def both_lengths(body, rng):
    length = rng.choice([0, len(body), len(body) * 2, 10])
    return Exchange("both_lengths", (("send", head(("Content-Length", str(length)), ("Transfer-Encoding", "chunked"))
                                      + chunks(body, rng)), *_end(rng)))


def cut_shut(body, rng):
    return Exchange("cut_shut", (("send", _length(body, len(body))[: -max(1, len(body) // 2)]), ("shut",)))


def cut_close(body, rng):
    return Exchange("cut_close", (("send", _length(body, len(body))[: -max(1, len(body) // 2)]), ("close",)),
                    answer="none")


def pipelined(body, rng):
    n = rng.randint(2, 3)
    one = head(("Content-Length", str(len(body))), ("Connection", "keep-alive")) + body
    return Exchange("pipelined", (("send", one * n),), requests=n)


def trickle(body, rng):
    """A slow client that keeps sending: every gap far below the read timeout, the whole under a second."""
    data = _length(body, len(body))
    pieces = rng.randint(5, 15)
    cuts = sorted(rng.sample(range(1, len(data)), min(pieces - 1, len(data) - 1)))
    steps: list[Step] = []
    for a, b in zip([0, *cuts], [*cuts, len(data)]):
        steps += [("send", data[a:b]), ("pause", rng.uniform(0.005, 0.04))]
    return Exchange("trickle", tuple(steps[:-1]))


def trickle_stall_headers(body, rng):
    """Slowloris: the headers come a few bytes at a time, then stop; the server must give up on them."""
    data = head(("Content-Length", str(len(body))))
    stop = rng.randrange(1, len(data) - 2)
    steps: list[Step] = []
    for at in range(0, stop, 7):
        steps += [("send", data[at:min(at + 7, stop)]), ("pause", 0.01)]
    return Exchange("trickle_stall_headers", tuple(steps), answer="optional", stalls=True)


KINDS: dict[str, Callable[[bytes, random.Random], Exchange]] = {f.__name__: f for f in (
    valid, valid_chunked, expect_continue, length_over_shut, length_over_stall, length_under, length_not_a_number,
    length_twice, length_huge, chunked_bad_size, chunked_no_last_shut, chunked_no_last_stall, chunked_cut,
    both_lengths, cut_shut, cut_close, pipelined, trickle, trickle_stall_headers,
)}
