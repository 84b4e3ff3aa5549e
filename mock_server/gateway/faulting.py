"""Turn the fault rules that fired for a request into a plan the pipeline applies in order.

Order follows the request's life: latency, then front-end answers (``http_status``, rate limit)
that stop the request before the application, then state changes that make authentication fail
naturally (``rotate_password``, ``session_expire``), then concurrency slots, then per-function
Intacct errors, and last ``drop_ack``, which only acts after the store committed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..auth import sessions
from ..company.model import CompanyConfig
from ..errors import BadFaultHeaderError, IntacctError, TooManyOperationsError
from ..faults.delivery import DropPlan
from ..faults.engine import FaultEngine, Firing, FunctionFacts, RequestFacts
from ..faults.model import FaultSpecError
from ..faults.frontend import http_status_reply
from ..faults.actions import Phase
from ..journal import JournalEntry
from ..store import sessions as session_rows
from ..objects.legacy import LegacyWrite
from ..objects.registry import find_object_type
from ..xmlsafe import child, text_of
from . import registry, render
from .envelope import Control, Request
from .http import XML_CONTENT_TYPE, HttpReply

MAX_TOTAL_DELAY_MS = 120_000


def function_object(name: str, element) -> str:
    """The object a function works on: ``<object>``, the record element of create/update, the
    ``get_list`` object, or the object a legacy function is declared on."""
    obj = text_of(child(element, "object"))
    if obj:
        return obj.upper()
    if name in ("create", "update"):
        record = next((c for c in element if isinstance(c.tag, str)), None)
        return record.tag.upper() if record is not None else ""
    if name == "get_list":
        return (element.get("object") or "").upper()
    spec = registry.lookup(name)
    return (spec.object or "") if spec is not None else ""


def document_number(name: str, element, obj: str) -> str | None:
    """The document (or ID) a write names, for error texts that quote it: the object's
    ``document_key`` field, or the legacy element a declaration maps onto it."""
    declared = find_object_type(obj) if obj else None
    key = declared.document_key if declared is not None else None
    if not key:
        return None
    tags = [key, *(tag for spec in declared.legacy if spec.name == name and isinstance(spec, LegacyWrite)
                   for tag, stored in spec.fields.items() if stored == key)]
    for tag in tags:
        found = element.find(f".//{tag}")
        if found is not None and (found.text or "").strip():
            return found.text.strip()
    return None


def request_facts(control: Control, request: Request, headers: dict[str, str], now, db, *,
                  look_up_session: bool = True) -> RequestFacts:
    """What fault rules match on: who (from ``<login>``, or the session's owner), which functions.
    ``look_up_session`` False skips the session's owner (no rule could ask: one statement saved)."""
    op = request.operation
    company = user = None
    if op.login is not None:
        company, user = op.login.companyid.strip().upper(), op.login.userid.strip().lower()
    elif op.sessionid and look_up_session:
        company, user = session_owner(db, op.sessionid)
    functions = tuple(FunctionFacts(fn.name, function_object(fn.name, fn.element), fn.controlid)
                      for fn in op.functions)
    return RequestFacts(company=company, sender=control.senderid, user=user,
                        sessionid=op.sessionid if op.login is None else None,
                        functions=functions, headers=headers, now=now)


def session_owner(db, sessionid: str) -> tuple[str | None, str | None]:
    """(company key, lower-case user id) of a session, expired or not; (None, None) when unknown."""
    found = session_rows.owner(db.connection(), sessionid)  # one statement: autocommit, no BEGIN/COMMIT
    return (found[0], found[1].lower()) if found is not None else (None, None)


class _World:
    """What STATE actions change, inside one write transaction (``faults.actions.World``)."""

    def __init__(self, conn, companies) -> None:
        self.conn, self.companies = conn, companies

    def rotate_password(self, company: str, user: str, new_password: str | None) -> None:
        found = self.companies.get(self.conn, company)
        if found is None:
            return
        config = CompanyConfig.from_dict(found[0].to_dict())
        target = config.user(user)
        if target is not None:
            target.password = new_password or target.password + "-rotated"
            self.companies.put(self.conn, config)

    def expire_session(self, sessionid: str) -> None:
        sessions.expire(self.conn, sessionid)


def apply_state_faults(plan: "FaultPlan", facts: RequestFacts, db, companies) -> None:
    """Changes that make the request fail the natural way: a new password, a dead session."""
    if not plan.state:
        return
    with db.transaction(write=True) as conn:
        world = _World(conn, companies)
        for firing in plan.state:
            firing.action.change(world, facts)


@dataclass
class FaultPlan:
    """The firings of one request, grouped by the phase their actions act in (``faults.actions``)."""

    firings: list[Firing]
    delay_ms: float = 0.0
    stop: Firing | None = None  # answered in front of the application
    state: list[Firing] = field(default_factory=list)
    slots: list[Firing] = field(default_factory=list)
    errors: dict[int, Firing] = field(default_factory=dict)  # function index -> the error it raises
    drop: Firing | None = None

    @classmethod
    def build(cls, firings: list[Firing]) -> "FaultPlan":
        plan = cls(firings)
        for f in firings:
            phase = f.action.phase
            if phase is Phase.DELAY:
                plan.delay_ms = min(plan.delay_ms + f.delay_ms, MAX_TOTAL_DELAY_MS)
            elif phase is Phase.FRONT:
                plan.stop = plan.stop or f
            elif phase is Phase.STATE:
                plan.state.append(f)
            elif phase is Phase.SLOT:
                plan.slots.append(f)
            elif phase is Phase.FUNCTION:
                for i in f.functions:
                    plan.errors.setdefault(i, f)
            elif phase is Phase.DELIVERY:
                plan.drop = plan.drop or f
        return plan

    def journal(self) -> list[dict[str, Any]]:
        return [f.to_dict() for f in self.firings]


def injected_error(firing: Firing, fn, facts: RequestFacts, remote_addr: str) -> IntacctError:
    obj = function_object(fn.name, fn.element)
    declared = find_object_type(obj) if obj else None
    context = {
        "document_number": document_number(fn.name, fn.element, obj), "object": obj,
        "label": declared.label if declared is not None else None,
        "sessionid": facts.sessionid, "senderid": facts.sender, "company": facts.company, "remote_addr": remote_addr,
    }
    return firing.action.error(context)


class ForcedErrors:
    """Errors a fault plan forces on functions, raised where the function would have run."""

    def __init__(self, plan: FaultPlan, facts: RequestFacts, remote_addr: str, busy: bool) -> None:
        self.plan, self.facts, self.remote_addr, self.busy = plan, facts, remote_addr, busy

    def raise_for(self, index: int, fn) -> None:
        if self.busy:
            raise TooManyOperationsError()
        firing = self.plan.errors.get(index)
        if firing is not None:
            raise injected_error(firing, fn, self.facts, self.remote_addr)


def stopped_reply(firing: Firing) -> HttpReply:
    """A FRONT action's answer (``http_status``, ``rate_limit``): nothing runs."""
    return _front(firing.action.front(firing))


def _front(front) -> HttpReply:
    """A front-end answer as XML: Intacct's own errors through the error model, pages as they are."""
    if front.error is not None:
        return HttpReply(front.status, render.render_gateway_error(front.error), XML_CONTENT_TYPE, dict(front.headers))
    return HttpReply(front.status, front.body, front.content_type, dict(front.headers))


def dropped_reply(reply: HttpReply, firing: Firing, entry: JournalEntry) -> HttpReply:
    """After the commit: replace the answer by a CDN error page, or mark it to be lost on the socket."""
    action = firing.action
    entry.delivery = action.variant
    if action.variant == "gateway_error":
        front = _front(http_status_reply(action.status))
        entry.response_body = reply.body  # the journal keeps what the application produced
        return HttpReply(front.status, front.body, front.content_type, front.headers, lost_body=reply.body)
    reply.drop = DropPlan(action.variant, reply.status, (("Content-Type", reply.content_type),), reply.body,
                          action.hang_seconds)
    return reply


def one_off_rules(faults: FaultEngine, headers: Mapping[str, str]) -> list:
    """The request's ``X-Mock-Fault`` rules (when the server obeys the header)."""
    if not faults.header_enabled:
        return []
    value = next((v for k, v in headers.items() if k.lower() == "x-mock-fault"), None)
    try:
        return faults.header_rules(value)
    except FaultSpecError as exc:
        raise BadFaultHeaderError(str(exc)) from None


def fault_plan(faults: FaultEngine, facts: RequestFacts, one_off: list, replay: list[Firing] | None,
               version: int | None) -> FaultPlan:
    """The plan for this request: recorded firings when replaying, else the rules that fire now
    (stored ones at the shared fault ``version``, then one-off ones)."""
    if replay is not None:
        return FaultPlan.build(replay)
    return FaultPlan.build(faults.evaluate(facts, one_off, version))


def take_slots(faults: FaultEngine, plan: FaultPlan, facts: RequestFacts, replaying: bool,
               entry: JournalEntry) -> tuple[list[threading.BoundedSemaphore], bool]:
    """Concurrency slots the plan asks for; busy when one stayed taken past its wait."""
    held: list[threading.BoundedSemaphore] = []
    busy = False
    for firing in plan.slots:
        if replaying:
            busy = busy or firing.busy
            continue
        slot = faults.slot(firing, facts.company)
        if not slot.acquire(timeout=firing.action.spec["wait_seconds"]):
            busy = firing.busy = True
            entry.faults = plan.journal()
            break
        held.append(slot)
    return held, busy
