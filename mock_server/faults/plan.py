"""Fault plans, whichever front door a request came through: the firings of one request grouped
by the phase their actions act in, the concurrency slots they hold, the one-off rules of the
``X-Mock-Fault`` header, and the state changes that make a request fail the natural way. The XML
gateway (``gateway/faulting.py``) and the REST API (``rest/faulting.py``) each say how a plan's
answers look in their protocol; what fires, and in which order, is decided here once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..auth import sessions
from ..company.model import CompanyConfig
from ..errors import BadFaultHeaderError
from ..journal import JournalEntry
from .actions import Phase, World
from .engine import FaultEngine, Firing, RequestFacts
from .model import FaultSpecError

MAX_TOTAL_DELAY_MS = 120_000


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
        change_world(plan, facts, _World(conn, companies))


def change_world(plan: "FaultPlan", facts: RequestFacts, world: World) -> None:
    """The plan's STATE firings applied to ``world`` (the emulator's books, or what a proxy remembers)."""
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
