"""Mutations of real requests: structural (XML-aware) and byte-level, from a seeded generator."""

from __future__ import annotations

import random

NASTY_VALUES = [
    "", " ", "'", "''", "\\'", "%", "_", "\x00", "\x01\x02", "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "ignore"),
    "é" * 10, "😀", "A" * 70000, "9" * 400, "-1", "1e309", "NaN", "13/45/2026", "02/30/2026", "00/00/0000",
    "9999-12-31", "2026-03-01T00:00:00Z", "<", "&amp;", "&lt;&gt;", "]]>", "<![CDATA[x]]>", "&#0;", "&#xFFFF;",
    "' OR '1'='1", "NAME = 'x' ORDER BY 1", "(((((", "))))", "rownum", "`x`", "\t\n\r", "true", "T", "F", "*",
]
NASTY_FRAGMENTS = [
    b'<!DOCTYPE r [<!ENTITY e "x">]>', b'<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>', b"&e;",
    b'<?xml version="1.0" encoding="UTF-16"?>', b"\xef\xbb\xbf", b"\xff\xfe", b"<a>" * 300 + b"</a>" * 300,
    b"<![CDATA[", b"]]>", b"<!--", b"-->", b"</request>", b"<request>", b"<function controlid=\"x\">", b"</function>",
    b"<content>", b"</content>", b"<authentication>", b"<sessionid>abc</sessionid>", b"\x00", b"\xc3\x28",
    b"<query>", b"</query>", b"<value>", b"<and>", b"<or>", b"<filter>", b"<pagesize>0</pagesize>",
    b"<pagesize>100000</pagesize>", b"<keys>" + b"1," * 500 + b"</keys>",
]


def _text_spans(data: bytes) -> list[tuple[int, int]]:
    spans, pos = [], 0
    while True:
        start = data.find(b">", pos)
        if start < 0:
            return spans
        end = data.find(b"<", start + 1)
        if end < 0:
            return spans
        if end > start + 1:
            spans.append((start + 1, end))
        pos = end


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Mostly value mutations (they reach the business rules), some structural, some raw bytes."""
    roll = rng.random()
    if roll < 0.55:
        kinds = [0]
    elif roll < 0.75:
        kinds = [4, 5, 7, 8]
    else:
        kinds = [1, 2, 3, 6]
    for _ in range(rng.randint(1, 3)):
        data = _one(data, rng, rng.choice(kinds))
    return data


def _one(data: bytes, rng: random.Random, kind: int) -> bytes:
    if kind == 0:  # replace a text value with a nasty one
        spans = _text_spans(data)
        if spans:
            a, b = rng.choice(spans)
            value = rng.choice(NASTY_VALUES).encode("utf-8", "ignore")
            return data[:a] + value + data[b:]
    if kind == 1:  # insert a nasty fragment anywhere
        at = rng.randrange(len(data) + 1)
        return data[:at] + rng.choice(NASTY_FRAGMENTS) + data[at:]
    if kind == 2 and data:  # delete a chunk
        a = rng.randrange(len(data))
        return data[:a] + data[a + rng.randint(1, 40):]
    if kind == 3 and data:  # flip bytes
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    if kind == 4:  # duplicate a chunk (repeated elements, wrong nesting)
        a = rng.randrange(len(data) + 1)
        b = min(len(data), a + rng.randint(1, 200))
        return data[:b] + data[a:b] + data[b:]
    if kind == 5:  # swap two tags' names
        tags = [t for t in (b"object", b"query", b"fields", b"keys", b"VENDORID", b"RECORDID", b"APBILLITEMS",
                            b"content", b"function", b"control", b"login", b"value", b"field") if t in data]
        if len(tags) >= 2:
            x, y = rng.sample(tags, 2)
            return data.replace(x, b"\x00TMP\x00").replace(y, x).replace(b"\x00TMP\x00", y)
    if kind == 6:  # truncate
        return data[: rng.randrange(len(data) + 1)]
    if kind == 7:  # deep nesting inside a value
        depth = rng.choice([10, 100, 1000, 5000])
        at = data.find(b"<content>")
        if at >= 0:
            at += len(b"<content>")
            return data[:at] + b"<x>" * depth + b"</x>" * depth + data[at:]
    # 8: an odd encoding declaration or none at all
    return data.replace(b'encoding="UTF-8"', rng.choice([b'encoding="latin-1"', b'encoding="ascii"', b"", b'encoding="x"']))
