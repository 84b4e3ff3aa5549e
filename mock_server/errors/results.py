"""Errors inside a function's result: unknown objects and fields, validation, business rules,
permissions, the control-id ledger and concurrency."""

from __future__ import annotations

from typing import Sequence

from .model import IntacctError


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
