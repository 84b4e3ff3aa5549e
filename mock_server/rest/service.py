"""The REST API's operations, framework-free: each takes what an HTTP request says and answers an
``Answer``. They run on the emulator's core exactly as the XML gateway does: the fault rules
(``faults/plan.py``, applied in REST terms by ``rest/faulting.py``), one unit of work per request,
the same ``functions/writes.py`` and rules, the same typed errors (rendered by
``errors.error_body``), a journal row per request (``functions`` name the REST method and path, so
journal filters and the inspector list REST calls beside XML ones).
"""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Mapping
from urllib.parse import parse_qs, urlencode

from ..clock import db_stamp
from ..errors import IntacctError, TooManyOperationsError
from ..faults.engine import FunctionFacts
from ..faults.plan import apply_state_faults, fault_plan, one_off_rules, take_slots
from ..auth.login import Principal
from ..functions.context import CallContext
from ..journal import JournalEntry, note_records
from ..store import shared
from ..store.books import Books
from ..store import oauth
from .answer import Answer
from .errors import (
    IdempotencyConflictError, NotFoundPathError, OAuthError, RestError, TokenInvalidError,
    error_body,
)
from .crud import allowed_methods, dispatch, meta, split_object_path
from .faulting import document_number, dropped, front_answer, function_name, rest_facts, token_owner
from .composite import run_composite
from .model import known_models, model
from .objects import RestObject, rest_object
from .query import run_query
from .tokens import TokenOwner, TokenService
from .workflows import WORKFLOWS, find as find_workflow, function_name as workflow_function, run as run_workflow


Work = Callable[[Any, TokenOwner | None], Answer]  # (the unit of work, who the token names)


class RestApi:
    def __init__(self, emulator) -> None:
        self.em = emulator
        self.tokens = TokenService(emulator.companies, emulator.settings, emulator.clock)
        self._replaying = threading.local()

    @contextmanager
    def replaying(self, firings: list):
        """Requests made in this block apply these recorded firings instead of the rules (bundle replay)."""
        self._replaying.firings = firings
        try:
            yield
        finally:
            self._replaying.firings = None

    # ------------------------------------------------------------------ the front door's operations

    def token(self, form: Mapping[str, str], remote_addr: str = "", headers: Mapping[str, str] | None = None) -> Answer:
        """``POST /oauth2/token``: the grants of ``rest/tokens.py``."""
        user, _, company = (form.get("username") or "").partition("|")[0].partition("@")
        who = (company.strip().upper() or None, user.strip().lower() or None)
        return self._call("POST oauth2/token", FunctionFacts("oauth2/token", "", ""), "POST", "oauth2/token",
                          True, headers or {}, remote_addr, None,
                          lambda unit, _: Answer(200, self.tokens.grant(unit.conn, form), {"Cache-Control": "no-store"}),
                          claimed=who, authenticate=False)

    def authorize(self, params: Mapping[str, str], username: str, password: str | None, remote_addr: str = "",
                  headers: Mapping[str, str] | None = None) -> Answer:
        """``/oauth2/authorize``: sign ``username`` in and redirect to the client with a code."""
        user, _, company = username.partition("|")[0].partition("@")

        def work(unit, _) -> Answer:
            code = self.tokens.authorize(unit.conn, params, username, password)
            redirect = params["redirect_uri"].strip()
            query = {"code": code, **({"state": params["state"]} if params.get("state") else {})}
            location = redirect + ("&" if "?" in redirect else "?") + urlencode(query)
            return Answer(302, None, {"Location": location, "Cache-Control": "no-store"})

        return self._call("GET oauth2/authorize", FunctionFacts("oauth2/authorize", "", ""), "GET", "oauth2/authorize",
                          True, headers or {}, remote_addr, None, work,
                          claimed=(company.strip().upper() or None, user.strip().lower() or None), authenticate=False)

    def session_id(self, headers: Mapping[str, str], xml_endpoint: str, remote_addr: str = "") -> Answer:
        """``GET /services/core/session/id``: an XML API session for the token's user, company and
        entity, usable at once on the XML gateway (what an integration mid-migration drives its XML
        client with)."""

        def mint(unit, who: TokenOwner) -> Answer:
            now = self.em.clock.now()
            timeout = self.em.auth.timeout(who.company)
            principal = Principal(who.company, who.custom, who.user, who.entity, None, now, now + timeout)
            sender = who.company.senders[0] if who.company.senders else ""
            sid, _ = self.em.auth.issue_session(unit.conn, principal, None, senderid=sender, endpoint=xml_endpoint)
            return Answer(200, {"ia::result": {"sessionId": sid, "expiresIn": int(timeout.total_seconds())},
                                "ia::meta": meta(1, 1)})

        return self._call("GET services/core/session/id", FunctionFacts("getAPISession", "", ""), "GET",
                          "services/core/session/id", True, headers, remote_addr, None, mint)

    def model(self, name: str | None, headers: Mapping[str, str], remote_addr: str = "") -> Answer:
        """``GET /services/core/model``: one object's model (``rest/model.py``), or the list of them."""
        rest = rest_object(name or "") if name else None

        def answer(unit, who) -> Answer:
            if not name:
                listed = known_models()
                return Answer(200, {"ia::result": listed, "ia::meta": meta(len(listed), len(listed))})
            if rest is None:
                raise NotFoundPathError(f"There is no model '{name}' here.", target="/name")
            return Answer(200, {"ia::result": model(rest), "ia::meta": meta(1, 1)})

        return self._call("GET services/core/model", FunctionFacts("inspect", rest.object_name if rest else "", ""),
                          "GET", "services/core/model", False, headers, remote_addr, None, answer)

    def composite(self, body: Any, headers: Mapping[str, str], remote_addr: str = "", xml_endpoint: str = "") -> Answer:
        """``POST /services/core/composite`` (``rest/composite.py``): each sub-request a request of its own."""
        try:
            return run_composite(body, headers, lambda method, path, sub_body, sub_headers: self.route(
                method, path, sub_body, sub_headers, remote_addr, xml_endpoint))
        except RestError as err:
            status, payload = error_body(err)
            return Answer(status, payload)

    def route(self, method: str, path: str, body: Any, headers: Mapping[str, str], remote_addr: str = "",
              xml_endpoint: str = "") -> Answer:
        """One request by its method and path under ``/ia/api/v1`` (the composite service's router)."""
        where, _, query_string = path.partition("?")
        where = where.strip("/")
        if where.startswith("objects/"):
            rest_path, keys = split_object_path(where[len("objects/"):])
            return self.objects(method, rest_path, keys, body, headers, remote_addr)
        if where.startswith("workflows/") and method == "POST":
            wf_path, _, action = where[len("workflows/"):].rpartition("/")
            return self.workflow(wf_path, action, body, headers, remote_addr)
        if where == "services/core/query" and method == "POST":
            return self.query(body, headers, remote_addr)
        if where == "services/core/session/id" and method == "GET":
            return self.session_id(headers, xml_endpoint, remote_addr)
        if where == "services/core/model" and method == "GET":
            return self.model((parse_qs(query_string).get("name") or [None])[0], headers, remote_addr)
        status, payload = error_body(NotFoundPathError(f"There is no {method} /{where} here.", target=f"/{where}"))
        return Answer(status, payload)

    def query(self, body: Any, headers: Mapping[str, str], remote_addr: str = "") -> Answer:
        """``POST /services/core/query`` (``rest/query.py``)."""
        rest = rest_object(str(body.get("object") or "")) if isinstance(body, Mapping) else None
        return self._call("POST services/core/query", FunctionFacts("query", rest.object_name if rest else "", ""),
                          "POST", "services/core/query", False, headers, remote_addr, body,
                          lambda unit, who: Answer(200, run_query(self._context(unit, who), body)))

    def objects(self, method: str, path: str, keys: str | None, body: Any, headers: Mapping[str, str],
                remote_addr: str = "") -> Answer:
        """``/objects/<application>/<object>[/<keys>]``: list, read, create, update, delete."""
        rest = rest_object(path)
        writing = method in ("POST", "PATCH", "DELETE")
        idem = (header(headers, "Idempotency-Key") or "").strip() if writing else ""
        name = f"{method} {path}" + (f"/{keys}" if keys else "")
        function = FunctionFacts(function_name(method, keys), rest.object_name if rest else "", idem)

        def work(unit, who: TokenOwner) -> Answer:
            if rest is None:
                raise NotFoundPathError(f"There is no object '{path}' here.", target=f"/objects/{path}")
            ctx = self._context(unit, who)
            return self._once(ctx, who, idem, (method, path, keys or ""), body,
                              lambda: dispatch(ctx, rest, method, keys, body))

        answer = self._call(name, function, method, f"objects/{path}" + (f"/{keys}" if keys else ""), writing,
                            headers, remote_addr, body, work, rest=rest)
        if answer.status == 405 and rest is not None:
            answer.headers["Allow"] = ", ".join(allowed_methods(rest, keys))
        return answer

    def workflow(self, path: str, action: str, body: Any, headers: Mapping[str, str], remote_addr: str = "") -> Answer:
        """``POST /workflows/<application>/<object>/<action>`` (``rest/workflows.py``): a write like
        an ``/objects`` POST (faults, unit of work, journal ``committed``, Idempotency-Key)."""
        found = WORKFLOWS.get((path, action))
        rest = rest_object(path) if found is not None else None
        idem = (header(headers, "Idempotency-Key") or "").strip()
        function = FunctionFacts(workflow_function(found, rest), rest.object_name if rest else "", idem)

        def work(unit, who: TokenOwner) -> Answer:
            chosen = find_workflow(path, action)
            ctx = self._context(unit, who)
            return self._once(ctx, who, idem, ("POST", f"workflows/{path}", action), body,
                              lambda: run_workflow(ctx, chosen, body))

        return self._call(f"POST workflows/{path}/{action}", function, "POST", f"workflows/{path}/{action}", True,
                          headers, remote_addr, body, work, rest=rest)

    def _once(self, ctx: CallContext, who: TokenOwner, idem: str, request: tuple[str, str, str], body: Any,
              do: Callable[[], Answer]) -> Answer:
        """Run a write once per Idempotency-Key: a retry with the same key and request replays the
        first answer; the same key with another request is a conflict."""
        if not idem:
            return do()
        method, path, keys = request
        request_hash = oauth.request_hash(method, path, keys, json.dumps(body, sort_keys=True))
        first = oauth.remembered(ctx.books.conn, who.company_key, who.client_id, idem)
        if first is not None:
            if first.request != request_hash:
                raise IdempotencyConflictError(idem)
            return Answer(first.status, json.loads(first.response) if first.response else None,
                          {"X-IA-Idempotent-Replay": "true"})
        answer = do()
        oauth.remember(ctx.books.conn, who.company_key, who.client_id, idem, request_hash, answer.status,
                       json.dumps(answer.body) if answer.body is not None else None, self.em.clock.now())
        return answer

    # ------------------------------------------------------------------ one request

    def _call(self, name: str, function: FunctionFacts, method: str, path: str, write: bool,
              headers: Mapping[str, str], remote_addr: str, body: Any, work: Work, *,
              claimed: tuple[str | None, str | None] | None = None, authenticate: bool = True,
              rest: RestObject | None = None) -> Answer:
        """Faults, one unit of work, the journal: the life of every REST request."""
        started = time.perf_counter()
        now = self.em.clock.now()
        entry = JournalEntry(at=now.isoformat(), remote_addr=remote_addr, controlid=function.controlid, protocol="rest",
                             functions=[{"name": name, "controlid": function.controlid, "object": function.object,
                                         "status": "success"}])
        document = document_number(rest, body) if write else None
        if document:
            entry.functions[0]["document"] = document
        faults = self.em.faults
        fault_version = shared.snapshot(self.em.db.connection()).get(shared.FAULT_VERSION, 0)
        one_off = one_off_rules(faults, headers)
        company, user = claimed if claimed is not None else token_owner(headers)
        entry.company, entry.user = company, user
        facts = rest_facts(function, method, path, headers, now, company, user)
        plan = fault_plan(faults, facts, one_off, getattr(self._replaying, "firings", None), fault_version)
        entry.faults = plan.journal()
        if plan.stop is not None:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)
            answer = front_answer(plan.stop)
            entry.functions[0].update(status="not run")
            self._finish(entry, answer, started, body)
            self.em.journal.record(entry)
            return answer
        apply_state_faults(plan, facts, self.em.db, self.em.companies)
        expired = any(f.type == "session_expire" for f in plan.state)
        held, busy = take_slots(faults, plan, facts, False, entry)
        try:
            if plan.delay_ms:
                time.sleep(plan.delay_ms / 1000)
            answer = self._unit(entry, write, headers, work, authenticate, expired, busy, plan, rest, body,
                                remote_addr, started)
        finally:
            for slot in held:
                slot.release()
        if entry.id is None:  # not journaled with a write: in a transaction of its own
            self._finish(entry, answer, started, body)
            self.em.journal.record(entry)
        return answer

    def _unit(self, entry: JournalEntry, write: bool, headers: Mapping[str, str], work: Work, authenticate: bool,
              expired: bool, busy: bool, plan, rest: RestObject | None, body: Any, remote_addr: str,
              started: float) -> Answer:
        """Authenticate, run, commit. A write to the books journals in its own transaction, so its
        entry exists exactly when the write does (a lost acknowledgement is planned before)."""
        unit = self.em.db.unit(write=write)
        try:
            if busy:
                raise TooManyOperationsError()
            who = None
            if authenticate:
                if expired:
                    raise TokenInvalidError("Token has expired")
                who = self.tokens.owner(unit.conn, header(headers, "Authorization"), header(headers, "X-IA-API-Param-Entity"))
                entry.company, entry.user = who.company_key, who.user.userid.lower()
            forced = plan.errors.get(0)
            if forced is not None:
                declared = rest.object if rest is not None else None
                raise forced.action.error({
                    "document_number": document_number(rest, body), "object": rest.object_name if rest else "",
                    "label": declared.label if declared is not None else None, "sessionid": None, "senderid": "",
                    "company": entry.company, "remote_addr": remote_addr})
            answer = work(unit, who)
            replayed = answer.headers.get("X-IA-Idempotent-Replay") == "true"
            if replayed:
                entry.functions[0]["status"] = "replayed"
            entry.committed = write and rest is not None and not replayed  # the books changed (not a token row)
            if entry.committed:
                note_records(entry.functions, [unit.touched])
                if plan.drop is not None and answer.status < 300:
                    answer = dropped(answer, plan.drop, entry)
                self._finish(entry, answer, started, body)
                self.em.journal.write(unit.conn, entry)
            unit.commit()
            return answer
        except OAuthError as err:
            unit.rollback()
            entry.functions[0].update(status="failure", errorno=err.oauth_error)
            return Answer(err.http_status, {"error": err.oauth_error, "error_description": err.first.description2})
        except IntacctError as err:
            unit.rollback()
            status, payload = error_body(err)
            entry.functions[0].update(status="failure", errorno=err.first.errorno)
            return Answer(status, payload)
        except BaseException:
            unit.rollback()
            raise

    def _context(self, unit, who: TokenOwner) -> CallContext:
        books = Books(unit.conn, who.company_key, who.entity, who.user.userid, db_stamp(self.em.clock.now()),
                      touched=unit.touched)
        return CallContext(books=books, company=who.company, custom=who.custom, user=who.user, entity=who.entity,
                           settings=self.em.settings, clock=self.em.clock, unit=unit, owner=who.user.userid)

    def _finish(self, entry: JournalEntry, answer: Answer, started: float, body: Any = None) -> None:
        entry.http_status = answer.status
        entry.duration_ms = (time.perf_counter() - started) * 1000
        if self.em.journal.mode == "full":  # bodies only where the journal keeps them
            entry.request_body = json.dumps(body).encode() if body is not None else None
            kept = (answer.lost or answer).payload()  # a page that replaced the answer: the journal keeps the answer
            entry.response_body = kept or None


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A request header by name, whatever case the client (or the WSGI layer) gave it."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)
