"""The one error model: every Intacct error is a typed exception that renders itself.

Raise an ``IntacctError`` subclass anywhere in the emulator; the pipeline places it at the level
its ``scope`` names (gateway, control, authentication or result) and calls ``write_errormessage``.
No other module writes ``<errormessage>`` or ``<error>`` elements. Numbers and texts come from
../shared/intacct-protocol.md section 4; where the real number was never captured, the choice is
recorded in docs/fidelity.md.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import ClassVar, Sequence

from .xmlwriter import XmlBuilder

GENERIC_BL = "BL01001973"


class Scope(enum.Enum):
    """Where in the response an error is rendered (protocol notes section 4.2, column 'lvl')."""

    GATEWAY = "gateway"  # bare <control><status>failure</status></control>, non-200 HTTP
    CONTROL = "control"  # <errormessage> directly under <response>; nothing ran
    AUTHENTICATION = "authentication"  # under <operation>; no function ran
    RESULT = "result"  # inside one <result>


@dataclass(frozen=True)
class ErrorDetail:
    """One ``<error>`` element."""

    errorno: str
    description: str = ""
    description2: str = ""
    correction: str = ""


class IntacctError(Exception):
    """Base of every error the gateway can answer with."""

    scope: ClassVar[Scope] = Scope.RESULT
    errorno: ClassVar[str] = GENERIC_BL
    http_status: ClassVar[int] = 200
    description: ClassVar[str] = ""
    correction: ClassVar[str] = ""
    reply: object | None = None  # partial <data> a failed function still shows (multi-object create)
    partial: bool = False  # earlier objects of this function were written and stay (unless transaction=true)

    def __init__(
        self,
        description2: str = "",
        *,
        errorno: str | None = None,
        description: str | None = None,
        correction: str | None = None,
        also: Sequence[ErrorDetail] = (),
    ) -> None:
        super().__init__(description2 or description or errorno or self.errorno)
        self.first = ErrorDetail(
            errorno=errorno if errorno is not None else self.errorno,
            description=description if description is not None else self.description,
            description2=description2,
            correction=correction if correction is not None else self.correction,
        )
        self.also: tuple[ErrorDetail, ...] = tuple(also)

    @property
    def details(self) -> tuple[ErrorDetail, ...]:
        return (self.first, *self.also)

    def with_also(self, *more: ErrorDetail) -> "IntacctError":
        """Append generic wrapper errors (e.g. 'Could not create X record!'), most specific first."""
        self.also = self.also + tuple(more)
        return self

    def write_errormessage(self, xml: XmlBuilder) -> None:
        """Render ``<errormessage>`` with one ``<error>`` per detail, in order."""
        xml.open("errormessage")
        for d in self.details:
            xml.open("error")
            xml.leaf("errorno", d.errorno)
            xml.leaf("description", d.description)
            if self.scope is not Scope.GATEWAY:
                xml.leaf("description2", d.description2)
                xml.leaf("correction", d.correction)
            xml.close()
        xml.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.first.errorno!r}, {self.first.description2!r})"


def mask_session(sessionid: str) -> str:
    """``***`` plus the last six characters: enough to tell sessions apart, useless to replay one."""
    sessionid = sessionid.strip()
    return f"***{sessionid[-6:]}" if sessionid else ""


def could_not(verb: str, label: str) -> ErrorDetail:
    """The generic wrapper Intacct appends after the specific error ('Could not create Customer record!')."""
    return ErrorDetail(GENERIC_BL, "", f"Could not {verb} {label} record!", "")


# --------------------------------------------------------------------------- gateway level


class GatewayError(IntacctError):
    """An error raised in front of the application: only errorno and description, non-200 status."""

    scope = Scope.GATEWAY
    http_status = 500
    errorno = "GW-0001"


class GatewayLoginError(GatewayError):
    """Bad login credentials on the current gateway: HTTP 401 with XMLGW_JPP0002."""

    http_status = 401
    errorno = "XMLGW_JPP0002"
    description = "Sign-in information is incorrect. Please check your request."


class RateLimitError(GatewayError):
    """HTTP 429 with GW-0010 (description text never captured; ours is documented in fidelity.md)."""

    http_status = 429
    errorno = "GW-0010"
    description = "Rate limit exceeded. Please retry the request later."


class RequestTooLargeError(GatewayError):
    """A body over the configured size limit: HTTP 413, rejected before parsing."""

    http_status = 413
    errorno = "GW-0011"
    description = "Invalid Request: the request body exceeds the maximum allowed size."


class BadFaultHeaderError(GatewayError):
    """An ``X-Mock-Fault`` header the emulator cannot read (emulator-only; never sent by Intacct)."""

    http_status = 400
    errorno = "GW-0011"

    def __init__(self, problem: str) -> None:
        super().__init__(description=f"Invalid Request: X-Mock-Fault header: {problem}")


class InternalServerError(GatewayError):
    """An unexpected emulator failure. The traceback goes to the log, never to the client."""

    http_status = 500
    errorno = "GW-0500"
    description = "Internal server error."


# --------------------------------------------------------------------------- control level


class EnvelopeError(IntacctError):
    """The request is not well-formed XML or does not match the request schema (XL03000003)."""

    scope = Scope.CONTROL
    errorno = "XL03000003"

    @classmethod
    def schema(cls, message: str, code: int = 1871) -> "EnvelopeError":
        """A libxml-style schema validation message, as the real gateway words it."""
        return cls(f"XML Parse schema error: Error {code}: {message}")


class SenderAuthError(IntacctError):
    """Wrong Web Services sender id or sender password (control level, XL03000006)."""

    scope = Scope.CONTROL
    errorno = "XL03000006"

    def __init__(self) -> None:
        super().__init__("Incorrect Intacct XML Partner ID or password.")


class PolicyError(IntacctError):
    """An unknown asynchronous transport policy id."""

    scope = Scope.CONTROL
    errorno = "XL03000006"

    def __init__(self, policyid: str) -> None:
        super().__init__(f"{policyid} is not a valid transport policy.")


class CompanyExpiredError(IntacctError):
    scope = Scope.CONTROL
    errorno = "PL04000055"

    def __init__(self) -> None:
        super().__init__("This company is a demo company and has expired.")


# --------------------------------------------------------------------------- authentication level


class AuthenticationError(IntacctError):
    """Bad user/company/password under the legacy (HTTP 200) behaviour."""

    scope = Scope.AUTHENTICATION
    errorno = "XL03000006"

    def __init__(self, description2: str = "Sign-in information is incorrect", **kw) -> None:
        super().__init__(description2, **kw)


class SenderNotAuthorizedError(AuthenticationError):
    """The sender id is valid but not on this company's Web Services authorisation list."""

    description = "Invalid Web Services Authorization"
    correction = "Contact the company administrator to grant Web Services authorization to this sender ID."

    def __init__(self, senderid: str, companyid: str) -> None:
        super().__init__(
            f"The sender ID '{senderid}' is not authorized to make Web Services requests to company ID '{companyid}'."
        )


class IpNotAllowedError(AuthenticationError):
    """The caller's IP is outside the company's IP allow-list (text chosen; see fidelity.md)."""

    correction = "Contact the company administrator to add this IP address to the list of allowed IP addresses."

    def __init__(self, ip: str) -> None:
        super().__init__(f"Sign-in information is incorrect. Login from IP address {ip} is not allowed for this user.")


class InvalidSessionError(AuthenticationError):
    """Unknown or expired ``<sessionid>``: userid and companyid come back empty."""

    def __init__(self, sessionid: str) -> None:
        # Intacct echoes the whole id; we keep only its tail so a session id never lands in an error
        # message, a client's log or the journal (docs/fidelity.md).
        super().__init__(f"Invalid session {mask_session(sessionid)}")


# --------------------------------------------------------------------------- result level


class UnknownObjectError(IntacctError):
    """An object name the company does not have (read, create, delete ...)."""

    def __init__(self, obj: str, errorno: str = "Query Failed") -> None:
        super().__init__(f"Object definition {obj} not found", errorno=errorno)


class QueryError(IntacctError):
    """An unknown field or a query the parser rejects: DL02000001, the integrators' nemesis."""

    errorno = "DL02000001"
    description = "Error"

    def __init__(self, detail: str = "") -> None:
        # The real text is generic; the detail goes to correction so users can see what was wrong.
        super().__init__("There was an error processing the request.", correction=detail)


class UnknownFieldError(QueryError):
    """A field name the object (with the company's custom fields) does not have."""

    def __init__(self, field: str, obj: str) -> None:
        super().__init__(f"Field '{field}' does not exist on object {obj}")
        self.field, self.object = field, obj


class QueryParseError(IntacctError):
    """A readByQuery string the legacy parser cannot read at all."""

    def __init__(self, query: str) -> None:
        super().__init__(f"Unable to parse Query value: {query}")


class EnumValueError(IntacctError):
    """``query`` filter with a stored code where a label is expected."""

    def __init__(self, field: str, value: str, labels: Sequence[str]) -> None:
        super().__init__(
            f"There's an error with the value for field {field}. Value: [{value}]. "
            f"Expected values: [{', '.join(labels)}]."
        )


class RequestValidationError(IntacctError):
    """A function's own XML is missing an element or carries a bad value."""

    errorno = "BL01001973"


class InvalidFieldValueError(RequestValidationError):
    """A value that does not fit its field's type (not a date, not a number, too long ...)."""

    def __init__(self, field: str, problem: str, correction: str | None = None) -> None:
        super().__init__(problem, correction=correction if correction is not None else f"Check the value of {field}.")
        self.field = field


class BusinessRuleError(IntacctError):
    """Any BL01001973-style business rule; subclasses name the rule."""


class DuplicateIdError(BusinessRuleError):
    """Another master-data record already uses this ID (BL34000061 + generic wrapper)."""

    errorno = "BL34000061"
    correction = "Use a unique value instead."

    def __init__(self, label: str, value: str) -> None:
        super().__init__(f"Another {label} with the given value(s) {value}  already exists")


class DocumentNumberExistsError(BusinessRuleError):
    """The numbering collision integrators meet on invoices and bills."""

    def __init__(self, number: str) -> None:
        super().__init__(f"A transaction with the number '{number}' already exists.")


class BatchKeyRequiredError(BusinessRuleError):
    """AR payment without a batch while the summary frequency is user-defined."""

    def __init__(self) -> None:
        super().__init__("Please provide a payment batch key.")


class PeriodClosedError(BusinessRuleError):
    """Posting date inside a closed GL period (wording of Intacct's UI; errorno chosen)."""

    correction = "Enter a date in an open period, or ask your administrator to reopen the period."

    def __init__(self, date_mdY: str) -> None:
        super().__init__(
            f"Periods are closed. Your transaction date ({date_mdY}) is within a period that's been closed."
        )


class InvalidReferenceError(BusinessRuleError):
    """A reference to a customer, vendor, account or dimension value that does not exist or is inactive."""

    def __init__(self, label: str, value: str) -> None:
        super().__init__(f"Invalid {label} '{value}' specified.")


class PermissionDeniedError(IntacctError):
    """The user's role lacks the module permission for this operation."""

    errorno = "PL04000005"

    def __init__(self, operation: str, obj: str) -> None:
        super().__init__(f"You do not have permission for API operation {operation} on objects of type {obj.lower()}")


class RecordNotFoundError(BusinessRuleError):
    """Delete (or pay against) a key that does not exist, including deleted records."""


class UpdateMissingError(IntacctError):
    """Update of a missing record: the real gateway puts the whole sentence in errorno."""

    def __init__(self, obj: str, key_field: str, key: str) -> None:
        super().__init__("", errorno=f"Cannot update non-existing {obj} with {key_field}={key}.")


class TransactionRolledBackError(IntacctError):
    """Added to every result when ``transaction="true"`` fails."""

    errorno = "XL03000009"

    def __init__(self) -> None:
        super().__init__("The entire transaction in this operation has been rolled back due to an error.")


ROLLBACK_DETAIL = TransactionRolledBackError().first


class DuplicateControlIdError(IntacctError):
    """``uniqueid=true`` and this function control id already completed (errorno configurable)."""

    def __init__(self, controlid: str, errorno: str | None = None) -> None:
        super().__init__(
            f"A successful transaction has already been recorded with the control id {controlid}", errorno=errorno
        )


class ControlIdInProcessError(IntacctError):
    def __init__(self, controlid: str, errorno: str | None = None) -> None:
        super().__init__(f"A request's function with the control ID {controlid} is in process.", errorno=errorno)


class TooManyOperationsError(IntacctError):
    """The company's concurrency slots stayed busy past the wait limit."""

    def __init__(self) -> None:
        super().__init__("There are too many operations running for this company (200024).")


class OperationNotAllowedError(IntacctError):
    """A generic operation the object does not offer (e.g. generic create of ARINVOICE)."""

    def __init__(self, operation: str, obj: str) -> None:
        super().__init__(f"API operation '{operation}' cannot be performed on objects of type {obj.lower()}")


class EntityRestrictionError(BusinessRuleError):
    """An entity-level session touching a record owned by the top level."""

    def __init__(self, label: str) -> None:
        super().__init__(f"You cannot update a root level {label.lower()} from an entity restricted user with one entity")
