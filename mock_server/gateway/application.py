"""The gateway's application: what answers a request once the pipeline has read it and planned its faults.

The pipeline (``pipeline.py``) owns the stages every request goes through whoever answers it:
parse, fault planning over ``faults/plan.py`` (the same ``RequestFacts`` from the same envelope),
latency, front-door answers, concurrency slots, the journal entry. What differs between the
emulator and a proxy in front of a real Intacct (``mock_server/proxy/``) is this object: who checks
the control block, who knows whose a session is, what a STATE fault changes, and who does the work
(the emulator's unit of work over its books, or the HTTP call upstream). Keeping those five hooks
here, rather than a second pipeline, is what lets the proxy reuse fault planning, delivery and the
journal as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping, Protocol

from ..errors import IntacctError
from ..faults.engine import RequestFacts
from ..faults.plan import FaultPlan, apply_state_faults
from ..journal import JournalEntry
from ..store.unit import Deferred
from . import placement
from .control import check_control
from .envelope import Control, Request
from .execution import run_unit
from .faulting import ForcedErrors, session_owner
from .http import HttpReply

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import XmlGateway


@dataclass
class Work:
    """A request the pipeline admitted: read, faults planned, slots held; the application answers it."""

    body: bytes  # as the client sent it
    headers: Mapping[str, str]  # as the client sent them (any case)
    control: Control
    request: Request
    remote_addr: str
    endpoint: str | Callable[[], str]
    plan: FaultPlan
    facts: RequestFacts
    forced: ForcedErrors
    entry: JournalEntry
    deferred: list[Deferred]
    started: float


class Application(Protocol):
    """The hooks ``XmlGateway`` calls; ``Books`` is the emulator's, ``proxy.ForwardingApplication`` a proxy's."""

    def unparsed(self, gw: "XmlGateway", body: bytes, headers: Mapping[str, str], control: Control | None,
                 error: IntacctError, entry: JournalEntry) -> HttpReply:
        """A body the envelope parser refused."""

    def check(self, gw: "XmlGateway", control: Control, request: Request) -> None:
        """Stage 2: raise the control-level error of the first check that fails."""

    def session_owner(self, gw: "XmlGateway", sessionid: str) -> tuple[str | None, str | None]:
        """(company key, lower-case user id) of a session, for fault rules and the journal."""

    def change_state(self, gw: "XmlGateway", plan: FaultPlan, facts: RequestFacts) -> None:
        """Apply the plan's STATE firings (a rotated password, an expired session)."""

    def run(self, gw: "XmlGateway", work: Work) -> HttpReply:
        """Stage 4 (and the delivery plan of stage 5): do the work and answer."""


class Books:
    """The emulator's own application: its control checks, its sessions, its unit of work over its books."""

    def unparsed(self, gw: "XmlGateway", body: bytes, headers: Mapping[str, str], control: Control | None,
                 error: IntacctError, entry: JournalEntry) -> HttpReply:
        return placement.control_failure(control, error)

    def check(self, gw: "XmlGateway", control: Control, request: Request) -> None:
        check_control(gw.settings, control, request)

    def session_owner(self, gw: "XmlGateway", sessionid: str) -> tuple[str | None, str | None]:
        return session_owner(gw.db, sessionid)

    def change_state(self, gw: "XmlGateway", plan: FaultPlan, facts: RequestFacts) -> None:
        apply_state_faults(plan, facts, gw.db, gw.emulator.companies)

    def run(self, gw: "XmlGateway", work: Work) -> HttpReply:
        return run_unit(gw, work.control, work.request, work.remote_addr, work.endpoint, work.plan, work.forced,
                        work.entry, work.deferred, work.started)
