"""The XML gateway's side of fault plans (``faults/plan.py`` decides what fires): the facts a
rule matches on, read from the envelope; the Intacct errors forced on functions; front-end
answers and lost acknowledgements as XML replies.

Order follows the request's life: latency, then front-end answers (``http_status``, rate limit)
that stop the request before the application, then state changes that make authentication fail
naturally (``rotate_password``, ``session_expire``), then concurrency slots, then per-function
Intacct errors, and last ``drop_ack``, which only acts after the store committed.
"""

from __future__ import annotations

from typing import Callable

from ..errors import IntacctError, TooManyOperationsError
from ..faults.delivery import DropPlan
from ..faults.engine import Firing, FunctionFacts, RequestFacts
from ..faults.frontend import http_status_reply
from ..faults.plan import FaultPlan
from ..journal import JournalEntry
from ..store import sessions as session_rows
from ..objects.legacy import LegacyWrite
from ..objects.registry import find_object_type
from ..xmlsafe import child, text_of
from . import registry, render
from .envelope import Control, Request
from .http import XML_CONTENT_TYPE, HttpReply


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


def request_facts(control: Control, request: Request, headers: dict[str, str], now,
                  owner: Callable[[str], tuple[str | None, str | None]], *,
                  look_up_session: bool = True) -> RequestFacts:
    """What fault rules match on: who (from ``<login>``, or the session's ``owner``: the emulator's
    session rows, or the sessions a proxy saw issued), which functions. ``look_up_session`` False
    skips the session's owner (no rule could ask: one statement saved)."""
    op = request.operation
    company = user = None
    if op.login is not None:
        company, user = op.login.companyid.strip().upper(), op.login.userid.strip().lower()
    elif op.sessionid and look_up_session:
        company, user = owner(op.sessionid)
    functions = tuple(FunctionFacts(fn.name, function_object(fn.name, fn.element), fn.controlid)
                      for fn in op.functions)
    return RequestFacts(company=company, sender=control.senderid, user=user,
                        sessionid=op.sessionid if op.login is None else None,
                        functions=functions, headers=headers, now=now)


def session_owner(db, sessionid: str) -> tuple[str | None, str | None]:
    """(company key, lower-case user id) of a session, expired or not; (None, None) when unknown."""
    found = session_rows.owner(db.connection(), sessionid)  # one statement: autocommit, no BEGIN/COMMIT
    return (found[0], found[1].lower()) if found is not None else (None, None)


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
