"""What the client receives for an ``http_status`` fault, from whoever really sends it.

401 and 429 come from Intacct itself: a typed error the front door renders in its protocol (XML
for the gateway). 500 is the application server failing mid-request (no XML). 502, 503, 504 and
524 come from the CDN / load balancer in front of Intacct as HTML pages, which is what makes
clients choke ("Missing end tag for 'meta'"). The HTML wording is modelled on Cloudflare's pages
(unverified in detail; see docs/fidelity.md); what matters to a client is the status, the HTML
content type and the absence of XML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import GatewayLoginError, IntacctError, RateLimitError

XML = 'text/xml; encoding="UTF-8"'
HTML = "text/html; charset=UTF-8"

_TITLES = {
    500: "Internal Server Error",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway time-out",
    524: "A timeout occurred",
}
_EXPLANATIONS = {
    500: "The server encountered an internal error and was unable to complete your request.",
    502: "The web server reported a bad gateway error.",
    503: "The web server is temporarily unable to handle the request.",
    504: "The web server reported a gateway time-out error.",
    524: "The origin web server timed out responding to this request. The request may still be processing.",
}


@dataclass
class FrontendReply:
    """A status and either Intacct's own ``error`` (the front door renders it) or a ready ``body``."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)
    error: IntacctError | None = None


def _html(status: int) -> bytes:
    title = _TITLES[status]
    if status == 500:
        return (f"<html><head><title>{status} {title}</title></head><body><h1>{title}</h1>"
                f"<p>{_EXPLANATIONS[status]}</p></body></html>\n").encode()
    return (
        "<!DOCTYPE html>\n<html lang=\"en-US\"><head><meta charset=\"UTF-8\">"
        f"<title>api.intacct.com | {status}: {title}</title>"
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"></head><body>"
        f"<div id=\"cf-error-details\"><h1>{title}</h1><span>Error code {status}</span>"
        f"<p>{_EXPLANATIONS[status]}</p><p>Cloudflare Ray ID: 0000000000000000</p></div></body></html>\n"
    ).encode()


def http_status_reply(status: int, *, retry_after: int | None = None, body: str | None = None) -> FrontendReply:
    headers: dict[str, str] = {}
    if retry_after is not None:
        headers["Retry-After"] = str(retry_after)
    if body is not None:
        return FrontendReply(status, body.encode(), HTML if body.lstrip().startswith("<!") else XML, headers)
    if status == 401:
        return FrontendReply(401, b"", XML, headers, GatewayLoginError())
    if status == 429:
        return FrontendReply(429, b"", XML, headers, RateLimitError())
    return FrontendReply(status, _html(status), HTML, headers)
