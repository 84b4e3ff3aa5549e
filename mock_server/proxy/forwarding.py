"""The proxy's application step: where the emulator would run its unit of work, forward upstream.

Plugged into ``XmlGateway`` (``gateway/application.py``), so a proxied request goes through the
emulator's own pipeline: the envelope parsed the same way, the same ``RequestFacts``, the same
fault plan (``faults/plan.py``), the same latency, front-door answers and concurrency slots before
anything is sent, and the same journal entry. What happens here instead of the unit of work:

1. a session a ``session_expire`` fault expired, or a password a ``rotate_password`` fault changed,
   is refused in the emulator's words (``memory.py``), without asking the upstream;
2. functions an ``intacct_error`` fault (or a full concurrency limit) fails are answered with the
   error model's ``<result>``; the others go upstream and the results are put back in order
   (with ``transaction="true"`` the request fails as a whole, as the emulator answers it);
3. the rest goes upstream (``forward.py``) and the answer comes back unchanged, but for
   getAPISession's ``<endpoint>``, which must name the proxy;
4. the journal learns from the answer: each function's status and errorno, whose the request
   was, and ``committed``, derived from the answer: a function that changes books answered
   ``success`` (the proxy cannot see the upstream's books; with no answer, the functions say
   ``unknown``);
5. a ``drop_ack`` plan loses the real answer on its way to the client, exactly as the emulator
   loses its own (``gateway/faulting.dropped_reply``): the upstream committed, the client never knows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from ..errors import IntacctError, Scope, UpstreamAnswerLostError, UpstreamUnreachableError
from ..faults.engine import RequestFacts
from ..faults.plan import FaultPlan, change_world
from ..gateway import placement, registry, render
from ..gateway.application import Work
from ..gateway.dispatch import rolled_back
from ..gateway.envelope import Control, Request
from ..gateway.faulting import dropped_reply
from ..gateway.http import HttpReply
from ..gateway.replies import NO_DATA
from ..journal import JournalEntry
from .answer import AnswerSeen, read_answer, result_elements, splice, with_endpoint, without_functions
from .forward import Upstream
from .memory import ProxyMemory

if TYPE_CHECKING:  # pragma: no cover
    from ..gateway.pipeline import XmlGateway

# Functions the emulator does not implement still change books upstream; these prefixes say which.
WRITE_PREFIXES = ("create", "update", "delete", "reverse", "void", "apply", "reclass", "record", "install", "set")


def changes_books(name: str) -> bool:
    """Whether a successful ``name`` means the upstream committed something."""
    spec = registry.lookup(name)
    return spec.ledger if spec is not None else name.lower().startswith(WRITE_PREFIXES)


class ForwardingApplication:
    """``gateway.application.Application`` for a proxy: the upstream does the work."""

    def __init__(self, upstream: Upstream, memory: ProxyMemory | None = None) -> None:
        self.upstream = upstream
        self.memory = memory or ProxyMemory()

    # ------------------------------------------------------------------ the hooks before the work

    def unparsed(self, gw: "XmlGateway", body: bytes, headers: Mapping[str, str], control: Control | None,
                 error: IntacctError, entry: JournalEntry) -> HttpReply:
        """A body the emulator's parser refuses still goes upstream: the upstream's own answer is the
        one worth recording (no fault rule can match a request nobody could read)."""
        return self._reply(self.upstream.post(body, headers))

    def check(self, gw: "XmlGateway", control: Control, request: Request) -> None:
        """Nothing: the upstream checks the control block (only it knows the senders' passwords)."""

    def session_owner(self, gw: "XmlGateway", sessionid: str) -> tuple[str | None, str | None]:
        return self.memory.owner(sessionid)

    def change_state(self, gw: "XmlGateway", plan: FaultPlan, facts: RequestFacts) -> None:
        change_world(plan, facts, self.memory)

    # ------------------------------------------------------------------ the work

    def run(self, gw: "XmlGateway", work: Work) -> HttpReply:
        reply = self._answer(gw, work)
        plan = work.plan
        return dropped_reply(reply, plan.drop, work.entry) if plan.drop is not None else reply

    def _answer(self, gw: "XmlGateway", work: Work) -> HttpReply:
        control, request, entry = work.control, work.request, work.entry
        refused = self.memory.refusal(gw.settings, request)
        if refused is not None:
            return placement.abort_for(control, placement.failed_echo(self._echo(request), refused), refused).reply
        errors: dict[int, IntacctError] = {}
        for index, fn in enumerate(request.operation.functions):
            try:
                work.forced.raise_for(index, fn)
            except IntacctError as err:
                errors[index] = err
        wider = next((err for err in errors.values() if err.scope is not Scope.RESULT), None)
        if wider is not None:  # an authentication-level preset: the whole operation fails
            return placement.abort_for(control, placement.failed_echo(self._echo(request), wider), wider).reply
        local = self._local_results(request, errors)
        if errors and (request.operation.transaction or len(errors) == len(request.operation.functions)):
            results = (rolled_back(request, local, min(errors)) if request.operation.transaction
                       else [local[i] for i in sorted(errors)])
            _note_local(entry, results)
            return HttpReply(200, render.render_response(control, self._echo(request), results))
        body, headers = work.body, work.headers
        if errors:  # (re-serialised as XML, whatever encoding the client used)
            body = without_functions(work.body, set(errors))
            headers = {**{k: v for k, v in work.headers.items() if k.lower() != "content-type"},
                       "Content-Type": "application/xml"}
        try:
            answer = self.upstream.post(body, headers)
        except UpstreamUnreachableError:
            _mark(entry, "not run", skip=errors)
            raise
        except UpstreamAnswerLostError:
            _mark(entry, "unknown", skip=errors)
            raise
        reply = self._reply(answer)
        if errors:
            rendered = result_elements(render.render_response(control, self._echo(request),
                                                              [local[i] for i in sorted(errors)]))
            spliced = splice(reply.body, dict(zip(sorted(errors), rendered)))
            if spliced is not None:
                reply.body = spliced
        if any(fn.name == "getAPISession" for fn in request.operation.functions):
            reply.body = with_endpoint(reply.body, work.endpoint() if callable(work.endpoint) else work.endpoint)
        seen = read_answer(reply.body)
        if seen is None and reply.status >= 500:  # a CDN page: the request may or may not have run
            _mark(entry, "unknown", skip=errors)
        self._learn(request, entry, seen)
        return reply

    # ------------------------------------------------------------------ helpers

    def _reply(self, answer) -> HttpReply:
        return HttpReply(answer.status, answer.body, answer.content_type, dict(answer.headers))

    def _echo(self, request: Request) -> render.AuthEcho:
        """The authentication block of an answer the proxy writes itself: what the request signed in as."""
        op = request.operation
        if op.login is not None:
            return render.AuthEcho("success", op.login.userid, op.login.companyid, op.login.locationid or "")
        company, user = self.memory.spelled(op.sessionid or "")
        return render.AuthEcho("success", user or "", company or "", "")

    def _local_results(self, request: Request, errors: dict[int, IntacctError]) -> list[render.FunctionResult]:
        """Up to the last failed function: its failure result at each failed index (rolled_back reads
        the one it names)."""
        functions = request.operation.functions
        return [render.FunctionResult(fn.name, fn.controlid, "failure", errors[i].reply or NO_DATA, errors[i])
                if i in errors else render.FunctionResult(fn.name, fn.controlid, "success")
                for i, fn in enumerate(functions[: max(errors) + 1] if errors else ())]

    def _learn(self, request: Request, entry: JournalEntry, seen: AnswerSeen | None) -> None:
        """Journal what the answer says; remember whose the sessions in it are."""
        if seen is None:
            return
        for item, result in zip(entry.functions, seen.results):
            item["status"] = result.status or "unknown"
            if result.errorno:
                item["errorno"] = result.errorno
            if result.status == "success" and result.recordno is not None and changes_books(item["name"]):
                item["recordno"] = result.recordno  # what the upstream answered (its records are its own)
        entry.committed = any(item["status"] == "success" and changes_books(item["name"]) for item in entry.functions)
        if seen.auth_status != "success" or not seen.companyid:
            return
        if entry.company is None:
            entry.company, entry.user = seen.companyid.upper(), (seen.userid or "").lower() or None
        op = request.operation
        if op.login is None and op.sessionid:
            self.memory.learn(op.sessionid, seen.companyid, seen.userid or "")
        for result in seen.results:
            if result.sessionid:
                self.memory.learn(result.sessionid, seen.companyid, seen.userid or "")


def _note_local(entry: JournalEntry, results: list[render.FunctionResult]) -> None:
    for item, result in zip(entry.functions, results):
        item["status"] = result.status
        if result.error is not None:
            item["errorno"] = result.error.first.errorno


def _mark(entry: JournalEntry, status: str, skip: Mapping[int, IntacctError]) -> None:
    """Functions whose fate the proxy cannot know (no answer came back), or that never left."""
    for index, item in enumerate(entry.functions):
        if index in skip:
            item["status"], item["errorno"] = "failure", skip[index].first.errorno
        else:
            item["status"] = status
