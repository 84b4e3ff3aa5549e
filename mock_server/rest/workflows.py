"""The REST API's workflow actions: ``POST /workflows/<application>/<object>/<action>`` with a
body naming the record (``{"key": "132"}``), as Sage publishes them. A document's state is
read-only on ``/objects`` (``state`` cannot be PATCHed); it moves only through these.

One table (``WORKFLOWS``) holds every action Sage publishes for the objects the emulator keeps,
with the body properties its OpenAPI documents name (``spec/*.json`` of
``lorenz-bus-service/node-intacct-rest-api``: bill reverse ``reverseDate``/``notes``, invoice
reverse ``reversedDate``/``memo``, AP payment reverse ``paymentDate``/``description``). An
action runs the same ``functions/writes.py`` the XML gateway's ``update``/``reverse_*`` run, so
the rules (a paid bill cannot be reversed, a reversal date before the document's, a closed
period) and their errors are the same on both doors. Actions whose effect the books do not model
(approvals, payment delivery, PDFs) are published here too, and refused with a 422 that says so,
rather than a 404 that would read as a wrong path. The request's life (faults, unit of work,
journal, Idempotency-Key) is ``service.RestApi``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..functions import writes
from ..functions.context import CallContext
from ..objects.legacy import LegacyReverse
from . import codec
from .answer import Answer
from .crud import meta
from .errors import NotFoundPathError, RestError
from .objects import RestObject, rest_object

KEY = re.compile(r"^[0-9]{1,18}$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class NotEmulatedError(RestError):
    """A published workflow action whose effect the emulator's books do not model (docs/fidelity.md)."""

    status, code, error_id = 422, "operationFailed", "REST-1064"


@dataclass(frozen=True)
class Workflow:
    path: str  # the REST object: accounts-payable/bill
    action: str  # submit | reverse | approve ...
    summary: str
    run: str = ""  # "submit", "reverse", or "" (published, not emulated)
    date: str | None = None  # the body's date property (reverse)
    date_required: bool = False
    memo: str | None = None  # the body's memo property (reverse)
    refusal: str = ""  # why a not-emulated action is refused

    @property
    def properties(self) -> tuple[str, ...]:
        return ("key", *(p for p in (self.date, self.memo) if p))


APPROVALS = "Approvals are not emulated: a document submitted here posts at once."
PAYMENT_FLOW = ("The AP payment approval and delivery workflow is not emulated: a payment created here is complete "
                "at once; reverse it to undo it.")

WORKFLOWS: dict[tuple[str, str], Workflow] = {(w.path, w.action): w for w in (
    Workflow("accounts-payable/bill", "submit", "Submit a draft bill: draft -> posted", "submit"),
    Workflow("accounts-payable/bill", "approve", "Approve a bill", refusal=APPROVALS),
    Workflow("accounts-payable/bill", "decline", "Decline a bill", refusal=APPROVALS),
    Workflow("accounts-payable/bill", "recall", "Recall a submitted bill", refusal=APPROVALS),
    Workflow("accounts-payable/bill", "reverse", "Reverse a posted bill", "reverse", "reverseDate", True, "notes"),
    Workflow("accounts-payable/bill-line", "release", "Release a bill line for payment",
             refusal="Release to pay is not emulated: every bill line is payable."),
    Workflow("accounts-payable/adjustment", "submit", "Submit a draft adjustment: draft -> posted", "submit"),
    Workflow("accounts-payable/adjustment", "reverse", "Reverse a posted adjustment", "reverse", "reverseDate", True,
             "memo"),
    *(Workflow("accounts-payable/payment", a, f"{a.capitalize()} a payment", refusal=PAYMENT_FLOW)
      for a in ("submit", "approve", "decline", "confirm", "print")),
    Workflow("accounts-payable/payment", "reverse", "Reverse a payment or void a check", "reverse", "paymentDate",
             False, "description"),
    Workflow("accounts-receivable/invoice", "submit", "Submit a draft invoice: draft -> posted", "submit"),
    Workflow("accounts-receivable/invoice", "reclassify", "Reclassify a posted invoice",
             refusal="Reclassifying a posted invoice is not emulated."),
    Workflow("accounts-receivable/invoice", "reverse", "Reverse a posted invoice", "reverse", "reversedDate", True,
             "memo"),
    Workflow("accounts-receivable/invoice", "generate-pdf", "Generate a PDF of an invoice",
             refusal="Invoice PDFs are not emulated."),
    Workflow("accounts-receivable/adjustment", "submit", "Submit a draft adjustment: draft -> posted", "submit"),
    Workflow("accounts-receivable/payment", "submit", "Submit a draft AR payment",
             refusal="Submitting a draft AR payment is not emulated: create it complete."),
    Workflow("accounts-receivable/payment", "reverse", "Reverse an AR payment", "reverse", "reversedDate", False,
             "memo"),
)}


def split_workflow_path(rest_path: str) -> tuple[str, str]:
    """``accounts-payable/bill/submit`` -> (``accounts-payable/bill``, ``submit``)."""
    head, _, action = rest_path.strip("/").rpartition("/")
    return head, action


def find(path: str, action: str) -> Workflow:
    workflow = WORKFLOWS.get((path, action))
    if workflow is None:
        raise NotFoundPathError(f"There is no workflow action '{action}' on '{path}' here.",
                                target=f"/workflows/{path}/{action}")
    return workflow


def function_name(workflow: Workflow | None, rest: RestObject | None) -> str:
    """The XML function the action stands for, as fault rules name it: a submit is an ``update``,
    a reverse the object's legacy ``reverse_*`` (``reverse_bill``)."""
    if workflow is None:
        return "workflow"
    if workflow.run == "submit":
        return "update"
    if workflow.run == "reverse" and rest is not None:
        named = next((f.name for f in rest.object.legacy if isinstance(f, LegacyReverse) and not f.void), None)
        return named or "reverse"
    return workflow.action


def run(ctx: CallContext, workflow: Workflow, body: Any) -> Answer:
    """One workflow call: the body checked, the action run, the record answered with its new state."""
    rest = rest_object(workflow.path)
    assert rest is not None, workflow.path
    values = _body(workflow, body)
    if not workflow.run:
        raise NotEmulatedError(f"The workflow action '{workflow.action}' on {workflow.path} is not emulated. "
                               f"{workflow.refusal}")
    key = values["key"]
    obj = rest.object
    recordno = int(key) if KEY.match(key) and ctx.books.get(obj, int(key)) is not None else None
    if workflow.run == "submit":
        writes.submit_record(ctx, obj, recordno, key)
    else:
        writes.reverse_record(ctx, obj, recordno, key, values.get(workflow.date) if workflow.date else None,
                              values.get(workflow.memo) if workflow.memo else None)
    after = ctx.books.get(obj, int(key))
    return Answer(200, {"ia::result": {**codec.reference(rest, after), "state": state_of(ctx, rest, after)},
                        "ia::meta": meta(1, 1)})


def state_of(ctx: CallContext, rest: RestObject, row: dict) -> str | None:
    """The record's state as the REST API names it (``posted``, ``reversed``)."""
    field = next((f for f in rest.fields if f.stored == "STATE" and "." not in f.name), None)
    if field is None:
        return None
    value = field.to_json(row.get("STATE"), ctx.fields_of(rest.object).get("STATE"))
    if isinstance(value, str) and value not in field.enum:  # a state the published enumeration lacks: its label
        first, *rest_words = value.split() or [""]
        value = first.lower() + "".join(w.capitalize() for w in rest_words)
    return value


def _body(workflow: Workflow, body: Any) -> dict[str, str]:
    """The action's body: an object with a ``key`` and only the properties Sage publishes for it."""
    if not isinstance(body, dict):
        raise RestError("A workflow action needs a JSON object body naming the record's 'key'.", target="/")
    unknown = next((k for k in body if k not in workflow.properties), None)
    if unknown is not None:
        raise RestError(f"'{unknown}' is not a property of the {workflow.action} action on {workflow.path}.",
                        target=f"/{unknown}")
    key = body.get("key")
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)
    if not isinstance(key, str) or not key.strip():
        raise RestError("The workflow action needs the record's 'key'.", target="/key")
    values = {"key": key.strip()}
    for name in workflow.properties[1:]:
        value = body.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise RestError(f"'{name}' must be a string.", target=f"/{name}")
        if name == workflow.date:
            try:
                if not DATE.match(value):
                    raise ValueError(value)
                date.fromisoformat(value)
            except ValueError:
                raise RestError(f"'{name}' must be a date (YYYY-MM-DD).", target=f"/{name}") from None
        values[name] = value
    if workflow.date_required and workflow.date not in values:
        raise RestError(f"The {workflow.action} action needs '{workflow.date}'.", target=f"/{workflow.date}")
    return values


def openapi_paths(result_ref: dict[str, Any], errors: dict[str, Any]) -> dict[str, Any]:
    """The workflow operations for the OpenAPI document (``openapi.py``): each one's body and answers."""
    paths: dict[str, Any] = {}
    for (path, action), w in sorted(WORKFLOWS.items()):
        props: dict[str, Any] = {"key": {"type": "string", "pattern": KEY.pattern,
                                         "description": "The record's key"}}
        if w.date:
            props[w.date] = {"type": "string", "format": "date"}
        if w.memo:
            props[w.memo] = {"type": "string", "maxLength": 1000}
        required = ["key", *([w.date] if w.date_required else [])]
        operation = {
            "tags": [path.split("/")[0]], "operationId": f"{action}-{path.replace('/', '-')}",
            "summary": w.summary + ("" if w.run else " (not emulated: 422)"),
            "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 200}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": required, "additionalProperties": False, "properties": props}}}},
            "responses": {"200": {"description": "The record and its new state", "content": {"application/json": {
                "schema": {"type": "object", "required": ["ia::result"], "properties": {
                    "ia::result": result_ref, "ia::meta": {"$ref": "#/components/schemas/metadata"}}}}}},
                **errors},
        }
        paths[f"/workflows/{path}/{action}"] = {"post": operation}
    return paths
