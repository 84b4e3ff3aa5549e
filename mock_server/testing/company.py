"""One test's own company on an emulator, and the questions a test asks about what reached it.

``intacct_company`` (the pytest plugin) gives each test one of these: a fresh company made from a
demo seed (about 25 ms), deleted after the test, so tests never see each other's books, faults or
journal, on an in-process emulator or on a shared one in CI. The journal helpers answer what an
integration's test wants to assert: which requests were sent for a function, an object or a
document, how many, and that a document was written exactly once (the lost-acknowledgement
incident's invariant).
"""

from __future__ import annotations

import itertools
import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from ..admin_client import EmulatorControl

if TYPE_CHECKING:  # the reference client is optional for a plugin user
    from ..client.config import ClientConfig

COMPANY_SEED = 7
DEMO_SENDER = ("mock-sender", "mock-sender-pw")
DEMO_USER = ("ws_user", "ws_user_pw")
REST_CLIENT = ("mock-client", "mock-client-secret")


@dataclass
class MockCompany:
    """A company on a running emulator: its credentials, its faults, its books, its journal."""

    company: str
    base_url: str
    control: EmulatorControl
    sender: tuple[str, str] = DEMO_SENDER
    user: tuple[str, str] = DEMO_USER
    _faults: list[str] = field(default_factory=list, repr=False)

    # ------------------------------------------------------------------ where and who

    @property
    def url(self) -> str:
        """The XML gateway endpoint to give an Intacct client."""
        return self.base_url + "/ia/xml/xmlgw.phtml"

    @property
    def rest_url(self) -> str:
        """The REST API's base (``.../ia/api/v1``); tokens from ``/oauth2/token`` with ``rest_username``."""
        return self.base_url + "/ia/api/v1"

    @property
    def rest_username(self) -> str:
        """The ``username`` of a client-credentials token request: ``ws_user@COMPANY``."""
        return f"{self.user[0]}@{self.company}"

    @property
    def credentials(self) -> dict[str, str]:
        """What an Intacct client's configuration asks for, under the names the SDKs use."""
        return {"sender_id": self.sender[0], "sender_password": self.sender[1], "company_id": self.company,
                "user_id": self.user[0], "user_password": self.user[1], "endpoint_url": self.url}

    def client_config(self, **overrides: Any) -> "ClientConfig":
        """A configuration for the reference client (``intacct_mock.client``) pointed at this company."""
        from ..client.config import ClientConfig

        return ClientConfig(**{**self.credentials, **overrides})

    # ------------------------------------------------------------------ faults and clock

    def add_fault(self, rule: dict[str, Any]) -> dict[str, Any]:
        """Install a fault rule for this company only (``company`` is filled in)."""
        added = self.control.add_fault({**rule, "company": self.company})
        self._faults.append(added["id"])
        return added

    def add_faults(self, rules: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        added = self.control.add_faults([{**rule, "company": self.company} for rule in rules])
        self._faults.extend(rule["id"] for rule in added)
        return added

    def clear_faults(self) -> int:
        self._faults.clear()
        return self.control.clear_faults(self.company)

    def set_clock(self, *, today: str | None = None, now: str | None = None, frozen: bool = True) -> dict:
        """This company's "today" (closed periods, due dates, lookback windows)."""
        return self.control.set_clock(self.company, today=today, now=now, frozen=frozen)

    # ------------------------------------------------------------------ books

    def books(self, obj: str | None = None, **filters: Any) -> Any:
        """Counts per object, or the records of ``obj`` as Intacct shows them (filters: any field)."""
        return self.control.books(self.company, obj, **filters)

    # ------------------------------------------------------------------ journal

    def requests(self, *, function: str | None = None, object: str | None = None, document: str | None = None,
                 **filters: Any) -> list[dict[str, Any]]:
        """Journal entries of this company, oldest first (filters as ``GET /_mock/journal``)."""
        return self.control.journal(company=self.company, function=function, object=object, document=document,
                                    limit=1000, **filters)

    def count(self, **filters: Any) -> int:
        """How many of this company's requests match (``document="INV-778", committed=True`` ...)."""
        return self.control.journal_count(company=self.company, **filters)

    def functions(self, **filters: Any) -> list[dict[str, Any]]:
        """Each function of the matching requests, with its entry's ``delivery`` and ``committed``."""
        return [{**f, "entry": e["id"], "delivery": e["delivery"], "committed": e["committed"]}
                for e in self.requests(**filters) for f in e["functions"]]

    def written(self, document: str) -> list[dict[str, Any]]:
        """The committed writes that name ``document`` (its number, ID or a RECORDNO)."""
        return [f for f in self.functions(document=document, committed=True)
                if f.get("status") == "success" and f.get("recordno") is not None]

    def assert_written_once(self, document: str) -> dict[str, Any]:
        """Exactly one committed write of ``document`` reached the books (whatever the client saw);
        answers that function's journal item (``recordno`` is what Intacct answered)."""
        writes = [f for f in self.written(document) if _creates(f)]
        if len(writes) != 1:
            seen = "; ".join(f"entry {f['entry']}: {f['name']} {f.get('object')} -> RECORDNO {f.get('recordno')}"
                             f" ({f['delivery']})" for f in writes) or "none"
            raise AssertionError(f"{document!r} was written {len(writes)} times to {self.company}, expected once: {seen}")
        return writes[0]

    def assert_not_written(self, document: str) -> None:
        """No committed write names ``document``."""
        writes = self.written(document)
        if writes:
            raise AssertionError(f"{document!r} reached {self.company}: "
                                 + "; ".join(f"entry {f['entry']}: {f['name']}" for f in writes))

    def recordno_of(self, document: str) -> int | None:
        """The RECORDNO the last committed write of ``document`` was answered with (or lost)."""
        writes = self.written(document)
        return int(writes[-1]["recordno"]) if writes else None


def _creates(item: dict[str, Any]) -> bool:
    """A function that created its own object's record (not an update or a payment that touched it)."""
    own = [r for r in item.get("records") or () if r["object"] == item.get("object")]
    return any(r["action"] == "created" for r in own) if own else bool(item.get("records"))


_serial = itertools.count(1)


def new_company_id() -> str:
    """Unique across the test processes sharing one emulator (pid, a counter, a random tail)."""
    return f"T{os.getpid() % 10000:04d}-{next(_serial):05d}-{uuid.uuid4().hex[:6]}".upper()


@contextmanager
def fresh_company(control: EmulatorControl, base_url: str, *, seed: int = COMPANY_SEED,
                  settings: dict[str, Any] | None = None, records: list | None = None,
                  faults: Iterable[dict[str, Any]] = (), keep: bool = False) -> Iterator[MockCompany]:
    """A company made from a demo seed (plus ``settings`` and ``records``) with ``faults``, for the
    block; deleted afterwards unless ``keep``. The plugin's ``intacct_company`` is this, per test;
    ``make bench`` times it."""
    company_id = new_company_id()
    spec: dict[str, Any] = {"demo_seed": seed, "company_id": company_id}
    if settings:
        spec["company"] = dict(settings)
    if records:
        spec["records"] = records
    control.create_company(spec)
    company = MockCompany(company_id, base_url, control)
    try:
        rules = list(faults)
        if rules:
            company.add_faults(rules)
        yield company
    finally:
        if not keep:
            control.clear_faults(company_id)
            control.delete_company(company_id)
