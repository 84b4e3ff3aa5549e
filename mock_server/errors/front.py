"""Errors answered before any function runs: gateway, control and authentication levels."""

from __future__ import annotations


from .model import IntacctError, Scope, mask_session


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


class RequestBodyError(GatewayError):
    """The body did not arrive as its headers framed it; answered before parsing, as the web server
    in front of the gateway refuses a broken body (HTTP 400; 408 when it stalled). Texts ours."""

    http_status = 400
    errorno = "GW-0011"


class BadContentLengthError(RequestBodyError):
    description = "Invalid Request: the Content-Length header is not a non-negative integer."


class IncompleteBodyError(RequestBodyError):
    description = "Invalid Request: the request body ended before the length its headers declared."


class MalformedChunkedBodyError(RequestBodyError):
    description = "Invalid Request: the chunked request body is malformed or ends without its last chunk."


class BodyTimeoutError(RequestBodyError):
    http_status = 408
    description = "Request Timeout: the request body stopped arriving before it was complete."


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


class UpstreamError(GatewayError):
    """``intacct-mock proxy``: the Intacct endpoint it forwards to gave no usable answer. Emulator-only
    numbers (a real gateway never proxies); the description says what happened, never a URL's secrets."""

    http_status = 502
    errorno = "GW-0502"

    def __init__(self, problem: str) -> None:
        super().__init__(description=f"Bad gateway: the upstream Intacct endpoint {problem}.")


class UpstreamUnreachableError(UpstreamError):
    """The proxy could not connect (refused, no route, DNS, TLS): the request never left, nothing ran upstream."""


class UpstreamAnswerLostError(UpstreamError):
    """The request reached the upstream but its answer did not come back (timeout, reset): it may have committed."""

    http_status = 504
    errorno = "GW-0504"


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
    """Captured answer (official JS SDK tests): ``<control>`` with empty senderid and controlid only."""

    scope = Scope.CONTROL
    errorno = "PL04000055"
    echoes_control = False

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


class WebServicesNotSubscribedError(AuthenticationError):
    """The company never subscribed to Web Services (text as Sage's FAQ quotes it; errorno not
    captured, XL03000006 chosen as for the other sign-in refusals)."""

    def __init__(self) -> None:
        super().__init__("This company is not authorized for XML transactions. Please subscribe to the XML Gateway.")


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
