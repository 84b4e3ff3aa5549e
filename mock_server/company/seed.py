"""Build companies: the Faker-seeded demo company, and companies described in a YAML file.

Records are written through the same path as a ``create`` request (parse, rules, derived totals),
so seeded books are books the emulator itself would have produced. Same seed and same "today",
same books. A company already in the database is never seeded twice: restarts keep what was
written.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml
from faker import Faker
from lxml import etree

from ..clock import Clock, db_stamp
from ..config import Settings
from ..errors import IntacctError
from ..functions.context import FunctionContext
from ..functions.writes import create_record
from ..objects.registry import find_object_type
from ..store.books import Books
from .model import CompanyConfig, ConfigError, CustomField, User
from ..store.tenants import CompanyStore

DEMO_COMPANY = "DEMO"

CHART = [
    ("1000", "Cash - Operating", "balancesheet", "debit"), ("1100", "Accounts Receivable", "balancesheet", "debit"),
    ("1200", "Undeposited Funds", "balancesheet", "debit"), ("2000", "Accounts Payable", "balancesheet", "credit"),
    ("3000", "Retained Earnings", "balancesheet", "credit"), ("4000", "Product Revenue", "incomestatement", "credit"),
    ("4100", "Services Revenue", "incomestatement", "credit"), ("5000", "Cost of Goods Sold", "incomestatement", "debit"),
    ("6000", "Rent", "incomestatement", "debit"), ("6100", "Utilities", "incomestatement", "debit"),
    ("6200", "Office Supplies", "incomestatement", "debit"), ("6220", "Software Subscriptions", "incomestatement", "debit"),
    ("6300", "Travel", "incomestatement", "debit"), ("6400", "Professional Fees", "incomestatement", "debit"),
    ("7000", "Payroll Expense", "incomestatement", "debit"),
]


def demo_config() -> CompanyConfig:
    return CompanyConfig(
        company_id=DEMO_COMPANY,
        name="Demo Company (intacct-mock)",
        senders=["mock-sender"],
        users=[
            User("ws_user", "ws_user_pw"),
            User("ap_clerk", "ap_clerk_pw", permissions={"AP": "full", "AR": "read", "GL": "read"}),
            User("auditor", "auditor_pw", ws_only=False, permissions={m: "read" for m in ("AR", "AP", "GL", "CO", "PA")}),
            User("former_user", "former_user_pw", status="inactive"),
        ],
        custom_fields={"VENDOR": [CustomField("VENDOR_CATEGORY", "text", "Vendor category")],
                       "APBILL": [CustomField("APPROVAL_REF", "text", "Approval reference")]},
        bank_accounts=["BOA", "SVB"],
        currencies=["USD", "EUR", "GBP", "CAD"],
    )


def _mdy(d: date) -> str:
    return d.strftime("%m/%d/%Y")


def demo_records(seed: int, today: date) -> Iterable[tuple[str, dict[str, Any]]]:
    """(OBJECT, fields) pairs in dependency order, written like create requests."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    for no, title, kind, balance in CHART:
        yield "GLACCOUNT", {"ACCOUNTNO": no, "TITLE": title, "ACCOUNTTYPE": kind, "NORMALBALANCE": balance}
    for i, area in enumerate(("Finance", "Engineering", "Sales", "Operations"), start=1):
        yield "DEPARTMENT", {"DEPARTMENTID": f"D{i}00", "TITLE": area}
    for i in range(1, 4):
        yield "LOCATION", {"LOCATIONID": f"L{i}00", "NAME": fake.city()[:40]}
    for i, name in enumerate(("Enterprise", "Mid-market", "SMB"), start=1):
        yield "CLASS", {"CLASSID": f"C{i}", "NAME": name}
    customers = [f"C-{i:04d}" for i in range(1, 26)]
    vendors = [f"V-{i:04d}" for i in range(1, 26)]
    for cid in customers:
        name = fake.company()[:100]
        yield "CUSTOMER", {"CUSTOMERID": cid, "NAME": name, "TERMNAME": "N30",
                           "DISPLAYCONTACT": {"PRINTAS": name, "EMAIL1": fake.company_email(), "PHONE1": fake.numerify("###-###-####")}}
    for i in range(1, 6):
        yield "PROJECT", {"PROJECTID": f"P-{1000 + i}", "NAME": fake.bs().title()[:200], "PROJECTCATEGORY": "Contract",
                          "CUSTOMERID": customers[i]}
    for vid in vendors:
        name = fake.company()[:100]
        yield "VENDOR", {"VENDORID": vid, "NAME": name, "TERMNAME": "N30", "CURRENCY": "USD",
                         "VENDOR_CATEGORY": fake.random_element(("Software", "Services", "Facilities")),
                         "DISPLAYCONTACT": {"PRINTAS": name, "EMAIL1": fake.company_email()}}
    yield "SUPDOCFOLDER", {"NAME": "Bills", "DESCRIPTION": "Vendor bill scans"}
    yield "SUPDOCFOLDER", {"NAME": "Invoices", "DESCRIPTION": "Customer invoice copies"}
    yield "ARPAYMENTBATCH", {"TITLE": "Demo deposits", "BATCHDATE": _mdy(today), "FINANCIALENTITY": "BOA"}
    start = today - timedelta(days=45)
    for n in range(1, 11):
        when = start + timedelta(days=n * 3)
        yield "ARINVOICE", {
            "CUSTOMERID": customers[n % len(customers)], "RECORDID": f"INV-{1000 + n}", "WHENCREATED": _mdy(when),
            "TERMNAME": "N30", "DESCRIPTION": fake.catch_phrase(),
            "ARINVOICEITEMS": {"ARINVOICEITEM": [
                {"ACCOUNTNO": "4100", "TRX_AMOUNT": f"{fake.pyint(200, 5000)}.00", "ENTRYDESCRIPTION": "Services",
                 "DEPARTMENTID": "D300"},
            ]},
        }
        yield "APBILL", {
            "VENDORID": vendors[n % len(vendors)], "RECORDID": f"BILL-{2000 + n}", "WHENCREATED": _mdy(when),
            "TERMNAME": "N30", "DESCRIPTION": fake.catch_phrase(),
            "APBILLITEMS": {"APBILLITEM": [
                {"ACCOUNTNO": "6220", "TRX_AMOUNT": f"{fake.pyint(50, 2500)}.00", "ENTRYDESCRIPTION": "Subscription",
                 "DEPARTMENTID": "D200", "LOCATIONID": "L100"},
                {"ACCOUNTNO": "6400", "TRX_AMOUNT": f"{fake.pyint(100, 900)}.{fake.pyint(0, 99):02d}",
                 "ENTRYDESCRIPTION": "Consulting"},
            ]},
        }


def dict_to_element(tag: str, data: Mapping[str, Any]) -> etree._Element:
    """``{"A": "x", "B": {"C": "y"}, "L": {"I": [{...}, {...}]}}`` -> the equivalent request XML."""
    el = etree.Element(tag)
    for key, value in data.items():
        if isinstance(value, list):
            for item in value:
                el.append(dict_to_element(key, item) if isinstance(item, Mapping) else _leaf(key, item))
        elif isinstance(value, Mapping):
            el.append(dict_to_element(key, value))
        else:
            el.append(_leaf(key, value))
    return el


def _leaf(tag: str, value: Any) -> etree._Element:
    el = etree.Element(tag)
    el.text = "" if value is None else ("true" if value is True else "false" if value is False else str(value))
    return el


def seeding_context(conn: sqlite3.Connection, companies: CompanyStore, clock: Clock, company_id: str) -> FunctionContext:
    found = companies.get(conn, company_id)
    assert found is not None
    company, custom = found
    admin = User("__seed__", "", permissions={})
    books = Books(conn, company.company_id.upper(), None, admin.userid, db_stamp(clock.now()))
    return FunctionContext(books=books, company=company, custom=custom, user=admin, entity=None,
                           settings=Settings(), clock=clock, senderid="", endpoint="")


def write_records(ctx: FunctionContext, records: Iterable[tuple[str, Mapping[str, Any]]], source: str) -> int:
    count = 0
    for n, (obj_name, data) in enumerate(records, start=1):
        obj = find_object_type(obj_name)
        if obj is None or obj.line_of:
            raise ConfigError(f"{source}: record {n}: unknown object {obj_name}")
        try:
            create_record(ctx, obj, obj.parse_element(dict_to_element(obj.name, data), ctx))
        except IntacctError as err:
            detail = "; ".join(d.description2 or d.errorno for d in err.details)
            raise ConfigError(f"{source}: record {n} ({obj_name}): {detail}") from None
        count += 1
    return count


def seed_demo_company(conn: sqlite3.Connection, companies: CompanyStore, clock: Clock, seed: int) -> bool:
    """Create DEMO if the database does not have it yet; returns whether it was created."""
    from .provision import demo_spec, provision  # provision builds on this module

    if companies.get(conn, DEMO_COMPANY) is not None:
        return False
    provision(conn, companies, clock, demo_spec(seed), source="demo company")
    return True


def load_company_file(conn: sqlite3.Connection, companies: CompanyStore, clock: Clock, path: Path) -> str:
    """Create or reconfigure a company from YAML: ``company:`` settings and optional ``records:``."""
    try:
        doc = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read company file: {exc}") from None
    if not isinstance(doc, dict) or "company" not in doc:
        raise ConfigError(f"{path}: expected a mapping with a 'company' key (and optional 'records')")
    unknown = set(doc) - {"company", "records"}
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    try:
        config = CompanyConfig.from_dict(doc["company"])
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    from .provision import provision, record_pairs

    if companies.get(conn, config.company_id) is not None:
        companies.put(conn, config)  # an existing company is reconfigured; its books stay
        return config.company_id
    records = doc.get("records") or {}
    if not isinstance(records, dict):
        raise ConfigError(f"{path}: 'records' must map OBJECT names to lists of records")
    record_pairs(records, str(path))
    return provision(conn, companies, clock, {"company": doc["company"], "records": records}, source=str(path))
