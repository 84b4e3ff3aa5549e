"""The XML gateway: bytes in, (status, headers, bytes) out. No Flask here.

A request goes through the stages in the order the real gateway applies its checks (notes 4.5,
12), each in its own module:

1. parse (``envelope``): size, well-formedness, the request schema;
2. control (``control``): functions known for the dtdversion, limits, sender, policy;
3. faults (``faulting``): the plan of the rules that fire; a front-end answer stops here, state
   changes (a rotated password, an expired session) happen before authentication sees them;
   concurrency slots and latency wrap what follows;
4. one unit of work (``execution``): authenticate (``auth.login``), run the functions
   (``dispatch``), render; a write request journals in the same transaction;
5. delivery: a ``drop_ack`` plan makes the transport lose the committed answer.

Where each error lands is decided in ``placement``. The same object serves the HTTP view, bundle
replay, the fuzzer, the benchmark and in-process clients.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Callable, Mapping

from ..errors import IntacctError, InternalServerError, RequestTooLargeError
from ..faults.engine import Firing
from ..journal import JournalEntry
from ..store import shared
from ..store.unit import Deferred, apply_deferred
from . import placement
from .application import Application, Books, Work
from .envelope import parse_request
from .execution import finish
from ..faults.plan import fault_plan, one_off_rules, take_slots
from .faulting import ForcedErrors, document_number, function_object, request_facts, stopped_reply
from .http import XML_CONTENT_TYPE, HttpReply
from .record_cache import RecordCache

if TYPE_CHECKING:  # pragma: no cover
    from ..emulator import Emulator

__all__ = ["XML_CONTENT_TYPE", "HttpReply", "XmlGateway"]

log = logging.getLogger("intacct_mock.gateway")


class XmlGateway:
    """The XML front door of an ``Emulator``. ``application``: who answers an admitted request (the
    emulator's own books by default; ``mock_server/proxy`` plugs in one that forwards upstream)."""

    def __init__(self, emulator: Emulator, application: Application | None = None) -> None:
        self.emulator = emulator
        self.application: Application = application or Books()
        self.settings = emulator.settings
        self.db = emulator.db
        self.clock = emulator.clock
        self.faults = emulator.faults
        self.journal = emulator.journal
        self.clocks = emulator.clocks
        self.ledger = emulator.ledger
        self.record_cache = RecordCache(self.settings.record_cache_mb * 1024 * 1024)

    def handle(self, body: bytes, *, remote_addr: str = "127.0.0.1", endpoint: str | Callable[[], str] = "",
               headers: Mapping[str, str] | None = None, replay: list[Firing] | None = None) -> HttpReply:
        """Answer one gateway request. ``endpoint``: the URL the client called (getAPISession answers
        with it), or a function that tells it (asked only when a function needs it). ``headers``:
        any mapping; names are matched case-insensitively. ``replay``: apply these recorded firings
        instead of the rules."""
        started = time.perf_counter()
        entry = JournalEntry(at=self.clock.now().isoformat(), remote_addr=remote_addr, request_body=body)
        deferred: list[Deferred] = []  # writes of a request that did not commit a unit: journaled with it
        try:
            reply = self._handle(body, remote_addr, endpoint, headers or {}, entry, replay, deferred, started)
        except IntacctError as err:  # gateway-level errors raised anywhere
            reply = placement.gateway_reply(err)
        except Exception:  # an emulator bug must never reach the client as a traceback
            log.exception("unhandled error while processing a gateway request")
            reply = placement.gateway_reply(InternalServerError())
        if entry.id is not None:  # journaled with the request's own writes
            reply.journal_id = entry.id
            return reply
        finish(entry, reply, started)
        try:
            reply.journal_id = self.journal.record(entry, also=deferred)
        except Exception:  # the journal must never cost the client its answer
            log.exception("could not write the journal entry")
            if deferred:
                try:
                    apply_deferred(self.db, deferred)
                except Exception:  # no result set or session slide: the answer would mislead the client
                    log.exception("could not apply the deferred writes")
                    reply = placement.gateway_reply(InternalServerError())
        return reply

    def _handle(self, body: bytes, remote_addr: str, endpoint: str | Callable[[], str], headers: Mapping[str, str],
                entry: JournalEntry,
                replay: list[Firing] | None, deferred: list[Deferred], started: float) -> HttpReply:
        # 1. parse
        if len(body) > self.settings.max_body_bytes:
            raise RequestTooLargeError()
        control, request, error = parse_request(body)
        if control is not None:
            entry.sender, entry.controlid = control.senderid, control.controlid
        if error is not None:
            return self.application.unparsed(self, body, headers, control, error, entry)
        assert control is not None and request is not None
        entry.functions = [journal_item(fn) for fn in request.operation.functions]
        # 2. control
        try:
            self.application.check(self, control, request)
        except IntacctError as err:
            return placement.control_failure(control, err)
        # 3. faults
        versions = shared.snapshot(self.db.connection())  # one statement for every cache's version
        self.clocks.refresh(versions.get(shared.CLOCK_VERSION, 0))  # another process may have moved a clock
        fault_version = versions.get(shared.FAULT_VERSION, 0)
        one_off = one_off_rules(self.faults, headers)
        rules = replay is not None or bool(one_off) or self.faults.has_rules(fault_version)
        facts = request_facts(control, request, lowered(headers) if rules else {}, self.clock.now(),
                              lambda sessionid: self.application.session_owner(self, sessionid), look_up_session=rules)
        entry.company, entry.user = facts.company, facts.user
        plan = fault_plan(self.faults, facts, one_off, replay, fault_version)
        entry.faults = plan.journal()
        if plan.stop is not None:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)
            return stopped_reply(plan.stop)
        self.application.change_state(self, plan, facts)
        held, busy = take_slots(self.faults, plan, facts, replay is not None, entry)
        try:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)  # inside the slots: a slow request holds its slot, as on Intacct
            # 4. the unit of work, or the call upstream (and 5. delivery, planned inside it)
            return self.application.run(self, Work(body, headers, control, request, remote_addr, endpoint, plan, facts,
                                                   ForcedErrors(plan, facts, remote_addr, busy), entry, deferred,
                                                   started))
        finally:
            for slot in held:
                slot.release()


def lowered(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names in lower case, as fault rules match them."""
    return {k.lower(): v for k, v in headers.items()}


def journal_item(fn) -> dict:
    """A function's journal item before it runs: what it is, the object, the document it names."""
    obj = function_object(fn.name, fn.element)
    item = {"name": fn.name, "controlid": fn.controlid, "object": obj, "status": "not run"}
    document = document_number(fn.name, fn.element, obj) if obj else None
    if document:
        item["document"] = document
    return item
