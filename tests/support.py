"""Test support: build request envelopes, send them over real HTTP, read responses with lxml.

Tests build XML with these helpers (never by hand in each test) so the envelope is written once.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping
from xml.sax.saxutils import escape

import requests
from lxml import etree
from intacct_mock.testing.server_thread import ServerThread  # noqa: F401  (the one harness; tests import it here)

SENDER = ("mock-sender", "mock-sender-pw")
_ids = itertools.count(1)


def fn(body: str, controlid: str | None = None) -> str:
    """One <function> element around a function body."""
    cid = controlid or f"f-{next(_ids)}"
    return f'<function controlid="{escape(cid)}">{body}</function>'


def envelope(
    functions: str | Iterable[str],
    *,
    login: tuple[str, str, str] | tuple[str, str, str, str] | None = None,
    session: str | None = None,
    sender: tuple[str, str] = SENDER,
    controlid: str = "req-1",
    uniqueid: str | None = "false",
    dtdversion: str | None = "3.0",
    transaction: str | None = None,
    includewhitespace: str = "false",
) -> bytes:
    if not isinstance(functions, str):
        functions = "".join(functions)
    parts = [f"<senderid>{escape(sender[0])}</senderid><password>{escape(sender[1])}</password>",
             f"<controlid>{escape(controlid)}</controlid>"]
    if uniqueid is not None:
        parts.append(f"<uniqueid>{uniqueid}</uniqueid>")
    if dtdversion is not None:
        parts.append(f"<dtdversion>{dtdversion}</dtdversion>")
    parts.append(f"<includewhitespace>{includewhitespace}</includewhitespace>")
    if session is not None:
        auth = f"<sessionid>{escape(session)}</sessionid>"
    else:
        assert login is not None
        user, company, password, *loc = login
        loc_xml = f"<locationid>{escape(loc[0])}</locationid>" if loc else ""
        auth = (f"<login><userid>{escape(user)}</userid><companyid>{escape(company)}</companyid>"
                f"<password>{escape(password)}</password>{loc_xml}</login>")
    tx = f' transaction="{transaction}"' if transaction is not None else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><request><control>{"".join(parts)}</control>'
            f"<operation{tx}><authentication>{auth}</authentication><content>{functions}</content></operation></request>"
            ).encode("utf-8")


def record_xml(tag: str, data: Mapping[str, Any]) -> str:
    """``{"A": 1, "B": {"C": 2}, "ITEMS": {"ITEM": [{...}]}}`` -> XML text."""
    out = []
    for key, value in data.items():
        if isinstance(value, list):
            out.extend(record_xml(key, v) if isinstance(v, Mapping) else f"<{key}>{escape(str(v))}</{key}>" for v in value)
        elif isinstance(value, Mapping):
            out.append(record_xml(key, value))
        else:
            out.append(f"<{key}>{escape('' if value is None else str(value))}</{key}>")
    return f"<{tag}>{''.join(out)}</{tag}>"


@dataclass
class Reply:
    status: int
    body: bytes
    headers: Mapping[str, str]

    @property
    def xml(self) -> etree._Element:
        return etree.fromstring(self.body)

    def results(self) -> list[etree._Element]:
        return self.xml.findall("operation/result")

    def result(self, index: int = 0) -> etree._Element:
        found = self.results()
        assert len(found) > index, self.body.decode()
        return found[index]

    def errors(self, where: str = "operation/result/errormessage/error") -> list[dict[str, str]]:
        return [{c.tag: (c.text or "") for c in e} for e in self.xml.findall(where)]

    def errornos(self, where: str = "operation/result/errormessage/error") -> list[str]:
        return [e["errorno"] for e in self.errors(where)]

    def text(self, path: str) -> str | None:
        return self.xml.findtext(path)


@dataclass
class Gateway:
    """A client for the emulator under test: posts envelopes to the real HTTP endpoint."""

    url: str
    company: str = "DEMO"
    user: tuple[str, str] = ("ws_user", "ws_user_pw")
    http: requests.Session = field(default_factory=requests.Session)

    def post(self, body: bytes, **headers: str) -> Reply:
        r = self.http.post(self.url, data=body, headers={"Content-Type": "application/xml", **headers}, timeout=30)
        return Reply(r.status_code, r.content, r.headers)

    def call(self, *functions: str, **kw: Any) -> Reply:
        kw.setdefault("login", (self.user[0], self.company, self.user[1]) if "session" not in kw else None)
        return self.post(envelope(list(functions), **kw))

    def ok(self, *functions: str, **kw: Any) -> Reply:
        """Call and assert every result succeeded."""
        reply = self.call(*functions, **kw)
        assert reply.status == 200, reply.body.decode()
        statuses = [r.findtext("status") for r in reply.results()]
        assert statuses and all(s == "success" for s in statuses), reply.body.decode()
        return reply

    def create(self, obj: str, data: Mapping[str, Any], **kw: Any) -> Reply:
        return self.call(fn(f"<create>{record_xml(obj, data)}</create>"), **kw)

    def query(self, obj: str, query: str = "", fields: str = "*", pagesize: int | None = None, **kw: Any) -> Reply:
        ps = f"<pagesize>{pagesize}</pagesize>" if pagesize else ""
        return self.call(fn(f"<readByQuery><object>{obj}</object><fields>{fields}</fields>"
                            f"<query>{escape(query)}</query>{ps}</readByQuery>"), **kw)

    def session(self, **kw: Any) -> str:
        reply = self.ok(fn("<getAPISession/>"), **kw)
        return reply.result().findtext("data/api/sessionid")


def read_record(gw: Gateway, obj: str, recordno: int | str):
    """``read`` one record by RECORDNO; the record element or None."""
    reply = gw.ok(fn(f"<read><object>{obj}</object><keys>{recordno}</keys><fields>*</fields></read>"))
    return reply.result().find(f"data/{obj}")


def count_records(gw: Gateway, obj: str, query: str = "") -> int:
    """How many records a readByQuery matches (its totalcount)."""
    reply = gw.query(obj, query, fields="RECORDNO")
    data = reply.result().find("data")
    assert data is not None, reply.body.decode()
    return int(data.get("totalcount"))


@contextmanager
def served(command: list[str], db: Path, *extra: str, cwd: Path | None = None) -> Iterator[str]:
    """``<command> serve`` in a process of its own on a port the kernel picks; yields its base URL
    (read from the "listening on" line), stops it afterwards. ``command``: ``[sys.executable, "-m",
    "intacct_mock"]`` for this clone, or an installed ``intacct-mock``."""
    proc = subprocess.Popen([*command, "serve", "--port", "0", "--db", str(db), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, cwd=cwd, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None
    try:
        deadline = time.monotonic() + 60
        while True:
            line = proc.stdout.readline()
            if "listening on" in line:
                url = line.split("listening on", 1)[1].strip()
                break
            if (not line and proc.poll() is not None) or time.monotonic() > deadline:
                raise AssertionError(f"the emulator did not start: {line}{proc.stdout.read() if proc.poll() is not None else ''}")
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep its pipe drained
        yield url.split("/ia/xml/")[0]
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
