"""The function loop: an operation's functions in order, each answered with its own ``<result>``.

Per function: the ``uniqueid`` ledger check, an injected error if a fault rule says so, the
handler, the ledger record. Functions of a request with several run in a savepoint each, so a
failed one leaves nothing behind while the others keep their writes; a request with one function
needs none (if it fails, the whole unit rolls back: ``Outcome.rollback``). With
``transaction="true"`` the first failure rolls everything back and the other functions answer
``aborted`` (XL03000009).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..auth.login import Principal
from ..clock import db_stamp
from ..errors import ROLLBACK_DETAIL, IntacctError, Scope, TransactionRolledBackError
from ..functions.ledger import Claims
from ..store import shared
from ..store.books import Books
from ..store.unit import UnitOfWork
from . import registry, render
from .call import XmlCall
from .envelope import Control, Request
from .faulting import ForcedErrors
from .http import HttpReply
from .placement import Abort, abort_for, failed_echo
from .replies import NO_DATA

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import XmlGateway


@dataclass
class Outcome:
    results: list[render.FunctionResult]
    rollback: bool  # the request's one function failed without a savepoint: undo the unit
    records: list[list[dict]]  # per function: the header records it wrote (``Books._note``)


def run_functions(gw: "XmlGateway", unit: UnitOfWork, control: Control, request: Request, who: Principal,
                  echo: render.AuthEcho, endpoint: str | Callable[[], str], claims: Claims,
                  forced: ForcedErrors) -> Outcome:
    op = request.operation
    conn = unit.conn
    clock = gw.clocks.for_company(who.company_key)
    refs = gw.emulator.refcache.view(unit.versions().get(shared.REFDATA_VERSION))
    books = Books(conn, who.company_key, who.entity, who.user.userid, db_stamp(clock.now()), refs, unit.touched)
    isolate = unit.write and len(op.functions) > 1  # (read-only requests have nothing to roll back)
    results: list[render.FunctionResult] = []
    records: list[list[dict]] = []

    def keeps_partial(exc: BaseException) -> bool:  # a multi-object write keeps what it reported
        return isinstance(exc, IntacctError) and exc.partial and not op.transaction

    def issue_session(entity: str | None) -> tuple[str, str]:
        return gw.emulator.auth.issue_session(conn, who, entity, senderid=control.senderid, endpoint=endpoint_url())

    def endpoint_url() -> str:
        return endpoint() if callable(endpoint) else endpoint

    for index, fn in enumerate(op.functions):
        spec = registry.lookup(fn.name)
        assert spec is not None
        ctx = XmlCall(
            books=books, company=who.company, custom=who.custom, user=who.user, entity=who.entity,
            settings=gw.settings, clock=clock, unit=unit, owner=who.sessionid or who.user.userid,
            endpoint=endpoint_url, controlid=fn.controlid, issue_session=issue_session,
            pretty=control.includewhitespace, record_cache=gw.record_cache,
        )
        guarded = control.uniqueid and spec.ledger
        noted = len(unit.touched)
        try:
            with unit.savepoint(keep=keeps_partial) if isolate else nullcontext():
                if guarded:
                    gw.ledger.check(conn, books.company_key, control.senderid, fn.controlid, claims)
                forced.raise_for(index, fn)
                reply = spec.handler(ctx, fn.element)
                if guarded:
                    gw.ledger.record(conn, books.company_key, control.senderid, fn.controlid, fn.name, books.now)
            results.append(render.FunctionResult(fn.name, fn.controlid, "success", reply))
            records.append(unit.touched[noted:])
        except IntacctError as err:
            if err.scope is not Scope.RESULT:
                raise abort_for(control, failed_echo(echo, err), err) from None
            results.append(render.FunctionResult(fn.name, fn.controlid, "failure", err.reply or NO_DATA, err))
            records.append(unit.touched[noted:] if keeps_partial(err) else [])
            if op.transaction:
                rolled = rolled_back(request, results, index)
                raise Abort(HttpReply(200, render.render_response(control, echo, rolled)), rolled) from None
    failed = [r for r in results if r.status == "failure" and not keeps_partial(r.error)]
    rollback = unit.write and not isolate and bool(failed)
    return Outcome(results, rollback, [[] for _ in records] if rollback else records)


def rolled_back(request: Request, results: list[render.FunctionResult], failed_at: int) -> list[render.FunctionResult]:
    """Failing function: its errors plus XL03000009; every other function: aborted (``transaction="true"``;
    the proxy answers a request whose function a fault fails this way too)."""
    out = []
    for index, fn in enumerate(request.operation.functions):
        if index == failed_at:
            failure = results[index]
            assert failure.error is not None
            failure.error.with_also(ROLLBACK_DETAIL)
            out.append(failure)
        else:
            out.append(render.FunctionResult(fn.name, fn.controlid, "aborted", error=TransactionRolledBackError()))
    return out

