"""The one error model: every Intacct error is a typed exception that renders itself.

Raise an ``IntacctError`` subclass anywhere in the emulator; the pipeline places it at the level
its ``scope`` names (gateway, control, authentication or result) and calls ``write_errormessage``.
No other module writes ``<errormessage>`` or ``<error>`` elements. Numbers and texts come from
../shared/intacct-protocol.md section 4; where the real number was never captured, the choice is
recorded in docs/fidelity.md.

The package: ``model`` (the base class and its rendering), ``front`` (errors answered before any
function runs), ``results`` (errors inside a function's result). Import from here.
"""
# ruff: noqa: F401  (the package's face: it hands the names on)

from .front import (
    AuthenticationError, BadContentLengthError, BadFaultHeaderError, BodyTimeoutError, CompanyExpiredError,
    EnvelopeError, GatewayError, GatewayLoginError, IncompleteBodyError, InternalServerError, InvalidSessionError,
    IpNotAllowedError, MalformedChunkedBodyError, PolicyError, RateLimitError, RequestBodyError,
    RequestTooLargeError, SenderAuthError, SenderNotAuthorizedError, UpstreamAnswerLostError, UpstreamError,
    UpstreamUnreachableError, WebServicesNotSubscribedError,
)
from .model import GENERIC_BL, ErrorDetail, IntacctError, Scope, could_not, mask_session
from .results import (
    ROLLBACK_DETAIL, BatchKeyRequiredError, BusinessRuleError, ControlIdInProcessError,
    DocumentNumberExistsError, DuplicateControlIdError, DuplicateIdError, EntityRestrictionError,
    EnumValueError, InvalidFieldValueError, InvalidReferenceError, OperationNotAllowedError, PeriodClosedError,
    PermissionDeniedError, QueryError, QueryParseError, RecordNotFoundError, RequestValidationError,
    TooManyOperationsError, TransactionRolledBackError, UnknownFieldError, UnknownObjectError,
    UpdateMissingError,
)
