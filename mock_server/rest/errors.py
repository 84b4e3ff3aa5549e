"""REST errors: the typed errors both front doors raise, rendered in the REST shape.

Every error carries what Intacct's REST answers carry (``ia::error`` with code, message, errorId,
additionalInfo and details) and its HTTP status. An error raised by the shared core (an
``IntacctError`` with an XML errorno) keeps that errorno in ``additionalInfo.messageId``; its
class decides the status: 400 for what the request says wrong, 403 permission, 404 missing, 409 a
unique key taken, 422 a business rule. Where Sage's ids for a rule are not public the
``errorId``s are chosen (docs/fidelity.md)."""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import (
    AuthenticationError, DuplicateIdError, EnvelopeError, IntacctError, InvalidFieldValueError, PermissionDeniedError,
    QueryError, RecordNotFoundError, RequestValidationError, UpdateMissingError,
)

# (HTTP status, code, errorId) per family, most specific first
FAMILIES: tuple[tuple[type[IntacctError], int, str, str], ...] = (
    (PermissionDeniedError, 403, "permissionDenied", "REST-1016"),
    (RecordNotFoundError, 404, "notFound", "REST-1004"),
    (UpdateMissingError, 404, "notFound", "REST-1004"),
    (DuplicateIdError, 409, "conflict", "REST-1009"),
    (QueryError, 400, "invalidRequest", "REST-1001"),
    (InvalidFieldValueError, 400, "invalidRequest", "REST-1001"),
    (RequestValidationError, 400, "invalidRequest", "REST-1001"),
    (EnvelopeError, 400, "invalidRequest", "REST-1001"),
    (AuthenticationError, 401, "invalidCredentials", "REST-2001"),
)
BUSINESS = (422, "operationFailed", "REST-1064")


class RestError(IntacctError):
    """An error only the REST front door raises (tokens, paths, JSON bodies)."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "invalidRequest"
    error_id: ClassVar[str] = "REST-1001"

    def __init__(self, message: str, *, target: str | None = None) -> None:
        super().__init__(message, errorno=self.error_id)
        self.target = target


class TokenInvalidError(RestError):
    status, code, error_id = 401, "tokenInvalid", "REST-2102"

    def __init__(self, message: str = "Token is not valid") -> None:
        super().__init__(message)


class OAuthError(RestError):
    """The token endpoint's own refusals (RFC 6749 names: invalid_client, invalid_grant ...)."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.oauth_error, self.http_status = error, status


class IdempotencyConflictError(RestError):
    status, code, error_id = 409, "conflict", "REST-1010"

    def __init__(self, key: str) -> None:
        super().__init__(f"The Idempotency-Key '{key}' was used with another request.", target="/Idempotency-Key")


class NotFoundPathError(RestError):
    status, code, error_id = 404, "notFound", "REST-1004"


class MethodNotAllowedError(RestError):
    status, code, error_id = 405, "methodNotAllowed", "REST-1005"


def classify(err: IntacctError) -> tuple[int, str, str]:
    if isinstance(err, RestError):
        return err.status, err.code, err.error_id
    for cls, status, code, error_id in FAMILIES:
        if isinstance(err, cls):
            return status, code, error_id
    return BUSINESS


def error_body(err: IntacctError) -> tuple[int, dict[str, Any]]:
    """(HTTP status, the ``ia::result``/``ia::meta`` body) for one error."""
    status, code, error_id = classify(err)
    first = err.first
    message = first.description2 or first.description or first.errorno
    error: dict[str, Any] = {
        "code": code, "message": message, "errorId": error_id,
        "additionalInfo": {"messageId": first.errorno, "placeholders": {}, "propertySet": {}},
    }
    target = getattr(err, "target", None) or _target(err)
    details = [{"code": code, "message": d.description2 or d.description or d.errorno, "errorId": error_id,
                "additionalInfo": {"messageId": d.errorno}} for d in err.also]
    if target:
        details.insert(0, {"code": code, "message": message, "errorId": error_id, "target": target})
    if first.correction:
        error["additionalInfo"]["correction"] = first.correction
    if details:
        error["details"] = details
    return status, {"ia::result": {"ia::error": error}, "ia::meta": {"totalCount": 1, "totalSuccess": 0,
                                                                      "totalError": 1}}


def _target(err: IntacctError) -> str | None:
    """The field an unknown-field error names, as a JSON pointer-ish target (``/NOSUCHFIELD``)."""
    text = err.first.correction or ""
    if text.startswith("Field '") and "' does not exist" in text:
        return "/" + text[len("Field '"):text.index("' does not exist")]
    return None
