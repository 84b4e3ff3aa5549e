"""``POST /services/core/composite``: sub-requests run in order, each a whole REST request (its
own unit of work, faults and journal row, as if sent alone), later ones using earlier results by
``@{reference.field}`` (``@{bill.key}``; through a list ``@{found.0.key}``) in their path or body.
A sub-request that names a reference no earlier one made, or one that failed, is answered 400 and
not run. The answer lists each sub-request's ``ia::result``, ``ia::meta`` and ``ia::status``:
200 when all succeeded, else 207. Sub-requests are not one transaction: what succeeded stays
(docs/fidelity.md)."""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from .answer import Answer
from .errors import RestError, error_body

MAX_SUBREQUESTS = 50
REFERENCE = re.compile(r"@\{([A-Za-z0-9_\-]+)\.([^}]+)\}")
METHODS = ("GET", "POST", "PATCH", "DELETE")

Route = Callable[[str, str, Any, Mapping[str, str]], Answer]  # (method, path, body, headers) -> answer


class UnresolvedReference(RestError):
    pass


def run_composite(body: Any, headers: Mapping[str, str], route: Route) -> Answer:
    if not isinstance(body, list) or not 1 <= len(body) <= MAX_SUBREQUESTS:
        raise RestError(f"A composite request is an array of 1 to {MAX_SUBREQUESTS} sub-requests.", target="/")
    inherited = {k: v for k, v in headers.items() if k.lower() in ("authorization", "x-ia-api-param-entity")}
    results: dict[str, Any] = {}
    out: list[dict[str, Any]] = []
    for n, sub in enumerate(body):
        try:
            method, path, sub_body, sub_headers, reference = _read(sub, n)
            answer = route(method, _resolve(path, results, n), _resolve(sub_body, results, n), {**inherited, **sub_headers})
        except RestError as err:
            status, payload = error_body(err)
            answer, reference = Answer(status, payload), sub.get("resultReference") if isinstance(sub, Mapping) else None
        payload = answer.body if isinstance(answer.body, Mapping) else {}
        out.append({"ia::result": payload.get("ia::result"), "ia::meta": payload.get("ia::meta"),
                    "ia::status": answer.status})
        if reference and answer.status < 300:
            results[str(reference)] = payload.get("ia::result")
    failed = sum(1 for o in out if o["ia::status"] >= 300)
    meta = {"totalCount": len(out), "totalSuccess": len(out) - failed, "totalError": failed}
    return Answer(200 if not failed else 207, {"ia::result": out, "ia::meta": meta})


def _read(sub: Any, n: int) -> tuple[str, str, Any, dict[str, str], str | None]:
    where = f"/{n}"
    if not isinstance(sub, Mapping):
        raise RestError("Each sub-request is an object with method and path.", target=where)
    method = str(sub.get("method") or "").upper()
    path = sub.get("path")
    if method not in METHODS:
        raise RestError(f"method is one of {', '.join(METHODS)}.", target=f"{where}/method")
    if not isinstance(path, str) or not re.match(r"^/(objects|services)/", path):
        raise RestError("path starts with /objects/ or /services/.", target=f"{where}/path")
    headers = sub.get("headers") or {}
    if not isinstance(headers, Mapping):
        raise RestError("headers is an object of header names to values.", target=f"{where}/headers")
    reference = sub.get("resultReference")
    return method, path, sub.get("body"), {str(k): str(v) for k, v in headers.items()}, reference


def _resolve(value: Any, results: Mapping[str, Any], n: int) -> Any:
    if isinstance(value, str):
        whole = REFERENCE.fullmatch(value)
        if whole:  # a value that is one reference keeps the referenced value's type
            return _lookup(whole.group(1), whole.group(2), results, n)
        return REFERENCE.sub(lambda m: str(_lookup(m.group(1), m.group(2), results, n)), value)
    if isinstance(value, list):
        return [_resolve(v, results, n) for v in value]
    if isinstance(value, Mapping):
        return {k: _resolve(v, results, n) for k, v in value.items()}
    return value


def _lookup(reference: str, dotted: str, results: Mapping[str, Any], n: int) -> Any:
    if reference not in results:
        raise UnresolvedReference(f"'@{{{reference}.{dotted}}}' names no earlier successful sub-request.",
                                  target=f"/{n}")
    value: Any = results[reference]
    for part in dotted.split("."):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, Mapping) and part in value:
            value = value[part]
        else:
            raise UnresolvedReference(f"'@{{{reference}.{dotted}}}': the result has no '{part}'.", target=f"/{n}")
    return value
