"""The XML gateway: bytes in, (status, headers, bytes) out. No Flask here.

A request goes through the stages in the order the real gateway applies its checks (notes 4.5,
12), each in its own module:

1. parse (``envelope``): size, well-formedness, the request schema;
2. control (``control``): functions known for the dtdversion, limits, sender, policy;
3. faults (``faulting``): the plan of the rules that fire; a front-end answer stops here, state
   changes (a rotated password, an expired session) happen before authentication sees them;
   concurrency slots and latency wrap what follows;
4. one unit of work (``store.unit``): authenticate (``auth.login``), run the functions
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
from . import placement, registry, render
from .control import check_control
from .dispatch import run_functions
from .envelope import Control, Request, parse_request
from .faulting import (
    FaultPlan, ForcedErrors, apply_state_faults, dropped_reply, fault_plan, function_object, one_off_rules, request_facts,
    session_owner, stopped_reply, take_slots,
)
from .http import XML_CONTENT_TYPE, HttpReply
from .record_cache import RecordCache
from .replies import RawReply
from .signin import credentials_of, failure_echo, success_echo

if TYPE_CHECKING:  # pragma: no cover
    from ..emulator import Emulator

__all__ = ["XmlGateway", "HttpReply", "XML_CONTENT_TYPE"]

log = logging.getLogger("mock_server.gateway")


class XmlGateway:
    """The XML front door of an ``Emulator``."""

    def __init__(self, emulator: "Emulator") -> None:
        self.emulator = emulator
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
        _finish(entry, reply, started)
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
            return placement.control_failure(control, error)
        assert control is not None and request is not None
        entry.functions = [{"name": fn.name, "controlid": fn.controlid, "object": function_object(fn.name, fn.element),
                            "status": "not run"} for fn in request.operation.functions]
        # 2. control
        try:
            check_control(self.settings, control, request)
        except IntacctError as err:
            return placement.control_failure(control, err)
        # 3. faults
        versions = shared.snapshot(self.db.connection())  # one statement for every cache's version
        self.clocks.refresh(versions.get(shared.CLOCK_VERSION, 0))  # another process may have moved a clock
        fault_version = versions.get(shared.FAULT_VERSION, 0)
        one_off = one_off_rules(self.faults, headers)
        rules = replay is not None or bool(one_off) or self.faults.has_rules(fault_version)
        facts = request_facts(control, request, lowered(headers) if rules else {}, self.clock.now(), self.db,
                              look_up_session=rules)
        entry.company, entry.user = facts.company, facts.user
        plan = fault_plan(self.faults, facts, one_off, replay, fault_version)
        entry.faults = plan.journal()
        if plan.stop is not None:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)
            return stopped_reply(plan.stop)
        apply_state_faults(plan, facts, self.db, self.emulator.companies)
        held, busy = take_slots(self.faults, plan, facts, replay is not None, entry)
        try:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)  # inside the slots: a slow request holds its slot, as on Intacct
            # 4. the unit of work (and 5. delivery, planned inside it)
            return self._execute(control, request, remote_addr, endpoint, plan, ForcedErrors(plan, facts, remote_addr, busy),
                                 entry, deferred, started)
        finally:
            for slot in held:
                slot.release()

    def _execute(self, control: Control, request: Request, remote_addr: str, endpoint: str | Callable[[], str],
                 plan: FaultPlan,
                 forced: ForcedErrors, entry: JournalEntry, deferred: list[Deferred], started: float) -> HttpReply:
        op = request.operation
        specs = [registry.lookup(fn.name) for fn in op.functions]
        writes = any(spec.writes for spec in specs if spec)
        guarded = [fn.controlid for fn, spec in zip(op.functions, specs) if spec and spec.ledger] if control.uniqueid else []
        claims = self.ledger.claim(op.login.companyid.upper() if op.login else (op.sessionid or ""), control.senderid,
                                   guarded)
        creds = credentials_of(control, request, remote_addr)
        unit = self.db.unit(write=writes)
        try:
            try:
                who = self.emulator.auth.authenticate(unit, creds)
            except IntacctError as err:
                if entry.company is None and creds.sessionid:  # the journal names whose session failed
                    entry.company, entry.user = session_owner(self.db, creds.sessionid)
                raise placement.abort_for(control, failure_echo(creds), err) from None
            if entry.company is None:
                entry.company, entry.user = who.company_key, who.user.userid.lower()
            echo = success_echo(creds, who)
            outcome = run_functions(self, unit, control, request, who, echo, endpoint, claims, forced)
            results = outcome.results
            _note_results(entry, results)
            entry.committed = any((r.status == "success" or (r.error is not None and r.error.partial))
                                  and spec and spec.ledger for r, spec in zip(results, specs))
            if outcome.rollback or not writes:  # nothing to keep: journal (and deferred writes) on their own
                deferred.extend(unit.deferred)
                unit.deferred.clear()
                unit.rollback() if outcome.rollback else unit.commit()
                return _answer(control, echo, results, plan, entry)
            if self.journal.mode == "full":  # the journal keeps the answer: render it inside the transaction
                reply = _answer(control, echo, results, plan, entry)
                _finish(entry, reply, started)
                self.journal.write(unit.conn, entry)
                unit.commit()
                return reply
            # The status and delivery are known from the plan: journal, commit, and render after the
            # commit, so the other writers wait for the write lock as briefly as possible.
            _finish_planned(entry, plan, started)
            self.journal.write(unit.conn, entry)
            unit.commit()
            return _answer(control, echo, results, plan, entry)
        except placement.Abort as abort:
            unit.rollback()
            _note_results(entry, abort.results)
            return dropped_reply(abort.reply, plan.drop, entry) if plan.drop is not None else abort.reply
        except BaseException:
            unit.rollback()
            entry.id = None  # the journal row went with the rollback
            raise
        finally:
            self.ledger.release(claims)


def _answer(control: Control, echo: render.AuthEcho, results: list[render.FunctionResult], plan: FaultPlan,
            entry: JournalEntry) -> HttpReply:
    """The rendered response, or what a ``drop_ack`` plan makes of it."""
    if len(results) == 1 and isinstance(results[0].reply, RawReply) and results[0].status == "success":
        raw = results[0].reply
        reply = HttpReply(200, raw.body, raw.content_type)
    else:
        reply = HttpReply(200, render.render_response(control, echo, results))
    return dropped_reply(reply, plan.drop, entry) if plan.drop is not None else reply


def lowered(headers: Mapping[str, str]) -> dict[str, str]:
    """Header names in lower case, as fault rules match them."""
    return {k.lower(): v for k, v in headers.items()}


def _note_results(entry: JournalEntry, results: list[render.FunctionResult] | None) -> None:
    for item, result in zip(entry.functions, results or []):
        item["status"] = result.status
        if result.error is not None:
            item["errorno"] = result.error.first.errorno


def _finish_planned(entry: JournalEntry, plan: FaultPlan, started: float) -> None:
    """``_finish`` before the answer is rendered (a journal that keeps no bodies needs none)."""
    drop = plan.drop.action if plan.drop is not None else None
    entry.http_status = drop.status if drop is not None and drop.variant == "gateway_error" else 200
    if drop is not None:
        entry.delivery = drop.variant
    entry.duration_ms = (time.perf_counter() - started) * 1000


def _finish(entry: JournalEntry, reply: HttpReply, started: float) -> None:
    entry.http_status = reply.status
    if reply.lost_body is None:  # (a gateway_error drop keeps what the application produced)
        entry.response_body = reply.body
    entry.duration_ms = (time.perf_counter() - started) * 1000
