"""Incident bundles: a journal time range, self-contained, that replays on a fresh emulator.

A bundle holds how the company was made (its origin), its configuration, the fault rules it
had, the committed writes before the range (``setup``: they rebuild the state the incident
started from) and every request in the range with what happened to it. Replaying creates the
company under a new id, replays ``setup`` without faults, then replays each request with
exactly the faults that fired the first time (not the rules: the luck is part of the incident)
and reports, per request, whether the outcome matched.

Journaled bodies have their secrets redacted, so replay signs every request in again as the
recorded user, with the company's configured password, or a wrong one when the original sign-in
failed. User passwords are not exported: the bundle's users get a placeholder password, which the
replayed company is created with. Known limits: RECORDNOs differ in the new company (requests
that name a RECORDNO from the original may fail), and latency is not replayed.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Mapping

from lxml import etree

from . import xmlsafe
from .company.model import ConfigError
from .faults.engine import Firing
from .faults.spec import FaultSpecError
from .functions import companies as provision
from .xmlsafe import child, text_of

if TYPE_CHECKING:  # pragma: no cover
    from .emulator import Emulator
    from .gateway.pipeline import XmlGateway

FORMAT = "intacct-mock-incident/1"
MAX_REQUESTS = 5000
WRONG_PASSWORD = "replayed-failed-sign-in"
REPLAY_PASSWORD = "replay-password"  # bundles never carry the company's real user passwords


class BundleError(ValueError):
    """A bundle that cannot be exported or replayed; the message says why, ``status`` how bad."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------------------- export


def export_bundle(emulator: "Emulator", company: str, since: str | None, until: str | None) -> dict[str, Any]:
    db, companies = emulator.db, emulator.companies
    if emulator.journal.mode != "full":
        raise BundleError("The journal keeps no bodies (journal mode is not 'full'); nothing can be replayed.", 409)
    key = company.upper()
    with db.transaction(write=False) as conn:
        found = companies.get(conn, key)
        if found is None:
            raise BundleError(f"No company {company!r}.", 404)
        origin = companies.origin(conn, key)
    if origin is None:
        raise BundleError(f"Company {company!r} has no recorded origin (it was not created through the emulator's "
                          "company file, admin API or demo seed), so its starting state cannot be rebuilt.", 409)
    return assemble(emulator, key, origin, found[0].to_dict(), since, until)


def assemble(emulator: "Emulator", key: str, origin: Mapping[str, Any], config: Mapping[str, Any],
             since: str | None, until: str | None) -> dict[str, Any]:
    """The bundle of company ``key``'s journal range, to be replayed from ``origin`` and ``config``
    (a company's own, or, for a proxy that has no books, what the user says the upstream started as)."""
    journal, faults = emulator.journal, emulator.faults
    if journal.mode != "full":
        raise BundleError("The journal keeps no bodies (journal mode is not 'full'); nothing can be replayed.", 409)
    # both front doors, in journal order; token grants are not requests to replay (replay signs
    # the recorded user in) and are counted apart
    setup = [e for e in _all(journal, company=key, until=since) if e["committed"]] if since else []
    requests = [e for e in _all(journal, company=key, since=since, until=until) if not _grant(e)]
    grants = len(_all(journal, company=key, since=since, until=until, protocol="rest")) - sum(
        1 for e in requests if e.get("protocol") == "rest")
    if len(setup) + len(requests) > MAX_REQUESTS:
        raise BundleError(f"The range holds more than {MAX_REQUESTS} requests; export a shorter range.")
    return {
        "format": FORMAT,
        "exported_at": datetime.now(timezone.utc).isoformat(),
        "company": {"id": key, "origin": _without_passwords(origin), "config": _without_passwords(config)},
        "range": {"since": since, "until": until},
        "faults": [r.to_dict() for r in faults.rules(key)],
        "setup": [_slim(e) for e in setup],
        "requests": [_slim(e) for e in requests],
        **({"omitted": {"token_grants": grants}} if grants else {}),
    }


def _without_passwords(spec: Any) -> Any:
    """User passwords become a placeholder: replay creates the company with it and signs in with it."""
    if isinstance(spec, dict):
        out = {k: _without_passwords(v) for k, v in spec.items()}
        if "users" in out and isinstance(out["users"], list):
            out["users"] = [{**u, "password": REPLAY_PASSWORD} if isinstance(u, dict) else u for u in out["users"]]
        return out
    if isinstance(spec, list):
        return [_without_passwords(v) for v in spec]
    return spec


def _all(journal, **filters: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    after = None
    while True:
        page = journal.list(bodies=True, limit=1000, after_id=after, **filters)
        out.extend(page)
        if len(page) < 1000 or len(out) > MAX_REQUESTS:
            return out
        after = page[-1]["id"]


def _grant(entry: Mapping[str, Any]) -> bool:
    """A REST token grant or sign-in (no body kept: it carried secrets)."""
    names = [f.get("name", "") for f in entry.get("functions") or []]
    return entry.get("protocol") == "rest" and any(n.split(" ", 1)[-1].startswith("oauth2/") for n in names)


def _slim(entry: Mapping[str, Any]) -> dict[str, Any]:
    keep = ("id", "at", "sender", "user", "remote_addr", "controlid", "functions", "faults", "committed",
            "http_status", "delivery", "request_body", "response_body")
    out = {k: entry.get(k) for k in keep}
    if entry.get("protocol") == "rest":
        out["protocol"] = "rest"
    return out


# ---------------------------------------------------------------------------- replay


def _check(bundle: Any) -> None:
    if not isinstance(bundle, Mapping) or bundle.get("format") != FORMAT:
        raise BundleError(f"Not an incident bundle (expected format {FORMAT!r}).")
    for key in ("company", "setup", "requests"):
        if key not in bundle:
            raise BundleError(f"The bundle has no {key!r}.")
    origin = bundle["company"].get("origin") if isinstance(bundle["company"], Mapping) else None
    if not isinstance(origin, Mapping) or not (
            "demo_seed" in origin or isinstance(origin.get("company"), Mapping)):
        raise BundleError("The bundle's company has no usable origin (demo_seed, or company settings).")
    for section in ("setup", "requests"):
        for n, entry in enumerate(bundle[section], start=1):
            if not isinstance(entry, Mapping):
                raise BundleError(f"{section}[{n}] is not a journal entry.")
            if entry.get("protocol") == "rest":
                names = [f.get("name") for f in entry.get("functions") or [] if isinstance(f, Mapping)]
                if len(names) != 1 or " " not in str(names[0]):
                    raise BundleError(f"{section}[{n}] is a REST entry without its method and path.")
            elif not isinstance(entry.get("request_body"), str):
                raise BundleError(f"{section}[{n}] has no request_body.")
            try:  # before anything is created: a recorded fault that does not parse refuses the bundle
                [Firing.replayed(f) for f in entry.get("faults") or []]
            except (FaultSpecError, KeyError, TypeError, AttributeError) as exc:
                raise BundleError(f"{section}[{n}]: a recorded fault is not valid: {exc}") from None


def _origin_as(origin: Mapping[str, Any], company_id: str) -> dict[str, Any]:
    spec = dict(origin)
    if "demo_seed" in spec:
        spec["company_id"] = company_id
    else:
        spec["company"] = {**spec["company"], "company_id": company_id}
    return spec


def _auth_failed(entry: Mapping[str, Any]) -> bool:
    response = entry.get("response_body") or ""
    return entry.get("http_status") == 401 or "<authentication><status>failure</status>" in response.replace(
        "\n", "").replace(" ", "")


def _resign(body: str, entry: Mapping[str, Any], company_id: str, config, senders: Mapping[str, str]) -> bytes:
    """Put working (or, if the original failed, failing) credentials back into a redacted body."""
    raw = body.encode("utf-8")
    try:
        root = xmlsafe.parse(raw, keep_comments=True)
    except etree.XMLSyntaxError:
        return raw  # malformed originally: replay the same bytes
    control = child(root, "control")
    if control is not None:
        sender = text_of(child(control, "senderid")) or ""
        pw = child(control, "password")
        if pw is not None and sender in senders:
            pw.text = senders[sender]
    auth = root.find("operation/authentication")
    if auth is None:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    login = child(auth, "login")
    userid = (text_of(child(login, "userid")) if login is not None else None) or entry.get("user") or ""
    location = text_of(child(login, "locationid")) if login is not None else None
    user = config.user(userid)
    password = WRONG_PASSWORD if _auth_failed(entry) or user is None else user.password
    for c in list(auth):
        auth.remove(c)
    new = etree.SubElement(auth, "login")
    for tag, value in (("userid", userid), ("companyid", company_id), ("password", password), ("locationid", location)):
        if value is not None:
            etree.SubElement(new, tag).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _outcome(reply, journal) -> dict[str, Any]:
    entry = journal.get(reply.journal_id) if reply.journal_id is not None else None
    if entry is None:
        return {"http_status": reply.status}
    return {"http_status": entry["http_status"], "delivery": entry["delivery"], "committed": entry["committed"],
            "functions": [f.get("status") for f in entry["functions"]]}


def _expected(entry: Mapping[str, Any]) -> dict[str, Any]:
    return {"http_status": entry.get("http_status"), "delivery": entry.get("delivery"),
            "committed": entry.get("committed"), "functions": [f.get("status") for f in entry.get("functions") or []]}


def _replay_rest(rest, entry: Mapping[str, Any], company_key: str, firings: list, clients) -> dict[str, Any]:
    """One recorded REST call again, signed in as its recorded user (or, if it was refused for its
    token, without one), under its Idempotency-Key, with its recorded firings."""
    method, _, path = entry["functions"][0]["name"].partition(" ")
    headers: dict[str, str] = {}
    if entry.get("http_status") != 401 and entry.get("user"):
        with rest.em.db.transaction(write=True) as conn:
            token = rest.tokens.issue_for(conn, company_key, entry["user"], None, next(iter(clients), ""))
        if token:
            headers["Authorization"] = f"Bearer {token}"
    if entry.get("controlid"):
        headers["Idempotency-Key"] = entry["controlid"]
    raw = entry.get("request_body")
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    with rest.replaying(firings):
        answer = rest.route(method, "/" + (path if path.startswith(("services/", "workflows/")) else f"objects/{path}"),
                            body, headers,
                            entry.get("remote_addr") or "127.0.0.1")
    found = rest.em.journal.list(company=company_key, limit=1, newest_first=True)
    actual: dict[str, Any] = {"http_status": answer.status}
    if found:
        last = found[0]
        actual = {"http_status": last["http_status"], "delivery": last["delivery"], "committed": last["committed"],
                  "functions": [f.get("status") for f in last["functions"]]}
    return actual


def replay_bundle(gateway: "XmlGateway", bundle: Any, as_company: str, rest=None) -> dict[str, Any]:
    """Replay through ``gateway`` (and ``rest``, the REST API, for REST entries) into a new company."""
    _check(bundle)
    emulator = gateway.emulator
    db, companies, clock, clocks, settings = (emulator.db, emulator.companies, emulator.clock, emulator.clocks,
                                              emulator.settings)
    key = as_company.strip().upper()
    if not key:
        raise BundleError("as_company must not be empty.")
    try:
        with db.transaction(write=True) as conn:
            if companies.get(conn, key) is not None:
                raise BundleError(f"Company {as_company!r} already exists; choose another as_company.", 409)
            provision.provision(conn, companies, clock, _origin_as(bundle["company"]["origin"], key), source="bundle")
            config = provision.reconfigure(conn, companies, key, {**bundle["company"].get("config", {}),
                                                                  "company_id": key})
    except ConfigError as exc:
        raise BundleError(f"The bundle's company cannot be created: {exc}") from None

    results = []
    for section in ("setup", "requests"):
        for entry in bundle[section]:
            _set_clock(clocks, key, entry.get("at"))
            firings = [] if section == "setup" else [Firing.replayed(f) for f in entry.get("faults") or []]
            if entry.get("protocol") == "rest":
                if rest is None:
                    raise BundleError("The bundle holds REST calls; replay it where the REST API is served.")
                actual = _replay_rest(rest, entry, key, firings, config.oauth_clients)
            else:
                body = _resign(entry["request_body"], entry, key, config, settings.senders)
                reply = gateway.handle(body, remote_addr=entry.get("remote_addr") or "127.0.0.1",
                                       endpoint=f"http://{settings.host}:{settings.port}/ia/xml/xmlgw.phtml",
                                       replay=firings)
                actual = _outcome(reply, emulator.journal)
            if section == "setup":
                continue
            expected = _expected(entry)
            same = all(actual.get(k) == v for k, v in expected.items() if k in actual)
            results.append({"original_id": entry.get("id"), "controlid": entry.get("controlid"),
                            "expected": expected, "actual": actual, "matched": same})
    clocks.reset(key)
    return {"company": key, "setup_replayed": len(bundle["setup"]), "requests": len(results),
            "matched": sum(r["matched"] for r in results), "results": results}


def _set_clock(clocks, key: str, at: str | None) -> None:
    if not at:
        return
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return
    clocks.set(key, when, frozen=True)
