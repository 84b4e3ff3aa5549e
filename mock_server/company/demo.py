"""The demo company: its configuration and the Faker-generated records it starts with.

Plain data only (configuration and ``(OBJECT, fields)`` pairs, written the way create requests
write them); ``functions/companies.py`` writes them into the books. Same seed and same "today",
same books.
"""

from __future__ import annotations

import copy
from functools import lru_cache

from datetime import date, timedelta
from typing import Any, Iterable

from faker import Faker

from .model import CompanyConfig, CustomField, User

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
    """(OBJECT, fields) pairs in dependency order, written like create requests.

    Generated once per (seed, day) and copied: Faker's generation is most of a demo company's
    cost, and a test suite that makes a fresh company per test asks for the same seed each time."""
    return copy.deepcopy(_demo_records(seed, today))


@lru_cache(maxsize=16)
def _demo_records(seed: int, today: date) -> tuple[tuple[str, dict[str, Any]], ...]:
    return tuple(_generate(seed, today))


def _generate(seed: int, today: date) -> Iterable[tuple[str, dict[str, Any]]]:
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
    # Items Order Entry lines name (after everything else, so the seeded books above stay as they were).
    for item_id, name, kind, price, account in DEMO_ITEMS:
        yield "ITEM", {"ITEMID": item_id, "NAME": name, "ITEMTYPE": kind, "BASEPRICE": price,
                       "ITEMGLGROUP.INCOMEACCOUNT.ACCTNO": account}


DEMO_ITEMS = (  # non-inventory and service items with the income account their sales post to
    ("CONSULT-HR", "Consulting hour", "Non-Inventory (Sales only)", "150.00", "4100"),
    ("SUPPORT-YR", "Annual support plan", "Non-Inventory (Sales only)", "1200.00", "4100"),
    ("WIDGET", "Widget", "Non-Inventory", "25.00", "4000"),
)


DEMO_VAT_COMPANY = "DEMO-VAT"


def demo_vat_spec() -> dict[str, Any]:
    """A small UK company with a tax solution (VAT): tax details, a few customers and vendors. Its
    bill and invoice lines need a tax detail, as in a real VAT company. Two vendors are the master
    data importers stumble on: one with no currency or terms, one whose name has quotes, an
    ampersand, a comma and accents (all valid in Intacct)."""
    records: dict[str, list[dict[str, Any]]] = {
        "GLACCOUNT": [{"ACCOUNTNO": no, "TITLE": title, "ACCOUNTTYPE": kind, "NORMALBALANCE": balance}
                       for no, title, kind, balance in CHART],
        "TAXDETAIL": [
            {"DETAILID": "UK Purchase Goods Standard Rate", "TAXTYPE": "Purchase", "VALUE": "20", "TAXSOLUTIONID": "UK VAT"},
            {"DETAILID": "UK Purchase Goods Reduced Rate", "TAXTYPE": "Purchase", "VALUE": "5", "TAXSOLUTIONID": "UK VAT"},
            {"DETAILID": "UK Purchase Goods Exempt Rate", "TAXTYPE": "Purchase", "VALUE": "0", "TAXSOLUTIONID": "UK VAT"},
            {"DETAILID": "UK Sale Goods Standard Rate", "TAXTYPE": "Sale", "VALUE": "20", "TAXSOLUTIONID": "UK VAT"},
            {"DETAILID": "UK Sale Goods Exempt Rate", "TAXTYPE": "Sale", "VALUE": "0", "TAXSOLUTIONID": "UK VAT"},
        ],
        "DEPARTMENT": [{"DEPARTMENTID": "D100", "TITLE": "Finance"}],
        "LOCATION": [{"LOCATIONID": "L100", "NAME": "London"}],
        "VENDOR": [{"VENDORID": "V-UK1", "NAME": "Thames Supplies Ltd", "CURRENCY": "GBP"},
                    {"VENDORID": "V-UK2", "NAME": "Mersey Print plc", "CURRENCY": "GBP"},
                    {"VENDORID": "V-UK3", "NAME": "No Terms Trading"},
                    {"VENDORID": "V-UK4", "NAME": "O'Brien & Söhne, \"Café\" Ltd", "CURRENCY": "GBP", "TERMNAME": "N30"}],
        "CUSTOMER": [{"CUSTOMERID": "C-UK1", "NAME": "Severn Retail Ltd", "CURRENCY": "GBP"},
                      {"CUSTOMERID": "C-UK2", "NAME": "Tyne Logistics", "CURRENCY": "GBP"}],
    }
    return {"company": {"company_id": DEMO_VAT_COMPANY, "name": "Demo VAT Company (intacct-mock)",
                        "senders": ["mock-sender"], "users": [{"userid": "ws_user", "password": "ws_user_pw"}],
                        "base_currency": "GBP", "currencies": ["GBP", "EUR"], "bank_accounts": ["BARCLAYS"],
                        "tax_solution": "UK VAT"},
            "records": records}
