"""Create, remake and delete companies (tenants), and write their starting records.

Every company has an *origin*: either a Faker demo seed or a configuration plus fixture records.
``/_mock/reset`` uses it to put a company back exactly as it was created, which is what a
scenario or a CI job expects after it has written into the books. Records are written through the
same path as a ``create`` request (parse, rules, derived totals), so seeded books are books the
emulator itself would have produced. A company already in the database is never seeded twice:
restarts keep what was written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from ..clock import Clock, db_stamp
from ..company.demo import DEMO_COMPANY, DEMO_VAT_COMPANY, demo_config, demo_records, demo_vat_spec
from ..company.model import SEED_USER, CompanyConfig, ConfigError, User
from ..config import Settings
from ..errors import IntacctError
from ..objects.base import nested_record
from ..objects.registry import find_object_type
from ..store.books import Books
from ..store.tenants import CompanyStore
from .context import CallContext
from .writes import create


def seeding_context(conn: sqlite3.Connection, companies: CompanyStore, clock: Clock, company_id: str) -> CallContext:
    found = companies.get(conn, company_id)
    assert found is not None
    company, custom = found
    admin = User(SEED_USER, "", permissions={})
    books = Books(conn, company.company_id.upper(), None, admin.userid, db_stamp(clock.now()))
    return CallContext(books=books, company=company, custom=custom, user=admin, entity=None,
                       settings=Settings(), clock=clock)


def write_records(ctx: CallContext, records: Iterable[tuple[str, Mapping[str, Any]]], source: str) -> int:
    count = 0
    for n, (obj_name, data) in enumerate(records, start=1):
        obj = find_object_type(obj_name)
        if obj is None or obj.line_of:
            raise ConfigError(f"{source}: record {n}: unknown object {obj_name}")
        try:
            create(ctx, obj, nested_record(obj, data))
        except IntacctError as err:
            detail = "; ".join(d.description2 or d.errorno for d in err.details)
            raise ConfigError(f"{source}: record {n} ({obj_name}): {detail}") from None
        count += 1
    return count


def seed_demo_company(conn: sqlite3.Connection, companies: CompanyStore, clock: Clock, seed: int) -> bool:
    """Create DEMO (and its VAT sibling DEMO-VAT) if the database does not have them yet; returns
    whether DEMO was created."""
    if companies.get(conn, DEMO_VAT_COMPANY) is None:
        provision(conn, companies, clock, demo_vat_spec(), source="VAT demo company")
    if companies.get(conn, DEMO_COMPANY) is not None:
        return False
    provision(conn, companies, clock, demo_spec(seed), source="demo company")
    return True


def read_company_file(path: Path) -> dict[str, Any]:
    """A company file's YAML: a mapping with ``company:`` settings (and optional ``records:``)."""
    try:
        doc = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read company file: {exc}") from None
    if not isinstance(doc, dict) or "company" not in doc:
        raise ConfigError(f"{path}: expected a mapping with a 'company' key (and optional 'records')")
    return doc


def load_company_file(conn: sqlite3.Connection, companies: CompanyStore, clock: Clock, path: Path) -> str:
    """Create or reconfigure a company from YAML: ``company:`` settings and optional ``records:``."""
    doc = read_company_file(path)
    unknown = set(doc) - {"company", "records"}
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    try:
        config = CompanyConfig.from_dict(doc["company"])
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    if companies.get(conn, config.company_id) is not None:
        companies.put(conn, config)  # an existing company is reconfigured; its books stay
        return config.company_id
    records = doc.get("records") or {}
    if not isinstance(records, dict):
        raise ConfigError(f"{path}: 'records' must map OBJECT names to lists of records")
    record_pairs(records, str(path))
    return provision(conn, companies, clock, {"company": doc["company"], "records": records}, source=str(path))


def record_pairs(records: Any, source: str) -> list[tuple[str, Mapping[str, Any]]]:
    """``{"VENDOR": [{...}], ...}`` or ``[["VENDOR", {...}], ...]`` or ``[{"object": "VENDOR", ...}]``."""
    if not records:
        return []
    if isinstance(records, Mapping):
        pairs = []
        for obj, recs in records.items():
            if not isinstance(recs, list):
                raise ConfigError(f"{source}: records.{obj} must be a list of records")
            pairs.extend((str(obj), r) for r in recs)
    elif isinstance(records, list):
        pairs = []
        for n, item in enumerate(records, start=1):
            if isinstance(item, (list, tuple)) and len(item) == 2:
                pairs.append((str(item[0]), item[1]))
            elif isinstance(item, Mapping) and "object" in item:
                pairs.append((str(item["object"]), {k: v for k, v in item.items() if k != "object"}))
            else:
                raise ConfigError(f"{source}: record {n} must be [OBJECT, {{fields}}] or {{object: OBJECT, ...}}")
    else:
        raise ConfigError(f"{source}: records must map OBJECT names to lists of records")
    for n, (_, data) in enumerate(pairs, start=1):
        if not isinstance(data, Mapping):
            raise ConfigError(f"{source}: record {n} must be a mapping of fields")
    return pairs


def validate_spec(spec: Any, source: str = "company") -> dict[str, Any]:
    """Check a company spec before anything is written; returns it normalised."""
    if not isinstance(spec, Mapping):
        raise ConfigError(f"{source}: expected a mapping")
    unknown = set(spec) - {"company", "records", "demo_seed", "company_id"}
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}; "
                          "expected company (settings), records, or demo_seed with company_id")
    if "demo_seed" in spec:
        seed = spec["demo_seed"]
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ConfigError(f"{source}: demo_seed must be a whole number")
        cid = str(spec.get("company_id") or demo_config().company_id).strip()
        if not cid:
            raise ConfigError(f"{source}: company_id must not be empty")
        extra = {k: v for k, v in (spec.get("company") or {}).items() if k != "company_id"}
        CompanyConfig.from_dict({**demo_config().to_dict(), **extra, "company_id": cid})
        record_pairs(spec.get("records"), source)
        return {"demo_seed": seed, "company_id": cid, "company": extra, "records": spec.get("records") or []}
    if "company" not in spec:
        raise ConfigError(f"{source}: expected 'company' settings (or 'demo_seed')")
    CompanyConfig.from_dict(spec["company"])
    record_pairs(spec.get("records"), source)
    return {"company": dict(spec["company"]), "records": spec.get("records") or []}


def _config(spec: Mapping[str, Any]) -> CompanyConfig:
    if "demo_seed" in spec:
        base = demo_config().to_dict()
        return CompanyConfig.from_dict({**base, **spec.get("company", {}), "company_id": spec["company_id"]})
    return CompanyConfig.from_dict(spec["company"])


def provision(conn: sqlite3.Connection, companies: CompanyStore, clock: Clock, spec: Mapping[str, Any],
              *, source: str = "company") -> str:
    """Create a company from a spec (validated here too); returns its id. The company must not exist."""
    spec = validate_spec(spec, source)
    config = _config(spec)
    companies.put(conn, config)
    ctx = seeding_context(conn, companies, clock, config.company_id)
    if "demo_seed" in spec:
        write_records(ctx, demo_records(spec["demo_seed"], clock.now().date()), f"{source} (demo seed)")
    write_records(ctx, record_pairs(spec.get("records"), source), source)
    companies.set_origin(conn, config.company_id, spec)
    return config.company_id


def remake(conn: sqlite3.Connection, companies: CompanyStore, clock: Clock, company_key: str) -> bool:
    """Put a company back as it was created; False when it has no recorded origin."""
    spec = companies.origin(conn, company_key)
    if spec is None:
        return False
    companies.wipe(conn, company_key)
    companies.delete(conn, company_key)
    provision(conn, companies, clock, spec, source=f"reset {company_key}")
    return True


def delete(conn: sqlite3.Connection, companies: CompanyStore, company_key: str) -> bool:
    companies.wipe(conn, company_key)
    companies.drop_origin(conn, company_key)
    return companies.delete(conn, company_key)


def demo_spec(seed: int, company_id: str | None = None) -> dict[str, Any]:
    return {"demo_seed": seed, "company_id": company_id or demo_config().company_id}


def reconfigure(conn: sqlite3.Connection, companies: CompanyStore, company_id: str,
                changes: Mapping[str, Any]) -> CompanyConfig:
    """Apply setting changes (validated) to a company's configuration; records stay as they are."""
    found = companies.get(conn, company_id)
    if found is None:
        raise KeyError(company_id)
    if "company_id" in changes and str(changes["company_id"]).upper() != found[0].company_id.upper():
        raise ConfigError("company_id cannot be changed")
    changes = dict(changes)
    if isinstance(changes.get("users"), list):
        # "***" (what the admin API shows) keeps the user's current password, so GET-edit-PATCH works.
        current = {u.userid.lower(): u.password for u in found[0].users}
        changes["users"] = [
            {**u, "password": current.get(str(u.get("userid", "")).lower(), "")}
            if isinstance(u, Mapping) and u.get("password") == HIDDEN else u
            for u in changes["users"]
        ]
    if isinstance(changes.get("oauth_clients"), Mapping):  # "***" keeps the client's current secret
        current_secrets = found[0].oauth_clients
        changes["oauth_clients"] = {c: current_secrets.get(c, "") if s == HIDDEN else s
                                    for c, s in changes["oauth_clients"].items()}
    config = CompanyConfig.from_dict({**found[0].to_dict(), **changes})
    companies.put(conn, config)
    return replace(config)


HIDDEN = "***"


def public_config(config: CompanyConfig) -> dict[str, Any]:
    """A configuration as the admin API shows it: user passwords hidden."""
    data = config.to_dict()
    data["users"] = [{**u, "password": HIDDEN} for u in data["users"]]
    data["oauth_clients"] = {client: HIDDEN for client in data["oauth_clients"]}
    return data
