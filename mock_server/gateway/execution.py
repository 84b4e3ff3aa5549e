"""Stage 4 of the XML gateway: the unit of work, and the answer it produces.

Authentication (``auth.login``), the function loop (``dispatch``), the journal row and the commit
share one ``store.unit.UnitOfWork``; ``placement`` decides where a failure lands. Delivery (stage 5)
is planned here too: a ``drop_ack`` plan turns the committed answer into a lost one.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

from ..errors import IntacctError
from ..journal import note_records, JournalEntry
from ..store.unit import Deferred
from . import placement, registry, render
from .dispatch import run_functions
from .envelope import Control, Request
from ..faults.plan import FaultPlan
from .faulting import ForcedErrors, dropped_reply, session_owner
from .http import HttpReply
from .replies import RawReply
from .signin import credentials_of, failure_echo, success_echo

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import XmlGateway


def run_unit(gw: XmlGateway, control: Control, request: Request, remote_addr: str,
             endpoint: str | Callable[[], str], plan: FaultPlan, forced: ForcedErrors, entry: JournalEntry,
             deferred: list[Deferred], started: float) -> HttpReply:
    """Authenticate, run the functions, journal and commit in one unit of work, then answer.

    A write request is one write transaction with its journal row; a request that writes nothing
    (or rolls back) hands its deferred writes (result set, session slide) to the journal's own
    transaction through ``deferred``. When the journal keeps no bodies the answer is rendered after
    the commit, so other writers wait for the write lock as briefly as possible."""
    op = request.operation
    specs = [registry.lookup(fn.name) for fn in op.functions]
    writes = any(spec.writes for spec in specs if spec)
    guarded = [fn.controlid for fn, spec in zip(op.functions, specs) if spec and spec.ledger] if control.uniqueid else []
    claims = gw.ledger.claim(op.login.companyid.upper() if op.login else (op.sessionid or ""), control.senderid,
                             guarded)
    creds = credentials_of(control, request, remote_addr)
    unit = gw.db.unit(write=writes)
    try:
        try:
            who = gw.emulator.auth.authenticate(unit, creds)
        except IntacctError as err:
            if entry.company is None and creds.sessionid:  # the journal names whose session failed
                entry.company, entry.user = session_owner(gw.db, creds.sessionid)
            raise placement.abort_for(control, failure_echo(creds), err) from None
        if entry.company is None:
            entry.company, entry.user = who.company_key, who.user.userid.lower()
        echo = success_echo(creds, who)
        outcome = run_functions(gw, unit, control, request, who, echo, endpoint, claims, forced)
        results = outcome.results
        note_results(entry, results)
        note_records(entry.functions, outcome.records)
        entry.committed = any((r.status == "success" or (r.error is not None and r.error.partial))
                              and spec and spec.ledger for r, spec in zip(results, specs))
        if outcome.rollback or not writes:  # nothing to keep: journal (and deferred writes) on their own
            deferred.extend(unit.deferred)
            unit.deferred.clear()
            unit.rollback() if outcome.rollback else unit.commit()
            return answer(control, echo, results, plan, entry)
        if gw.journal.mode == "full":  # the journal keeps the answer: render it inside the transaction
            reply = answer(control, echo, results, plan, entry)
            finish(entry, reply, started)
            gw.journal.write(unit.conn, entry)
            unit.commit()
            return reply
        # The status and delivery are known from the plan: journal, commit, and render after the
        # commit, so the other writers wait for the write lock as briefly as possible.
        finish_planned(entry, plan, started)
        gw.journal.write(unit.conn, entry)
        unit.commit()
        return answer(control, echo, results, plan, entry)
    except placement.Abort as abort:
        unit.rollback()
        note_results(entry, abort.results)
        return dropped_reply(abort.reply, plan.drop, entry) if plan.drop is not None else abort.reply
    except BaseException:
        unit.rollback()
        entry.id = None  # the journal row went with the rollback
        raise
    finally:
        gw.ledger.release(claims)

def answer(control: Control, echo: render.AuthEcho, results: list[render.FunctionResult], plan: FaultPlan,
            entry: JournalEntry) -> HttpReply:
    """The rendered response, or what a ``drop_ack`` plan makes of it."""
    if len(results) == 1 and isinstance(results[0].reply, RawReply) and results[0].status == "success":
        raw = results[0].reply
        reply = HttpReply(200, raw.body, raw.content_type)
    else:
        reply = HttpReply(200, render.render_response(control, echo, results))
    return dropped_reply(reply, plan.drop, entry) if plan.drop is not None else reply


def note_results(entry: JournalEntry, results: list[render.FunctionResult] | None) -> None:
    """Each function's status (and first error number) into its journal item."""
    for item, result in zip(entry.functions, results or []):
        item["status"] = result.status
        if result.error is not None:
            item["errorno"] = result.error.first.errorno


def finish_planned(entry: JournalEntry, plan: FaultPlan, started: float) -> None:
    """``finish`` before the answer is rendered (a journal that keeps no bodies needs none)."""
    drop = plan.drop.action if plan.drop is not None else None
    entry.http_status = drop.status if drop is not None and drop.variant == "gateway_error" else 200
    if drop is not None:
        entry.delivery = drop.variant
    entry.duration_ms = (time.perf_counter() - started) * 1000


def finish(entry: JournalEntry, reply: HttpReply, started: float) -> None:
    entry.http_status = reply.status
    if reply.lost_body is None:  # (a gateway_error drop keeps what the application produced)
        entry.response_body = reply.body
    entry.duration_ms = (time.perf_counter() - started) * 1000
