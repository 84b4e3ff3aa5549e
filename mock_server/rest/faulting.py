"""The REST API's side of fault plans (``faults/plan.py`` decides what fires).

A REST request is one function for the fault rules, named as the XML function that does the same
thing, on the same object: ``POST objects/accounts-payable/bill`` is ``create`` on APBILL,
``PATCH`` is ``update``, ``DELETE`` is ``delete``, ``GET`` one record ``read``, a collection
``readByQuery``, the query service ``query``. So a rule written for XML (``object: APBILL``,
``action: drop_ack``) fires on REST writes too, and ``protocol``/``method``/``path`` narrow a rule
to one door. Its control id is the ``Idempotency-Key``. Who sent it is read from the bearer
token's claims (unverified: the rules match before authentication, as XML's match the
``<login>``).

What the rules do, in REST terms: front-end answers rendered as REST errors (401, 429 with its
``Retry-After`` headers) or the CDN's HTML pages; a forced Intacct error rendered by the REST
renderer; ``session_expire`` makes the request's token expired; ``drop_ack`` loses the committed
answer on the socket, or replaces it with a gateway error page.
"""

from __future__ import annotations

from typing import Any, Mapping

import jwt

from ..faults.delivery import DropPlan
from ..faults.engine import Firing, FunctionFacts, RequestFacts
from ..faults.frontend import http_status_reply
from ..journal import JournalEntry
from .answer import Answer
from .errors import error_body
from .objects import RestObject

JSON = "application/json"


def function_name(method: str, keys: str | None) -> str:
    """The XML function a REST object call stands for, as fault rules name it."""
    if method == "GET":
        return "read" if keys else "readByQuery"
    return {"POST": "create", "PATCH": "update", "DELETE": "delete"}.get(method, method.lower())


def token_owner(headers: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(company key, lower-case user) the bearer token claims, unverified; (None, None) without one."""
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), "") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer":
        return None, None
    try:
        claims = jwt.decode(token.strip(), options={"verify_signature": False})
    except jwt.PyJWTError:
        return None, None
    company, user = claims.get("cnyId"), claims.get("usrId")
    return (str(company).upper() if company else None, str(user).lower() if user else None)


def rest_facts(function: FunctionFacts, method: str, path: str, headers: Mapping[str, str], now,
               company: str | None, user: str | None) -> RequestFacts:
    return RequestFacts(company=company, sender="", user=user, sessionid=None, functions=(function,),
                        headers={k.lower(): v for k, v in headers.items()}, now=now, protocol="rest",
                        method=method, path=path.strip("/"))


def document_number(rest: RestObject | None, body: Any) -> str | None:
    """The document a REST write names (``billNumber`` for a bill), for forced errors that quote it."""
    if rest is None or not isinstance(body, Mapping):
        return None
    key = rest.object.document_key
    name = next((f.name for f in rest.fields if key and f.stored == key and "." not in f.name), None)
    value = body.get(name) if name else None
    return str(value) if value not in (None, "") else None


def front_answer(firing: Firing) -> Answer:
    """A FRONT action's answer in REST terms: Intacct's own errors in the REST shape, with the
    REST rate-limit headers beside ``Retry-After``; CDN pages as they are."""
    front = firing.action.front(firing)
    headers = dict(front.headers)
    if front.error is not None:
        _, body = error_body(front.error)
        if "Retry-After" in headers:
            headers["X-IA-Throttle-Limit-Retry-After"] = headers["Retry-After"]
        return Answer(front.status, body, headers)
    return Answer(front.status, None, headers, raw=front.body, content_type=front.content_type)


def dropped(answer: Answer, firing: Firing, entry: JournalEntry) -> Answer:
    """After the commit: the answer is lost on the socket, or replaced by a gateway error page."""
    action = firing.action
    entry.delivery = action.variant
    if action.variant == "gateway_error":
        page = http_status_reply(action.status)
        return Answer(page.status, None, dict(page.headers), raw=page.body, content_type=page.content_type,
                      lost=answer)
    payload = answer.payload()
    answer.drop = DropPlan(action.variant, answer.status, (("Content-Type", JSON),), payload, action.hang_seconds)
    return answer
