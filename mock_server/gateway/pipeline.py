"""The gateway pipeline: bytes in, (status, headers, bytes) out. No Flask here.

Order of checks, as the real gateway applies them (notes 4.5 and 12): size, well-formedness and
schema, sender, authentication, then each function in order. One request is one SQLite
transaction; each function runs in a savepoint so a failed function leaves nothing behind; with
``transaction="true"`` any failure rolls back the whole operation and the other results become
``aborted``. The same object serves the HTTP view, the reference client's in-process transport,
tests and load-test payload checks.
"""

from __future__ import annotations

import logging
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..auth import credentials, sessions
from ..clock import db_stamp, iso_offset
from ..company.model import CompanyConfig
from ..errors import (
    ROLLBACK_DETAIL,
    BadFaultHeaderError,
    EnvelopeError,
    IntacctError,
    InternalServerError,
    InvalidSessionError,
    PolicyError,
    RequestTooLargeError,
    Scope,
    TransactionRolledBackError,
)
from ..faults.engine import Firing
from ..faults.model import FaultSpecError
from ..journal import JournalEntry
from . import registry
from .call import XmlCall
from ..functions.ledger import Claims
from .record_cache import RecordCache
from .replies import NO_DATA, RawReply
from ..store import sessions as session_rows
from ..store.books import Books
from ..store.unit import Deferred, UnitOfWork, apply_deferred
from . import render
from .envelope import Control, Request, parse_request
from .faulting import FaultPlan, ForcedErrors, dropped_reply, function_object, request_facts, stopped_reply
from .http import XML_CONTENT_TYPE, HttpReply

__all__ = ["XmlGateway", "HttpReply", "XML_CONTENT_TYPE"]

if TYPE_CHECKING:  # pragma: no cover
    from ..emulator import Emulator

log = logging.getLogger("mock_server.gateway")


@dataclass
class Principal:
    """Who the operation runs as, once authentication succeeded."""

    company: Any
    custom: Any
    user: Any
    entity: str | None
    sessionid: str | None
    echo: render.AuthEcho


class _Abort(Exception):
    """Leave the transaction block (rolling it back) carrying what to answer."""

    def __init__(self, reply: HttpReply, results: list[render.FunctionResult] | None = None) -> None:
        self.reply = reply
        self.results = results


class XmlGateway:
    """The XML front door of an ``Emulator``."""

    def __init__(self, emulator: "Emulator") -> None:
        self.emulator = emulator
        self.settings = emulator.settings
        self.db = emulator.db
        self.clock = emulator.clock
        self.companies = emulator.companies
        self.faults = emulator.faults
        self.journal = emulator.journal
        self.clocks = emulator.clocks
        self.ledger = emulator.ledger
        self.record_cache = RecordCache(self.settings.record_cache_mb * 1024 * 1024)

    # ------------------------------------------------------------------ entry point

    def handle(self, body: bytes, *, remote_addr: str = "127.0.0.1", endpoint: str = "",
               headers: dict[str, str] | None = None, replay: list[Firing] | None = None) -> HttpReply:
        """Answer one gateway request. ``replay``: apply these recorded firings instead of the rules."""
        started = time.perf_counter()
        entry = JournalEntry(at=self.clock.now().isoformat(), remote_addr=remote_addr, request_body=body,
                             started=started)
        deferred: list[Deferred] = []  # a read request's writes, committed with the journal entry
        try:
            lowered = {k.lower(): v for k, v in (headers or {}).items()}
            reply = self._handle(body, remote_addr, endpoint, lowered, entry, replay, deferred)
        except IntacctError as err:  # gateway-level errors raised anywhere
            reply = self._gateway_reply(err)
        except Exception:  # an emulator bug must never reach the client as a traceback
            log.exception("unhandled error while processing a gateway request")
            reply = self._gateway_reply(InternalServerError())
        entry.http_status = reply.status
        entry.response_body = reply.body
        entry.duration_ms = (time.perf_counter() - started) * 1000
        try:
            reply.journal_id = self.journal.record(entry, also=deferred)
        except Exception:  # the journal must never cost the client its answer
            log.exception("could not write the journal entry")
            if deferred:
                try:
                    apply_deferred(self.db, deferred)
                except Exception:  # no result set or session slide: the answer would mislead the client
                    log.exception("could not apply the after-commit writes")
                    reply = self._gateway_reply(InternalServerError())
        return reply

    def _gateway_reply(self, err: IntacctError) -> HttpReply:
        if err.scope is Scope.GATEWAY:
            return HttpReply(err.http_status, render.render_gateway_error(err))
        return HttpReply(200, render.render_control_failure(None, err))

    def _handle(self, body: bytes, remote_addr: str, endpoint: str, headers: dict[str, str],
                entry: JournalEntry, replay: list[Firing] | None, deferred: list) -> HttpReply:
        if len(body) > self.settings.max_body_bytes:
            raise RequestTooLargeError()
        control, request, error = parse_request(body)
        if control is not None:
            entry.sender, entry.controlid = control.senderid, control.controlid
        if error is not None:
            return self._control_failure(control, error)
        assert control is not None and request is not None
        entry.functions = [{"name": fn.name, "controlid": fn.controlid, "object": function_object(fn.name, fn.element),
                            "status": "not run"} for fn in request.operation.functions]
        try:
            self._check_control(control, request)
        except IntacctError as err:
            return self._control_failure(control, err)

        self.clocks.refresh()  # another server process may have moved a company's clock
        facts = self._facts(control, request, headers)
        entry.company, entry.user = facts.company, facts.user
        if replay is not None:
            plan = FaultPlan.build(replay)
        else:
            try:
                one_off = self.faults.header_rules(headers.get("x-mock-fault"))
            except FaultSpecError as exc:
                raise BadFaultHeaderError(str(exc)) from None
            plan = FaultPlan.build(self.faults.evaluate(facts, one_off))
        entry.faults = plan.journal()
        if plan.stop is not None:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)
            return stopped_reply(plan.stop)
        self._apply_state_faults(plan, facts)

        held: list[threading.BoundedSemaphore] = []
        busy = False
        for firing in plan.slots:
            if replay is not None:
                busy = busy or firing.busy
                continue
            slot = self.faults.slot(firing, facts.company)
            if not slot.acquire(timeout=firing.action["wait_seconds"]):
                busy = firing.busy = True
                entry.faults = plan.journal()
                break
            held.append(slot)
        try:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)  # inside the slots: a slow request holds its slot, as on Intacct
            reply = self._execute(control, request, remote_addr, endpoint, plan, facts, busy, entry, deferred)
        finally:
            for slot in held:
                slot.release()
        if plan.drop is not None:
            reply = dropped_reply(reply, plan.drop, entry)
        return reply

    def _execute(self, control: Control, request: Request, remote_addr: str, endpoint: str, plan: FaultPlan,
                 facts, busy: bool, entry: JournalEntry, deferred: list) -> HttpReply:
        specs = [registry.lookup(fn.name) for fn in request.operation.functions]
        writes = any(spec.writes for spec in specs if spec)
        op = request.operation
        guarded = [fn.controlid for fn, spec in zip(op.functions, specs) if spec and spec.ledger] if control.uniqueid else []
        claims = self.ledger.claim(op.login.companyid.upper() if op.login else (op.sessionid or ""), control.senderid, guarded)
        forced = ForcedErrors(plan, facts, remote_addr, busy)
        unit = self.db.unit(write=writes)
        try:
            principal = self._authenticate(unit, control, request, remote_addr)
            results = self._run(unit, control, request, principal, endpoint, claims, forced, writes)
            self._note_results(entry, results)
            entry.committed = any((r.status == "success" or (r.error is not None and r.error.partial))
                                  and spec and spec.ledger for r, spec in zip(results, specs))
            if entry.committed:
                # Journaled in the same transaction as the books: after a crash between the commit and
                # the answer, the entry exists and says delivery "unknown" rather than nothing at all.
                self.journal.begin(unit.conn, entry, answer_planned=plan.drop is None)
            if not writes:  # a read request's few writes go with its journal entry (handle)
                deferred.extend(unit.deferred)
                unit.deferred.clear()
            unit.commit()
        except _Abort as abort:
            unit.rollback()
            self._note_results(entry, abort.results)
            return abort.reply
        except BaseException:
            unit.rollback()
            raise
        finally:
            self.ledger.release(claims)
        if len(results) == 1 and isinstance(results[0].reply, RawReply) and results[0].status == "success":
            raw = results[0].reply
            return HttpReply(200, raw.body, raw.content_type)
        return HttpReply(200, render.render_response(control, principal.echo, results))

    @staticmethod
    def _note_results(entry: JournalEntry, results: list[render.FunctionResult] | None) -> None:
        for item, result in zip(entry.functions, results or []):
            item["status"] = result.status
            if result.error is not None:
                item["errorno"] = result.error.first.errorno

    def _control_failure(self, control: Control | None, err: IntacctError) -> HttpReply:
        if err.scope is Scope.GATEWAY:
            return self._gateway_reply(err)
        return HttpReply(err.http_status, render.render_control_failure(control, err))

    # ------------------------------------------------------------------ faults

    def _facts(self, control: Control, request: Request, headers: dict[str, str]):
        op = request.operation
        company = user = None
        if op.login is not None:
            company, user = op.login.companyid.strip().upper(), op.login.userid.strip().lower()
        elif op.sessionid:  # one statement: autocommit, no BEGIN/COMMIT around it
            found = session_rows.owner(self.db.connection(), op.sessionid)
            if found is not None:
                company, user = found[0], found[1].lower()
        return request_facts(control, request, company, user, headers, self.clock.now())

    def _apply_state_faults(self, plan: FaultPlan, facts) -> None:
        """Changes that make the request fail the natural way: a new password, a dead session."""
        if not plan.rotate and not (plan.expire_session and facts.sessionid):
            return
        with self.db.transaction(write=True) as conn:
            for firing in plan.rotate:
                found = self.companies.get(conn, facts.company or "")
                if found is None:
                    continue
                config = CompanyConfig.from_dict(found[0].to_dict())
                target = config.user(facts.user or "")
                if target is not None:
                    target.password = firing.action.get("new_password") or target.password + "-rotated"
                    self.companies.put(conn, config)
            if plan.expire_session and facts.sessionid:
                sessions.expire(conn, facts.sessionid)

    # ------------------------------------------------------------------ control / schema

    def _check_control(self, control: Control, request: Request) -> None:
        dtd = control.dtdversion or "3.0"
        for fn in request.operation.functions:
            spec = registry.lookup(fn.name)
            if spec is None or dtd not in spec.dtd_versions:
                raise EnvelopeError.schema(
                    f"Element '{fn.name}': This element is not expected. Expected is one of the functions of dtdversion {dtd}.",
                    1871,
                )
        if len(request.operation.functions) > self.settings.max_functions_per_request:
            raise EnvelopeError.schema(
                f"Element 'content': at most {self.settings.max_functions_per_request} functions are allowed per request.",
                1871,
            )
        credentials.check_sender(self.settings, control.senderid, control.password)
        if control.policyid:
            raise PolicyError(control.policyid)

    # ------------------------------------------------------------------ authentication

    def _authenticate(self, unit: UnitOfWork, control: Control, request: Request, remote_addr: str) -> Principal:
        op = request.operation
        conn = unit.conn
        now = self.clock.now()
        if op.login is not None:
            login = op.login
            echo = render.AuthEcho("failure", login.userid, login.companyid, None)
            found = self.companies.get(conn, login.companyid)
            if found is None:
                self._auth_fail(control, echo, credentials.login_failure(self.settings))
            company, custom = found
            try:
                credentials.check_company_access(company, control.senderid, remote_addr)
                user = credentials.check_user(self.settings, company, login.userid, login.password, remote_addr)
                entity = credentials.resolve_entity(company, user, login.locationid)
            except IntacctError as err:
                self._auth_fail(control, echo, err)
            timeout = self._timeout(company)
            return Principal(company, custom, user, entity, None, render.AuthEcho(
                "success", login.userid, login.companyid, entity or "", iso_offset(now), iso_offset(now + timeout)))
        sid = op.sessionid or ""
        echo = render.AuthEcho("failure", "", "", None)
        session = sessions.lookup(conn, sid, now) if sid else None
        if session is None:
            self._auth_fail(control, echo, InvalidSessionError(sid))
        found = self.companies.get(conn, session.company_key)
        user = found[0].user(session.userid) if found else None
        if found is None or user is None or user.status != "active":
            self._auth_fail(control, echo, InvalidSessionError(sid))
        company, custom = found
        try:
            credentials.check_company_access(company, control.senderid, remote_addr)
        except IntacctError as err:
            self._auth_fail(control, echo, err)
        timeout = self._timeout(company)
        slide = sessions.slide(session, now, timeout)
        if slide:
            unit.defer(slide)
        expires = max(session.expires_at, now + timeout) if slide else session.expires_at
        return Principal(company, custom, user, session.entity or None, sid, render.AuthEcho(
            "success", user.userid, company.company_id, session.entity, iso_offset(now), iso_offset(expires)))

    def _timeout(self, company) -> timedelta:
        return timedelta(seconds=company.session_timeout_seconds or self.settings.session_timeout_seconds)

    @staticmethod
    def _failed_echo(echo: render.AuthEcho, err: IntacctError) -> render.AuthEcho:
        """An authentication error found while running (an injected one): the block says failure."""
        if isinstance(err, InvalidSessionError):
            return render.AuthEcho("failure", "", "", None)
        return render.AuthEcho("failure", echo.userid, echo.companyid, None)

    def _auth_fail(self, control: Control, echo: render.AuthEcho, err: IntacctError) -> None:
        if err.scope is Scope.GATEWAY:
            raise _Abort(HttpReply(err.http_status, render.render_gateway_error(err)))
        if err.scope is Scope.CONTROL:
            raise _Abort(HttpReply(200, render.render_control_failure(control, err)))
        raise _Abort(HttpReply(200, render.render_auth_failure(control, echo, err)))

    # ------------------------------------------------------------------ functions

    def _run(self, unit: UnitOfWork, control: Control, request: Request, who: Principal, endpoint: str,
             claims: Claims, forced: ForcedErrors, writes: bool = True) -> list[render.FunctionResult]:
        op = request.operation
        conn = unit.conn
        company_key = who.company.company_id.upper()
        clock = self.clocks.for_company(company_key)
        now = clock.now()
        books = Books(conn, who.company.company_id.upper(), who.entity, who.user.userid, db_stamp(now))
        results: list[render.FunctionResult] = []
        failed_at: int | None = None

        def keeps_partial(exc: BaseException) -> bool:  # a multi-object write keeps what it reported
            return isinstance(exc, IntacctError) and exc.partial and not op.transaction

        for index, fn in enumerate(op.functions):
            spec = registry.lookup(fn.name)
            assert spec is not None
            ctx = XmlCall(
                books=books, company=who.company, custom=who.custom, user=who.user, entity=who.entity,
                settings=self.settings, clock=clock, unit=unit, owner=who.sessionid or who.user.userid,
                endpoint=endpoint, controlid=fn.controlid,
                issue_session=lambda entity, w=who: self._issue_session(conn, control, w, entity, endpoint),
                pretty=control.includewhitespace, record_cache=self.record_cache,
            )
            guarded = control.uniqueid and spec.ledger
            try:
                # (a read-only request has nothing to roll back: no savepoint statements)
                with unit.savepoint(keep=keeps_partial) if writes else nullcontext():
                    if guarded:
                        self.ledger.check(conn, books.company_key, control.senderid, fn.controlid, claims)
                    forced.raise_for(index, fn)
                    reply = spec.handler(ctx, fn.element)
                    if guarded:
                        self.ledger.record(conn, books.company_key, control.senderid, fn.controlid, fn.name, books.now)
                results.append(render.FunctionResult(fn.name, fn.controlid, "success", reply))
            except IntacctError as err:
                if err.scope is not Scope.RESULT:
                    self._auth_fail(control, self._failed_echo(who.echo, err), err)
                results.append(render.FunctionResult(fn.name, fn.controlid, "failure", err.reply or NO_DATA, err))
                if op.transaction:
                    failed_at = index
                    break
        if failed_at is not None:
            rolled = self._rolled_back(op, results, failed_at)
            raise _Abort(HttpReply(200, render.render_response(control, who.echo, rolled)), rolled)
        return results

    @staticmethod
    def _rolled_back(op, results: list[render.FunctionResult], failed_at: int) -> list[render.FunctionResult]:
        """Failing function: its errors plus XL03000009; every other function: aborted."""
        out = []
        for index, fn in enumerate(op.functions):
            if index == failed_at:
                failure = results[index]
                assert failure.error is not None
                failure.error.with_also(ROLLBACK_DETAIL)
                out.append(failure)
            else:
                out.append(render.FunctionResult(fn.name, fn.controlid, "aborted", error=TransactionRolledBackError()))
        return out

    def _issue_session(self, conn, control: Control, who: Principal, entity: str | None, endpoint: str) -> tuple[str, str]:
        """getAPISession: same session when nothing changes, a new one for a new entity or a login."""
        target = who.entity if entity is None else (credentials.resolve_entity(who.company, who.user, entity) or None)
        if who.sessionid and (target or None) == (who.entity or None):
            return who.sessionid, target or ""
        session = sessions.issue(
            conn, company_key=who.company.company_id.upper(), userid=who.user.userid, entity=target,
            senderid=control.senderid, endpoint=endpoint, now=self.clock.now(), timeout=self._timeout(who.company),
        )
        return session.sessionid, target or ""
