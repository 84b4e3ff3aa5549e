"""One exception per kind of Intacct failure an integration must handle differently.

Each carries what Intacct said (errorno, description, description2, correction) and the control
id of the function (or request) it belongs to, so a log line or an exporter record can show the
customer Intacct's own words. ``classify`` maps an Intacct error to its class by number and text:
Intacct reuses BL01001973 for most business rules, so the text is what tells them apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class ErrorDetail:
    errorno: str = ""
    description: str = ""
    description2: str = ""
    correction: str = ""

    @property
    def text(self) -> str:
        return self.description2 or self.description or self.errorno


class IntacctError(Exception):
    """Base class: a failure reported by (or on the way to) the Intacct gateway."""

    retryable = False  # safe to send again as is (reads always; writes only when protected)

    def __init__(self, message: str = "", *, details: Sequence[ErrorDetail] = (), controlid: str = "",
                 http_status: int | None = None) -> None:
        self.details = tuple(details)
        first = self.details[0] if self.details else ErrorDetail()
        self.errorno = first.errorno
        self.description = first.description
        self.description2 = first.description2
        self.correction = next((d.correction for d in self.details if d.correction), "")
        self.controlid = controlid
        self.http_status = http_status
        super().__init__(message or first.text or type(self).__name__)

    def summary(self) -> str:
        parts = [f"{self.errorno}: " if self.errorno else "", str(self)]
        if self.correction:
            parts.append(f" ({self.correction})")
        return "".join(parts)


# ---------------------------------------------------------------------------- authentication


class AuthenticationFailed(IntacctError):
    """Wrong user, password or company; an HTTP 401 from the gateway; an inactive user."""


class SenderNotAuthorized(AuthenticationFailed):
    """The Web Services sender id is not authorised for this company (the customer must add it)."""


class IpNotAllowed(AuthenticationFailed):
    """The company's IP allow-list does not include this caller."""


class SenderCredentialsInvalid(AuthenticationFailed):
    """Wrong sender id or sender password (a control-level failure)."""


class SessionExpired(AuthenticationFailed):
    """The session id is unknown or timed out: sign in again and resend (nothing ran)."""

    retryable = True


# ---------------------------------------------------------------------------- business rules


class FunctionFailed(IntacctError):
    """A function failed for a reason without a class of its own."""


class NumberingCollision(FunctionFailed):
    """'A transaction with the number X already exists.'"""

    @property
    def document_number(self) -> str | None:
        m = re.search(r"number '([^']*)'", self.description2 or "")
        return m.group(1) if m else None


class UnknownField(FunctionFailed):
    """DL02000001: a field (often a custom field that was removed) is not on the object."""


class BatchKeyRequired(FunctionFailed):
    """'Please provide a payment batch key.' (AR summary frequency is user-defined)."""


class PeriodClosed(FunctionFailed):
    """The posting date falls in a closed GL period."""


class PermissionDenied(FunctionFailed):
    """The web services user's role may not do this in this module."""


class RecordNotFound(FunctionFailed):
    """The record referenced does not exist, or was deleted in Intacct."""


class InvalidReference(FunctionFailed):
    """A customer, vendor, account or dimension value that does not exist or is inactive."""


class DuplicateId(FunctionFailed):
    """Another master-data record already has this ID."""


class AlreadyRecorded(FunctionFailed):
    """uniqueid=true and this control id already completed: the write happened earlier."""


class ControlIdInProcess(FunctionFailed):
    """The same control id is running in another request right now."""

    retryable = True


class TransactionAborted(FunctionFailed):
    """transaction=true and another function failed: this one was rolled back (XL03000009)."""


class ConcurrencyLimited(FunctionFailed):
    """'There are too many operations running for this company': nothing ran; try again later."""

    retryable = True


class RequestRejected(IntacctError):
    """The whole request was refused before anything ran (malformed XML, schema, policy)."""


# ---------------------------------------------------------------------------- transport


class RateLimited(IntacctError):
    """HTTP 429 / GW-0010. ``retry_after`` in seconds when the gateway said."""

    retryable = True

    def __init__(self, message: str = "", *, retry_after: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class TransientServerError(IntacctError):
    """A 5xx, an HTML page instead of XML, or a broken connection on a request that changes nothing."""

    retryable = True


class OutcomeUnknown(IntacctError):
    """A write was sent but its answer was lost: Intacct may or may not have committed it.

    Never resend blindly: look the document up first (the client's reconciliation does).
    """


# ---------------------------------------------------------------------------- classification

_TEXT_RULES: list[tuple[str, type[IntacctError]]] = [
    (r"A transaction with the number '.*' already exists", NumberingCollision),
    (r"Please provide a payment batch key", BatchKeyRequired),
    (r"[Pp]eriods? (are|is) closed|period that's been closed", PeriodClosed),
    (r"You do not have permission for API", PermissionDenied),
    (r"A successful transaction has already been recorded with the control id", AlreadyRecorded),
    (r"with the control ID .* is in process", ControlIdInProcess),
    (r"too many operations running", ConcurrencyLimited),
    (r"The Service is Temporarily Off-line", TransientServerError),
    (r"^Invalid session", SessionExpired),
    (r"is not authorized to make Web Services requests", SenderNotAuthorized),
    (r"Login from IP address .* is not allowed", IpNotAllowed),
    (r"Another .* with the given value\(s\)", DuplicateId),
    (r"Cannot (find|update non-existing)|has been deleted or does not exist|does not exist", RecordNotFound),
    (r"^Invalid .* specified\.", InvalidReference),
]
_NUMBER_RULES = {"DL02000001": UnknownField, "PL04000005": PermissionDenied, "XL03000009": TransactionAborted,
                 "XMLGW_JPP0002": AuthenticationFailed, "GW-0010": RateLimited}


def classify(details: Sequence[ErrorDetail], default: type[IntacctError]) -> type[IntacctError]:
    """The most specific class for these errors (the first, most specific error decides)."""
    for d in details:
        for pattern, cls in _TEXT_RULES:
            for text in (d.description2, d.description, d.errorno):
                if text and re.search(pattern, text):
                    return cls
        if d.errorno in _NUMBER_RULES:
            return _NUMBER_RULES[d.errorno]
        if d.errorno.startswith("Cannot update non-existing"):
            return RecordNotFound
    return default
