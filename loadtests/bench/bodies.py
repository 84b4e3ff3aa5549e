"""Request bodies for the benchmark workloads (bill create, readByQuery pages, seeding)."""

from __future__ import annotations

import re
from pathlib import Path

# The source tree the code runs from (the clone's root; in a wheel, the installed
# ``intacct_mock`` folder): servers start there and profiles name files relative to it.
ROOT = Path(__file__).resolve().parents[2]

GATEWAY_PATH = "/ia/xml/xmlgw.phtml"
XML_WORKLOADS = ("create", "readByQuery")
WORKLOADS = (*XML_WORKLOADS, "rest-create", "rest-query")
REST_PATH = "/ia/api/v1"
REST_WORKLOADS = {"rest-create": "/objects/accounts-payable/bill", "rest-query": "/services/core/query"}


# ---------------------------------------------------------------------------- request bodies

LOGIN = ("<authentication><login><userid>ws_user</userid><companyid>DEMO</companyid>"
         "<password>ws_user_pw</password></login></authentication>")


def envelope(content: str, auth: str, controlid: str = "bench") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<request><control><senderid>mock-sender</senderid>'
            f"<password>mock-sender-pw</password><controlid>{controlid}</controlid><uniqueid>false</uniqueid>"
            f"<dtdversion>3.0</dtdversion></control><operation>{auth}<content>{content}</content></operation>"
            "</request>")


def session_auth(sessionid: str) -> str:
    return f"<authentication><sessionid>{sessionid}</sessionid></authentication>"


BILL_LINES = "".join(
    f"<APBILLITEM><ACCOUNTNO>{acct}</ACCOUNTNO><TRX_AMOUNT>{amount}</TRX_AMOUNT>"
    f"<ENTRYDESCRIPTION>Line {n} &amp; more</ENTRYDESCRIPTION><DEPARTMENTID>D200</DEPARTMENTID>"
    f"<LOCATIONID>L100</LOCATIONID></APBILLITEM>"
    for n, (acct, amount) in enumerate([("6220", "240.00"), ("6400", "99.95"), ("6100", "12.50"),
                                        ("6200", "1000.00"), ("6300", "315.25")], start=1)
)
RECORDID_MARK = "@RECORDID@"


def create_body(auth: str) -> str:
    """An APBILL with 5 lines; RECORDID_MARK is where each request puts its own number."""
    return envelope(
        f'<function controlid="create-bill"><create><APBILL><VENDORID>V-0001</VENDORID>'
        f"<RECORDID>{RECORDID_MARK}</RECORDID><WHENCREATED>03/02/2026</WHENCREATED><WHENDUE>04/01/2026</WHENDUE>"
        f"<DESCRIPTION>bench bill</DESCRIPTION><APBILLITEMS>{BILL_LINES}</APBILLITEMS></APBILL></create></function>",
        auth)


def rest_create_body() -> str:
    """The same bill as ``create_body`` (5 lines, departments, locations), as REST JSON."""
    lines = ",".join(
        f'{{"glAccount": {{"id": "{acct}"}}, "txnAmount": "{amount}", "memo": "Line {n} & more", '
        f'"dimensions": {{"department": {{"id": "D200"}}, "location": {{"id": "L100"}}}}}}'
        for n, (acct, amount) in enumerate([("6220", "240.00"), ("6400", "99.95"), ("6100", "12.50"),
                                            ("6200", "1000.00"), ("6300", "315.25")], start=1))
    return ('{"vendor": {"id": "V-0001"}, "billNumber": "' + RECORDID_MARK + '", "createdDate": "2026-03-02", '
            '"dueDate": "2026-04-01", "description": "bench bill", "lines": [' + lines + ']}')


def rest_query_body() -> str:
    """A page of 100 customers with the fields a sync job reads (the REST counterpart of readByQuery)."""
    fields = ["key", "id", "name", "status", "customerType.id", "parent.id", "taxId", "creditLimit", "isOnHold",
              "term.id", "currency", "totalDue", "notes", "contacts.default.printAs", "contacts.default.email1",
              "contacts.default.phone1", "contacts.default.mailingAddress.city", "audit.createdDateTime",
              "audit.modifiedDateTime", "href"]
    return ('{"object": "accounts-receivable/customer", "fields": [' + ", ".join(f'"{f}"' for f in fields) +
            '], "orderBy": [{"id": "asc"}], "start": 1, "size": 100}')


def read_body(auth: str) -> str:
    return envelope('<function controlid="rbq"><readByQuery><object>CUSTOMER</object><fields>*</fields>'
                    "<query></query><pagesize>100</pagesize></readByQuery></function>", auth)


def read_more_body(auth: str, result_id: str) -> str:
    return envelope(f'<function controlid="more"><readMore><resultId>{result_id}</resultId></readMore></function>', auth)


def customers_body(auth: str, start: int, count: int) -> str:
    records = "".join(
        f"<CUSTOMER><CUSTOMERID>BC-{i:05d}</CUSTOMERID><NAME>Bench Customer {i} &amp; Sons</NAME>"
        f"<TERMNAME>N30</TERMNAME><DISPLAYCONTACT><PRINTAS>Bench Customer {i}</PRINTAS>"
        f"<EMAIL1>ap{i}@bench.example.com</EMAIL1><PHONE1>555-010-{i % 10000:04d}</PHONE1></DISPLAYCONTACT></CUSTOMER>"
        for i in range(start, start + count))
    return envelope(f'<function controlid="seed-{start}"><create>{records}</create></function>', auth)


def result_status(body: bytes) -> str:
    """The first <result>'s status ("" when there is none)."""
    m = re.search(rb"<result>\s*<status>(\w+)</status>", body)
    return m.group(1).decode() if m else ""


