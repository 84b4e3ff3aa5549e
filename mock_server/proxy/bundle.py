"""Incident bundles of proxied traffic, in the emulator's terms, so they replay on an emulator.

A bundle rebuilds its company from an origin (``bundles.py``); a proxy has no books, so the origin
is what the user says the upstream company started as: a demo seed (``--seed``, the default) or
the company file given with ``--company-file``. The journal range is taken as for any bundle
(``bundles.assemble``). Then the identities of the upstream become ones an emulator accepts:

- every user the recorded requests signed in as joins the company's users (replay signs each
  request in again as its recorded user, with the bundle's placeholder password: credentials in
  the journal are redacted, so there is nothing else to sign in with);
- a Web Services sender the proxy's settings do not know (a real partner id) is recorded as the
  proxy's first sender in the bodies, and the bundle's ``proxy.senders`` says which became which.

What stays different: the replay company's books are the origin's, not the upstream's, so a
request naming a record the upstream had and the origin lacks answers differently (the report
shows it as not matched).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urlsplit
from xml.sax.saxutils import escape


from ..bundles import REPLAY_PASSWORD, BundleError, assemble
from ..company.demo import demo_config
from ..company.model import CompanyConfig
from ..functions import companies as provision

if TYPE_CHECKING:  # pragma: no cover
    from ..emulator import Emulator

_SENDERID = re.compile(r"(<senderid>)(.*?)(</senderid>)", re.S)


def load_origin(seed: int, company_file: str | None) -> dict[str, Any]:
    """The origin proxy bundles carry: ``company_file``'s company (checked now, so a bad file fails at
    start-up) or the demo company of ``seed``. ConfigError says what is wrong."""
    if not company_file:
        return provision.demo_spec(seed)
    path = Path(company_file)
    doc = provision.read_company_file(path)
    return provision.validate_spec({"company": doc["company"], "records": doc.get("records") or {}}, str(path))


def _config(origin: Mapping[str, Any], key: str) -> dict[str, Any]:
    if "demo_seed" in origin:
        base = {**demo_config().to_dict(), **(origin.get("company") or {})}
    else:
        base = dict(origin["company"])
    return CompanyConfig.from_dict({**base, "company_id": key}).to_dict()


def export_proxy_bundle(emulator: "Emulator", origin: Mapping[str, Any], upstream: str, company: str,
                        since: str | None, until: str | None) -> dict[str, Any]:
    """The bundle of the proxy journal's requests of ``company`` (as the upstream named it)."""
    key = company.strip().upper()
    if not key:
        raise BundleError("Query parameter company must not be empty.")
    spec = {**origin, "company_id": key} if "demo_seed" in origin else {
        **origin, "company": {**origin["company"], "company_id": key}}
    bundle = assemble(emulator, key, spec, _config(origin, key), since, until)
    entries = [*bundle["setup"], *bundle["requests"]]
    if not entries:
        raise BundleError(f"The proxy's journal holds no request of company {company!r} in that range.", 404)
    senders = _translate_senders(entries, list(emulator.settings.senders))
    config = bundle["company"]["config"]
    config["senders"] = sorted({*config.get("senders", []), *senders.values()})
    known = {str(u.get("userid", "")).lower() for u in config.get("users", [])}
    for user in sorted({str(e["user"]) for e in entries if e.get("user")} - known):
        config["users"].append({"userid": user, "password": REPLAY_PASSWORD})  # (full access: permissions unknown)
    parts = urlsplit(upstream)
    bundle["proxy"] = {"upstream": f"{parts.scheme}://{parts.netloc}{parts.path}", "senders": senders}
    return bundle


def _translate_senders(entries: list[dict[str, Any]], known: list[str]) -> dict[str, str]:
    """Recorded senders the emulator does not know, replaced in the bodies by the first one it does."""
    if not known:
        return {}
    mapped: dict[str, str] = {}
    for entry in entries:
        sender = entry.get("sender")
        if not sender or sender in known:
            continue
        mapped[sender] = known[0]
        entry["sender"] = known[0]
        body = entry.get("request_body")
        if isinstance(body, str):
            entry["request_body"] = _SENDERID.sub(lambda m: m.group(1) + escape(known[0]) + m.group(3), body, count=1)
    return mapped
