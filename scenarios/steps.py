"""What each scenario step does: drive the reference client, send raw XML, or change the world.

Every step returns a ``StepResult``: the value it produced or the exception it raised, never
both. Client errors are results, not crashes: "the export raised OutcomeUnknown" is exactly the
kind of fact a scenario asserts on.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable

import requests
from lxml import etree

from intacct_mock.client import ClientConfig, IntacctClient, Operations
from intacct_mock.client.documents import bill_from_dict, credit_note_from_dict, invoice_from_dict, payment_from_dict
from intacct_mock.client.exporter import ExportStore, Exporter, RunStopped
from intacct_mock.client.operations import quote
from intacct_mock.client.rest import RestClient, RestConfig, RestOperations
from intacct_mock.client.xml import Function, build_request, parse_response
from intacct_mock import xmlsafe
from intacct_mock.admin_client import EmulatorControl
from intacct_mock.objects.registry import object_type



@dataclass
class StepResult:
    index: str
    action: str
    value: Any = None
    error: BaseException | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class RunContext:
    control: EmulatorControl
    company: str
    config: ClientConfig
    workdir: Path
    client: IntacctClient = field(init=False)
    stores: dict[str, ExportStore] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    protocol: str = "xml"  # the step's front door: xml (the gateway) or rest (/ia/api/v1)
    rest_client: RestClient | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.client = IntacctClient(self.config)

    @property
    def ops(self) -> Operations | RestOperations:
        """The reference client's operations over the step's protocol (the same names on both)."""
        if self.protocol == "rest":
            if self.rest_client is None:
                c = self.config
                self.rest_client = RestClient(RestConfig(
                    rest_base(c.endpoint_url), REST_CLIENT[0], REST_CLIENT[1], c.company_id, c.user_id, c.entity_id,
                    timeout=c.timeout, max_attempts=c.max_attempts, retry_budget=c.retry_budget,
                    backoff_base=c.backoff_base, backoff_cap=c.backoff_cap, page_size=c.page_size, seed=c.seed))
            return RestOperations(self.rest_client)
        return Operations(self.client)

    def store(self, name: str) -> ExportStore:
        with self.lock:
            if name not in self.stores:
                self.stores[name] = ExportStore(self.workdir / f"{name}.db")
            return self.stores[name]

    def close(self) -> None:
        for store in self.stores.values():
            store.close()


REST_CLIENT = ("mock-client", "mock-client-secret")  # the OAuth client every company has unless reconfigured


def rest_base(xml_endpoint: str) -> str:
    """The REST API beside an XML endpoint: same scheme and host, ``/ia/api/v1``."""
    scheme, _, rest = xml_endpoint.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}/ia/api/v1"


def _generate(template: dict[str, Any], n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(1, n + 1):
        doc = copy.deepcopy(template)
        doc["number"] = f"{template['number']}-{i:04d}"
        out.append(doc)
    return out


def export_bills(ctx: RunContext, spec: dict[str, Any]) -> Any:
    bills = list(spec["bills"])
    if spec.get("generate"):
        if not bills:
            raise ValueError("export_bills.generate needs one bill as the template")
        bills = _generate(bills[0], spec["generate"])
    store = ctx.store(spec.get("store", "default"))
    exporter = Exporter(ctx.ops, store, closed_period=spec.get("closed_period", "refuse"))
    for key in spec.get("regenerate") or []:
        exporter.regenerate(key)
    exporter.load("bill", bills)
    try:
        return exporter.run(retry_failed=bool(spec.get("retry_failed")))
    except RunStopped as stop:
        raise stop.reason from None


def export_bill(ctx: RunContext, spec: dict[str, Any]) -> Any:
    return ctx.ops.export_bill(bill_from_dict(spec))


def export_credit_note(ctx: RunContext, spec: dict[str, Any]) -> Any:
    return ctx.ops.export_credit_note(credit_note_from_dict(spec))


def export_invoice(ctx: RunContext, spec: dict[str, Any]) -> Any:
    return ctx.ops.export_invoice(invoice_from_dict(spec))


def record_payment(ctx: RunContext, spec: dict[str, Any]) -> Any:
    """``applied_to`` keys may be invoice numbers: they are looked up (as a sync tool maps them)."""
    spec = dict(spec)
    applied = {}
    for key, amount in (spec.get("applied_to") or {}).items():
        key = str(key)
        if not key.isdigit():
            found = ctx.ops.find_invoice(str(spec["customer_id"]), key)
            key = str(found["RECORDNO"]) if found else f"missing-{key}"
        applied[key] = amount
    spec["applied_to"] = applied
    return ctx.ops.record_payment(payment_from_dict(spec))


def import_records(ctx: RunContext, spec: dict[str, Any]) -> Any:
    obj = spec["object"]
    id_field = object_type(obj).id_field  # (the loader allowed only objects with one)
    assert id_field is not None
    return ctx.ops.upsert(obj, id_field, spec["records"])


def read(ctx: RunContext, spec: dict[str, Any]) -> Any:
    return list(ctx.client.read_by_query(spec["object"], spec.get("query", ""), spec.get("fields", "*")))


def sync_payments(ctx: RunContext, spec: dict[str, Any]) -> Any:
    now = datetime.fromisoformat(spec["now"]) if spec.get("now") else None
    if now is not None and now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return list(ctx.ops.sync_payments(lookback_days=spec.get("lookback_days", 8), now=now,
                                      obj=spec.get("object", "ARPYMT")))


def reverse(ctx: RunContext, spec: dict[str, Any]) -> Any:
    """Reverse a bill, invoice or payment by its RECORDNO (as the integration, or as someone in Intacct)."""
    return ctx.ops.reverse(spec["object"], str(spec["recordno"]), to_date(spec["date"]), spec.get("memo"))


def void_ap_payment(ctx: RunContext, spec: dict[str, Any]) -> Any:
    return ctx.ops.void_ap_payment(str(spec["recordno"]))


def delete(ctx: RunContext, spec: dict[str, Any]) -> Any:
    """Someone deletes a record in Intacct (through the gateway, as the same user)."""
    query = " AND ".join(f"{k} = {quote(str(v))}" for k, v in spec["where"].items())
    keys = [r["RECORDNO"] for r in ctx.client.read_by_query(spec["object"], query, "RECORDNO")]
    if not keys:
        raise LookupError(f"delete: no {spec['object']} where {spec['where']}")
    ctx.client.delete(spec["object"], keys)
    return keys


def raw(ctx: RunContext, spec: dict[str, Any], index: str) -> Any:
    """Send function XML as written, in one envelope signed in as the scenario's (or the step's) user."""
    c = ctx.config
    functions = []
    for n, text in enumerate(spec["functions"], start=1):
        try:
            body = xmlsafe.parse(text.strip().encode())  # no DTD, no entities: the file is user input
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise ValueError(f"raw function {n} is not XML: {exc}") from None
        functions.append(Function(f"raw-{index}-{n}", body))
    login = {"userid": spec.get("user", c.user_id), "companyid": c.company_id,
             "password": spec.get("password", c.user_password), "locationid": spec.get("entity", c.entity_id or "")}
    envelope = build_request(sender_id=spec.get("sender", c.sender_id), sender_password=c.sender_password,
                             controlid=f"raw-{index}", uniqueid=bool(spec.get("uniqueid", False)), functions=functions,
                             login=login, transaction=bool(spec.get("transaction", False)))
    r = requests.post(c.endpoint_url, data=envelope, headers={"Content-Type": "application/xml"}, timeout=c.timeout)
    out: dict[str, Any] = {"http_status": r.status_code, "statuses": [], "errors": [], "text": r.text}
    try:
        parsed = parse_response(r.content)
    except ValueError:
        return out
    out["statuses"] = [res.status for res in parsed.results]
    for errs in ([d for res in parsed.results for d in res.errors], parsed.auth_errors, parsed.control_errors):
        out["errors"] += [d.errorno for d in errs]
    return out


def set_clock(ctx: RunContext, spec: dict[str, Any]) -> Any:
    return ctx.control.set_clock(ctx.company, today=spec.get("today"), now=spec.get("now"))


def add_fault(ctx: RunContext, spec: dict[str, Any]) -> Any:
    return ctx.control.add_fault({**spec, "company": ctx.company})


def clear_faults(ctx: RunContext, spec: Any) -> Any:
    return ctx.control.clear_faults(ctx.company)


def configure(ctx: RunContext, spec: dict[str, Any]) -> Any:
    return ctx.control.configure_company(ctx.company, **spec)


def new_session(ctx: RunContext, spec: Any) -> Any:
    ctx.client.invalidate_session()
    return True


ACTIONS: dict[str, Callable[..., Any]] = {
    "export_bills": export_bills, "export_bill": export_bill, "export_credit_note": export_credit_note,
    "export_invoice": export_invoice, "record_payment": record_payment, "import": import_records, "read": read,
    "sync_payments": sync_payments, "reverse": reverse, "void_ap_payment": void_ap_payment, "delete": delete, "set_clock": set_clock, "add_fault": add_fault,
    "clear_faults": clear_faults, "configure": configure, "new_session": new_session,
}


def run_step(ctx: RunContext, step: dict[str, Any], index: str) -> list[StepResult]:
    """Run one step (a ``parallel`` step runs its children on threads, each with its own client)."""
    action = next(k for k in step if k not in ("id", "note", "expect", "protocol"))
    ctx.protocol = step.get("protocol", "xml")
    if action == "parallel":
        results: list[list[StepResult]] = [[] for _ in step["parallel"]]

        def branch(n: int, child: dict[str, Any]) -> None:
            sub = RunContext(ctx.control, ctx.company, ctx.config, ctx.workdir, protocol=ctx.protocol)
            sub.stores, sub.lock = ctx.stores, ctx.lock
            results[n] = run_step(sub, child, f"{index}.{n}")

        threads = [threading.Thread(target=branch, args=(n, child)) for n, child in enumerate(step["parallel"])]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        return [r for branch_results in results for r in branch_results]
    result = StepResult(index, action)
    try:
        if action == "raw":
            result.value = raw(ctx, step["raw"], index)
        else:
            result.value = ACTIONS[action](ctx, step[action])
    except Exception as exc:  # a client error is a result the scenario asserts on
        result.error = exc
    return [result]


def to_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
